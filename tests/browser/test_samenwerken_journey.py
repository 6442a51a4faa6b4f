"""The beleidsadviseur's year in samenwerken: a milestone reached, spending booked, the self-assessment
answered and the council report downloaded (its sections, its figures equal to the monitor's and the
budget's, and its tags); a network member sees their own network's meetings and action points only."""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from samen.core.models import User
from samen.samenwerken.models import Action, BudgetLine
from samen.samenwerken.services import budget

pytestmark = pytest.mark.browser


def _pdf_text(body: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()


def test_policy_advisor_updates_books_answers_and_downloads_the_report(
        page: Page, live_server, monitor_data, log_in, assert_accessible):
    log_in(page, "beleidsadviseur")
    page.goto(live_server.url + "/zorgnetwerken/agenda/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uitvoeringsagenda eenzaamheid 2024-2030")
    assert_accessible(page)
    page.get_by_role("link", name="75+ huisbezoeken").click()
    expect(page.locator("#voortgang")).to_contain_text("50%")
    assert_accessible(page)
    page.get_by_role("button", name="Alle 75+ inwoners jaarlijks bezocht bereikt").click()
    expect(page.locator("#voortgang")).to_contain_text("100%")
    expect(page.locator("#wijzigingen")).to_contain_text("Mijlpaal 'Alle 75+ inwoners jaarlijks bezocht' gewijzigd")

    page.goto(live_server.url + "/zorgnetwerken/budget/?jaar=2025")
    assert_accessible(page)
    page.get_by_role("link", name="Week van de eenzaamheid").click()
    page.fill("#id_booked_on", "2025-10-01")
    page.select_option("#id_kind", "uitgave")
    page.fill("#id_amount", "1.900,00".replace(".", ""))
    page.fill("#id_note", "Koffiekar en drukwerk")
    page.get_by_role("button", name="Boeken").click()
    expect(page.get_by_role("alert")).to_contain_text("boven het budget")
    assert_accessible(page)
    page.fill("#id_amount", "1750,50")
    page.get_by_role("button", name="Boeken").click()
    expect(page).to_have_url(re.compile(r"/budget/\?jaar=2025$"))
    line = BudgetLine.objects.get(action__title="Week van de eenzaamheid")
    assert budget.booked(line, "uitgave") == budget.money("1750.50", "x")

    page.goto(live_server.url + "/zorgnetwerken/zelfevaluatie/?jaar=2025")
    expect(page.get_by_text("Voorstel van Samen: ja", exact=False).first).to_be_visible()
    assert_accessible(page)
    page.locator("input[name=q_involve_lonely][value=ja]").check()
    page.get_by_role("button", name="Zelfevaluatie opslaan").click()
    expect(page.locator("#vergelijking")).to_contain_text("55%")

    page.goto(live_server.url + "/zorgnetwerken/rapportage/?jaar=2025")
    assert_accessible(page)
    page.fill("#id_kernboodschap", "De aanpak loopt; de netwerkgroep komt drie keer per jaar samen.")
    page.fill("#id_priorities", "Wijkgerichte campagne in alle wijken.")
    page.get_by_role("button", name="Opslaan en deze versie vaststellen").click()
    expect(page.locator("#versies")).to_contain_text("Versie 1")
    with page.expect_download() as download:
        page.get_by_role("link", name="Versie 1").click()
    with open(download.value.path(), "rb") as handle:
        body = handle.read()
    assert body[:5] == b"%PDF-"
    info = subprocess.run(["pdfinfo", "-"], input=body, capture_output=True, check=True).stdout.decode()
    assert re.search(r"^Tagged:\s+yes", info, re.M), info  # a tagged PDF (PDF/UA-1)
    structure = subprocess.run(["pdfinfo", "-struct", "-"], input=body, capture_output=True, check=True).stdout.decode()
    assert "H1" in structure and "Table" in structure and "TH" in structure
    text = _pdf_text(body)
    for section in ("Kernboodschap", "Aanleiding", "Wat we deden en bereikten, per bouwsteen", "Consequenties",
                    "Vervolgtraject", "Prioriteiten voor volgend jaar", "Zelfevaluatie tegenover het landelijke beeld",
                    "Signalen per kanaal", "DIN-indicatoren en kerncijfers"):
        assert section in text, section
    assert "Wijkgerichte campagne in alle wijken." in text
    from samen.weten.services import monitor

    adviser = User.objects.get(username="beleidsadviseur")
    latest = max((f for f in monitor.figures(adviser.gemeente, adviser, indicators=["lonely_often"])
                  if f.level == "gemeente" and not f.age_group and not f.sex), key=lambda f: f.year)
    assert f"{latest.estimate:.1%}" in text  # the monitor's figure, as the monitor computes it
    totals = budget.year_totals(adviser.gemeente, 2025)["total"]
    assert budget.euro(totals["spent"]) in text and budget.euro(totals["budget"]) in text  # the budget's figures


def test_a_network_member_sees_their_own_networks_meetings_only(page: Page, live_server, log_in, assert_accessible):
    log_in(page, "partner")
    expect(page.get_by_text("Uw actiepunten")).to_be_visible()
    page.goto(live_server.url + "/zorgnetwerken/bijeenkomsten/")
    expect(page.locator("#bijeenkomsten")).to_contain_text("Zorgnetwerk Noord-Oost")
    expect(page.locator("#bijeenkomsten")).not_to_contain_text("Netwerkgroep Samen is leuker")
    expect(page.locator("#actiepunten")).to_contain_text("Contact opnemen met de huisartsen")
    assert_accessible(page)
    page.locator("#bijeenkomsten a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zorgnetwerk Noord-Oost")
    assert_accessible(page)
    assert not Action.objects.filter(title="x").exists()


def test_the_regisseur_plans_a_meeting_and_an_empty_action_is_refused(page: Page, live_server, log_in,
                                                                      assert_accessible):
    log_in(page, "regisseur")
    page.goto(live_server.url + "/zorgnetwerken/agenda/acties/nieuw/")
    assert_accessible(page)
    before = Action.objects.count()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Trekker")
    assert_accessible(page)
    assert Action.objects.count() == before

    page.goto(live_server.url + "/zorgnetwerken/bijeenkomsten/")
    page.select_option("#id_network", label="Netwerkgroep Samen is leuker")
    page.fill("#id_date", "2020-01-01")
    page.fill("#id_place", "Raadhuis")
    page.get_by_role("button", name="Plannen").click()
    expect(page.get_by_role("alert")).to_contain_text("niet in het verleden")
    page.fill("#id_date", "2099-03-01")
    page.get_by_role("button", name="Plannen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Netwerkgroep Samen is leuker")
    assert_accessible(page)
    page.fill("#id_title", "Uitnodiging sturen")
    page.select_option("#id_owner", label="Rosa Regisseur (Versa Welzijn)")
    page.fill("#id_due_on", "2099-02-01")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.locator("#actiepunten")).to_contain_text("Uitnodiging sturen")
