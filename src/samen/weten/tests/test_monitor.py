"""The monitor's figures: right numbers, and no suppressed cell shown in any channel."""

from __future__ import annotations

import csv
import io
import math

import pytest
from django.core.cache import cache
from django.urls import reverse

from samen.weten.models import Respondent
from samen.weten.services import monitor

pytestmark = pytest.mark.django_db


def direct_share(respondents, threshold=3):
    """An independent computation of the weighted share and its interval, straight from the rows."""
    rows = [(r.weight, 1.0 if r.djg_total >= threshold else 0.0) for r in respondents if r.djg_total is not None]
    n = len(rows)
    total = math.fsum(w for w, _y in rows)
    p = math.fsum(w * y for w, y in rows) / total
    var = n / (n - 1) * math.fsum(w * w * (y - p) ** 2 for w, y in rows) / total ** 2
    return n, p, p - 1.959964 * math.sqrt(var), p + 1.959964 * math.sqrt(var)


def test_wijk_figures_match_an_independent_computation(monitor_data, demo_user):
    figures = monitor.figures(monitor_data, demo_user("beleidsadviseur"), indicators=["lonely"], interval="wald")
    centrum = next(f for f in figures if f.area_code == "WK040201" and f.year == 2019 and f.level == "wijk")
    n, p, low, high = direct_share(Respondent.objects.filter(wave__year=2019, wijk__code="WK040201"))
    assert centrum.n == n
    assert centrum.estimate == pytest.approx(p, abs=1e-9)
    assert (centrum.ci_low, centrum.ci_high) == (pytest.approx(low, abs=1e-9), pytest.approx(high, abs=1e-9))


def test_small_cells_are_suppressed_and_cannot_be_derived(monitor_data, demo_user):
    figures = monitor.figures(monitor_data, demo_user("beleidsadviseur"), indicators=["lonely"])
    min_n = monitor_data.min_cell_size
    assert any(f.suppressed for f in figures)
    for f in figures:
        if f.suppressed:  # nor its n: with the n the subtraction would be exact
            assert f.n is None and f.estimate is None and f.ci_low is None
        else:
            assert f.n >= min_n
    # Per wijk and year, never exactly one suppressed buurt next to shown ones.
    for wijk in {f.area_code for f in figures if f.level == "wijk"}:
        for year in {f.year for f in figures}:
            buurten = [f for f in figures if f.level == "buurt" and f.year == year and f.area_code.startswith(
                "BU" + wijk[2:])]
            if len(buurten) > 1:
                assert sum(b.suppressed for b in buurten) != 1, (wijk, year)


def _suppressed_buurt(monitor_data, user):
    return next(f for f in monitor.figures(monitor_data, user, indicators=["lonely"])
                if f.level == "buurt" and f.suppressed)


def test_no_channel_shows_a_suppressed_figure(monitor_data, demo_user, client_as):
    user = demo_user("beleidsadviseur")
    hidden = _suppressed_buurt(monitor_data, user)
    client = client_as("beleidsadviseur")
    # API
    api = client.get(reverse("api:monitor-figures"), {"indicator": "lonely", "level": "buurt",
                                                      "year": hidden.year, "page_size": 200}).json()
    row = next(r for r in api["results"] if r["area_code"] == hidden.area_code)
    assert row["suppressed"] and row["estimate"] is None and row["ci_low"] is None
    # CSV
    export = client.get(reverse("weten:figures_csv"), {"formaat": "rfc4180"}).content.decode()
    rows = list(csv.DictReader(io.StringIO(export)))
    match = next(r for r in rows if r["gebiedscode"] == hidden.area_code and r["jaar"] == str(hidden.year)
                 and r["indicator"] == "lonely" and not r["leeftijdsgroep"])
    assert match["onderdrukt"] == "ja" and match["schatting"] == "" and match["ondergrens_95"] == ""
    assert match["n"] == "" and row["n"] is None
    for r in rows:
        if r["n"] and int(r["n"]) < monitor_data.min_cell_size:
            assert r["schatting"] == ""


