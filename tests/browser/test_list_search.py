"""Searching the residents and the signals in a real browser: type, press Enter, the list narrows."""

import pytest
from playwright.sync_api import Page, expect

from samen.core.models import Resident
from samen.vinden.services.signals import submit_signal

pytestmark = pytest.mark.browser


def test_the_regisseur_searches_the_residents(page: Page, live_server, log_in, assert_accessible):
    log_in(page, "regisseur")
    page.goto(live_server.url + "/inwoners/")
    pronk = Resident.objects.get(name="Mevrouw J. Pronk")
    page.get_by_label("Zoeken op naam of postcode").fill(f"pronk {pronk.postcode[:4]}")
    page.get_by_label("Zoeken op naam of postcode").press("Enter")
    expect(page.get_by_role("link", name="Mevrouw J. Pronk")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(1)
    assert_accessible(page)
    page.get_by_label("Zoeken op naam of postcode").fill("kofie")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_text("Niets gevonden voor 'kofie'")).to_be_visible()


def test_the_partner_filters_the_signals_by_channel(phone_page: Page, live_server, hilversum, log_in,
                                                    assert_accessible):
    staff = submit_signal(hilversum, channel="staff", data={"postcode": "1211BJ", "house_number": 7,
                                                            "observations": ["weinig_bezoek"]}).signal
    public = submit_signal(hilversum, channel="resident_concern", data={"postcode": "1211BJ", "house_number": 9,
                                                                        "description": "buurman"}).signal
    page = phone_page
    log_in(page, "partner")
    page.goto(live_server.url + "/signalen/")
    page.get_by_label("Kanaal").select_option("resident_concern")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("link", name=f"Signaal {public.pk}", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=f"Signaal {staff.pk}", exact=True)).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Signaalnummer").fill(str(staff.pk))
    page.get_by_label("Kanaal").select_option("")
    page.get_by_label("Signaalnummer").press("Enter")
    expect(page.get_by_role("link", name=f"Signaal {staff.pk}", exact=True)).to_be_visible()
