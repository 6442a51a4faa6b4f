"""The synthetic demo data reproduce the seeds' figures, and the factor analysis finds its risk factors."""

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samen.weten import factors, synthetic

CODES = Path(__file__).resolve().parents[2] / "core" / "demo" / "hilversum_wijk_buurt_codes_2022_cbs.csv"


@pytest.fixture(scope="module")
def buurten():
    result = {}
    for row in csv.DictReader(CODES.open()):
        if row["level"] == "buurt":
            result.setdefault(row["wijkcode"], []).append(row["statcode"])
    return result


def unfavourable_total(frame):
    total = 0
    for i in range(1, 12):
        answer = frame[f"djg_{i}"]
        bad = (answer == "min of meer") | ((answer == "ja") if i in synthetic.NEGATIVE_ITEMS else (answer == "nee"))
        total = total + bad.astype(int)
    return total


def test_2016_is_calibrated_to_the_gezondheidsmonitor(buurten):
    frame = synthetic.generate_wave(2016, buurten)
    total = unfavourable_total(frame)
    lonely = np.average(total >= 3, weights=frame["weight"])
    severe = np.average(total >= 9, weights=frame["weight"])
    assert 0.39 <= lonely <= 0.46  # seed 003: 42%
    assert 0.07 <= severe <= 0.11  # seed 003: 9%


def test_2019_direct_question_per_wijk_follows_figure_1(buurten):
    frame = synthetic.generate_wave(2019, buurten)
    feels = frame["hoe_vaak_eenzaam"].isin(["soms", "vaak", "heel vaak"])
    share = feels.groupby(frame["wijk"]).mean()
    for wijk in ("WK040201", "WK040203", "WK040207"):  # Centrum, Zuid-West, Noord-Oost: one in three
        assert share[wijk] == pytest.approx(1 / 3, abs=0.03)
    for wijk in ("WK040202", "WK040208"):  # Noord-West, Meent: 13-14%
        assert share[wijk] == pytest.approx(0.135, abs=0.02)


def test_generation_is_deterministic(buurten):
    assert synthetic.generate_wave(2018, buurten, n=300).equals(synthetic.generate_wave(2018, buurten, n=300))


def test_factor_analysis_finds_living_alone_and_poor_health(buurten):
    frame = synthetic.generate_wave(2016, buurten)
    frame["lonely"] = (unfavourable_total(frame) >= 3).astype(float)
    frame["age_group"] = pd.cut(frame["age"], [15, 25, 64, 74, 200], labels=["16-25", "26-64", "65-74", "75+"]
                                ).astype(str)
    model = factors.fit(frame, "lonely")
    effect = {(e.factor, e.level): e for e in model.effects}
    alone = effect[("living_alone", "ja")]
    assert alone.odds_ratio > 1.5 and alone.ci_low > 1 and alone.p_value < 0.001
    assert effect[("health", "slecht")].odds_ratio > 1.5
    sentence = next(s for s in model.summary() if s.startswith("Alleenwonenden zijn"))
    assert "keer zo vaak eenzaam" in sentence and "prevalentieratio" in sentence and "p < 0,001" in sentence
    assert "kans" not in sentence  # a prevalence ratio, not an odds ratio worded as a risk
    # Loneliness is common (about 40%): the prevalence ratio is well below the odds ratio.
    assert 1 < alone.prevalence_ratio < alone.odds_ratio
    assert alone.pr_low < alone.prevalence_ratio < alone.pr_high


@settings(max_examples=25, deadline=None)
@given(ratio=st.floats(0.3, 3.0), seed=st.integers(0, 10_000))
def test_factor_odds_ratio_recovers_a_known_effect(ratio, seed):
    rng = np.random.default_rng(seed)
    n = 4000
    exposed = rng.random(n) < 0.4
    base = 0.3
    odds = base / (1 - base) * np.where(exposed, ratio, 1.0)
    y = rng.random(n) < odds / (1 + odds)
    frame = pd.DataFrame({"y": y.astype(float), "weight": np.ones(n),
                          "living_alone": np.where(exposed, "ja", "nee")})
    model = factors.fit(frame, "y", factors=["living_alone"])
    effect = model.effects[0]
    assert effect.ci_low < effect.odds_ratio < effect.ci_high
    assert effect.ci_low / 1.6 < ratio < effect.ci_high * 1.6  # sampling error, with room


