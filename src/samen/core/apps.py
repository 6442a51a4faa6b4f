from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "samen.core"
    label = "core"
    verbose_name = _("Kern: gemeente, geografie, organisaties, mensen en privacy")

    def ready(self):
        import samen.core.outbox  # noqa: F401  (registers the outbox job)
        from samen.core import checks  # noqa: F401  (registers system checks)
        from samen.core.api import schema  # noqa: F401  (OpenAPI description of the session login)
