"""Offer quality: the catalogue of activities and interventions."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_change_triggers(sender, using="default", **kwargs):
    from samen.kwaliteit import changes

    changes.install(using)


class KwaliteitConfig(AppConfig):
    name = "samen.kwaliteit"
    label = "kwaliteit"
    verbose_name = _("Kwaliteit bieden: activiteiten en interventies")

    def ready(self):
        # registrations; the system check on the triggers; the nightly job
        from samen.kwaliteit import blocks, changes, jobs  # noqa: F401

        # After every migrate and flush: the search index's change token and its triggers (kwaliteit.changes).
        post_migrate.connect(_install_change_triggers, sender=self,
                             dispatch_uid="samen.kwaliteit.change_triggers")
