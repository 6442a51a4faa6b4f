"""The action agenda (uitvoeringsagenda): a multi-year frame per municipality, its actions under the six
bouwstenen with trekker and uitvoering, milestones, progress notes, the indicators an action should move,
the budget per action and year with its commitments and spending, and the append-only change history.

Money is ``DecimalField(max_digits=12, decimal_places=2)``: exact euro cents, never a float."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from samen.core.models import Gemeente, Organisation, User, Wijk
from samen.core.states import StatusField, StatusModel

MONEY = {"max_digits": 12, "decimal_places": 2}


class Bouwsteen(models.TextChoices):
    """The six building blocks of seed 000 (Movisie)."""

    WETEN = "weten", _("Weten")
    VINDEN = "vinden", _("Vinden")
    ONDERSTEUNEN = "ondersteunen", _("Ondersteunen")
    KWALITEIT = "kwaliteit", _("Kwaliteit bieden")
    SAMENWERKEN = "samenwerken", _("Samenwerken")
    INFORMEREN = "informeren", _("Informeren")


class ActionStatus(models.TextChoices):
    GEPLAND = "gepland", _("gepland")
    LOOPT = "loopt", _("loopt")
    AFGEROND = "afgerond", _("afgerond")
    GESTOPT = "gestopt", _("gestopt")


class Agenda(models.Model):
    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="agendas")
    title = models.CharField(_("titel"), max_length=200)
    start_year = models.PositiveIntegerField(_("van jaar"))
    end_year = models.PositiveIntegerField(_("tot en met jaar"))
    description = models.TextField(_("omschrijving"), blank=True)
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("uitvoeringsagenda")
        verbose_name_plural = _("uitvoeringsagenda's")
        ordering = ["-start_year"]
        constraints = [models.UniqueConstraint(fields=["gemeente", "title"], name="agenda_unique_title")]

    def __str__(self):
        return self.title


class Action(StatusModel):
    """One action: wat gaan we doen, wat willen we bereiken, the trekker (lead organisation) and the
    uitvoering (who executes: as written, and the organisations where known) - two fields, never one."""

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="actions")
    bouwsteen = models.CharField(_("bouwsteen"), max_length=14, choices=Bouwsteen.choices)
    title = models.CharField(_("actie"), max_length=200)
    what = models.TextField(_("wat gaan we doen?"), max_length=5000)
    goal = models.TextField(_("wat willen we bereiken?"), max_length=5000)
    trekker = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="actions_led",
                                verbose_name=_("trekker"))
    uitvoering = models.CharField(_("uitvoering"), max_length=500)
    executors = models.ManyToManyField(Organisation, blank=True, related_name="actions_executed",
                                       verbose_name=_("uitvoerende organisaties"))
    wijk = models.ForeignKey(Wijk, on_delete=models.PROTECT, null=True, blank=True, related_name="actions",
                             verbose_name=_("wijk"), help_text=_("Leeg: de hele gemeente."))
    starts_on = models.DateField(_("begint op"))
    ends_on = models.DateField(_("eindigt op"))
    status = StatusField(_("stand"), max_length=10, choices=ActionStatus.choices,  # samenwerken.workflow
                         default=ActionStatus.GEPLAND)
    status_reason = models.CharField(_("reden"), max_length=500, blank=True)
    order = models.PositiveIntegerField(_("volgorde"), default=0)
    gemeente_path = "agenda__gemeente"

    class Meta:
        verbose_name = _("actie")
        verbose_name_plural = _("acties")
        ordering = ["agenda", "order", "pk"]

    def __str__(self):
        return self.title


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    due_on = models.DateField(_("datum"))
    title = models.CharField(_("mijlpaal"), max_length=200)
    description = models.TextField(_("omschrijving"), max_length=2000, blank=True)
    reached_on = models.DateField(_("bereikt op"), null=True, blank=True)
    gemeente_path = "action__agenda__gemeente"

    class Meta:
        verbose_name = _("mijlpaal")
        verbose_name_plural = _("mijlpalen")
        ordering = ["action", "due_on", "pk"]

    def __str__(self):
        return self.title


class ProgressNote(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    written_on = models.DateField(_("datum"))
    text = models.TextField(_("voortgang"), max_length=5000)
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    gemeente_path = "action__agenda__gemeente"

    class Meta:
        verbose_name = _("voortgangsnotitie")
        verbose_name_plural = _("voortgangsnotities")
        ordering = ["action", "-written_on", "-pk"]

    def __str__(self):
        return f"{self.action}: {self.written_on}"


class ActionIndicator(models.Model):
    """An indicator the action should move, offered by a block through ``registry.indicator_source``
    (``source`` is its key, ``code`` the indicator within it), with the baseline and the target."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicators")
    source = models.CharField(_("bron"), max_length=50)
    code = models.CharField(_("indicator"), max_length=80)
    label = models.CharField(_("naam"), max_length=200)
    baseline = models.FloatField(_("nulmeting"))
    baseline_year = models.PositiveIntegerField(_("jaar nulmeting"))
    target = models.FloatField(_("streefwaarde"))
    target_year = models.PositiveIntegerField(_("streefjaar"))
    gemeente_path = "action__agenda__gemeente"

    class Meta:
        verbose_name = _("indicator van een actie")
        verbose_name_plural = _("indicatoren van acties")
        constraints = [models.UniqueConstraint(fields=["action", "source", "code"], name="actionindicator_unique")]

    def __str__(self):
        return self.label


