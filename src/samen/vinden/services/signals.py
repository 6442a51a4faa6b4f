"""The one write path for signals: intake from every channel, routing, duplicate linking and triage.

E-mails (to the network, the assigned worker, the worker who already has the person) are written to the
outbox (``core.OutboxMessage``) in the same transaction and sent by the ``outbox`` job (``samen jobs run``). Every
touch of the resident's record writes the access log.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samen.core import accesslog, events, policy
from samen.core.models import AccessAction, Gemeente, Organisation, Purpose, Resident, User
from samen.core.services.geography import InvalidPostcode, clean_postcode
from samen.samenwerken.models import Zorgnetwerk
from samen.vinden import calendar, checklist, matching, notifications, routes, workflow
from samen.vinden.models import MAX_TEXT, AgeGroup, Consent, IdempotencyRecord, Signal, SignalEvent
from samen.vinden.workflow import Status

ACUTE_GUIDANCE = {
    "title": gettext_lazy("Is er direct gevaar? Dan is dit geen signaal."),
    "steps": [
        gettext_lazy("Bij direct levensgevaar: bel 112."),
        gettext_lazy("Denkt iemand aan zelfdoding? Bel 113 Zelfmoordpreventie, gratis: 0800-0113 (of 113)."),
        gettext_lazy("Voor dringende zorgen over gezondheid: bel de huisarts (buiten kantoortijd de huisartsenpost)."),
    ],
}
FIELDS = ("name", "postcode", "house_number", "house_number_addition", "birth_year", "age_group", "phone", "email",
          "observations", "description", "consent")


@dataclass
class Submission:
    signal: Signal
    created: bool


def acute_guidance() -> dict:
    return {"title": str(ACUTE_GUIDANCE["title"]), "steps": [str(step) for step in ACUTE_GUIDANCE["steps"]]}


def clean(data: dict) -> dict:
    """Validate a signal's fields; a ValidationError names every bad field. Unknown fields are refused."""
    errors = {}
    unknown = sorted(set(data) - set(FIELDS))
    for name in unknown:
        errors[name] = [_("Dit veld bestaat niet.")]
    out = {name: data.get(name) for name in FIELDS}
    for name in ("name", "house_number_addition", "phone", "email", "description"):
        out[name] = str(out[name] or "").strip()
    if len(out["description"]) > MAX_TEXT:
        errors["description"] = [_("De toelichting is te lang: hoogstens %(n)s tekens.") % {"n": MAX_TEXT}]
    if len(out["name"]) > 150:
        errors["name"] = [_("De naam is te lang.")]
    if out["postcode"]:
        try:
            out["postcode"] = clean_postcode(str(out["postcode"]))
        except InvalidPostcode as exc:
            errors["postcode"] = [str(exc)]
    else:
        out["postcode"] = ""
    if isinstance(out["house_number"], str) and out["house_number"].strip():  # '12a', '12-2', '12 bis'
        from samen.core.validators import split_house_number

        try:
            number, addition = split_house_number(out["house_number"])
        except ValidationError as exc:
            errors["house_number"] = exc.messages
            number, addition = None, ""
        out["house_number"] = number
        out["house_number_addition"] = out["house_number_addition"] or addition
    for name, low, high in (("house_number", 1, 99999), ("birth_year", 1900, timezone.localdate().year)):
        value = out[name]
        if value in (None, ""):
            out[name] = None
            continue
        try:
            out[name] = int(value)
            if not low <= out[name] <= high:
                raise ValueError
        except (TypeError, ValueError):
            errors[name] = [_("Vul een heel getal in van %(low)s tot %(high)s.") % {"low": low, "high": high}]
    observations = out["observations"] or []
    if isinstance(observations, str):
        observations = [observations]
    if not isinstance(observations, list):
        errors["observations"] = [_("Geef een lijst met codes.")]
        observations = []
    bad = checklist.unknown_codes(observations)
    if bad:
        errors["observations"] = [_("Onbekende code(s): %(codes)s.") % {"codes": ", ".join(map(str, bad))}]
    out["observations"] = list(dict.fromkeys(observations))
    out["age_group"] = out["age_group"] or ""
    if out["age_group"] not in AgeGroup.values:
        errors["age_group"] = [_("Kies een van: %(values)s.") % {"values": ", ".join(v for v in AgeGroup.values if v)}]
    out["consent"] = out["consent"] or Consent.UNKNOWN
    if out["consent"] not in Consent.values:
        errors["consent"] = [_("Kies yes, no of unknown.")]
    if out["email"]:
        from django.core.validators import validate_email

        try:
            validate_email(out["email"])
        except ValidationError:
            errors["email"] = [_("Dit is geen geldig e-mailadres.")]
    if not out["description"] and not out["observations"]:
        errors["description"] = [_("Beschrijf wat u opviel, of kies minstens één signaal.")]
    if errors:
        raise ValidationError(errors)
    return out


