"""Know: survey indicators per wijk, targets and factors."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WetenConfig(AppConfig):
    name = "samen.weten"
    label = "weten"
    verbose_name = _("Weten: de monitor van eenzaamheid per wijk")

    def ready(self):
        from samen.weten import blocks  # noqa: F401  (weten's registrations: samen.core.registry)
