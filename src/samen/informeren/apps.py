"""Inform: the public site for residents."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InformerenConfig(AppConfig):
    name = "samen.informeren"
    label = "informeren"
    verbose_name = _("Informeren: de publieke site")

    def ready(self):
        from samen.informeren import blocks  # noqa: F401  (informeren's registrations: samen.core.registry)
