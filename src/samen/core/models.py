"""The core records: municipality, geography, organisations, users, residents and the access log.

Every municipal record belongs to a Gemeente, directly or through its wijk; ``gemeente_path`` on
each model names the lookup that policy.py uses to keep one municipality's users out of another's
data.
"""

from __future__ import annotations

import re

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from samen.core.roles import Role
from samen.core.validators import validate_dutch_phone

POSTCODE_RE = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")
postcode_validator = RegexValidator(POSTCODE_RE, _("Een postcode bestaat uit vier cijfers en twee letters."))


def normalise_postcode(value: str) -> str:
    """'1211 ab' -> '1211AB' (validation happens elsewhere)."""
    return re.sub(r"\s+", "", value or "").upper()


class AccessibilityStatus(models.TextChoices):
    """The compliance statuses of the Dutch model statement (digitoegankelijk.nl)."""

    A = "A", _("A: voldoet volledig")
    B = "B", _("B: voldoet gedeeltelijk")
    C = "C", _("C: eerste maatregelen genomen")
    D = "D", _("D: eerste maatregelen nog niet genomen")
    E = "E", _("E: voldoet niet")


class Gemeente(models.Model):
    """A municipality. Its settings are the per-municipality configuration the beheerder edits."""

    code = models.CharField(_("CBS-code"), max_length=6, unique=True,
                            validators=[RegexValidator(r"^GM[0-9]{4}$", _("Een gemeentecode is GM en vier cijfers."))])
    name = models.CharField(_("naam"), max_length=100)
    min_cell_size = models.PositiveIntegerField(
        _("minimum aantal respondenten per cel"), default=50, validators=[MinValueValidator(10)],
        help_text=_("Cijfers over minder respondenten worden nergens getoond."),
    )
    min_effective_n = models.PositiveIntegerField(
        _("minimum effectief aantal respondenten per cel"), default=30, validators=[MinValueValidator(10)],
        help_text=_("Cijfers waarvan de gewogen respondenten samen minder waard zijn dan zoveel ongewogen "
                    "respondenten (Kish) worden nergens getoond."),
    )
    ci_method = models.CharField(
        _("betrouwbaarheidsinterval van de monitor"), max_length=20, default="korn-graubard",
        choices=[("korn-graubard", _("Korn-Graubard (Clopper-Pearson met de effectieve steekproefomvang)")),
                 ("logit", _("logit")), ("wald", _("Wald (afgekapt op 0% en 100%)"))],
        help_text=_("Hoe het 95%-betrouwbaarheidsinterval van een gewogen aandeel wordt berekend."),
    )
    triage_working_days = models.PositiveIntegerField(
        _("termijn triage (werkdagen)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    catalogue_stale_months = models.PositiveIntegerField(
        _("activiteit verouderd na (maanden)"), default=6, validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("Niet door de aanbieder bevestigd: gemarkeerd, en de aanbieder krijgt een herinnering."),
    )
    catalogue_hide_months = models.PositiveIntegerField(
        _("activiteit van de site na (maanden)"), default=9, validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text=_("Niet door de aanbieder bevestigd: niet meer op de publieke site."),
    )
    province = models.CharField(
        _("provincie"), max_length=40, blank=True,
        help_text=_("De provincie, zoals in een adres (bijvoorbeeld Noord-Holland); staat in de open data."),
    )
    public_host = models.CharField(
        _("adres van de publieke site"), max_length=253, blank=True,
        validators=[RegexValidator(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$",
                                   _("Alleen een hostnaam in kleine letters, zoals samen.hilversum.nl."))],
        help_text=_("De hostnaam waarop inwoners de publieke site van deze gemeente bereiken, zoals "
                    "samen.hilversum.nl. Leeg: de site op het standaardadres."),
    )
    # The public site's footer and statements (core.views.pages: privacy, toegankelijkheid), the phone
    # number for residents without internet (also on the rate-limit page, the A4 and the 75+ letters).
    logo_url = models.URLField(_("adres van het logo"), blank=True,
                               help_text=_("Een afbeelding (https), bijvoorbeeld het logo op de site van de gemeente."))
    contact_phone = models.CharField(
        _("telefoonnummer voor inwoners"), max_length=30, blank=True, validators=[validate_dutch_phone],
        help_text=_("Voor inwoners zonder internet; staat onder elke publieke pagina, op de A4 en in de brieven."))
    contact_hours = models.CharField(_("bereikbaar"), max_length=100, blank=True,
                                     help_text=_("Bijvoorbeeld: maandag tot en met vrijdag van 9.00 tot 17.00 uur."))
    contact_email = models.EmailField(_("e-mailadres voor inwoners"), blank=True)
    contact_address = models.TextField(_("bezoek- en postadres"), blank=True, max_length=500)
    privacy_statement = models.TextField(
        _("privacyverklaring"), blank=True, max_length=20000,
        help_text=_("Wat de gemeente met de gegevens van inwoners doet. Een witregel begint een nieuwe alinea."))
    accessibility_status = models.CharField(
        _("nalevingsstatus toegankelijkheid"), max_length=1, blank=True, choices=AccessibilityStatus.choices)
    accessibility_date = models.DateField(_("datum toegankelijkheidsverklaring"), null=True, blank=True)
    accessibility_scope = models.TextField(
        _("waarvoor de verklaring geldt"), blank=True, max_length=1000,
        help_text=_("De sites en onderdelen, bijvoorbeeld: samen.hilversum.nl, de publieke site van Samen."))
    accessibility_notes = models.TextField(
        _("onderzoek en bekende problemen"), blank=True, max_length=5000,
        help_text=_("Hoe de toegankelijkheid is onderzocht en wat nog niet voldoet, met de planning."))
    gemeente_path = "self"

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]
        constraints = [models.CheckConstraint(
            condition=models.Q(catalogue_hide_months__gt=models.F("catalogue_stale_months")),
            name="gemeente_hide_after_stale"),
            models.UniqueConstraint(fields=["public_host"], condition=~models.Q(public_host=""),
                                    name="gemeente_unique_public_host")]

    def __str__(self):
        return self.name


