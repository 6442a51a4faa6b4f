"""The catalogue: places, activities, their review history and planned dates, and interventions.

An ``Activity`` row holds what the public sees (its last approved content). Providers never write it
directly: every new entry or change is an ``ActivityVersion`` that the regisseur approves or rejects
(kwaliteit.review holds the state table, kwaliteit.services.catalogue the one write path). Dates are
generated from the schedule (an iCalendar RRULE) into ``Occurrence`` rows so that the finder can search
"on Tuesday afternoon" with an index.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import JSONField, Lookup
from django.utils.translation import gettext_lazy as _

from samen.core.models import Buurt, Gemeente, Organisation, User, Wijk, postcode_validator
from samen.core.states import StatusField, StatusModel
from samen.kwaliteit.review import VersionStatus
from samen.kwaliteit.vocabulary import CostType, PartOfDay, Recognition


@JSONField.register_lookup
class HasCode(Lookup):
    """``interests__has_code="walking"``: the JSON list contains this string, on SQLite and PostgreSQL.

    Django's ``contains`` on a JSON field does not exist on SQLite; this lookup uses json_each there and
    the ``@>`` operator (GIN-indexable) on PostgreSQL.
    """

    lookup_name = "has_code"

    def as_sql(self, compiler, connection):  # SQLite and others
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # lhs is a column reference Django compiled; the value is a bound parameter.
        return f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value = %s)", [*lhs_params, self.rhs]  # noqa: S608

    def as_postgresql(self, compiler, connection):
        import json

        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} @> %s::jsonb", [*lhs_params, json.dumps([self.rhs])]

    def get_prep_lookup(self):
        return str(self.rhs)

    def process_rhs(self, compiler, connection):  # the value is passed as is, see as_sql
        return "%s", [self.rhs]


class Location(models.Model):
    """A place where activities happen (wijkcentrum Lopes Dias, the Bethlehemkerk). Its address decides
    the buurt and wijk; the catalogue service finds or creates places by address."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="locations")
    name = models.CharField(_("naam van de plek"), max_length=150)
    street = models.CharField(_("straat"), max_length=120, blank=True)
    house_number = models.PositiveIntegerField(_("huisnummer"), null=True, blank=True)
    house_number_addition = models.CharField(_("toevoeging"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, validators=[postcode_validator])
    city = models.CharField(_("plaats"), max_length=80)
    buurt = models.ForeignKey(Buurt, on_delete=models.PROTECT, related_name="locations", null=True, blank=True)
    latitude = models.DecimalField(_("breedtegraad"), max_digits=8, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("lengtegraad"), max_digits=9, decimal_places=6, null=True, blank=True)
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("locatie")
        verbose_name_plural = _("locaties")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(
            fields=["gemeente", "name", "postcode", "house_number", "house_number_addition"],
            name="location_unique_place")]

    def __str__(self):
        return self.name

    @property
    def address_line(self) -> str:
        number = f"{self.house_number or ''}{self.house_number_addition}".strip()
        return " ".join(part for part in (self.street, number) if part)

    @property
    def wijk(self) -> Wijk | None:
        return self.buurt.wijk if self.buurt_id else None


class Intervention(models.Model):
    """A named method (Welzijn op Recept, Grip & Glans, ...) with its recognition in the Movisie databank."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="interventions")
    name = models.CharField(_("naam"), max_length=150)
    description = models.TextField(_("omschrijving"), blank=True)
    recognition = models.CharField(_("erkenning (Movisie)"), max_length=10, choices=Recognition.choices,
                                   default=Recognition.NOT_ASSESSED)
    target_groups = models.JSONField(_("doelgroepen"), default=list, blank=True)
    target_group_text = models.CharField(_("doelgroep in eigen woorden"), max_length=200, blank=True)
    databank_url = models.URLField(_("pagina in de databank"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("interventie")
        verbose_name_plural = _("interventies")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["gemeente", "name"], name="intervention_unique_name")]

    def __str__(self):
        return self.name


class Activity(StatusModel):
    """An activity as the public sees it: the content of its last approved version.

    ``status`` tells whether it was ever approved (draft → published) or taken off the site
    (withdrawn). Freshness is not a status: ``confirmed_at`` older than the gemeente's limits makes it
    stale (flagged, provider reminded) and then hidden; kwaliteit.services.catalogue.public_activities()
    is the one definition of "on the public site".
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("nieuw, nog niet goedgekeurd")
        PUBLISHED = "published", _("gepubliceerd")
        WITHDRAWN = "withdrawn", _("teruggetrokken")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="activities")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="activities",
                                     verbose_name=_("organisator"))
    # Changed only through kwaliteit.publication.WORKFLOW.
    status = StatusField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)

    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), max_length=5000)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="activities",
                                 null=True, blank=True, verbose_name=_("locatie"))
    online = models.BooleanField(_("online"), default=False)
    online_url = models.URLField(_("link voor online deelnemen"), blank=True)
    # Copied from the location on every save by the service, so that search needs no join.
    buurt = models.ForeignKey(Buurt, on_delete=models.PROTECT, related_name="activities", null=True, blank=True)
    wijk = models.ForeignKey(Wijk, on_delete=models.PROTECT, related_name="activities", null=True, blank=True)

    # Schedule: a start date and times; a recurring activity has an RRULE (RFC 5545), one-off has none.
    start_date = models.DateField(_("(eerste) datum"))
    start_time = models.TimeField(_("begintijd"))
    end_time = models.TimeField(_("eindtijd"), null=True, blank=True)
    rrule = models.CharField(_("herhaling (iCalendar RRULE)"), max_length=300, blank=True)
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    part_of_day = models.CharField(_("dagdeel"), max_length=10, choices=PartOfDay.choices)

    cost_type = models.CharField(_("kosten"), max_length=10, choices=CostType.choices, default=CostType.FREE)
    cost_amount = models.DecimalField(_("bedrag (euro)"), max_digits=7, decimal_places=2, null=True, blank=True,
                                      validators=[MinValueValidator(0)])
    registration_required = models.BooleanField(_("aanmelden nodig"), default=False)
    how_to_join = models.TextField(_("zo doet u mee"), max_length=1000, blank=True)
    capacity = models.PositiveIntegerField(_("aantal plaatsen"), null=True, blank=True)

    wheelchair_accessible = models.BooleanField(_("rolstoeltoegankelijk"), default=False)
    hearing_loop = models.BooleanField(_("ringleiding"), default=False)
    near_public_transport = models.BooleanField(_("dicht bij openbaar vervoer"), default=False)

    target_groups = models.JSONField(_("doelgroepen"), default=list, blank=True)
    loneliness_kinds = models.JSONField(_("soort eenzaamheid"), default=list, blank=True)
    interests = models.JSONField(_("interesses"), default=list, blank=True)
    languages = models.JSONField(_("talen"), default=list, blank=True)
    theme_week = models.BooleanField(_("onderdeel van de Week tegen Eenzaamheid"), default=False)
    interventions = models.ManyToManyField(Intervention, blank=True, related_name="activities",
                                           verbose_name=_("interventies"))

    contact_name = models.CharField(_("contactpersoon"), max_length=100, blank=True)
    contact_phone = models.CharField(_("telefoon contactpersoon"), max_length=30, blank=True)
    contact_email = models.EmailField(_("e-mail contactpersoon"), blank=True)
    website = models.URLField(_("website"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("laatst bevestigd door de aanbieder"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("herinnering verstuurd op"), null=True, blank=True)
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["gemeente", "status", "confirmed_at"], name="activity_public_idx"),
            models.Index(fields=["wijk", "status"], name="activity_wijk_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(cost_amount__gte=0) | models.Q(cost_amount__isnull=True),
                                   name="activity_cost_not_negative"),
            models.CheckConstraint(condition=models.Q(valid_until__isnull=True)
                                   | models.Q(valid_until__gte=models.F("start_date")),
                                   name="activity_valid_until_after_start"),
        ]

    def __str__(self):
        return self.title


