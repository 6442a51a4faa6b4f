"""The public finder in a real browser: a resident searches near home by keyboard, opens an activity, puts it
in a calendar, and looks at the samen-week; on a desktop and on a phone, each page axe-clean."""

import re

import pytest
from playwright.sync_api import Page, expect

from samen.kwaliteit.models import Activity, ThemeWeek
from samen.kwaliteit.services.search import search

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching ``selector`` has the focus (keyboard only)."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} not reached with Tab")


def no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def real_errors(errors: list[str]) -> list[str]:
    """Console errors other than the browser's own request for a favicon the site does not have."""
    return [error for error in errors if "favicon.ico" not in error]


def first_result(page: Page):
    return page.locator(".samen-activity .samen-activity__title a").first


def test_resident_finds_a_walk_near_home_with_the_keyboard_only(new_page, live_server, hilversum, assert_accessible,
                                                                browser_errors):
    expected = search(hilversum, postcode="1211AB", interest="walking").activities.first()
    page = new_page(DESKTOP)
    page.goto(live_server.url + "/activiteiten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Samen iets doen")
    assert_accessible(page)

    tab_to(page, "#id_postcode")
    page.keyboard.type("1211 AB")
    tab_to(page, "input[name=interest][value=walking]")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#finder-status")).to_contain_text("dichtstbij postcode 1211 AB (Centrum) eerst")
    expect(first_result(page)).to_have_text(expected.title)
    assert re.search(r"postcode=1211(\+|%20)AB", page.url) and "interest=walking" in page.url  # a shareable URL
    assert_accessible(page)

    tab_to(page, ".samen-activity__title a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(expected.title)
    assert_accessible(page)
    calendar = page.get_by_role("link", name="Zet in mijn agenda")
    expect(calendar).to_be_visible()
    with page.expect_download() as download:
        tab_to(page, "a.samen-calendar-link")
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == f"activiteit-{expected.pk}.ics"
    response = page.request.get(calendar.evaluate("a => a.href"))
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.text().startswith("BEGIN:VCALENDAR") and expected.title[:20] in response.text()
    assert real_errors(browser_errors) == []


def test_resident_filters_by_wijk_and_interest_on_a_phone(new_page, live_server, hilversum, assert_accessible,
                                                          browser_errors):
    expected = search(hilversum, wijk="WK040208", interest="eating").activities
    page = new_page(PHONE)
    page.goto(live_server.url + "/activiteiten/")
    no_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_label("In de wijk").select_option("WK040208")  # htmx: the results follow without a reload
    expect(page.locator("#finder-status")).to_contain_text(f"{search(hilversum, wijk='WK040208').count()} ")
    page.get_by_label("Samen eten").check()
    count = expected.count()
    expect(page.locator("#finder-status")).to_contain_text(
        f"{count} activiteit gevonden" if count == 1 else f"{count} activiteiten gevonden")
    expect(first_result(page)).to_have_text(expected.first().title)
    assert "wijk=WK040208" in page.url
    no_horizontal_scroll(page)
    assert_accessible(page)

    first_result(page).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(expected.first().title)
    no_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_role("link", name="Terug naar de activiteiten").click()
    expect(page).to_have_url(re.compile(r"/activiteiten/\?.*wijk=WK040208"))
    assert real_errors(browser_errors) == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_samen_week_calendar(new_page, live_server, hilversum, assert_accessible, browser_errors, viewport):
    week = ThemeWeek.objects.filter(gemeente=hilversum).order_by("-starts_on").first()
    page = new_page(viewport)
    page.goto(live_server.url + "/samen-week/")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Samen-week")
    assert "eenzaamheid" not in heading.inner_text().lower()
    assert_accessible(page)
    no_horizontal_scroll(page)
    if week is not None:
        events = Activity.objects.filter(gemeente=hilversum, theme_week=True, status="published")
        assert events.exists()
        expect(page.locator(".samen-week__day")).to_have_count((week.ends_on - week.starts_on).days + 1)
        page.locator(".samen-week__events a").first.click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
    assert real_errors(browser_errors) == []


def test_the_finder_works_without_javascript(browser, live_server, hilversum, assert_accessible):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(live_server.url + "/activiteiten/")
        page.fill("#id_postcode", "1214ER")
        page.get_by_label("Alleen gratis").check()
        page.get_by_role("button", name="Zoeken", exact=True).click()
        expect(page).to_have_url(re.compile(r"postcode=1214ER.*free=on"))
        expected = search(hilversum, postcode="1214ER", free=True).activities.first()
        expect(first_result(page)).to_have_text(expected.title)
        page.get_by_role("link", name="Volgende").click()
        expect(page.get_by_text("Pagina 2 van")).to_be_visible()
    finally:
        context.close()
