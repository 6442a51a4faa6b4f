"""The beheerder changes the municipality's settings in a real browser: a mistake is named at its field,
the correction is saved; the page passes axe-core and reads at phone size."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from samen.core.models import Gemeente

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 740}


def test_the_beheerder_changes_the_catalogue_months(page: Page, live_server, log_in, assert_accessible):
    log_in(page, "beheerder")
    page.get_by_role("link", name="Instellingen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Instellingen van de gemeente Hilversum")
    assert_accessible(page)

    page.get_by_label("activiteit verouderd na (maanden)").fill("8")
    page.get_by_label("activiteit van de site na (maanden)").fill("8")
    page.get_by_role("button", name="Opslaan").click()
    error = page.locator("#id_catalogue_hide_months_error")
    expect(error).to_contain_text("kies meer maanden dan bij 'verouderd na' (8)")
    expect(page.locator("#id_catalogue_hide_months")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    assert Gemeente.objects.get(code="GM0402").catalogue_stale_months == 6  # nothing stored

    page.get_by_label("activiteit van de site na (maanden)").fill("12")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De instellingen zijn opgeslagen.")).to_be_visible()
    gemeente = Gemeente.objects.get(code="GM0402")
    assert (gemeente.catalogue_stale_months, gemeente.catalogue_hide_months) == (8, 12)

    page.set_viewport_size(PHONE)  # the same session at phone size (a second login would reuse the code)
    page.goto(live_server.url + "/beheer/instellingen/")
    expect(page.get_by_label("activiteit van de site na (maanden)")).to_have_value("12")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
