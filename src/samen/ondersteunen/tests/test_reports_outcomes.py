"""Outcomes and local evidence: aggregates only, small cells hidden with complementary suppression, shares
only with the municipality's minimum behind them; a CSV that opens in Dutch Excel."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from samen.core.models import Resident
from samen.ondersteunen.services import outcomes

pytestmark = pytest.mark.django_db


def test_the_local_evidence_shows_for_busy_activities_and_is_suppressed_for_the_others(hilversum):
    data = outcomes.compute(hilversum)
    minimum = hilversum.min_cell_size
    shown = [r for r in data["evidence"] if r["still_going"]["share"] is not None]
    hidden = [r for r in data["evidence"] if r["still_going"]["share"] is None and r["still_going"]["n"]]
    assert shown and hidden
    assert all(r["still_going"]["n"] >= minimum for r in shown)
    assert all(r["still_going"]["n"] < minimum for r in hidden)
    assert all(0 <= r["still_going"]["share"] <= 1 for r in shown)
    total = data["shares"]["still_going"][1]
    assert total["share"] is not None and total["n"] >= minimum
    assert data["first_contact"]["median"] is not None


def test_no_count_table_gives_back_a_hidden_cell(hilversum):
    data = outcomes.compute(hilversum)
    for table in data["tables"].values():
        _check_protected(table)


def _check_protected(table):
    rows = [*table["rows"], table["total"]]
    for row in rows:  # a row whose total is shown never has exactly one hidden cell
        if row["total"] is not None:
            assert sum(v is None for v in row["cells"]) != 1
        assert all(v is None or v == 0 or v >= outcomes.COUNT_MINIMUM for v in row["cells"])
    for i in range(len(table["columns"])):
        column = [r["cells"][i] for r in table["rows"]]
        if table["total"]["cells"][i] is not None:
            assert sum(v is None for v in column) != 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), max_size=80))
def test_the_crosstab_suppression_holds_for_any_counts(pairs):
    class W:
        def __init__(self, pk):
            self.pk, self.display_name = pk, f"wijk {pk}"

    wijken = [W(i) for i in range(4)]
    categories = [(str(c), f"c{c}") for c in range(4)]
    table = outcomes.crosstab([(w, str(c)) for w, c in pairs], categories, wijken)
    _check_protected(table)
    for w in range(4):  # every shown cell is the true count
        for c in range(4):
            value = table["rows"][w]["cells"][c]
            if value is not None:
                assert value == pairs.count((w, c))


def test_the_beleidsadviseur_sees_the_outcomes_without_a_name(hilversum, client_as):
    response = client_as("beleidsadviseur").get(reverse("ondersteunen_rapportage:outcomes"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lokaal bewijs per activiteit en interventie" in html and "n&lt;" in html
    for name in Resident.objects.filter(gemeente=hilversum).exclude(name="").values_list("name", flat=True)[:50]:
        assert name not in html


def test_the_csv_opens_in_dutch_excel(hilversum, client_as):
    response = client_as("beleidsadviseur").get(reverse("ondersteunen_rapportage:outcomes_csv"))
    assert response.status_code == 200
    assert 'filename="ondersteunen-uitkomsten-hilversum-' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff") and text.splitlines()[0].count(";") == 5
    assert "Lokaal bewijs" in text and "%" in text
    shares = [line.split(";")[4] for line in text.splitlines()[1:] if line.split(";")[4].endswith("%")]
    assert shares and all("," in share and "." not in share for share in shares)


def test_a_wijk_and_period_filter(hilversum, client_as):
    wijk = hilversum.wijken.get(code="WK040207")
    response = client_as("regisseur").get(reverse("ondersteunen_rapportage:outcomes_csv"),
                                          {"wijk": wijk.pk, "date_from": "2020-01-01", "date_to": "2030-12-31"})
    assert f"-{wijk.code}-20200101-20301231.csv" in response["Content-Disposition"]
    bad = client_as("regisseur").get(reverse("ondersteunen_rapportage:outcomes"),
                                     {"date_from": "2030-01-01", "date_to": "2020-01-01"})
    assert "De einddatum ligt voor de begindatum." in bad.content.decode()


def test_the_summary_for_the_factsheet_has_its_sources(hilversum):
    from django.utils import timezone

    summary = outcomes.summary(hilversum, timezone.localdate().year)
    assert summary["sources"] and summary["note"] and "trajectories" in summary
