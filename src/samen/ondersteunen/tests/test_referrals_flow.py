"""The warm referral with a closed loop, as the social worker, the provider (own page and e-mailed link), the
maatje and the jobs see it; bad input refused in Dutch with nothing changed."""

from __future__ import annotations

import datetime
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samen.core.models import AccessLogEntry, OutboxMessage
from samen.core.roles import Role
from samen.core.tests.factories import UserFactory
from samen.kwaliteit.models import Activity
from samen.kwaliteit.tests.factories import ActivityFactory
from samen.ondersteunen.models import CheckIn, MaatjeVisit, ProviderLink, Referral, ReferralEvent
from samen.ondersteunen.services import aftercare, consent, maatje, provider_links, referrals, trajectories
from samen.ondersteunen.tests.factories import MaatjeProfileFactory, TrajectoryFactory
from samen.ondersteunen.workflow import ReferralStatus, TrajectoryDecision, TrajectoryStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    trajectory = TrajectoryFactory(resident__name="Anna de Vries")
    worker = trajectory.worker
    worker.email = "werker@example.invalid"
    worker.save()
    trajectories.step(worker, trajectory.pk, TrajectoryDecision.CONTACT)
    activity = ActivityFactory(location__buurt=trajectory.resident.buurt, capacity=2,
                               contact_email="aanbieder@example.invalid")
    provider = UserFactory(gemeente=trajectory.gemeente, role=Role.AANBIEDER, organisation=activity.organisation,
                           email="aanbieder-account@example.invalid", totp=True)
    return {"trajectory": trajectory, "worker": worker, "activity": activity, "provider": provider}


def _give(setup, purpose):
    consent.record(setup["worker"], setup["trajectory"].resident, purpose, True, how="mondeling",
                   trajectory=setup["trajectory"])


def _proposed(setup, **kwargs):
    referral = referrals.create(setup["worker"], setup["trajectory"], kind="activity", activity=setup["activity"],
                                match={"fits": ["gratis"]}, **kwargs)
    return referrals.agree(setup["worker"], referral.pk)


def _registered(setup, **kwargs):
    _give(setup, "share_with_provider")
    referral = _proposed(setup, **kwargs)
    return referrals.register(setup["worker"], referral.pk)


def _link_value(referral) -> str:
    message = OutboxMessage.objects.filter(about_id=referral.pk, kind__in=["referral.registered", "referral.nudge"]) \
        .order_by("-id").first()
    url = next(line for line in message.body.splitlines() if "/verwijzing/antwoord/" in line)
    return parse_qs(urlparse(url).query)[provider_links.PARAM][0]


def test_register_without_consent_is_refused_and_nothing_changes(setup):
    referral = _proposed(setup)
    with pytest.raises(ValidationError) as refused:
        referrals.register(setup["worker"], referral.pk)
    assert "toestemming" in str(refused.value)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AKKOORD and referral.sent_at is None
    assert not ProviderLink.objects.filter(referral=referral).exists()
    assert not OutboxMessage.objects.filter(about_id=referral.pk).exists()
    setup["trajectory"].refresh_from_db()
    assert setup["trajectory"].status == TrajectoryStatus.IN_CONTACT


def test_register_sends_a_link_and_moves_the_trajectory(setup):
    referral = _registered(setup)
    assert referral.status == ReferralStatus.AANGEMELD and referral.sent_at
    setup["trajectory"].refresh_from_db()
    assert setup["trajectory"].status == TrajectoryStatus.DOORVERWEZEN
    link = ProviderLink.objects.get(referral=referral)
    assert link.address == "aanbieder@example.invalid"
    value = _link_value(referral)
    assert provider_links.SALT and len(link.token_hash) == 64 and value not in link.token_hash
    mail = OutboxMessage.objects.get(kind="referral.registered", about_id=referral.pk)
    assert "Anna" not in mail.body  # no personal data in the e-mail
    assert list(referral.events.values_list("to_status", flat=True)) == ["voorgesteld", "akkoord", "aangemeld"]


def test_withdrawn_activity_and_no_places_are_refused(setup):
    activity = setup["activity"]
    _registered(setup)
    other = TrajectoryFactory(resident__buurt=setup["trajectory"].resident.buurt, worker=setup["worker"])
    trajectories.step(setup["worker"], other.pk, TrajectoryDecision.CONTACT)
    second = referrals.create(setup["worker"], other, kind="activity", activity=activity)
    consent.record(setup["worker"], other.resident, "share_with_provider", True, how="mondeling")
    referrals.agree(setup["worker"], second.pk)
    referrals.register(setup["worker"], second.pk)  # the second and last place
    before = Referral.objects.count()
    with pytest.raises(ValidationError, match="geen plaatsen meer vrij"):
        referrals.create(setup["worker"], setup["trajectory"], kind="activity", activity=activity)
    assert Referral.objects.count() == before
    Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.WITHDRAWN)
    activity.refresh_from_db()
    with pytest.raises(ValidationError, match="teruggetrokken"):
        referrals.create(setup["worker"], setup["trajectory"], kind="activity", activity=activity)
    assert Referral.objects.count() == before


