"""95% confidence intervals for a weighted share: Wald, logit and Korn-Graubard, as R's ``survey`` package
computes them (``confint(svymean(...))`` and ``svyciprop(..., method="logit" | "beta")``), with the bounds
kept inside 0-1 and a one-sided interval where the share is 0 or 1.

For a cell with share p, its (Taylor-linearised) variance var = se^2, n valid respondents, Kish's effective
number n_kish = (sum w)^2 / sum w^2 and the design's degrees of freedom df (n - 1 without strata, n - H with
H strata among the cell's respondents; R's ``degf``), alpha = 0.05:

``wald``
    p -/+ z * se, z = 1.959964, then cut off at 0 and 1 (max(0, .), min(1, .)). Inside 0-1 this is exactly
    R's ``confint(svymean(~y, design))``.
``logit``
    expit(logit(p) -/+ t * se / (p (1 - p))), t = qt(0.975, df). The standard error of logit(p) is
    se / (p (1 - p)): for an intercept-only quasibinomial ``svyglm`` the sandwich variance of the intercept
    is exactly var / (p (1 - p))^2. Always inside (0, 1). R: ``svyciprop(~y, design, method="logit")``.
``korn-graubard``
    Clopper-Pearson with the effective sample size of the variance (Korn & Graubard 1998):
    n* = p (1 - p) / var * (qt(0.025, n - 1) / qt(0.025, df))^2, x* = n* p, and
    [qbeta(0.025, x*, n* - x* + 1), qbeta(0.975, x* + 1, n* - x*)].
    R: ``svyciprop(~y, design, method="beta")``. Always inside [0, 1].

Every method, p = 0 or p = 1 (nobody, or everybody, has the outcome; var = 0 and none of the formulas has an
interval): the one-sided Clopper-Pearson interval of x = 0 (or x = n) with the Kish effective number,
[0, 1 - 0.025^(1/n_kish)] and [0.025^(1/n_kish), 1]: the exact bound for zero events in n_kish trials
(about 3.7 / n_kish, close to the "rule of three"). R would give [0, 0] (Wald, logit) or NaN (beta).

No interval (NaN) where n < 2, where there is no share, or where the variance is missing. A cell with
0 < p < 1 and var = 0 (possible only in a stratified design of single-row strata) gets [p, p].

References: Korn, E.L. & Graubard, B.I. (1998), Confidence intervals for proportions with small expected
number of positive counts estimated from survey data, Survey Methodology 24(2), 193-201. Dean, N. & Pagano,
M. (2015), Evaluating confidence interval methods for binomial proportions in clustered surveys, JSSAM 3(4),
484-503. Lumley, T., R package ``survey``, function ``svyciprop``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special

from samen.weten.estimates.cells import Z95

WALD, LOGIT, KORN_GRAUBARD = "wald", "logit", "korn-graubard"
METHODS = (WALD, LOGIT, KORN_GRAUBARD)
DEFAULT_METHOD = KORN_GRAUBARD
ALPHA = 0.05
LABELS = {WALD: "Wald", LOGIT: "logit", KORN_GRAUBARD: "Korn-Graubard"}


def check_method(method: Any) -> str:
    if method not in METHODS:
        raise ValueError(f"Unknown interval method {method!r}; known: {', '.join(METHODS)}.")
    return method


def bounds(method: str, p: Any, var: Any, n: Any, kish: Any, df: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """The 95% interval (low, high) of each share (arrays of one shape; see the module doc). ``df`` defaults
    to n - 1 (no strata)."""
    method = check_method(method)
    p = np.asarray(p, dtype=float)
    var = np.broadcast_to(np.asarray(var, dtype=float), p.shape)
    n = np.broadcast_to(np.asarray(n, dtype=float), p.shape)
    kish = np.broadcast_to(np.asarray(kish, dtype=float), p.shape)
    df = n - 1.0 if df is None else np.broadcast_to(np.asarray(df, dtype=float), p.shape)
    df = np.maximum(df, 1.0)
    low, high = np.full(p.shape, np.nan), np.full(p.shape, np.nan)
    ok = np.isfinite(p) & np.isfinite(var) & (n >= 2)
    zero, one = ok & (p <= 0.0), ok & (p >= 1.0)
    flat = ok & (p > 0.0) & (p < 1.0) & (var <= 0.0)
    inner = ok & (p > 0.0) & (p < 1.0) & (var > 0.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        edge = np.where(kish > 0, (ALPHA / 2) ** (1.0 / kish), np.nan)
    low[zero], high[zero] = 0.0, 1.0 - edge[zero]
    low[one], high[one] = edge[one], 1.0
    low[flat], high[flat] = p[flat], p[flat]
    pi, vi, ni, dfi = p[inner], var[inner], n[inner], df[inner]
    se = np.sqrt(vi)
    if method == WALD:
        lo, hi = np.maximum(pi - Z95 * se, 0.0), np.minimum(pi + Z95 * se, 1.0)
    elif method == LOGIT:
        t = special.stdtrit(dfi, 1.0 - ALPHA / 2)
        eta, s = np.log(pi / (1.0 - pi)), se / (pi * (1.0 - pi))
        lo, hi = special.expit(eta - t * s), special.expit(eta + t * s)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = special.stdtrit(ni - 1.0, ALPHA / 2) / special.stdtrit(dfi, ALPHA / 2)
        n_star = pi * (1.0 - pi) / vi * ratio * ratio
        x = n_star * pi
        lo = special.betaincinv(x, n_star - x + 1.0, ALPHA / 2)
        hi = special.betaincinv(x + 1.0, n_star - x, 1.0 - ALPHA / 2)
    low[inner], high[inner] = lo, hi
    return low, high


def interval(method: str, p: float, var: float, n: float, kish: float,
             df: float | None = None) -> tuple[float | None, float | None]:
    """``bounds`` for one share; None where there is no interval."""
    lo, hi = bounds(method, [p], [var], [n], [kish], None if df is None else [df])
    return (None if np.isnan(lo[0]) else float(lo[0]), None if np.isnan(hi[0]) else float(hi[0]))
