"""Checking the inputs: weights, minimum n, outcomes and strata."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from samen.weten.estimates.factorising import _factorize, _is_missing_object

# ------------------------------------------------------------------------------------------------- validation


def _weights(weights: Any) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    if w.ndim != 1:
        raise ValueError("The weights must be one-dimensional.")
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"Weight {w[i]!r} at row {i} is not a finite number >= 0.")
    return w


def _check_min_n(min_n: Any) -> int:
    if isinstance(min_n, bool) or not isinstance(min_n, int | np.integer) or min_n < 1:
        raise ValueError(f"min_n must be an integer >= 1, not {min_n!r}.")
    return int(min_n)


@dataclass(frozen=True, eq=False)
class _Outcome:
    """Row arrays for one indicator (all float64, length n_rows)."""

    valid: np.ndarray  # 1.0 where the outcome is 0 or 1
    w1: np.ndarray  # w where y = 1
    w0: np.ndarray  # w where y = 0
    q1: np.ndarray  # w^2 where y = 1
    q0: np.ndarray  # w^2 where y = 0


def _outcome(name: str, values: Any, w: np.ndarray) -> _Outcome:
    a = np.asarray(values)
    if a.ndim != 1 or a.size != w.size:
        raise ValueError(f"Outcome {name!r} must be a 1-D array as long as the weights ({w.size}).")
    if a.dtype.kind == "O":
        try:
            a = np.array([np.nan if _is_missing_object(v) else v for v in a.tolist()], dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"Outcome {name!r} holds values that are not 0, 1 or missing.") from None
    if a.dtype.kind == "b":
        one, zero = a, ~a
    elif a.dtype.kind in "iuf":
        one, zero = a == 1, a == 0
        missing = (a == -1) | np.isnan(a) if a.dtype.kind == "f" else a == -1
        bad = ~(one | zero | missing)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"Outcome {name!r}: value {a[i]!r} at row {i} is not 0, 1 or missing (NaN, -1).")
    else:
        raise ValueError(f"Outcome {name!r} has an unsupported type ({a.dtype}).")
    valid = one | zero
    w1 = np.where(one, w, 0.0)
    w0 = np.where(zero, w, 0.0)
    return _Outcome(valid.astype(float), w1, w0, w1 * w, w0 * w)


@dataclass(frozen=True, eq=False)
class _Strata:
    codes: np.ndarray
    n_strata: int
    size: np.ndarray  # rows per stratum in the whole input (float)


def _strata(strata: Any, n_rows: int) -> _Strata | None:
    if strata is None:
        return None
    f = _factorize(strata, "strata", n_rows)
    if f.has_missing:
        raise ValueError("The strata have missing values; every row needs a stratum.")
    k = len(f.uniques)
    return _Strata(f.codes, k, np.bincount(f.codes, minlength=k).astype(float))
