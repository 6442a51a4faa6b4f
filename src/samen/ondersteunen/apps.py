"""Support: trajectories, warm referral and aftercare."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OndersteunenConfig(AppConfig):
    name = "samen.ondersteunen"
    label = "ondersteunen"
    verbose_name = _("Ondersteunen: trajecten, warme overdracht en nazorg")

    def ready(self):
        from samen.ondersteunen import blocks, receivers  # noqa: F401  (registrations, event receivers)