class Wijk(models.Model):
    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="wijken")
    code = models.CharField(_("CBS-wijkcode"), max_length=8, unique=True,
                            validators=[RegexValidator(r"^WK[0-9]{6}$", _("Een wijkcode is WK en zes cijfers."))])
    official_name = models.CharField(_("officiële naam (CBS)"), max_length=100)
    policy_name = models.CharField(_("naam in het beleid"), max_length=100, blank=True)
    boundary = models.JSONField(_("grens (GeoJSON-geometrie, WGS84)"), null=True, blank=True)
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")
        ordering = ["code"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """Policy name with the official name beside it where they differ: 'Noord-West (Noordwest)'."""
        if self.policy_name and self.policy_name != self.official_name:
            return f"{self.policy_name} ({self.official_name})"
        return self.official_name


class Buurt(models.Model):
    wijk = models.ForeignKey(Wijk, on_delete=models.PROTECT, related_name="buurten")
    code = models.CharField(_("CBS-buurtcode"), max_length=10, unique=True,
                            validators=[RegexValidator(r"^BU[0-9]{8}$", _("Een buurtcode is BU en acht cijfers."))])
    name = models.CharField(_("naam"), max_length=100)
    gemeente_path = "wijk__gemeente"

    class Meta:
        verbose_name = _("buurt")
        verbose_name_plural = _("buurten")
        ordering = ["code"]

    def __str__(self):
        return self.name


class PostcodeRange(models.Model):
    """PC6 plus a house-number range that lies in one buurt. Imported from CSV (core.services.geography)."""

    class Parity(models.TextChoices):
        ALL = "all", _("alle huisnummers")
        EVEN = "even", _("even huisnummers")
        ODD = "odd", _("oneven huisnummers")

    buurt = models.ForeignKey(Buurt, on_delete=models.CASCADE, related_name="postcodes")
    postcode = models.CharField(_("postcode"), max_length=6, validators=[postcode_validator], db_index=True)
    number_from = models.PositiveIntegerField(_("huisnummer van"), validators=[MinValueValidator(1)])
    number_to = models.PositiveIntegerField(_("huisnummer tot en met"), validators=[MinValueValidator(1)])
    parity = models.CharField(_("even/oneven"), max_length=4, choices=Parity.choices, default=Parity.ALL)
    street = models.CharField(_("straat"), max_length=120, blank=True)
    gemeente_path = "buurt__wijk__gemeente"

    class Meta:
        verbose_name = _("postcodereeks")
        verbose_name_plural = _("postcodereeksen")
        ordering = ["postcode", "number_from"]
        constraints = [
            models.CheckConstraint(condition=models.Q(number_to__gte=models.F("number_from")),
                                   name="postcoderange_to_after_from"),
            models.UniqueConstraint(fields=["postcode", "number_from", "parity"], name="postcoderange_unique_start"),
        ]

    def __str__(self):
        return f"{self.postcode} {self.number_from}-{self.number_to}"

    def contains(self, number: int) -> bool:
        if not self.number_from <= number <= self.number_to:
            return False
        if self.parity == self.Parity.EVEN:
            return number % 2 == 0
        if self.parity == self.Parity.ODD:
            return number % 2 == 1
        return True


class Organisation(models.Model):
    class Type(models.TextChoices):
        WELZIJN = "welzijn", _("welzijn")
        ZORG = "zorg", _("zorg")
        HUISARTS = "huisarts", _("huisarts")
        GEMEENTE = "gemeente", _("gemeente")
        POLITIE = "politie", _("politie")
        WONINGCORPORATIE = "woningcorporatie", _("woningcorporatie")
        KERK = "kerk", _("kerk")
        VERENIGING = "vereniging", _("vereniging")
        ONDERNEMER = "ondernemer", _("ondernemer")
        VRIJWILLIGERSORGANISATIE = "vrijwilligersorganisatie", _("vrijwilligersorganisatie")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="organisations")
    name = models.CharField(_("naam"), max_length=150)
    type = models.CharField(_("soort"), max_length=30, choices=Type.choices)
    description = models.TextField(_("omschrijving"), blank=True)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["gemeente", "name"], name="organisation_unique_name")]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person who logs in. Scoped to one municipality; a role; where it applies wijken and an organisation."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="users", null=True, blank=True)
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="users",
                                     null=True, blank=True, verbose_name=_("organisatie"))
    wijken = models.ManyToManyField(Wijk, blank=True, related_name="users", verbose_name=_("wijken"))
    # Set when the beheerder gives a one-time password; core.middleware sends the user to change it first.
    must_change_password = models.BooleanField(_("moet wachtwoord wijzigen"), default=False)
    function = models.CharField(_("functie"), max_length=100, blank=True,
                                help_text=_("Bijvoorbeeld wijkverpleegkundige, huisarts, buurtcoördinator."))
    gemeente_path = "gemeente"

    objects = UserManager()

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["username"]

    def clean(self):
        super().clean()
        if self.role and not self.gemeente_id:
            raise ValidationError({"gemeente": _("Een gebruiker met een rol hoort bij een gemeente.")})
        if self.organisation_id and self.gemeente_id and self.organisation.gemeente_id != self.gemeente_id:
            raise ValidationError({"organisation": _("De organisatie hoort bij een andere gemeente.")})


