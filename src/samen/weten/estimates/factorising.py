"""Grouping columns to integer cell codes, once (numpy), and their combinations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from samen.weten.estimates.cells import Coded

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
