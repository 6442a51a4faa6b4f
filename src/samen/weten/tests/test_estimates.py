"""Tests of samen.weten.estimates: against an independent per-cell loop (math.fsum), statsmodels, R's survey
package (values pasted below) and hand computations; properties with hypothesis; suppression; protect()."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samen.weten.estimates import (
    Z95,
    Cell,
    Coded,
    age_group,
    age_groups,
    estimate,
    estimate_levels,
    estimate_table,
    hierarchy,
    protect,
)

TOL = 1e-9


# ------------------------------------------------------------------------------------------ independent reference


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def reference(columns, y, w, by, strata=None, only=None):
    """Straightforward per-cell loop over Python floats with math.fsum, following the issue's formulas.

    Returns {keys: (n, p, var)} with p / var None where undefined (for the cells in ``only`` if given)."""
    n_rows = len(w)
    members = defaultdict(list)
    for i in range(n_rows):
        key = tuple(columns[name][i] for name in by)
        if any(_missing(k) for k in key):
            continue
        members[key].append(i)
    out = {}
    for key, rows in members.items():
        if only is not None and key not in only:
            continue
        valid = [i for i in rows if not _missing(y[i]) and y[i] != -1]
        n = len(valid)
        total = math.fsum(float(w[i]) for i in valid)
        if n == 0 or total == 0:
            out[key] = (n, None, None)
            continue
        p = math.fsum(float(w[i]) * float(y[i]) for i in valid) / total
        if n < 2:
            out[key] = (n, p, None)
            continue
        if strata is None:
            s = math.fsum((float(w[i]) * (float(y[i]) - p)) ** 2 for i in valid)
            var = n / (n - 1) * s / total**2
        else:
            in_domain = set(valid)
            parts = []
            for h in sorted(set(strata)):
                z = [float(w[i]) * (float(y[i]) - p) if i in in_domain else 0.0
                     for i in range(n_rows) if strata[i] == h]
                n_h = len(z)
                if n_h < 2:
                    continue  # single-row stratum: "certainty", contributes 0
                zbar = math.fsum(z) / n_h
                parts.append(n_h / (n_h - 1) * math.fsum((zi - zbar) ** 2 for zi in z))
            var = math.fsum(parts) / total**2
        out[key] = (n, p, var)
    return out


def assert_matches_reference(cells, ref, min_n):
    assert sorted(c.keys for c in cells) == sorted(ref)
    for c in cells:
        n, p, var = ref[c.keys]
        assert c.n == n
        if n < min_n:
            assert c.suppressed and c.estimate is None and c.ci_low is None and c.ci_high is None
            continue
        assert not c.suppressed
        if p is None:
            assert c.estimate is None
            continue
        assert abs(c.estimate - p) <= TOL
        if var is None:
            assert c.ci_low is None and c.ci_high is None and c.se is None
        else:
            half = Z95 * math.sqrt(var)
            assert abs(c.ci_low - (p - half)) <= TOL
            assert abs(c.ci_high - (p + half)) <= TOL
            assert abs(c.se - math.sqrt(var)) <= TOL


def synthetic(n_rows, seed, missing=0.1):
    rng = np.random.default_rng(seed)
    area = rng.choice(["WK01", "WK02", "WK03", "BU0101"], n_rows)
    year = rng.choice([2016, 2020, 2022], n_rows)
    sex = rng.choice(np.array(["m", "v", None], dtype=object), n_rows, p=[0.48, 0.48, 0.04])
    age = rng.integers(10, 95, n_rows)
    w = rng.gamma(2.0, 0.7, n_rows)
    y = (rng.random(n_rows) < 0.4).astype(float)
    y[rng.random(n_rows) < missing] = np.nan
    strata = rng.choice(["s1", "s2", "s3", "s4", "s5"], n_rows)
    return {"area_code": area, "year": year, "sex": sex, "age": age}, y, w, strata


# --------------------------------------------------------------------------------- (1) independent loop, 1e-9


@pytest.mark.parametrize("by", [["area_code", "year"], ["area_code"], ["year", "sex"], []])
def test_matches_independent_loop(by):
    columns, y, w, _ = synthetic(3000, seed=1)
    cells = estimate(columns, {"lonely": y}, w, by, min_n=20)
    assert_matches_reference(cells, reference(columns, y, w, by), 20)


def test_matches_independent_loop_with_age_groups():
    columns, y, w, _ = synthetic(2000, seed=2)
    ages = columns["age"]
    columns = {**columns, "age_group": age_groups(ages)}
    cells = estimate(columns, {"lonely": y}, w, ["area_code", "age_group"], min_n=10)
    plain = {**columns, "age_group": np.array([age_group(a) for a in ages], dtype=object)}
    assert_matches_reference(cells, reference(plain, y, w, ["area_code", "age_group"]), 10)


def test_several_indicators_each_with_its_own_missing_values():
    columns, y, w, _ = synthetic(1500, seed=3)
    rng = np.random.default_rng(33)
    y2 = np.where(rng.random(y.size) < 0.3, -1, (rng.random(y.size) < 0.1).astype(int))
    cells = estimate(columns, {"lonely": y, "severely_lonely": y2}, w, ["area_code"], min_n=5)
    assert [c.indicator for c in cells[:2]] == ["lonely", "severely_lonely"]
    assert_matches_reference([c for c in cells if c.indicator == "lonely"], reference(columns, y, w, ["area_code"]), 5)
    y2f = np.where(y2 == -1, np.nan, y2.astype(float))
    assert_matches_reference(
        [c for c in cells if c.indicator == "severely_lonely"], reference(columns, y2f, w, ["area_code"]), 5
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c"]),
            st.sampled_from([0, 1, None]),
            st.one_of(st.just(0.0), st.floats(min_value=1e-3, max_value=1000.0)),
            st.sampled_from(["s1", "s2", "s3"]),
        ),
        min_size=1,
        max_size=60,
    ),
    stratified=st.booleans(),
)
def test_matches_independent_loop_on_random_data(rows, stratified):
    g = np.array([r[0] for r in rows])
    y = np.array([np.nan if r[1] is None else r[1] for r in rows], dtype=float)
    w = np.array([r[2] for r in rows])
    strata = np.array([r[3] for r in rows]) if stratified else None
    cells = estimate({"g": g}, {"y": y}, w, ["g"], min_n=1, strata=strata)
    ref = reference({"g": g}, y, w, ["g"], strata=None if strata is None else strata.tolist())
    # Absolute 1e-9 on shares; the interval scales with the weights' spread, so compare it relatively too.
    assert sorted(c.keys for c in cells) == sorted(ref)
    for c in cells:
        n, p, var = ref[c.keys]
        assert c.n == n
        if p is None:
            assert c.estimate is None
            continue
        assert abs(c.estimate - p) <= TOL
        if var is None:
            assert c.se is None
        else:
            assert abs(c.se - math.sqrt(var)) <= TOL * max(1.0, math.sqrt(var))


# ------------------------------------------------------------------ (2) statsmodels, R survey, hand computation

G = ['b', 'b', 'b', 'b', 'b', 'b', 'b', 'a', 'a', 'a', 'a', 'b', 'b', 'a', 'a', 'b', 'a', 'b', 'a', 'a', 'b', 'a',
     'a', 'a', 'b', 'a', 'b', 'a', 'a', 'b', 'b', 'b', 'b', 'b', 'b', 'b']
ST = ['s3', 's2', 's2', 's3', 's4', 's1', 's3', 's1', 's3', 's2', 's1', 's1', 's2', 's1', 's1', 's2', 's3', 's2',
      's3', 's3', 's3', 's2', 's2', 's2', 's1', 's2', 's2', 's1', 's3', 's1', 's1', 's1', 's3', 's3', 's3', 's1']
Y = [1, 0, 0, None, 1, 1, 1, 0, 1, 0, None, 1, 0, 1, 1, 1, 1, 1, 0, 1, 0, None, 0, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0,
     1, 0]
W = [1.31, 0.88, 2.54, 1.45, 2.95, 1.97, 2.01, 2.09, 2.19, 0.88, 1.6, 1.1, 1.51, 0.74, 2.92, 1.04, 2.18, 1.25, 2.69,
     2.16, 0.83, 2.61, 2.86, 2.76, 1.92, 0.86, 0.98, 2.82, 1.88, 0.95, 2.71, 2.1, 1.92, 1.44, 1.53, 1.1]

# R 4.2.2, survey 4.1-1, options(survey.lonely.psu = "certainty"); d = the data above (NA for None):
#   svymean(~y, svydesign(ids=~1, weights=~w, data=d[d$g == g & !is.na(d$y), ]))      -> R_UNSTRATIFIED
#   svyby(~y, ~g, svydesign(ids=~1, strata=~st, weights=~w, data=d), svymean, na.rm=TRUE) -> R_STRATIFIED
#   svymean(~y, same design, na.rm=TRUE)                                                -> R_STRATIFIED_ALL
# Stratum s4 has a single row ("certainty": it adds 0).
R_UNSTRATIFIED = {
    "a": (0.68479467258601545, 0.14369718202229748, 13),
    "b": (0.65137328339575529, 0.11385148201443079, 20),
}
R_STRATIFIED = {"a": (0.68479467258601545, 0.14301030485525909), "b": (0.65137328339575529, 0.10701455206650713)}
R_STRATIFIED_ALL = (0.66666666666666663, 0.086466101192048367)


def r_data():
    return {"g": np.array(G)}, np.array([np.nan if v is None else v for v in Y], dtype=float), np.array(W)


def test_matches_r_survey_unstratified():
    columns, y, w = r_data()
    for c in estimate(columns, {"y": y}, w, ["g"], min_n=1):
        p, se, n = R_UNSTRATIFIED[c.keys[0]]
        assert c.n == n
        assert abs(c.estimate - p) <= 1e-12
        assert abs(c.se - se) <= 1e-12
        assert abs(c.ci_low - (p - 1.959964 * se)) <= 1e-12
        assert abs(c.ci_high - (p + 1.959964 * se)) <= 1e-12


def test_matches_r_survey_stratified_domains_with_lonely_stratum():
    columns, y, w = r_data()
    for c in estimate(columns, {"y": y}, w, ["g"], min_n=1, strata=np.array(ST)):
        p, se = R_STRATIFIED[c.keys[0]]
        assert abs(c.estimate - p) <= 1e-12
        assert abs(c.se - se) <= 1e-12
    (everyone,) = estimate(columns, {"y": y}, w, [], min_n=1, strata=np.array(ST))
    assert everyone.keys == ()
    assert abs(everyone.estimate - R_STRATIFIED_ALL[0]) <= 1e-12
    assert abs(everyone.se - R_STRATIFIED_ALL[1]) <= 1e-12


def test_matches_statsmodels_wls_hc1():
    """The issue's variance is the HC1 sandwich of a weighted regression on a constant:
    (X'WX)^-1 X'W diag(e^2) W X (X'WX)^-1 * n/(n-1) = n/(n-1) * sum w^2 (y-p)^2 / (sum w)^2."""
    import statsmodels.api as sm

    columns, y, w, _ = synthetic(2500, seed=5)
    cells = estimate(columns, {"y": y}, w, ["area_code", "year"], min_n=2)
    area, year = columns["area_code"], columns["year"]
    for c in cells:
        rows = (area == c.keys[0]) & (year == c.keys[1]) & ~np.isnan(y)
        fit = sm.WLS(y[rows], np.ones((rows.sum(), 1)), weights=w[rows]).fit(cov_type="HC1")
        assert abs(c.estimate - fit.params[0]) <= TOL
        assert abs(c.se - fit.bse[0]) <= TOL
        assert abs(c.estimate - np.average(y[rows], weights=w[rows])) <= TOL


def test_hand_computation():
    # w = 1, 2, 3; y = 1, 0, 1: p = 4/6; sum w^2 (y-p)^2 = 1/9 + 16/9 + 9/9 = 26/9;
    # var = 3/2 * (26/9) / 36 = 13/108.
    (c,) = estimate({}, {"y": np.array([1, 0, 1])}, np.array([1.0, 2.0, 3.0]), [], min_n=1)
    assert c.n == 3 and c.weight_sum == 6.0
    assert c.estimate == pytest.approx(2 / 3, abs=1e-15)
    assert c.se == pytest.approx(math.sqrt(13 / 108), abs=1e-15)
    assert c.ci_low == pytest.approx(2 / 3 - 1.959964 * math.sqrt(13 / 108), abs=1e-15)
    assert c.ci_high == pytest.approx(2 / 3 + 1.959964 * math.sqrt(13 / 108), abs=1e-15)


def test_stratified_hand_computation_zero_fills_the_domain():
    # Two strata of 3 rows, weight 1. Domain d = rows 0, 1, 3; y = 1, 0, 1 there: p = 2/3.
    # z in stratum A: (1/3, -2/3, 0), mean -1/9; in B: (1/3, 0, 0), mean 1/9.
    # sum (z - zbar)^2: A: (4/9)^2 + (5/9)^2 + (1/9)^2 = 42/81; B: (2/9)^2 + 2 (1/9)^2 = 6/81.
    # var = 3/2 * (42 + 6)/81 / 3^2 = 72/729 = 8/81.
    g = np.array(["d", "d", "x", "d", "x", "x"])
    strata = np.array(["A", "A", "A", "B", "B", "B"])
    y = np.array([1, 0, 1, 1, 0, 0])
    cells = estimate({"g": g}, {"y": y}, np.ones(6), ["g"], min_n=1, strata=strata)
    d = next(c for c in cells if c.keys == ("d",))
    assert d.estimate == pytest.approx(2 / 3, abs=1e-15)
    assert d.se == pytest.approx(math.sqrt(8 / 81), abs=1e-15)


def test_single_row_stratum_contributes_nothing():
    y = np.array([1, 0, 1, 1, 0])
    w = np.array([1.0, 2.0, 1.5, 1.0, 3.0])
    strata = np.array(["A", "A", "A", "A", "lonely"])
    (c,) = estimate({}, {"y": y}, w, [], min_n=1, strata=strata)
    z = [wi * (yi - c.estimate) for wi, yi in zip(w[:4], y[:4], strict=True)]
    zbar = math.fsum(z) / 4
    expected = 4 / 3 * math.fsum((zi - zbar) ** 2 for zi in z) / w.sum() ** 2
    assert c.se == pytest.approx(math.sqrt(expected), abs=1e-15)


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_stratified_matches_independent_loop(seed):
    columns, y, w, strata = synthetic(800, seed=seed)
    for by in (["area_code", "year"], ["sex"], []):
        cells = estimate(columns, {"y": y}, w, by, min_n=3, strata=strata)
        assert_matches_reference(cells, reference(columns, y, w, by, strata=strata.tolist()), 3)


def test_stratified_with_many_cells_uses_the_sparse_path():
    rng = np.random.default_rng(21)
    n_rows = 4000
    g = rng.integers(0, 1500, n_rows)
    strata = rng.integers(0, 400, n_rows)  # 1500 x 400 pairs > the dense limit
    y = (rng.random(n_rows) < 0.3).astype(float)
    w = rng.uniform(0.2, 3, n_rows)
    cells = estimate({"g": g}, {"y": y}, w, ["g"], min_n=1, strata=strata)
    assert len(cells) > 1000
    some = {c.keys: c for c in cells[::60]}
    ref = reference({"g": g}, y, w, ["g"], strata=strata.tolist(), only=set(some))
    assert len(ref) == len(some)
    for key, (n, _p, var) in ref.items():
        assert some[key].n == n
        if var is not None:
            assert abs(some[key].se - math.sqrt(var)) <= TOL


# -------------------------------------------------------------------------------------- (3) properties


cell_rows = st.lists(
    st.tuples(st.sampled_from([0, 1]), st.floats(min_value=0.01, max_value=50.0, allow_nan=False)),
    min_size=2,
    max_size=80,
)


def _one(y, w, **kw):
    (c,) = estimate({}, {"y": np.asarray(y)}, np.asarray(w, dtype=float), [], min_n=1, **kw)
    return c


@settings(max_examples=200, deadline=None)
@given(cell_rows)
def test_share_in_unit_interval_and_interval_contains_it(rows):
    y, w = zip(*rows, strict=True)
    c = _one(y, w)
    assert 0.0 <= c.estimate <= 1.0
    assert c.se >= 0.0
    assert c.ci_low <= c.estimate <= c.ci_high
    assert c.ci_high - c.estimate == pytest.approx(c.estimate - c.ci_low, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(cell_rows, st.randoms(use_true_random=False))
def test_row_order_does_not_matter(rows, random):
    y, w = zip(*rows, strict=True)
    shuffled = list(rows)
    random.shuffle(shuffled)
    ys, ws = zip(*shuffled, strict=True)
    a, b = _one(y, w), _one(ys, ws)
    assert a.n == b.n
    assert a.estimate == pytest.approx(b.estimate, abs=1e-12)
    assert a.se == pytest.approx(b.se, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(cell_rows, st.floats(min_value=1e-3, max_value=1e3))
def test_scaling_the_weights_changes_nothing(rows, factor):
    y, w = zip(*rows, strict=True)
    a = _one(y, w)
    b = _one(y, [wi * factor for wi in w])
    assert b.estimate == pytest.approx(a.estimate, abs=1e-12)
    assert b.ci_low == pytest.approx(a.ci_low, abs=1e-12)
    assert b.ci_high == pytest.approx(a.ci_high, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(cell_rows)
def test_duplicating_the_data_narrows_the_interval(rows):
    y, w = zip(*rows, strict=True)
    a = _one(y, w)
    b = _one(y + y, w + w)
    assert b.n == 2 * a.n
    assert b.estimate == pytest.approx(a.estimate, abs=1e-12)
    # var' = (2n/(2n-1)) (2S) / (2W)^2 = var * (n-1)/(2n-1)
    assert b.se == pytest.approx(a.se * math.sqrt((a.n - 1) / (2 * a.n - 1)), abs=1e-12)
    assert b.ci_high - b.ci_low <= a.ci_high - a.ci_low + 1e-12


@settings(max_examples=50, deadline=None)
@given(st.sampled_from([0, 1]), st.lists(st.floats(min_value=0.01, max_value=10), min_size=2, max_size=30))
def test_all_equal_outcomes_give_a_zero_width_interval(value, w):
    c = _one([value] * len(w), w)
    assert c.estimate == value
    assert c.se == 0.0
    assert c.ci_low == c.ci_high == value


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["x", "y", "z"]), st.sampled_from([0, 1, None]),
                  st.floats(min_value=0.1, max_value=9)),
        min_size=1,
        max_size=50,
    )
)
def test_cells_of_a_grouping_are_the_domains_alone(rows):
    """A cell's figures depend only on its own rows (no strata): estimating each group separately agrees."""
    g = np.array([r[0] for r in rows])
    y = np.array([np.nan if r[1] is None else r[1] for r in rows], dtype=float)
    w = np.array([r[2] for r in rows])
    for c in estimate({"g": g}, {"y": y}, w, ["g"], min_n=1):
        rows_g = g == c.keys[0]
        (alone,) = estimate({}, {"y": y[rows_g]}, w[rows_g], [], min_n=1)
        assert alone.n == c.n
        for field in ("estimate", "ci_low", "ci_high"):
            a, b = getattr(alone, field), getattr(c, field)
            assert (a is None and b is None) or a == pytest.approx(b, abs=1e-12)


# ------------------------------------------------------------------- (4) suppression, intervals, edge cases


@pytest.mark.parametrize("min_n", [1, 2, 5, 50])
def test_suppression_at_the_min_n_boundary(min_n):
    rng = np.random.default_rng(min_n)
    n_small, n_exact = max(min_n - 1, 0), min_n
    g = np.array(["small"] * n_small + ["exact"] * n_exact + ["missing"] * 3)
    y = np.concatenate([rng.integers(0, 2, n_small + n_exact).astype(float), [np.nan] * 3])
    w = rng.uniform(0.5, 2, g.size)
    cells = {c.keys[0]: c for c in estimate({"g": g}, {"y": y}, w, ["g"], min_n=min_n)}
    exact = cells["exact"]
    assert exact.n == min_n and not exact.suppressed and exact.estimate is not None
    if n_small:
        small = cells["small"]
        assert small.n == min_n - 1 and small.suppressed
        assert (small.estimate, small.ci_low, small.ci_high, small.se) == (None, None, None, None)
    # Rows with a missing outcome do not count: the group exists but has n = 0.
    assert cells["missing"].n == 0 and cells["missing"].suppressed


def test_default_min_n_is_50():
    g = np.array(["a"] * 49 + ["b"] * 50)
    y = np.tile([0, 1], 50)[:99]
    cells = {c.keys[0]: c for c in estimate({"g": g}, {"y": y}, np.ones(99), ["g"])}
    assert cells["a"].suppressed and not cells["b"].suppressed


def test_interval_is_not_clipped():
    """Documented choice: the interval is reported as computed and may pass 0 (or 1)."""
    y = np.array([1] + [0] * 9)
    c = _one(y, np.ones(10))
    assert c.estimate == pytest.approx(0.1)
    assert c.ci_low < 0.0
    c = _one(1 - y, np.ones(10))
    assert c.ci_high > 1.0


def test_one_respondent_has_no_interval():
    for strata in (None, np.array(["A", "A", "B"])):
        cells = estimate({"g": np.array(["a", "b", "b"])}, {"y": np.array([1, 0, 1])}, np.ones(3), ["g"], min_n=1,
                         strata=strata)
        a = next(c for c in cells if c.keys == ("a",))
        assert a.n == 1 and a.estimate == 1.0 and not a.suppressed
        assert a.se is None and a.ci_low is None and a.ci_high is None


def test_zero_weights_count_in_n_but_leave_no_share():
    cells = estimate({"g": np.array(["a", "a", "b", "b"])}, {"y": np.array([1, 0, 1, 0])},
                     np.array([0.0, 0.0, 1.0, 0.0]), ["g"], min_n=1)
    a, b = cells
    assert a.n == 2 and a.estimate is None and a.weight_sum == 0.0 and not a.suppressed
    assert b.n == 2 and b.estimate == 1.0 and b.se == 0.0


def test_missing_group_values_leave_the_row_out_of_that_grouping():
    columns = {"area": np.array(["a", None, "a", "b"], dtype=object), "sex": np.array(["m", "v", "v", "m"])}
    y = np.array([1, 1, 0, 1])
    by_area = estimate(columns, {"y": y}, np.ones(4), ["area"], min_n=1)
    assert [(c.keys, c.n) for c in by_area] == [(("a",), 2), (("b",), 1)]
    by_sex = estimate(columns, {"y": y}, np.ones(4), ["sex"], min_n=1)
    assert [(c.keys, c.n) for c in by_sex] == [(("m",), 2), (("v",), 2)]


def test_column_types_give_the_same_cells():
    rng = np.random.default_rng(9)
    codes = rng.integers(0, 7, 300)
    y = rng.integers(0, 2, 300)
    w = rng.uniform(0.5, 2, 300)
    labels = np.array([f"WK{c:02d}" for c in range(7)])
    variants = [
        labels[codes],
        labels[codes].astype(object),
        labels[codes].astype("S4"),
        Coded(codes, tuple(labels)),
    ]
    results = [[(c.n, c.estimate, c.se) for c in estimate({"g": v}, {"y": y}, w, ["g"], min_n=1)] for v in variants]
    for r in results[1:]:
        assert r == results[0]
    keys = [c.keys for c in estimate({"g": variants[0]}, {"y": y}, w, ["g"], min_n=1)]
    assert keys == [(str(label),) for label in labels]
    int_keys = [c.keys for c in estimate({"g": codes * 1000 + 5}, {"y": y}, w, ["g"], min_n=1)]
    assert int_keys == [(c * 1000 + 5,) for c in range(7)]


def test_cells_sorted_by_keys_then_indicator():
    columns = {"area": np.array(["b", "a", "c", "a"]), "year": np.array([2022, 2016, 2016, 2022])}
    outcomes = {"z": np.array([1, 0, 1, 1]), "a": np.array([0, 0, 1, 1])}
    cells = estimate(columns, outcomes, np.ones(4), ["area", "year"], min_n=1)
    assert [(c.keys, c.indicator) for c in cells] == [
        (("a", 2016), "z"), (("a", 2016), "a"), (("a", 2022), "z"), (("a", 2022), "a"),
        (("b", 2022), "z"), (("b", 2022), "a"), (("c", 2016), "z"), (("c", 2016), "a"),
    ]
    assert all(c.by == ("area", "year") for c in cells)


def test_long_strings_and_non_latin_strings():
    g = np.array(["BU036300010203", "BU036300010202", "Ærø-øst", "BU036300010203", "€-wijk"])
    cells = estimate({"g": g}, {"y": np.array([1, 0, 1, 0, 1])}, np.ones(5), ["g"], min_n=1)
    assert [c.keys[0] for c in cells] == sorted(set(g.tolist()))
    assert [c.n for c in cells] == [1, 2, 1, 1]


def test_estimate_levels_equals_separate_estimates():
    columns, y, w, _ = synthetic(1200, seed=8)
    columns["age_group"] = age_groups(columns["age"])
    outcomes = {"lonely": y, "other": 1 - np.nan_to_num(y)}
    levels = [("area_code", "year"), ("area_code", "year", "age_group"), ("year",)]
    tables = estimate_levels(columns, outcomes, w, levels, min_n=5)
    assert list(tables) == levels
    for level in levels:
        single = estimate_table(columns, outcomes, w, level, min_n=5)
        assert tables[level].cells() == single.cells()
        assert len(single) == len(single.keys) * 2


def test_estimate_table_arrays_match_cells():
    columns, y, w, _ = synthetic(500, seed=4)
    table = estimate_table(columns, {"y": y}, w, ["area_code"], min_n=100)
    cells = table.cells()
    assert table.estimate.shape == (len(table.keys), 1)
    for i, c in enumerate(cells):
        assert c.n == table.n[i, 0]
        assert c.suppressed == bool(table.suppressed[i, 0])
        assert (c.estimate is None) == bool(np.isnan(table.estimate[i, 0]))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weights": np.array([1.0, -1.0, 1.0])}, "Weight"),
        ({"weights": np.array([1.0, np.nan, 1.0])}, "Weight"),
        ({"outcomes": {"y": np.array([0, 2, 1])}}, "not 0, 1 or missing"),
        ({"outcomes": {"y": np.array([0.0, 0.5, 1.0])}}, "not 0, 1 or missing"),
        ({"outcomes": {"y": np.array([0, 1])}}, "as long as the weights"),
        ({"outcomes": {}}, "at least one outcome"),
        ({"by": ["nope"]}, "Unknown grouping column"),
        ({"by": ["g", "g"]}, "twice"),
        ({"min_n": 0}, "min_n"),
        ({"min_n": 2.5}, "min_n"),
        ({"columns": {"g": np.array(["a", "b"])}}, "has 2 values"),
        ({"strata": np.array(["A", None, "B"], dtype=object)}, "strata"),
        ({"columns": {"g": np.array(["a", 1, "b"], dtype=object)}}, "mixes"),
    ],
)
def test_bad_input_raises_clear_errors(kwargs, message):
    args = {
        "columns": {"g": np.array(["a", "b", "a"])},
        "outcomes": {"y": np.array([0, 1, 1])},
        "weights": np.ones(3),
        "by": ["g"],
        "min_n": 1,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        estimate(**args)


def test_outcomes_accept_bools_ints_and_objects():
    w = np.array([1.0, 2.0, 3.0, 4.0])
    expected = _one(np.array([1.0, 0.0, np.nan, 1.0]), w)
    for y in (np.array([1, 0, -1, 1]), np.array([1, 0, None, True], dtype=object)):
        got = _one(y, w)
        assert (got.n, got.estimate, got.se) == (expected.n, expected.estimate, expected.se)
    assert _one(np.array([True, False, True, True]), w).n == 4


# ------------------------------------------------------------------------------------------------ age groups


@pytest.mark.parametrize(
    ("age", "issue", "monitor"),
    [
        (15, None, None), (15.99, None, None), (16, "16-25", None), (17, "16-25", None), (18, "16-25", "18-34"),
        (25, "16-25", "18-34"), (25.9, "16-25", "18-34"), (26, "26-64", "18-34"), (34, "26-64", "18-34"),
        (35, "26-64", "35-49"), (49, "26-64", "35-49"), (50, "26-64", "50-64"), (64, "26-64", "50-64"),
        (65, "65-74", "65-74"), (74, "65-74", "65-74"), (75, "75+", "75+"), (104, "75+", "75+"),
        (None, None, None), (float("nan"), None, None), (-3, None, None), ("40", "26-64", "35-49"),
    ],
)
def test_age_group(age, issue, monitor):
    assert age_group(age) == issue
    assert age_group(age, "issue") == issue
    assert age_group(age, "monitor") == monitor


def test_age_group_errors():
    with pytest.raises(ValueError, match="Unknown age scheme"):
        age_group(30, "ggd")
    with pytest.raises(ValueError, match="not a number"):
        age_group("dertig")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.just(math.nan), st.floats(min_value=-5, max_value=120)), max_size=40),
    st.sampled_from(["issue", "monitor"]),
)
def test_age_groups_vector_matches_scalar(ages, scheme):
    coded = age_groups(np.array(ages, dtype=object), scheme)
    assert coded.decode().tolist() == [age_group(a, scheme) for a in ages]