def test_a_small_group_gets_no_odds_ratio():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"y": (rng.random(600) < 0.4).astype(float), "weight": 1.0,
                          "migration_background": ["ja"] * 20 + ["nee"] * 580})
    effect = factors.fit(frame, "y", factors=["migration_background"], min_n=50).effects[0]
    assert effect.suppressed and effect.odds_ratio is None and effect.sentence == ""


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), base=st.floats(0.1, 0.6), ratio=st.floats(0.5, 3.0))
def test_with_one_factor_the_prevalence_ratio_is_the_ratio_of_the_weighted_shares(seed, base, ratio):
    """One binary factor: the model is saturated, so marginal standardisation gives the ratio of the two
    groups' weighted shares, and the delta-method se of log PR is that of two independent log shares
    (HC0: var(p_g) = sum_g w^2 (y - p_g)^2 / (sum_g w)^2)."""
    rng = np.random.default_rng(seed)
    n = 3000
    exposed = rng.random(n) < 0.4
    y = (rng.random(n) < np.where(exposed, min(base * ratio, 0.95), base)).astype(float)
    w = rng.uniform(0.3, 3.0, n)
    frame = pd.DataFrame({"y": y, "weight": w, "living_alone": np.where(exposed, "ja", "nee")})
    effect = factors.fit(frame, "y", factors=["living_alone"]).effects[0]

    def share(mask):
        p = np.sum(w[mask] * y[mask]) / np.sum(w[mask])
        var = np.sum((w[mask] * (y[mask] - p)) ** 2) / np.sum(w[mask]) ** 2
        return p, var / p**2

    (p1, v1), (p0, v0) = share(exposed), share(~exposed)
    assert effect.prevalence_ratio == pytest.approx(p1 / p0, rel=1e-6)
    se = np.sqrt(v1 + v0)
    assert effect.pr_low == pytest.approx(p1 / p0 * np.exp(-factors.Z95 * se), rel=1e-4)
    assert effect.pr_high == pytest.approx(p1 / p0 * np.exp(factors.Z95 * se), rel=1e-4)
    # The odds ratio of the same data, for the table.
    assert effect.odds_ratio == pytest.approx(p1 / (1 - p1) / (p0 / (1 - p0)), rel=1e-6)


@settings(max_examples=30, deadline=None)
@given(prevalence=st.floats(0.02, 0.9), ratio=st.floats(1.2, 4.0))
def test_the_prevalence_ratio_lies_between_1_and_the_odds_ratio(prevalence, ratio):
    """For a factor that raises the risk, 1 < PR < OR, and the two drift apart as the outcome gets common
    (the issue: at about 50% an OR of 3.0 is a PR of about 1.5)."""
    rng = np.random.default_rng(7)
    n = 4000
    exposed = rng.random(n) < 0.5
    odds = prevalence / (1 - prevalence) * np.where(exposed, ratio, 1.0)
    y = (rng.random(n) < odds / (1 + odds)).astype(float)
    frame = pd.DataFrame({"y": y, "weight": 1.0, "living_alone": np.where(exposed, "ja", "nee")})
    effect = factors.fit(frame, "y", factors=["living_alone"]).effects[0]
    if effect.odds_ratio > 1:
        assert 1 < effect.prevalence_ratio < effect.odds_ratio


@pytest.mark.parametrize("outcome_in_group", [0.0, 1.0])
def test_separation_is_reported_as_too_little_data(outcome_in_group):
    """A group where nobody (or everybody) is lonely: no "0,0 keer (0,0 tot 0,0)" but "te weinig gegevens"."""
    rng = np.random.default_rng(3)
    n = 800
    group = np.array(["ja"] * 120 + ["nee"] * (n - 120))
    y = (rng.random(n) < 0.4).astype(float)
    y[:120] = outcome_in_group
    sex = rng.choice(["man", "vrouw"], n)
    frame = pd.DataFrame({"y": y, "weight": rng.uniform(0.5, 2, n), "migration_background": group, "sex": sex})
    model = factors.fit(frame, "y", factors=["migration_background", "sex"], min_n=50)
    effect = {e.factor: e for e in model.effects}
    separated = effect["migration_background"]
    assert separated.separated and not separated.suppressed
    assert separated.odds_ratio is None and separated.prevalence_ratio is None and separated.sentence == ""
    assert not effect["sex"].separated and effect["sex"].odds_ratio is not None
    assert factors.TOO_LITTLE == "te weinig gegevens"


@pytest.mark.parametrize(("p", "text"), [(0.0004, "< 0,001"), (1e-60, "< 0,001"), (0.001, "0,001"),
                                         (0.0123, "0,012"), (0.5, "0,500"), (None, "")])
def test_p_values_read_in_dutch(p, text):
    assert factors.p_text(p) == text
