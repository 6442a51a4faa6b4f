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
    assert any(s.startswith("Alleenwonenden hebben") and "keer zoveel kans" in s for s in model.summary())


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
