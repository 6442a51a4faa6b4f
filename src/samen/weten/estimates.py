"""Survey estimates for the loneliness monitor: weighted shares with 95% intervals per cell, suppression of
small cells, and complementary (secondary) suppression. Pure numpy: no Django, no pandas (a pandas DataFrame
or Series may be passed wherever a mapping of arrays or an array is expected; it is read with np.asarray).

The module takes already-scored 0/1 outcomes (scoring is samen.weten.scales' job).

Public API
==========

``estimate(columns, outcomes, weights, by, min_n=50, strata=None) -> list[Cell]``
    One Cell per (cell of ``by``, indicator), sorted by the ``by`` values (column by column) and then by
    indicator in the order of ``outcomes``.
``estimate_table(columns, outcomes, weights, by, min_n=50, strata=None) -> EstimateTable``
    The same figures as numpy arrays (one row per cell, one column per indicator); ``.cells()`` gives the
    Cells. This is the fast path: building hundreds of thousands of Python objects costs more than computing.
``estimate_levels(columns, outcomes, weights, levels, min_n=50, strata=None) -> dict[tuple[str, ...], EstimateTable]``
    Several groupings at once (e.g. gemeente+year, wijk+year, buurt+year, each with and without age group),
    sharing the factorisation of the columns and the per-indicator row arrays.
``protect(cells, hierarchy, min_n=50) -> list[Cell]``
    Primary plus complementary (secondary) suppression, see below.
``hierarchy(columns, relations) -> list[tuple[CellId, tuple[CellId, ...]]]``
    Which child cells make up which parent cell, read from the microdata, for ``protect``.
``age_group(age, scheme="issue") -> str | None`` and ``age_groups(ages, scheme="issue") -> Coded``
    Age groups; ``Coded`` is an integer-coded column (codes, labels; -1 = missing) that ``estimate`` takes
    as is, without factorising, with its cells ordered by label order.

Inputs
------
* ``columns``: a mapping of name -> 1-D array (numbers, strings, objects, or a ``Coded``) of the grouping
  variables, each as long as ``weights``. A missing group value (None, NaN, code -1) leaves the row out of
  the cells of the groupings that use that column (it still counts for other groupings and, in a stratified
  design, for the stratum sizes).
* ``outcomes``: a mapping of indicator name -> 1-D array of 0/1 (bool, integers or floats); missing is NaN,
  None or -1. Any other value raises ValueError.
* ``weights``: finite and >= 0 (ValueError otherwise). A row of weight 0 counts in n.
* ``strata``: optional 1-D array of stratum labels without missing values (the design's strata).
* ``min_n``: an integer >= 1.

Formulas
========
For a cell (domain) and an indicator, with n the domain's respondents with a valid (non-missing) outcome,
w their weights and y their 0/1 outcome:

    p   = sum(w * y) / sum(w)
    var = n / (n - 1) * sum(w^2 * (y - p)^2) / sum(w)^2                        (no strata)
    CI  = p -/+ Z95 * sqrt(var),  Z95 = 1.959964

(Z95 as the issue fixes it; R's ``confint`` uses qnorm(0.975) = 1.959963984540054, a difference below
2e-8 * se.)

This is the Taylor-linearised variance of the weighted mean with the domain's own valid rows as a
with-replacement sample: R's ``svymean(~y, svydesign(ids=~1, weights=~w, data=rows))`` with ``rows`` the
domain's rows with a valid y. (Note: R's ``svyby`` on the full design, or ``na.rm=TRUE`` on a design that
still holds the missing rows, would use the number of all those rows instead of n; the product issue fixes
the domain-only definition.)

All sums come from ``np.bincount`` over integer cell codes in one vectorised pass. Because y is 0/1,

    sum(w^2 (y - p)^2) = (1 - p)^2 * sum_{y=1} w^2 + p^2 * sum_{y=0} w^2,

a sum of non-negative terms (no cancellation), so var >= 0 and the result agrees with a direct
per-cell loop to ~1e-15 relative.

Stratified designs (``strata`` given), as R's ``svydesign(ids=~1, strata=~stratum, weights=~w)`` with domain
estimation by ``svyby``/``subset``: the full design is kept and the influence values z_i = w_i (y_i - p) are
zero outside the domain (and for rows whose outcome is missing, as ``na.rm=TRUE`` does), so

    var = sum_h [ n_h / (n_h - 1) * sum_{i in stratum h} (z_i - zbar_h)^2 ] / (sum_{domain} w)^2

where n_h is the number of rows of stratum h in the whole input (all rows passed in, whatever their outcome or
group) and zbar_h = (sum of z over the domain's rows in h) / n_h. This was checked against R survey 4.1-1.
It is computed in two passes per cell and stratum (the stratum mean, then squared deviations plus
(n_h - m_h) * zbar_h^2 for the zero rows), again without cancellation.

* A stratum with a single row (n_h = 1) contributes 0 to the variance ("certainty", as R's
  ``options(survey.lonely.psu="certainty")``; R's default "fail" would stop with an error).
* Note the unstratified and stratified definitions differ in the domain case even for a single stratum
  (n/(n-1) over the domain versus n_h/(n_h-1) over the whole stratum with zeros): both are as specified.

Documented choices
==================
* Interval: reported as computed, NOT clipped. The (Wald) interval p -/+ 1.96 se can pass below 0 or above 1
  for shares near 0 or 1 in small cells; that is what R's ``confint(svymean(...))`` reports too. Callers
  that show it may clip for display, but the published figures are the computed ones.
* n = 1 (or n = 0): the variance is undefined (n/(n-1)); se, ci_low and ci_high are None. In a stratified
  design a single respondent's z is 0, so R would report a zero-width interval: we report None as well.
* sum(w) = 0 in a cell with n >= 1 (all weights 0): the share is undefined; estimate, se and CI are None.
* Suppression: a cell with n < min_n (default 50) shows no figure: estimate, se, ci_low, ci_high are None and
  suppressed is True. n and weight_sum stay for computation (complementary suppression needs them) but must
  not be published for suppressed cells: with them the subtraction from the margins is exact.
* Effective sample size: every cell carries Kish's (sum w)^2 / sum w^2 over its valid rows
  (``effective_n``; None where sum w = 0). ``estimate`` suppresses on the raw n only; a caller with a second
  threshold on the effective n (the monitor: ``Gemeente.min_effective_n``) hides those cells as well.
* Complementary suppression (``protect``): see its docstring.

Age groups
==========
* "issue" (the product issue): 16-25, 26-64, 65-74, 75+.
* "monitor" (the age bands of the GGD Gezondheidsmonitor Volwassenen en Ouderen, an adults' survey from 18):
  18-34, 35-49, 50-64, 65-74, 75+; ages 16 and 17 have no group in this scheme.
Ages below the scheme's first band, missing ages (None, NaN) and non-finite ages give None. Ages are in
completed years; a fractional age is floored (25.9 -> 25).
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, make_dataclass, replace
from typing import Any

import numpy as np

__all__ = [
    "AGE_SCHEMES",
    "DEFAULT_MIN_N",
    "Z95",
    "Cell",
    "CellId",
    "Coded",
    "EstimateTable",
    "age_group",
    "age_groups",
    "estimate",
    "estimate_levels",
    "estimate_table",
    "hierarchy",
    "protect",
]

Z95 = 1.959964
DEFAULT_MIN_N = 50

CellId = tuple[tuple[str, ...], tuple]
"""A cell's identity within one indicator: (the grouping columns, the group values)."""

