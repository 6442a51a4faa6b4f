"""Support: trajectories, warm referral and aftercare."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_referral_triggers(sender, using="default", **kwargs):
    from samen.ondersteunen.matching import live

    live.install(using)


class OndersteunenConfig(AppConfig):
    name = "samen.ondersteunen"
    label = "ondersteunen"
    verbose_name = _("Ondersteunen: trajecten, warme overdracht en nazorg")

    def ready(self):
        from samen.ondersteunen import blocks, receivers  # noqa: F401  (registrations, event receivers)

        # After every migrate and flush: the matching's referral version and its triggers (matching.live).
        post_migrate.connect(_install_referral_triggers, sender=self,
                             dispatch_uid="samen.ondersteunen.referral_triggers")
