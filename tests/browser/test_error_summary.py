"""After a form with errors, the error summary is in view and has the focus, on a phone too."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

FORMS = [
    ("regisseur", "/catalogus/nieuw/", "Opslaan en publiceren"),
    ("regisseur", "/catalogus/themaweken/nieuw/", "Opslaan"),
    ("regisseur", "/inwoners/nieuw/", "Opslaan"),
]


def _summary_has_focus_and_is_in_view(page: Page) -> None:
    summary = page.locator("[data-samen-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()


@pytest.mark.parametrize(("role", "path", "button"), FORMS)
def test_the_error_summary_is_in_view_and_focused_on_a_phone(phone_page: Page, live_server, log_in, role, path,
                                                              button, assert_accessible):
    page = phone_page
    log_in(page, role)
    page.goto(live_server.url + path)
    page.locator("main form").get_by_role("button", name=button, exact=True).last.click()
    _summary_has_focus_and_is_in_view(page)
    assert_accessible(page)


def test_the_long_repeat_options_are_folded_away_until_needed(page: Page, live_server, log_in):
    log_in(page, "regisseur")
    page.goto(live_server.url + "/catalogus/nieuw/")
    details = page.locator("details.samen-details")
    expect(details).not_to_have_attribute("open", "")
    expect(page.get_by_label("Om de hoeveel weken")).to_be_hidden()
    page.get_by_text("Hoe herhaalt het zich precies?").click()
    expect(page.get_by_label("Om de hoeveel weken")).to_be_visible()


def test_choosing_a_repeat_opens_its_options(page: Page, live_server, log_in):
    log_in(page, "regisseur")
    page.goto(live_server.url + "/catalogus/nieuw/")
    page.get_by_label("elke week, op de gekozen dagen").check()
    expect(page.get_by_role("group", name="Op welke dagen").get_by_label("dinsdag", exact=True)).to_be_visible()
