"""Primary and secondary (complementary) suppression of small cells over a hierarchy: ``hierarchy`` and
``protect``."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from samen.weten.estimates.cells import DEFAULT_MIN_N, Cell, CellId, Coded
from samen.weten.estimates.factorising import _Factor, _factorize, _grouping
from samen.weten.estimates.validation import _check_min_n

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
