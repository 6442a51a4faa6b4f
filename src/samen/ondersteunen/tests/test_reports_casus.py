"""The casusoverleg: pseudonyms for the network's members, by name only with consent, advice and actions on
the trajectory, action points on the owner's home page, and bad input refused in Dutch with nothing stored."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from samen.core.models import AccessLogEntry, User
from samen.ondersteunen.models import CaseAction, CaseDiscussion, ConsentEvent, Trajectory, TrajectoryEvent
from samen.ondersteunen.services import casus, consent
from samen.samenwerken.models import Zorgnetwerk

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(hilversum):
    return Zorgnetwerk.objects.get(gemeente=hilversum, name="Zorgnetwerk Noord-Oost")


@pytest.fixture
def sw(hilversum):
    return User.objects.get(username="sociaalwerker")


def _open_trajectory(sw, hilversum, **filters):
    return (Trajectory.objects.filter(gemeente=hilversum, worker=sw, status__in=["in_contact", "plan", "nazorg"],
                                      resident__isnull=False, **filters)
            .exclude(case_discussions__isnull=False).order_by("pk").first())


def test_a_pseudonym_is_stable_names_no_id_and_gives_age_group_and_wijk(hilversum, sw):
    trajectory = Trajectory.objects.filter(gemeente=hilversum, worker=sw).exclude(age_group="").first()
    label = casus.pseudonym(trajectory)
    assert label == casus.pseudonym(Trajectory.objects.get(pk=trajectory.pk))
    assert label.startswith("Inwoner ") and trajectory.age_group in label and trajectory.wijk.display_name in label
    code = label.split(",")[0].removeprefix("Inwoner ")  # e.g. "T-28": a letter and a number, not the id
    assert code.split("-")[-1] != str(trajectory.pk)
    others = {casus.pseudonym(t) for t in Trajectory.objects.filter(gemeente=hilversum)[:40]}
    assert len(others) > 30  # different trajectories, different codes (collisions are rare)


def test_the_partner_sees_pseudonyms_and_a_name_only_with_consent(hilversum, network, client_as):
    meeting = CaseDiscussion.objects.filter(network=network, meeting_date__gte=timezone.localdate()).first()
    response = client_as("partner").get(
        reverse("ondersteunen_rapportage:casus_network_agenda", args=[network.pk]) + f"?datum={meeting.meeting_date}")
    assert response.status_code == 200
    html = response.content.decode()
    items = CaseDiscussion.objects.filter(network=network, meeting_date=meeting.meeting_date)
    for item in items:
        if item.by_name:
            assert item.trajectory.resident.name in html
        else:
            assert item.trajectory.resident.name not in html
            assert casus.pseudonym(item.trajectory) in html
    named = items.filter(by_name=True).first()
    assert AccessLogEntry.objects.filter(record_type="core.resident", record_id=str(named.trajectory.resident_id),
                                         actor_label="partner").exists()


def test_a_withdrawn_consent_makes_the_coming_item_pseudonymous_again(hilversum, network, sw,
                                                                      django_capture_on_commit_callbacks):
    item = CaseDiscussion.objects.filter(network=network, by_name=True).first()
    with django_capture_on_commit_callbacks(execute=True):
        consent.record(sw, item.trajectory.resident, "discuss_by_name", False, how="telefonisch",
                       trajectory=item.trajectory)
    item.refresh_from_db()
    assert item.by_name is False
    partner = User.objects.get(username="partner")
    rows = casus.agenda(partner, network, item.meeting_date)
    row = next(r for r in rows if r["item"].pk == item.pk)
    assert row["label"] == casus.pseudonym(item.trajectory)


def test_by_name_without_consent_is_refused_in_dutch_and_nothing_is_stored(hilversum, network, sw, client_as):
    trajectory = _open_trajectory(sw, hilversum)
    assert not consent.current(trajectory.resident_id, "discuss_by_name")
    before = (CaseDiscussion.objects.count(), TrajectoryEvent.objects.count())
    response = client_as("sociaalwerker").post(
        reverse("ondersteunen_rapportage:casus_network_add", args=[network.pk]),
        {"trajectory": trajectory.pk, "meeting_date": (timezone.localdate() + datetime.timedelta(7)).isoformat(),
         "question": "Wie weet raad?", "by_name": "on"})
    assert response.status_code == 400
    assert "Met naam bespreken in het zorgnetwerk kan alleen met toestemming" in response.content.decode()
    assert (CaseDiscussion.objects.count(), TrajectoryEvent.objects.count()) == before


def test_a_worker_puts_a_trajectory_on_the_agenda(hilversum, network, sw, client_as):
    trajectory = _open_trajectory(sw, hilversum)
    day = timezone.localdate() + datetime.timedelta(days=21)
    response = client_as("sociaalwerker").post(
        reverse("ondersteunen_rapportage:casus_network_add", args=[network.pk]),
        {"trajectory": trajectory.pk, "meeting_date": day.isoformat(), "question": "Wie kent een wandelclub?"})
    assert response.status_code == 302
    item = CaseDiscussion.objects.get(trajectory=trajectory, meeting_date=day)
    assert item.by_name is False and item.added_by == sw
    assert TrajectoryEvent.objects.filter(trajectory=trajectory, kind="notice",
                                          details__case_discussion=item.pk).exists()
    with pytest.raises(ValidationError) as refused:  # twice on one meeting
        casus.add(sw, network=network, meeting_date=day, trajectory=trajectory, question="Nog eens")
    assert "staat al op de agenda" in str(refused.value)


@pytest.mark.parametrize("data, message", [
    ({"question": ""}, "Schrijf de vraag aan het netwerk op."),
    ({"meeting_date": ""}, "Kies de datum van het overleg."),
    ({"meeting_date": "2020-01-01"}, "Kies een overleg vandaag of later."),
])
def test_an_incomplete_item_is_refused(hilversum, network, sw, client_as, data, message):
    trajectory = _open_trajectory(sw, hilversum)
    post = {"trajectory": trajectory.pk, "meeting_date": (timezone.localdate() + datetime.timedelta(7)).isoformat(),
            "question": "Vraag", **data}
    before = CaseDiscussion.objects.count()
    response = client_as("sociaalwerker").post(
        reverse("ondersteunen_rapportage:casus_network_add", args=[network.pk]), post)
    assert response.status_code == 400 and message in response.content.decode()
    assert CaseDiscussion.objects.count() == before


def test_advice_and_an_action_are_recorded_and_show_on_the_timeline_and_the_owners_home(
        hilversum, network, sw, client_as):
    item = CaseDiscussion.objects.filter(network=network, advice="").first()
    partner = User.objects.get(username="partner")
    due = timezone.localdate() + datetime.timedelta(days=2)
    response = client_as("sociaalwerker").post(
        reverse("ondersteunen_rapportage:casediscussion_advice", args=[item.pk]),
        {"advice": "Samen naar de eettafel.", "description": "Buurvrouw vragen", "owner": partner.pk,
         "due_on": due.isoformat()})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.advice == "Samen naar de eettafel." and item.discussed_at is not None
    action = item.actions.get(description="Buurvrouw vragen")
    assert action.owner == partner and action.due_on == due
    timeline = casus.timeline(item.trajectory)
    assert any(row["advice"] == "Samen naar de eettafel." for row in timeline)
    home = client_as("partner").get(reverse("core:home")).content.decode()
    assert "Buurvrouw vragen" in home and "Uw afspraken uit het casusoverleg" in home
    done = client_as("partner").post(reverse("ondersteunen_rapportage:caseaction_done", args=[action.pk]))
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.done_at is not None


@pytest.mark.parametrize("data, message", [
    ({"owner": ""}, "Kies wie de afspraak uitvoert."),
    ({"due_on": ""}, "Kies uiterlijk wanneer het gebeurt."),
])
def test_an_action_without_owner_or_date_is_refused(hilversum, network, client_as, data, message):
    item = CaseDiscussion.objects.filter(network=network, advice="").first()
    partner = User.objects.get(username="partner")
    post = {"advice": "Advies", "description": "Bellen", "owner": partner.pk,
            "due_on": timezone.localdate().isoformat(), **data}
    before = CaseAction.objects.count()
    response = client_as("sociaalwerker").post(
        reverse("ondersteunen_rapportage:casediscussion_advice", args=[item.pk]), post)
    assert response.status_code == 400 and message in response.content.decode()
    item.refresh_from_db()
    assert CaseAction.objects.count() == before and item.advice == ""


def test_a_partner_of_another_network_does_not_see_the_agenda(hilversum, network):
    from samen.core.roles import Role
    from samen.core.tests.factories import UserFactory

    elsewhere = Zorgnetwerk.objects.filter(gemeente=hilversum).exclude(pk=network.pk).first()
    outsider = UserFactory(gemeente=hilversum, role=Role.PARTNER, wijken=[elsewhere.wijk])
    assert not casus.can_see_agenda(outsider, network)
    with pytest.raises(PermissionDenied):
        casus.agenda(outsider, network, timezone.localdate())
    assert casus.meeting_context(network, timezone.localdate(), outsider) is None


def test_the_meeting_context_for_samenwerken(hilversum, network):
    partner = User.objects.get(username="partner")
    meeting = CaseDiscussion.objects.filter(network=network, meeting_date__gte=timezone.localdate()).first()
    context = casus.meeting_context(network, meeting.meeting_date, partner)
    assert context["network"] == network and len(context["rows"]) >= 2


def test_the_beleidsadviseur_sees_no_case(hilversum, client_as, network):
    assert client_as("beleidsadviseur").get(
        reverse("ondersteunen_rapportage:casus_network_agenda", args=[network.pk])).status_code == 403
    assert ConsentEvent.objects.exists()