# ------------------------------------------------------------------------------------ (complementary) suppression


def cell(by, keys, n, indicator="lonely"):
    return Cell(keys=keys, indicator=indicator, n=n, estimate=0.5, ci_low=0.4, ci_high=0.6,
                suppressed=False, weight_sum=float(n), se=0.05, by=by)


def test_protect_suppresses_the_next_smallest_child():
    parent = cell(("wijk",), ("W1",), 300)
    kids = [cell(("buurt",), (b,), n) for b, n in [("B1", 30), ("B2", 120), ("B3", 60), ("B4", 90)]]
    tree = [(parent.id, tuple(k.id for k in kids))]
    out = {c.keys: c for c in protect([parent, *kids], tree, min_n=50)}
    assert out[("B1",)].suppressed and out[("B3",)].suppressed  # primary, then the next-smallest
    assert not out[("B2",)].suppressed and not out[("B4",)].suppressed and not out[("W1",)].suppressed
    assert out[("B3",)].estimate is None and out[("B3",)].ci_low is None and out[("B3",)].se is None
    assert out[("B3",)].n == 60


def test_protect_small_remainder_counts_as_a_hidden_child():
    # Children 100 + 120 of a parent of 230: the 10 respondents outside every child would be revealed.
    parent = cell(("wijk",), ("W1",), 230)
    kids = [cell(("buurt",), ("B1",), 100), cell(("buurt",), ("B2",), 120)]
    out = protect([parent, *kids], [(parent.id, (kids[0].id, kids[1].id))], min_n=50)
    assert [c.suppressed for c in out] == [False, True, True]
    # A large remainder is fine.
    parent = cell(("wijk",), ("W1",), 300)
    out = protect([parent, *kids], [(parent.id, (kids[0].id, kids[1].id))], min_n=50)
    assert [c.suppressed for c in out] == [False, False, False]


