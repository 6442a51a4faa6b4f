"""The regisseur reads in a 75+ register extract of one wijk, sees what will change, and confirms."""

import pytest
from playwright.sync_api import Page, expect

from samen.vinden.visits.demo import NOORD_OOST, ZUID, load_visits_demo
from samen.vinden.visits.models import RegisterEntry

pytestmark = pytest.mark.browser


def test_regisseur_previews_and_confirms_a_register_extract_of_one_wijk(page: Page, live_server, hilversum, log_in,
                                                                       assert_accessible, browser_errors, tmp_path):
    load_visits_demo(hilversum)
    zuid = list(RegisterEntry.objects.filter(active=True, resident__buurt__wijk__code=ZUID)
                .select_related("resident").order_by("resident__name"))
    noord_oost = RegisterEntry.objects.filter(active=True, resident__buurt__wijk__code=NOORD_OOST).count()
    leaving = zuid[0].resident
    extract = tmp_path / "brp-zuid.csv"
    extract.write_text("naam;postcode;huisnummer;toevoeging;geboortedatum\n" + "".join(
        f"{e.resident.name};{e.resident.postcode};{e.resident.house_number};{e.resident.house_number_addition};"
        f"{e.resident.birth_year}-06-01\n" for e in zuid[1:]), encoding="utf-8")

    log_in(page, "regisseur")
    page.goto(live_server.url + "/huisbezoeken/register/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Register 75+ inlezen")
    assert_accessible(page)
    page.get_by_label("Bestand uit de basisregistratie (CSV of Excel)").set_input_files(str(extract))
    page.get_by_label("Dit bestand bevat").select_option(value=ZUID)
    page.get_by_role("button", name="Inlezen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Register 75+: wat er verandert")
    expect(page.get_by_text("U gaat 1 persoon uit het register halen")).to_be_visible()
    expect(page.get_by_role("cell", name=leaving.name)).to_be_visible()
    assert_accessible(page)
    assert RegisterEntry.objects.filter(active=True).count() == len(zuid) + noord_oost  # nothing yet

    page.get_by_role("button", name="Register bijwerken").click()
    expect(page.get_by_text("1 uit het register")).to_be_visible()
    assert RegisterEntry.objects.filter(active=True, resident__buurt__wijk__code=ZUID).count() == len(zuid) - 1
    assert RegisterEntry.objects.filter(active=True, resident__buurt__wijk__code=NOORD_OOST).count() == noord_oost
    assert [e for e in browser_errors if "favicon.ico" not in e] == []  # the favicon is not ours to test here
