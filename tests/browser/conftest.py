"""Browser tests: Playwright's sync API drives the Debian Chromium against pytest-django's live server.

No browser is ever downloaded: Chromium comes from the system (/usr/bin/chromium). Every test gets a
fresh browser context, so cookies and sessions never leak between tests. Pages keep the site's real
Content-Security-Policy; axe-core is injected through the DevTools protocol, which the policy does
not govern, so the checks see the page exactly as a visitor does.
"""

from __future__ import annotations

import os

# Playwright's sync API runs an asyncio event loop in this thread, and Django refuses ORM calls next
# to a running loop unless told otherwise. scripts/test.sh sets this too.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from samen.core.models import User
from samen.core.services.demo import DEMO_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

REPO_DIR = Path(__file__).resolve().parents[2]
AXE_JS = REPO_DIR / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

LOGIN_PATH = "/inloggen/"
CODE_URL = re.compile(r"/inloggen/code/(\?.*)?$")
HOME_URL = re.compile(r"/overzicht/$")


# --- browser and pages ------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is not installed (scripts/bootstrap.sh --browser installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_errors() -> list[str]:
    """Console errors and uncaught exceptions of the test's pages (a CSP violation shows up here)."""
    return []


@pytest.fixture
def new_page(browser: Browser, browser_errors: list[str]) -> Iterator[Callable[..., Page]]:
    """Makes a page in a fresh context of the given viewport size; all are closed after the test."""
    contexts: list[BrowserContext] = []

    def make(viewport: dict[str, int] = DESKTOP) -> Page:
        context = browser.new_context(viewport=viewport, locale="nl-NL", timezone_id="Europe/Amsterdam")
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: browser_errors.append(_console_error(page, msg))
                if msg.type == "error" else None)
        page.on("pageerror", lambda exc: browser_errors.append(f"pageerror: {exc}"))
        return page

    yield make
    for context in contexts:
        context.close()


def _console_error(page: Page, msg) -> str:
    where = msg.location or {}
    source = f"{where.get('url') or '?'}:{where.get('lineNumber', '?')}"
    return f"console error on {page.url} (from {source}): {msg.text}"


@pytest.fixture
def page(new_page) -> Page:
    """A desktop-size page (1280x900)."""
    return new_page(DESKTOP)


@pytest.fixture
def phone_page(new_page) -> Page:
    """A phone-size page (390x844)."""
    return new_page(PHONE)


# --- second factor ----------------------------------------------------------------------------

def current_totp_code(user: User) -> str:
    """The code the user's authenticator app shows now, computed as django-otp's TOTPDevice does."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    return f"{token:0{device.digits}d}"


def fresh_totp_code(user: User) -> str:
    """A code the device accepts now: the current one, or — when this user already used the current time step
    (a second login within the same 30 seconds; django-otp refuses a code twice) — the next step's, which its
    tolerance accepts, as an app showing the next code would."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    step = generator.t()
    if device.last_t is not None and device.last_t >= step:
        step = device.last_t + 1
        assert step <= generator.t() + device.tolerance, "no unused code within the device's tolerance"
        generator.time = device.t0 + (step - device.drift) * device.step
    return f"{generator.token():0{device.digits}d}"


def wrong_totp_code(user: User) -> str:
    """A well-formed code that no time step near now accepts."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = generator.t()
    valid = set()
    for t in range(now - device.tolerance - 2, now + device.tolerance + 3):
        generator.time = device.t0 + (t - device.drift) * device.step
        valid.add(generator.token())
    candidate = 123456
    while candidate in valid:
        candidate = (candidate + 111111) % 10**device.digits
    return f"{candidate:0{device.digits}d}"


@pytest.fixture
def totp_code(hilversum) -> Callable[[str], str]:
    """``totp_code(username)``: the code the demo user's authenticator app shows now."""

    def code(username: str) -> str:
        return current_totp_code(User.objects.get(username=username))

    return code


@pytest.fixture
def wrong_code(hilversum) -> Callable[[str], str]:
    """``wrong_code(username)``: a six-digit code that is not valid for the demo user now."""

    def code(username: str) -> str:
        return wrong_totp_code(User.objects.get(username=username))

    return code


# --- journeys and checks ----------------------------------------------------------------------

def _submit_login(page: Page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(base_url + LOGIN_PATH)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Inloggen", exact=True).click()


@pytest.fixture
def submit_login(live_server, hilversum) -> Callable[..., None]:
    """``submit_login(page, username, password=DEMO_PASSWORD)``: the first step (password) only."""

    def go(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
        _submit_login(page, live_server.url, username, password)

    return go


@pytest.fixture
def log_in(live_server, hilversum) -> Callable[[Page, str], None]:
    """``log_in(page, username)``: logs a demo user in through the forms, with the second factor
    where the user has one, and ends on the home page."""

    def go(page: Page, username: str) -> None:
        _submit_login(page, live_server.url, username)
        user = User.objects.get(username=username)
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            expect(page).to_have_url(CODE_URL)
            page.fill("#id_token", fresh_totp_code(user))
            page.get_by_role("button", name="Bevestigen").click()
        expect(page).to_have_url(HOME_URL)

    return go


def axe_violations(page: Page, tags: list[str] | None = None) -> list[dict]:
    """Runs axe-core on the page for the WCAG 2.1 A/AA rules and returns the violations."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Through the DevTools protocol: not a <script> element, so the page's CSP does not block it.
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
            }));
        }""",
        tags or WCAG_TAGS,
    )


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}"
                     f" <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


@pytest.fixture
def assert_accessible() -> Callable[[Page], None]:
    """``assert_accessible(page)``: fails with axe-core's WCAG 2.1 A/AA violations, if any."""

    def check(page: Page) -> None:
        violations = axe_violations(page)
        assert violations == [], (
            f"axe-core found WCAG 2.1 A/AA violations on {page.url}:\n" + format_violations(violations))

    return check