def _place(gemeente: Gemeente, data: dict):
    """(buurt, wijk, network) for the address; (None, None, None) for the central queue. Cached briefly per
    process; a change to the postcode table or the networks is seen at once (samen.vinden.routes)."""
    return routes.place(gemeente, data["postcode"], data["house_number"])


def _person(data: dict) -> matching.Person:
    return matching.Person(data["postcode"], data["house_number"], data["house_number_addition"], data["name"],
                           data["birth_year"])


def _find_resident(gemeente: Gemeente, data: dict) -> Resident | None:
    """An existing record of the same person (vinden.matching). Without a house number only records
    without one are candidates: the same "somewhere in 1211AB" (nobody named, or the same name)."""
    if not data["postcode"]:
        return None
    candidates = Resident.objects.filter(gemeente=gemeente, postcode=data["postcode"],
                                         house_number=data["house_number"]).order_by("pk")
    person = _person(data)
    for resident in candidates:
        if matching.same_person(person, matching.Person(resident.postcode, resident.house_number,
                                                        resident.house_number_addition, resident.name,
                                                        resident.birth_year)):
            return resident
    return None


RESIDENT_FIELDS = ("name", "postcode", "house_number", "house_number_addition", "birth_year", "phone", "email")
# What a report may bring that an existing record does not say; the worker confirms it (take_over_contact).
CONTACT_FIELDS = ("name", "birth_year", "phone", "email")


def _resident_for(gemeente, data, buurt) -> tuple[Resident | None, bool, dict]:
    """The resident the signal is about, whether the record is new, and what the report says that differs
    from an existing record.

    A report never changes an existing record (issue 11): a public form or an organisation's key could
    otherwise write anyone's phone number into a resident's record. A new record keeps only what the form
    asked for; an anonymous worry about an address keeps only the address."""
    personal = any(data[k] for k in ("name", "postcode", "phone", "email"))
    if not personal:
        return None, False, {}
    resident = _find_resident(gemeente, data)
    if resident is not None:
        return resident, False, reported_differences(resident, data)
    resident = Resident(gemeente=gemeente, buurt=buurt)
    for name in RESIDENT_FIELDS:
        if data[name] not in (None, ""):
            setattr(resident, name, data[name])
    resident.save()
    return resident, True, {}


def reported_differences(resident: Resident, data: dict) -> dict:
    """The contact details of a report that the record lacks or has otherwise (a name only where the record
    has none: matching is tolerant on spelling)."""
    out = {}
    for name in CONTACT_FIELDS:
        value, known = data.get(name), getattr(resident, name)
        if value in (None, "") or value == known or (name == "name" and known):
            continue
        out[name] = value
    return out


def _open_signal_for(resident: Resident | None, exclude: int | None = None) -> Signal | None:
    if resident is None:
        return None
    return (Signal.objects.filter(resident=resident, status__in=workflow.OPEN).exclude(pk=exclude)
            .order_by("created_at").first())


class IdempotencyKeyReused(Exception):
    """The Idempotency-Key was used before for a different report: refused, nothing stored."""


