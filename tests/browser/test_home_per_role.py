"""Each role's home page shows its work, at desktop and phone size, axe-clean; on a phone the menu folds
away behind an accessible disclosure button."""

import pytest
from playwright.sync_api import Page, expect

from samen.vinden.visits.demo import load_visits_demo

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.browser

PANELS = {
    "regisseur": ["Centrale wachtrij", "Te beoordelen", "Signalen"],
    "vrijwilliger": ["Uw open huisbezoeken"],
    "aanbieder": ["Uw activiteiten"],
    "partner": ["Open signalen in uw netwerk"],
    "beleidsadviseur": [],
    "beheerder": [],
}


def _no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{page.url} scrolls sideways")


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("role", list(PANELS))
def test_the_home_page_of_each_role_shows_its_work(new_page, hilversum, log_in, assert_accessible, browser_errors,
                                                   role, size):
    load_visits_demo(hilversum)
    page = new_page(PHONE if size == "phone" else DESKTOP)
    log_in(page, role)
    expect(page.get_by_role("heading", name="Vandaag", level=2)).to_be_visible()
    for title in PANELS[role]:
        expect(page.get_by_role("heading", name=title, level=3, exact=True)).to_be_visible()
    assert_accessible(page)
    if size == "phone":
        _no_horizontal_scroll(page)
    assert [e for e in browser_errors if "favicon" not in e] == []


def test_on_a_phone_the_menu_folds_away_behind_a_button(phone_page: Page, log_in, assert_accessible):
    page = phone_page
    log_in(page, "regisseur")
    button = page.get_by_role("button", name="Menu")
    expect(button).to_have_attribute("aria-expanded", "false")
    menu_link = page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Centrale wachtrij")
    expect(menu_link).to_be_hidden()
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu_link).to_be_visible()
    assert_accessible(page)
    menu_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Centrale wachtrij")


def test_on_a_desktop_the_menu_is_open_without_a_button(page: Page, log_in):
    log_in(page, "regisseur")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu.get_by_role("link", name="Centrale wachtrij")).to_be_visible()