def test_dashboard_shows_map_trend_table_targets_and_factors(monitor_data, client_as):
    page = client_as("regisseur").get(reverse("weten:dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<svg") >= 3  # map, trend and forest plot
    assert 'id="tabel-wijken"' in html and 'aria-describedby="tabel-wijken"' in html  # the text alternative
    assert "Doel: onder" in html and "Noord-West" in html
    assert "Alleenwonenden zijn" in html and "prevalentieratio" in html and "Prevalentieratio (95%-interval)" in html
    assert page.context["data"].latest_year == 2022


def test_factors_per_wijk_and_an_invalid_indicator_falls_back(monitor_data, client_as):
    client = client_as("beleidsadviseur")
    page = client.get(reverse("weten:dashboard"), {"factor_wijk": "WK040207", "indicator": "nonsense"})
    assert page.status_code == 200 and page.context["data"].indicator == "lonely"
    model = page.context["data"].factor_model
    assert model is None or all(e.factor != "wijk" for e in model.effects)


def test_the_api_refuses_bad_parameters(monitor_data, client_as):
    response = client_as("beleidsadviseur").get(reverse("api:monitor-figures"), {"level": "land", "year": "x"})
    assert response.status_code == 400 and {"level", "year"} <= set(response.json()["errors"])


def test_age_breakdown_is_suppressed_too(monitor_data, demo_user):
    figures = monitor.figures(monitor_data, demo_user("regisseur"), indicators=["lonely"], breakdown="age_group")
    by_age = [f for f in figures if f.age_group]
    assert by_age and any(f.suppressed for f in by_age)
    assert all(f.n >= monitor_data.min_cell_size for f in by_age if not f.suppressed)


def test_breakdowns_by_monitor_age_groups_and_sex_combined(monitor_data, demo_user):
    figures = monitor.figures(monitor_data, demo_user("regisseur"), indicators=["lonely"],
                              breakdown=("age_group_monitor", "sex"))
    combined = [f for f in figures if f.age_group and f.sex]
    assert {f.age_group for f in combined} <= {"18-34", "35-49", "50-64", "65-74", "75+"}
    assert {f.sex for f in combined} == {"man", "vrouw"}
    assert all(f.n >= monitor_data.min_cell_size for f in combined if not f.suppressed)


def test_a_stratified_wave_uses_the_stratified_variance(monitor_data, demo_user):
    from samen.weten import estimates
    from samen.weten.models import Wave

    Wave.objects.filter(year=2022).update(has_strata=True)
    Respondent.objects.filter(wave__year=2022).update(stratum="a")
    Respondent.objects.filter(wave__year=2022, wijk__code__in=["WK040201", "WK040202"]).update(stratum="b")
    cache.clear()  # the microdata cache is keyed on the import time; this test changes rows in place
    # (the root conftest clears the cache again after the test)
    figures = monitor.figures(monitor_data, demo_user("regisseur"), indicators=["lonely"], interval="wald")
    centrum = next(f for f in figures if f.area_code == "WK040201" and f.year == 2022 and f.level == "wijk")
    rows = Respondent.objects.filter(wave__year=2022)
    total = [r.djg_total for r in rows]
    in_domain = [r.wijk.code == "WK040201" for r in rows]
    outcome = [None if t is None else float(t >= 3) for t in total]
    expected = estimates.estimate(
        {"d": ["c" if d else "x" for d in in_domain]},
        {"lonely": [float("nan") if y is None else y for y in outcome]},
        [r.weight for r in rows], by=["d"], min_n=50, strata=[r.stratum for r in rows], interval="wald")
    cell = next(c for c in expected if c.keys == ("c",))
    assert centrum.ci_high == pytest.approx(cell.ci_high, abs=1e-9)


def test_a_suppressed_wijk_shows_no_figure_on_the_screen_or_in_the_pdf(monitor_data, demo_user, client_as):
    import subprocess

    figures = monitor.figures(monitor_data, demo_user("beleidsadviseur"), indicators=["lonely"])
    hidden = [f for f in figures if f.level == "wijk" and f.suppressed]
    assert hidden, "with 1,500 respondents a wave, Landelijk Gebied has too few"
    client = client_as("beleidsadviseur")
    page = client.get(reverse("weten:dashboard"))
    data = page.context["data"]
    for f in hidden:
        assert data.wijken[f.area_code][f.year].estimate is None
    row = page.content.decode().split("Landelijk Gebied</th>", 1)[1].split("</tr>", 1)[0]
    assert "%" not in row and "—" in row
    pdf = client.get(reverse("weten:factsheet")).content
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True).stdout.decode()
    line = next(li for li in text.splitlines() if li.strip().startswith("Landelijk Gebied"))
    assert "%" not in line and "—" in line


