"""Weighted shares with 95% intervals per cell: ``estimate_table``, ``estimate`` and ``estimate_levels``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from samen.weten.estimates.cells import DEFAULT_MIN_N, Z95, Cell, EstimateTable
from samen.weten.estimates.factorising import _dense_limit, _Factor, _factorize, _Grouping, _grouping
from samen.weten.estimates.intervals import bounds, check_method
from samen.weten.estimates.validation import _check_min_n, _Outcome, _outcome, _Strata, _strata, _weights

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
    interval: str | None = None,
) -> EstimateTable:
    shape = (g.n_cells, len(outcomes))
    n_arr = np.zeros(shape, np.int64)
    wsum, est, se = np.zeros(shape), np.full(shape, np.nan), np.full(shape, np.nan)
    effective = np.full(shape, np.nan)
    df = np.full(shape, np.nan)
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
        df[:, j] = n - 1.0 if strata is None else n - _strata_in_cells(g, pairs, o)
        var = np.where(n >= 2, var, np.nan)
        n_arr[:, j] = np.rint(n).astype(np.int64)
        wsum[:, j] = total
        est[:, j] = p
        se[:, j] = np.sqrt(var)
    suppressed = n_arr < min_n
    est[suppressed] = np.nan
    se[suppressed | np.isnan(est)] = np.nan
    if interval is None:  # R's confint(svymean(...)) as computed, not cut off at 0 and 1
        half = Z95 * se
        ci_low, ci_high = est - half, est + half
    else:
        ci_low, ci_high = bounds(interval, est, se * se, n_arr, effective, df)
    return EstimateTable(
        by=g.by,
        indicators=tuple(name for name, _ in outcomes),
        keys=g.keys,
        n=n_arr,
        weight_sum=wsum,
        estimate=est,
        se=se,
        ci_low=ci_low,
        ci_high=ci_high,
        suppressed=suppressed,
        min_n=min_n,
        effective_n=effective,
        interval=interval,
    )


def _strata_in_cells(g: _Grouping, pairs: _Pairs, o: _Outcome) -> np.ndarray:
    """Per cell: the strata that hold at least one of its respondents with a valid outcome."""
    valid = np.bincount(pairs.pair, weights=o.valid[pairs.rows], minlength=pairs.pair_cell.size)
    return np.bincount(pairs.pair_cell, weights=(valid > 0).astype(float), minlength=g.n_cells)


class _Inputs:
    """Validated inputs with a cache of factorised columns, shared by several groupings."""

    def __init__(self, columns: Mapping[str, Any], outcomes: Mapping[str, Any], weights: Any, min_n: Any,
                 strata: Any, interval: str | None = None):
        self.interval = None if interval is None else check_method(interval)
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
    interval: str | None = None,
) -> EstimateTable:
    """Weighted shares, n and 95% intervals of every outcome in every cell of ``by`` (see the module doc)."""
    return estimate_levels(columns, outcomes, weights, [by], min_n=min_n, strata=strata,
                           interval=interval)[tuple(by)]


def estimate(
    columns: Mapping[str, Any],
    outcomes: Mapping[str, Any],
    weights: Any,
    by: Sequence[str],
    min_n: int = DEFAULT_MIN_N,
    strata: Any = None,
    interval: str | None = None,
) -> list[Cell]:
    """``estimate_table(...).cells()``: one Cell per cell of ``by`` and outcome."""
    return estimate_table(columns, outcomes, weights, by, min_n=min_n, strata=strata, interval=interval).cells()


def estimate_levels(
    columns: Mapping[str, Any],
    outcomes: Mapping[str, Any],
    weights: Any,
    levels: Iterable[Sequence[str]],
    min_n: int = DEFAULT_MIN_N,
    strata: Any = None,
    interval: str | None = None,
) -> dict[tuple[str, ...], EstimateTable]:
    """``estimate_table`` for several groupings (``levels``) in one go, keyed by ``tuple(by)``.

    Each column is factorised once and each outcome's row arrays are built once; every (grouping, outcome)
    then costs five ``np.bincount`` calls (plus two passes per stratum pair in a stratified design)."""
    inputs = _Inputs(columns, outcomes, weights, min_n, strata, interval)
    groupings = {}
    for by in levels:
        key = tuple(by)
        if key not in groupings:
            groupings[key] = inputs.grouping(key)
    prepared = [(name, inputs.outcome(name, values)) for name, values in inputs.outcome_values]
    return {
        key: _estimate_grouping(g, prepared, inputs.min_n, inputs.strata, inputs.interval)
        for key, g in groupings.items()
    }
