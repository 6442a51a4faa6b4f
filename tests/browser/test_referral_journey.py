"""One warm referral with a maatje, as the social worker (desktop), the provider (the e-mailed link, no
account) and the volunteer (a phone) see it; a worse check-in reopens the trajectory. Every page axe-clean."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samen.core.models import Buurt, OutboxMessage, Resident, User
from samen.kwaliteit.models import Activity
from samen.ondersteunen.models import Referral
from samen.ondersteunen.services import consent, measurements, trajectories
from samen.ondersteunen.workflow import TrajectoryDecision

pytestmark = pytest.mark.browser

BETTER = ["nee", "ja", "ja", "ja", "nee", "nee"]  # niet eenzaam
WORSE = ["ja", "nee", "nee", "nee", "ja", "ja"]     # ernstig eenzaam


def _a_trajectory_with_consent(hilversum):
    worker = User.objects.get(username="sociaalwerker")
    buurt = Buurt.objects.filter(wijk__code="WK040207").order_by("code").first()
    resident = Resident.objects.create(gemeente=hilversum, name="Greet van Dam", phone="035-1234567",
                                       birth_year=1945, buurt=buurt)
    trajectory = trajectories.start(gemeente_id=hilversum.pk, resident=resident, worker=worker,
                                    by=trajectories.system(hilversum.pk))
    trajectories.step(worker, trajectory.pk, TrajectoryDecision.CONTACT)
    for purpose in ("share_with_provider", "maatje", "follow_up"):
        consent.record(worker, resident, purpose, True, how="mondeling", trajectory=trajectory)
    measurements.record(worker, trajectory, scale="djg6", answers=BETTER, moment="start")
    return trajectory


def test_warm_referral_with_maatje_and_a_worse_checkin(page: Page, new_page, phone_page: Page, live_server, log_in,
                                                       assert_accessible, hilversum):
    trajectory = _a_trajectory_with_consent(hilversum)
    activity = Activity.objects.filter(gemeente=hilversum, organisation__name="Heikracht",
                                       status=Activity.Status.PUBLISHED).exclude(rrule="").order_by("id").first()

    # The social worker proposes the referral with a maatje, the resident agrees, it is registered.
    log_in(page, "sociaalwerker")
    page.goto(f"{live_server.url}/ondersteunen/trajecten/{trajectory.pk}/doorverwijzen/")
    assert_accessible(page)
    page.select_option("#id_activity", str(activity.pk))
    page.fill("#id_note_for_provider", "Komt graag met een maatje.")
    page.check("#id_with_maatje")
    page.get_by_role("button", name="Verwijzing voorstellen").click()
    expect(page.get_by_text("De verwijzing is voorgesteld.")).to_be_visible()
    page.get_by_role("button", name="Inwoner akkoord").click()
    page.get_by_role("button", name="Aanmelden bij aanbieder").click()
    expect(page.get_by_text("aangemeld bij aanbieder").first).to_be_visible()
    meet = timezone.localtime() + datetime.timedelta(minutes=5)
    page.select_option("#id_volunteer", str(User.objects.get(username="vrijwilliger").pk))
    page.fill("#id_meet_at", meet.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_meet_place", "Bij de ingang van het buurthuis")
    assert_accessible(page)
    page.get_by_role("button", name="Maatje vragen").click()
    expect(page.get_by_text("Het maatje is gevraagd.")).to_be_visible()
    referral = Referral.objects.filter(trajectory=trajectory).get()

    # The provider answers through the e-mailed link, without an account.
    mail = OutboxMessage.objects.get(kind="referral.registered", about_id=referral.pk)
    link = next(line for line in mail.body.splitlines() if "/verwijzing/antwoord/" in line)
    provider = new_page()
    provider.goto(live_server.url + link[link.index("/verwijzing/"):])
    expect(provider.get_by_role("heading", level=1)).to_contain_text(activity.title)
    expect(provider.get_by_text("Greet", exact=False).first).to_be_visible()
    assert "van Dam" not in provider.content()
    assert_accessible(provider)
    provider.check("#id_decision_0")
    provider.get_by_role("button", name="Antwoord versturen").click()
    expect(provider.get_by_role("heading", level=1)).to_have_text("Dank u wel voor uw antwoord")
    provider.goto(live_server.url + link[link.index("/verwijzing/"):])
    expect(provider.get_by_role("alert")).to_contain_text("al gebruikt")
    assert_accessible(provider)

    # The volunteer accepts and reports on a phone.
    log_in(phone_page, "vrijwilliger")
    phone_page.goto(f"{live_server.url}/ondersteunen/maatje/bezoeken/")
    assert_accessible(phone_page)
    phone_page.get_by_role("link", name="Greet").first.click()
    assert "van Dam" not in phone_page.content()
    phone_page.get_by_role("button", name="Ik ga mee").click()
    expect(phone_page.get_by_text("Uw antwoord is doorgegeven.")).to_be_visible()
    phone_page.check("#id_went_0")
    phone_page.check("#id_how_it_went_3")
    assert_accessible(phone_page)
    phone_page.get_by_role("button", name="Verslag versturen").click()
    expect(phone_page.get_by_text("Dank u wel voor uw verslag.")).to_be_visible()
    referral.refresh_from_db()
    assert referral.status == "eerste_keer"

    # The worker records a worse check-in: the trajectory reopens for the same worker.
    page.goto(f"{live_server.url}/ondersteunen/trajecten/{trajectory.pk}/nazorg/")
    assert_accessible(page)
    page.get_by_role("link", name="Vastleggen").first.click()
    page.check("#id_still_going_0")
    page.check("#id_how_is_it_1")
    for item, answer in zip((3, 4, 7, 8, 9, 10), WORSE, strict=True):
        page.check(f"#id_djg_{item}_{['ja', 'min of meer', 'nee'].index(answer)}")
    assert_accessible(page)
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("Het nazorgmoment is vastgelegd.")).to_be_visible()
    expect(page.get_by_text("heropend")).to_be_visible()
    trajectory.refresh_from_db()
    assert trajectory.status == "heropend" and trajectory.worker.username == "sociaalwerker"
