"""The differencing attack on everything the monitor publishes: no hidden figure can be worked back.

The attacker takes every figure of every channel (all breakdowns, all indicators: what the CSV and the API
give, and so the dashboard and the factsheet, which show a subset) and every linear relation that the
tables make together: a municipality is the sum of its wijken and a wijk of its buurten, for every
breakdown; a total is the sum of its age groups (either scheme) and of its sexes, and an age group the sum
of its sexes and a sex the sum of its age groups; and the two age schemes cover the same respondents (the
demo has nobody under 18), so 16-25 + 26-64 = 18-34 + 35-49 + 50-64, and 65-74 and 75+ are the same cells
in both. The attacker is strong: besides what is published, they know every published cell's sum of
weights (as if they had the weighting scheme), so a published share times its weight sum is its weighted
numerator. For every relation with exactly one unknown cell they compute its n, weight sum and numerator
from the others, and so its share; a recovered cell is known from then on, until nothing more comes out.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

from samen.core.models import Buurt
from samen.weten import estimates
from samen.weten.services import monitor

pytestmark = pytest.mark.django_db

ISSUE_YOUNG, MONITOR_YOUNG = ("16-25", "26-64"), ("18-34", "35-49", "50-64")
SHARED = ("65-74", "75+")
AGE_SCHEMES = {"age_group": ("16-25", "26-64", "65-74", "75+"),
               "age_group_monitor": ("18-34", "35-49", "50-64", "65-74", "75+")}


def published_figures(gemeente, user):
    """Every published figure, keyed by (indicator, level, area, year, age scheme, age group, sex)."""
    out = {}
    for extra in monitor.EXTRAS:
        for f in monitor.figures(gemeente, user, breakdown=extra):
            scheme = next((b for b in extra if b.startswith("age_group")), "")
            out[(f.indicator, f.level, f.area_code, f.year, scheme, f.age_group, f.sex)] = f
    return out


def true_sums(gemeente, user):
    """Per cell key: (n, weight sum, weighted numerator) from the microdata: the attacker's weight sums,
    and the truth to check a recovered share against."""
    frame = monitor.microdata(gemeente, "hilversum_monitor", user).copy()
    frame["age_group_monitor"] = estimates.age_groups(frame["age"].to_numpy(float), "monitor").decode()
    frame["gemeente"] = gemeente.code
    sums = {}
    for indicator in monitor.INDICATORS:
        valid = frame[frame[indicator].notna()].copy()
        valid["num"] = valid["weight"] * valid[indicator]
        for level in ("gemeente", "wijk", "buurt"):
            for extra in monitor.EXTRAS:
                by = [level, "year", *extra]
                grouped = valid.dropna(subset=by).groupby(by).agg(n=("weight", "size"), w=("weight", "sum"),
                                                                  num=("num", "sum"))
                scheme = next((b for b in extra if b.startswith("age_group")), "")
                for keys, row in grouped.iterrows():
                    values = dict(zip(by, keys, strict=True))
                    age = values.get(scheme, "") if scheme else ""
                    key = (indicator, level, values[level], int(values["year"]), scheme, age, values.get("sex", ""))
                    sums[key] = (int(row["n"]), float(row["w"]), float(row["num"]))
    return sums


def relations(figures, gemeente_code):
    """(lhs keys, rhs keys): sum of lhs = sum of rhs, for n, weight sum and numerator alike."""
    wijk_of = dict(Buurt.objects.values_list("code", "wijk__code"))
    cells = defaultdict(list)  # (indicator, year, scheme, age, sex, level, parent area) -> keys
    areas = defaultdict(set)  # (indicator, year) -> (level, area)
    for key in figures:
        indicator, level, area, year, scheme, age, sex = key
        parent = gemeente_code if level == "wijk" else wijk_of.get(area) if level == "buurt" else None
        cells[(indicator, year, scheme, age, sex, level, parent)].append(key)
        areas[(indicator, year)].add((level, area))
    out = []
    for (indicator, year, scheme, age, sex, level, parent), children in cells.items():
        if parent is not None:  # across levels, for every breakdown
            whole_level = "gemeente" if level == "wijk" else "wijk"
            out.append(([(indicator, whole_level, parent, year, scheme, age, sex)], children))
    for (indicator, year), places in areas.items():
        for level, area in places:
            def key(scheme="", age="", sex="", level=level, area=area, indicator=indicator, year=year):
                return (indicator, level, area, year, scheme, age, sex)

            sexes = sorted({k[6] for k in figures if k[:4] == (indicator, level, area, year) and k[6]})
            out.append(([key()], [key(sex=s) for s in sexes]))
            for scheme, groups in AGE_SCHEMES.items():
                out.append(([key()], [key(scheme, a) for a in groups]))
                for s in sexes:
                    out.append(([key(sex=s)], [key(scheme, a, s) for a in groups]))
                for a in groups:
                    out.append(([key(scheme, a)], [key(scheme, a, s) for s in sexes]))
            for s in ["", *sexes]:  # the two age schemes over the same respondents
                out.append(([key("age_group", a, s) for a in ISSUE_YOUNG],
                            [key("age_group_monitor", a, s) for a in MONITOR_YOUNG]))
                out.extend(([key("age_group", a, s)], [key("age_group_monitor", a, s)]) for a in SHARED)
    return out


def differencing_attack(figures, sums, gemeente_code):
    """The hidden cells whose share comes out, with the share the attacker computes."""
    known = {k: (sums[k][0], sums[k][1], f.estimate * sums[k][1]) for k, f in figures.items()
             if not f.suppressed and f.estimate is not None}
    rules = [(lhs, rhs) for lhs, rhs in relations(figures, gemeente_code)]
    recovered = {}
    changed = True
    while changed:
        changed = False
        for lhs, rhs in rules:
            # a cell that is not published at all (nobody in it) is zero
            unknown = [(side, k) for side, keys in ((1, lhs), (-1, rhs)) for k in keys
                       if k in figures and k not in known]
            if len(unknown) != 1:
                continue
            side, target = unknown[0]
            total = np.zeros(3)
            for sign, keys in ((1, lhs), (-1, rhs)):
                for k in keys:
                    if k != target and k in known:
                        total += sign * np.array(known[k])
            value = -side * total
            known[target] = tuple(value)
            n, w, num = value
            recovered[target] = num / w if w > 0 else None
            changed = True
    return recovered


def test_no_hidden_figure_can_be_worked_back_from_the_published_ones(monitor_data, demo_user):
    user = demo_user("beleidsadviseur")
    figures = published_figures(monitor_data, user)
    sums = true_sums(monitor_data, user)
    hidden = [k for k, f in figures.items() if f.suppressed]
    assert len(hidden) > 100, "the test data must have hidden cells to attack"
    recovered = differencing_attack(figures, sums, monitor_data.code)
    exact = {k: share for k, share in recovered.items()
             if share is not None and abs(share - sums[k][2] / sums[k][1]) < 1e-6}
    assert not recovered, f"{len(recovered)} hidden cells worked back ({len(exact)} exactly), e.g. {sorted(exact)[:3]}"


def test_no_suppressed_cell_publishes_its_n(monitor_data, demo_user):
    figures = published_figures(monitor_data, demo_user("beleidsadviseur"))
    assert all(f.n is None for f in figures.values() if f.suppressed)
    assert all(f.n >= monitor_data.min_cell_size for f in figures.values() if not f.suppressed)


def test_the_full_demo_keeps_every_hidden_figure_hidden(hilversum, demo_user):
    """The same attack on the demo as `samen demo` loads it: five waves of 5,000 respondents."""
    from samen.weten.models import Wave
    from samen.weten.services.demo import load_monitor_demo

    Wave.objects.filter(gemeente=hilversum).delete()
    load_monitor_demo(hilversum)
    user = demo_user("beleidsadviseur")
    figures = published_figures(hilversum, user)
    sums = true_sums(hilversum, user)
    assert sum(f.suppressed for f in figures.values()) > 1000
    recovered = differencing_attack(figures, sums, hilversum.code)
    close = [k for k, share in recovered.items()
             if share is not None and abs(share - sums[k][2] / sums[k][1]) < 0.01]
    small = [k for k in recovered if sums[k][0] < 20]
    assert not recovered, f"{len(recovered)} hidden cells worked back, {len(close)} within 1 point, {len(small)} n<20"


def test_a_cell_that_weighs_as_too_few_respondents_is_hidden_too(monitor_data, demo_user):
    """Primary suppression on the effective sample size (Kish) as well as on n: one weight that dwarfs the
    others makes 50 respondents worth about one; the cell is hidden, and still nothing can be worked back."""
    from django.core.cache import cache

    from samen.weten.models import Respondent

    user = demo_user("beleidsadviseur")
    before = published_figures(monitor_data, user)
    key = next(k for k, f in sorted(before.items()) if k[0] == "lonely" and k[1] == "buurt" and not k[4]
               and not k[6] and not f.suppressed and f.n < 150)
    rows = Respondent.objects.filter(wave__year=key[3], buurt__code=key[2])
    weights = list(rows.values_list("weight", flat=True))
    rows.filter(pk=rows.order_by("pk").first().pk).update(weight=1000 * max(weights))
    cache.clear()
    after = published_figures(monitor_data, user)
    assert after[key].suppressed and after[key].n is None
    assert differencing_attack(after, true_sums(monitor_data, user), monitor_data.code) == {}
    effective = next(c.effective_n for c in _cells_of(monitor_data, user, key))
    assert effective < 2
    # the threshold is the municipality's own: with one below the cell's effective n it shows again
    type(monitor_data).objects.filter(pk=monitor_data.pk).update(min_effective_n=1)
    monitor_data.refresh_from_db()
    cache.clear()
    assert not published_figures(monitor_data, user)[key].suppressed


def _cells_of(gemeente, user, key):
    """The estimator's cell behind a figure key (for its effective n)."""
    indicator, level, area, year = key[:4]
    frame = monitor.microdata(gemeente, "hilversum_monitor", user)
    rows = frame[(frame["year"] == year) & (frame[level] == area)]
    return estimates.estimate({"all": ["x"] * len(rows)}, {indicator: rows[indicator].to_numpy(float)},
                              rows["weight"].to_numpy(float), by=["all"])


