"""A social worker records a resident; the form places the address while typing (htmx)."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_social_worker_records_a_resident_with_the_address_checked(
        page: Page, live_server, log_in, assert_accessible):
    log_in(page, "sociaalwerker")
    page.get_by_role("link", name="Inwoners").first.click()
    page.get_by_role("link", name="Inwoner vastleggen").click()
    page.fill("#id_name", "Mevrouw Test")
    page.fill("#id_postcode", "1211 bj")
    page.fill("#id_house_number", "7")
    page.locator("#id_house_number").blur()
    expect(page.locator("#adrescontrole")).to_contain_text("Noord-Oost")
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mevrouw Test")
    expect(page.get_by_text("De inwoner is vastgelegd.")).to_be_visible()


def test_an_address_outside_the_municipality_is_explained(page: Page, live_server, log_in):
    log_in(page, "sociaalwerker")
    page.goto(live_server.url + "/inwoners/nieuw/")
    page.fill("#id_postcode", "9999ZZ")
    page.locator("#id_postcode").blur()
    expect(page.locator("#adrescontrole")).to_contain_text("niet bekend in Hilversum")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("niet bekend in Hilversum")
