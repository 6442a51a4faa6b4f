"""Aftercare (nazorg): the check-ins planned from a referral's first visit (``SupportSettings.aftercare_days``:
2 weeks, 6 weeks, 3 months, 6 months by default), the reminders to the worker on the due day (a job, once),
and the check-in itself (``workflow.CHECKIN``): still going? how is it (1-5)? the 6-item De Jong Gierveld
scale (``measurements.record(moment="checkin")``, with the resident's follow-up consent); any worry.

A worse score (up a category against the previous measurement), "gestopt", a check-in missed after two
attempts, or a worry reopens the trajectory for the same worker (``trajectories.step(..., REOPEN)`` as Samen)
with a notice by e-mail. The six-week check-in sets ``Referral.still_going_6w`` (the local evidence).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core import outbox, policy
from samen.core.states import Grant
from samen.ondersteunen import workflow
from samen.ondersteunen.models import CheckIn, ConsentPurpose, Measurement, Referral, SupportSettings, Trajectory
from samen.ondersteunen.services import consent, measurements, trajectories
from samen.ondersteunen.workflow import CheckInDecision, CheckInStatus, ReferralStatus, TrajectoryDecision
from samen.ondersteunen.workflow import TrajectoryStatus as TS

SIX_WEEKS = 42
MISS_AFTER_ATTEMPTS = 2
REOPEN_FROM = {TS.NAZORG, TS.DOORVERWEZEN, TS.NIET_BEREIKT, TS.AFGEZIEN}


def plan(referral: Referral) -> list[CheckIn]:
    """The check-ins of a referral from its first visit (safe to call twice: one per offset)."""
    if referral.first_visit_on is None:
        return []
    days = SupportSettings.for_gemeente(referral.gemeente_id).aftercare_days
    planned = []
    for offset in days:
        checkin, _created = CheckIn.objects.get_or_create(
            referral=referral, offset_days=offset,
            defaults={"trajectory_id": referral.trajectory_id,
                      "due_on": referral.first_visit_on + datetime.timedelta(days=offset)})
        planned.append(checkin)
    return planned


def for_trajectory(trajectory: Trajectory, today: datetime.date | None = None, user=None) -> dict:
    """The trajectory's check-ins for its page and the nazorg page: the context of
    ``ondersteunen/referrals/_checkins.html`` (with ``user``, ``can_work`` says whether the form links show)."""
    today = today or timezone.localdate()
    rows = [{"checkin": c, "due": c.status == CheckInStatus.GEPLAND and c.due_on <= today,
             "overdue": c.status == CheckInStatus.GEPLAND and c.due_on < today}
            for c in trajectories.rows(trajectory, "checkins")]
    can_work = bool(user is not None and policy.can(user, workflow.WORK, trajectory))
    return {"trajectory": trajectory, "checkin_rows": rows, "can_work": can_work, "next_checkin": next(
        (r["checkin"] for r in rows if r["checkin"].status == CheckInStatus.GEPLAND), None)}


def _lock(by, pk: int) -> CheckIn:
    queryset = (CheckIn.objects.filter(trajectory__gemeente_id=by.gemeente_id) if isinstance(by, Grant)
                else policy.visible(by, CheckIn))
    return queryset.select_for_update(of=("self",)).select_related("trajectory", "referral").get(pk=pk)


def _check_open(checkin: CheckIn, by) -> Trajectory:
    trajectory = checkin.trajectory
    if not trajectory.is_open:
        raise ValidationError({"still_going": [_("Dit traject is afgesloten: een nazorgmoment kan niet meer "
                                                 "worden vastgelegd.")]})
    if not isinstance(by, Grant) and not policy.can(by, workflow.WORK, trajectory):
        raise PermissionDenied(_("U mag dit nazorgmoment niet vastleggen."))
    return trajectory


def reopen(trajectory: Trajectory, reason: str) -> bool:
    """Reopen for the same worker, as Samen, with a notice by e-mail; False when the trajectory is not in aftercare."""
    if trajectory.status not in REOPEN_FROM:
        return False
    trajectories.step(trajectories.system(trajectory.gemeente_id), trajectory.pk, TrajectoryDecision.REOPEN,
                      reason=reason)
    if trajectory.worker_id:
        link = outbox.public_url(reverse("verwijzingen:nazorg", args=[trajectory.pk]))
        outbox.enqueue(kind="aftercare.reopened", subject=_("Traject %(id)s is heropend") % {"id": trajectory.pk},
                       body=_("Traject %(id)s is heropend na de nazorg: %(reason)s") % {"id": trajectory.pk,
                                                                                       "reason": reason}
                       + "\n\n" + link, recipients=[trajectory.worker], gemeente=trajectory.gemeente_id,
                       about=trajectory)
    return True


def _previous_measurement(trajectory: Trajectory, scale: str, before: Measurement | None = None):
    rows = Measurement.objects.filter(trajectory=trajectory, scale=scale)
    if before is not None:
        rows = rows.exclude(pk=before.pk)
    return rows.order_by("-measured_on", "-id").first()


@transaction.atomic
def record(by, pk: int, *, still_going: str, how_is_it: int | None, answers: list | None = None,
           worry: bool = False, worry_text: str = "") -> CheckIn:
    """Record a check-in; reopens the trajectory when it went worse, the resident stopped, or there is a worry."""
    from samen.ondersteunen.services import referrals

    checkin = _lock(by, pk)
    trajectory = _check_open(checkin, by)
    if still_going not in CheckIn.Going.values:
        raise ValidationError({"still_going": [_("Kies of de inwoner er nog heen gaat.")]})
    if how_is_it is None or not isinstance(how_is_it, int) or not 1 <= how_is_it <= 5:
        raise ValidationError({"how_is_it": [_("Hoe het gaat is een cijfer van 1 tot en met 5.")]})
    worry_text = (worry_text or "").strip()
    if worry and not worry_text:
        raise ValidationError({"worry_text": [_("Schrijf kort op welke zorg er is.")]})
    if len(worry_text) > 500:
        raise ValidationError({"worry_text": [_("Houd de zorg onder 500 tekens.")]})
    workflow.CHECKIN.apply(checkin, CheckInDecision.RECORD, by=by)
    measurement = worse = None
    if answers and any(a not in (None, "") for a in answers):
        consent.require(trajectory.resident_id, ConsentPurpose.FOLLOW_UP, "answers")
        before = _previous_measurement(trajectory, Measurement.Scale.DJG6)
        measurement = measurements.record(by, trajectory, scale=Measurement.Scale.DJG6, answers=list(answers),
                                          moment=Measurement.Moment.CHECKIN)
        worse = measurements.got_worse(before, measurement)
    checkin.still_going, checkin.how_is_it, checkin.worry, checkin.worry_text = still_going, how_is_it, bool(worry), \
        worry_text
    checkin.measurement, checkin.done_at, checkin.by = measurement, timezone.now(), by if not isinstance(by, Grant) \
        else None
    checkin.save()
    referral = checkin.referral
    if referral is not None:
        if checkin.offset_days == SIX_WEEKS:
            Referral.objects.filter(pk=referral.pk).update(still_going_6w=still_going != CheckIn.Going.NO)
        if still_going == CheckIn.Going.NO and referral.status in (ReferralStatus.EERSTE_KEER,
                                                                   ReferralStatus.BLIJFT_KOMEN):
            referrals.stop(by, referral.pk, reason=_("gestopt (nazorgmoment na %(days)s dagen)")
                           % {"days": checkin.offset_days})
        elif still_going == CheckIn.Going.YES and referral.status == ReferralStatus.EERSTE_KEER:
            referrals.keeps_coming(by, referral.pk)
    reasons = []
    if worse:
        reasons.append(_("de eenzaamheidsscore is verslechterd (%(category)s)") % {"category": measurement.category})
    if still_going == CheckIn.Going.NO:
        reasons.append(_("de inwoner is gestopt"))
    if worry:
        reasons.append(_("zorg: %(text)s") % {"text": worry_text})
    if reasons:
        reopen(Trajectory.objects.get(pk=trajectory.pk), _("Nazorg: %(reasons)s.") % {"reasons": "; ".join(reasons)})
    return checkin


@transaction.atomic
def attempt(by, pk: int) -> CheckIn:
    """A try to reach the resident for the check-in that did not work; the second one marks it missed and
    reopens the trajectory."""
    checkin = _lock(by, pk)
    trajectory = _check_open(checkin, by)
    if checkin.status != CheckInStatus.GEPLAND:
        raise ValidationError({"still_going": [_("Dit nazorgmoment is al afgerond.")]})
    checkin.attempts += 1
    if checkin.attempts >= MISS_AFTER_ATTEMPTS:
        workflow.CHECKIN.apply(checkin, CheckInDecision.MISS, by=by)
        checkin.done_at = timezone.now()
    checkin.save()
    if checkin.status == CheckInStatus.GEMIST:
        reopen(Trajectory.objects.get(pk=trajectory.pk),
               _("Nazorg: het nazorgmoment na %(days)s dagen is na twee pogingen gemist.") % {
                   "days": checkin.offset_days})
    return checkin


def remind_due(today: datetime.date | None = None) -> dict:
    """Tell the worker of each check-in due today or earlier, once (marked in the same transaction)."""
    today = today or timezone.localdate()
    sent = 0
    due = (CheckIn.objects.filter(status=CheckInStatus.GEPLAND, due_on__lte=today, reminded_at__isnull=True,
                                  trajectory__status__in=workflow.TRAJECTORY_OPEN)
           .select_related("trajectory__worker").order_by("id"))
    for checkin in due.iterator(chunk_size=200):
        with transaction.atomic():
            if CheckIn.objects.filter(pk=checkin.pk, reminded_at__isnull=True).update(reminded_at=timezone.now()) != 1:
                continue  # another run took it
            worker = checkin.trajectory.worker
            link = outbox.public_url(reverse("verwijzingen:nazorg", args=[checkin.trajectory_id]))
            sent += outbox.enqueue(
                kind="aftercare.reminder",
                subject=_("Nazorgmoment voor traject %(id)s") % {"id": checkin.trajectory_id},
                body=_("Vandaag staat een nazorgmoment gepland voor traject %(id)s (%(days)s dagen na de eerste keer). "
                       "Neem contact op met de inwoner en leg het vast:") % {"id": checkin.trajectory_id,
                                                                             "days": checkin.offset_days}
                + "\n\n" + link, recipients=[worker], gemeente=checkin.trajectory.gemeente_id, about=checkin)
    return {"checkin_reminders": sent}