AGE_BANDS = ((16, 17), (18, 25), (26, 34), (35, 49), (50, 64), (65, 74), (75, 200))  # both schemes refined
AGE_SPANS = {"16-25": (16, 25), "26-64": (26, 64), "18-34": (18, 34), "35-49": (35, 49), "50-64": (50, 64),
             "65-74": (65, 74), "75+": (75, 200)}


def atom_table(rows, wijk_of) -> dict[str, np.ndarray]:
    """The atoms of one year and indicator: the distinct (buurt, age band, sex) of its valid rows."""
    band = np.searchsorted([low for low, _ in AGE_BANDS], rows["age"].to_numpy(float), side="right") - 1
    atoms = sorted(set(zip(rows["buurt"], band.tolist(), rows["sex"], strict=True)))
    return {"buurt": np.array([a[0] for a in atoms]), "wijk": np.array([wijk_of[a[0]] for a in atoms]),
            "low": np.array([AGE_BANDS[a[1]][0] for a in atoms]), "sex": np.array([a[2] for a in atoms])}


def atoms_of(table, key) -> np.ndarray:
    """A cell as a 0/1 vector over the atoms."""
    _, level, area, _, _, age, sex = key
    mask = np.ones(len(table["buurt"]), bool)
    if level != "gemeente":
        mask &= table[level] == area
    if sex:
        mask &= table["sex"] == sex
    if age:
        mask &= (table["low"] >= AGE_SPANS[age][0]) & (table["low"] <= AGE_SPANS[age][1])
    return mask.astype(float)


