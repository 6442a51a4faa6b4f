"""Contact attempts and short notes on a trajectory: the one write path of ``ContactAttempt`` and ``Note``.

* The first attempt that reaches the resident takes the step CONTACT (``trajectories.step``), which sets
  ``first_contact_at``; every reached attempt moves ``last_contact_at``.
* "Niet bereikt" is only possible after the municipality's number of attempts without contact (default 3)
  on at least its number of different days (default 2), counted since the trajectory started or was last
  reopened. Samen then *offers* the step on the trajectory page; the worker takes it (it is never taken
  automatically: a worker may know a better way to reach the resident). Earlier, ``step()`` refuses it with
  a Dutch message.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core import policy
from samen.ondersteunen import workflow
from samen.ondersteunen.models import NOTE_MAX, SHORT_MAX, ContactAttempt, Note, SupportSettings, Trajectory
from samen.ondersteunen.services import trajectories
from samen.ondersteunen.workflow import TrajectoryDecision, TrajectoryStatus

REACHING = {TrajectoryStatus.AANGEMELD, TrajectoryStatus.HEROPEND}  # the states in which CONTACT is a step
MAX_PAST_DAYS = 60


def _since(trajectory: Trajectory) -> datetime.datetime:
    """Attempts count from the start, or from the last reopening."""
    reopened = [event.at for event in trajectories.rows(trajectory, "events")
                if event.to_status == TrajectoryStatus.HEROPEND]
    return max(reopened) if reopened else trajectory.started_at


def attempts_without_contact(trajectory: Trajectory) -> tuple[int, int]:
    """(attempts, different days) without reaching the resident since the start or the last reopening
    (from the trajectory's rows, which its page reads once)."""
    since = _since(trajectory)
    moments = [attempt.at for attempt in trajectories.rows(trajectory, "contact_attempts")
               if attempt.at >= since and attempt.outcome != ContactAttempt.Outcome.REACHED]
    return len(moments), len({timezone.localtime(at).date() for at in moments})


def not_reached_status(trajectory: Trajectory) -> dict:
    """What the page says about "niet bereikt": allowed or not, and why."""
    settings = SupportSettings.for_gemeente(trajectory.gemeente_id)
    attempts, days = attempts_without_contact(trajectory)
    allowed = attempts >= settings.contact_attempts and days >= settings.contact_attempt_days
    return {"allowed": allowed, "attempts": attempts, "days": days, "needed_attempts": settings.contact_attempts,
            "needed_days": settings.contact_attempt_days}


def require_not_reached_allowed(trajectory: Trajectory) -> None:
    state = not_reached_status(trajectory)
    if not state["allowed"]:
        raise ValidationError({"decision": [_(
            "'Niet bereikt' kan pas na %(needed)s contactpogingen op minstens %(days)s verschillende dagen. "
            "Tot nu toe: %(attempts)s pogingen op %(on)s dagen.") % {
                "needed": state["needed_attempts"], "days": state["needed_days"], "attempts": state["attempts"],
                "on": state["days"]}]})


def _check_work(by, trajectory: Trajectory) -> None:
    if not policy.can(by, workflow.WORK, trajectory):
        raise PermissionDenied(_("U mag aan dit traject niet werken."))
    if not trajectory.is_open:
        raise ValidationError({"__all__": [_("Dit traject is afgesloten: heropen het eerst.")]})


@transaction.atomic
def record_attempt(by, pk: int, *, method: str, outcome: str, at: datetime.datetime | None = None,
                   note: str = "") -> ContactAttempt:
    """Record one contact attempt; a first reached attempt takes the step CONTACT."""
    trajectory = trajectories.lock(by, pk)
    _check_work(by, trajectory)
    errors = {}
    if method not in ContactAttempt.Method.values:
        errors["method"] = [_("Kies hoe u contact zocht.")]
    if outcome not in ContactAttempt.Outcome.values:
        errors["outcome"] = [_("Kies de uitkomst van de poging.")]
    now = timezone.now()
    at = at or now
    if at > now + datetime.timedelta(minutes=5):
        errors["at"] = [_("Een contactpoging ligt niet in de toekomst.")]
    elif at < now - datetime.timedelta(days=MAX_PAST_DAYS) or at < trajectory.started_at - datetime.timedelta(days=7):
        errors["at"] = [_("Deze datum ligt voor de start van het traject of te ver terug.")]
    note = (note or "").strip()
    if len(note) > SHORT_MAX:
        errors["note"] = [_("Houd de notitie kort: hoogstens %(n)s tekens.") % {"n": SHORT_MAX}]
    if errors:
        raise ValidationError(errors)
    attempt = ContactAttempt.objects.create(trajectory=trajectory, at=at, by=trajectories._user(by), method=method,
                                            outcome=outcome, note=note)
    if outcome == ContactAttempt.Outcome.REACHED:
        if trajectory.status in REACHING:
            trajectories.step(by, trajectory.pk, TrajectoryDecision.CONTACT, contact_at=at,
                              details={"contact_attempt": attempt.pk})
            trajectory.refresh_from_db()
        if trajectory.first_contact_at is None or trajectory.first_contact_at > at:
            trajectory.first_contact_at = at
        trajectory.last_contact_at = max(at, trajectory.last_contact_at or at)
        trajectory.save(update_fields=["first_contact_at", "last_contact_at", "updated_at"])
    return attempt


@transaction.atomic
def add_note(by, pk: int, text: str) -> Note:
    trajectory = trajectories.lock(by, pk)
    _check_work(by, trajectory)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Schrijf een notitie.")]})
    if len(text) > NOTE_MAX:
        raise ValidationError({"text": [_("Houd de notitie kort: hoogstens %(n)s tekens.") % {"n": NOTE_MAX}]})
    return Note.objects.create(trajectory=trajectory, by=trajectories._user(by), text=text)
