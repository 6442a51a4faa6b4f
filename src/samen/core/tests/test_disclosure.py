"""Small counts hidden, and never one hidden cell alone where a total or a whole would give it back."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from samen.core.disclosure import protect

COLUMNS = ["whole", "a", "b", "c", "extra"]


@st.composite
def tables(draw):
    n = draw(st.integers(0, 8))
    rows = []
    for index in range(n):
        a, b, c = (draw(st.integers(0, 40) | st.integers(0, 6)) for _ in range(3))
        rows.append({"label": f"wijk {index}", "a": a, "b": b, "c": c, "whole": a + b + c,
                     "extra": draw(st.integers(0, 12))})
    return rows


def hidden_in(values) -> int:
    return sum(value is None for value in values)


@settings(max_examples=300)
@given(tables())
def test_no_small_count_shows_and_no_hidden_cell_can_be_worked_back(rows):
    out, totals = protect(rows, COLUMNS, parts=["a", "b", "c"], whole="whole")
    for original, shown in zip(rows, out, strict=True):
        assert shown["label"] == original["label"]
        for c in COLUMNS:
            assert shown[c] in (None, original[c])  # shown as it is, or hidden
            if 0 < original[c] < 5:
                assert shown[c] is None
        assert hidden_in(shown[c] for c in ["whole", "a", "b", "c"]) != 1  # whole minus the other parts
    for c in COLUMNS:
        true_total = sum(row[c] for row in rows)
        assert totals[c] in (None, true_total)
        if 0 < true_total < 5:
            assert totals[c] is None
        if totals[c] is not None:
            assert hidden_in(row[c] for row in out) != 1  # total minus the other rows
    assert hidden_in(totals[c] for c in ["whole", "a", "b", "c"]) != 1


def test_a_single_small_cell_takes_the_next_smallest_with_it():
    rows = [{"n": 2}, {"n": 7}, {"n": 30}]
    out, totals = protect(rows, ["n"])
    assert [r["n"] for r in out] == [None, None, 30] and totals == {"n": 39}


def test_zeros_stay_and_a_small_total_goes():
    out, totals = protect([{"n": 0}, {"n": 3}], ["n"])
    assert [r["n"] for r in out] == [0, None] and totals == {"n": None}


def test_nothing_small_nothing_hidden():
    rows = [{"n": 5, "m": 0}, {"n": 12, "m": 9}]
    assert protect(rows, ["n", "m"]) == (rows, {"n": 17, "m": 9})
