"""One resident from the public "meer contact" form to a closed trajectory, as each person sees it: the
resident (phone), the social worker (desktop: triage, contact, consent, profile, measurement, matching, a
referral with a maatje, two check-ins of which the worse one reopens, closing), the provider (the e-mailed
link, no account) and the volunteer (phone). Every page is axe-core clean."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samen.core.models import Organisation, OutboxMessage, User
from samen.ondersteunen.models import CheckIn, Referral, Trajectory
from samen.ondersteunen.services import consent
from samen.vinden.models import Signal

pytestmark = pytest.mark.browser

ANSWERS = ["ja", "min of meer", "nee"]
BETTER = ["nee", "ja", "ja", "ja", "nee", "nee"]  # niet eenzaam
WORSE = ["ja", "nee", "nee", "nee", "ja", "ja"]     # ernstig eenzaam
DJG6 = (3, 4, 7, 8, 9, 10)


def _checkin(page: Page, assert_accessible, going: str, how: int, answers: list[str]):
    page.get_by_role("link", name="Vastleggen").first.click()
    page.check(f"#id_still_going_{going}")
    page.check(f"#id_how_is_it_{how}")
    for item, answer in zip(DJG6, answers, strict=True):
        page.check(f"#id_djg_{item}_{ANSWERS.index(answer)}")
    assert_accessible(page)
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("Het nazorgmoment is vastgelegd.")).to_be_visible()


def test_from_a_public_signal_to_a_closed_trajectory(page: Page, new_page, phone_page: Page, live_server, log_in,
                                                      assert_accessible, hilversum):
    # The resident asks for more contact on the public site, on a phone.
    resident_page = new_page({"width": 390, "height": 844})
    resident_page.goto(live_server.url + "/")
    resident_page.get_by_role("link", name="Ik wil zelf graag meer contact").click()
    resident_page.fill("#id_name", "Willemijn Reisproef")
    resident_page.fill("#id_phone", "06-12345678")
    resident_page.fill("#id_postcode", "1211BJ")
    resident_page.fill("#id_house_number", "7")
    assert_accessible(resident_page)
    resident_page.get_by_role("button", name="Versturen").click()
    expect(resident_page.get_by_role("heading", level=1)).to_have_text("Dank u wel")
    assert_accessible(resident_page)
    signal = Signal.objects.filter(channel="resident_self").latest("created_at")
    assert signal.wijk.code == "WK040207"

    # The social worker of the wijk gives it to social work: a trajectory starts for them.
    log_in(page, "sociaalwerker")
    page.goto(f"{live_server.url}/signalen/{signal.pk}/")
    assert_accessible(page)
    page.get_by_label("sociaal werk pakt het op").check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.get_by_role("link", name="Naar het traject").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    trajectory = Trajectory.objects.get(signal=signal)
    assert trajectory.worker.username == "sociaalwerker"
    assert_accessible(page)

    # Contact by phone, consent per purpose, a DJG-6 measurement at the start, the strengths profile.
    page.check("#id_method_0")
    page.check("#id_outcome_0")
    page.get_by_role("button", name="Poging vastleggen").click()
    expect(page.get_by_text("de inwoner is bereikt")).to_be_visible()
    for index in (0, 1, 3):  # share with a provider, a maatje, a follow-up measurement
        page.check(f"#id_purpose_{index}")
        page.check("#id_given_0")
        page.select_option("#id_how", "mondeling")
        page.get_by_role("button", name="Toestemming vastleggen").click()
        page.wait_for_load_state()
    resident_id = trajectory.resident_id
    assert all(consent.current(resident_id, p) for p in ("share_with_provider", "maatje", "follow_up"))
    page.get_by_role("link", name="Meting invullen (De Jong Gierveld, 6 vragen)").click()
    for item, answer in zip(DJG6, BETTER, strict=True):
        page.check(f"#id_item_{item}_{ANSWERS.index(answer)}")
    page.get_by_role("button", name="Meting opslaan").click()
    expect(page.get_by_text("De meting is opgeslagen")).to_be_visible()
    page.get_by_role("link", name="Krachtenprofiel invullen").click()
    page.fill("#id_good_at", "Breien en verhalen vertellen")
    page.get_by_label("samen eten").check()
    page.get_by_label("praten en ontmoeten").check()
    page.get_by_role("button", name="Profiel opslaan").click()
    expect(page.get_by_text("Het krachtenprofiel is opgeslagen.")).to_be_visible()

    # What fits, and why: the worker proposes an activity of Heikracht from the matches.
    page.get_by_role("link", name="Passend aanbod zoeken").click()
    assert_accessible(page)
    heikracht = Organisation.objects.get(gemeente=hilversum, name="Heikracht")
    suggestion = page.locator(f"form:has(input[name='organisatie'][value='{heikracht.pk}'])").first
    suggestion.get_by_role("button").click()
    expect(page.get_by_text("Waarom voorgesteld")).to_be_visible()
    page.check("#id_with_maatje")
    assert_accessible(page)
    page.get_by_role("button", name="Verwijzing voorstellen").click()
    expect(page.get_by_text("De verwijzing is voorgesteld.")).to_be_visible()
    page.get_by_role("button", name="Inwoner akkoord").click()
    page.get_by_role("button", name="Aanmelden bij aanbieder").click()
    expect(page.get_by_text("aangemeld bij aanbieder").first).to_be_visible()
    meet = timezone.localtime() + datetime.timedelta(minutes=5)
    page.select_option("#id_volunteer", str(User.objects.get(username="vrijwilliger").pk))
    page.fill("#id_meet_at", meet.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_meet_place", "Bij de ingang van het buurthuis")
    page.get_by_role("button", name="Maatje vragen").click()
    expect(page.get_by_text("Het maatje is gevraagd.")).to_be_visible()
    referral = Referral.objects.get(trajectory=trajectory)
    assert referral.match and referral.organisation == heikracht

    # The provider confirms through the e-mailed link, without an account; the link works once.
    mail = OutboxMessage.objects.get(kind="referral.registered", about_id=referral.pk)
    link = next(line for line in mail.body.splitlines() if "/verwijzing/antwoord/" in line)
    provider = new_page()
    provider.goto(live_server.url + link[link.index("/verwijzing/"):])
    assert "Reisproef" not in provider.content()
    assert_accessible(provider)
    provider.check("#id_decision_0")
    provider.get_by_role("button", name="Antwoord versturen").click()
    expect(provider.get_by_role("heading", level=1)).to_have_text("Dank u wel voor uw antwoord")

    # The volunteer goes along and reports in a minute, on a phone: the first visit is recorded.
    log_in(phone_page, "vrijwilliger")
    phone_page.goto(f"{live_server.url}/ondersteunen/maatje/bezoeken/")
    assert_accessible(phone_page)
    phone_page.get_by_role("link", name="Willemijn").first.click()
    assert "Reisproef" not in phone_page.content()
    phone_page.get_by_role("button", name="Ik ga mee").click()
    phone_page.check("#id_went_0")
    phone_page.check("#id_how_it_went_3")
    phone_page.get_by_role("button", name="Verslag versturen").click()
    expect(phone_page.get_by_text("Dank u wel voor uw verslag.")).to_be_visible()
    trajectory.refresh_from_db()
    assert trajectory.status == "nazorg"

    # Two check-ins: the first as good as the start, the second worse, which reopens the trajectory.
    page.goto(f"{live_server.url}/ondersteunen/trajecten/{trajectory.pk}/nazorg/")
    assert_accessible(page)
    _checkin(page, assert_accessible, going="0", how=3, answers=BETTER)
    trajectory.refresh_from_db()
    assert trajectory.status == "nazorg"
    CheckIn.objects.filter(trajectory=trajectory, status="gepland").update(due_on=timezone.localdate())
    page.goto(f"{live_server.url}/ondersteunen/trajecten/{trajectory.pk}/nazorg/")
    _checkin(page, assert_accessible, going="0", how=1, answers=WORSE)
    trajectory.refresh_from_db()
    assert trajectory.status == "heropend" and trajectory.worker.username == "sociaalwerker"

    # Back in touch, the worker closes the trajectory with its reason; the history keeps every step.
    page.goto(f"{live_server.url}/ondersteunen/trajecten/{trajectory.pk}/")
    page.select_option("#id_closing_reason", "doel_bereikt")
    page.get_by_role("button", name="Afsluiten").click()
    expect(page.locator(".utrecht-data-list").first).to_contain_text("afgesloten")
    assert_accessible(page)
    trajectory.refresh_from_db()
    assert trajectory.status == "afgesloten" and trajectory.closing_reason == "doel_bereikt"
    steps = list(trajectory.events.exclude(to_status="").values_list("to_status", flat=True))
    assert steps[:4] == ["aangemeld", "in_contact", "doorverwezen", "nazorg"] and steps[-2:] == ["heropend",
                                                                                              "afgesloten"]