def test_protect_only_child_and_suppressed_parent():
    parent = cell(("gemeente",), ("G",), 40)
    only = cell(("wijk",), ("W",), 40)
    out = protect([parent, only], [(parent.id, (only.id,))], min_n=50)
    assert all(c.suppressed for c in out)
    # A suppressed parent must not be rebuilt from its (shown) children.
    parent = Cell(("G",), "lonely", 500, None, None, None, True, 500.0, None, ("gemeente",))
    kids = [cell(("wijk",), ("W1",), 200), cell(("wijk",), ("W2",), 300)]
    out = protect([parent, *kids], [(parent.id, (kids[0].id, kids[1].id))], min_n=50)
    assert [c.suppressed for c in out] == [True, True, True]


def test_protect_is_per_indicator_and_keeps_order():
    parent = [cell(("w",), ("W",), 200, ind) for ind in ("a", "b")]
    kids = [cell(("b",), (k,), n, ind) for ind, ns in (("a", (20, 80, 100)), ("b", (60, 60, 80)))
            for k, n in zip(("B1", "B2", "B3"), ns, strict=True)]
    tree = [(parent[0].id, tuple(k.id for k in kids[:3]))]
    cells = [*parent, *kids]
    out = protect(cells, tree, min_n=50)
    assert [c.id for c in out] == [c.id for c in cells]
    assert [c.suppressed for c in out if c.indicator == "a"] == [False, True, True, False]
    assert [c.suppressed for c in out if c.indicator == "b"] == [False, False, False, False]


