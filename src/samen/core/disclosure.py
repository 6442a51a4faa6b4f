"""Small counts kept from those who may not see the records behind them (the beleidsadviseur's tables).

A count of 1 to ``minimum - 1`` people is hidden (primary suppression). Hiding it alone is not enough when
the table also shows what it adds up to: the column's total minus the other rows, or a row's whole minus its
other parts, gives it back. So, until nothing changes (complementary suppression):

- a column whose total is shown never has exactly one hidden cell: the smallest other non-zero cell is hidden
  too, or, when there is none, the total;
- a row whose ``parts`` add up to its ``whole`` never has exactly one hidden cell among them (the whole
  included); the same for the totals row;
- a total of 1 to ``minimum - 1`` is hidden itself.

Zeros stay visible: "nobody" points at no one. Hidden values come back as None (shown as "<5"). The survey
figures have their own, weighted protection (weten.estimates.protect, ADR 16); this is for plain counts.
"""

from __future__ import annotations

from collections.abc import Sequence

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
