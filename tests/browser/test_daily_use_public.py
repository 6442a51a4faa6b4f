"""Issue 14 in a real browser: a public form sent once however often it is refreshed or sent again, the
municipality's footer pages at phone size, and "wachtwoord vergeten" from the login page to a new password."""

import re

import pytest
from playwright.sync_api import Page, expect

from samen.core.models import OutboxMessage, User
from samen.vinden.models import Signal

pytestmark = pytest.mark.browser


def no_overflow(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_a_resident_who_refreshes_or_sends_again_sends_one_signal(page: Page, live_server, hilversum,
                                                                    assert_accessible):
    page.goto(live_server.url + "/zorgen-om-iemand/")
    page.fill("#id_postcode", "1211 BJ")
    page.fill("#id_house_number", "7a")
    page.fill("#id_description", "De buurvrouw doet de deur niet meer open.")
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dank u wel")
    signal = Signal.objects.get(description="De buurvrouw doet de deur niet meer open.")
    expect(page.locator(".samen-reference")).to_have_text(signal.reference)
    expect(page.get_by_text("binnen 5 werkdagen", exact=False)).to_be_visible()
    assert_accessible(page)
    page.reload()  # after post/redirect/get a refresh asks for the thank-you page only
    expect(page.locator(".samen-reference")).to_have_text(signal.reference)
    page.go_back()  # back to the filled-in form, and send it again
    if page.locator("#id_description").input_value() != "De buurvrouw doet de deur niet meer open.":
        pytest.skip("the browser did not keep the form's content on going back")
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator(".samen-reference")).to_have_text(signal.reference)
    assert Signal.objects.filter(description="De buurvrouw doet de deur niet meer open.").count() == 1
    assert (signal.resident.house_number, signal.resident.house_number_addition) == (7, "A")


def test_the_footer_pages_of_the_municipality_on_a_phone(phone_page: Page, live_server, hilversum,
                                                         assert_accessible):
    page = phone_page
    page.goto(live_server.url + "/")
    footer = page.locator("footer")
    expect(footer.get_by_text("Gemeente Hilversum", exact=True)).to_be_visible()
    expect(footer.get_by_role("link", name="14 035")).to_have_attribute("href", "tel:14035")
    footer.get_by_role("link", name="Privacyverklaring").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacyverklaring")
    expect(page.get_by_text("Algemene verordening gegevensbescherming", exact=False)).to_be_visible()
    assert_accessible(page)
    assert no_overflow(page)
    page.locator("footer").get_by_role("link", name="Toegankelijkheid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Toegankelijkheidsverklaring")
    expect(page.get_by_text("B: voldoet gedeeltelijk", exact=False)).to_be_visible()
    expect(page.get_by_role("heading", name="Handhavingsprocedure")).to_be_visible()
    assert_accessible(page)
    assert no_overflow(page)


def test_a_partner_who_forgot_the_password_chooses_a_new_one(page: Page, live_server, hilversum, submit_login,
                                                             assert_accessible):
    partner = User.objects.get(username="partner")
    page.goto(live_server.url + "/inloggen/")
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtwoord vergeten")
    assert_accessible(page)
    page.fill("#id_email", partner.email)
    page.get_by_role("button", name="Stuur mij een link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kijk in uw e-mail")
    body = OutboxMessage.objects.get(kind="core.password_reset", recipient=partner).body
    link = re.search(r"(/wachtwoord-herstellen/\S+/)", body).group(1)
    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw wachtwoord kiezen")
    assert_accessible(page)
    page.fill("#id_new_password1", "Een heel nieuw wachtwoord 9")
    page.fill("#id_new_password2", "Een heel nieuw wachtwoord 9")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtwoord opgeslagen")
    page.goto(live_server.url + link)  # the link works once
    expect(page.get_by_role("alert")).to_contain_text("Deze link werkt niet meer")
    submit_login(page, "partner", "Een heel nieuw wachtwoord 9")
    expect(page).to_have_url(re.compile(r"/inloggen/code/"))  # the second factor is still asked