def test_the_policy_advisors_home_shows_the_latest_figure(monitor_data, client_as):
    page = client_as("beleidsadviseur").get(reverse("core:home"))
    panels = {p["key"]: p["context"] for p in page.context["panels"]}
    assert panels["weten.monitor"]["figure"].year == 2022
    assert "Naar de monitor" in page.content.decode()
    partner = client_as("partner").get(reverse("core:home"))
    assert "weten.monitor" not in {p["key"] for p in partner.context["panels"]}


def test_the_policy_advisor_sets_a_target_per_wijk(monitor_data, client_as):
    from samen.weten.models import Target

    client = client_as("beleidsadviseur")
    wijk = monitor_data.wijken.get(code="WK040201")
    data = {"indicator": "lonely", "wijk": wijk.pk, "source": "hilversum_monitor", "baseline_year": 2016,
            "target_value": "0.45", "direction": "below", "target_year": 2030}
    assert client.post(reverse("weten:targets"), data).status_code == 302
    assert client.post(reverse("weten:targets"), data).status_code == 400  # the same target twice
    bad = client.post(reverse("weten:targets"), {**data, "wijk": "", "target_value": "4", "target_year": 2010})
    assert bad.status_code == 400 and {"target_value", "target_year"} <= set(bad.context["form"].errors)
    assert Target.objects.filter(gemeente=monitor_data).count() == 2
    page = client.get(reverse("weten:dashboard"))
    assert len(page.context["data"].targets) == 2


def test_no_two_downloads_reveal_a_hidden_cell(monitor_data, demo_user):
    """Age groups of both schemes, sex, and age by sex are protected together: a group hidden in one
    download is hidden in every other, and the shared age groups hide in both schemes at once."""
    user = demo_user("beleidsadviseur")
    by_age = monitor.figures(monitor_data, user, indicators=["lonely"], breakdown="age_group")
    by_monitor_age = monitor.figures(monitor_data, user, indicators=["lonely"], breakdown="age_group_monitor")
    key = lambda f: (f.area_code, f.year, f.age_group)  # noqa: E731
    hidden = {key(f) for f in by_age if f.suppressed and f.age_group in monitor.SHARED_AGE_GROUPS}
    assert hidden
    shown_elsewhere = [f for f in by_monitor_age if key(f) in hidden and not f.suppressed]
    assert not shown_elsewhere
    by_age_sex = monitor.figures(monitor_data, user, indicators=["lonely"], breakdown=("age_group", "sex"))
    # Per area, year and age group: never exactly one sex hidden next to a shown one.
    groups = {}
    for f in by_age_sex:
        groups.setdefault((f.area_code, f.year, f.age_group), []).append(f.suppressed)
    assert all(sum(flags) != 1 or len(flags) == 1 for flags in groups.values())


