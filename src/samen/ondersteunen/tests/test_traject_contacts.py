"""Contact attempts and notes: the first reached attempt is the step CONTACT; "niet bereikt" only after the
municipality's number of attempts on enough different days; bad input is refused in Dutch, nothing stored."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from samen.core.tests.factories import UserFactory
from samen.ondersteunen.models import ContactAttempt, Note, SupportSettings, TrajectoryEvent
from samen.ondersteunen.services import contacts, trajectories
from samen.ondersteunen.tests.factories import TrajectoryFactory
from samen.ondersteunen.workflow import TrajectoryDecision, TrajectoryStatus

pytestmark = pytest.mark.django_db


def _days_ago(days: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def trajectory():
    trajectory = TrajectoryFactory()
    # Started a few days ago, so attempts on earlier days count.
    type(trajectory).objects.filter(pk=trajectory.pk).update(started_at=_days_ago(5, 8))
    trajectory.refresh_from_db()
    return trajectory


def test_first_reached_attempt_takes_the_contact_step(trajectory):
    worker = trajectory.worker
    contacts.record_attempt(worker, trajectory.pk, method="phone", outcome="no_answer", at=_days_ago(2))
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.AANGEMELD and trajectory.first_contact_at is None
    when = _days_ago(1)
    contacts.record_attempt(worker, trajectory.pk, method="visit", outcome="reached", at=when, note="koffie gedronken")
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.IN_CONTACT
    assert trajectory.first_contact_at == when and trajectory.last_contact_at == when
    step = TrajectoryEvent.objects.get(trajectory=trajectory, decision=TrajectoryDecision.CONTACT)
    assert step.by == worker and step.details["contact_attempt"]
    # A later reached attempt moves only the last contact.
    later = timezone.now()
    contacts.record_attempt(worker, trajectory.pk, method="phone", outcome="reached", at=later)
    trajectory.refresh_from_db()
    assert trajectory.first_contact_at == when and trajectory.last_contact_at == later
    assert TrajectoryEvent.objects.filter(trajectory=trajectory, decision=TrajectoryDecision.CONTACT).count() == 1


def test_not_reached_only_after_three_attempts_on_two_days(trajectory):
    worker = trajectory.worker
    for hour in (9, 13, 16):  # three attempts, one day
        contacts.record_attempt(worker, trajectory.pk, method="phone", outcome="no_answer", at=_days_ago(1, hour))
    with pytest.raises(ValidationError) as refused:
        trajectories.step(worker, trajectory.pk, TrajectoryDecision.NOT_REACHED)
    assert "3 contactpogingen op minstens 2 verschillende dagen" in str(refused.value)
    assert "3 pogingen op 1 dagen" in str(refused.value)
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.AANGEMELD
    assert not contacts.not_reached_status(trajectory)["allowed"]
    contacts.record_attempt(worker, trajectory.pk, method="letter", outcome="message_left", at=_days_ago(0, 0))
    assert contacts.not_reached_status(trajectory)["allowed"]
    trajectories.step(worker, trajectory.pk, TrajectoryDecision.NOT_REACHED)
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.NIET_BEREIKT


def test_the_number_of_attempts_is_the_municipalitys(trajectory):
    settings = SupportSettings.for_gemeente(trajectory.gemeente_id)
    settings.contact_attempts, settings.contact_attempt_days = 1, 1
    settings.save()
    contacts.record_attempt(trajectory.worker, trajectory.pk, method="email", outcome="no_answer")
    trajectories.step(trajectory.worker, trajectory.pk, TrajectoryDecision.NOT_REACHED)


@pytest.mark.parametrize("kwargs, field, message", [
    ({"method": "duif", "outcome": "reached"}, "method", "Kies hoe u contact zocht."),
    ({"method": "phone", "outcome": "misschien"}, "outcome", "Kies de uitkomst van de poging."),
    ({"method": "phone", "outcome": "reached", "at": timezone.now() + datetime.timedelta(days=1)}, "at",
     "Een contactpoging ligt niet in de toekomst."),
    ({"method": "phone", "outcome": "reached", "at": timezone.now() - datetime.timedelta(days=400)}, "at",
     "te ver terug"),
    ({"method": "phone", "outcome": "reached", "note": "x" * 501}, "note", "Houd de notitie kort"),
])
def test_bad_attempts_are_refused_in_dutch_and_nothing_is_stored(trajectory, kwargs, field, message):
    with pytest.raises(ValidationError) as refused:
        contacts.record_attempt(trajectory.worker, trajectory.pk, **kwargs)
    assert message in " ".join(refused.value.message_dict[field])
    assert not ContactAttempt.objects.filter(trajectory=trajectory).exists()
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.AANGEMELD


def test_notes_and_a_closed_trajectory(trajectory):
    with pytest.raises(ValidationError) as refused:
        contacts.add_note(trajectory.worker, trajectory.pk, "   ")
    assert "Schrijf een notitie." in str(refused.value)
    contacts.add_note(trajectory.worker, trajectory.pk, "Inwoner houdt van tuinieren.")
    trajectories.step(trajectory.worker, trajectory.pk, TrajectoryDecision.CLOSE, closing_reason="verhuisd")
    with pytest.raises(ValidationError) as closed:
        contacts.add_note(trajectory.worker, trajectory.pk, "nog iets")
    assert "afgesloten" in str(closed.value)
    assert Note.objects.filter(trajectory=trajectory).count() == 1


def test_a_worker_elsewhere_may_not_record(trajectory):
    from samen.core.roles import Role
    from samen.core.tests.factories import WijkFactory

    stranger = UserFactory(gemeente=trajectory.gemeente, role=Role.SOCIAAL_WERKER, wijken=[WijkFactory(
        gemeente=trajectory.gemeente)])
    with pytest.raises(type(trajectory).DoesNotExist):
        contacts.record_attempt(stranger, trajectory.pk, method="phone", outcome="reached")
    assert not ContactAttempt.objects.filter(trajectory=trajectory).exists()


def test_closing_anders_needs_text_and_reasons_come_from_the_table(trajectory):
    with pytest.raises(ValidationError) as anders:
        trajectories.step(trajectory.worker, trajectory.pk, TrajectoryDecision.CLOSE, closing_reason="anders")
    assert "Licht 'anders' toe." in str(anders.value)
    with pytest.raises(ValidationError) as unknown:
        trajectories.step(trajectory.worker, trajectory.pk, TrajectoryDecision.CLOSE, closing_reason="zomaar")
    assert "Kies een reden van afsluiten uit de lijst." in str(unknown.value)
    with pytest.raises(ValidationError) as none:
        trajectories.step(trajectory.worker, trajectory.pk, TrajectoryDecision.CLOSE)
    assert "reden van afsluiten" in str(none.value)
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.AANGEMELD and trajectory.events.count() == 0
