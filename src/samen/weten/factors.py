"""The "dwarsverbanden" (seed 003): how loneliness relates to age, sex, marital status, living alone,
health, income, education, migration background, informal care and wijk.

Pure module (numpy, pandas, statsmodels; no Django). A survey-weighted logistic regression: the
GLM with binomial family and the design weights (normalised to mean 1) as variance weights, with a
sandwich (HC0) covariance, which is the estimator of R's ``survey::svyglm`` for a design with
weights only. Odds ratios with 95% confidence intervals, and a plain-language sentence per
significant factor. A level held by fewer respondents than the suppression minimum shows no
figure (its odds ratio is computed but withheld), like every small cell in Samen.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm

Z95 = 1.959963984540054

# factor -> (reference level, {level: Dutch description of the group}, Dutch description of the reference)
FACTORS: dict[str, tuple[str, dict[str, str], str]] = {
    "age_group": ("26-64", {"16-25": "jongeren van 16-25 jaar", "65-74": "65- tot 75-jarigen",
                            "75+": "75-plussers"}, "26- tot 65-jarigen"),
    "sex": ("man", {"vrouw": "vrouwen", "anders": "mensen met een ander geslacht"}, "mannen"),
    "marital_status": ("gehuwd", {"ongehuwd": "ongehuwden", "gescheiden": "gescheiden mensen",
                                  "verweduwd": "weduwen en weduwnaars"}, "gehuwden"),
    "living_alone": ("nee", {"ja": "alleenwonenden"}, "mensen die niet alleen wonen"),
    "health": ("goed", {"matig": "mensen met een matige gezondheid", "slecht": "mensen met een slechte gezondheid"},
               "mensen met een goede gezondheid"),
    "income": ("midden", {"laag": "mensen met een laag inkomen", "hoog": "mensen met een hoog inkomen"},
               "mensen met een middeninkomen"),
    "education": ("midden", {"laag": "laagopgeleiden", "hoog": "hoogopgeleiden"}, "middelbaar opgeleiden"),
    "migration_background": ("nee", {"ja": "mensen met een migratieachtergrond"},
                             "mensen zonder migratieachtergrond"),
    "informal_carer": ("nee", {"ja": "mantelzorgers"}, "mensen die geen mantelzorg geven"),
}
FACTOR_LABELS = {"age_group": "leeftijd", "sex": "geslacht", "marital_status": "burgerlijke staat",
                 "living_alone": "alleenwonend", "health": "ervaren gezondheid", "income": "inkomen",
                 "education": "opleiding", "migration_background": "migratieachtergrond",
                 "informal_carer": "mantelzorger", "wijk": "wijk"}
OUTCOME_WORDS = {"lonely": "eenzaam", "severely_lonely": "ernstig eenzaam"}


@dataclass(frozen=True)
class Effect:
    factor: str
    level: str
    n: int
    odds_ratio: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    suppressed: bool
    sentence: str

    @property
    def label(self) -> str:
        return f"{FACTOR_LABELS.get(self.factor, self.factor)}: {self.level}"


@dataclass(frozen=True)
class FactorModel:
    outcome: str
    n: int
    events: int
    effects: list[Effect]

    def summary(self) -> list[str]:
        return [e.sentence for e in self.effects if e.sentence]


def _times(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _sentence(factor, level, ratio, low, high, p_value, outcome, reference) -> str:
    if p_value is None or p_value >= 0.05:
        return ""
    _reference, groups, reference_words = FACTORS.get(factor, ("", {}, f"inwoners van {reference}"))
    group = groups.get(level, f"inwoners van {level}")
    interval = f"(95%-betrouwbaarheidsinterval {_times(low)} tot {_times(high)})"
    words = OUTCOME_WORDS.get(outcome, outcome)
    if ratio >= 1:
        return (f"{group[0].upper()}{group[1:]} hebben {_times(ratio)} keer zoveel kans om {words} te zijn "
                f"als {reference_words} {interval}.")
    return (f"{group[0].upper()}{group[1:]} hebben een kleinere kans om {words} te zijn dan {reference_words}: "
            f"{_times(ratio)} keer zo groot {interval}.")


def design_matrix(frame: pd.DataFrame, factors: list[str], references: dict[str, str]) -> pd.DataFrame:
    columns = [pd.Series(1.0, index=frame.index, name="const")]
    for factor in factors:
        levels = sorted(v for v in frame[factor].dropna().unique() if v != references[factor])
        for level in levels:
            columns.append((frame[factor] == level).astype(float).rename(f"{factor}={level}"))
    return pd.concat(columns, axis=1)


def fit(frame: pd.DataFrame, outcome: str, *, weight: str = "weight", factors: list[str] | None = None,
        references: dict[str, str] | None = None, min_n: int = 50) -> FactorModel | None:
    """Odds ratios of ``outcome`` (0/1) on the factors present in ``frame``. None when it cannot be fitted.

    ``factors`` defaults to FACTORS plus a column ``wijk`` (area names) when present. Rows with a
    missing outcome or factor are left out (complete cases); a factor with one level only is dropped;
    a factor whose reference level is absent gets its most common level as reference.
    """
    references = {**{f: spec[0] for f, spec in FACTORS.items()}, **(references or {})}
    factors = [f for f in (factors or [*FACTORS, "wijk"]) if f in frame.columns]
    data = frame[[outcome, weight, *factors]].replace("", np.nan).dropna()
    factors = [f for f in factors if data[f].nunique() > 1]
    for factor in factors:
        if references.get(factor) not in set(data[factor]):
            references[factor] = data[factor].value_counts().idxmax()
    if len(data) < 2 * min_n or not factors:
        return None
    y = data[outcome].astype(float).to_numpy()
    if y.min() == y.max():
        return None
    x = design_matrix(data, factors, references)
    weights = data[weight].to_numpy(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = sm.GLM(y, x, family=sm.families.Binomial(), var_weights=weights / weights.mean()).fit(
                cov_type="HC0")
        except (np.linalg.LinAlgError, ValueError):
            return None
    effects = []
    for name in x.columns[1:]:
        factor, level = name.split("=", 1)
        count = int(x[name].sum())
        beta, se, p_value = float(result.params[name]), float(result.bse[name]), float(result.pvalues[name])
        if count < min_n or not math.isfinite(se):
            effects.append(Effect(factor, level, count, None, None, None, None, True, ""))
            continue
        ratio, low, high = math.exp(beta), math.exp(beta - Z95 * se), math.exp(beta + Z95 * se)
        effects.append(Effect(factor, level, count, ratio, low, high, p_value, False,
                              _sentence(factor, level, ratio, low, high, p_value, outcome, references[factor])))
    return FactorModel(outcome, len(data), int(y.sum()), effects)