# (lowest age, highest age or None for open-ended, label)
AGE_SCHEMES: dict[str, tuple[tuple[int, int | None, str], ...]] = {
    "issue": ((16, 25, "16-25"), (26, 64, "26-64"), (65, 74, "65-74"), (75, None, "75+")),
    "monitor": ((18, 34, "18-34"), (35, 49, "35-49"), (50, 64, "50-64"), (65, 74, "65-74"), (75, None, "75+")),
}


# ----------------------------------------------------------------------------------------------- data classes


@dataclass(frozen=True, slots=True)
class Cell:
    """One published (or suppressed) figure: the share of ``indicator`` in the cell with group values ``keys``
    of the grouping columns ``by``. Shares are fractions 0-1; None where there is no figure."""

    keys: tuple
    indicator: str
    n: int
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: bool
    weight_sum: float
    se: float | None = None
    by: tuple[str, ...] = ()
    effective_n: float | None = None  # Kish: (sum w)^2 / sum w^2 over the valid rows; None where sum w = 0

    @property
    def id(self) -> CellId:
        return (self.by, self.keys)

    @property
    def variance(self) -> float | None:
        return None if self.se is None else self.se * self.se


@dataclass(frozen=True, eq=False)
class Coded:
    """An integer-coded column: ``codes[i]`` indexes ``labels``; -1 is missing. Cells are ordered by code."""

    codes: np.ndarray
    labels: tuple

    def __post_init__(self):
        codes = np.asarray(self.codes)
        if codes.ndim != 1 or (codes.size and codes.dtype.kind not in "iu"):
            raise ValueError("Coded.codes must be a 1-D integer array.")
        if codes.size and (codes.min() < -1 or codes.max() >= len(self.labels)):
            raise ValueError("Coded.codes must lie in -1 .. len(labels) - 1.")
        object.__setattr__(self, "codes", codes.astype(np.intp, copy=False))
        object.__setattr__(self, "labels", tuple(self.labels))

    def __len__(self) -> int:
        return len(self.codes)

    def decode(self) -> np.ndarray:
        """The labels as an object array, None where missing."""
        table = np.array([*self.labels, None], dtype=object)
        return table[self.codes]  # code -1 picks the trailing None


