"""The reporter's side of ondersteunen: a district nurse passes a signal on from a phone; social work picks it up,
tries to reach the resident and gets in touch; on *Mijn meldingen* the nurse sees, at phone and desktop size,
which signal it was and its stage — never what was discussed. Every page is axe-core clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from samen.ondersteunen.models import Trajectory
from samen.vinden.models import Signal

pytestmark = pytest.mark.browser

SECRET = "Vertelde over het verlies van haar broer"


def _my_reports(page: Page, live_server, assert_accessible, stage: str) -> None:
    page.goto(f"{live_server.url}/signalen/mijn-meldingen/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    row = page.locator("tr", has_text="Mevrouw zit sinds de zomer")
    expect(row).to_contain_text(stage)
    assert SECRET not in page.content() and "Stage-Proef" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert_accessible(page)


def test_the_reporter_sees_the_stage_and_never_the_content(page: Page, phone_page: Page, new_page, live_server, log_in,
                                                             assert_accessible, hilversum):
    # The district nurse passes a signal on, on her phone.
    log_in(phone_page, "partner")
    phone_page.goto(f"{live_server.url}/signalen/nieuw/")
    assert_accessible(phone_page)
    phone_page.fill("#id_name", "Greet Stage-Proef")
    phone_page.fill("#id_postcode", "1211BJ")
    phone_page.fill("#id_house_number", "11")
    phone_page.fill("#id_phone", "06-23456789")
    phone_page.fill("#id_description", "Mevrouw zit sinds de zomer vooral binnen en zegt dat niemand langskomt.")
    phone_page.get_by_role("button", name="Signaal doorgeven").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Dank u wel")
    signal = Signal.objects.get(description__startswith="Mevrouw zit sinds de zomer")
    assert signal.reporter.username == "partner"
    _my_reports(phone_page, live_server, assert_accessible, "ontvangen")

    # Social work picks it up; the signal page tells how to reach her; two attempts, the second reaches her.
    log_in(page, "sociaalwerker")
    page.goto(f"{live_server.url}/signalen/{signal.pk}/")
    page.get_by_label("sociaal werk pakt het op").check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.get_by_role("link", name="Naar het traject").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stage-Proef")
    trajectory = Trajectory.objects.get(signal=signal)
    _my_reports(phone_page, live_server, assert_accessible, "in behandeling")

    page.check("#id_method_0")
    page.check("#id_outcome_1")  # no answer
    page.get_by_role("button", name="Poging vastleggen").click()
    expect(page.get_by_text("Contactpoging vastgelegd.")).to_be_visible()
    page.check("#id_method_1")
    page.check("#id_outcome_0")  # reached
    page.fill("#id_note", SECRET)
    page.get_by_role("button", name="Poging vastleggen").click()
    expect(page.get_by_text("de inwoner is bereikt")).to_be_visible()
    assert_accessible(page)
    trajectory.refresh_from_db()
    assert trajectory.status == "in_contact" and trajectory.contact_attempts.count() == 2

    # The nurse sees the stage move on, on her phone and at her desk; not a word of the conversation.
    _my_reports(phone_page, live_server, assert_accessible, "contact gelegd")
    desk = new_page()
    log_in(desk, "partner")
    _my_reports(desk, live_server, assert_accessible, "contact gelegd")