def test_protect_two_dimensional_table():
    """wijk x age cells with both margins: suppression must hold in both directions."""
    n = {("W1", "16-25"): 20, ("W1", "26-64"): 300, ("W1", "65+"): 120,
         ("W2", "16-25"): 90, ("W2", "26-64"): 400, ("W2", "65+"): 60}
    inner = {k: cell(("wijk", "age"), k, v) for k, v in n.items()}
    wijk = {w: cell(("wijk",), (w,), sum(v for k, v in n.items() if k[0] == w)) for w in ("W1", "W2")}
    age = {a: cell(("age",), (a,), sum(v for k, v in n.items() if k[1] == a)) for a in ("16-25", "26-64", "65+")}
    tree = [(wijk[w].id, tuple(c.id for k, c in inner.items() if k[0] == w)) for w in wijk]
    tree += [(age[a].id, tuple(c.id for k, c in inner.items() if k[1] == a)) for a in age]
    out = protect([*inner.values(), *wijk.values(), *age.values()], tree, min_n=50)
    _check_protected(out, tree, 50)
    hidden = {c.id for c in out if c.suppressed}
    assert (("wijk", "age"), ("W1", "16-25")) in hidden


def test_protect_rejects_children_larger_than_the_parent():
    parent = cell(("w",), ("W",), 10)
    kid = cell(("b",), ("B",), 20)
    with pytest.raises(ValueError, match="more respondents"):
        protect([parent, kid], [(parent.id, (kid.id,))])


