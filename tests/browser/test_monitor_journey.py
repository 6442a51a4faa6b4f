"""The policy advisor's journey through the monitor: the dashboard with map, trend and factors, an
indicator chosen, the CSV and the council factsheet downloaded, and the page accessible."""

from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_policy_advisor_reads_the_monitor_and_downloads_the_factsheet(
        page: Page, live_server, monitor_data, log_in, assert_accessible):
    log_in(page, "beleidsadviseur")
    page.get_by_role("link", name="Monitor", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Monitor eenzaamheid")
    expect(page.locator("figure svg")).to_have_count(3)  # map, trend, forest plot
    expect(page.locator("#tabel-wijken")).to_contain_text("Noord-West")
    expect(page.get_by_text("Alleenwonenden zijn", exact=False).first).to_be_visible()
    expect(page.locator("#tabel-gestandaardiseerd")).to_contain_text("Gestandaardiseerd naar leeftijd")
    expect(page.get_by_text("gecorrigeerd voor het aantal vergelijkingen (Holm", exact=False)).to_be_visible()
    assert_accessible(page)

    page.select_option("#trend_wijk", "WK040201")
    page.get_by_role("button", name="Tonen").click()
    expect(page.locator('svg[aria-label="Verloop in Centrum"]')).to_have_count(1)
    assert_accessible(page)

    page.select_option("#indicator", "severely_lonely")
    page.get_by_role("button", name="Tonen").click()
    expect(page.locator("#tabel-wijken caption")).to_contain_text("ernstig eenzaam")

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Alle cijfers (CSV voor Excel)").click()
    assert csv_download.value.suggested_filename.startswith("monitor-eenzaamheid-hilversum-cijfers-totalen-")
    with open(csv_download.value.path(), encoding="utf-8-sig") as handle:
        assert handle.readline().startswith("niveau;gebiedscode;")

    response = page.request.get(live_server.url + "/monitor/factsheet.pdf?indicator=lonely")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.body(), capture_output=True,
                          check=True).stdout.decode()
    assert "Eenzaamheid in Hilversum" in text and "Kerncijfers" in text


def test_the_monitor_reads_on_a_phone(new_page, live_server, monitor_data, log_in):
    page = new_page({"width": 390, "height": 844})
    log_in(page, "regisseur")
    page.goto(live_server.url + "/monitor/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Monitor eenzaamheid")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
