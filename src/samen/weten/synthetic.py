"""Seeded synthetic survey microdata for the Hilversum demo (pure: numpy and pandas, no Django).

Calibrated to the figures in the policy papers (seed 003):

* GGD Gezondheidsmonitor 2016, adults: 42% lonely and 9% severely lonely on the De Jong Gierveld
  scale (``LONELY_TREND`` / ``SEVERE_TREND``; later waves follow the national rise);
* Hilversum Monitor figure 1 (direct question "voelt zich eenzaam", soms or more often): about a
  quarter on average, about one in three in Centrum, Zuid-West and Noord-Oost and 13-14% in
  Noord-West and the Hilversumse Meent in 2019 (``FEELS_LONELY_2019``); about 4% "vaak" or more;
* the DJG differences between wijken follow the same pattern (``WIJK_OFFSET``).

Each respondent has an area, age, sex, weight, the eleven DJG answers as Dutch labels, the direct
question, "voldoende contacten" and the factors; risk factors (living alone, poor health, low
income, widowed/divorced, ...) raise the odds of loneliness so the factor analysis finds them.
The output is a raw survey file in Samen's canonical column names (see ``CANONICAL_COLUMNS``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

WAVE_YEARS = (2016, 2018, 2019, 2020, 2022)
RESPONDENTS_PER_WAVE = 5000

# Share of the adult population per wijk (approximate; Landelijk Gebied is small).
WIJK_SHARE = {"WK040201": 0.10, "WK040202": 0.14, "WK040203": 0.12, "WK040204": 0.14, "WK040205": 0.12,
              "WK040206": 0.13, "WK040207": 0.14, "WK040208": 0.09, "WK040209": 0.02}
LONELY_TREND = {2016: 0.42, 2018: 0.43, 2019: 0.44, 2020: 0.46, 2022: 0.47}
SEVERE_TREND = {2016: 0.09, 2018: 0.095, 2019: 0.10, 2020: 0.11, 2022: 0.115}
WIJK_OFFSET = {"WK040201": 0.06, "WK040202": -0.09, "WK040203": 0.05, "WK040204": 0.0, "WK040205": 0.01,
               "WK040206": 0.0, "WK040207": 0.05, "WK040208": -0.08, "WK040209": -0.03}
FEELS_LONELY_2019 = {"WK040201": 0.33, "WK040202": 0.135, "WK040203": 0.33, "WK040204": 0.25,
                     "WK040205": 0.26, "WK040206": 0.25, "WK040207": 0.33, "WK040208": 0.135, "WK040209": 0.2}
FEELS_LONELY_YEAR_SHIFT = {2016: -0.02, 2018: -0.01, 2019: 0.0, 2020: 0.02, 2022: 0.02}
LONELY_OFTEN_SHARE = 0.04

NEGATIVE_ITEMS = (2, 3, 5, 6, 9, 10)  # worded negatively: "ja" is unfavourable
CANONICAL_COLUMNS = (
    "respondent_id", "wijk", "buurt", "age", "sex", "weight",
    *(f"djg_{i}" for i in range(1, 12)),
    "hoe_vaak_eenzaam", "voldoende_contacten", "marital_status", "living_alone", "health", "income",
    "education", "migration_background", "informal_carer",
)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _calibrate(risk: np.ndarray, target: float) -> np.ndarray:
    """Probabilities sigmoid(a + risk) whose mean is ``target`` (bisection on the intercept a)."""
    low, high = -15.0, 15.0
    for _step in range(60):
        middle = (low + high) / 2
        if _sigmoid(middle + risk).mean() < target:
            low = middle
        else:
            high = middle
    return _sigmoid((low + high) / 2 + risk)


def _people(rng, n, buurten_by_wijk):
    wijken = np.array(list(WIJK_SHARE))
    shares = np.array([WIJK_SHARE[w] for w in wijken])
    wijk = rng.choice(wijken, size=n, p=shares / shares.sum())
    buurt = np.array([rng.choice(buurten_by_wijk[w]) for w in wijk])
    component = rng.choice(3, size=n, p=[0.22, 0.5, 0.28])  # young adults, middle age, 65+
    age = np.choose(component, [rng.normal(27, 5, n), rng.normal(48, 9, n), rng.normal(76, 7, n)])
    age = np.clip(age.round(), 19, 99).astype(int)
    sex = rng.choice(["man", "vrouw"], size=n)
    old = age >= 75
    marital = np.where(rng.random(n) < np.where(old, 0.45, 0.08), "verweduwd",
                       rng.choice(["gehuwd", "ongehuwd", "gescheiden"], size=n, p=[0.55, 0.3, 0.15]))
    living_alone = rng.random(n) < (0.15 + 0.35 * np.isin(marital, ["verweduwd", "gescheiden"]) + 0.1 * old)
    health = np.where(rng.random(n) < 0.1 + 0.15 * old, "slecht",
                      np.where(rng.random(n) < 0.2, "matig", "goed"))
    income = rng.choice(["laag", "midden", "hoog"], size=n, p=[0.3, 0.4, 0.3])
    education = rng.choice(["laag", "midden", "hoog"], size=n, p=[0.25, 0.4, 0.35])
    migration = rng.random(n) < 0.2
    carer = rng.random(n) < 0.15
    return wijk, buurt, age, sex, marital, living_alone, health, income, education, migration, carer


def generate_wave(year: int, buurten_by_wijk: dict[str, list[str]], n: int = RESPONDENTS_PER_WAVE,
                  seed: int = 402) -> pd.DataFrame:
    """One wave of synthetic respondents (deterministic for a given year and seed)."""
    rng = np.random.default_rng([seed, year])
    wijk, buurt, age, sex, marital, alone, health, income, education, migration, carer = _people(
        rng, n, buurten_by_wijk)
    risk = (0.8 * alone + 0.9 * (health == "slecht") + 0.4 * (health == "matig") + 0.45 * (income == "laag")
            + 0.5 * np.isin(marital, ["verweduwd", "gescheiden"]) + 0.3 * migration + 0.2 * carer
            + 0.25 * (age < 26) + 0.3 * (age >= 75))
    risk = risk - risk.mean()
    lonely_p = np.empty(n)
    for code in WIJK_SHARE:
        here = wijk == code
        if here.any():
            lonely_p[here] = _calibrate(risk[here], LONELY_TREND[year] + WIJK_OFFSET[code])
    lonely = rng.random(n) < lonely_p
    severe_p = _calibrate(0.8 * risk[lonely], SEVERE_TREND[year] / LONELY_TREND[year])
    severe = np.zeros(n, dtype=bool)
    severe[np.flatnonzero(lonely)] = rng.random(lonely.sum()) < severe_p
    total = np.where(severe, rng.choice([9, 10, 11], size=n, p=[0.5, 0.3, 0.2]),
                     np.where(lonely, rng.choice(np.arange(3, 9), size=n, p=[0.3, 0.22, 0.17, 0.13, 0.1, 0.08]),
                              rng.choice([0, 1, 2], size=n, p=[0.45, 0.35, 0.2])))
    answers = _answers(rng, total)
    feels = _direct_question(rng, wijk, total, year)
    enough = np.where(rng.random(n) < np.where(lonely, 0.6, 0.93) - 0.25 * severe, "ja", "nee")
    weight = _weights(rng, wijk)
    frame = pd.DataFrame({
        "respondent_id": [f"{year}-{i:05d}" for i in range(1, n + 1)], "wijk": wijk, "buurt": buurt,
        "age": age, "sex": sex, "weight": weight.round(6),
        **{f"djg_{i}": answers[:, i - 1] for i in range(1, 12)},
        "hoe_vaak_eenzaam": feels, "voldoende_contacten": enough, "marital_status": marital,
        "living_alone": np.where(alone, "ja", "nee"), "health": health, "income": income,
        "education": education, "migration_background": np.where(migration, "ja", "nee"),
        "informal_carer": np.where(carer, "ja", "nee"),
    })
    return frame[list(CANONICAL_COLUMNS)]


def _answers(rng, total: np.ndarray) -> np.ndarray:
    """Dutch answers to the 11 items with exactly ``total`` unfavourable ones, a few left empty."""
    n = len(total)
    order = rng.random((n, 11)).argsort(axis=1)
    unfavourable = np.zeros((n, 11), dtype=bool)
    rows = np.repeat(np.arange(n), 11)
    unfavourable[rows, order.ravel()] = (np.tile(np.arange(11), n) < np.repeat(total, 11))
    negative = np.isin(np.arange(1, 12), NEGATIVE_ITEMS)[None, :]
    hedge = rng.random((n, 11)) < 0.3
    answers = np.where(unfavourable, np.where(hedge, "min of meer", np.where(negative, "ja", "nee")),
                       np.where(negative, "nee", "ja")).astype(object)
    answers[rng.random((n, 11)) < 0.004] = ""
    return answers


def _direct_question(rng, wijk, total, year) -> np.ndarray:
    """'Hoe vaak voelt u zich eenzaam?' calibrated per wijk; ranked by the DJG score plus noise."""
    propensity = total + rng.normal(0, 2.5, len(total))
    answer = np.where(rng.random(len(total)) < 0.5, "nooit", "zelden").astype(object)
    for code, share in FEELS_LONELY_2019.items():
        here = np.flatnonzero(wijk == code)
        if not len(here):
            continue
        ranked = here[np.argsort(-propensity[here])]
        some = int(round(len(here) * (share + FEELS_LONELY_YEAR_SHIFT[year])))
        often = int(round(len(here) * LONELY_OFTEN_SHARE * share / 0.25))
        answer[ranked[:some]] = "soms"
        answer[ranked[:often]] = np.where(rng.random(often) < 0.7, "vaak", "heel vaak")
    return answer


def _weights(rng, wijk) -> np.ndarray:
    """Design weights: population share over sample share per wijk, with some spread; mean 1."""
    weight = rng.lognormal(0, 0.25, len(wijk))
    for code, share in WIJK_SHARE.items():
        here = wijk == code
        if here.any():
            weight[here] *= share / here.mean()
    return weight / weight.mean()