def test_hierarchy_from_microdata_and_protect_end_to_end():
    rng = np.random.default_rng(17)
    buurt = rng.choice(["BU01", "BU02", "BU03", "BU11", "BU12"], 900, p=[0.05, 0.4, 0.15, 0.3, 0.1])
    wijk = np.array(["WK" + b[2] for b in buurt])
    age = rng.integers(14, 90, 900)
    columns = {"wijk": wijk, "buurt": buurt, "age_group": age_groups(age)}
    y = (rng.random(900) < 0.45).astype(float)
    w = rng.uniform(0.5, 2.0, 900)
    levels = [("wijk",), ("buurt",), ("wijk", "age_group")]
    tables = estimate_levels(columns, {"lonely": y}, w, levels, min_n=50)
    cells = [c for t in tables.values() for c in t.cells()]
    tree = hierarchy(columns, [(("wijk",), ("buurt",)), (("wijk",), ("wijk", "age_group"))])
    buurten = {parent: children for parent, children in tree if children[0][0] == ("buurt",)}
    assert set(buurten[(("wijk",), ("WK0",))]) == {(("buurt",), (b,)) for b in ("BU01", "BU02", "BU03")}
    ages = {parent: children for parent, children in tree if children[0][0] == ("wijk", "age_group")}
    assert [keys for _, keys in ages[(("wijk",), ("WK1",))]] == [("WK1", g) for g in ("16-25", "26-64", "65-74", "75+")]
    out = protect(cells, tree, min_n=50)
    _check_protected(out, tree, 50)


