"""Ondersteunen: the trajectory (traject) from a signal to a lasting connection.

A social worker and the resident look at what the resident can do and enjoy (the strengths profile),
find what fits (explained matching against the catalogue), go there warmly (a referral with a closed
loop, optionally with a maatje) and stay in touch (aftercare check-ins). Consent is kept per purpose as an
append-only history. Least data: the resident's personal data stays on ``core.Resident``; a trajectory
keeps only what the work and the reports need (wijk, age group and channel are copied so the reports
still count a trajectory after retention has anonymised it).

Every status changes only through ``samen.ondersteunen.workflow`` (``core.states``); every history table
here is append-only.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from samen.core.choices import ChoiceLabels
from samen.core.models import Gemeente, Organisation, Resident, User, Wijk
from samen.core.states import StatusField, StatusModel
from samen.kwaliteit.models import Activity, Intervention
from samen.ondersteunen.workflow import (
    CheckInStatus,
    ClosingReason,
    MaatjeStatus,
    ReferralStatus,
    TrajectoryStatus,
)
from samen.samenwerken.models import Zorgnetwerk
from samen.vinden.models import Signal

NOTE_MAX = 2000
SHORT_MAX = 500


# --- settings per municipality ----------------------------------------------------------------------------------
DEFAULT_AFTERCARE_DAYS = [14, 42, 91, 182]  # 2 weeks, 6 weeks, 3 months, 6 months after the first visit


def default_aftercare_days():
    return list(DEFAULT_AFTERCARE_DAYS)


def default_weights():
    from samen.ondersteunen.matching_weights import DEFAULT_WEIGHTS

    return dict(DEFAULT_WEIGHTS)


class SupportSettings(models.Model):
    """The municipality's choices for ondersteunen (the regisseur's settings screen)."""

    gemeente = models.OneToOneField(Gemeente, on_delete=models.CASCADE, related_name="support_settings")
    contact_attempts = models.PositiveSmallIntegerField(
        _("contactpogingen voor 'niet bereikt'"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)])
    contact_attempt_days = models.PositiveSmallIntegerField(
        _("op minstens zoveel verschillende dagen"), default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)])
    first_contact_working_days = models.PositiveSmallIntegerField(
        _("eerste contact binnen (werkdagen)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(30)])
    provider_nudge_working_days = models.PositiveSmallIntegerField(
        _("aanbieder herinneren na (werkdagen)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(30)])
    provider_return_working_days = models.PositiveSmallIntegerField(
        _("terug naar de sociaal werker na (werkdagen)"), default=10,
        validators=[MinValueValidator(2), MaxValueValidator(60)])
    aftercare_days = models.JSONField(_("nazorg: dagen na de eerste keer"), default=default_aftercare_days)
    caseload_max = models.PositiveSmallIntegerField(
        _("maximale caseload per sociaal werker"), default=30, validators=[MinValueValidator(1)])
    no_contact_days = models.PositiveSmallIntegerField(
        _("signaleren na zoveel dagen zonder contact"), default=30, validators=[MinValueValidator(1)])
    retention_months = models.PositiveSmallIntegerField(
        _("bewaartermijn na afsluiten (maanden)"), default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)])
    provider_link_days = models.PositiveSmallIntegerField(
        _("e-maillink voor de aanbieder geldig (dagen)"), default=14,
        validators=[MinValueValidator(1), MaxValueValidator(60)])
    weights = models.JSONField(_("gewichten van de matching"), default=default_weights)

    class Meta:
        verbose_name = _("instellingen ondersteunen")
        verbose_name_plural = _("instellingen ondersteunen")

    gemeente_path = "gemeente"

    def __str__(self):
        return str(self.gemeente)

    def clean(self):
        days = self.aftercare_days
        if (not isinstance(days, list) or not days or not all(isinstance(d, int) and 1 <= d <= 730 for d in days)
                or sorted(set(days)) != days):
            raise ValidationError({"aftercare_days": _("Geef oplopende aantallen dagen tussen 1 en 730.")})
        if self.provider_return_working_days <= self.provider_nudge_working_days:
            raise ValidationError({"provider_return_working_days": _(
                "Terug naar de sociaal werker moet later zijn dan de herinnering aan de aanbieder.")})

    @classmethod
    def for_gemeente(cls, gemeente) -> SupportSettings:
        gemeente_id = getattr(gemeente, "pk", gemeente)
        settings, _created = cls.objects.get_or_create(gemeente_id=gemeente_id)
        return settings


# --- the trajectory ----------------------------------------------------------------------------------------------
class Trajectory(StatusModel):
    """One resident's support: from the first contact to closing. One responsible worker."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="trajectories")
    resident = models.ForeignKey(Resident, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="trajectories", verbose_name=_("inwoner"))
    signal = models.ForeignKey(Signal, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="trajectories", verbose_name=_("signaal"))
    status = StatusField(_("stand"), max_length=14, choices=TrajectoryStatus.choices,
                         default=TrajectoryStatus.AANGEMELD)  # ondersteunen.workflow.TRAJECTORY
    worker = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="trajectories", verbose_name=_("sociaal werker"))
    # Copied at the start so the reports still count a trajectory once retention has anonymised it.
    wijk = models.ForeignKey(Wijk, on_delete=models.PROTECT, null=True, blank=True, related_name="trajectories")
    age_group = models.CharField(_("leeftijdsgroep"), max_length=5, blank=True)
    channel = models.CharField(_("kanaal van het signaal"), max_length=20, blank=True)
    started_at = models.DateTimeField(_("gestart"), auto_now_add=True, db_index=True)
    first_contact_due = models.DateField(_("eerste contact uiterlijk"))
    first_contact_at = models.DateTimeField(_("eerste contact"), null=True, blank=True)
    last_contact_at = models.DateTimeField(_("laatste contact"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True, db_index=True)
    closing_reason = models.CharField(_("reden van afsluiten"), max_length=14, choices=ClosingReason.choices,
                                      blank=True)
    closing_note = models.TextField(_("toelichting bij afsluiten"), blank=True,
                                    validators=[MaxLengthValidator(NOTE_MAX)])
    goal = models.TextField(_("wat de inwoner wil bereiken"), blank=True, validators=[MaxLengthValidator(NOTE_MAX)])
    reopened_count = models.PositiveSmallIntegerField(_("keren heropend"), default=0)
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["gemeente", "status", "worker"], name="trajectory_caseload_idx"),
            models.Index(fields=["gemeente", "wijk", "status"], name="trajectory_wijk_idx"),
        ]
        constraints = [
            # One trajectory per signal: a second "social work" decision does not start a second one.
            models.UniqueConstraint(fields=["signal"], condition=models.Q(signal__isnull=False),
                                    name="trajectory_one_per_signal"),
        ]

    def __str__(self):
        return _("Traject %(id)s") % {"id": self.pk}

    @property
    def is_open(self) -> bool:
        from samen.ondersteunen.workflow import TRAJECTORY_OPEN

        return self.status in TRAJECTORY_OPEN


