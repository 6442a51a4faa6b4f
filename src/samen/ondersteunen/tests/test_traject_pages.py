"""The trajectory screens: the page (logged), steps, reassignment, attempts, notes and consent from the page,
starting a trajectory for a resident, the caseload, the list, the sections on the signal and resident pages and
the reporter's stage. Bad input: a Dutch message and nothing stored."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samen.core.models import AccessLogEntry
from samen.core.roles import Role
from samen.core.tests.clients import verified_client
from samen.core.tests.factories import ResidentFactory, UserFactory
from samen.ondersteunen.models import ConsentEvent, ConsentPurpose, ContactAttempt, Note, Trajectory, TrajectoryEvent
from samen.ondersteunen.services import trajectories
from samen.ondersteunen.tests.factories import TrajectoryFactory, worker_in
from samen.ondersteunen.workflow import TrajectoryStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def trajectory():
    resident = ResidentFactory()
    worker = worker_in(resident.wijk, totp=True, first_name="Sanne", last_name="Werker")
    return trajectories.start(gemeente_id=resident.gemeente_id, resident=resident, worker=worker, by=worker)


@pytest.fixture
def client(trajectory):
    return verified_client(trajectory.worker)


def _url(name, trajectory):
    return reverse(f"ondersteunen:{name}", kwargs={"pk": trajectory.pk})


def test_the_page_shows_the_trajectory_and_logs_the_read(client, trajectory):
    response = client.get(_url("trajectory_detail", trajectory))
    assert response.status_code == 200
    body = response.content.decode()
    assert trajectory.resident.name in body and "Sanne Werker" in body and "aangemeld" in body
    assert reverse("core:resident_detail", kwargs={"pk": trajectory.resident_id}) in body
    assert 'value="contact"' in body and 'value="not_reached"' in body
    entries = AccessLogEntry.objects.filter(actor=trajectory.worker, route="ondersteunen:trajectory_detail")
    assert {(e.record_type, e.record_id, e.purpose) for e in entries} == {
        ("ondersteunen.trajectory", str(trajectory.pk), "ondersteuning"),
        ("core.resident", str(trajectory.resident_id), "ondersteuning")}


def test_overdue_first_contact_is_marked(client, trajectory):
    import datetime

    from django.utils import timezone

    Trajectory.objects.filter(pk=trajectory.pk).update(first_contact_due=timezone.localdate()
                                                       - datetime.timedelta(days=1))
    body = client.get(_url("trajectory_detail", trajectory)).content.decode()
    assert "Eerste contact te laat" in body


def test_someone_elses_trajectory_is_not_found(trajectory):
    other = worker_in(ResidentFactory().wijk, totp=True)
    assert verified_client(other).get(_url("trajectory_detail", trajectory)).status_code == 404


def test_steps_from_the_page(client, trajectory):
    response = client.post(_url("trajectory_step", trajectory), {"decision": "contact"})
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.IN_CONTACT and trajectory.first_contact_at
    # Closing without a reason: refused in Dutch, nothing changed.
    response = client.post(_url("trajectory_step", trajectory), {"decision": "close"})
    assert response.status_code == 400
    assert "kan alleen met een reden van afsluiten" in response.content.decode()
    response = client.post(_url("trajectory_step", trajectory), {"decision": "close", "closing_reason": "anders"})
    assert response.status_code == 400 and "Licht &#x27;anders&#x27; toe." in response.content.decode()
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.IN_CONTACT
    response = client.post(_url("trajectory_step", trajectory), {"decision": "close", "closing_reason": "anders",
                                                                  "reason": "verhuisd naar familie"})
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.AFGESLOTEN and trajectory.closing_note == "verhuisd naar familie"


def test_not_reached_refused_too_early_from_the_page(client, trajectory):
    response = client.post(_url("trajectory_step", trajectory), {"decision": "not_reached"})
    assert response.status_code == 400
    assert "kan pas na 3 contactpogingen op minstens 2 verschillende dagen" in response.content.decode()
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.AANGEMELD


def test_an_unknown_step_is_refused(client, trajectory):
    response = client.post(_url("trajectory_step", trajectory), {"decision": "vliegen"})
    assert response.status_code == 400 and "kan niet vanuit de stand" in response.content.decode()
    response = client.post(_url("trajectory_step", trajectory), {})
    assert response.status_code == 400 and "Kies een stap." in response.content.decode()
    assert not TrajectoryEvent.objects.filter(trajectory=trajectory, kind="transition").exists()


def test_attempts_and_notes_from_the_page(client, trajectory):
    response = client.post(_url("trajectory_attempt", trajectory), {"method": "phone", "outcome": "no_answer"})
    assert response.status_code == 302
    response = client.post(_url("trajectory_attempt", trajectory), {"method": "phone", "outcome": "reached",
                                                                     "note": "gebeld, afspraak gemaakt"})
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.IN_CONTACT
    assert client.post(_url("trajectory_note", trajectory), {"text": "Houdt van zingen."}).status_code == 302
    body = client.get(_url("trajectory_detail", trajectory)).content.decode()
    assert "gebeld, afspraak gemaakt" in body and "Houdt van zingen." in body and "Contactpoging" in body


@pytest.mark.parametrize("data, message", [
    ({"outcome": "reached"}, "Kies hoe u contact zocht."),
    ({"method": "phone"}, "Kies de uitkomst."),
    ({"method": "phone", "outcome": "reached", "at": "gisteren"}, "Geef een datum en tijd"),
    ({"method": "phone", "outcome": "reached", "at": "2099-01-01T10:00"}, "ligt niet in de toekomst"),
    ({"method": "phone", "outcome": "reached", "note": "x" * 501}, "Houd de notitie kort"),
])
def test_bad_attempts_from_the_page(client, trajectory, data, message):
    response = client.post(_url("trajectory_attempt", trajectory), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not ContactAttempt.objects.filter(trajectory=trajectory).exists()


def test_bad_notes_from_the_page(client, trajectory):
    for data, message in (({"text": ""}, "Schrijf een notitie."), ({"text": "x" * 2001}, "Houd de notitie kort")):
        response = client.post(_url("trajectory_note", trajectory), data)
        assert response.status_code == 400 and message in response.content.decode()
    assert not Note.objects.filter(trajectory=trajectory).exists()


def test_reassign_needs_a_reason_and_a_worker(client, trajectory):
    colleague = worker_in(trajectory.wijk, first_name="Kees", last_name="Collega")
    url = _url("trajectory_reassign", trajectory)
    response = client.post(url, {"worker": colleague.pk})
    assert response.status_code == 400 and "Geef een reden voor de overdracht." in response.content.decode()
    response = client.post(url, {"worker": 999999, "reason": "ziek"})
    assert response.status_code == 400 and "Kies een sociaal werker uit de lijst." in response.content.decode()
    trajectory.refresh_from_db()
    assert trajectory.worker != colleague
    assert client.post(url, {"worker": colleague.pk, "reason": "verlof"}).status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.worker == colleague
    event = TrajectoryEvent.objects.get(trajectory=trajectory, kind="reassigned")
    assert event.reason == "verlof" and event.details["to_worker"] == colleague.pk


def test_consent_from_the_page_is_appended(client, trajectory):
    url = _url("trajectory_consent", trajectory)
    response = client.post(url, {"purpose": "maatje", "given": "ja"})
    assert response.status_code == 400 and "Kies hoe de inwoner de toestemming gaf of introk." in \
        response.content.decode()
    mine = ConsentEvent.objects.filter(resident=trajectory.resident)
    assert not mine.exists()
    assert client.post(url, {"purpose": "maatje", "given": "ja", "how": "mondeling"}).status_code == 302
    assert client.post(url, {"purpose": "maatje", "given": "nee", "how": "telefonisch",
                             "note": "wil het toch niet"}).status_code == 302
    assert list(mine.order_by("id").values_list("given", flat=True)) == [True, False]
    body = client.get(_url("trajectory_detail", trajectory)).content.decode()
    assert "wil het toch niet" in body and "Geschiedenis van de toestemming" in body


def test_start_a_trajectory_for_a_resident(trajectory):
    resident = ResidentFactory(buurt=trajectory.resident.buurt)
    worker = trajectory.worker
    client = verified_client(worker)
    url = reverse("ondersteunen:resident_start", kwargs={"pk": resident.pk})
    page = client.get(reverse("core:resident_detail", kwargs={"pk": resident.pk})).content.decode()
    assert url in page
    assert client.get(url).status_code == 200
    response = client.post(url, {"worker": "", "goal": "weer eens buiten komen"})
    assert response.status_code == 400 and "Kies een sociaal werker." in response.content.decode()
    assert not Trajectory.objects.filter(resident=resident).exists()
    assert client.post(url, {"worker": worker.pk, "goal": "weer eens buiten komen"}).status_code == 302
    started = Trajectory.objects.get(resident=resident)
    assert started.goal == "weer eens buiten komen" and started.signal is None
    # A second open trajectory for the same resident is refused.
    response = client.post(url, {"worker": worker.pk})
    assert response.status_code == 400 and "loopt al een traject" in response.content.decode()
    assert Trajectory.objects.filter(resident=resident).count() == 1


def test_resident_page_shows_signals_trajectories_and_referrals(client, trajectory):
    from samen.kwaliteit.tests.factories import ActivityFactory
    from samen.ondersteunen.tests.factories import ReferralFactory

    activity = ActivityFactory()
    ReferralFactory(trajectory=trajectory, activity=activity)
    body = client.get(reverse("core:resident_detail", kwargs={"pk": trajectory.resident_id})).content.decode()
    assert "Signalen, trajecten en verwijzingen" in body
    assert reverse("ondersteunen:trajectory_detail", kwargs={"pk": trajectory.pk}) in body
    assert activity.title in body


def test_partner_sees_no_trajectory_section(trajectory):
    partner = UserFactory(gemeente=trajectory.gemeente, role=Role.PARTNER, wijken=[trajectory.wijk], totp=True)
    body = verified_client(partner).get(reverse("core:resident_detail", kwargs={"pk": trajectory.resident_id}))
    assert "Signalen, trajecten en verwijzingen" not in body.content.decode()


def test_my_residents_lists_and_logs(client, trajectory):
    import datetime

    from django.utils import timezone

    late = TrajectoryFactory(worker=trajectory.worker, resident=ResidentFactory(buurt=trajectory.resident.buurt),
                             first_contact_due=timezone.localdate() - datetime.timedelta(days=2))
    response = client.get(reverse("ondersteunen:my_residents"))
    body = response.content.decode()
    assert response.status_code == 200 and late.resident.name in body and "te laat" in body
    logged = set(AccessLogEntry.objects.filter(route="ondersteunen:my_residents", record_type="core.resident")
                 .values_list("record_id", flat=True))
    assert {str(late.resident_id), str(trajectory.resident_id)} <= logged
    home = client.get(reverse("core:home")).content.decode()
    assert "Mijn inwoners" in home and "eerste contact is te laat" in home


def test_trajectory_list_filters_on_the_server(client, trajectory):
    other = TrajectoryFactory(worker=trajectory.worker, resident=ResidentFactory(
        buurt=trajectory.resident.buurt, name="Aaltje Zeldzaam", postcode="1234AB"))
    url = reverse("ondersteunen:trajectory_list")
    body = client.get(url, {"q": "Zeldzaam"}).content.decode()
    assert other.resident.name in body and trajectory.resident.name not in body
    body = client.get(url, {"postcode": "1234 ab"}).content.decode()
    assert other.resident.name in body and trajectory.resident.name not in body
    body = client.get(url, {"stand": "afgesloten"}).content.decode()
    assert "Geen trajecten gevonden." in body
    body = client.get(url, {"van": "niet-een-datum", "wijk": trajectory.wijk.code}).content.decode()
    assert other.resident.name in body and trajectory.resident.name in body


def test_oversight_counts_per_worker_and_wijk(trajectory):
    regisseur = UserFactory(gemeente=trajectory.gemeente, role=Role.REGISSEUR, totp=True)
    body = verified_client(regisseur).get(reverse("ondersteunen:oversight")).content.decode()
    assert "Sanne Werker" in body and trajectory.wijk.display_name in body
    assert verified_client(trajectory.worker).get(reverse("ondersteunen:oversight")).status_code == 403


def test_signal_page_shows_how_to_reach_and_the_reporter_sees_only_the_stage(trajectory):
    from samen.vinden.services.signals import submit_signal

    partner = UserFactory(gemeente=trajectory.gemeente, role=Role.PARTNER, wijken=[trajectory.wijk], totp=True)
    signal = submit_signal(trajectory.gemeente, channel="staff", reporter=partner, data={
        "postcode": trajectory.resident.postcode, "house_number": trajectory.resident.house_number,
        "phone": "06-11112222", "description": "Mevrouw komt al weken de deur niet meer uit en lijkt somber.",
        "observations": ["weinig_bezoek"]}).signal
    worker = trajectory.worker
    type(signal).objects.filter(pk=signal.pk).update(resident=trajectory.resident, wijk=trajectory.wijk)
    signal.refresh_from_db()
    started = trajectories.start(gemeente_id=signal.gemeente_id, resident=signal.resident, worker=worker,
                                 by=trajectories.system(signal.gemeente_id), signal=signal)
    body = verified_client(worker).get(reverse("vinden:signal_detail", kwargs={"pk": signal.pk})).content.decode()
    assert "De inwoner bereiken" in body
    assert reverse("ondersteunen:trajectory_detail", kwargs={"pk": started.pk}) in body
    mine = verified_client(partner).get(reverse("vinden:my_reports")).content.decode()
    assert "in behandeling" in mine and "Mevrouw komt al weken de deur …" in mine
    trajectories.step(worker, started.pk, "contact")
    trajectories.step(worker, started.pk, "plan")
    contacts_note = "geheime inhoud van het gesprek"
    from samen.ondersteunen.services import contacts

    contacts.add_note(worker, started.pk, contacts_note)
    mine = verified_client(partner).get(reverse("vinden:my_reports")).content.decode()
    assert "contact gelegd" in mine and contacts_note not in mine


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=st.lists(st.tuples(st.sampled_from(ConsentPurpose.values), st.booleans(), st.integers(0, 3)),
                        max_size=8))
def test_the_current_consent_of_every_purpose_agrees_with_asking_one_purpose(trajectory, history):
    """The page asks once for all purposes; the answer is the latest word per purpose, as ``current`` gives it
    (also when two words share a timestamp: the later row wins)."""
    import datetime

    from django.utils import timezone

    from samen.ondersteunen.services import consent

    resident = trajectory.resident
    ConsentEvent.objects.filter(resident=resident).delete()
    start = timezone.now() - datetime.timedelta(days=10)
    for purpose, yes, day in history:
        event = consent.record(trajectory.worker, resident, purpose, yes, how="mondeling")
        ConsentEvent.objects.filter(pk=event.pk).update(at=start + datetime.timedelta(days=day))
    assert consent.current_all(resident.pk) == {p: consent.current(resident.pk, p) for p in ConsentPurpose.values}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.sampled_from([TrajectoryStatus.AANGEMELD, TrajectoryStatus.IN_CONTACT,
                                                TrajectoryStatus.NAZORG, TrajectoryStatus.AFGESLOTEN]),
                               st.integers(-4, 4), st.booleans(), st.one_of(st.none(), st.integers(0, 60)),
                               st.integers(0, 60)), min_size=1, max_size=8))
def test_my_residents_cuts_the_same_lists_as_the_database_would(trajectory, rows):
    """"Mijn inwoners" reads the open trajectories once and cuts the lists in Python; each list is what the
    database filter (the rule written out once more here) gives, in the same order."""
    import datetime

    from django.db.models import Q
    from django.utils import timezone

    from samen.ondersteunen.services import caseload

    worker, today = trajectory.worker, timezone.localdate()
    Trajectory.objects.filter(worker=worker).delete()
    now = timezone.now()
    for status, due, contacted, last_days, started_days in rows:
        t = TrajectoryFactory(worker=worker, resident=ResidentFactory(buurt=trajectory.resident.buurt),
                              status=status, first_contact_due=today + datetime.timedelta(days=due),
                              first_contact_at=now if contacted else None,
                              last_contact_at=None if last_days is None else now - datetime.timedelta(days=last_days))
        Trajectory.objects.filter(pk=t.pk).update(started_at=now - datetime.timedelta(days=started_days))
    lists = caseload.my_residents(worker, today)
    mine = Trajectory.objects.filter(worker=worker, status__in=caseload.OPEN)
    waiting = mine.filter(status=TrajectoryStatus.AANGEMELD, first_contact_at__isnull=True)
    limit = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=30), datetime.time()))
    stale = Q(last_contact_at__lt=limit) | Q(last_contact_at__isnull=True, started_at__lt=limit)

    def ids(items):
        return [t.pk for t in items]

    assert ids(lists["due_today"]) == ids(waiting.filter(first_contact_due=today).order_by("-started_at", "-pk"))
    assert ids(lists["overdue"]) == ids(waiting.filter(first_contact_due__lt=today)
                                        .order_by("first_contact_due", "-started_at", "-pk"))
    assert ids(lists["open"]) == ids(mine.order_by("first_contact_due", "-started_at", "-pk"))
    assert ids(lists["no_contact"]) == ids(mine.filter(stale).order_by("-started_at", "-pk"))
