from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "samen.core"
    label = "core"
    verbose_name = _("Kern: gemeente, geografie, organisaties, mensen en privacy")

    def ready(self):
        # blocks: the core's own capabilities, menu and panels; checks: system checks; outbox: its job
        from samen.core import blocks, checks, outbox  # noqa: F401
        from samen.core.api import schema  # noqa: F401  (OpenAPI description of the session login)