def test_no_hidden_figure_lies_in_the_span_of_the_published_ones(monitor_data, demo_user):
    """Stronger than the attack above: any linear combination of published cells whatever, per year and
    indicator. A cell is a set of atoms (buurt x the common refinement of both age schemes x sex), and a
    hidden cell whose atoms are a combination of published cells' atoms comes out, n and numerator alike."""
    user = demo_user("beleidsadviseur")
    figures = published_figures(monitor_data, user)
    frame = monitor.microdata(monitor_data, "hilversum_monitor", user)
    wijk_of = dict(Buurt.objects.values_list("code", "wijk__code"))
    checked = 0
    for indicator in ("lonely", "lonely_often"):
        for year in sorted({k[3] for k in figures}):
            table = atom_table(frame[(frame["year"] == year) & frame[indicator].notna()], wijk_of)
            keys = [k for k in figures if k[0] == indicator and k[3] == year]
            shown = np.array([atoms_of(table, k) for k in keys if not figures[k].suppressed])
            u, s, _ = np.linalg.svd(shown.T, full_matrices=False)
            basis = u[:, s > 1e-9 * s.max()]
            for key in keys:
                vector = atoms_of(table, key)
                if figures[key].suppressed and vector.any():  # a cell without valid answers holds nothing
                    checked += 1
                    assert np.linalg.norm(vector - basis @ (basis.T @ vector)) > 1e-6, key
    assert checked > 100
