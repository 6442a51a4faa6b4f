"""The beleidsadviseur reads in a survey wave that exists: she sees what it replaces, per wijk, and
confirms; the screen then shows the mapping of the wave's last import."""

import pytest
from playwright.sync_api import Page, expect

from samen.weten.models import Wave
from samen.weten.tests.test_survey_import import MAPPING, run, source_frame

pytestmark = pytest.mark.browser


def test_policy_advisor_previews_and_confirms_replacing_a_survey_wave(page: Page, live_server, hilversum, log_in,
                                                                       assert_accessible, browser_errors, tmp_path):
    report, wave = run(hilversum, source_frame(6).to_csv(index=False).encode(), "oud.csv")
    assert report.ok, report.problems
    data, mapping = tmp_path / "peiling-2024.csv", tmp_path / "koppeling.yaml"
    data.write_text(source_frame(8).to_csv(index=False, sep=";"), encoding="utf-8")
    mapping.write_text(MAPPING, encoding="utf-8")

    log_in(page, "beleidsadviseur")
    page.goto(live_server.url + "/monitor/metingen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Metingen")
    expect(page.get_by_role("link", name="Sjabloon voor het koppelbestand downloaden (YAML, met uitleg)")) \
        .to_be_visible()
    assert_accessible(page)
    page.get_by_label("Bron").select_option(value="burgerpeiling")
    page.get_by_label("Jaar").fill("2024")
    page.get_by_label("Bestand met microdata").set_input_files(str(data))
    page.get_by_label("Koppelbestand (YAML)").set_input_files(str(mapping))
    page.get_by_role("button", name="Inlezen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Meting inlezen: wat er verandert")
    expect(page.get_by_text("U vervangt de 6 respondenten van meting ‘Burgerpeiling 2024’ door 8.")).to_be_visible()
    expect(page.get_by_role("table", name="Respondenten per wijk")).to_be_visible()
    assert_accessible(page)
    wave.refresh_from_db()
    assert wave.respondents.count() == 6 and wave.file_name == "oud.csv"  # nothing yet

    page.get_by_role("button", name="Meting vervangen").click()
    expect(page.get_by_text("Burgerpeiling 2024: 8 respondenten ingelezen.")).to_be_visible()
    wave = Wave.objects.get(pk=wave.pk)
    assert wave.respondents.count() == 8 and wave.mapping == MAPPING
    page.locator(f"#koppelbestand-{wave.pk} summary").click()  # the wave's mapping, folded open
    expect(page.locator(f"#koppelbestand-{wave.pk} pre")).to_be_visible()
    expect(page.locator(f"#koppelbestand-{wave.pk} pre")).to_contain_text("respondent_id: RESPNR")
    assert_accessible(page)
    assert [e for e in browser_errors if "favicon.ico" not in e] == []