def test_hierarchy_rejects_non_nested_groupings():
    columns = {"wijk": np.array(["W1", "W2", "W1"]), "buurt": np.array(["B1", "B1", "B2"])}
    with pytest.raises(ValueError, match="not nested"):
        hierarchy(columns, [(("wijk",), ("buurt",))])


def _check_protected(cells, tree, min_n):
    by_id = {(c.indicator, c.id): c for c in cells}
    indicators = {c.indicator for c in cells}
    for c in cells:
        if not c.suppressed:
            assert c.n >= min_n
        else:
            assert c.estimate is None and c.ci_low is None and c.ci_high is None
    for indicator in indicators:
        for parent_id, child_ids in tree:
            parent = by_id.get((indicator, parent_id))
            children = [by_id[(indicator, cid)] for cid in child_ids if (indicator, cid) in by_id]
            if parent is None or not children:
                continue
            hidden = sum(c.suppressed for c in children)
            if len(children) >= 2:
                assert hidden != 1, (parent, children)
            elif hidden == 1:
                assert parent.suppressed
            rem = parent.n - sum(c.n for c in children if not c.suppressed)
            if not parent.suppressed:
                assert rem == 0 or rem >= min_n
            elif hidden < len(children):
                assert rem >= min_n


@st.composite
def trees(draw):
    """Random trees of cells (depth up to 3): each parent's n is its children's n plus a remainder."""
    cells, tree = [], []
    counter = [0]

    def node(depth):
        counter[0] += 1
        key = (f"c{counter[0]}",)
        by = (f"level{depth}",)
        if depth < 3 and draw(st.booleans()):
            kids = [node(depth + 1) for _ in range(draw(st.integers(1, 5)))]
            rest = draw(st.one_of(st.just(0), st.integers(0, 80)))
            n = sum(k.n for k in kids) + rest
            c = cell(by, key, n)
            tree.append((c.id, tuple(k.id for k in kids)))
        else:
            c = cell(by, key, draw(st.integers(0, 160)))
        if draw(st.integers(0, 9)) == 0:  # already suppressed for another reason
            c = Cell(c.keys, c.indicator, c.n, None, None, None, True, c.weight_sum, None, c.by)
        cells.append(c)
        return c

    node(0)
    return cells, tree


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees(), st.integers(1, 80), st.randoms(use_true_random=False))
def test_protect_properties_on_random_trees(data, min_n, random):
    cells, tree = data
    random.shuffle(cells)
    out = protect(cells, tree, min_n=min_n)
    assert [c.id for c in out] == [c.id for c in cells]
    for before, after in zip(cells, out, strict=True):
        assert not (before.suppressed and not after.suppressed)  # never un-suppresses
        assert before.n == after.n
    _check_protected(out, tree, min_n)
    assert protect(out, tree, min_n=min_n) == out  # a fixed point


