from django.apps import AppConfig


class FakeblockConfig(AppConfig):
    name = "samen.core.tests.fakeblock"
    label = "fakeblock"
    verbose_name = "Proefblok (alleen in de tests)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from samen.core.tests.fakeblock import blocks  # noqa: F401