class TrajectoryEvent(ChoiceLabels, models.Model):
    """The history of a trajectory: every transition, reassignment and consent-dependent stop. Only
    appended by the services (who, when, why); only retention blanks its reasons."""

    class Kind(models.TextChoices):
        STARTED = "started", _("gestart")
        TRANSITION = "transition", _("stap")
        REASSIGNED = "reassigned", _("andere sociaal werker")
        NOTICE = "notice", _("melding")

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    by_label = models.CharField(max_length=150)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    from_status = models.CharField(max_length=14, blank=True)
    to_status = models.CharField(max_length=14, blank=True)
    decision = models.CharField(max_length=14, blank=True)
    reason = models.TextField(blank=True, validators=[MaxLengthValidator(NOTE_MAX)])
    details = models.JSONField(default=dict, blank=True)  # ids only (from_worker, to_worker, referral, ...)
    gemeente_path = "trajectory__gemeente"

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.trajectory_id}: {self.kind} {self.from_status}->{self.to_status}"


class ContactAttempt(ChoiceLabels, models.Model):
    class Method(models.TextChoices):
        PHONE = "phone", _("telefoon")
        VISIT = "visit", _("huisbezoek")
        LETTER = "letter", _("brief")
        EMAIL = "email", _("e-mail")

    class Outcome(models.TextChoices):
        REACHED = "reached", _("bereikt")
        NO_ANSWER = "no_answer", _("geen gehoor")
        MESSAGE_LEFT = "message_left", _("bericht achtergelaten")

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="contact_attempts")
    at = models.DateTimeField(_("wanneer"), db_index=True)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    method = models.CharField(_("hoe"), max_length=10, choices=Method.choices)
    outcome = models.CharField(_("uitkomst"), max_length=14, choices=Outcome.choices)
    note = models.CharField(_("korte notitie"), max_length=SHORT_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    gemeente_path = "trajectory__gemeente"

    class Meta:
        verbose_name = _("contactpoging")
        verbose_name_plural = _("contactpogingen")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_method_display()} {self.at:%Y-%m-%d}: {self.get_outcome_display()}"


