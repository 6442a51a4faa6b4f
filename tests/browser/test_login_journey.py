"""Logging in through a real browser: password, second factor, home page; and the accessibility of
those pages (axe-core, keyboard only, phone size)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from samen.core.services.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

CODE_URL = re.compile(r"/inloggen/code/(\?[^#]*)?(#inhoud)?$")
HOME_URL = re.compile(r"/overzicht/(#inhoud)?$")
WRONG_CODE_MESSAGE = "Deze code klopt niet of is verlopen. Probeer de nieuwste code."


def test_regisseur_logs_in_with_second_factor_and_sees_home(
        page: Page, live_server, hilversum, totp_code, assert_accessible):
    page.goto(live_server.url + "/inloggen/")
    page.fill("#id_username", "regisseur")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()

    expect(page).to_have_url(CODE_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweede stap: code invoeren")
    page.fill("#id_token", totp_code("regisseur"))
    page.get_by_role("button", name="Bevestigen").click()

    expect(page).to_have_url(HOME_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Rosa")
    assert_accessible(page)


def test_wrong_code_keeps_user_on_second_factor_step(
        page: Page, live_server, submit_login, wrong_code, assert_accessible):
    submit_login(page, "regisseur")
    expect(page).to_have_url(CODE_URL)

    page.fill("#id_token", wrong_code("regisseur"))
    page.get_by_role("button", name="Bevestigen").click()

    expect(page).to_have_url(CODE_URL)
    expect(page.locator("#id_token_error")).to_have_text(WRONG_CODE_MESSAGE)
    token = page.locator("#id_token")
    expect(token).to_have_attribute("aria-invalid", "true")
    expect(token).to_have_attribute("aria-describedby", re.compile(r"\bid_token_error\b"))
    assert_accessible(page)

    # Without the second factor the home page stays out of reach.
    page.goto(live_server.url + "/overzicht/")
    expect(page).to_have_url(CODE_URL)


def test_beleidsadviseur_logs_in_with_password_only(page: Page, submit_login, demo_user):
    visited: list[str] = []
    page.on("request", lambda request: visited.append(request.url))

    submit_login(page, "beleidsadviseur")

    expect(page).to_have_url(HOME_URL)
    name = demo_user("beleidsadviseur").first_name
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welkom, {name}")
    assert not [url for url in visited if "/inloggen/code" in url], visited


@pytest.mark.parametrize("path", ["/", "/inloggen/"])
def test_public_pages_have_no_axe_violations(page: Page, live_server, assert_accessible, path):
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def test_axe_harness_reports_violations(page: Page, assert_accessible):
    """The axe check itself works: a page with known faults does not pass."""
    page.set_content("<html><body><img src='data:,'><button></button></body></html>")
    with pytest.raises(AssertionError, match=r"image-alt[\s\S]*button-name|button-name[\s\S]*image-alt"):
        assert_accessible(page)


def test_pages_run_without_browser_errors(page: Page, log_in, live_server, browser_errors):
    """No console errors, such as a script or style the Content-Security-Policy blocks."""
    page.goto(live_server.url + "/")
    log_in(page, "regisseur")
    assert browser_errors == [], "errors in the browser:\n" + "\n".join(browser_errors)


def _focused(page: Page) -> str:
    """A short description of the element that has focus ("body" when focus left the page)."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        if (!el || el === document.body) return "body";
        return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " " + el.textContent.trim();
    }""")


def test_skip_link_is_first_tab_stop_on_start_page(page: Page, live_server):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip_link = page.locator(":focus")
    expect(skip_link).to_have_text("Naar de inhoud")
    expect(skip_link).to_be_in_viewport()  # visible on focus
    page.keyboard.press("Enter")
    expect(page.locator("main#inhoud")).to_be_focused()


def test_login_with_keyboard_only(page: Page, live_server, hilversum, totp_code):
    page.goto(live_server.url + "/inloggen/")
    # The login form puts focus in the username field on load (autofocus). Walk back with
    # Shift+Tab until focus leaves the page, then enter it again with Tab as a keyboard user does.
    expect(page.locator("#id_username")).to_be_focused()
    for _ in range(10):
        page.keyboard.press("Shift+Tab")
        if _focused(page) == "body":
            break
    assert _focused(page) == "body", "Shift+Tab never left the page"

    page.keyboard.press("Tab")
    skip_link = page.locator(":focus")
    expect(skip_link).to_have_text("Naar de inhoud")
    expect(skip_link).to_be_in_viewport()  # visible on focus
    page.keyboard.press("Enter")
    expect(page.locator("main#inhoud")).to_be_focused()

    page.keyboard.press("Tab")
    expect(page.locator("#id_username")).to_be_focused()
    page.keyboard.type("regisseur")
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url(CODE_URL)
    token = page.locator("#id_token")
    if not token.evaluate("el => el === document.activeElement"):
        # The skip link's #inhoud fragment rides along with the form post and its redirect; a page
        # opened at a fragment focuses its target instead of the autofocus field: one Tab more.
        page.keyboard.press("Tab")
    expect(token).to_be_focused()
    page.keyboard.type(totp_code("regisseur"))
    page.keyboard.press("Enter")

    expect(page).to_have_url(HOME_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Rosa")


def _horizontal_overflow(page: Page) -> dict:
    return page.evaluate(
        "() => ({scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth})")


def test_home_page_fits_a_phone(phone_page: Page, log_in):
    log_in(phone_page, "regisseur")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Welkom, Rosa")

    sizes = _horizontal_overflow(phone_page)
    assert sizes["scrollWidth"] <= sizes["innerWidth"], f"horizontal scroll on a phone: {sizes}"


@pytest.mark.parametrize("path", ["/", "/inloggen/"])
def test_public_pages_fit_a_phone(phone_page: Page, live_server, path):
    phone_page.goto(live_server.url + path)
    expect(phone_page.get_by_role("heading", level=1)).to_be_visible()

    sizes = _horizontal_overflow(phone_page)
    assert sizes["scrollWidth"] <= sizes["innerWidth"], f"horizontal scroll on a phone at {path}: {sizes}"