class Resident(models.Model):
    """An inwoner about whom the approach keeps personal data (signals, trajectories, visits refer here).

    Least data: a name or initials, an address or only a postcode, a birth year (not a date) and
    contact details only where the resident gave them. Never a BSN. Every read and write goes
    through policy.visible() and core.services.residents, which write the access log.
    """

    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="residents")
    name = models.CharField(_("naam"), max_length=150, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, validators=[postcode_validator], blank=True)
    house_number = models.PositiveIntegerField(_("huisnummer"), null=True, blank=True)
    house_number_addition = models.CharField(_("toevoeging"), max_length=10, blank=True)
    buurt = models.ForeignKey(Buurt, on_delete=models.PROTECT, related_name="residents", null=True, blank=True)
    birth_year = models.PositiveIntegerField(_("geboortejaar"), null=True, blank=True,
                                             validators=[MinValueValidator(1900), MaxValueValidator(2100)])
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("inwoner")
        verbose_name_plural = _("inwoners")
        ordering = ["-created_at"]
        # Signals find the same person again by address: without this every signal scans all residents.
        indexes = [models.Index(fields=["gemeente", "postcode", "house_number"], name="resident_address_idx")]

    def __str__(self):
        # Used in lists the policy already allowed; never in logs.
        return self.name or _("Inwoner %(id)s") % {"id": self.pk}

    @property
    def wijk(self):
        return self.buurt.wijk if self.buurt_id else None


class AccessAction(models.TextChoices):
    VIEW = "view", _("bekeken")
    CREATE = "create", _("aangemaakt")
    CHANGE = "change", _("gewijzigd")
    EXPORT = "export", _("geëxporteerd")
    DELETE = "delete", _("verwijderd")


class Purpose(models.TextChoices):
    """Why personal data was accessed (AVG purpose limitation)."""

    ONDERSTEUNING = "ondersteuning", _("ondersteuning van de inwoner")
    TRIAGE = "triage", _("triage in het zorgnetwerk")
    HUISBEZOEK = "huisbezoek", _("huisbezoek 75+")
    REGIE = "regie", _("regie en caseload")
    VERANTWOORDING = "verantwoording", _("verantwoording en controle")
    INZAGEVERZOEK = "inzageverzoek", _("verzoek van de inwoner (inzage, correctie, verwijdering)")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The access log is append-only: entries cannot be changed.")

    def delete(self):
        raise PermissionError("The access log is append-only: entries cannot be deleted.")