@dataclass(frozen=True, eq=False)
class EstimateTable:
    """All cells of one grouping, as arrays of shape (number of cells, number of indicators).

    ``keys[i]`` are the group values of cell i; float arrays hold NaN where the Cell would hold None."""

    by: tuple[str, ...]
    indicators: tuple[str, ...]
    keys: list[tuple]
    n: np.ndarray
    weight_sum: np.ndarray
    estimate: np.ndarray
    se: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    suppressed: np.ndarray
    min_n: int
    effective_n: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.keys) * len(self.indicators)

    def cells(self) -> list[Cell]:
        """The Cells, cell by cell and within a cell in indicator order."""
        k = len(self.indicators)
        effective = self.effective_n if self.effective_n is not None else np.full(self.n.shape, np.nan)
        cols = [_none_for_nan(a.ravel()) for a in (self.estimate, self.ci_low, self.ci_high, self.se, effective)]
        n = self.n.ravel().tolist()
        wsum = self.weight_sum.ravel().tolist()
        sup = self.suppressed.ravel().tolist()
        keys = [key for key in self.keys for _ in range(k)]
        indicators = list(self.indicators) * len(self.keys)
        by = self.by
        make = _make_cell
        return [
            make(key, ind, nn, est, lo, hi, s, ws, se, by, eff)
            for key, ind, nn, est, lo, hi, se, eff, s, ws in zip(
                keys, indicators, n, cols[0], cols[1], cols[2], cols[3], cols[4], sup, wsum, strict=True
            )
        ]


def _fast_cell_maker():
    """A faster way to build many frozen Cells: a frozen dataclass's __init__ goes through object.__setattr__
    per field, which makes it about twice as slow as a plain slotted one. So build a plain slotted twin with
    the same fields (same slot layout) and switch its class to Cell. Falls back to Cell itself where the
    switch is not possible."""
    twin = make_dataclass("_CellTwin", [(f.name, f.type) for f in fields(Cell)], slots=True)

    def make(*values):
        cell = twin(*values)
        cell.__class__ = Cell
        return cell

    try:
        probe = make((), "", 0, None, None, None, False, 0.0, None, (), None)
    except TypeError:
        return Cell
    if probe != Cell((), "", 0, None, None, None, False, 0.0, None, (), None):
        return Cell
    return make


def _none_for_nan(a: np.ndarray) -> list:
    values = a.tolist()
    if np.isnan(a).any():
        return [None if v != v else v for v in values]
    return values


_make_cell = _fast_cell_maker()


# --------------------------------------------------------------------------------------------------- age groups


def _scheme(scheme: str) -> tuple[tuple[int, int | None, str], ...]:
    try:
        return AGE_SCHEMES[scheme]
    except KeyError:
        raise ValueError(f"Unknown age scheme {scheme!r}; known: {', '.join(AGE_SCHEMES)}.") from None


def age_group(age: Any, scheme: str = "issue") -> str | None:
    """The age group of one age (completed years), or None (below the first band, missing, not finite)."""
    bands = _scheme(scheme)
    if age is None or isinstance(age, bool):
        return None
    try:
        value = float(age)
    except (TypeError, ValueError):
        raise ValueError(f"Age {age!r} is not a number.") from None
    if not math.isfinite(value):
        return None
    years = math.floor(value)
    for low, high, label in bands:
        if years >= low and (high is None or years <= high):
            return label
    return None


def age_groups(ages: Any, scheme: str = "issue") -> Coded:
    """Vectorised ``age_group``: a Coded column (code -1 where the age has no group)."""
    bands = _scheme(scheme)
    a = np.asarray(ages)
    if a.dtype.kind == "O":
        a = np.array([np.nan if v is None else v for v in a.tolist()], dtype=float)
    a = np.floor(a.astype(float, copy=False))
    # Bands are contiguous from the first lower bound up: codes from the lower bounds.
    lows = np.array([low for low, _, _ in bands], dtype=float)
    codes = np.searchsorted(lows, a, side="right") - 1  # -1 below the first band; NaN sorts last
    codes[~np.isfinite(a)] = -1
    return Coded(codes.astype(np.intp), tuple(label for _, _, label in bands))


# ------------------------------------------------------------------------------------------------ factorising


@dataclass(frozen=True, eq=False)
class _Factor:
    codes: np.ndarray  # intp, -1 = missing
    uniques: list  # Python values, in code order
    has_missing: bool


