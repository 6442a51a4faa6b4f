"""Weten: survey waves and their (pseudonymous) respondents, targets, and national reference figures.

Respondent rows keep only what the estimates and the factor analysis need: the area, age, sex,
weight, design stratum, the *scores* of the scales (not the item answers) and the factors. No
names, no addresses, no respondent numbers of the source beyond the pseudonymous id used to find
duplicates. Nobody sees rows: every screen and export shows suppressed aggregates only.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from samen.core.models import Buurt, Gemeente, User, Wijk


class Source(models.TextChoices):
    HILVERSUM_MONITOR = "hilversum_monitor", _("Hilversum Monitor")
    GGD_GEZONDHEIDSMONITOR = "ggd_gezondheidsmonitor", _("GGD Gezondheidsmonitor")
    BURGERPEILING = "burgerpeiling", _("Burgerpeiling")


class Wave(models.Model):
    """A named wave of a survey source in a year (e.g. Hilversum Monitor 2019)."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="waves")
    source = models.CharField(_("bron"), max_length=30, choices=Source.choices)
    year = models.PositiveIntegerField(_("jaar"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    name = models.CharField(_("naam"), max_length=150)
    has_strata = models.BooleanField(_("gestratificeerd ontwerp"), default=False)
    file_name = models.CharField(_("bestand"), max_length=255, blank=True)
    mapping = models.TextField(_("koppelbestand"), blank=True,
                               help_text=_("Het koppelbestand (YAML) van de laatste import van deze meting."))
    respondent_count = models.PositiveIntegerField(_("aantal respondenten"), default=0)
    imported_at = models.DateTimeField(_("ingelezen op"), auto_now=True)
    imported_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("meting")
        verbose_name_plural = _("metingen")
        ordering = ["source", "year"]
        constraints = [models.UniqueConstraint(fields=["gemeente", "source", "year"], name="wave_unique_year")]

    def __str__(self):
        return self.name


class Sex(models.TextChoices):
    MAN = "man", _("man")
    VROUW = "vrouw", _("vrouw")
    ANDERS = "anders", _("anders")


class Respondent(models.Model):
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="respondents")
    respondent_id = models.CharField(max_length=40)
    wijk = models.ForeignKey(Wijk, on_delete=models.PROTECT, related_name="+")
    buurt = models.ForeignKey(Buurt, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=6, choices=Sex.choices, blank=True)
    weight = models.FloatField()
    stratum = models.CharField(max_length=40, blank=True)
    # Scores (None = missing under the scale's own rule, never 0).
    djg_total = models.PositiveSmallIntegerField(null=True)
    djg_emotional = models.PositiveSmallIntegerField(null=True)
    djg_social = models.PositiveSmallIntegerField(null=True)
    djg_items = models.PositiveSmallIntegerField(default=11, help_text="11 or 6: which DJG version was asked")
    lonely_often = models.BooleanField(null=True)
    enough_contacts = models.BooleanField(null=True)
    # Factors (the "dwarsverbanden"); blank/None where the wave did not ask.
    marital_status = models.CharField(max_length=20, blank=True)
    living_alone = models.BooleanField(null=True)
    health = models.CharField(max_length=20, blank=True)
    income = models.CharField(max_length=20, blank=True)
    education = models.CharField(max_length=20, blank=True)
    migration_background = models.BooleanField(null=True)
    informal_carer = models.BooleanField(null=True)
    gemeente_path = "wave__gemeente"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["wave", "respondent_id"], name="respondent_unique_id")]
        indexes = [models.Index(fields=["wave", "wijk"])]

    def __str__(self):
        return f"{self.wave_id}:{self.respondent_id}"


class Indicator(models.TextChoices):
    LONELY = "lonely", _("eenzaam (De Jong Gierveld 3+)")
    SEVERELY_LONELY = "severely_lonely", _("ernstig eenzaam (De Jong Gierveld 9+)")
    EMOTIONALLY_LONELY = "emotionally_lonely", _("emotioneel eenzaam")
    SOCIALLY_LONELY = "socially_lonely", _("sociaal eenzaam")
    LONELY_OFTEN = "lonely_often", _("voelt zich vaak of heel vaak eenzaam (DIN)")
    ENOUGH_CONTACTS = "enough_contacts", _("heeft voldoende contacten (DIN)")


class Target(models.Model):
    """A policy target: e.g. 'hoge eenzaamheidsscore' below 40% (seed 003), from the nulmeting 2016."""

    class Direction(models.TextChoices):
        BELOW = "below", _("onder")
        ABOVE = "above", _("boven")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="targets")
    indicator = models.CharField(_("indicator"), max_length=30, choices=Indicator.choices)
    wijk = models.ForeignKey(Wijk, on_delete=models.PROTECT, null=True, blank=True, related_name="targets",
                             help_text=_("Leeg: de hele gemeente."))
    baseline_year = models.PositiveIntegerField(_("nulmeting"), default=2016)
    target_value = models.FloatField(_("streefwaarde (fractie)"), validators=[MinValueValidator(0),
                                                                          MaxValueValidator(1)])
    direction = models.CharField(_("richting"), max_length=5, choices=Direction.choices, default=Direction.BELOW)
    target_year = models.PositiveIntegerField(_("streefjaar"), default=2030)
    source = models.CharField(_("bron"), max_length=30, choices=Source.choices, default=Source.HILVERSUM_MONITOR)
    description = models.CharField(_("omschrijving"), max_length=200, blank=True)
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("doelstelling")
        verbose_name_plural = _("doelstellingen")
        constraints = [models.UniqueConstraint(fields=["gemeente", "indicator", "wijk", "source"],
                                               name="target_unique")]

    def __str__(self):
        return f"{self.get_indicator_display()} {self.get_direction_display()} {self.target_value:.0%}"


class ReferenceFigure(models.Model):
    """Open data (CBS StatLine 50120NED 'Gezondheid per wijk en buurt'): national and regional figures.

    Public data, not tied to one municipality.
    """

    table = models.CharField(max_length=20)
    region_code = models.CharField(max_length=12, db_index=True)
    region_name = models.CharField(max_length=120)
    period = models.CharField(max_length=12)
    age_group = models.CharField(max_length=40, blank=True)
    indicator = models.CharField(max_length=30, choices=Indicator.choices)
    value = models.FloatField(null=True, help_text="fraction 0-1; None where CBS publishes no figure")
    source_column = models.CharField(max_length=120)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["table", "region_code", "period", "age_group", "indicator"],
                                               name="referencefigure_unique")]

    def __str__(self):
        return f"{self.region_code} {self.period} {self.indicator}"