def test_the_municipalitys_interval_method_is_used_and_named(monitor_data, demo_user, client_as):
    """Korn-Graubard by default; the setting and the API's interval= choose another; the answer names it."""
    from samen.weten import estimates

    user = demo_user("beleidsadviseur")
    assert monitor_data.ci_method == "korn-graubard"
    for method in estimates.METHODS:
        shown = [f for f in monitor.figures(monitor_data, user, interval=method, breakdown=("age_group", "sex"))
                 if not f.suppressed]
        assert shown and {f.interval for f in shown} == {method}
        for f in shown:
            assert 0.0 <= f.ci_low <= f.estimate <= f.ci_high <= 1.0, f
    wald = {(f.area_code, f.year): f for f in monitor.figures(monitor_data, user, indicators=["lonely"],
                                                              interval="wald") if not f.suppressed}
    kg = {(f.area_code, f.year): f for f in monitor.figures(monitor_data, user, indicators=["lonely"])
          if not f.suppressed}
    key = next(iter(kg))
    # Same share, same se (the change test uses it), another interval.
    assert kg[key].estimate == wald[key].estimate and kg[key].se == wald[key].se
    assert kg[key].ci_low != wald[key].ci_low
    client = client_as("beleidsadviseur")
    url = reverse("api:monitor-figures")
    rows = client.get(url, {"indicator": "lonely", "level": "gemeente"}).json()["results"]
    assert {r["interval"] for r in rows} == {"korn-graubard"}
    rows = client.get(url, {"indicator": "lonely", "level": "gemeente", "interval": "logit"}).json()["results"]
    assert {r["interval"] for r in rows} == {"logit"}
    assert client.get(url, {"interval": "normaal"}).status_code == 400
    monitor_data.ci_method = "wald"
    monitor_data.save(update_fields=["ci_method"])
    assert {f.interval for f in monitor.figures(monitor_data, user, indicators=["lonely"])} == {"wald"}


def test_no_published_interval_in_the_demo_leaves_0_1(monitor_data, demo_user):
    """Every published interval of every indicator, level and breakdown lies within 0-1."""
    user = demo_user("beleidsadviseur")
    for breakdown in monitor.EXTRAS:
        for f in monitor.figures(monitor_data, user, breakdown=breakdown):
            if f.ci_low is not None:
                assert 0.0 <= f.ci_low <= f.estimate <= f.ci_high <= 1.0, f