def _dense_limit(n_rows: int) -> int:
    return max(4 * n_rows, 1 << 16)


def _factorize_int(a: np.ndarray) -> tuple[np.ndarray, list]:
    if a.size == 0:
        return np.zeros(0, np.intp), []
    if a.dtype.kind == "u" and a.max() > np.iinfo(np.int64).max:
        uniq, inv = np.unique(a, return_inverse=True)
        return inv.astype(np.intp), uniq.tolist()
    a = a.astype(np.int64, copy=False)
    lo, hi = int(a.min()), int(a.max())
    if hi - lo < _dense_limit(a.size):
        shifted = a - lo
        occupied = np.bincount(shifted, minlength=hi - lo + 1) > 0
        rank = np.cumsum(occupied) - 1
        return rank[shifted].astype(np.intp), (np.flatnonzero(occupied) + lo).tolist()
    uniq, inv = np.unique(a, return_inverse=True)
    return inv.astype(np.intp), uniq.tolist()


def _factorize_fixed_str(a: np.ndarray) -> tuple[np.ndarray, list]:
    """Fixed-width strings: packed 8 bytes at a time into big-endian uint64 words (order preserving),
    each word factorised as integers and combined; much faster than sorting the strings."""
    n = a.size
    if n == 0:
        return np.zeros(0, np.intp), []
    a = np.ascontiguousarray(a)
    if a.dtype.kind == "U":
        width = a.dtype.itemsize // 4
        points = a.view(np.uint32).reshape(n, width) if width else np.zeros((n, 0), np.uint32)
        if width and points.max() >= 256:  # beyond Latin-1: sort the strings themselves
            uniq, inv = np.unique(a, return_inverse=True)
            return inv.astype(np.intp), uniq.tolist()
        raw = points.astype(np.uint8)
    else:
        width = a.dtype.itemsize
        raw = a.view(np.uint8).reshape(n, width)
    n_words = max(1, -(-width // 8))
    padded = np.zeros((n, n_words * 8), np.uint8)
    padded[:, :width] = raw
    words = padded.view(">u8").astype(np.uint64)
    factors = []
    for j in range(n_words):
        column = words[:, j]
        if column.size and (column == column[0]).all():
            continue
        uniq, inv = np.unique(column, return_inverse=True)
        factors.append(_Factor(inv.astype(np.intp), uniq.tolist(), False))
    cell, n_cells, rep, _ = _combine(factors, n)
    return cell, a[rep].tolist()


def _is_missing_object(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and v != v:
        return True
    return type(v).__name__ in ("NAType", "NaTType")


def _factorize_object(a: np.ndarray, name: str) -> tuple[np.ndarray, list, bool]:
    values = a.tolist()
    try:
        distinct = [v for v in dict.fromkeys(values) if not _is_missing_object(v)]
    except TypeError:
        raise ValueError(f"Column {name!r} holds values that cannot be grouped (unhashable).") from None
    try:
        distinct.sort()
    except TypeError:
        raise ValueError(f"Column {name!r} mixes values of different types.") from None
    index = {v: i for i, v in enumerate(distinct)}
    get = index.get
    codes = np.fromiter((get(v, -1) for v in values), dtype=np.intp, count=len(values))
    # A missing value that compares equal to a key (cannot happen for None/NaN) would be caught here.
    return codes, distinct, bool((codes < 0).any())


def _factorize(values: Any, name: str, n_rows: int) -> _Factor:
    if isinstance(values, Coded):
        if len(values) != n_rows:
            raise ValueError(f"Column {name!r} has {len(values)} values, the weights {n_rows}.")
        codes = values.codes
        return _Factor(codes, list(values.labels), bool(codes.size and codes.min() < 0))
    a = np.asarray(values)
    if a.ndim != 1:
        raise ValueError(f"Column {name!r} must be one-dimensional.")
    if a.size != n_rows:
        raise ValueError(f"Column {name!r} has {a.size} values, the weights {n_rows}.")
    kind = a.dtype.kind
    if kind == "b":
        codes, uniq = _factorize_int(a.astype(np.int8))
        return _Factor(codes, [bool(u) for u in uniq], False)
    if kind in "iu":
        codes, uniq = _factorize_int(a)
        return _Factor(codes, uniq, False)
    if kind == "f":
        missing = np.isnan(a)
        if not missing.any():
            uniq, inv = np.unique(a, return_inverse=True)
            return _Factor(inv.astype(np.intp), uniq.tolist(), False)
        codes = np.full(a.size, -1, np.intp)
        uniq, inv = np.unique(a[~missing], return_inverse=True)
        codes[~missing] = inv
        return _Factor(codes, uniq.tolist(), True)
    if kind in "US":
        codes, uniq = _factorize_fixed_str(a)
        return _Factor(codes, uniq, False)
    if kind == "O":
        codes, uniq, has_missing = _factorize_object(a, name)
        return _Factor(codes, uniq, has_missing)
    raise ValueError(f"Column {name!r} has an unsupported type ({a.dtype}).")


def _combine(factors: Sequence[_Factor], n_rows: int) -> tuple[np.ndarray, int, np.ndarray, np.ndarray | None]:
    """Cell codes for the combination of factors (lexicographic in the factors' code order).

    Returns (cell, n_cells, rep, included): cell[i] in 0..n_cells-1 for included rows and n_cells (a spare
    bin) for rows with a missing value in some factor; rep[c] is a row of cell c; included is None when every
    row is included, else a boolean mask."""
    included = None
    for f in factors:
        if f.has_missing:
            m = f.codes >= 0
            included = m if included is None else included & m
    rows = np.arange(n_rows) if included is None else np.flatnonzero(included)
    key = np.zeros(rows.size, np.int64)
    radix = 1
    for f in factors:
        k = max(len(f.uniques), 1)
        if radix * k >= 1 << 62:  # compress the key so far to its distinct values
            uniq, inv = np.unique(key, return_inverse=True)
            key, radix = inv.astype(np.int64), len(uniq)
        codes = f.codes if included is None else f.codes[rows]
        key = key * k + codes
        radix *= k
    if not factors:
        key_cell = np.zeros(rows.size, np.intp)
        n_cells = 1
    elif radix <= _dense_limit(n_rows):
        occupied = np.bincount(key, minlength=radix) > 0
        n_cells = int(occupied.sum())
        key_cell = (np.cumsum(occupied) - 1)[key].astype(np.intp)
    else:
        uniq, inv = np.unique(key, return_inverse=True)
        n_cells = len(uniq)
        key_cell = inv.astype(np.intp)
    rep = np.zeros(n_cells, np.intp)
    rep[key_cell] = rows  # any row of the cell will do
    if included is None:
        cell = key_cell
    else:
        cell = np.full(n_rows, n_cells, np.intp)
        cell[rows] = key_cell
    return cell, n_cells, rep, included


@dataclass(frozen=True, eq=False)
class _Grouping:
    by: tuple[str, ...]
    cell: np.ndarray  # intp; n_cells for rows outside every cell
    n_cells: int
    keys: list[tuple]


def _grouping(by: Sequence[str], factor_of, n_rows: int) -> _Grouping:
    factors = [factor_of(name) for name in by]
    cell, n_cells, rep, _ = _combine(factors, n_rows)
    if n_rows == 0 and by:
        n_cells, rep = 0, rep[:0]
    columns = [[f.uniques[c] for c in f.codes[rep].tolist()] for f in factors]
    keys = list(zip(*columns, strict=True)) if factors else [()] * n_cells
    return _Grouping(tuple(by), cell, n_cells, keys)


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


# --------------------------------------------------------------------------------------------------- estimating


@dataclass(frozen=True, eq=False)
class _Pairs:
    """The (cell, stratum) pairs of one grouping in a stratified design, shared by all outcomes."""

    rows: np.ndarray  # the rows that lie in a cell
    cell: np.ndarray  # their cell
    pair: np.ndarray  # their pair
    pair_cell: np.ndarray  # per pair: the cell
    n_h: np.ndarray  # per pair: rows of the stratum in the whole input
    m: np.ndarray  # per pair: rows of the cell in the stratum (any outcome)


def _pairs(g: _Grouping, s: _Strata) -> _Pairs:
    rows = np.flatnonzero(g.cell < g.n_cells)
    c = g.cell[rows]
    key = c.astype(np.int64) * s.n_strata + s.codes[rows]
    if g.n_cells * s.n_strata <= _dense_limit(g.cell.size):
        counts = np.bincount(key, minlength=g.n_cells * s.n_strata)
        occupied = counts > 0
        pair_key = np.flatnonzero(occupied)
        pair = (np.cumsum(occupied) - 1)[key]
        m = counts[occupied].astype(float)
    else:
        pair_key, pair = np.unique(key, return_inverse=True)
        m = np.bincount(pair, minlength=pair_key.size).astype(float)
    return _Pairs(rows, c, pair, pair_key // s.n_strata, s.size[pair_key % s.n_strata], m)


def _stratified_sum(g: _Grouping, pairs: _Pairs, o: _Outcome, p: np.ndarray) -> np.ndarray:
    """sum_h n_h/(n_h-1) * sum_{i in h} (z_i - zbar_h)^2 per cell, z = w (y - p) in the domain, 0 elsewhere.

    Rows of the cell with a missing outcome are zero rows like the rows outside the cell; the bincount of the
    squared deviations covers the cell's m rows in the stratum, (n_h - m) * zbar^2 the stratum's other rows."""
    rows, n_pairs = pairs.rows, pairs.pair_cell.size
    z = o.w1[rows] - p[pairs.cell] * (o.w1[rows] + o.w0[rows])  # w (y - p) where valid, else 0
    zbar = np.bincount(pairs.pair, weights=z, minlength=n_pairs) / pairs.n_h
    dev = z - zbar[pairs.pair]
    within = np.bincount(pairs.pair, weights=dev * dev, minlength=n_pairs) + (pairs.n_h - pairs.m) * zbar * zbar
    with np.errstate(divide="ignore", invalid="ignore"):
        contribution = np.where(pairs.n_h > 1, pairs.n_h / (pairs.n_h - 1) * within, 0.0)  # n_h = 1: certainty
    return np.bincount(pairs.pair_cell, weights=contribution, minlength=g.n_cells)


def _estimate_grouping(
    g: _Grouping,
    outcomes: Sequence[tuple[str, _Outcome]],
    min_n: int,
    strata: _Strata | None,
) -> EstimateTable:
    shape = (g.n_cells, len(outcomes))
    n_arr = np.zeros(shape, np.int64)
    wsum, est, se = np.zeros(shape), np.full(shape, np.nan), np.full(shape, np.nan)
    effective = np.full(shape, np.nan)
    bins = g.n_cells + 1  # the spare bin gathers rows outside every cell
    pairs = None if strata is None else _pairs(g, strata)
    for j, (_, o) in enumerate(outcomes):
        n = np.bincount(g.cell, weights=o.valid, minlength=bins)[:-1]
        w1 = np.bincount(g.cell, weights=o.w1, minlength=bins)[:-1]
        w0 = np.bincount(g.cell, weights=o.w0, minlength=bins)[:-1]
        total = w1 + w0
        q1 = np.bincount(g.cell, weights=o.q1, minlength=bins)[:-1]
        q0 = np.bincount(g.cell, weights=o.q0, minlength=bins)[:-1]
        with np.errstate(divide="ignore", invalid="ignore"):
            p = np.where(total > 0, w1 / total, np.nan)
            effective[:, j] = np.where(total > 0, total * total / (q1 + q0), np.nan)
            if strata is None:
                squares = q1 * (1.0 - p) ** 2 + q0 * p * p
                var = n / (n - 1.0) * squares / (total * total)
            else:
                var = _stratified_sum(g, pairs, o, p) / (total * total)
        var = np.where(n >= 2, var, np.nan)
        n_arr[:, j] = np.rint(n).astype(np.int64)
        wsum[:, j] = total
        est[:, j] = p
        se[:, j] = np.sqrt(var)
    suppressed = n_arr < min_n
    est[suppressed] = np.nan
    se[suppressed | np.isnan(est)] = np.nan
    half = Z95 * se
    return EstimateTable(
        by=g.by,
        indicators=tuple(name for name, _ in outcomes),
        keys=g.keys,
        n=n_arr,
        weight_sum=wsum,
        estimate=est,
        se=se,
        ci_low=est - half,
        ci_high=est + half,
        suppressed=suppressed,
        min_n=min_n,
        effective_n=effective,
    )


class _Inputs:
    """Validated inputs with a cache of factorised columns, shared by several groupings."""

    def __init__(self, columns: Mapping[str, Any], outcomes: Mapping[str, Any], weights: Any, min_n: Any,
                 strata: Any):
        self.w = _weights(weights)
        self.min_n = _check_min_n(min_n)
        self.columns = columns
        self.outcome_values = [(str(name), outcomes[name]) for name in list(outcomes)]
        if not self.outcome_values:
            raise ValueError("Give at least one outcome (indicator).")
        self.strata = _strata(strata, self.w.size)
        self._factors: dict[str, _Factor] = {}
        self._outcomes: dict[str, _Outcome] = {}

    def factor(self, name: str) -> _Factor:
        if name not in self._factors:
            if name not in self.columns:
                raise ValueError(f"Unknown grouping column {name!r}; known: {', '.join(map(str, self.columns))}.")
            self._factors[name] = _factorize(self.columns[name], name, self.w.size)
        return self._factors[name]

    def grouping(self, by: Sequence[str]) -> _Grouping:
        by = tuple(by)
        if len(set(by)) != len(by):
            raise ValueError(f"A grouping column appears twice in {by}.")
        return _grouping(by, self.factor, self.w.size)

    def outcome(self, name: str, values: Any) -> _Outcome:
        if name not in self._outcomes:
            self._outcomes[name] = _outcome(name, values, self.w)
        return self._outcomes[name]


def estimate_table(
    columns: Mapping[str, Any],
    outcomes: Mapping[str, Any],
    weights: Any,
    by: Sequence[str],
    min_n: int = DEFAULT_MIN_N,
    strata: Any = None,
) -> EstimateTable:
    """Weighted shares, n and 95% intervals of every outcome in every cell of ``by`` (see the module doc)."""
    return estimate_levels(columns, outcomes, weights, [by], min_n=min_n, strata=strata)[tuple(by)]


def estimate(
    columns: Mapping[str, Any],
    outcomes: Mapping[str, Any],
    weights: Any,
    by: Sequence[str],
    min_n: int = DEFAULT_MIN_N,
    strata: Any = None,
) -> list[Cell]:
    """``estimate_table(...).cells()``: one Cell per cell of ``by`` and outcome."""
    return estimate_table(columns, outcomes, weights, by, min_n=min_n, strata=strata).cells()


def estimate_levels(
    columns: Mapping[str, Any],
    outcomes: Mapping[str, Any],
    weights: Any,
    levels: Iterable[Sequence[str]],
    min_n: int = DEFAULT_MIN_N,
    strata: Any = None,
) -> dict[tuple[str, ...], EstimateTable]:
    """``estimate_table`` for several groupings (``levels``) in one go, keyed by ``tuple(by)``.

    Each column is factorised once and each outcome's row arrays are built once; every (grouping, outcome)
    then costs five ``np.bincount`` calls (plus two passes per stratum pair in a stratified design)."""
    inputs = _Inputs(columns, outcomes, weights, min_n, strata)
    groupings = {}
    for by in levels:
        key = tuple(by)
        if key not in groupings:
            groupings[key] = inputs.grouping(key)
    prepared = [(name, inputs.outcome(name, values)) for name, values in inputs.outcome_values]
    return {
        key: _estimate_grouping(g, prepared, inputs.min_n, inputs.strata) for key, g in groupings.items()
    }


# ------------------------------------------------------------------------------------------ secondary suppression


def hierarchy(
    columns: Mapping[str, Any], relations: Iterable[tuple[Sequence[str], Sequence[str]]]
) -> list[tuple[CellId, tuple[CellId, ...]]]:
    """Parent cells and the child cells that make them up, from the microdata, for ``protect``.

    ``relations`` lists (parent_by, child_by) pairs, e.g. (("gemeente", "year"), ("wijk", "year")) or
    (("wijk", "year"), ("wijk", "year", "age_group")). A child cell belongs to the parent cell of its rows;
    ValueError when the rows of one child cell lie in more than one parent cell (the grouping is not nested).
    Rows with a missing value in the child's grouping belong to no child: they make the parent's remainder."""
    relations = [(tuple(parent_by), tuple(child_by)) for parent_by, child_by in relations]
    names = [name for parent_by, child_by in relations for name in (*parent_by, *child_by)]
    if not names:
        return []
    if names[0] not in columns:
        raise ValueError(f"Unknown grouping column {names[0]!r}.")
    first = columns[names[0]]
    n_rows = len(first) if isinstance(first, Coded) else np.asarray(first).size
    cache: dict[str, _Factor] = {}

    def factor_of(name: str) -> _Factor:
        if name not in cache:
            if name not in columns:
                raise ValueError(f"Unknown grouping column {name!r}.")
            cache[name] = _factorize(columns[name], name, n_rows)
        return cache[name]

    result = []
    for parent_by, child_by in relations:
        parent = _grouping(parent_by, factor_of, n_rows)
        child = _grouping(child_by, factor_of, n_rows)
        both = (parent.cell < parent.n_cells) & (child.cell < child.n_cells)
        pair = child.cell[both].astype(np.int64) * max(parent.n_cells, 1) + parent.cell[both]
        pairs = np.unique(pair)
        child_of_pair, parent_of_pair = pairs // max(parent.n_cells, 1), pairs % max(parent.n_cells, 1)
        counts = np.bincount(child_of_pair, minlength=child.n_cells)
        if (counts > 1).any():
            c = int(np.flatnonzero(counts > 1)[0])
            raise ValueError(
                f"{child_by} is not nested in {parent_by}: cell {child.keys[c]} lies in "
                f"{int(counts[c])} parent cells."
            )
        children = defaultdict(list)
        for c, p in zip(child_of_pair.tolist(), parent_of_pair.tolist(), strict=True):
            children[p].append((child.by, child.keys[c]))
        for p in sorted(children):
            result.append(((parent.by, parent.keys[p]), tuple(children[p])))
    return result


def protect(
    cells: Iterable[Cell],
    hierarchy: Iterable[tuple[CellId, Sequence[CellId]]],
    min_n: int = DEFAULT_MIN_N,
) -> list[Cell]:
    """Primary and complementary (secondary) suppression, so that totals never let a suppressed cell be
    derived by subtraction.

    ``hierarchy`` lists (parent id, child ids): the child cells that together make up the parent (ids are
    ``Cell.id`` = (by, keys); see ``hierarchy()``). It applies to every indicator of ``cells``; per indicator
    the cells are matched by id, and ids without a cell are ignored. Returns the cells in the given order,
    with every cell that must be hidden replaced by a suppressed copy (estimate, se, ci_low, ci_high None).

    Why: a parent's weighted share is the weighted average of its children's shares, so the parent's share and
    n with all but one child's share and n reveal (nearly, exactly with the weight sums) the missing child.

    Rules, per indicator, applied again and again until none applies (each step hides one more cell, so it
    ends). n is the cell's valid respondents; rem = n(parent) - sum of n of the parent's unsuppressed children
    is the part of the parent that subtraction would reveal:

    0. primary: a cell with n < min_n is suppressed;
    1. a parent with two or more children of which exactly one is suppressed: also suppress the unsuppressed
       child with the smallest n (ties: the first in ``cells``) -- whether the parent is shown or not;
    2. a shown parent with 0 < rem < min_n (children that do not fully make up the parent leave a small rest
       that subtraction would reveal, e.g. a child with n >= min_n where n(parent) minus the other children
       is below min_n): suppress the smallest unsuppressed child;
    3. a suppressed parent with an unsuppressed child and rem < min_n (the parent could be rebuilt from its
       children): suppress the smallest unsuppressed child;
    4. a parent whose only child is suppressed is suppressed too.

    Afterwards: no cell with n < min_n is shown; no parent with two or more children has exactly one suppressed
    child; a shown parent has rem = 0 or rem >= min_n; a suppressed parent with a shown child has
    rem >= min_n. (A single-child parent whose child is suppressed is itself suppressed, so it still has
    "exactly one suppressed child", unavoidably.)

    ValueError when the children's n add up to more than the parent's (not a hierarchy)."""
    min_n = _check_min_n(min_n)
    cells = list(cells)
    position = {}
    for i, c in enumerate(cells):
        key = (c.indicator, c.by, c.keys)
        if key in position:
            raise ValueError(f"Cell {c.by}={c.keys} ({c.indicator}) appears twice.")
        position[key] = i
    n = [c.n for c in cells]
    hidden = [c.suppressed or c.n < min_n for c in cells]
    indicators = list(dict.fromkeys(c.indicator for c in cells))
    families: list[tuple[int, tuple[int, ...]]] = []
    member_of: dict[int, list[int]] = defaultdict(list)
    for (parent_by, parent_keys), child_ids in hierarchy:
        for indicator in indicators:
            p = position.get((indicator, tuple(parent_by), tuple(parent_keys)))
            if p is None:
                continue
            found = (position.get((indicator, tuple(by), tuple(keys))) for by, keys in child_ids)
            children = tuple(dict.fromkeys(i for i in found if i is not None))
            if not children:
                continue
            if sum(n[c] for c in children) > n[p]:
                raise ValueError(
                    f"The children of {parent_by}={parent_keys} ({indicator}) have more respondents than it."
                )
            f = len(families)
            families.append((p, children))
            member_of[p].append(f)
            for c in children:
                member_of[c].append(f)

    queue = deque(range(len(families)))
    queued = [True] * len(families)
    while queue:
        f = queue.popleft()
        queued[f] = False
        target = _to_hide(families[f], n, hidden, min_n)
        if target is None:
            continue
        hidden[target] = True
        for g in member_of[target]:
            if not queued[g]:
                queued[g] = True
                queue.append(g)

    return [
        c if (c.suppressed or not hidden[i])
        else replace(c, estimate=None, ci_low=None, ci_high=None, se=None, suppressed=True)
        for i, c in enumerate(cells)
    ]


def _to_hide(family: tuple[int, tuple[int, ...]], n: list[int], hidden: list[bool], min_n: int) -> int | None:
    parent, children = family
    shown = [c for c in children if not hidden[c]]
    smallest = min(shown, key=lambda c: (n[c], c)) if shown else None
    if len(children) == 1:
        if hidden[children[0]] and not hidden[parent]:
            return parent  # rule 4
    elif len(children) - len(shown) == 1:
        return smallest  # rule 1
    if smallest is None:
        return None
    rem = n[parent] - sum(n[c] for c in shown)
    if not hidden[parent] and 0 < rem < min_n:
        return smallest  # rule 2
    if hidden[parent] and rem < min_n:
        return smallest  # rule 3
    return None
