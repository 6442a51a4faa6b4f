"""Signals through a real browser: the volunteer's short form on a phone, and a resident's public form."""

import pytest
from playwright.sync_api import Page, expect

from samen.vinden.models import Signal

pytestmark = pytest.mark.browser


def test_volunteer_reports_a_worry_from_a_phone(new_page, live_server, log_in, assert_accessible):
    page = new_page({"width": 390, "height": 844})
    log_in(page, "vrijwilliger")
    page.goto(live_server.url + "/melding/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zorg melden")
    expect(page.get_by_text("0800-0113", exact=False)).to_be_visible()
    assert_accessible(page)
    page.fill("#id_postcode", "1214ER")
    page.fill("#id_house_number", "30")
    page.get_by_label("krijgt weinig of geen bezoek").check()
    page.fill("#id_description", "Mevrouw zegt dat haar kinderen ver weg wonen.")
    page.get_by_role("button", name="Signaal doorgeven").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dank u wel")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    signal = Signal.objects.get(description__startswith="Mevrouw zegt")
    assert signal.channel == "volunteer" and signal.wijk.code == "WK040204"
    page.get_by_role("link", name="Naar mijn meldingen").click()
    expect(page.get_by_role("cell", name="ontvangen")).to_be_visible()


def test_resident_asks_for_contact_on_the_public_site(page: Page, live_server, hilversum, assert_accessible):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Ik wil zelf graag meer contact").click()
    assert_accessible(page)
    page.fill("#id_name", "Jan de Boer")
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("alert")).to_contain_text("telefoonnummer of e-mailadres")
    page.fill("#id_phone", "06-12345678")
    page.fill("#id_postcode", "1211 AB")
    page.fill("#id_house_number", "12")
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dank u wel")
    assert Signal.objects.get(channel="resident_self").wijk.code == "WK040201"


def test_the_concern_form_is_accessible_and_keyboard_usable(page: Page, live_server, hilversum, assert_accessible):
    page.goto(live_server.url + "/zorgen-om-iemand/")
    assert_accessible(page)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
