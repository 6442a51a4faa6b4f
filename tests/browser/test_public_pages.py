"""The public site in a real browser, at desktop (1280x900) and phone (375x740) size, with the keyboard only
where a resident fills something in: the home page, the self-check, the page on how the approach works, and
the two public forms ("Ik maak me zorgen om iemand", "Ik wil zelf graag meer contact"). Every page axe-clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from samen.vinden.models import Signal

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
SIZES = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]


def tab_to(page: Page, target: str | Locator, limit: int = 60) -> None:
    """Presses Tab until the element is focused: proves it is reachable by keyboard, in the page's order."""
    target = page.locator(target) if isinstance(target, str) else target
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} was not reached with {limit} presses of Tab")


def type_into(page: Page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def assert_fits(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def check_page(page: Page, assert_accessible) -> None:
    assert_accessible(page)
    assert_fits(page)


@pytest.mark.parametrize("size", SIZES)
def test_resident_finds_the_ways_in_on_the_home_page(new_page, live_server, hilversum, assert_accessible, size):
    page = new_page(size)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Samen is leuker")
    for name in ("Doe de korte vragenlijst", "Lees hoe de aanpak werkt", "Ik wil zelf graag meer contact",
                 "Ik maak me zorgen om iemand", "Bekijk het programma van de samen-week"):
        expect(page.get_by_role("link", name=name)).to_be_visible()
    expect(page.get_by_text("0800-0113", exact=False).first).to_be_visible()
    check_page(page, assert_accessible)
    type_into(page, "#zoek-q", "koffie")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/activiteiten/\?q=koffie$"))


@pytest.mark.parametrize("size", SIZES)
def test_resident_does_the_self_check_by_keyboard_and_follows_the_path_to_activities(
        new_page, live_server, hilversum, assert_accessible, size):
    page = new_page(size)
    page.goto(live_server.url + "/")
    tab_to(page, "main a[href='/hoe-gaat-het/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hoe gaat het met u?")
    expect(page.get_by_role("group")).to_have_count(6)
    check_page(page, assert_accessible)
    # Statements 1-6 are items 3, 4, 7, 8, 9, 10; options in the order ja, min of meer, nee.
    # ja (3: unfavourable), ja, min of meer (7: unfavourable), ja, nee, nee: total 2, "matig", social part 1.
    for question, option in enumerate([0, 0, 1, 0, 2, 2]):
        tab_to(page, f"#id_djg_{(3, 4, 7, 8, 9, 10)[question]}_0")
        if option == 0:
            page.keyboard.press("Space")
        for _ in range(option):
            page.keyboard.press("ArrowDown")  # moves to the next option of the group and selects it
    tab_to(page, "button[type=submit]:has-text('Bekijk wat uw antwoorden zeggen')")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wat uw antwoorden zeggen")
    expect(page.get_by_role("heading", level=2).first).to_have_text("U mist op dit moment soms contact met anderen")
    expect(page.get_by_text("Uw score is 2 van de 6.")).to_be_visible()
    expect(page.get_by_text("0800-0113", exact=False).first).to_be_visible()
    check_page(page, assert_accessible)
    tab_to(page, "a[href='/activiteiten/?interest=conversation']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/activiteiten/\?interest=conversation$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_a_forgotten_statement_is_named_and_reachable_from_the_summary(page: Page, live_server, hilversum,
                                                                      assert_accessible):
    page.goto(live_server.url + "/hoe-gaat-het/")
    for item in (3, 4, 7, 8, 10):
        page.locator(f"#id_djg_{item}_2").check()
    page.get_by_role("button", name="Bekijk wat uw antwoorden zeggen").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Kies bij vraag 5 een antwoord")
    expect(alert.get_by_role("link")).to_have_count(1)
    expect(page.locator("#id_djg_10_2")).to_be_checked()  # the given answers are kept on the page
    assert_accessible(page)
    alert.get_by_role("link").click()
    expect(page.locator("#id_djg_9")).to_be_focused()


@pytest.mark.parametrize("size", SIZES)
def test_the_page_on_how_it_works_reads_on_screen_and_on_paper(new_page, live_server, hilversum, assert_accessible,
                                                               size):
    page = new_page(size)
    page.goto(live_server.url + "/zo-werkt-het/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zo werkt het")
    expect(page.locator("ol.samen-route > li")).to_have_count(7)
    expect(page.get_by_text("Gordijnen blijven overdag dicht")).to_be_visible()
    check_page(page, assert_accessible)
    tab_to(page, "a[href='/zo-werkt-het/a4.pdf']")
    pdf = page.request.get(live_server.url + "/zo-werkt-het/a4.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    page.emulate_media(media="print")
    expect(page.locator(".samen-header")).to_be_hidden()
    expect(page.get_by_role("link", name="Deze uitleg op één A4 om te printen (pdf)")).to_be_hidden()
    expect(page.locator("ol.samen-route")).to_be_visible()


@pytest.mark.parametrize("size", SIZES)
def test_resident_passes_on_a_worry_by_keyboard(new_page, live_server, hilversum, assert_accessible, size):
    page = new_page(size)
    page.goto(live_server.url + "/")
    tab_to(page, "a[href='/zorgen-om-iemand/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ik maak me zorgen om iemand")
    check_page(page, assert_accessible)
    type_into(page, "#id_postcode", "1214ER")
    type_into(page, "#id_house_number", "30")
    tab_to(page, "input[name=observations][value=gordijnen_dicht]")
    page.keyboard.press("Space")
    type_into(page, "#id_description", "De buurvrouw komt al weken niet buiten.")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dank u wel")
    check_page(page, assert_accessible)
    signal = Signal.objects.get(description="De buurvrouw komt al weken niet buiten.")
    assert signal.channel == "resident_concern" and signal.observations == ["gordijnen_dicht"]


@pytest.mark.parametrize("size", SIZES)
def test_resident_asks_for_more_contact_by_keyboard(new_page, live_server, hilversum, assert_accessible, size):
    page = new_page(size)
    page.goto(live_server.url + "/")
    tab_to(page, page.get_by_role("link", name="Ik wil zelf graag meer contact"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ik wil zelf graag meer contact")
    check_page(page, assert_accessible)
    type_into(page, "#id_name", "Els Vermeer")
    type_into(page, "#id_phone", "06-87654321")
    type_into(page, "#id_postcode", "1211 AB")
    type_into(page, "#id_house_number", "12")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dank u wel")
    check_page(page, assert_accessible)
    assert Signal.objects.filter(channel="resident_self", resident__name="Els Vermeer").exists()
