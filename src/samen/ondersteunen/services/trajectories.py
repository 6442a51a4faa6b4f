"""The one write path of the trajectory: start, take a step of the workflow table, reassign.

Every change goes through here, in one transaction, with its history row (who, when, why) and an event
after commit. Other services of ondersteunen (contact attempts, referrals, aftercare) call ``step()``
when their work moves the trajectory on; nothing else sets ``Trajectory.status``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core import events, policy
from samen.core.models import Resident, User
from samen.core.states import Grant
from samen.ondersteunen import workflow
from samen.ondersteunen.models import SupportSettings, Trajectory, TrajectoryEvent
from samen.ondersteunen.workflow import ClosingReason, TrajectoryDecision, TrajectoryStatus
from samen.vinden.calendar import add_working_days

SYSTEM_LABEL = "Samen (automatisch)"


def system(gemeente_id: int | None = None, label: str = SYSTEM_LABEL) -> Grant:
    """The actor of scheduled jobs and events: carries ``trajectory.system`` only."""
    return Grant(workflow.SYSTEM, label, gemeente_id)


def actor_label(by) -> str:
    if isinstance(by, Grant):
        return by.label
    return (by.get_full_name() or by.get_username()) if by is not None else SYSTEM_LABEL


def _user(by) -> User | None:
    return by if isinstance(by, User) else None


def age_group_of(resident: Resident | None, fallback: str = "") -> str:
    if resident is None or not resident.birth_year:
        return fallback
    age = timezone.localdate().year - resident.birth_year
    for low, label in ((75, "75+"), (65, "65-74"), (26, "26-64"), (16, "16-25")):
        if age >= low:
            return label
    return fallback


def _check_worker(worker: User | None, gemeente_id: int) -> None:
    if worker is None or not policy.can(worker, workflow.WORK) or worker.gemeente_id != gemeente_id:
        raise ValidationError({"worker": [_("Kies een sociaal werker van deze gemeente.")]})


@transaction.atomic
def start(*, gemeente_id: int, resident: Resident | None, worker: User, by, signal=None,
          goal: str = "") -> Trajectory:
    """Start a trajectory for a resident (from a signal given to social work, or directly)."""
    if isinstance(by, User) and not policy.can(by, workflow.WORK):
        raise PermissionDenied(_("U mag geen traject starten."))
    _check_worker(worker, gemeente_id)
    if resident is not None and resident.gemeente_id != gemeente_id:
        raise ValidationError({"resident": [_("Deze inwoner hoort bij een andere gemeente.")]})
    if signal is not None:
        existing = Trajectory.objects.filter(signal=signal).first()
        if existing is not None:
            return existing  # the event came twice, or social work was chosen again: one trajectory per signal
    settings = SupportSettings.for_gemeente(gemeente_id)
    wijk = (resident.wijk if resident is not None else None) or (signal.wijk if signal is not None else None)
    trajectory = Trajectory(
        gemeente_id=gemeente_id, resident=resident, signal=signal, worker=worker, wijk=wijk,
        age_group=age_group_of(resident, getattr(signal, "age_group", "") or ""),
        channel=getattr(signal, "channel", "") or "", goal=goal,
        first_contact_due=add_working_days(timezone.localdate(), settings.first_contact_working_days))
    try:
        with transaction.atomic():
            trajectory.save()
    except IntegrityError:  # a second start for the same signal at the same moment
        return Trajectory.objects.get(signal=signal)
    TrajectoryEvent.objects.create(trajectory=trajectory, by=_user(by), by_label=actor_label(by),
                                   kind=TrajectoryEvent.Kind.STARTED, to_status=trajectory.status,
                                   details={"worker": worker.pk, "signal": getattr(signal, "pk", None)})
    events.publish("trajectory.started", trajectory_id=trajectory.pk, gemeente_id=gemeente_id,
                   signal_id=getattr(signal, "pk", None))
    return trajectory


def lock(by, pk: int) -> Trajectory:
    """The trajectory, locked for a change, as this actor may see it (a Grant sees its gemeente's)."""
    if isinstance(by, Grant):
        queryset = Trajectory.objects.filter(gemeente_id=by.gemeente_id) if by.gemeente_id else Trajectory.objects
    else:
        queryset = policy.visible(by, Trajectory)
    return queryset.select_for_update().get(pk=pk)


@transaction.atomic
def step(by, pk: int, decision: str, *, reason: str = "", closing_reason: str = "",
         details: dict | None = None, contact_at: datetime.datetime | None = None) -> Trajectory:
    """Take one step of the trajectory's table, with its history row. Refusals say why in Dutch.
    ``contact_at``: when the contact of a CONTACT step happened (a contact attempt's moment; default now)."""
    trajectory = lock(by, pk)
    if trajectory.anonymised_at:
        raise ValidationError({"decision": [_("Dit traject is geanonimiseerd en kan niet meer veranderen.")]})
    reason = (reason or "").strip()
    if closing_reason and closing_reason not in ClosingReason.values:
        raise ValidationError({"closing_reason": [_("Kies een reden van afsluiten uit de lijst.")]})
    if decision == TrajectoryDecision.CLOSE and closing_reason == ClosingReason.ANDERS and not reason:
        raise ValidationError({"reason": [_("Licht 'anders' toe.")]})
    if decision == TrajectoryDecision.NOT_REACHED:
        from samen.ondersteunen.services import contacts

        contacts.require_not_reached_allowed(trajectory)
    before = trajectory.status
    transition = workflow.TRAJECTORY.apply(trajectory, decision, by=by, reason=reason,
                                           closing_reason=closing_reason)
    now = timezone.now()
    if transition.target == TrajectoryStatus.AFGESLOTEN:
        trajectory.closed_at, trajectory.closing_reason, trajectory.closing_note = now, closing_reason, reason
    elif transition.target == TrajectoryStatus.HEROPEND:
        trajectory.closed_at, trajectory.closing_reason, trajectory.closing_note = None, "", ""
        trajectory.reopened_count += 1
    elif transition.target == TrajectoryStatus.IN_CONTACT:
        contact_at = contact_at or now
        trajectory.first_contact_at = min(trajectory.first_contact_at or contact_at, contact_at)
        trajectory.last_contact_at = max(trajectory.last_contact_at or contact_at, contact_at)
    trajectory.save()
    TrajectoryEvent.objects.create(trajectory=trajectory, by=_user(by), by_label=actor_label(by),
                                   kind=TrajectoryEvent.Kind.TRANSITION, from_status=before,
                                   to_status=transition.target, decision=decision,
                                   reason=reason or (ClosingReason(closing_reason).label if closing_reason else ""),
                                   details=details or {})
    events.publish("trajectory.changed", trajectory_id=trajectory.pk, gemeente_id=trajectory.gemeente_id,
                   status=str(trajectory.status), decision=str(decision))
    return trajectory


@transaction.atomic
def reassign(by: User, pk: int, worker: User, *, reason: str) -> Trajectory:
    """Give the trajectory to another social worker; the reason is recorded."""
    if not policy.can(by, workflow.OVERSEE) and not policy.can(by, workflow.WORK):
        raise PermissionDenied(_("U mag dit traject niet overdragen."))
    trajectory = lock(by, pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Geef een reden voor de overdracht.")]})
    _check_worker(worker, trajectory.gemeente_id)
    if worker.pk == trajectory.worker_id:
        raise ValidationError({"worker": [_("Deze sociaal werker is al verantwoordelijk.")]})
    before = trajectory.worker_id
    trajectory.worker = worker
    trajectory.save(update_fields=["worker", "updated_at"])
    TrajectoryEvent.objects.create(trajectory=trajectory, by=by, by_label=actor_label(by),
                                   kind=TrajectoryEvent.Kind.REASSIGNED, reason=reason,
                                   details={"from_worker": before, "to_worker": worker.pk})
    return trajectory


def notice(trajectory: Trajectory, by, text: str, **details) -> TrajectoryEvent:
    """A line in the history that is not a step (a withdrawn consent stopped a referral, ...)."""
    return TrajectoryEvent.objects.create(trajectory=trajectory, by=_user(by), by_label=actor_label(by),
                                          kind=TrajectoryEvent.Kind.NOTICE, reason=text, details=details)


def first_contact_overdue(trajectory: Trajectory, today: datetime.date | None = None) -> bool:
    return (trajectory.first_contact_at is None and trajectory.status == TrajectoryStatus.AANGEMELD
            and (today or timezone.localdate()) > trajectory.first_contact_due)


# --- reading (every read of a trajectory is logged, like vinden.reads does for signals) -----------------------
def _records(trajectories) -> list:
    records = []
    for trajectory in trajectories:
        records.append(trajectory)
        if trajectory.resident_id:
            records.append(trajectory.resident)
    return records


def log_read(user, trajectories, *, route: str) -> None:
    """Log that ``user`` was shown these trajectories (and so their residents), purpose ondersteuning."""
    from samen.core import accesslog
    from samen.core.models import AccessAction, Purpose

    records = _records(trajectories)
    if records:
        accesslog.record(actor=user, action=AccessAction.VIEW, records=records, purpose=Purpose.ONDERSTEUNING,
                         route=route)


def read(user, pk, *, route: str) -> Trajectory:
    """The trajectory ``pk`` if ``user`` may see it, logged as read. Trajectory.DoesNotExist otherwise."""
    try:
        trajectory = policy.visible(user, Trajectory).select_related(
            "resident", "resident__buurt__wijk", "worker", "wijk", "signal").get(pk=pk)
    except (ValueError, TypeError):
        raise Trajectory.DoesNotExist from None
    log_read(user, [trajectory], route=route)
    return trajectory


def _row_queries() -> dict:
    from samen.ondersteunen.models import CheckIn, ContactAttempt, Measurement, Note, Referral

    return {
        "events": TrajectoryEvent.objects.all(),
        "contact_attempts": ContactAttempt.objects.select_related("by"),
        "notes": Note.objects.select_related("by"),
        "measurements": Measurement.objects.all(),
        "referrals": Referral.objects.select_related("activity", "intervention", "organisation")
        .prefetch_related("events"),
        "checkins": CheckIn.objects.select_related("measurement"),
    }


def prefetch_rows(trajectory: Trajectory, user) -> Trajectory:
    """Read the trajectory's rows of every kind once, onto the object, for its page: the timeline, the steps
    and the sections then share them (``rows``, ``visible_referrals``). The referrals are those ``user`` may
    see (``policy.visible``); the check-ins get their measurement from the measurements read here. Only for a
    page that shows them and is then done with the object: a change made afterwards is not seen on it."""
    from samen.ondersteunen.models import CheckIn, Referral

    queries = _row_queries()
    queries["referrals"] = policy.visible(user, Referral).select_related(
        "activity", "intervention", "organisation").prefetch_related("events")
    queries["checkins"] = CheckIn.objects.all()
    found = {name: list(queryset.filter(trajectory=trajectory)) for name, queryset in queries.items()}
    measurements = {m.pk: m for m in found["measurements"]}
    for checkin in found["checkins"]:
        if checkin.measurement_id in measurements:
            checkin.measurement = measurements[checkin.measurement_id]
    missing = [c.pk for c in found["checkins"] if c.measurement_id and c.measurement_id not in measurements]
    if missing:  # a measurement of another trajectory: not on this page's list, so read with its check-in
        again = {c.pk: c for c in CheckIn.objects.filter(pk__in=missing).select_related("measurement")}
        found["checkins"] = [again.get(c.pk, c) for c in found["checkins"]]
    trajectory._rows, trajectory._rows_user = found, getattr(user, "pk", None)
    return trajectory


def rows(trajectory: Trajectory, name: str) -> list:
    """The trajectory's rows of one kind (``events``, ``contact_attempts``, ``notes``, ``measurements``,
    ``referrals`` with their events, ``checkins``) in the model's order: those ``prefetch_rows`` read onto
    the object, otherwise read now."""
    found = getattr(trajectory, "_rows", None)
    if found is not None:
        return list(found[name])
    return list(_row_queries()[name].filter(trajectory=trajectory))


def visible_referrals(user, trajectory: Trajectory) -> list:
    """The trajectory's referrals that ``user`` may see (with their target and events)."""
    from samen.ondersteunen.models import Referral

    if getattr(trajectory, "_rows", None) is not None and trajectory._rows_user == getattr(user, "pk", None):
        return list(trajectory._rows["referrals"])
    return list(policy.visible(user, Referral).filter(trajectory=trajectory).select_related(
        "activity", "intervention", "organisation").prefetch_related("events"))


def start_for_resident(by: User, resident: Resident, *, worker: User | None = None, goal: str = "") -> Trajectory:
    """A social worker or regisseur starts a trajectory directly for a resident they may see. One open
    trajectory per resident: a second one is refused (work on the open one)."""
    if not policy.can(by, workflow.WORK, resident) and not policy.can(by, workflow.WORK):
        raise PermissionDenied(_("U mag geen traject starten."))
    if not policy.visible(by, Resident).filter(pk=resident.pk).exists():
        raise PermissionDenied(_("U mag geen traject starten voor deze inwoner."))
    open_one = Trajectory.objects.filter(resident=resident, status__in=workflow.TRAJECTORY_OPEN).first()
    if open_one is not None:
        raise ValidationError({"resident": [_("Voor deze inwoner loopt al een traject (traject %(id)s).")
                                            % {"id": open_one.pk}]})
    goal = (goal or "").strip()
    if len(goal) > 2000:
        raise ValidationError({"goal": [_("Houd het doel kort: hoogstens 2000 tekens.")]})
    return start(gemeente_id=by.gemeente_id, resident=resident, worker=worker or by, by=by, goal=goal)
