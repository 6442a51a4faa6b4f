"""The records of an estimate: a ``Cell`` (one group's weighted share, interval, n and effective n), the
coded columns and the ``EstimateTable`` of one indicator."""

from __future__ import annotations

from dataclasses import dataclass, fields, make_dataclass

import numpy as np

Z95 = 1.959964
DEFAULT_MIN_N = 50

CellId = tuple[tuple[str, ...], tuple]
"""A cell's identity within one indicator: (the grouping columns, the group values)."""


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
    interval: str | None = None  # the interval method (intervals.METHODS); None: R's confint, not cut off

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
