"""Tests of samen.weten.trends: the test of change between two waves and progress towards a target."""

from __future__ import annotations

import math
from statistics import NormalDist

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samen.weten.estimates import Cell
from samen.weten.trends import (
    DECREASED,
    INCREASED,
    NO_CHANGE,
    Target,
    change,
    change_between,
    progress,
)


def test_change_by_hand():
    c = change(0.40, 0.02, 0.45, 0.03)
    se = math.sqrt(0.02**2 + 0.03**2)
    z = 0.05 / se
    assert c.difference == pytest.approx(0.05, abs=1e-15)
    assert c.se == pytest.approx(se, abs=1e-15)
    assert c.z == pytest.approx(z, abs=1e-12)
    assert c.p_value == pytest.approx(2 * (1 - NormalDist().cdf(z)), abs=1e-12)
    assert c.p_value == pytest.approx(0.1655, abs=1e-4)
    assert c.ci_low == pytest.approx(0.05 - 1.959963984540054 * se, abs=1e-12)
    assert c.ci_high == pytest.approx(0.05 + 1.959963984540054 * se, abs=1e-12)
    assert c.verdict == NO_CHANGE and not c.significant


def test_significant_rise_and_fall():
    up = change(0.40, 0.01, 0.45, 0.01)
    assert up.verdict == INCREASED and up.significant and up.p_value < 0.05 and up.ci_low > 0
    down = change(0.45, 0.01, 0.40, 0.01)
    assert down.verdict == DECREASED and down.p_value == pytest.approx(up.p_value) and down.ci_high < 0
    assert down.z == pytest.approx(-up.z)


def test_alpha_changes_the_verdict_and_the_interval():
    c = change(0.40, 0.02, 0.45, 0.02)  # z = 1.77, p = 0.077
    assert c.verdict == NO_CHANGE
    loose = change(0.40, 0.02, 0.45, 0.02, alpha=0.10)
    assert loose.verdict == INCREASED
    assert loose.ci_high - loose.ci_low < c.ci_high - c.ci_low


def test_zero_standard_errors():
    same = change(0.3, 0.0, 0.3, 0.0)
    assert same.z == 0.0 and same.p_value == 1.0 and same.verdict == NO_CHANGE
    up = change(0.3, 0.0, 0.4, 0.0)
    assert up.z == math.inf and up.p_value == 0.0 and up.verdict == INCREASED


@pytest.mark.parametrize(
    "args", [(0.4, -0.01, 0.5, 0.01), (0.4, 0.01, float("nan"), 0.01), (0.4, 0.01, 0.5, 0.01, 0.0), ("x", 1, 1, 1)]
)
def test_change_rejects_bad_numbers(args):
    with pytest.raises(ValueError):
        change(*args)


@settings(max_examples=200, deadline=None)
@given(
    st.floats(0, 1), st.floats(0.0001, 0.2), st.floats(0, 1), st.floats(0.0001, 0.2), st.sampled_from([0.01, 0.05, 0.1])
)
def test_interval_excludes_zero_exactly_when_significant(p1, s1, p2, s2, alpha):
    c = change(p1, s1, p2, s2, alpha)
    assert 0.0 <= c.p_value <= 1.0
    assert c.ci_low <= c.difference <= c.ci_high
    excludes_zero = c.ci_low > 0 or c.ci_high < 0
    if abs(abs(c.z) - NormalDist().inv_cdf(1 - alpha / 2)) > 1e-9:  # away from the boundary itself
        assert excludes_zero == c.significant
    reverse = change(p2, s2, p1, s1, alpha)
    assert reverse.p_value == pytest.approx(c.p_value, abs=1e-12)
    assert {c.verdict, reverse.verdict} in ({NO_CHANGE}, {INCREASED, DECREASED})


def cell(estimate, se, indicator="lonely", suppressed=False):
    if suppressed:
        return Cell(("WK01", 2020), indicator, 20, None, None, None, True, 20.0, None, ("area_code", "year"))
    return Cell(("WK01", 2020), indicator, 400, estimate, estimate - 1.96 * se, estimate + 1.96 * se, False, 400.0,
                se, ("area_code", "year"))


def test_change_between_cells():
    c = change_between(cell(0.40, 0.01), cell(0.45, 0.01))
    assert c == change(0.40, 0.01, 0.45, 0.01)
    assert change_between(cell(0.40, 0.01), cell(None, None, suppressed=True)) is None
    assert change_between(cell(0.40, 0.01, suppressed=True), cell(0.45, 0.01)) is None
    with pytest.raises(ValueError, match="Cannot compare"):
        change_between(cell(0.40, 0.01), cell(0.45, 0.01, indicator="severely_lonely"))


# ------------------------------------------------------------------------------------------------ target progress

LONELY_2030 = Target("lonely", 0.40, "below", 2030)


def test_target_defaults_and_validation():
    assert LONELY_2030.baseline_year == 2016
    assert LONELY_2030.met_by(0.40) and LONELY_2030.met_by(0.39) and not LONELY_2030.met_by(0.41)
    up = Target("socially_connected", 0.8, "above", 2030)
    assert up.met_by(0.8) and not up.met_by(0.79)
    with pytest.raises(ValueError, match="direction"):
        Target("lonely", 0.4, "under", 2030)
    with pytest.raises(ValueError, match="before the baseline"):
        Target("lonely", 0.4, "below", 2010)


