"""The one write path of the warm referral (``workflow.REFERRAL``): propose, the resident agrees, register
with the provider (consent, places, a provider link by e-mail), the provider's answer, the first visit, keeps
coming or stopped, cancel. Every step locks the referral, appends a ``ReferralEvent`` (who, when, why) and
publishes ``referral.changed`` after commit. The trajectory moves only through ``trajectories.step``.

Who acts: a user (asked of the policy through the workflow table), or a ``states.Grant``: the provider's
e-mailed link (``referral.answer``), the maatje after verifying their own visit (``referral.accompany``),
or a job / event receiver (``trajectory.system``).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core import events, outbox, policy
from samen.core.models import Organisation, User
from samen.core.states import Grant
from samen.kwaliteit.models import Activity, Intervention
from samen.ondersteunen import workflow
from samen.ondersteunen.models import ConsentPurpose, Referral, ReferralEvent, Trajectory
from samen.ondersteunen.services import consent, trajectories
from samen.ondersteunen.services.trajectories import actor_label
from samen.ondersteunen.workflow import (
    REFERRAL_WAITING_FOR_PROVIDER,
    ReferralDecision,
    ReferralStatus,
    RejectReason,
    TrajectoryDecision,
    TrajectoryStatus,
)

RD, RS = ReferralDecision, ReferralStatus
# Places taken at an activity: referrals the provider has (or may soon have) said yes to.
TAKING_A_PLACE = (RS.AANGEMELD, RS.BEVESTIGD, RS.EERSTE_KEER, RS.BLIJFT_KOMEN)
MATCH_MAX_KEYS = 20


def _user(by) -> User | None:
    return by if isinstance(by, User) else None


def lock(by, pk: int) -> Referral:
    """The referral, locked for a change, as this actor may see it (a Grant: its gemeente's)."""
    if isinstance(by, Grant):
        queryset = Referral.objects.filter(gemeente_id=by.gemeente_id) if by.gemeente_id else Referral.objects.all()
    else:
        queryset = policy.visible(by, Referral)
    return queryset.select_for_update(of=("self",)).select_related("trajectory", "activity", "organisation").get(
        pk=pk)


def _record(referral: Referral, by, before: str, decision: str, reason: str = "") -> None:
    ReferralEvent.objects.create(referral=referral, by=_user(by), by_label=actor_label(by), from_status=before,
                                 to_status=referral.status, decision=decision, reason=(reason or "")[:500])
    events.publish("referral.changed", referral_id=referral.pk, gemeente_id=referral.gemeente_id,
                   status=str(referral.status), decision=str(decision))


def _take(by, referral: Referral, decision: str, reason: str = "") -> str:
    before = referral.status
    workflow.REFERRAL.apply(referral, decision, by=by, reason=reason)
    return before


def _move_trajectory(by, referral: Referral, decision: str, *, when_in, reason: str = "") -> None:
    """Move the trajectory along with the referral, when it is in a state the step starts from. A provider or
    maatje does not see the trajectory: the step is then taken as Samen, with their label in the history."""
    trajectory = Trajectory.objects.select_for_update().get(pk=referral.trajectory_id)
    if trajectory.status not in when_in:
        return
    actor = by if isinstance(by, User) and policy.can(by, workflow.WORK, trajectory) else \
        trajectories.system(referral.gemeente_id, actor_label(by))
    trajectories.step(actor, trajectory.pk, decision, reason=reason, details={"referral": referral.pk})


# --- availability -------------------------------------------------------------------------------------------

def places_left(activity: Activity, exclude: int | None = None) -> int | None:
    """Capacity minus the referrals holding a place (None: no limit given)."""
    if activity.capacity is None:
        return None
    taken = Referral.objects.filter(activity=activity, status__in=TAKING_A_PLACE)
    if exclude:
        taken = taken.exclude(pk=exclude)
    return max(activity.capacity - taken.count(), 0)


def check_activity(activity: Activity, *, exclude: int | None = None, field: str = "activity") -> None:
    """Refuse an activity that is not on offer: not published, withdrawn, over, or without places left."""
    today = timezone.localdate()
    if activity.status != Activity.Status.PUBLISHED:
        raise ValidationError({field: [_("Deze activiteit is teruggetrokken of nog niet gepubliceerd; "
                                         "verwijs naar een andere activiteit.")]})
    if (activity.valid_until and activity.valid_until < today) or (not activity.rrule
                                                                   and activity.start_date < today):
        raise ValidationError({field: [_("Deze activiteit is voorbij; verwijs naar een andere activiteit.")]})
    if places_left(activity, exclude) == 0:
        raise ValidationError({field: [_("Deze activiteit heeft geen plaatsen meer vrij.")]})


def _clean_match(match) -> dict:
    if match in (None, ""):
        return {}
    if not isinstance(match, dict) or len(match) > MATCH_MAX_KEYS or len(str(match)) > 4000:
        raise ValidationError({"match": [_("De uitleg van de match is geen geldig overzicht.")]})
    return match


# --- the steps ----------------------------------------------------------------------------------------------

@transaction.atomic
def create(by, trajectory: Trajectory, *, kind: str, activity: Activity | None = None,
           intervention: Intervention | None = None, organisation: Organisation | None = None, match=None,
           note_for_provider: str = "", with_maatje: bool = False) -> Referral:
    """Propose a referral (voorgesteld) on an open trajectory."""
    trajectory = trajectories.lock(by, trajectory.pk)
    if not policy.can(by, workflow.WORK, trajectory):
        raise PermissionDenied(_("U mag voor dit traject geen verwijzing maken."))
    if not trajectory.is_open:
        raise ValidationError({"trajectory": [_("Op een afgesloten traject komt geen verwijzing meer.")]})
    if kind not in Referral.Kind.values:
        raise ValidationError({"kind": [_("Kies waarheen u verwijst.")]})
    gemeente_id = trajectory.gemeente_id
    for value, name in ((activity, "activity"), (intervention, "intervention"), (organisation, "organisation")):
        if value is not None and value.gemeente_id != gemeente_id:
            raise ValidationError({name: [_("Kies uit het aanbod van deze gemeente.")]})
    if kind == Referral.Kind.ACTIVITY:
        if activity is None:
            raise ValidationError({"activity": [_("Kies een activiteit.")]})
        check_activity(activity)
        organisation, intervention = activity.organisation, None
    elif kind == Referral.Kind.INTERVENTION:
        if intervention is None:
            raise ValidationError({"intervention": [_("Kies een interventie.")]})
        activity = None
    else:
        if organisation is None:
            raise ValidationError({"organisation": [_("Kies de organisatie.")]})
        activity = intervention = None
    note = (note_for_provider or "").strip()
    if len(note) > 500:
        raise ValidationError({"note_for_provider": [_("Houd de toelichting voor de aanbieder onder 500 tekens.")]})
    referral = Referral.objects.create(
        gemeente_id=gemeente_id, trajectory=trajectory, kind=kind, activity=activity, intervention=intervention,
        organisation=organisation, match=_clean_match(match), note_for_provider=note, with_maatje=bool(with_maatje),
        created_by=_user(by))
    _record(referral, by, "", "create")
    return referral


@transaction.atomic
def agree(by, pk: int) -> Referral:
    referral = lock(by, pk)
    before = _take(by, referral, RD.AGREE)
    referral.save()
    _record(referral, by, before, RD.AGREE)
    return referral


@transaction.atomic
def register(by, pk: int) -> Referral:
    """Register with the provider: needs the resident's consent to share contact details, an activity still on
    offer with places left, and an answering organisation. The trajectory steps to 'doorverwezen'; the provider
    gets an e-mail with a single-purpose link."""
    from samen.ondersteunen.services import provider_links

    referral = lock(by, pk)
    workflow.REFERRAL.check(referral, RD.REGISTER, by=by)
    trajectory = referral.trajectory
    if not trajectory.is_open:
        raise ValidationError({"decision": [_("Op een afgesloten traject komt geen aanmelding meer.")]})
    consent.require(trajectory.resident_id, ConsentPurpose.SHARE_WITH_PROVIDER, "decision")
    if referral.activity_id:
        activity = Activity.objects.select_for_update().get(pk=referral.activity_id)  # one place at a time
        check_activity(activity, exclude=referral.pk, field="decision")
    if referral.organisation_id is None:
        raise ValidationError({"decision": [_("Kies eerst de organisatie die de aanmelding beantwoordt.")]})
    if trajectory.status == TrajectoryStatus.AANGEMELD:
        raise ValidationError({"decision": [_("Leg eerst contact met de inwoner voordat u aanmeldt bij de "
                                              "aanbieder.")]})
    before = _take(by, referral, RD.REGISTER)
    referral.sent_at = timezone.now()
    referral.save()
    _record(referral, by, before, RD.REGISTER)
    _move_trajectory(by, referral, TrajectoryDecision.REFER,
                     when_in={TrajectoryStatus.IN_CONTACT, TrajectoryStatus.PLAN, TrajectoryStatus.HEROPEND,
                              TrajectoryStatus.NAZORG})
    provider_links.issue(referral)
    return referral


def reject_reason_text(reason: str, note: str = "") -> str:
    if reason not in RejectReason.values:
        raise ValidationError({"reason": [_("Kies waarom het niet kan: geen plek, of past niet.")]})
    label = str(RejectReason(reason).label)
    note = (note or "").strip()
    return f"{label}: {note}"[:500] if note else label


@transaction.atomic
def answer(by, pk: int, decision: str, *, reason: str = "", note: str = "") -> Referral:
    """The provider confirms, or says there is no place / it does not fit (with a reason)."""
    from samen.ondersteunen.services import provider_links

    referral = lock(by, pk)
    if decision not in (RD.CONFIRM, RD.REJECT):
        raise ValidationError({"decision": [_("Kies: bevestigen, of geen plek / past niet.")]})
    text = reject_reason_text(reason, note) if decision == RD.REJECT else (note or "").strip()[:500]
    before = _take(by, referral, decision, reason=text)
    referral.answered_at = timezone.now()
    referral.answer_reason = text
    referral.save()
    _record(referral, by, before, decision, text)
    provider_links.close_open(referral)
    _tell_worker_of_answer(referral)
    return referral


def _tell_worker_of_answer(referral: Referral) -> None:
    worker = referral.trajectory.worker
    if worker is None:
        return
    if referral.status == RS.BEVESTIGD:
        subject = _("De aanbieder bevestigt de aanmelding")
        body = _("%(target)s heeft de aanmelding bij traject %(id)s bevestigd.")
    else:
        subject = _("De aanbieder kan de aanmelding niet aannemen")
        body = _("%(target)s kan de aanmelding bij traject %(id)s niet aannemen: %(reason)s")
    outbox.enqueue(kind="referral.answered", subject=subject,
                   body=body % {"target": referral.target_label, "id": referral.trajectory_id,
                                "reason": referral.answer_reason} + "\n\n" + _trajectory_link(referral),
                   recipients=[worker], gemeente=referral.gemeente_id, about=referral)


def _trajectory_link(referral: Referral) -> str:
    from django.urls import reverse

    return outbox.public_url(reverse("verwijzingen:verwijzing_detail", args=[referral.pk]))


@transaction.atomic
def first_visit(by, pk: int, on: datetime.date | None = None) -> Referral:
    """The resident went for the first time: the trajectory goes to aftercare and the check-ins are planned."""
    from samen.ondersteunen.services import aftercare

    referral = lock(by, pk)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": [_("De eerste keer ligt niet in de toekomst.")]})
    if referral.sent_at and on < timezone.localdate(referral.sent_at):
        raise ValidationError({"on": [_("De eerste keer ligt niet voor de aanmelding.")]})
    before = _take(by, referral, RD.FIRST_VISIT)
    referral.first_visit_on = on
    referral.save()
    _record(referral, by, before, RD.FIRST_VISIT)
    _move_trajectory(by, referral, TrajectoryDecision.AFTERCARE, when_in={TrajectoryStatus.DOORVERWEZEN})
    aftercare.plan(referral)
    return referral


@transaction.atomic
def keeps_coming(by, pk: int) -> Referral:
    referral = lock(by, pk)
    before = _take(by, referral, RD.KEEPS_COMING)
    referral.save()
    _record(referral, by, before, RD.KEEPS_COMING)
    return referral


@transaction.atomic
def stop(by, pk: int, *, reason: str) -> Referral:
    referral = lock(by, pk)
    before = _take(by, referral, RD.STOP, reason=reason)
    referral.ended_at, referral.end_reason = timezone.now(), reason.strip()[:500]
    referral.save()
    _record(referral, by, before, RD.STOP, reason)
    return referral


@transaction.atomic
def cancel(by, pk: int, *, reason: str) -> Referral:
    """Cancel before the first visit: open links are revoked and a maatje's visit lapses."""
    from samen.ondersteunen.services import maatje, provider_links

    referral = lock(by, pk)
    was_sent = referral.status in (RS.AANGEMELD, RS.BEVESTIGD)
    before = _take(by, referral, RD.CANCEL, reason=reason)
    referral.ended_at, referral.end_reason = timezone.now(), (reason or "").strip()[:500]
    referral.save()
    _record(referral, by, before, RD.CANCEL, reason)
    provider_links.revoke_open(referral, tell_provider=was_sent)
    maatje.cancel_for_referral(referral, reason=reason)
    return referral


STEPS = {RD.AGREE: agree, RD.REGISTER: register, RD.KEEPS_COMING: keeps_coming}


def take(by, pk: int, decision: str, *, reason: str = "", on=None, note: str = "") -> Referral:
    """One entry for the screens and the API: the decision's own function."""
    if decision in STEPS:
        return STEPS[decision](by, pk)
    if decision in (RD.CONFIRM, RD.REJECT):
        return answer(by, pk, decision, reason=reason, note=note)
    if decision == RD.FIRST_VISIT:
        return first_visit(by, pk, on)
    if decision == RD.STOP:
        return stop(by, pk, reason=reason)
    if decision == RD.CANCEL:
        return cancel(by, pk, reason=reason)
    raise ValidationError({"decision": [_("Kies een stap.")]})


# --- reading ------------------------------------------------------------------------------------------------

def waiting_for(user):
    """The referrals waiting for this provider's answer (its own organisation only: ``scopes.referrals``)."""
    return (policy.visible(user, Referral).filter(status__in=REFERRAL_WAITING_FOR_PROVIDER)
            .select_related("activity", "intervention", "organisation", "trajectory__worker").order_by("sent_at"))


def for_trajectory(user, trajectory: Trajectory):
    return (policy.visible(user, Referral).filter(trajectory=trajectory)
            .select_related("activity", "intervention", "organisation").order_by("-created_at"))


def provider_view(referral: Referral) -> dict:
    """Only what the provider needs: the resident's first name (or initials), the phone only with consent, the
    activity, the date asked, the worker's name and how to reach them."""
    resident = referral.trajectory.resident
    worker = referral.trajectory.worker
    share = consent.current(getattr(resident, "pk", None), ConsentPurpose.SHARE_WITH_PROVIDER)
    return {
        "referral": referral,
        "first_name": first_name_of(getattr(resident, "name", "")),
        "phone": resident.phone if (resident is not None and share) else "",
        "target": referral.target_label,
        "asked_on": referral.sent_at,
        "note": referral.note_for_provider,
        "with_maatje": referral.with_maatje,
        "worker_name": (worker.get_full_name() or worker.get_username()) if worker else "",
        "worker_phone": (worker.organisation.phone if worker and worker.organisation_id else ""),
        "worker_email": worker.email if worker else "",
    }


TITLES = {"mevrouw", "mevr.", "mw.", "de heer", "heer", "dhr.", "meneer", "mr.", "de"}


def first_name_of(name: str) -> str:
    """'Anna de Vries' -> 'Anna'; 'Mevrouw A. de Wit' -> 'A.W.' (initials when no first name is known);
    nothing known -> 'de inwoner'."""
    parts = [p for p in (name or "").split() if p.lower() not in TITLES]
    if not parts:
        return _("de inwoner")
    first = parts[0]
    if len(first.rstrip(".")) > 1 and not first.endswith("."):
        return first
    return "".join(p[0].upper() + "." for p in parts if p[0].isalpha() and not p.islower())


# --- what a withdrawn consent stops ---------------------------------------------------------------------------

def on_consent_changed(event, *, resident_id, gemeente_id, purpose, given, **payload):
    """A withdrawn 'share with provider' cancels the referrals the provider has not answered yet (the provider
    is told to disregard them) and revokes every open provider link; confirmed referrals go on (the provider
    already knows the resident), without links. A withdrawn 'maatje' lets every asked or agreed maatje visit
    lapse. Each stop leaves a notice on the trajectory."""
    if given:
        return
    from samen.ondersteunen.services import maatje, provider_links

    system = trajectories.system(gemeente_id)
    referrals = Referral.objects.filter(trajectory__resident_id=resident_id, gemeente_id=gemeente_id)
    with transaction.atomic():
        if purpose == ConsentPurpose.SHARE_WITH_PROVIDER:
            for referral in referrals.filter(status__in=REFERRAL_WAITING_FOR_PROVIDER):
                cancel(system, referral.pk, reason=_("toestemming om gegevens te delen ingetrokken"))
                trajectories.notice(referral.trajectory, system, _(
                    "Toestemming om gegevens te delen ingetrokken: de aanmelding bij %(target)s is geannuleerd.")
                    % {"target": referral.target_label}, referral=referral.pk)
            for referral in referrals.filter(provider_links__used_at__isnull=True,
                                             provider_links__revoked_at__isnull=True).distinct():
                provider_links.revoke_open(referral, tell_provider=False)
        elif purpose == ConsentPurpose.MAATJE:
            for referral in referrals.filter(Q(maatje_visits__status__in=maatje.OPEN)).distinct():
                if maatje.cancel_for_referral(referral, reason=_("toestemming voor een maatje ingetrokken")):
                    trajectories.notice(referral.trajectory, system, _(
                        "Toestemming voor een maatje ingetrokken: het maatjesbezoek vervalt."), referral=referral.pk)


# --- nudging the provider, and back to the worker --------------------------------------------------------------

def nudge_and_return(today: datetime.date | None = None) -> dict:
    """For each referral waiting for the provider: after ``provider_nudge_working_days`` working days without an
    answer the provider is reminded (a fresh link), once; after ``provider_return_working_days`` it returns to the
    worker (``returned_at``, an e-mail), once. Each is marked with a conditional update in the transaction that
    queues its e-mail, so two runs (or two machines) send it once."""
    from samen.ondersteunen.models import SupportSettings
    from samen.ondersteunen.services import provider_links
    from samen.vinden.calendar import add_working_days

    today = today or timezone.localdate()
    nudged = returned = 0
    settings_of: dict[int, SupportSettings] = {}
    waiting = (Referral.objects.filter(status__in=REFERRAL_WAITING_FOR_PROVIDER, sent_at__isnull=False)
               .filter(Q(nudged_at__isnull=True) | Q(returned_at__isnull=True))
               .select_related("activity", "organisation", "trajectory__worker").order_by("id"))
    for referral in waiting.iterator(chunk_size=200):
        settings = settings_of.get(referral.gemeente_id) or settings_of.setdefault(
            referral.gemeente_id, SupportSettings.for_gemeente(referral.gemeente_id))
        sent_on = timezone.localdate(referral.sent_at)
        now = timezone.now()
        if referral.returned_at is None and today >= add_working_days(sent_on, settings.provider_return_working_days):
            with transaction.atomic():
                if Referral.objects.filter(pk=referral.pk, returned_at__isnull=True,
                                           status__in=REFERRAL_WAITING_FOR_PROVIDER).update(returned_at=now) == 1:
                    returned += 1
                    outbox.enqueue(
                        kind="referral.returned", subject=_("De aanbieder heeft niet geantwoord"),
                        body=_("%(target)s heeft na %(days)s werkdagen niet geantwoord op de aanmelding bij traject "
                               "%(id)s. Neem zelf contact op met de aanbieder of kies iets anders.")
                        % {"target": referral.target_label, "days": settings.provider_return_working_days,
                           "id": referral.trajectory_id} + "\n\n" + _trajectory_link(referral),
                        recipients=[referral.trajectory.worker], gemeente=referral.gemeente_id, about=referral)
        elif referral.nudged_at is None and today >= add_working_days(sent_on, settings.provider_nudge_working_days):
            with transaction.atomic():
                if Referral.objects.filter(pk=referral.pk, nudged_at__isnull=True,
                                           status__in=REFERRAL_WAITING_FOR_PROVIDER).update(nudged_at=now) == 1:
                    nudged += 1
                    provider_links.issue(referral, kind="referral.nudge")
    return {"providers_nudged": nudged, "referrals_returned": returned}