def test_the_csv_opens_in_dutch_excel_and_a_plain_csv_stays_for_machines(monitor_data, client_as):
    client = client_as("beleidsadviseur")
    excel = client.get(reverse("weten:figures_csv"), {"uitsplitsing": "age_group,sex"})
    body = excel.content
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark
    disposition = excel["Content-Disposition"]
    assert "monitor-eenzaamheid-hilversum-cijfers-leeftijd-geslacht-" in disposition and ".csv" in disposition
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    shown = [r for r in rows if r["onderdrukt"] == "nee"]
    assert shown and all("," in r["schatting"] and "." not in r["schatting"] for r in shown)
    assert {r["intervalmethode"] for r in rows} == {"korn-graubard"}
    plain = client.get(reverse("weten:figures_csv"), {"formaat": "rfc4180"})
    assert not plain.content.startswith(b"\xef\xbb\xbf") and b"\r\n" in plain.content
    assert "-cijfers-totalen-" in plain["Content-Disposition"] and "-rfc4180.csv" in plain["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(plain.content.decode("utf-8"))))
    shown = [r for r in rows if r["onderdrukt"] == "nee"]
    assert all(0.0 <= float(r["ondergrens_95"]) <= float(r["schatting"]) <= float(r["bovengrens_95"]) <= 1.0
               for r in shown)


def test_age_standardisation_follows_its_formula_from_published_figures_only(monitor_data, demo_user):
    """p_std = sum_g s_g p_g and var = sum_g s_g^2 se_g^2 over the age groups, with s_g the municipality's
    weighted age structure in the latest wave; none where an age group of the area is suppressed."""
    from samen.weten import estimates

    user = demo_user("beleidsadviseur")
    data = monitor.overview(monitor_data, user, "lonely")
    weights = monitor.standard_population(monitor_data, user, data.source, data.latest_year)
    assert sum(weights.values()) == pytest.approx(1.0) and set(weights) == set(monitor.AGE_GROUPS)
    by_age = {(f.area_code, f.year, f.age_group): f for f in monitor.figures(
        monitor_data, user, indicators=["lonely"], breakdown="age_group")}
    made = hidden = 0
    for (code, year), item in data.standardised.items():
        groups = [by_age.get((code, year, g)) for g in monitor.AGE_GROUPS]
        if any(g is None or g.suppressed for g in groups):
            assert item.estimate is None and item.ci_low is None
            hidden += 1
            continue
        made += 1
        p = sum(weights[g.age_group] * g.estimate for g in groups)
        var = sum(weights[g.age_group] ** 2 * g.se ** 2 for g in groups)
        n = sum(g.n for g in groups)
        assert item.estimate == pytest.approx(p, abs=1e-12)
        assert (item.ci_low, item.ci_high) == pytest.approx(estimates.interval("korn-graubard", p, var, n, n, n - 4))
        assert 0.0 <= item.ci_low <= item.estimate <= item.ci_high <= 1.0
    assert made and hidden  # the municipality's rows at least; small wijken have a hidden age group
    # The municipality standardised to its own latest age structure is (nearly) its crude figure that year.
    own = data.standardised[(monitor_data.code, data.latest_year)]
    assert own.estimate == pytest.approx(own.crude.estimate, abs=0.01)


def test_statline_figures_stand_beside_the_local_adult_figure(monitor_data, demo_user, client_as):
    from samen.weten.models import ReferenceFigure

    for code, name, period in (("NL01", "Nederland", "2022"), ("GM0402", "Hilversum", "2020"),
                               ("GM0402", "Hilversum", "2012")):
        ReferenceFigure.objects.create(table="50120NED", region_code=code, region_name=name, period=period,
                                       age_group="18 jaar of ouder", indicator="lonely", value=0.49,
                                       source_column="Eenzaam (%)")
    user = demo_user("beleidsadviseur")
    data = monitor.overview(monitor_data, user, "lonely")
    rows = {(r.reference.region_code, r.reference.period): r for r in data.local_reference}
    national = rows[("NL01", "2022")]
    assert national.year == 2022 and national.local is not None and national.local.age_group == "18+"
    assert 0 <= national.local.ci_low <= national.local.estimate <= national.local.ci_high <= 1
    assert rows[("GM0402", "2012")].local is None  # no wave in 2012
    # The 18+ figure is the weighted share of the respondents of 18 and older.
    adults = [r for r in Respondent.objects.filter(wave__year=2022) if r.age is not None and r.age >= 18]
    n, p, _, _ = direct_share(adults)
    assert national.local.n == n and national.local.estimate == pytest.approx(p, abs=1e-9)
    html = client_as("beleidsadviseur").get(reverse("weten:dashboard")).content.decode()
    assert "modelmatige schattingen voor kleine gebieden" in html and "Eigen meting Hilversum, 18+" in html
    assert "geen meting in dat jaar" in html


def test_changes_between_wijken_are_holm_adjusted_and_the_screen_says_so(monitor_data, demo_user, client_as):
    from samen.weten import trends

    data = monitor.overview(monitor_data, demo_user("beleidsadviseur"), "lonely")
    wijk_rows = data.changes[1:]
    for label in ("previous", "baseline"):
        made = [row[label] for row in wijk_rows if row[label] is not None]
        assert made
        assert [c.p_adjusted for c in made] == pytest.approx(trends.holm([c.p_value for c in made]))
        for c in made:
            assert c.tests == len(made) and c.p_adjusted >= c.p_value
            assert c.significant == (c.p_adjusted < 0.05)
    assert data.changes[0]["previous"].p_adjusted is None  # the municipality: one test
    html = client_as("beleidsadviseur").get(reverse("weten:dashboard")).content.decode()
    assert "gecorrigeerd voor het aantal vergelijkingen (Holm" in html and "p-Holm" in html


def test_the_trend_of_one_wijk_and_a_labelled_map_and_target(monitor_data, client_as):
    from samen.core.models import Wijk
    from samen.weten.models import Target

    centrum = Wijk.objects.get(code="WK040201")
    Target.objects.create(gemeente=monitor_data, indicator="lonely", source="hilversum_monitor",
                          wijk=centrum, target_value=0.45, direction="below", target_year=2030, baseline_year=2016)
    client = client_as("beleidsadviseur")
    page = client.get(reverse("weten:dashboard"), {"trend_wijk": "WK040201"})
    html = page.content.decode()
    assert 'aria-label="Verloop in Centrum"' in html
    assert "Doel Centrum: 45%" in html  # the target line is labelled with its wijk
    assert "de stippellijn is het doel voor Centrum" in html
    assert "<strong>Centrum.</strong>" in html and "<strong>Hilversum.</strong>" in html  # targets name their area
    everyone = client.get(reverse("weten:dashboard")).content.decode()
    assert 'aria-label="Verloop per wijk"' in everyone
    assert "Doel Hilversum: 40%" in everyone
    # The map names every wijk and its value.
    assert everyone.count(">Noord-West<") >= 1 and everyone.count(">Oost<") >= 1
    # An unknown wijk falls back to all wijken.
    assert 'aria-label="Verloop per wijk"' in client.get(reverse("weten:dashboard"),
                                                         {"trend_wijk": "WK999999"}).content.decode()


def test_a_cell_with_too_few_effective_respondents_is_hidden_in_every_channel(monitor_data, demo_user, client_as):
    """Primary suppression on Kish's effective n: a wijk of 150+ respondents where one carries most of the
    weight is worth about one respondent; it is hidden on the screen, in both CSVs, in the API and the PDF."""
    from samen.weten.services import factsheet

    rows = Respondent.objects.filter(wave__year=2022, wijk__code="WK040203")
    heavy = rows.first()
    Respondent.objects.filter(pk=heavy.pk).update(weight=2000.0)
    cache.clear()  # the microdata cache is keyed on the import time; this test changes rows in place
    user = demo_user("beleidsadviseur")
    zuid_west = next(f for f in monitor.figures(monitor_data, user, indicators=["lonely"])
                     if f.area_code == "WK040203" and f.year == 2022)
    assert rows.count() >= monitor_data.min_cell_size  # enough respondents, too little effective weight
    assert zuid_west.suppressed and zuid_west.n is None and zuid_west.estimate is None
    client = client_as("beleidsadviseur")
    api = client.get(reverse("api:monitor-figures"), {"indicator": "lonely", "level": "wijk", "year": 2022,
                                                      "interval": "wald"}).json()["results"]
    row = next(r for r in api if r["area_code"] == "WK040203")
    assert row["suppressed"] and row["n"] is None and row["estimate"] is None and row["ci_low"] is None
    for formaat, delimiter in (("excel", ";"), ("rfc4180", ",")):
        body = client.get(reverse("weten:figures_csv"), {"formaat": formaat}).content.decode("utf-8-sig")
        line = next(r for r in csv.DictReader(io.StringIO(body), delimiter=delimiter)
                    if r["gebiedscode"] == "WK040203" and r["jaar"] == "2022" and r["indicator"] == "lonely")
        assert line["onderdrukt"] == "ja" and line["n"] == "" and line["schatting"] == ""
    data = factsheet.context(monitor_data, user, "lonely", "WK040203")["data"]
    assert data.wijken["WK040203"][2022].suppressed
    standardised = data.standardised.get(("WK040203", 2022))
    assert standardised is None or standardised.estimate is None
