"""The caseload, oversight, trajectory and resident pages ask the database a fixed number of times, however many
rows they show: each page is measured with a few rows and with ten times as many, and the counts must be equal
(an N+1 makes the second count grow). The per-request memo of policy.can() is pinned too: it answers within one
GET, and never across requests or users."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samen.core import policy
from samen.core.roles import Role
from samen.core.tests.clients import verified_client
from samen.core.tests.factories import ResidentFactory, UserFactory
from samen.kwaliteit.tests.factories import ActivityFactory
from samen.ondersteunen.models import CheckIn, ContactAttempt, Measurement, Note, Referral, ReferralEvent
from samen.ondersteunen.services import trajectories
from samen.ondersteunen.tests.factories import worker_in

pytestmark = pytest.mark.django_db


def _fill(trajectory, n: int) -> None:
    """n contact attempts, notes, measurements, referrals (each with an event and a check-in)."""
    worker, now = trajectory.worker, timezone.now()
    ContactAttempt.objects.bulk_create([ContactAttempt(trajectory=trajectory, by=worker, at=now, method="phone",
                                                       outcome="no_answer") for _ in range(n)])
    Note.objects.bulk_create([Note(trajectory=trajectory, by=worker, text=f"notitie {i}") for i in range(n)])
    Measurement.objects.bulk_create([Measurement(trajectory=trajectory, moment="other", score=3, category="matig",
                                                 measured_on=timezone.localdate() - datetime.timedelta(days=i))
                                     for i in range(n)])
    activity = ActivityFactory(gemeente=trajectory.gemeente, location=None)
    for i in range(n):
        referral = Referral.objects.create(gemeente=trajectory.gemeente, trajectory=trajectory, kind="activity",
                                           activity=activity, organisation=activity.organisation,
                                           status="aangemeld", sent_at=now, answered_at=now)
        ReferralEvent.objects.create(referral=referral, by_label="test", to_status="aangemeld")
        CheckIn.objects.create(trajectory=trajectory, referral=referral, offset_days=14 + i,
                               due_on=timezone.localdate())


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def _caseload(n: int):
    """A worker with n open trajectories (of n residents), one of them filled with n of everything."""
    first = ResidentFactory()
    worker = worker_in(first.wijk, totp=True)
    started = []
    for i in range(n):
        resident = first if i == 0 else ResidentFactory(gemeente=first.gemeente, buurt=first.buurt)
        started.append(trajectories.start(gemeente_id=resident.gemeente_id, resident=resident, worker=worker,
                                          by=worker))
    _fill(started[0], n)
    return worker, started


@pytest.mark.parametrize("page", ["trajectory", "resident", "caseload", "oversight"])
def test_a_page_asks_the_same_number_of_queries_for_3_and_30_rows(page):
    counts = []
    for n in (3, 30):
        worker, started = _caseload(n)
        user = worker
        if page == "oversight":
            user = UserFactory(gemeente=worker.gemeente, role=Role.REGISSEUR, totp=True)
        url = {"trajectory": reverse("ondersteunen:trajectory_detail", kwargs={"pk": started[0].pk}),
               "resident": reverse("core:resident_detail", kwargs={"pk": started[0].resident_id}),
               "caseload": reverse("ondersteunen:my_residents"),
               "oversight": reverse("ondersteunen:oversight")}[page]
        counts.append(_count(verified_client(user), url))
    assert counts[0] == counts[1], f"{page}: {counts[0]} queries with 3 rows, {counts[1]} with 30"


@pytest.mark.parametrize(("page", "most"), [("trajectory", 28), ("resident", 18), ("caseload", 17),
                                            ("oversight", 16)])
def test_a_page_stays_under_its_query_budget(page, most, django_assert_max_num_queries):
    worker, started = _caseload(5)
    user = UserFactory(gemeente=worker.gemeente, role=Role.REGISSEUR, totp=True) if page == "oversight" else worker
    url = {"trajectory": reverse("ondersteunen:trajectory_detail", kwargs={"pk": started[0].pk}),
           "resident": reverse("core:resident_detail", kwargs={"pk": started[0].resident_id}),
           "caseload": reverse("ondersteunen:my_residents"), "oversight": reverse("ondersteunen:oversight")}[page]
    client = verified_client(user)
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200


def test_the_policy_memo_answers_within_one_block_only():
    resident = ResidentFactory()
    worker = worker_in(resident.wijk)
    trajectory = trajectories.start(gemeente_id=resident.gemeente_id, resident=resident, worker=worker, by=worker)
    other = UserFactory(gemeente=resident.gemeente, role=Role.SOCIAAL_WERKER)  # no wijk: sees nothing of it
    with policy.memoised():
        assert policy.can(worker, "trajectory.view", trajectory)
        with CaptureQueriesContext(connection) as queries:
            assert policy.can(worker, "trajectory.view", trajectory)
        assert not queries.captured_queries
        # Another user in the same block gets their own answer, not the worker's.
        assert not policy.can(other, "trajectory.view", trajectory)
    trajectory.worker = other
    trajectory.save(update_fields=["worker"])
    worker.wijken.clear()
    worker = type(worker).objects.get(pk=worker.pk)
    # Outside the block (the next request) the answer is asked again.
    assert policy.can(worker, "trajectory.view", trajectory) is policy._sees(worker, trajectory)


def test_a_post_is_not_memoised():
    resident = ResidentFactory()
    worker = worker_in(resident.wijk, totp=True)
    trajectory = trajectories.start(gemeente_id=resident.gemeente_id, resident=resident, worker=worker, by=worker)
    client = verified_client(worker)
    response = client.post(reverse("ondersteunen:trajectory_note", kwargs={"pk": trajectory.pk}), {"text": "Gebeld."})
    assert response.status_code == 302
    assert policy._seen.get() is None
    assert trajectory.notes.count() == 1


def test_the_trajectory_rows_are_read_once_for_the_page_and_for_its_user():
    from samen.ondersteunen.models import Trajectory

    worker, started = _caseload(3)
    for checkin, measurement in zip(CheckIn.objects.filter(trajectory=started[0]),
                                    Measurement.objects.filter(trajectory=started[0]), strict=True):
        checkin.measurement = measurement
        checkin.save(update_fields=["measurement"])
    trajectory = trajectories.prefetch_rows(Trajectory.objects.get(pk=started[0].pk), worker)
    with CaptureQueriesContext(connection) as queries:
        counts = {name: len(trajectories.rows(trajectory, name)) for name in
                  ("events", "contact_attempts", "notes", "measurements", "referrals", "checkins")}
        referrals = trajectories.visible_referrals(worker, trajectory)
        labels = [r.target_label for r in referrals] + [e.to_status for r in referrals for e in r.events.all()]
        checked = [c.measurement.score for c in trajectories.rows(trajectory, "checkins")]
    assert not queries.captured_queries
    assert counts["contact_attempts"] == counts["notes"] == counts["referrals"] == counts["checkins"] == 3
    assert len(labels) == 6 and checked == [3, 3, 3]
    # The referrals read for the worker are not another user's answer: a colleague without the wijk sees none.
    other = UserFactory(gemeente=worker.gemeente, role=Role.SOCIAAL_WERKER)
    assert trajectories.visible_referrals(other, trajectory) == []
    # Without the page's read, rows() asks the database each time: a note added since shows.
    fresh = Trajectory.objects.get(pk=trajectory.pk)
    before = len(trajectories.rows(fresh, "notes"))
    Note.objects.create(trajectory=fresh, by=worker, text="later")
    assert len(trajectories.rows(fresh, "notes")) == before + 1
