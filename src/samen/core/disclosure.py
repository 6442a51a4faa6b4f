"""Small counts kept from those who may not see the records behind them (the beleidsadviseur's tables).

A count of 1 to ``minimum - 1`` people is hidden (primary suppression). Hiding it alone is not enough when
the table also shows what it adds up to: the column's total minus the other rows, or a row's whole minus its
other parts, gives it back. So, until nothing changes (complementary suppression):

- a column whose total is shown never has exactly one hidden cell: the smallest other non-zero cell is hidden
  too, or, when there is none, the total;
- a row whose ``parts`` add up to its ``whole`` never has exactly one hidden cell among them (the whole
  included); the same for the totals row;
- a total of 1 to ``minimum - 1`` is hidden itself.

Zeros stay visible: "nobody" points at no one. Hidden values come back as None (shown as "<5").

``protect_families`` is the general form, for figures published in several tables at once (the survey
monitor's shares, by area, age scheme and sex): a set of cells with their sizes and a list of *families*, a
whole and the parts that add up to it (sizes and weighted numerators are additive), and complementary
suppression to a fixpoint across all of them. See its docstring.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Mapping, Sequence

MINIMUM = 5


def protect(rows: Sequence[dict], columns: Sequence[str], *, parts: Sequence[str] = (), whole: str | None = None,
            minimum: int = MINIMUM) -> tuple[list[dict], dict]:
    """(rows, totals) with the hidden counts as None; other keys of the rows are kept as they are.

    ``columns`` are the counts shown; ``parts`` (a subset) add up to ``whole`` in every row."""
    group = [*parts, whole] if whole else []
    totals = {c: sum(row[c] for row in rows) for c in columns}
    hidden = {(i, c) for i, row in enumerate(rows) for c in columns if 0 < row[c] < minimum}
    hidden_totals = {c for c in columns if 0 < totals[c] < minimum}

    def hide_smallest(cells: list[tuple[int, str]]) -> bool:
        """Hide the smallest visible non-zero cell of these (row index -1 = the totals row)."""
        value = {cell: (totals[cell[1]] if cell[0] < 0 else rows[cell[0]][cell[1]]) for cell in cells}
        candidates = [cell for cell in cells if value[cell] > 0 and not is_hidden(cell)]
        if not candidates:
            return False
        cell = min(candidates, key=lambda c: (value[c], c[1], c[0]))
        if cell[0] < 0:
            hidden_totals.add(cell[1])
        else:
            hidden.add(cell)
        return True

    def is_hidden(cell: tuple[int, str]) -> bool:
        return cell[1] in hidden_totals if cell[0] < 0 else cell in hidden

    changed = True
    while changed:
        changed = False
        for c in columns:
            if c in hidden_totals:
                continue
            cells = [(i, c) for i in range(len(rows))]
            if sum(map(is_hidden, cells)) == 1:
                if not hide_smallest(cells):
                    hidden_totals.add(c)
                changed = True
        for i in [*range(len(rows)), -1]:
            cells = [(i, c) for c in group]
            if group and sum(map(is_hidden, cells)) == 1:
                changed = hide_smallest(cells) or changed
    out = [{**row, **{c: None for c in columns if (i, c) in hidden}} for i, row in enumerate(rows)]
    return out, {c: (None if c in hidden_totals else totals[c]) for c in columns}


def protect_families(sizes: Mapping[Hashable, int],
                     families: Iterable[tuple[Sequence[Hashable], Sequence[Hashable]]],
                     hidden: Iterable[Hashable], *, minimum: int) -> set[Hashable]:
    """Complementary suppression over every linear relation the published tables make together.

    ``sizes``: every published cell and its size (respondents), additive like its weighted numerator;
    ``families``: pairs (wholes, parts) of two lists of disjoint cells where the parts lie within the
    wholes: usually one whole and the parts that add up to it, but also two partitions of nearly the same
    respondents (16-25 + 26-64 and 18-34 + 35-49 + 50-64); ``hidden``: the primary-suppressed cells.
    Returns every cell to hide: the primary ones and the complementary ones.

    A family whose members but one are published gives that one back by subtraction (the wholes minus the
    other parts, for its size and for its weighted numerator, hence its share). So, again and again across
    all families until none applies (a cell hidden for one family may leave another family with a single
    hidden member), with ``rest`` = size(wholes) - size(parts), the respondents of the wholes in no part
    (never published on their own):

    * rest = 0: a family with exactly one hidden member hides a second, its smallest published member;
    * 0 < rest < minimum: the rest is itself a small group, and knowing it nearly is knowing it; a family
      with at most one hidden member hides its smallest published member (no member hidden: the rest
      alone would come out; one: it would come out with the rest, a group of fewer than 2 x minimum);
    * rest >= minimum: the rest is a group large enough to publish, and it is unknown, so subtraction
      gives at most the sum of a hidden member and the rest: nothing to do.

    Members of size 0 hold nobody: they neither need nor give protection. Ties go to the cell first in
    ``sizes``. Each step hides one more cell, so it ends. Afterwards no family without a rest has exactly one
    hidden member, no family with a small rest has fewer than two (unless all are hidden), and every
    primary cell is still hidden.

    ValueError when the parts of a family are larger than its wholes or a cell is not in ``sizes``."""
    order = {cell: i for i, cell in enumerate(sizes)}
    hidden_set = set(hidden)
    unknown = [c for c in hidden_set if c not in order]
    if unknown:
        raise ValueError(f"Hidden cell {unknown[0]!r} is not among the cells.")
    prepared: list[tuple[tuple[Hashable, ...], int]] = []
    member_of: dict[Hashable, list[int]] = defaultdict(list)
    for wholes, parts in families:
        for cell in (*wholes, *parts):
            if cell not in order:
                raise ValueError(f"Family member {cell!r} is not among the cells.")
        rest = sum(sizes[w] for w in wholes) - sum(sizes[p] for p in parts)
        if rest < 0:
            raise ValueError(f"The parts of {list(wholes)!r} are larger than they are.")
        if set(wholes) & set(parts):
            raise ValueError(f"A cell is both whole and part in the family of {list(wholes)!r}.")
        members = tuple(dict.fromkeys(c for c in (*wholes, *parts) if sizes[c] > 0))
        if len(members) < 2 and rest == 0:
            continue
        index = len(prepared)
        prepared.append((members, rest))
        for cell in members:
            member_of[cell].append(index)

    def to_hide(members: tuple[Hashable, ...], rest: int) -> Hashable | None:
        if rest >= minimum:
            return None
        shown = [c for c in members if c not in hidden_set]
        hidden_count = len(members) - len(shown)
        if not shown or hidden_count > 1 or (rest == 0 and hidden_count == 0):
            return None
        return min(shown, key=lambda c: (sizes[c], order[c]))

    queue = deque(range(len(prepared)))
    queued = [True] * len(prepared)
    while queue:
        index = queue.popleft()
        queued[index] = False
        cell = to_hide(*prepared[index])
        if cell is None:
            continue
        hidden_set.add(cell)
        for other in member_of[cell]:
            if not queued[other]:
                queued[other] = True
                queue.append(other)
    return hidden_set
