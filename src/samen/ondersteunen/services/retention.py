"""Retention (AVG): a trajectory closed longer ago than the municipality's ``retention_months`` (default 24)
is anonymised by the nightly job ``ondersteunen_retention`` (``samen jobs run``).

Blanked: the closing note, the goal, every reason in the history, notes, the profile, the answers of the
measurements, contact-attempt notes, the referrals' notes, reasons and match explanations and their
history's reasons, the provider links, the maatje's report and meeting place, check-in worries, the
casusoverleg's question, advice and actions, the notes of consents given in the trajectory. The resident is
unlinked; when the resident has nothing else open (no open trajectory, no open signal) the resident's
record is erased through core (``Resident.delete()``), whose erase path in vinden blanks their signals'
free text; the trajectory's own signal loses its free text and the contact details the reporter gave.

Kept, for the reports: wijk, age group, channel, states and dates, the closing reason, the scores and
categories of the measurements, the referrals' targets and outcomes (still going after 6 weeks).

Safe to run twice and on two machines: each trajectory is taken under a row lock (``skip_locked`` where the
database has it) and only while ``anonymised_at`` is empty; the job records counts, never content.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from samen.core.models import Resident
from samen.ondersteunen.models import (
    CaseAction,
    CaseDiscussion,
    CheckIn,
    ConsentEvent,
    ContactAttempt,
    MaatjeVisit,
    Measurement,
    Note,
    Profile,
    ProviderLink,
    Referral,
    ReferralEvent,
    SupportSettings,
    Trajectory,
    TrajectoryEvent,
)
from samen.ondersteunen.workflow import TRAJECTORY_OPEN

BATCH = 200


def cutoff(gemeente_id: int, now: datetime.datetime | None = None) -> datetime.datetime:
    months = SupportSettings.for_gemeente(gemeente_id).retention_months
    return (now or timezone.now()) - relativedelta(months=months)


def expired(gemeente_id: int, now: datetime.datetime | None = None):
    return Trajectory.objects.filter(gemeente_id=gemeente_id, anonymised_at__isnull=True, closed_at__isnull=False,
                                     closed_at__lt=cutoff(gemeente_id, now))


def _has_something_open(resident_id: int, but: int) -> bool:
    from samen.vinden.models import Signal
    from samen.vinden.workflow import OPEN

    return (Trajectory.objects.filter(resident_id=resident_id, status__in=TRAJECTORY_OPEN).exclude(pk=but).exists()
            or Signal.objects.filter(resident_id=resident_id, status__in=OPEN).exists())


def blank(trajectory: Trajectory, counts: dict, *, erase_resident: bool = True) -> None:
    """Blank everything personal of one trajectory (locked by the caller); add what was done to ``counts``."""
    from samen.vinden.models import Signal

    def add(key, n):
        counts[key] = counts.get(key, 0) + n

    pk = trajectory.pk
    add("events", TrajectoryEvent.objects.filter(trajectory_id=pk).exclude(reason="").update(reason=""))
    add("notes", Note.objects.filter(trajectory_id=pk).exclude(text="").update(text=""))
    add("contact_attempts", ContactAttempt.objects.filter(trajectory_id=pk).exclude(note="").update(note=""))
    add("profiles", Profile.objects.filter(trajectory_id=pk).update(
        good_at="", enjoys="", would_like_to_give="", interests=[], health={}, barriers=[], languages=[],
        availability=[], loneliness_kinds=[]))
    add("measurements", Measurement.objects.filter(trajectory_id=pk).update(answers=[]))
    referrals = Referral.objects.filter(trajectory_id=pk)
    add("referrals", referrals.update(note_for_provider="", answer_reason="", end_reason="", match={}))
    add("referral_events", ReferralEvent.objects.filter(referral__trajectory_id=pk).exclude(reason="")
        .update(reason=""))
    add("provider_links", ProviderLink.objects.filter(referral__trajectory_id=pk).delete()[0])
    add("maatje_visits", MaatjeVisit.objects.filter(referral__trajectory_id=pk).update(report_note="",
                                                                                      meet_place=""))
    add("checkins", CheckIn.objects.filter(trajectory_id=pk).exclude(worry_text="").update(worry_text=""))
    add("case_discussions", CaseDiscussion.objects.filter(trajectory_id=pk).update(question="", advice=""))
    add("case_actions", CaseAction.objects.filter(discussion__trajectory_id=pk).update(description=""))
    add("consents", ConsentEvent.objects.filter(trajectory_id=pk).exclude(note="").update(note=""))
    if trajectory.signal_id:
        add("signals", Signal.objects.filter(pk=trajectory.signal_id).update(description="", observations=[],
                                                                             reported_contact={}))
    resident_id = trajectory.resident_id
    trajectory.closing_note = ""
    trajectory.goal = ""
    trajectory.resident = None
    trajectory.anonymised_at = timezone.now()
    trajectory.save(update_fields=["closing_note", "goal", "resident", "anonymised_at", "updated_at"])
    add("trajectories", 1)
    if resident_id is not None:
        add("residents_unlinked", 1)
        if erase_resident and not _has_something_open(resident_id, but=pk) and not Trajectory.objects.filter(
                resident_id=resident_id, anonymised_at__isnull=True).exists():
            try:
                with transaction.atomic():
                    Resident.objects.filter(pk=resident_id).get().delete()
                add("residents_erased", 1)
            except (ProtectedError, RestrictedError, Resident.DoesNotExist):
                pass  # still needed elsewhere (e.g. the 75+ register): only unlinked


def anonymise_one(pk: int, *, now: datetime.datetime | None = None, counts: dict | None = None) -> bool:
    """Anonymise one expired trajectory under a row lock; False when another process has it or did it."""
    counts = counts if counts is not None else {}
    with transaction.atomic():
        trajectory = (Trajectory.objects.select_for_update(skip_locked=True)
                      .filter(pk=pk, anonymised_at__isnull=True, closed_at__isnull=False).first())
        if trajectory is None or trajectory.closed_at >= cutoff(trajectory.gemeente_id, now):
            return False
        blank(trajectory, counts)
        return True


def run(now: datetime.datetime | None = None) -> dict:
    """The job: every expired trajectory of every municipality, in batches. Returns counts only."""
    counts: dict[str, int] = {}
    gemeente_ids = (Trajectory.objects.filter(anonymised_at__isnull=True, closed_at__isnull=False)
                    .values_list("gemeente_id", flat=True).distinct())
    for gemeente_id in list(gemeente_ids):
        while True:
            ids = list(expired(gemeente_id, now).order_by("pk").values_list("pk", flat=True)[:BATCH])
            done = [pk for pk in ids if anonymise_one(pk, now=now, counts=counts)]
            if len(ids) < BATCH or not done:
                break
    counts.setdefault("trajectories", 0)
    return counts