@pytest.mark.parametrize(
    ("baseline", "latest", "year", "on_track", "reason"),
    [
        (0.46, None, 2022, None, "missing"),
        (0.46, 0.39, 2022, True, "met"),
        (0.46, 0.40, 2022, True, "met"),
        (None, 0.38, 2022, True, "met"),
        (0.46, 0.41, 2030, False, "deadline passed"),
        (0.46, 0.41, 2032, False, "deadline passed"),
        (None, 0.44, 2022, None, "no trend"),
        (0.46, 0.46, 2016, None, "no trend"),
        # 2016 -> 2022: -0.03 in 6 years, -0.005 a year; by 2030: 0.43 - 0.04 = 0.39 -> on track
        (0.46, 0.43, 2022, True, "projected to meet"),
        # -0.01 in 6 years: by 2030 0.45 - 0.0133 = 0.4367 -> not on track
        (0.46, 0.45, 2022, False, "projected to miss"),
        # moving away from the target
        (0.44, 0.46, 2022, False, "projected to miss"),
    ],
)
def test_progress_rule(baseline, latest, year, on_track, reason):
    result = progress(LONELY_2030, baseline, latest, year)
    assert result.on_track is on_track
    assert result.reason == reason


def test_progress_projection_value_and_cells():
    result = progress(LONELY_2030, 0.46, 0.43, 2022)
    assert result.projected == pytest.approx(0.43 - 0.005 * 8)
    assert result.met is False
    suppressed = progress(LONELY_2030, cell(0.46, 0.01), cell(None, None, suppressed=True), 2022)
    assert suppressed.on_track is None and suppressed.latest is None
    from_cells = progress(LONELY_2030, cell(0.46, 0.01), cell(0.43, 0.01), 2022)
    assert from_cells.on_track is True and from_cells.baseline == 0.46
    no_baseline = progress(LONELY_2030, cell(None, None, suppressed=True), cell(0.43, 0.01), 2022)
    assert no_baseline.on_track is None and no_baseline.reason == "no trend"


def test_progress_above_target():
    target = Target("has_enough_contacts", 0.80, "above", 2030, baseline_year=2016)
    assert progress(target, 0.70, 0.76, 2022).on_track is True  # +0.01 a year: 0.84 by 2030
    assert progress(target, 0.75, 0.76, 2022).on_track is False
    assert progress(target, 0.75, 0.82, 2022).reason == "met"


def test_progress_rejects_a_latest_year_before_the_baseline():
    with pytest.raises(ValueError, match="before the baseline"):
        progress(LONELY_2030, 0.46, 0.44, 2015)


# ------------------------------------------------------------------------------------------ Holm adjustment

from samen.weten import trends as _trends  # noqa: E402

p_lists = st.lists(st.floats(min_value=0.0, max_value=1.0, allow_nan=False), min_size=1, max_size=30)


@settings(max_examples=200, deadline=None)
@given(p_lists)
def test_holm_adjusted_p_values(values):
    """Holm: each adjusted p is at least the raw p and at most Bonferroni's m * p (capped at 1); the order of
    the raw p-values is kept; the smallest is exactly min(1, m * p_min)."""
    adjusted = _trends.holm(values)
    m = len(values)
    for p, q in zip(values, adjusted, strict=True):
        assert p <= q <= min(1.0, m * p) + 1e-15
    for i in range(m):
        for j in range(m):
            if values[i] < values[j]:
                assert adjusted[i] <= adjusted[j]
    assert min(adjusted) == min(1.0, m * min(values))


@settings(max_examples=200, deadline=None)
@given(p_lists)
def test_holm_step_down_formula(values):
    """p_(i)^adj = max_{j <= i} min(1, (m - j + 1) p_(j)), written out."""
    m = len(values)
    order = sorted(range(m), key=lambda i: values[i])
    want = {}
    for rank, i in enumerate(order):
        want[i] = max(min(1.0, (m - r) * values[order[r]]) for r in range(rank + 1))
    assert _trends.holm(values) == [want[i] for i in range(m)]


def test_adjust_re_decides_the_verdicts_and_skips_missing_comparisons():
    a = _trends.change(0.30, 0.01, 0.34, 0.01)  # z = 2.83, p = 0.0047
    b = _trends.change(0.30, 0.01, 0.33, 0.01)  # z = 2.12, p = 0.034: significant alone, not after Holm
    c = _trends.change(0.30, 0.01, 0.30, 0.01)  # p = 1
    out = _trends.adjust([a, None, b, c])
    assert out[1] is None
    assert out[0].tests == out[2].tests == out[3].tests == 3
    assert out[0].p_adjusted == pytest.approx(3 * a.p_value) and out[0].verdict == _trends.INCREASED
    assert b.verdict == _trends.INCREASED and out[2].verdict == _trends.NO_CHANGE
    assert out[2].p_adjusted == pytest.approx(max(3 * a.p_value, 2 * b.p_value))
    assert out[3].p_adjusted == 1.0


def test_holm_refuses_a_p_value_outside_0_1():
    with pytest.raises(ValueError, match="between 0 and 1"):
        _trends.holm([0.5, 1.5])