def test_many_high_cardinality_columns_compress_the_cell_key():
    """Six columns of ~2000 values each: the combined key would overflow int64 without compression."""
    rng = np.random.default_rng(23)
    n_rows = 2000
    columns = {f"c{j}": rng.integers(0, 10**9, n_rows) for j in range(6)}
    columns["c0"][:2] = columns["c0"][2:4]  # two cells of two rows: the rows of 2 and 3 again
    for j in range(1, 6):
        columns[f"c{j}"][:2] = columns[f"c{j}"][2:4]
    y = (rng.random(n_rows) < 0.5).astype(float)
    w = rng.uniform(0.5, 2.0, n_rows)
    by = [f"c{j}" for j in range(6)]
    cells = estimate(columns, {"y": y}, w, by, min_n=1)
    assert len(cells) == n_rows - 2
    assert [c.keys for c in cells] == sorted(c.keys for c in cells)
    assert_matches_reference(cells, reference(columns, y, w, by), 1)


def test_pandas_input_is_converted():
    import pandas as pd

    columns, y, w, strata = synthetic(400, seed=31)
    frame = pd.DataFrame({"area_code": columns["area_code"], "year": columns["year"], "y": y, "w": w})
    from_frame = estimate(frame, frame[["y"]], frame["w"], ["area_code", "year"], min_n=5)
    from_arrays = estimate(columns, {"y": y}, w, ["area_code", "year"], min_n=5)
    assert from_frame == from_arrays
    tree = hierarchy(frame, [(("year",), ("area_code", "year"))])
    assert len(tree) == 3