class Note(models.Model):
    """A short working note on a trajectory. Anonymised with the trajectory after the retention period."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="notes")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    text = models.TextField(_("notitie"), validators=[MaxLengthValidator(NOTE_MAX)])
    gemeente_path = "trajectory__gemeente"

    class Meta:
        verbose_name = _("notitie")
        verbose_name_plural = _("notities")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.trajectory_id} {self.at:%Y-%m-%d}"


# --- consent per purpose (append-only) --------------------------------------------------------------------------
class ConsentPurpose(models.TextChoices):
    SHARE_WITH_PROVIDER = "share_with_provider", _("contactgegevens delen met een aanbieder")
    MAATJE = "maatje", _("een maatje gaat mee")
    DISCUSS_BY_NAME = "discuss_by_name", _("met naam bespreken in het zorgnetwerk")
    FOLLOW_UP = "follow_up", _("gevraagd worden voor een vervolgmeting")


class ConsentEvent(ChoiceLabels, models.Model):
    """One moment the resident gave or withdrew consent for one purpose. The current consent is the
    latest event per purpose; nothing is ever changed or removed (except by erasure of the resident)."""

    class How(models.TextChoices):
        MONDELING = "mondeling", _("mondeling")
        TELEFONISCH = "telefonisch", _("telefonisch")
        SCHRIFTELIJK = "schriftelijk", _("schriftelijk")
        DIGITAAL = "digitaal", _("digitaal formulier")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="consent_events")
    trajectory = models.ForeignKey(Trajectory, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="consent_events")
    purpose = models.CharField(_("doel"), max_length=20, choices=ConsentPurpose.choices)
    given = models.BooleanField(_("gegeven"))
    how = models.CharField(_("hoe"), max_length=12, choices=How.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    by_label = models.CharField(max_length=150)
    note = models.CharField(_("toelichting"), max_length=SHORT_MAX, blank=True)
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["resident", "purpose", "at"], name="consent_latest_idx")]

    def __str__(self):
        return f"{self.resident_id} {self.purpose}={'ja' if self.given else 'nee'}"


# --- the strengths profile (ABCD, positieve gezondheid) ----------------------------------------------------------
class HealthDimension(models.TextChoices):
    """The six dimensions of positieve gezondheid (Huber), each scored 0-10 by the resident."""

    LICHAAMSFUNCTIES = "lichaamsfuncties", _("lichaamsfuncties")
    MENTAAL = "mentaal_welbevinden", _("mentaal welbevinden")
    ZINGEVING = "zingeving", _("zingeving")
    KWALITEIT = "kwaliteit_van_leven", _("kwaliteit van leven")
    MEEDOEN = "meedoen", _("meedoen")
    DAGELIJKS = "dagelijks_functioneren", _("dagelijks functioneren")


class Barrier(models.TextChoices):
    MOBILITY = "mobility", _("mobiliteit")
    WHEELCHAIR = "wheelchair", _("rolstoel of rollator")
    MONEY = "money", _("geld")
    LANGUAGE = "language", _("taal")
    DIGITAL = "digital", _("digitale vaardigheden")
    ANXIETY = "anxiety", _("spanning of angst")
    CARE_DUTIES = "care_duties", _("zorgtaken")
    HEARING_SIGHT = "hearing_sight", _("horen of zien")


class Profile(models.Model):
    """What the resident can do and enjoy, would like to give, and what is in the way (one per trajectory)."""

    trajectory = models.OneToOneField(Trajectory, on_delete=models.CASCADE, related_name="profile")
    good_at = models.TextField(_("waar de inwoner goed in is"), blank=True, validators=[MaxLengthValidator(NOTE_MAX)])
    enjoys = models.TextField(_("wat de inwoner graag doet"), blank=True, validators=[MaxLengthValidator(NOTE_MAX)])
    would_like_to_give = models.TextField(_("wat de inwoner wil geven"), blank=True,
                                          validators=[MaxLengthValidator(NOTE_MAX)])
    wants_to_volunteer = models.BooleanField(_("wil graag vrijwilligerswerk doen"), default=False)
    interests = models.JSONField(_("interesses"), default=list, blank=True)  # kwaliteit.vocabulary.Interest
    health = models.JSONField(_("positieve gezondheid (0-10 per dimensie)"), default=dict, blank=True)
    barriers = models.JSONField(_("wat in de weg staat"), default=list, blank=True)  # Barrier
    languages = models.JSONField(_("talen die de inwoner spreekt"), default=list, blank=True)  # vocabulary.Language
    # "<weekday 0-6>:<part of day>", e.g. "1:morning" for Tuesday morning (kwaliteit.vocabulary.PartOfDay).
    availability = models.JSONField(_("beschikbaar"), default=list, blank=True)
    loneliness_kinds = models.JSONField(_("soort eenzaamheid (zoals de sociaal werker die ziet)"), default=list,
                                        blank=True)  # vocabulary.LonelinessKind
    online_ok = models.BooleanField(_("online meedoen kan"), default=False)
    # A hard need of the matching (part "matching"): with a money barrier, only what is free of charge.
    free_only = models.BooleanField(_("alleen gratis activiteiten"), default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    gemeente_path = "trajectory__gemeente"

    class Meta:
        verbose_name = _("krachtenprofiel")
        verbose_name_plural = _("krachtenprofielen")

    def __str__(self):
        return _("Profiel bij traject %(id)s") % {"id": self.trajectory_id}


class Measurement(ChoiceLabels, models.Model):
    """A loneliness score at the start or at an aftercare check-in (the monitor's scale module scores it)."""

    class Scale(models.TextChoices):
        DJG6 = "djg6", _("De Jong Gierveld, 6 vragen")
        DJG11 = "djg11", _("De Jong Gierveld, 11 vragen")
        UCLA3 = "ucla3", _("UCLA, 3 vragen")

    class Moment(models.TextChoices):
        START = "start", _("bij de start")
        CHECKIN = "checkin", _("bij een nazorgmoment")
        OTHER = "other", _("tussendoor")

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="measurements")
    scale = models.CharField(_("schaal"), max_length=6, choices=Scale.choices, default=Scale.DJG6)
    moment = models.CharField(_("moment"), max_length=8, choices=Moment.choices)
    measured_on = models.DateField(_("datum"), db_index=True)
    answers = models.JSONField(_("antwoorden"), default=list)
    score = models.PositiveSmallIntegerField(_("score"))
    category = models.CharField(_("uitkomst"), max_length=30)  # "niet eenzaam", "matig eenzaam", ...
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    gemeente_path = "trajectory__gemeente"

    class Meta:
        verbose_name = _("meting")
        verbose_name_plural = _("metingen")
        ordering = ["measured_on", "id"]

    def __str__(self):
        return f"{self.get_scale_display()} {self.measured_on}: {self.score}"