class ActivityVersion(StatusModel):
    """One submitted content of an activity: pending until the regisseur approves or rejects it.

    ``data`` is the whole editable content as the form gave it (kwaliteit.services.catalogue.FIELDS),
    so the history shows exactly what was proposed and what changed between versions.
    """

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    data = models.JSONField(_("inhoud"))
    status = StatusField(_("status"), max_length=10, choices=VersionStatus.choices,  # kwaliteit.review
                              default=VersionStatus.PENDING)
    submitted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                     verbose_name=_("ingediend door"))
    submitted_at = models.DateTimeField(_("ingediend op"), auto_now_add=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name=_("beoordeeld door"))
    reviewed_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    review_note = models.TextField(_("toelichting bij de beoordeling"), max_length=2000, blank=True)
    gemeente_path = "activity__gemeente"

    class Meta:
        verbose_name = _("versie van een activiteit")
        verbose_name_plural = _("versies van activiteiten")
        ordering = ["activity", "-number"]
        constraints = [models.UniqueConstraint(fields=["activity", "number"], name="activityversion_unique_number")]

    def __str__(self):
        return f"{self.activity} v{self.number}"


class Occurrence(models.Model):
    """One planned date of a published activity, generated from its schedule for the coming months."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="occurrences")
    date = models.DateField(_("datum"))
    weekday = models.PositiveSmallIntegerField(_("weekdag (0 = maandag)"))
    start_time = models.TimeField(_("begintijd"))
    end_time = models.TimeField(_("eindtijd"), null=True, blank=True)
    gemeente_path = "activity__gemeente"

    class Meta:
        verbose_name = _("datum van een activiteit")
        verbose_name_plural = _("datums van activiteiten")
        ordering = ["date", "start_time"]
        # The search index reads every planned date from today on (kwaliteit.services.search_index).
        indexes = [models.Index(fields=["date", "start_time", "activity"], include=["weekday"],
                                name="occurrence_date_idx")]
        constraints = [models.UniqueConstraint(fields=["activity", "date", "start_time"],
                                               name="occurrence_unique")]

    def __str__(self):
        return f"{self.activity} {self.date:%Y-%m-%d} {self.start_time:%H:%M}"


class ThemeWeek(models.Model):
    """The yearly Week tegen Eenzaamheid: its dates, so the site can highlight the week's events."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="theme_weeks")
    name = models.CharField(_("naam"), max_length=100, default="Week tegen Eenzaamheid")
    starts_on = models.DateField(_("van"))
    ends_on = models.DateField(_("tot en met"))
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("themaweek")
        verbose_name_plural = _("themaweken")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="themeweek_ends_after_start"),
            models.UniqueConstraint(fields=["gemeente", "starts_on"], name="themeweek_unique_start"),
        ]

    def __str__(self):
        return f"{self.name} {self.starts_on:%Y}"


class CatalogueVersion(models.Model):
    """One row whose ``token`` the database itself changes (triggers) on every write to the tables the
    public search reads: activities, their planned dates, places and organisations. The search index of
    each server process is valid for one token (kwaliteit.services.search_index); any write, through the
    services, a bulk update, the admin or plain SQL, makes the next search build it again.
    The triggers are (re)made after every migrate (kwaliteit.changes.install)."""

    token = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("versie van de catalogus")
        verbose_name_plural = _("versies van de catalogus")

    def __str__(self):
        return f"{self.token}"
