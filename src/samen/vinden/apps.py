"""Find: early signals from every channel and the yearly 75+ home visits."""

from django.apps import AppConfig
from django.db.models.signals import pre_delete
from django.utils.translation import gettext_lazy as _


def _erase_signal_content(sender, instance, **kwargs):
    """When a resident is erased (AVG), their signals keep only the bare facts: the free text and the
    ticked observations may name or describe the person, so they go too."""
    from samen.vinden.models import Signal

    Signal.objects.filter(resident=instance).update(description="", observations=[])


class VindenConfig(AppConfig):
    name = "samen.vinden"
    label = "vinden"
    verbose_name = _("Vinden: signalen en huisbezoeken 75+")

    def ready(self):
        pre_delete.connect(_erase_signal_content, sender="core.Resident", dispatch_uid="samen-vinden-erase")
        from samen.vinden import blocks, jobs, routes  # noqa: F401  (vinden's registrations and scheduled jobs)

        routes.connect()
