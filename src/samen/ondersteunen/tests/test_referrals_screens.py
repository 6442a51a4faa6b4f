"""The referral part's screens: the provider's home panel, bad input on the forms (a Dutch message, nothing
stored), the maatje's own profile, the link page's rate limit, and what a withdrawn maatje consent stops."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samen.core.models import OutboxMessage
from samen.core.roles import Role
from samen.core.tests.clients import verified_client
from samen.core.tests.factories import UserFactory
from samen.kwaliteit.tests.factories import ActivityFactory
from samen.ondersteunen.models import CheckIn, MaatjeProfile, MaatjeVisit, Measurement, Referral
from samen.ondersteunen.services import consent, maatje, provider_links, referrals, trajectories
from samen.ondersteunen.tests.factories import MaatjeProfileFactory, TrajectoryFactory
from samen.ondersteunen.views import referral_link
from samen.ondersteunen.workflow import TrajectoryDecision

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered():
    trajectory = TrajectoryFactory(resident__name="Bert Jansen")
    worker = trajectory.worker
    trajectories.step(worker, trajectory.pk, TrajectoryDecision.CONTACT)
    activity = ActivityFactory(location__buurt=trajectory.resident.buurt, contact_email="a@example.invalid")
    for purpose in ("share_with_provider", "maatje", "follow_up"):
        consent.record(worker, trajectory.resident, purpose, True, how="mondeling")
    referral = referrals.create(worker, trajectory, kind="activity", activity=activity)
    referrals.agree(worker, referral.pk)
    return referrals.register(worker, referral.pk)


def test_provider_home_panel_counts_waiting_referrals(registered):
    provider = UserFactory(gemeente=registered.gemeente, role=Role.AANBIEDER, organisation=registered.organisation,
                           totp=True)
    home = verified_client(provider).get(reverse("core:home")).content.decode()
    assert "Verwijzingen die op antwoord wachten" in home


def test_checkin_form_refuses_a_score_out_of_range(registered):
    referrals.answer(provider_links.grant(registered.gemeente_id), registered.pk, "confirm")
    referrals.first_visit(registered.trajectory.worker, registered.pk, timezone.localdate())
    checkin = CheckIn.objects.filter(referral=registered).order_by("due_on").first()
    client = verified_client(UserFactory(gemeente=registered.gemeente, role=Role.REGISSEUR, totp=True))
    response = client.post(reverse("verwijzingen:nazorgmoment", args=[checkin.pk]),
                           {"still_going": "yes", "how_is_it": "9"})
    assert response.status_code == 400
    assert "Controleer de invoer" in response.content.decode()
    checkin.refresh_from_db()
    assert checkin.status == "gepland" and not Measurement.objects.filter(trajectory=registered.trajectory).exists()
    answers = {f"djg_{item}": "ja" for item in (3, 4, 7, 8, 9, 10)}
    ok = client.post(reverse("verwijzingen:nazorgmoment", args=[checkin.pk]),
                     {"still_going": "yes", "how_is_it": "4", **answers})
    assert ok.status_code == 302
    checkin.refresh_from_db()
    assert checkin.status == "gedaan" and checkin.measurement is not None


def test_register_without_places_shows_the_dutch_message(registered):
    activity = registered.activity
    activity.__class__.objects.filter(pk=activity.pk).update(capacity=1)
    trajectory = TrajectoryFactory(resident__buurt=registered.trajectory.resident.buurt,
                                   worker=registered.trajectory.worker)
    trajectories.step(registered.trajectory.worker, trajectory.pk, TrajectoryDecision.CONTACT)
    client = verified_client(UserFactory(gemeente=registered.gemeente, role=Role.REGISSEUR, totp=True))
    before = Referral.objects.count()
    response = client.post(reverse("verwijzingen:doorverwijzen", args=[trajectory.pk]),
                           {"kind": "activity", "activity": activity.pk})
    assert response.status_code == 400 and "geen plaatsen meer vrij" in response.content.decode()
    assert Referral.objects.count() == before


def test_volunteer_keeps_own_profile_and_not_anothers():
    volunteer = UserFactory(role=Role.VRIJWILLIGER, totp=True)
    client = verified_client(volunteer)
    response = client.post(reverse("verwijzingen:mijn_maatjeprofiel"),
                           {"active": "on", "interests": ["walking", "music"], "availability": ["1:morning"],
                            "max_per_month": "2"})
    assert response.status_code == 302
    profile = MaatjeProfile.objects.get(user=volunteer)
    assert profile.interests == ["music", "walking"] and profile.max_per_month == 2
    other = UserFactory(gemeente=volunteer.gemeente, role=Role.VRIJWILLIGER)
    assert client.get(reverse("verwijzingen:maatjeprofiel_beheer", args=[other.pk])).status_code == 403
    regisseur = verified_client(UserFactory(gemeente=volunteer.gemeente, role=Role.REGISSEUR, totp=True))
    assert regisseur.post(reverse("verwijzingen:maatjeprofiel_beheer", args=[other.pk]),
                          {"interests": ["games"], "max_per_month": "3"}).status_code == 302
    assert MaatjeProfile.objects.get(user=other).interests == ["games"]


def test_withdrawn_maatje_consent_lets_the_visit_lapse(registered, django_capture_on_commit_callbacks):
    volunteer = MaatjeProfileFactory(user=UserFactory(gemeente=registered.gemeente, role=Role.VRIJWILLIGER,
                                                      email="m@example.invalid")).user
    visit = maatje.ask(registered.trajectory.worker, registered, volunteer,
                       meet_at=timezone.now() + datetime.timedelta(days=1), meet_place="Station")
    with django_capture_on_commit_callbacks(execute=True):
        consent.record(registered.trajectory.worker, registered.trajectory.resident, "maatje", False,
                       how="telefonisch")
    visit.refresh_from_db()
    assert visit.status == "vervallen"
    assert OutboxMessage.objects.filter(kind="maatje.cancelled", recipient=volunteer).count() == 1
    registered.refresh_from_db()
    assert registered.status == "aangemeld"  # the referral itself goes on
    assert registered.trajectory.events.filter(kind="notice", reason__contains="maatje").exists()
    assert not MaatjeVisit.objects.filter(referral=registered, status__in=maatje.OPEN).exists()


def test_the_link_page_is_rate_limited(monkeypatch):
    monkeypatch.setattr(referral_link, "LIMIT", 2)
    client = Client()
    url = reverse("verwijzing_link:answer")
    assert client.get(url).status_code == 400
    assert client.get(url).status_code == 400
    limited = client.get(url)
    assert limited.status_code == 429 and "te vaak" in limited.content.decode()


def test_api_is_scoped_to_the_providers_own_organisation(registered):
    other = UserFactory(gemeente=registered.gemeente, role=Role.AANBIEDER,
                        organisation=ActivityFactory(location__buurt=registered.activity.buurt).organisation,
                        totp=True)
    api = verified_client(other)
    assert api.get(f"/api/v1/referrals/{registered.pk}/").status_code == 404
    assert api.post(f"/api/v1/referrals/{registered.pk}/answer/", {"decision": "confirm"},
                    content_type="application/json").status_code == 404
    registered.refresh_from_db()
    assert registered.status == "aangemeld"


def test_regisseur_sees_the_volunteers_and_their_maatje_profiles():
    volunteer = MaatjeProfileFactory(user=UserFactory(role=Role.VRIJWILLIGER, first_name="Mieke",
                                                      last_name="Maatje")).user
    UserFactory(gemeente=volunteer.gemeente, role=Role.VRIJWILLIGER, first_name="Zonder", last_name="Profiel")
    page = verified_client(UserFactory(gemeente=volunteer.gemeente, role=Role.REGISSEUR, totp=True)).get(
        reverse("verwijzingen:maatjes")).content.decode()
    assert "Mieke Maatje" in page and "nog geen profiel" in page
