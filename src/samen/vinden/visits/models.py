"""Vinden: the yearly 75+ home visits (vroegsignalering).

``RegisterEntry`` is the 75+ register read from the population register extract: it points at a
``core.Resident`` (name, postcode, house number, birth YEAR, buurt) and remembers when the person was
first and last in an extract. A ``VisitRound`` is one year's round in one wijk; it holds a ``Visit`` for
every resident of the register in that wijk, which is assigned to a volunteer buurtmaker and reported.
All writes go through ``samen.vinden.visits.services``.
"""

from __future__ import annotations

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from samen.core.models import Gemeente, Resident, User, Wijk
from samen.core.states import StatusField, StatusModel

__all__ = ["RegisterEntry", "VisitRound", "Visit", "VisitStatus", "VolunteerCapacity", "MAX_WISHES",
           "DEFAULT_CAPACITY"]

MAX_WISHES = 5000
DEFAULT_CAPACITY = 10  # visits per round for a volunteer without a capacity of their own


class Salutation(models.TextChoices):
    UNKNOWN = "", _("onbekend")
    MEVROUW = "mevrouw", _("mevrouw")
    HEER = "heer", _("heer")


class RegisterEntry(models.Model):
    """A resident aged 75+ in the latest population register extract (or no longer: ``active``)."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="register_entries")
    resident = models.OneToOneField(Resident, on_delete=models.CASCADE, related_name="register_entry",
                                    verbose_name=_("inwoner"))
    created_resident = models.BooleanField(
        default=True, help_text=_("Het inwonerrecord is door de import gemaakt (en mag door de import weg)."))
    first_seen = models.DateField(_("eerst gezien"))
    last_seen = models.DateField(_("laatst gezien"))
    active = models.BooleanField(_("in het register"), default=True)
    # From the extract's "aanhef" (or "geslacht") column; the letters say "Geachte mevrouw Bakker".
    salutation = models.CharField(_("aanhef"), max_length=8, choices=Salutation.choices, blank=True, default="")
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("registerregel 75+")
        verbose_name_plural = _("register 75+")
        indexes = [models.Index(fields=["gemeente", "active"])]

    def __str__(self):
        return _("Registerregel %(id)s") % {"id": self.pk}


class VisitRound(models.Model):
    """The yearly round of home visits in one wijk."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="visit_rounds")
    wijk = models.ForeignKey(Wijk, on_delete=models.PROTECT, related_name="visit_rounds", verbose_name=_("wijk"))
    year = models.PositiveIntegerField(_("jaar"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    starts_on = models.DateField(_("begint op"))
    ends_on = models.DateField(_("eindigt op"))
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("bezoekronde")
        verbose_name_plural = _("bezoekrondes")
        ordering = ["-year", "wijk__code"]
        constraints = [
            models.UniqueConstraint(fields=["wijk", "year"], name="visitround_one_per_wijk_year"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="visitround_ends_after_start"),
        ]

    def __str__(self):
        return _("Huisbezoeken %(wijk)s %(year)s") % {"wijk": self.wijk.display_name, "year": self.year}


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("gepland")
    NOT_HOME = "not_home", _("niet thuis")
    DECLINED = "declined", _("wil geen bezoek")
    VISITED = "visited", _("bezocht")


class Visit(StatusModel):
    """One resident's visit in a round: who goes, and how it went."""

    round = models.ForeignKey(VisitRound, on_delete=models.CASCADE, related_name="visits",
                              verbose_name=_("ronde"))
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="visits",
                                 verbose_name=_("inwoner"))
    volunteer = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="home_visits", verbose_name=_("vrijwilliger"))
    status = StatusField(_("uitkomst"), max_length=10, choices=VisitStatus.choices,  # vinden.visits.workflow
                         default=VisitStatus.PLANNED)
    reported_at = models.DateTimeField(_("gemeld op"), null=True, blank=True)
    djg6_total = models.PositiveSmallIntegerField(_("De Jong Gierveld (6 vragen)"), null=True, blank=True)
    djg6_emotional = models.PositiveSmallIntegerField(_("emotionele eenzaamheid"), null=True, blank=True)
    djg6_social = models.PositiveSmallIntegerField(_("sociale eenzaamheid"), null=True, blank=True)
    wishes = models.TextField(_("wat de inwoner graag zou willen"), blank=True,
                              validators=[MaxLengthValidator(MAX_WISHES)])
    wants_contact = models.BooleanField(_("wil contact met sociaal werk"), null=True, blank=True)
    signal = models.ForeignKey("vinden.Signal", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="home_visits", verbose_name=_("signaal"))
    gemeente_path = "round__gemeente"

    class Meta:
        verbose_name = _("huisbezoek")
        verbose_name_plural = _("huisbezoeken")
        ordering = ["resident__postcode", "resident__house_number", "resident__house_number_addition", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "resident"], name="visit_one_per_round")]
        indexes = [models.Index(fields=["round", "status"]), models.Index(fields=["volunteer", "status"])]

    def __str__(self):
        return _("Huisbezoek %(id)s") % {"id": self.pk}

    @property
    def is_open(self) -> bool:
        return self.status in (VisitStatus.PLANNED, VisitStatus.NOT_HOME)


class VolunteerCapacity(models.Model):
    """How many visits a volunteer buurtmaker takes on per round."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="visit_capacity")
    visits_per_round = models.PositiveSmallIntegerField(
        _("bezoeken per ronde"), default=DEFAULT_CAPACITY, validators=[MaxValueValidator(200)])
    gemeente_path = "user__gemeente"

    class Meta:
        verbose_name = _("capaciteit vrijwilliger")
        verbose_name_plural = _("capaciteit vrijwilligers")

    def __str__(self):
        return f"{self.user_id}: {self.visits_per_round}"
