from django.conf import settings
from django.db import models


class Note(models.Model):
    """A note a worker keeps (its one migration runs only where the test settings install the block)."""

    gemeente = models.ForeignKey("core.Gemeente", on_delete=models.CASCADE)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    text = models.CharField(max_length=200)

    gemeente_path = "gemeente"

    @classmethod
    def visible_to(cls, user, queryset):
        """Each holder of note.view sees only their own notes (the Open Zaak style: the model's own rule)."""
        return queryset.filter(author=user)