# --- volunteers who go along (maatje) ----------------------------------------------------------------------------
class MaatjeProfile(models.Model):
    """A volunteer who is willing to go along with a resident the first time."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="maatje_profile")
    active = models.BooleanField(_("beschikbaar als maatje"), default=True)
    interests = models.JSONField(_("interesses"), default=list, blank=True)
    availability = models.JSONField(_("beschikbaar"), default=list, blank=True)  # as Profile.availability
    max_per_month = models.PositiveSmallIntegerField(_("hoogstens zoveel keer per maand"), default=4,
                                                     validators=[MinValueValidator(1)])
    gemeente_path = "user__gemeente"

    class Meta:
        verbose_name = _("maatje")
        verbose_name_plural = _("maatjes")

    def __str__(self):
        return str(self.user)


# --- the referral (warme overdracht) -----------------------------------------------------------------------------
class Referral(StatusModel):
    """A warm referral to an activity, an intervention or another organisation, with a closed loop:
    the provider answers, the first visit is recorded, and whether the resident keeps going."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("activiteit")
        INTERVENTION = "intervention", _("interventie")
        ORGANISATION = "organisation", _("andere organisatie")
        VOLUNTEERING = "volunteering", _("vrijwilligerswerk")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="referrals")
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="referrals")
    kind = models.CharField(_("soort"), max_length=14, choices=Kind.choices)
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals")
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="referrals")
    # The provider who answers: the activity's organisation, or the organisation referred to.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="referrals")
    status = StatusField(_("stand"), max_length=14, choices=ReferralStatus.choices,
                         default=ReferralStatus.VOORGESTELD)  # ondersteunen.workflow.REFERRAL
    # Why it was suggested, as the matching said it at the time ({"score":..., "fits": [...], "misses": [...]}).
    match = models.JSONField(_("waarom voorgesteld"), default=dict, blank=True)
    note_for_provider = models.TextField(_("voor de aanbieder"), blank=True, validators=[MaxLengthValidator(SHORT_MAX)])
    with_maatje = models.BooleanField(_("een maatje gaat mee"), default=False)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("aangemeld bij aanbieder op"), null=True, blank=True)
    answered_at = models.DateTimeField(_("antwoord aanbieder op"), null=True, blank=True)
    answer_reason = models.CharField(_("reden aanbieder"), max_length=SHORT_MAX, blank=True)
    nudged_at = models.DateTimeField(_("aanbieder herinnerd op"), null=True, blank=True)
    returned_at = models.DateTimeField(_("terug bij de sociaal werker op"), null=True, blank=True)
    first_visit_on = models.DateField(_("eerste keer geweest op"), null=True, blank=True)
    # Set at the six-week check-in: the local evidence counts these.
    still_going_6w = models.BooleanField(_("komt er na 6 weken nog"), null=True, blank=True)
    ended_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    end_reason = models.CharField(_("reden"), max_length=SHORT_MAX, blank=True)
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("verwijzing")
        verbose_name_plural = _("verwijzingen")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["gemeente", "status", "sent_at"], name="referral_waiting_idx"),
            models.Index(fields=["activity", "status"], name="referral_evidence_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="activity", activity__isnull=False)
                           | models.Q(kind="intervention", intervention__isnull=False)
                           | models.Q(kind__in=["organisation", "volunteering"], organisation__isnull=False)),
                name="referral_has_target"),
        ]

    def __str__(self):
        return _("Verwijzing %(id)s") % {"id": self.pk}

    @property
    def target_label(self) -> str:
        if self.activity_id:
            return self.activity.title
        if self.intervention_id:
            return self.intervention.name
        return self.organisation.name if self.organisation_id else ""