class BudgetYear(models.Model):
    """The budget available for the agenda in one year; a closed year takes no new lines or bookings."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="budget_years")
    year = models.PositiveIntegerField(_("jaar"))
    available = models.DecimalField(_("beschikbaar budget"), validators=[MinValueValidator(0)], **MONEY)
    closed = models.BooleanField(_("jaar afgesloten"), default=False)
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("budgetjaar")
        verbose_name_plural = _("budgetjaren")
        ordering = ["gemeente", "year"]
        constraints = [models.UniqueConstraint(fields=["gemeente", "year"], name="budgetyear_unique")]

    def __str__(self):
        return str(self.year)


class BudgetLine(models.Model):
    """Money for one action in one year from one funding source: the initial and (where changed) the
    changed budget; commitments and spending are ``BudgetEntry`` rows."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="budget_lines")
    year = models.PositiveIntegerField(_("jaar"))
    funding_source = models.CharField(_("dekking"), max_length=200)
    description = models.CharField(_("omschrijving"), max_length=300, blank=True)
    initial_amount = models.DecimalField(_("oorspronkelijk budget"), **MONEY)
    changed_amount = models.DecimalField(_("gewijzigd budget"), null=True, blank=True, **MONEY)
    gemeente_path = "action__agenda__gemeente"

    class Meta:
        verbose_name = _("budgetregel")
        verbose_name_plural = _("budgetregels")
        ordering = ["year", "action__order", "pk"]

    def __str__(self):
        return f"{self.action} {self.year}: {self.funding_source}"

    @property
    def amount(self):
        """The budget that counts now: the changed one where there is one."""
        return self.initial_amount if self.changed_amount is None else self.changed_amount


class BudgetEntry(models.Model):
    class Kind(models.TextChoices):
        COMMITMENT = "verplichting", _("verplichting")
        SPENDING = "uitgave", _("uitgave")

    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices)
    booked_on = models.DateField(_("datum"))
    amount = models.DecimalField(_("bedrag"), **MONEY)
    note = models.CharField(_("toelichting"), max_length=300)
    booked_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    gemeente_path = "line__action__agenda__gemeente"

    class Meta:
        verbose_name = _("boeking")
        verbose_name_plural = _("boekingen")
        ordering = ["line", "booked_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


class AppendOnly(Exception):
    pass


class ChangeRecord(models.Model):
    """Who changed what and when, with the old and new values: append-only (no update, no delete)."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="+")
    action = models.ForeignKey(Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes")
    subject = models.CharField(_("onderwerp"), max_length=60)  # e.g. "samenwerken.milestone"
    object_id = models.PositiveBigIntegerField(null=True)
    summary = models.CharField(_("wijziging"), max_length=300)
    diff = models.JSONField(_("verschil"), default=dict)  # {field: [old, new]}
    changed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    changed_at = models.DateTimeField(_("op"), auto_now_add=True)
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("wijziging")
        verbose_name_plural = _("wijzigingen")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return self.summary

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("A change record is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("A change record is never deleted.")