def test_provider_answers_once_through_the_link(setup, client):
    referral = _registered(setup)
    url = f"{reverse('verwijzing_link:answer')}?{provider_links.PARAM}={_link_value(referral)}"
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Anna" in text and "de Vries" not in text and setup["activity"].title in text
    assert AccessLogEntry.objects.filter(actor_label=provider_links.CHANNEL, record_type="core.resident").exists()
    done = client.post(url, {"decision": "confirm"})
    assert done.status_code == 200 and "Dank u wel" in done.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.BEVESTIGD and referral.answered_at
    assert referral.events.last().by_label == provider_links.LABEL
    assert OutboxMessage.objects.filter(kind="referral.answered", recipient=setup["worker"]).count() == 1
    again = client.get(url)
    assert again.status_code == 410 and "al gebruikt" in again.content.decode()
    assert client.post(url, {"decision": "reject", "reason": "geen_plek"}).status_code == 410
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.BEVESTIGD


def test_expired_or_made_up_link_is_refused(setup, client):
    referral = _registered(setup)
    value = _link_value(referral)
    ProviderLink.objects.filter(referral=referral).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    page = client.post(f"{reverse('verwijzing_link:answer')}?{provider_links.PARAM}={value}", {"decision": "confirm"})
    assert page.status_code == 410 and "verlopen" in page.content.decode()
    assert client.get(f"{reverse('verwijzing_link:answer')}?{provider_links.PARAM}={value}x").status_code == 400
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AANGEMELD


def test_reject_needs_a_reason(setup):
    referral = _registered(setup)
    with pytest.raises(ValidationError, match="geen plek"):
        provider_links.answer(_link_value(referral), "reject")
    assert ProviderLink.objects.get(referral=referral).used_at is None
    provider_links.answer(_link_value(referral), "reject", reason="past_niet", note="alleen voor 80+")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AFGEWEZEN and "past niet" in referral.answer_reason


