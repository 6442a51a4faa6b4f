"""Vinden: signals (meldingen) of loneliness from every channel, their triage history, and the API
keys of organisations that pass signals on by machine."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from samen.core.models import Buurt, Gemeente, Organisation, Resident, User, Wijk
from samen.core.states import StatusField, StatusModel
from samen.samenwerken.models import Zorgnetwerk
from samen.vinden.workflow import Decision, Status

MAX_TEXT = 5000
# A reference a resident can quote on the phone: no 0/O or 1/I, random, so it says nothing about volume.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_reference() -> str:
    import secrets

    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


class Channel(models.TextChoices):
    STAFF = "staff", _("professional")
    VOLUNTEER = "volunteer", _("vrijwilliger")
    RESIDENT_CONCERN = "resident_concern", _("inwoner: zorgen om iemand")
    RESIDENT_SELF = "resident_self", _("inwoner: wil zelf meer contact")
    ORGANISATION = "organisation", _("organisatie (koppeling)")
    HOME_VISIT = "home_visit", _("huisbezoek 75+")


class AgeGroup(models.TextChoices):
    UNKNOWN = "", _("onbekend")
    YOUTH = "16-25", _("16-25 jaar")
    ADULT = "26-64", _("26-64 jaar")
    OLDER = "65-74", _("65-74 jaar")
    ELDERLY = "75+", _("75 jaar of ouder")


class Consent(models.TextChoices):
    UNKNOWN = "unknown", _("onbekend")
    YES = "yes", _("de inwoner weet ervan en stemt in")
    NO = "no", _("de inwoner weet het niet of stemt niet in")


class Signal(StatusModel):
    """A signal about a resident (or only an address). The resident record holds the personal data."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="signals")
    channel = models.CharField(_("kanaal"), max_length=20, choices=Channel.choices)
    status = StatusField(_("stand"), max_length=12, choices=Status.choices, default=Status.NEW)  # vinden.workflow
    resident = models.ForeignKey(Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="signals")
    age_group = models.CharField(_("leeftijdsgroep"), max_length=5, choices=AgeGroup.choices, blank=True)
    wijk = models.ForeignKey(Wijk, on_delete=models.PROTECT, null=True, blank=True, related_name="signals")
    buurt = models.ForeignKey(Buurt, on_delete=models.PROTECT, null=True, blank=True, related_name="signals")
    network = models.ForeignKey(Zorgnetwerk, on_delete=models.SET_NULL, null=True, blank=True, related_name="signals",
                                verbose_name=_("zorgnetwerk"))
    observations = models.JSONField(_("wat is opgemerkt"), default=list, blank=True)
    description = models.TextField(_("toelichting"), blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    consent = models.CharField(_("toestemming"), max_length=8, choices=Consent.choices, default=Consent.UNKNOWN)
    reporter = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="reported_signals")
    reporter_organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True,
                                              related_name="reported_signals")
    linked_to = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="linked",
                                  verbose_name=_("gekoppeld aan"))
    assigned_to = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="assigned_signals", verbose_name=_("sociaal werker"))
    maatwerk_partner = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="maatwerk_signals")
    look_again_on = models.DateField(_("opnieuw bekijken op"), null=True, blank=True)
    # Set when the network was reminded that look_again_on has come (notifications.queue_look_again).
    look_again_reminded_on = models.DateField(_("herinnerd aan opnieuw bekijken op"), null=True, blank=True)
    triage_deadline = models.DateField(_("triage uiterlijk"))
    # What the report said that differs from the existing resident record it matched (phone, e-mail, ...):
    # never written into the record by the intake; a worker takes it over (signals.take_over_contact).
    reported_contact = models.JSONField(_("gemelde contactgegevens"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    reference = models.CharField(_("kenmerk"), max_length=9, default=new_reference, db_index=True,
                                 help_text=_("Het kenmerk dat de melder op de bedankpagina ziet."))
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["gemeente", "status", "wijk"])]

    def __str__(self):
        return _("Signaal %(id)s") % {"id": self.pk}


class SignalEvent(models.Model):
    """The history of a signal: intake, triage decisions, links. Appended, never changed."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    by_label = models.CharField(max_length=150)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    reason = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    gemeente_path = "signal__gemeente"

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.signal_id}: {self.from_status} -> {self.to_status}"


class ApiKey(models.Model):
    """An organisation's key for POST /api/v1/signals/. Only a hash is stored; a key can be revoked."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_keys")
    prefix = models.CharField(max_length=12, unique=True)
    hashed = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    gemeente_path = "organisation__gemeente"

    def __str__(self):
        return f"{self.organisation} {self.prefix}…"


class IdempotencyRecord(models.Model):
    """A retried POST with the same Idempotency-Key returns the first result and creates nothing new."""

    scope = models.CharField(max_length=80, help_text="api key prefix or user id")
    key = models.CharField(max_length=200)
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="+")
    # SHA-256 of the cleaned request: the same key with another body is refused (422), not dropped.
    fingerprint = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_unique")]

    def __str__(self):
        return f"{self.scope}:{self.key}"

class NotificationKind(models.TextChoices):
    """The kinds of vinden's e-mails (core.OutboxMessage.kind is "vinden." and one of these)."""

    SIGNAL_RECEIVED = "signal_received", _("nieuw signaal")
    ASSIGNED = "assigned", _("toegewezen")
    DUPLICATE_FOUND = "duplicate_found", _("gekoppeld signaal")
    LOOK_AGAIN = "look_again", _("opnieuw bekijken")


# The 75+ home visits (vroegsignalering) live in their own sub-package; their models belong to this app.
from samen.vinden.visits.models import (  # noqa: E402,F401
    DEFAULT_CAPACITY,
    MAX_WISHES,
    RegisterEntry,
    Visit,
    VisitRound,
    VisitStatus,
    VolunteerCapacity,
)
