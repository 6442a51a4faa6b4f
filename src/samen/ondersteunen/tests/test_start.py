"""A trajectory starts when triage gives a signal to social work (the signal.triaged event), once."""

from __future__ import annotations

import pytest

from samen.core import states
from samen.core.roles import Role
from samen.core.tests.factories import ResidentFactory, UserFactory
from samen.ondersteunen.models import Trajectory, TrajectoryEvent
from samen.ondersteunen.services import trajectories
from samen.ondersteunen.workflow import TrajectoryDecision, TrajectoryStatus
from samen.vinden.services.signals import submit_signal, triage

pytestmark = pytest.mark.django_db(transaction=True)


def test_triage_to_social_work_starts_one_trajectory_for_the_worker():
    resident = ResidentFactory()
    wijk = resident.wijk
    worker = UserFactory(gemeente=wijk.gemeente, role=Role.SOCIAAL_WERKER, wijken=[wijk])
    signal = submit_signal(wijk.gemeente, channel="staff", data={"description": "x"}).signal
    signal.resident = resident
    signal.wijk = wijk
    signal.save(update_fields=["resident", "wijk"])
    triage(worker, signal.pk, "social_work", assign_to=worker)
    trajectory = Trajectory.objects.get(signal=signal)
    assert (trajectory.worker, trajectory.resident, trajectory.wijk) == (worker, resident, wijk)
    assert trajectory.status == TrajectoryStatus.AANGEMELD
    assert trajectory.first_contact_due > signal.created_at.date()
    # The event again (a retry): still one trajectory.
    trajectories.start(gemeente_id=wijk.gemeente_id, resident=resident, worker=worker,
                       by=trajectories.system(wijk.gemeente_id), signal=signal)
    assert Trajectory.objects.filter(signal=signal).count() == 1
    assert TrajectoryEvent.objects.filter(trajectory=trajectory, kind="started").count() == 1


def test_steps_keep_their_history_and_refuse_in_dutch():
    resident = ResidentFactory()
    worker = UserFactory(gemeente=resident.gemeente, role=Role.SOCIAAL_WERKER, wijken=[resident.wijk])
    trajectory = trajectories.start(gemeente_id=resident.gemeente_id, resident=resident, worker=worker, by=worker)
    trajectories.step(worker, trajectory.pk, TrajectoryDecision.CONTACT)
    with pytest.raises(states.TransitionRefused) as refused:
        trajectories.step(worker, trajectory.pk, TrajectoryDecision.AFTERCARE)
    assert "kan niet vanuit de stand" in str(refused.value)
    trajectories.step(worker, trajectory.pk, TrajectoryDecision.CLOSE, closing_reason="zelf_verder")
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.AFGESLOTEN and trajectory.closed_at
    assert list(trajectory.events.values_list("to_status", flat=True)) == ["aangemeld", "in_contact", "afgesloten"]
    with pytest.raises(states.TransitionForbidden):  # reopening a closed trajectory is the regisseur's
        trajectories.step(worker, trajectory.pk, TrajectoryDecision.REOPEN, reason="nieuwe zorg")