def fingerprint(cleaned: dict) -> str:
    """The same report gives the same fingerprint, however its JSON was spelled."""
    canonical = json.dumps({**cleaned, "observations": sorted(cleaned["observations"])}, sort_keys=True,
                           default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(record: IdempotencyRecord, cleaned: dict) -> Submission:
    if record.fingerprint and record.fingerprint != fingerprint(cleaned):
        raise IdempotencyKeyReused
    return Submission(record.signal, created=False)


SAME_CONTENT_MINUTES = 30


def first_for_key(scope: str, key: str) -> Signal | None:
    """The signal an idempotency key (or a form's one-time token) already made, if any."""
    record = IdempotencyRecord.objects.filter(scope=scope, key=key).select_related("signal").first()
    return record.signal if record else None


def submit_signal(gemeente: Gemeente, *, channel: str, data: dict, reporter: User | None = None,
                  organisation: Organisation | None = None, idempotency: tuple[str, str] | None = None,
                  same_content_scope: str | None = None) -> Submission:
    """Take in a signal from any channel. ``idempotency`` = (scope, key): a retry returns the first signal; the
    same key with a different report raises IdempotencyKeyReused. ``same_content_scope`` (a public form: the
    channel and the sender's address): the same report again within SAME_CONTENT_MINUTES returns the first
    signal too, for a form sent again after going back (the browser then has a fresh token)."""
    cleaned = clean(data)
    content_key = fingerprint(cleaned) if same_content_scope else None
    if content_key:
        since = timezone.now() - datetime.timedelta(minutes=SAME_CONTENT_MINUTES)
        recent = IdempotencyRecord.objects.filter(scope=same_content_scope, key=content_key,
                                                  created_at__gte=since).select_related("signal").first()
        if recent is not None:
            return Submission(recent.signal, created=False)
    if idempotency:
        existing = IdempotencyRecord.objects.filter(scope=idempotency[0], key=idempotency[1]).select_related(
            "signal__wijk").first()
        if existing:
            return _replay(existing, cleaned)
    try:
        with transaction.atomic():
            signal = _store(gemeente, channel, cleaned, reporter, organisation)
            if content_key:
                IdempotencyRecord.objects.update_or_create(
                    scope=same_content_scope, key=content_key,
                    defaults={"signal": signal, "fingerprint": content_key, "created_at": timezone.now()})
            if idempotency:
                IdempotencyRecord.objects.create(scope=idempotency[0], key=idempotency[1], signal=signal,
                                                 fingerprint=fingerprint(cleaned))
    except IntegrityError:
        if not idempotency:
            raise
        record = IdempotencyRecord.objects.select_related("signal__wijk").get(scope=idempotency[0],
                                                                              key=idempotency[1])
        return _replay(record, cleaned)
    return Submission(signal, created=True)


def _store(gemeente, channel, data, reporter, organisation) -> Signal:
    buurt, wijk, network = _place(gemeente, data)
    resident, new_resident, reported = _resident_for(gemeente, data, buurt)
    linked = None if new_resident else _open_signal_for(resident)  # a new record has no signals yet
    signal = Signal.objects.create(
        gemeente=gemeente, channel=channel, resident=resident, age_group=data["age_group"], wijk=wijk, buurt=buurt,
        network=network, observations=data["observations"], description=data["description"],
        consent=data["consent"], reporter=reporter if getattr(reporter, "is_authenticated", False) else None,
        reporter_organisation=organisation or getattr(reporter, "organisation", None), linked_to=linked,
        reported_contact=reported,
        triage_deadline=calendar.add_working_days(timezone.localdate(), gemeente.triage_working_days))
    label = reporter.get_username() if getattr(reporter, "is_authenticated", False) else (
        organisation.name if organisation else _("anoniem"))
    SignalEvent.objects.create(signal=signal, by=signal.reporter, by_label=label[:150], to_status=Status.NEW,
                               reason=_("ontvangen via %(channel)s") % {"channel": signal.get_channel_display()})
    if new_resident:  # a match changes nothing in the record and shows nothing of it: no entry
        accesslog.record(actor=reporter, action=AccessAction.CREATE, records=[resident], purpose=Purpose.TRIAGE,
                         route=f"vinden:{channel}", channel=label)
    notifications.signal_received(signal)
    if linked is not None:
        notifications.duplicate_found(signal, linked)
    return signal


@transaction.atomic
def triage(user: User, pk: int, decision: str, *, reason: str = "", assign_to: User | None = None,
           partner: Organisation | None = None, look_again_on: datetime.date | None = None) -> Signal:
    """Record a triage decision (who, when, why) following the workflow table."""
    if not policy.can(user, "signal.triage"):
        raise PermissionDenied(_("U mag geen triagebesluiten nemen."))
    signal = policy.visible(user, Signal).select_for_update().get(pk=pk)
    reason = (reason or "").strip()
    if len(reason) > MAX_TEXT:
        raise ValidationError({"reason": [_("De reden is te lang.")]})
    if decision == workflow.Decision.SOCIAL_WORK:
        assign_to = assign_to or (user if policy.can(user, "signal.assignee") else None)
    needs = {"reason": reason, "assign_to": assign_to, "partner": partner, "look_again_on": look_again_on}
    workflow.WORKFLOW.check(signal, decision, by=user, **needs)  # says why not: state, capability, what is missing
    if decision == workflow.Decision.SOCIAL_WORK:
        worker = assign_to
        if not policy.can(worker, "signal.assignee") or worker.gemeente_id != signal.gemeente_id:
            raise ValidationError({"assign_to": [_("Kies een sociaal werker van deze gemeente.")]})
        signal.assigned_to = worker
    if decision == workflow.Decision.MAATWERK:
        if partner.gemeente_id != signal.gemeente_id:
            raise ValidationError({"partner": [_("Kies de partner die het maatwerk doet.")]})
        if look_again_on <= timezone.localdate():
            raise ValidationError({"look_again_on": [_("Kies een datum in de toekomst om opnieuw te kijken.")]})
        signal.maatwerk_partner, signal.look_again_on = partner, look_again_on
        signal.look_again_reminded_on = None  # a new date: a new reminder when it comes
    before = signal.status
    step = workflow.WORKFLOW.apply(signal, decision, by=user, **needs)
    signal.save()
    SignalEvent.objects.create(signal=signal, by=user, by_label=user.get_username(), from_status=before,
                               to_status=step.target, decision=decision, reason=reason)
    if decision == workflow.Decision.SOCIAL_WORK:
        notifications.assigned(signal)
    # After commit, for the building blocks that act on a triage (ondersteunen starts a trajectory on
    # "social_work"); vinden does not know who listens.
    events.publish(events.SIGNAL_TRIAGED, signal_id=signal.pk, gemeente_id=signal.gemeente_id,
                   decision=str(decision), status=str(signal.status), wijk_id=signal.wijk_id, actor_id=user.pk)
    return signal


def is_overdue(signal: Signal, today: datetime.date | None = None) -> bool:
    return signal.status == Status.NEW and (today or timezone.localdate()) > signal.triage_deadline


def observation_labels(codes) -> list[str]:
    return [str(checklist.CODES[code]) for code in codes if code in checklist.CODES]


def counts(gemeente: Gemeente, year: int) -> dict:
    """Signals per wijk, channel and status in a year, for the policy advisor: counts only; a count under 5
    is hidden (shown as '<5') together with whatever would give it back (core.disclosure)."""
    from django.db.models import Count

    from samen.core import disclosure
    from samen.core.models import Wijk
    from samen.vinden.models import Channel

    signals = Signal.objects.filter(gemeente=gemeente, created_at__year=year)
    total_shown = True

    def table(field, labels):
        nonlocal total_shown
        rows = [{"label": labels.get(r[field], r[field]) or _("centrale wachtrij"), "n": r["n"]}
                for r in signals.values(field).annotate(n=Count("id")).order_by(field)]
        rows, totals = disclosure.protect(rows, ["n"])
        total_shown = total_shown and totals["n"] is not None
        return rows

    wijken = {w.pk: w.display_name for w in Wijk.objects.filter(gemeente=gemeente)}
    out = {"by_wijk": table("wijk", wijken), "by_channel": table("channel", dict(Channel.choices)),
           "by_status": table("status", dict(Status.choices))}
    return {"total": signals.count() if total_shown else None, **out}


def open_counts(user) -> dict:
    """For the home page: the user's open signals, how many wait for triage and how many are overdue, and
    how many signals with a partner's maatwerk are due to be looked at again."""
    visible = policy.visible(user, Signal).filter(status__in=workflow.OPEN)
    waiting = visible.filter(status=Status.NEW)
    return {"open": visible.count(), "new": waiting.count(),
            "overdue": waiting.filter(triage_deadline__lt=timezone.localdate()).count(),
            "look_again": look_again_due(visible).count()}


def look_again_due(signals, today: datetime.date | None = None):
    """Of these signals, those with a partner's maatwerk whose date to look again has come."""
    return signals.filter(status=Status.MAATWERK, look_again_on__lte=today or timezone.localdate())


def is_look_again_due(signal: Signal, today: datetime.date | None = None) -> bool:
    return (signal.status == Status.MAATWERK and signal.look_again_on is not None
            and signal.look_again_on <= (today or timezone.localdate()))


@transaction.atomic
def route_to_wijk(user: User, pk: int, wijk) -> Signal:
    """The regisseur sends a signal from the central queue to a wijk's care network."""
    if not policy.can(user, "signal.central_queue"):
        raise PermissionDenied(_("Alleen de regisseur verdeelt de centrale wachtrij."))
    signal = policy.visible(user, Signal).select_for_update().get(pk=pk)
    if signal.wijk_id is not None:
        raise ValidationError({"wijk": [_("Dit signaal is al bij een wijk.")]})
    if wijk is None or wijk.gemeente_id != signal.gemeente_id:
        raise ValidationError({"wijk": [_("Kies een wijk van deze gemeente.")]})
    signal.wijk = wijk
    signal.network = Zorgnetwerk.objects.filter(gemeente=signal.gemeente_id, wijk=wijk).order_by("pk").first()
    signal.save(update_fields=["wijk", "network"])
    SignalEvent.objects.create(signal=signal, by=user, by_label=user.get_username(), from_status=signal.status,
                               to_status=signal.status,
                               reason=_("naar %(wijk)s gestuurd") % {"wijk": wijk.display_name})
    notifications.signal_received(signal)
    return signal


def reported_rows(signal: Signal) -> list[dict]:
    """For the signal page: what the report said next to what the record says, per field."""
    if signal.resident is None:
        return []
    return [{"field": name, "label": Resident._meta.get_field(name).verbose_name, "reported": value,
             "record": getattr(signal.resident, name)}
            for name, value in signal.reported_contact.items() if name in CONTACT_FIELDS]


@transaction.atomic
def take_over_contact(user: User, pk: int, field: str, *, route: str = "") -> Signal:
    """A worker confirms what a report said that the resident record lacks (or has otherwise) and takes it
    into the record: a change through core.services.residents, by this worker, logged as a change."""
    from samen.core.services import residents

    signal = policy.visible(user, Signal).select_for_update().get(pk=pk)  # no join: PostgreSQL locks no outer side
    if signal.resident is None or field not in signal.reported_contact:
        raise ValidationError({"take_over": [_("Er is niets over te nemen.")]})
    if not policy.can(user, "resident.change", signal.resident):
        raise PermissionDenied(_("U mag de gegevens van deze inwoner niet wijzigen."))
    residents.change_resident(user, signal.resident.pk, {field: signal.reported_contact[field]},
                              purpose=Purpose.TRIAGE, route=route or "vinden:signal_detail")
    label = str(Resident._meta.get_field(field).verbose_name)
    signal.reported_contact = {k: v for k, v in signal.reported_contact.items() if k != field}
    signal.save(update_fields=["reported_contact"])
    SignalEvent.objects.create(signal=signal, by=user, by_label=user.get_username(), from_status=signal.status,
                               to_status=signal.status,
                               reason=_("gemeld gegeven overgenomen in het inwonerrecord: %(field)s")
                               % {"field": label})
    return signal