class AccessLogEntry(models.Model):
    """Who did what with which resident record, when and why. Never holds the personal data itself."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("wie"))
    actor_label = models.CharField(_("wie (omschrijving)"), max_length=150,
                                   help_text=_("Gebruikersnaam, of het kanaal bij een anoniem of systeemverzoek."))
    action = models.CharField(_("handeling"), max_length=10, choices=AccessAction.choices)
    record_type = models.CharField(_("soort gegeven"), max_length=60)
    record_id = models.CharField(_("gegeven-id"), max_length=40, db_index=True)
    purpose = models.CharField(_("doel"), max_length=20, choices=Purpose.choices)
    route = models.CharField(_("via"), max_length=100, blank=True,
                             help_text=_("Naam van het scherm of API-eindpunt, zonder parameters."))
    gemeente_path = "gemeente"

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("regel toegangslog")
        verbose_name_plural = _("toegangslog")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.record_type}#{self.record_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The access log is append-only: entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log is append-only: entries cannot be deleted.")


class PendingImport(models.Model):
    """An uploaded file that has been read and checked but not applied yet (preview and confirm).

    The parsed rows wait here, for the user who uploaded them only, until they confirm or the token
    expires. ``fingerprint`` is a hash of the data the import would replace, taken at upload: confirming
    is refused when the data changed in between, so what the preview showed is what happens.
    """

    token = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=40)  # the import's name, e.g. "register", "postcodes", "catalogue"
    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="+")
    payload = models.JSONField()
    summary = models.JSONField(default=dict)
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("import in afwachting")
        verbose_name_plural = _("imports in afwachting")

    def __str__(self):
        return f"{self.kind} by {self.user_id} until {self.expires_at:%Y-%m-%d %H:%M}"

# --- the outbox, the job runner, the rate counters and the cache versions ---------------------------------
# Shared mechanisms every building block uses; they name no building block (a message's "about" is an
# app label, a model name and an id).

class OutboxMessage(models.Model):
    """One e-mail Samen sends, written in the transaction of what caused it (samen.core.outbox) and sent by the
    ``outbox`` job. A rolled-back change leaves no message; a sent message stays as the record of what was sent.
    Subject and body carry no personal data of residents: they say that something needs attention and link
    to Samen."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    recipient = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                  help_text=_("Leeg bij een adres zonder account."))
    address = models.EmailField(_("adres"), max_length=254)
    kind = models.CharField(_("soort"), max_length=60, help_text=_("Bijvoorbeeld 'vinden.signal_received'."))
    about_type = models.CharField(_("over (soort)"), max_length=60, blank=True,
                                  help_text=_("App en model, bijvoorbeeld 'vinden.signal'."))
    about_id = models.BigIntegerField(_("over (id)"), null=True, blank=True)
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("tekst"))
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("volgende poging"), null=True, blank=True,
                                           help_text=_("Leeg wanneer er niets meer te proberen is."))
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    sent_at = models.DateTimeField(_("verstuurd"), null=True, blank=True)
    last_error = models.CharField(_("laatste fout"), max_length=500, blank=True)
    gemeente_path = "gemeente"

    class Meta:
        verbose_name = _("e-mailbericht")
        verbose_name_plural = _("e-mailberichten")
        ordering = ["id"]
        indexes = [models.Index(fields=["next_attempt_at", "id"], condition=models.Q(next_attempt_at__isnull=False),
                                name="core_outbox_due"),
                   models.Index(fields=["about_type", "about_id"], name="core_outbox_about")]

    def __str__(self):
        return f"{self.kind} -> {self.recipient_id or self.address}"


class JobLease(models.Model):
    """One row per registered job: who holds it now (until when) and which due slot was last taken. A process
    takes a job with one conditional UPDATE (samen.core.jobs), so two processes never run it at once."""

    name = models.CharField(max_length=100, primary_key=True)
    holder = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_slot = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("taak")
        verbose_name_plural = _("taken")

    def __str__(self):
        return self.name


class JobRun(models.Model):
    """One run of a job: when, where, how it ended and what it counted."""

    job = models.CharField(_("taak"), max_length=100)
    slot = models.DateTimeField(_("moment waarvoor"), null=True, blank=True,
                                help_text=_("Leeg bij een run met de hand."))
    host = models.CharField(_("proces"), max_length=100)
    started_at = models.DateTimeField(_("begonnen"))
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    ok = models.BooleanField(_("gelukt"), null=True)
    result = models.JSONField(_("uitkomst"), default=dict, blank=True)
    error = models.TextField(_("fout"), blank=True)

    class Meta:
        verbose_name = _("run van een taak")
        verbose_name_plural = _("runs van taken")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["job", "-started_at"], name="core_jobrun_last")]

    def __str__(self):
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M}"


class RateCount(models.Model):
    """How many requests one client made in one window of one rate limit (samen.core.ratelimit). Counted with
    one atomic upsert per request, so concurrent requests never lose an increment."""

    key = models.CharField(max_length=250, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}={self.count}"


class CacheVersion(models.Model):
    """A version token per named cache (for example vinden's routes): every process reads it from the database,
    so a change made through one server invalidates the per-process caches of every server."""

    name = models.CharField(max_length=100, primary_key=True)
    token = models.CharField(max_length=32)

    def __str__(self):
        return f"{self.name}={self.token}"
