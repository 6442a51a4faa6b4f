"""Retention: `samen jobs run` anonymises each trajectory closed longer ago than the retention period once,
keeps what the reports need, records counts (never content), and leaves younger ones alone."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from samen.core.models import JobRun, Resident
from samen.kwaliteit.models import Activity
from samen.ondersteunen.models import (
    CaseDiscussion,
    ConsentEvent,
    Measurement,
    Note,
    Profile,
    ReferralEvent,
    Trajectory,
    TrajectoryEvent,
)
from samen.ondersteunen.services import retention
from samen.ondersteunen.tests.factories import ReferralFactory, TrajectoryFactory
from samen.samenwerken.models import Zorgnetwerk

pytestmark = pytest.mark.django_db


def _closed(hilversum, months_ago: int, **kwargs) -> Trajectory:
    from samen.core.tests.factories import ResidentFactory

    resident = ResidentFactory(gemeente=hilversum, buurt=hilversum.wijken.first().buurten.first())
    closed = timezone.now() - datetime.timedelta(days=int(months_ago * 30.5))
    trajectory = TrajectoryFactory(resident=resident, status="afgesloten", closing_reason="doel_bereikt",
                                   closing_note="Woont nu bij haar dochter in Zwolle.", goal="Weer koken met anderen",
                                   closed_at=closed, **kwargs)
    TrajectoryEvent.objects.create(trajectory=trajectory, by_label="x", kind="transition", from_status="nazorg",
                                   to_status="afgesloten", decision="close", reason="Haar man is overleden.")
    Note.objects.create(trajectory=trajectory, text="Mevrouw vertelde over haar schulden.")
    Profile.objects.create(trajectory=trajectory, good_at="Breien", interests=["crafts"], health={"meedoen": 4})
    Measurement.objects.create(trajectory=trajectory, scale="djg6", moment="start", measured_on=closed.date(),
                               answers=[1, 1, 1, 3, 3, 1], score=5, category="matig eenzaam")
    activity = Activity.objects.filter(gemeente=hilversum, status="published").first()
    referral = ReferralFactory(trajectory=trajectory, activity=activity, status="gestopt", still_going_6w=False,
                               end_reason="Ruzie met de leiding.", note_for_provider="Slechthorend")
    ReferralEvent.objects.create(referral=referral, by_label="x", from_status="eerste_keer", to_status="gestopt",
                                 reason="Ruzie met de leiding.")
    ConsentEvent.objects.create(gemeente=hilversum, resident=resident, trajectory=trajectory,
                                purpose="share_with_provider", given=True, how="mondeling", by_label="x",
                                note="Via haar dochter")
    network = Zorgnetwerk.objects.filter(gemeente=hilversum).first()
    CaseDiscussion.objects.create(gemeente=hilversum, network=network, meeting_date=closed.date(),
                                  trajectory=trajectory, question="Zij drinkt te veel.", advice="Huisarts")
    return trajectory


def _run() -> dict:
    call_command("jobs", "run", "ondersteunen_retention", "--now")
    return JobRun.objects.filter(job="ondersteunen_retention").order_by("-started_at", "-id").first().result


def test_jobs_run_twice_anonymises_each_expired_trajectory_once(hilversum):
    old = _closed(hilversum, 25)
    young = _closed(hilversum, 20)
    expired_before = retention.expired(hilversum.pk).count()
    assert expired_before >= 1
    first = _run()
    assert first["trajectories"] == expired_before
    assert retention.expired(hilversum.pk).count() == 0
    second = _run()
    assert second["trajectories"] == 0
    # Counts only, never content, in the job's result.
    assert all(isinstance(v, int) for v in first.values())

    old.refresh_from_db()
    assert old.anonymised_at is not None and old.resident_id is None
    assert old.closing_note == "" and old.goal == ""
    assert old.closing_reason == "doel_bereikt" and old.wijk_id and old.age_group and old.channel  # kept for reports
    assert not old.events.exclude(reason="").exists()
    assert set(old.notes.values_list("text", flat=True)) == {""}
    assert old.profile.good_at == "" and old.profile.interests == [] and old.profile.health == {}
    measurement = old.measurements.get()
    assert measurement.answers == [] and measurement.score == 5 and measurement.category == "matig eenzaam"
    referral = old.referrals.get()
    assert referral.end_reason == "" and referral.note_for_provider == "" and referral.status == "gestopt"
    assert referral.still_going_6w is False
    assert not ReferralEvent.objects.filter(referral=referral).exclude(reason="").exists()
    item = old.case_discussions.get()
    assert item.question == "" and item.advice == ""
    # The resident had nothing else open: their record is erased through core.
    assert not Resident.objects.filter(trajectories=old).exists()
    assert first.get("residents_erased", 0) >= 1

    young.refresh_from_db()
    assert young.anonymised_at is None and young.closing_note and young.resident_id


def test_a_resident_with_something_open_is_only_unlinked(hilversum):
    old = _closed(hilversum, 30)
    resident = old.resident
    TrajectoryFactory(resident=resident, status="in_contact")
    counts = {}
    assert retention.anonymise_one(old.pk, counts=counts)
    assert Resident.objects.filter(pk=resident.pk).exists()
    assert counts["residents_unlinked"] == 1 and "residents_erased" not in counts
    assert not retention.anonymise_one(old.pk)  # done already: nothing twice


def test_an_anonymised_trajectory_cannot_change(hilversum):
    from django.core.exceptions import ValidationError

    from samen.ondersteunen.services import trajectories

    old = _closed(hilversum, 30)
    retention.anonymise_one(old.pk)
    with pytest.raises(ValidationError) as refused:
        trajectories.step(trajectories.system(hilversum.pk), old.pk, "reopen", reason="nieuw")
    assert "geanonimiseerd" in str(refused.value)
