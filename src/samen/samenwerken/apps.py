"""Work together: the care networks per wijk and the action agenda."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SamenwerkenConfig(AppConfig):
    name = "samen.samenwerken"
    label = "samenwerken"
    verbose_name = _("Samenwerken: zorgnetwerken en actieagenda")

    def ready(self):
        from samen.samenwerken import blocks  # noqa: F401  (samenwerken's registrations: samen.core.registry)