class ReferralEvent(models.Model):
    """The history of a referral: each step, with who (a user, or the provider through its link) and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    by_label = models.CharField(max_length=150)
    from_status = models.CharField(max_length=14, blank=True)
    to_status = models.CharField(max_length=14)
    decision = models.CharField(max_length=14, blank=True)
    reason = models.TextField(blank=True, validators=[MaxLengthValidator(SHORT_MAX)])
    gemeente_path = "referral__gemeente"

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.referral_id}: {self.from_status}->{self.to_status}"


class ProviderLink(models.Model):
    """A single-purpose link e-mailed to the provider so it can answer a referral without an account.
    Only a hash of the token is kept; a link expires, answers once, and every opening is logged."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="provider_links")
    token_hash = models.CharField(max_length=64, unique=True)
    address = models.EmailField(_("verstuurd aan"))
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("geldig tot"))
    opened_at = models.DateTimeField(_("eerst geopend"), null=True, blank=True)
    used_at = models.DateTimeField(_("gebruikt op"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    gemeente_path = "referral__gemeente"

    class Meta:
        verbose_name = _("link voor de aanbieder")
        verbose_name_plural = _("links voor de aanbieder")

    def __str__(self):
        return f"{self.referral_id} {self.created_at:%Y-%m-%d}"


class MaatjeVisit(StatusModel):
    """A volunteer going along the first time. The volunteer sees only first name, where and when."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="maatje_visits")
    volunteer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="maatje_visits")
    status = StatusField(_("stand"), max_length=10, choices=MaatjeStatus.choices,
                         default=MaatjeStatus.GEVRAAGD)  # ondersteunen.workflow.MAATJE
    meet_at = models.DateTimeField(_("afspraak"))
    meet_place = models.CharField(_("waar we afspreken"), max_length=200)
    went = models.BooleanField(_("samen gegaan"), null=True, blank=True)
    how_it_went = models.PositiveSmallIntegerField(_("hoe ging het (1-5)"), null=True, blank=True,
                                                   validators=[MinValueValidator(1), MaxValueValidator(5)])
    worry = models.BooleanField(_("zorg om de inwoner"), default=False)
    report_note = models.CharField(_("korte toelichting"), max_length=SHORT_MAX, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    gemeente_path = "referral__gemeente"

    class Meta:
        verbose_name = _("maatjesbezoek")
        verbose_name_plural = _("maatjesbezoeken")
        ordering = ["meet_at"]

    def __str__(self):
        return f"{self.referral_id} {self.meet_at:%Y-%m-%d}"


# --- aftercare (nazorg) ------------------------------------------------------------------------------------------
class CheckIn(StatusModel):
    """One aftercare moment, planned from the referral's first visit (the municipality's offsets)."""

    class Going(models.TextChoices):
        YES = "yes", _("ja, gaat er nog heen")
        NO = "no", _("nee, gestopt")
        SOMETIMES = "sometimes", _("soms")

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="checkins")
    referral = models.ForeignKey(Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="checkins")
    offset_days = models.PositiveSmallIntegerField(_("dagen na de eerste keer"))
    due_on = models.DateField(_("gepland op"), db_index=True)
    status = StatusField(_("stand"), max_length=10, choices=CheckInStatus.choices,
                         default=CheckInStatus.GEPLAND)  # ondersteunen.workflow.CHECKIN
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    reminded_at = models.DateTimeField(_("herinnering verstuurd"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    still_going = models.CharField(_("gaat er nog heen"), max_length=10, choices=Going.choices, blank=True)
    how_is_it = models.PositiveSmallIntegerField(_("hoe gaat het (1-5)"), null=True, blank=True,
                                                 validators=[MinValueValidator(1), MaxValueValidator(5)])
    worry = models.BooleanField(_("zorg"), default=False)
    worry_text = models.CharField(_("welke zorg"), max_length=SHORT_MAX, blank=True)
    measurement = models.OneToOneField(Measurement, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="checkin")
    gemeente_path = "trajectory__gemeente"

    class Meta:
        verbose_name = _("nazorgmoment")
        verbose_name_plural = _("nazorgmomenten")
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["referral", "offset_days"], name="checkin_unique_offset")]

    def __str__(self):
        return f"{self.trajectory_id} +{self.offset_days}d"


# --- case consultation in the care network (casusoverleg) ------------------------------------------------------
class CaseDiscussion(models.Model):
    """A trajectory on the agenda of a wijk network's meeting (keyed by network and meeting date).
    Members see a pseudonym unless the resident consented to discussion by name."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="+")
    network = models.ForeignKey(Zorgnetwerk, on_delete=models.PROTECT, related_name="case_discussions")
    meeting_date = models.DateField(_("datum van het overleg"), db_index=True)
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="case_discussions")
    by_name = models.BooleanField(_("met naam bespreken"), default=False)
    question = models.TextField(_("vraag aan het netwerk"), validators=[MaxLengthValidator(NOTE_MAX)])
    advice = models.TextField(_("advies van het netwerk"), blank=True, validators=[MaxLengthValidator(NOTE_MAX)])
    added_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    discussed_at = models.DateTimeField(null=True, blank=True)
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("casusoverleg")
        verbose_name_plural = _("casusoverleggen")
        ordering = ["meeting_date", "id"]
        constraints = [models.UniqueConstraint(fields=["network", "meeting_date", "trajectory"],
                                               name="casediscussion_once_per_meeting")]

    def __str__(self):
        return f"{self.network_id} {self.meeting_date}: {self.trajectory_id}"


class CaseAction(models.Model):
    """An action agreed in a case consultation: what, who, by when, done."""

    discussion = models.ForeignKey(CaseDiscussion, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("afspraak"), max_length=SHORT_MAX)
    owner = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="case_actions",
                              verbose_name=_("wie"))
    due_on = models.DateField(_("uiterlijk"))
    done_at = models.DateTimeField(_("gedaan op"), null=True, blank=True)
    gemeente_path = "discussion__gemeente"

    class Meta:
        verbose_name = _("afspraak uit casusoverleg")
        verbose_name_plural = _("afspraken uit casusoverleg")
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.description