def test_table_cells_are_genuine_frozen_cells():
    import dataclasses

    columns, y, w, _ = synthetic(300, seed=41)
    for c in estimate_table(columns, {"y": y}, w, ["area_code"], min_n=60).cells():
        assert type(c) is Cell
        assert c == Cell(**{f.name: getattr(c, f.name) for f in dataclasses.fields(Cell)})
        assert hash(c) == hash(dataclasses.replace(c))
        with pytest.raises(dataclasses.FrozenInstanceError):
            c.n = 0


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ab"), st.floats(0.01, 50), st.sampled_from([0.0, 1.0, np.nan])),
                min_size=1, max_size=40))
def test_effective_n_is_kish_over_the_valid_rows(rows):
    cells = estimate({"g": [g for g, _, _ in rows]}, {"y": [y for _, _, y in rows]}, [w for _, w, _ in rows],
                     by=["g"])
    for cell in cells:
        weights = [w for g, w, y in rows if g == cell.keys[0] and not math.isnan(y)]
        if not weights:
            assert cell.effective_n is None
        else:
            assert cell.effective_n == pytest.approx(math.fsum(weights) ** 2 / math.fsum(w * w for w in weights))
            assert cell.effective_n <= cell.n + 1e-9


def test_the_estimates_package_stays_framework_free():
    """samen.weten.estimates (every module of the package) imports neither Django nor DRF."""
    import subprocess
    import sys

    code = ("import pkgutil, sys, importlib, samen.weten.estimates as e\n"
            "for m in pkgutil.iter_modules(e.__path__): importlib.import_module(f'samen.weten.estimates.{m.name}')\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'django', 'rest_framework'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
