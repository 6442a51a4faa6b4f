"""The 95% intervals of a weighted share (samen.weten.estimates.intervals): Wald, logit and Korn-Graubard,
checked against their formulas (written out here with scipy.stats, independently of the module's
scipy.special), with hypothesis, and against a worked example whose values were computed once from the formulas
(as R's svyciprop computes them) and are shipped with the test."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from samen.weten.estimates import METHODS, bounds, estimate, interval

cell_rows = st.lists(
    st.tuples(st.sampled_from([0, 1]), st.floats(min_value=0.05, max_value=20, allow_nan=False)),
    min_size=2,
    max_size=80,
)


def _cell(rows, method):
    y = np.array([r[0] for r in rows], dtype=float)
    w = np.array([r[1] for r in rows], dtype=float)
    (c,) = estimate({}, {"y": y}, w, [], min_n=1, interval=method)
    return c, y, w


def _kish(w):
    return w.sum() ** 2 / (w * w).sum()


@settings(max_examples=150, deadline=None)
@given(cell_rows, st.sampled_from(METHODS))
def test_every_interval_lies_within_0_and_1_and_holds_the_share(rows, method):
    c, _, _ = _cell(rows, method)
    assert 0.0 <= c.ci_low <= c.estimate <= c.ci_high <= 1.0


@settings(max_examples=150, deadline=None)
@given(cell_rows)
def test_wald_is_the_old_interval_cut_off_at_0_and_1(rows):
    raw, y, w = _cell(rows, None)
    c, _, _ = _cell(rows, "wald")
    if raw.estimate in (0.0, 1.0):
        return  # the one-sided interval, below
    assert c.ci_low == max(raw.ci_low, 0.0)
    assert c.ci_high == min(raw.ci_high, 1.0)
    if raw.ci_low >= 0.0 and raw.ci_high <= 1.0:  # inside 0-1: identical to what it was
        assert (c.ci_low, c.ci_high) == (raw.ci_low, raw.ci_high)


@settings(max_examples=150, deadline=None)
@given(cell_rows)
def test_logit_follows_its_formula(rows):
    c, y, w = _cell(rows, "logit")
    p, se, n = c.estimate, c.se, len(rows)
    if p in (0.0, 1.0):
        return
    t = stats.t.ppf(0.975, n - 1)
    eta = math.log(p / (1 - p))
    half = t * se / (p * (1 - p))
    assert c.ci_low == pytest.approx(1 / (1 + math.exp(-(eta - half))), rel=1e-9, abs=1e-12)
    assert c.ci_high == pytest.approx(1 / (1 + math.exp(-(eta + half))), rel=1e-9, abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(cell_rows)
def test_korn_graubard_follows_its_formula(rows):
    c, y, w = _cell(rows, "korn-graubard")
    p, var = c.estimate, c.se ** 2
    if p in (0.0, 1.0):
        return
    n_star = p * (1 - p) / var  # no strata: df = n - 1, so the df factor is 1
    x = n_star * p
    assert c.ci_low == pytest.approx(stats.beta.ppf(0.025, x, n_star - x + 1), rel=1e-7, abs=1e-12)
    assert c.ci_high == pytest.approx(stats.beta.ppf(0.975, x + 1, n_star - x), rel=1e-7, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=59), st.integers(min_value=2, max_value=60))
def test_korn_graubard_with_equal_weights_is_clopper_pearson_on_n_minus_1(events, n):
    """Equal weights: var = p (1 - p) / (n - 1), so n* = n - 1 and x* = (n - 1) p."""
    if events >= n:
        return
    c, _, _ = _cell([(1, 1.0)] * events + [(0, 1.0)] * (n - events), "korn-graubard")
    m, x = n - 1, (n - 1) * events / n
    assert c.ci_low == pytest.approx(stats.beta.ppf(0.025, x, m - x + 1), rel=1e-7)
    assert c.ci_high == pytest.approx(stats.beta.ppf(0.975, x + 1, m - x), rel=1e-7)


@settings(max_examples=80, deadline=None)
@given(st.sampled_from([0, 1]), st.lists(st.floats(min_value=0.05, max_value=20), min_size=2, max_size=40),
       st.sampled_from(METHODS))
def test_nobody_or_everybody_gets_a_one_sided_interval(value, w, method):
    """Not 0-0%: the exact Clopper-Pearson bound for 0 events in n_kish trials, 1 - 0.025^(1/n_kish)."""
    c, _, weights = _cell([(value, wi) for wi in w], method)
    edge = 0.025 ** (1 / _kish(weights))
    assert c.estimate == value
    if value == 0:
        assert c.ci_low == 0.0 and c.ci_high == pytest.approx(1 - edge, rel=1e-12)
    else:
        assert c.ci_high == 1.0 and c.ci_low == pytest.approx(edge, rel=1e-12)
    assert c.ci_low < c.ci_high


@settings(max_examples=80, deadline=None)
@given(cell_rows, st.floats(min_value=1e-3, max_value=1e3), st.sampled_from(METHODS))
def test_scaling_the_weights_changes_no_interval(rows, factor, method):
    a, _, _ = _cell(rows, method)
    b, _, _ = _cell([(y, w * factor) for y, w in rows], method)
    assert b.ci_low == pytest.approx(a.ci_low, abs=1e-9)
    assert b.ci_high == pytest.approx(a.ci_high, abs=1e-9)


@settings(max_examples=80, deadline=None)
@given(cell_rows, st.sampled_from(["logit", "korn-graubard"]))
def test_the_interval_mirrors_when_the_outcome_flips(rows, method):
    a, _, _ = _cell(rows, method)
    b, _, _ = _cell([(1 - y, w) for y, w in rows], method)
    assert b.ci_low == pytest.approx(1 - a.ci_high, abs=1e-9)
    assert b.ci_high == pytest.approx(1 - a.ci_low, abs=1e-9)


def test_one_respondent_or_a_suppressed_cell_has_no_interval():
    for method in METHODS:
        (c,) = estimate({}, {"y": np.array([1.0])}, np.ones(1), [], min_n=1, interval=method)
        assert c.estimate == 1.0 and c.ci_low is None and c.ci_high is None
        (c,) = estimate({}, {"y": np.array([1.0, 0.0])}, np.ones(2), [], min_n=5, interval=method)
        assert c.suppressed and c.ci_low is None and c.ci_high is None


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError, match="Unknown interval method 'normaal'"):
        estimate({}, {"y": np.array([1.0, 0.0])}, np.ones(2), [], min_n=1, interval="normaal")


# A worked example, computed once from the formulas (double precision, scipy 1.17) and shipped here:
# 10 respondents with equal weights, one of whom has the outcome. p = 0.1, var = 10/9 * 0.9 / 100 = 0.01, se = 0.1,
# n_kish = 10, df = 9. R: svyciprop(~y, svydesign(ids=~1, weights=~w, data=d), method=...) on the same rows.
#   Wald:   0.1 -/+ 1.959964 * 0.1 = [-0.0959964, 0.2959964] -> cut off at 0: [0, 0.2959964]
#   logit:  expit(logit(0.1) -/+ qt(0.975, 9) * 0.1 / 0.09)
#   beta:   n* = 0.09 / 0.01 = 9, x* = 0.9: [qbeta(0.025, 0.9, 9.1), qbeta(0.975, 1.9, 8.1)]
# And a weighted one: y = 1 1 0 0 0 0, w = 3 1 1 1 2 2: p = 0.4, var = 6/5 * (0.36 * 10 + 0.16 * 10) / 100 = 0.0624,
# n* = 0.24 / 0.0624 = 3.846, df = 5; the Wald interval would start at -8,96%.
WORKED = [
    ([1] + [0] * 9, [1.0] * 10, {
        "wald": (0.0, 0.2959964),
        "logit": (0.008917938426156926, 0.5784182176256235),
        "korn-graubard": (0.001768901698955737, 0.46950013298302956),
    }),
    ([1, 1, 0, 0, 0, 0], [3.0, 1.0, 1.0, 1.0, 2.0, 2.0], {
        "wald": (0.0, 0.8895988502773167),
        "logit": (0.04389734231173746, 0.9063686870435255),
        "korn-graubard": (0.03221044546373965, 0.8956159360648338),
    }),
]


@pytest.mark.parametrize(("y", "w", "want"), WORKED)
def test_the_worked_examples(y, w, want):
    for method, (low, high) in want.items():
        (c,) = estimate({}, {"y": np.array(y, dtype=float)}, np.array(w), [], min_n=1, interval=method)
        assert c.ci_low == pytest.approx(low, rel=1e-9, abs=1e-12), method
        assert c.ci_high == pytest.approx(high, rel=1e-9, abs=1e-12), method


def test_the_scalar_helper_and_the_stratified_degrees_of_freedom():
    """``interval`` for one share; with strata the df is n - H, and Korn-Graubard's n* is scaled by
    (qt(0.025, n - 1) / qt(0.025, n - H))^2 as in svyciprop."""
    low, high = interval("korn-graubard", 0.1, 0.01, 10, 10)
    assert (low, high) == (pytest.approx(0.001768901698955737), pytest.approx(0.46950013298302956))
    lo, hi = bounds("korn-graubard", [0.1], [0.01], [10], [10], [7])
    factor = (stats.t.ppf(0.025, 9) / stats.t.ppf(0.025, 7)) ** 2
    n_star = 9 * factor
    assert lo[0] == pytest.approx(stats.beta.ppf(0.025, 0.1 * n_star, 0.9 * n_star + 1), rel=1e-7)
    assert hi[0] == pytest.approx(stats.beta.ppf(0.975, 0.1 * n_star + 1, 0.9 * n_star), rel=1e-7)
    lo, hi = bounds("logit", [0.1], [0.01], [10], [10], [7])
    assert hi[0] == pytest.approx(1 / (1 + math.exp(-(math.log(1 / 9) + stats.t.ppf(0.975, 7) / 0.9))), rel=1e-9)
    # In a stratified estimate the degrees of freedom are the cell's respondents minus its strata.
    y = np.array([1, 0, 0, 1, 0, 0, 0, 0], dtype=float)
    strata = np.array(["a", "a", "a", "a", "b", "b", "b", "b"])
    (c,) = estimate({}, {"y": y}, np.ones(8), [], min_n=1, strata=strata, interval="logit")
    t = stats.t.ppf(0.975, 8 - 2)
    eta, s = math.log(c.estimate / (1 - c.estimate)), c.se / (c.estimate * (1 - c.estimate))
    assert c.ci_high == pytest.approx(1 / (1 + math.exp(-(eta + t * s))), rel=1e-9)
