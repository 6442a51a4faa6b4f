"""The "dwarsverbanden" (seed 003): how loneliness relates to age, sex, marital status, living alone,
health, income, education, migration background, informal care and wijk.

Pure module (numpy, pandas, statsmodels; no Django). A survey-weighted logistic regression: the
GLM with binomial family and the design weights (normalised to mean 1) as variance weights, with a
sandwich (HC0) covariance, which is the estimator of R's ``survey::svyglm`` for a design with
weights only. Odds ratios with 95% confidence intervals (in the table), adjusted prevalence ratios
by marginal standardisation from the same model (in the plain-language sentences, which say so), and
a plain-language sentence per significant factor. A level held by fewer respondents than the
suppression minimum shows no figure (its odds ratio is computed but withheld), like every small cell
in Samen. A level (or reference level) in which nobody, or everybody, has the outcome separates the
data (quasi-complete separation): its odds ratio does not exist, and it is reported as "te weinig
gegevens".

Adjusted prevalence ratio of level L against the reference R of a factor (marginal standardisation,
"predictive margins"): with every respondent's factor set to L, then to R, and the other factors as they are,

    P_L = sum_i w_i expit(x_i(L) b) / sum_i w_i,    PR = P_L / P_R,
    se(log PR) = sqrt(g' V g),  g = d log P_L / db - d log P_R / db,
    d log P_L / db = sum_i w_i m_i (1 - m_i) x_i(L) / sum_i w_i m_i,  m_i = expit(x_i(L) b),

V the sandwich covariance of b; 95% interval exp(log PR -/+ 1.96 se). The covariates' distribution is taken
as fixed (as Stata's ``margins`` without ``vce(unconditional)``). The p-value of a level is that of its
coefficient (b = 0 if and only if PR = 1 in the model).
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


TOO_LITTLE = "te weinig gegevens"


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
    prevalence_ratio: float | None = None
    pr_low: float | None = None
    pr_high: float | None = None
    separated: bool = False  # nobody (or everybody) in the level or its reference has the outcome

    @property
    def label(self) -> str:
        return f"{FACTOR_LABELS.get(self.factor, self.factor)}: {self.level}"

    @property
    def p_text(self) -> str:
        """The p-value in Dutch: "< 0,001" below 0.001, else three decimals with a comma."""
        return p_text(self.p_value)


def p_text(p_value: float | None) -> str:
    if p_value is None or not math.isfinite(p_value):
        return ""
    if p_value < 0.001:
        return "< 0,001"
    return f"{p_value:.3f}".replace(".", ",")


@dataclass(frozen=True)
class FactorModel:
    outcome: str
    n: int
    events: int
    effects: list[Effect]

    def summary(self) -> list[str]:
        return [e.sentence for e in self.effects if e.sentence]


def _times(value: float) -> str:
    """One decimal with a comma; two where one would read "1,0" for a ratio that is not 1."""
    text = f"{value:.1f}"
    if text == "1.0" and abs(value - 1.0) >= 0.005:
        text = f"{value:.2f}"
    return text.replace(".", ",")


def _sentence(factor, level, ratio, low, high, p_value, outcome, reference) -> str:
    """A sentence about an adjusted prevalence ratio (``ratio``, ``low``, ``high``), which it names."""
    if p_value is None or p_value >= 0.05 or ratio is None:
        return ""
    _reference, groups, reference_words = FACTORS.get(factor, ("", {}, f"inwoners van {reference}"))
    group = groups.get(level, f"inwoners van {level}")
    p_words = f"p {p_text(p_value)}" if p_value < 0.001 else f"p = {p_text(p_value)}"
    interval = (f"(prevalentieratio, gecorrigeerd voor de andere kenmerken; 95%-betrouwbaarheidsinterval "
                f"{_times(low)} tot {_times(high)}; {p_words})")
    words = OUTCOME_WORDS.get(outcome, outcome)
    if ratio >= 1:
        return (f"{group[0].upper()}{group[1:]} zijn {_times(ratio)} keer zo vaak {words} als {reference_words} "
                f"{interval}.")
    return (f"{group[0].upper()}{group[1:]} zijn minder vaak {words} dan {reference_words}: "
            f"{_times(ratio)} keer zo vaak {interval}.")


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
    beta_all = result.params.to_numpy(float)
    cov = np.asarray(result.cov_params(), dtype=float)
    matrix = x.to_numpy(float)
    for name in x.columns[1:]:
        factor, level = name.split("=", 1)
        count = int(x[name].sum())
        beta, se, p_value = float(result.params[name]), float(result.bse[name]), float(result.pvalues[name])
        if count < min_n:
            effects.append(Effect(factor, level, count, None, None, None, None, True, ""))
            continue
        if _separated(data, y, factor, level, references[factor]) or not math.isfinite(se) or abs(beta) > 15:
            effects.append(Effect(factor, level, count, None, None, None, None, False, "", separated=True))
            continue
        ratio, low, high = math.exp(beta), math.exp(beta - Z95 * se), math.exp(beta + Z95 * se)
        pr, pr_low, pr_high = prevalence_ratio(matrix, list(x.columns), weights, beta_all, cov, factor, name)
        effects.append(Effect(factor, level, count, ratio, low, high, p_value, False,
                              _sentence(factor, level, pr, pr_low, pr_high, p_value, outcome, references[factor]),
                              pr, pr_low, pr_high))
    return FactorModel(outcome, len(data), int(y.sum()), effects)


def _separated(data: pd.DataFrame, y: np.ndarray, factor: str, level: str, reference: str) -> bool:
    """Quasi-complete separation on this level: in the level, or in its reference group, nobody (or everybody)
    has the outcome, so the odds ratio is 0 or infinite and the fit only stops because the iterations do."""
    for group in (level, reference):
        outcome = y[(data[factor] == group).to_numpy()]
        if outcome.size and (outcome.min() == outcome.max()):
            return True
    return False


def prevalence_ratio(matrix: np.ndarray, columns: list[str], weights: np.ndarray, beta: np.ndarray,
                     cov: np.ndarray, factor: str, column: str) -> tuple[float, float, float]:
    """The adjusted prevalence ratio of dummy ``column`` against its factor's reference, by marginal
    standardisation, with its 95% interval by the delta method (the formulas in the module doc)."""
    own = [i for i, c in enumerate(columns) if c.startswith(f"{factor}=")]
    target = columns.index(column)

    def margin(set_to: int | None):
        xs = matrix.copy()
        xs[:, own] = 0.0
        if set_to is not None:
            xs[:, set_to] = 1.0
        m = 1.0 / (1.0 + np.exp(-(xs @ beta)))
        total = float(np.sum(weights * m))
        gradient = (weights * m * (1.0 - m)) @ xs / total  # d log P / d beta
        return total / float(np.sum(weights)), gradient

    level_share, level_gradient = margin(target)
    reference_share, reference_gradient = margin(None)
    g = level_gradient - reference_gradient
    se = math.sqrt(max(float(g @ cov @ g), 0.0))
    log_ratio = math.log(level_share / reference_share)
    return math.exp(log_ratio), math.exp(log_ratio - Z95 * se), math.exp(log_ratio + Z95 * se)