def test_provider_own_page_shows_only_its_referrals(setup):
    from samen.core.tests.clients import verified_client

    referral = _registered(setup)
    other_provider = UserFactory(gemeente=setup["trajectory"].gemeente, role=Role.AANBIEDER,
                                 organisation=ActivityFactory(location__buurt=setup["activity"].buurt).organisation,
                                 totp=True)
    own = verified_client(setup["provider"])
    assert setup["activity"].title in own.get(reverse("verwijzingen:verwijzingen")).content.decode()
    other = verified_client(other_provider)
    assert setup["activity"].title not in other.get(reverse("verwijzingen:verwijzingen")).content.decode()
    assert other.get(reverse("verwijzingen:verwijzing_detail", args=[referral.pk])).status_code == 404
    response = own.post(reverse("verwijzingen:verwijzing_detail", args=[referral.pk]), {"decision": "confirm"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.BEVESTIGD
    api = own.get("/api/v1/referrals/")
    assert api.status_code == 200 and api.json()["count"] == 1


def test_api_answer_for_the_provider(setup):
    from samen.core.tests.clients import verified_client

    referral = _registered(setup)
    api = verified_client(setup["provider"])
    bad = api.post(f"/api/v1/referrals/{referral.pk}/answer/", {"decision": "reject"}, content_type="application/json")
    assert bad.status_code == 400
    ok = api.post(f"/api/v1/referrals/{referral.pk}/answer/", {"decision": "reject", "reason": "geen_plek"},
                  content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "afgewezen"


def test_illegal_step_is_refused(setup):
    referral = _proposed(setup)
    with pytest.raises(ValidationError, match="kan niet vanuit"):
        referrals.first_visit(setup["worker"], referral.pk)
    assert ReferralEvent.objects.filter(referral=referral).count() == 2


def test_jobs_twice_nudge_and_return_once(setup):
    from samen.ondersteunen.jobs import referral_reminders

    referral = _registered(setup)
    Referral.objects.filter(pk=referral.pk).update(sent_at=timezone.now() - datetime.timedelta(days=8))
    referral_reminders()
    referral_reminders()
    assert OutboxMessage.objects.filter(kind="referral.nudge", about_id=referral.pk).count() == 1
    assert OutboxMessage.objects.filter(kind="referral.returned", about_id=referral.pk).count() == 0
    Referral.objects.filter(pk=referral.pk).update(sent_at=timezone.now() - datetime.timedelta(days=20))
    referral_reminders()
    referral_reminders()
    assert OutboxMessage.objects.filter(kind="referral.returned", recipient=setup["worker"]).count() == 1
    referral.refresh_from_db()
    assert referral.returned_at and referral.nudged_at


def _in_aftercare(setup):
    referral = _registered(setup)
    referrals.answer(provider_links.grant(referral.gemeente_id), referral.pk, "confirm")
    return referrals.first_visit(setup["worker"], referral.pk, timezone.localdate())


def test_first_visit_plans_checkins_and_reminders_go_once(setup):
    from samen.core import jobs

    referral = _in_aftercare(setup)
    setup["trajectory"].refresh_from_db()
    assert setup["trajectory"].status == TrajectoryStatus.NAZORG
    assert list(CheckIn.objects.filter(referral=referral).values_list("offset_days", flat=True)) == [14, 42, 91, 182]
    CheckIn.objects.filter(referral=referral, offset_days=14).update(due_on=timezone.localdate())
    for _ in range(2):
        jobs.run_one(jobs.get("referral_reminders"))
    assert OutboxMessage.objects.filter(kind="aftercare.reminder", recipient=setup["worker"]).count() == 1


WORSE = ["ja", "nee", "nee", "nee", "ja", "ja"]  # 6 of 6 unfavourable: ernstig eenzaam
BETTER = ["nee", "ja", "ja", "ja", "nee", "nee"]


def test_worse_checkin_reopens_for_the_same_worker(setup):
    from samen.ondersteunen.services import measurements

    referral = _in_aftercare(setup)
    _give(setup, "follow_up")
    measurements.record(setup["worker"], setup["trajectory"], scale="djg6", answers=BETTER, moment="start")
    first = CheckIn.objects.get(referral=referral, offset_days=14)
    aftercare.record(setup["worker"], first.pk, still_going="yes", how_is_it=4, answers=BETTER)
    setup["trajectory"].refresh_from_db()
    assert setup["trajectory"].status == TrajectoryStatus.NAZORG
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.BLIJFT_KOMEN
    six = CheckIn.objects.get(referral=referral, offset_days=42)
    aftercare.record(setup["worker"], six.pk, still_going="yes", how_is_it=2, answers=WORSE)
    setup["trajectory"].refresh_from_db()
    assert setup["trajectory"].status == TrajectoryStatus.HEROPEND
    assert setup["trajectory"].worker == setup["worker"]
    referral.refresh_from_db()
    assert referral.still_going_6w is True
    assert OutboxMessage.objects.filter(kind="aftercare.reopened", recipient=setup["worker"]).count() == 1


def test_checkin_bad_input_and_closed_trajectory(setup):
    referral = _in_aftercare(setup)
    checkin = CheckIn.objects.get(referral=referral, offset_days=14)
    with pytest.raises(ValidationError, match="1 tot en met 5"):
        aftercare.record(setup["worker"], checkin.pk, still_going="yes", how_is_it=9)
    with pytest.raises(ValidationError, match="vervolgmeting"):
        aftercare.record(setup["worker"], checkin.pk, still_going="yes", how_is_it=3, answers=WORSE)
    _give(setup, "follow_up")
    with pytest.raises(ValidationError, match="past niet bij de schaal"):
        aftercare.record(setup["worker"], checkin.pk, still_going="yes", how_is_it=3, answers=["misschien"] * 6)
    checkin.refresh_from_db()
    assert checkin.status == "gepland" and checkin.measurement is None
    trajectories.step(setup["worker"], setup["trajectory"].pk, TrajectoryDecision.CLOSE, closing_reason="doel_bereikt")
    with pytest.raises(ValidationError, match="afgesloten"):
        aftercare.record(setup["worker"], checkin.pk, still_going="yes", how_is_it=3)
    checkin.refresh_from_db()
    assert checkin.status == "gepland"


def test_missed_twice_reopens(setup):
    referral = _in_aftercare(setup)
    checkin = CheckIn.objects.get(referral=referral, offset_days=14)
    aftercare.attempt(setup["worker"], checkin.pk)
    setup["trajectory"].refresh_from_db()
    assert setup["trajectory"].status == TrajectoryStatus.NAZORG
    aftercare.attempt(setup["worker"], checkin.pk)
    checkin.refresh_from_db()
    setup["trajectory"].refresh_from_db()
    assert checkin.status == "gemist" and setup["trajectory"].status == TrajectoryStatus.HEROPEND


def test_withdrawn_consent_cancels_unanswered_referrals(setup, django_capture_on_commit_callbacks):
    referral = _registered(setup)
    with django_capture_on_commit_callbacks(execute=True):
        consent.record(setup["worker"], setup["trajectory"].resident, "share_with_provider", False,
                       how="telefonisch")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.GEANNULEERD
    assert ProviderLink.objects.get(referral=referral).revoked_at
    assert OutboxMessage.objects.filter(kind="referral.cancelled", address="aanbieder@example.invalid").exists()
    assert setup["trajectory"].events.filter(kind="notice").exists()


def test_maatje_asked_accepts_and_reports_the_first_visit(setup, django_capture_on_commit_callbacks):
    volunteer = MaatjeProfileFactory(user=UserFactory(gemeente=setup["trajectory"].gemeente, role=Role.VRIJWILLIGER,
                                                      wijken=[setup["trajectory"].wijk], email="v@example.invalid"),
                                     interests=["conversation"]).user
    referral = _registered(setup, with_maatje=True)
    suggestions = maatje.suggest(referral)
    assert suggestions[0]["volunteer"] == volunteer and suggestions[0]["fits"]
    meet = timezone.now() + datetime.timedelta(hours=1)
    with pytest.raises(ValidationError, match="maatje is toestemming"):
        maatje.ask(setup["worker"], referral, volunteer, meet_at=meet, meet_place="Bij de bushalte")
    assert not MaatjeVisit.objects.filter(referral=referral).exists()
    _give(setup, "maatje")
    visit = maatje.ask(setup["worker"], referral, volunteer, meet_at=meet, meet_place="Bij de bushalte")
    assert OutboxMessage.objects.filter(kind="maatje.asked", recipient=volunteer).count() == 1
    maatje.respond(volunteer, visit.pk, "accept")
    referrals.answer(provider_links.grant(referral.gemeente_id), referral.pk, "confirm")
    with pytest.raises(ValidationError, match="1 tot en met 5"):
        maatje.report(volunteer, visit.pk, went=True, how_it_went=7)
    maatje.report(volunteer, visit.pk, went=True, how_it_went=4, worry=True, note="Ze was erg moe.")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.EERSTE_KEER and referral.first_visit_on == timezone.localdate()
    assert "(maatje)" in referral.events.last().by_label
    assert OutboxMessage.objects.filter(kind="maatje.worry", recipient=setup["worker"]).count() == 1
    other = UserFactory(gemeente=setup["trajectory"].gemeente, role=Role.VRIJWILLIGER)
    assert not maatje.for_volunteer(other).exists()
    assert list(maatje.for_volunteer(volunteer)) == [visit]


def test_first_name_only():
    assert referrals.first_name_of("Anna de Vries") == "Anna"
    assert referrals.first_name_of("Mevrouw A. de Wit") == "A.W."
    assert referrals.first_name_of("") == "de inwoner"


def test_volunteer_page_shows_first_name_only(setup):
    from samen.core.tests.clients import verified_client

    volunteer = MaatjeProfileFactory(user=UserFactory(gemeente=setup["trajectory"].gemeente,
                                                      role=Role.VRIJWILLIGER, totp=True)).user
    _give(setup, "maatje")
    referral = _registered(setup)
    visit = maatje.ask(setup["worker"], referral, volunteer, meet_at=timezone.now() + datetime.timedelta(hours=1),
                       meet_place="Bij de bushalte")
    page = verified_client(volunteer).get(reverse("verwijzingen:maatjesbezoek", args=[visit.pk])).content.decode()
    assert "Anna" in page and "de Vries" not in page and "Bij de bushalte" in page
    assert Client().get(reverse("verwijzingen:maatjesbezoek", args=[visit.pk])).status_code == 302


def test_samen_jobs_run_twice_sends_each_reminder_once(setup):
    from django.core.management import call_command

    referral = _in_aftercare(setup)
    waiting = _registered_again(setup)
    Referral.objects.filter(pk=waiting.pk).update(sent_at=timezone.now() - datetime.timedelta(days=9))
    CheckIn.objects.filter(referral=referral, offset_days=14).update(due_on=timezone.localdate())
    call_command("jobs", "run", "referral_reminders")
    call_command("jobs", "run", "referral_reminders")
    assert OutboxMessage.objects.filter(kind="aftercare.reminder", recipient=setup["worker"]).count() == 1
    assert OutboxMessage.objects.filter(kind="referral.nudge", about_id=waiting.pk).count() == 1


def _registered_again(setup):
    other = TrajectoryFactory(resident__buurt=setup["trajectory"].resident.buurt, worker=setup["worker"])
    trajectories.step(setup["worker"], other.pk, TrajectoryDecision.CONTACT)
    consent.record(setup["worker"], other.resident, "share_with_provider", True, how="mondeling")
    referral = referrals.create(setup["worker"], other, kind="activity", activity=setup["activity"])
    referrals.agree(setup["worker"], referral.pk)
    return referrals.register(setup["worker"], referral.pk)
