"""The care network (zorgnetwerk) of each wijk, and who takes part in it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from samen.core.models import Gemeente, Organisation, User, Wijk


class Zorgnetwerk(models.Model):
    class Status(models.TextChoices):
        ACTIEF = "actief", _("actief")
        IN_OPBOUW = "in_opbouw", _("in opbouw")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="zorgnetwerken")
    wijk = models.ForeignKey(Wijk, on_delete=models.PROTECT, related_name="zorgnetwerken")
    name = models.CharField(_("naam"), max_length=150)
    status = models.CharField(_("stand"), max_length=12, choices=Status.choices, default=Status.ACTIEF)
    description = models.TextField(_("omschrijving"), blank=True)
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("zorgnetwerk")
        verbose_name_plural = _("zorgnetwerken")
        ordering = ["wijk__code", "name"]
        constraints = [models.UniqueConstraint(fields=["wijk", "name"], name="zorgnetwerk_unique_name")]

    def __str__(self):
        return self.name

    def core_organisations(self) -> list[str]:
        """Names of the core (kern) members, from prefetched members where available."""
        return [m.organisation.name for m in self.members.all() if m.part == ZorgnetwerkMember.Part.KERN]

    def clean(self):
        if self.wijk_id and self.gemeente_id and self.wijk.gemeente_id != self.gemeente_id:
            raise ValidationError({"wijk": _("Deze wijk hoort bij een andere gemeente.")})


class ZorgnetwerkMember(models.Model):
    """An organisation in a network, and where known the person (a user) who represents it."""

    class Part(models.TextChoices):
        KERN = "kern", _("kern")
        DEELNEMER = "deelnemer", _("deelnemer")
        AANGEHAAKT = "aangehaakt", _("aangehaakt")

    network = models.ForeignKey(Zorgnetwerk, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="network_memberships")
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="network_memberships")
    function = models.CharField(_("functie in het netwerk"), max_length=100, blank=True)
    part = models.CharField(_("rol in het netwerk"), max_length=12, choices=Part.choices, default=Part.DEELNEMER)
    gemeente_path = "network__gemeente"

    class Meta:
        verbose_name = _("deelnemer zorgnetwerk")
        verbose_name_plural = _("deelnemers zorgnetwerk")
        ordering = ["network", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["network", "organisation", "function"],
                                               name="zorgnetwerkmember_unique")]

    def __str__(self):
        return f"{self.organisation} ({self.function or self.get_part_display()})"
