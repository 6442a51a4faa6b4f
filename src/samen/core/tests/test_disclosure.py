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


# ------------------------------------------------------------------ families: protection across many tables

from samen.core.disclosure import protect_families  # noqa: E402

MINIMUM_N = 10


@st.composite
def published_tables(draw):
    """Cells as unions of atoms (groups of respondents); families: a cell and a partition of it into cells,
    sometimes leaving a rest; cells are shared between families as the same atoms make the same cell."""
    atoms = draw(st.lists(st.integers(0, 30) | st.integers(0, 3), min_size=2, max_size=9))
    families = []
    for _ in range(draw(st.integers(1, 8))):
        whole = draw(st.sets(st.sampled_from(range(len(atoms))), min_size=1))
        blocks = draw(st.lists(st.integers(0, 3), min_size=len(whole), max_size=len(whole)))
        parts = [frozenset(a for a, b in zip(sorted(whole), blocks, strict=True) if b == k) for k in range(4)]
        keep_rest = draw(st.booleans())  # block 3 is the rest, in no part
        kept = [p for k, p in enumerate(parts) if p and (k < 3 or not keep_rest)]
        if draw(st.booleans()):  # two partitions of the same respondents: kept, and atom by atom
            singles = [frozenset([a]) for a in sorted(set().union(*kept))]
            left, right = [k for k in kept if k not in singles], [a for a in singles if a not in kept]
            if left and right:
                families.append((left, right))
        if frozenset(whole) not in kept:
            families.append(([frozenset(whole)], kept))
    cells = {c for wholes, parts in families for c in (*wholes, *parts)}
    sizes = {c: sum(atoms[a] for a in c) for c in sorted(cells, key=sorted)}
    primary = {c for c in sizes if 0 < sizes[c] < MINIMUM_N}
    return sizes, families, primary


def peel(sizes, families, hidden):
    """The differencing attack: a family without a rest and with one unknown member gives it back."""
    known = {c for c in sizes if c not in hidden}
    recovered = set()
    changed = True
    while changed:
        changed = False
        for wholes, parts in families:
            if sum(sizes[w] for w in wholes) != sum(sizes[p] for p in parts):
                continue  # with a rest there is one more unknown
            unknown = [c for c in {*wholes, *parts} if c not in known and sizes[c] > 0]
            if len(unknown) == 1:
                known.add(unknown[0])
                recovered.add(unknown[0])
                changed = True
    return recovered


@settings(max_examples=400, deadline=None)
@given(published_tables())
def test_after_protection_no_family_has_one_hidden_member_and_nothing_is_worked_back(table):
    sizes, families, primary = table
    hidden = protect_families(sizes, families, primary, minimum=MINIMUM_N)
    assert primary <= hidden
    for wholes, parts in families:
        rest = sum(sizes[w] for w in wholes) - sum(sizes[p] for p in parts)
        members = [c for c in dict.fromkeys((*wholes, *parts)) if sizes[c] > 0]
        count = sum(c in hidden for c in members)
        shown = len(members) - count
        if rest == 0:
            assert count != 1 or len(members) == 1
        elif rest < MINIMUM_N:
            assert count >= 2 or shown == 0
    assert not peel(sizes, families, hidden)


@settings(max_examples=200, deadline=None)
@given(published_tables())
def test_protection_is_a_fixpoint(table):
    sizes, families, primary = table
    hidden = protect_families(sizes, families, primary, minimum=MINIMUM_N)
    assert protect_families(sizes, families, hidden, minimum=MINIMUM_N) == hidden


def test_one_hidden_buurt_hides_its_smallest_sibling_and_the_same_breakdown_a_level_up():
    # wijk = A + B + C; the age split of the wijk = the age splits of its buurten
    sizes = {"wijk": 540, "A": 40, "B": 300, "C": 200, "wijk 65+": 120, "A 65+": 10, "B 65+": 70, "C 65+": 40}
    families = [(["wijk"], ["A", "B", "C"]), (["wijk 65+"], ["A 65+", "B 65+", "C 65+"])]
    hidden = protect_families(sizes, families, {"A", "A 65+", "C 65+"}, minimum=50)
    assert hidden == {"A", "C", "A 65+", "C 65+"}  # C 65+ (primary) already protects A 65+
    assert protect_families(sizes, families, {"A", "A 65+"}, minimum=50) == {"A", "C", "A 65+", "C 65+"}


def test_a_small_rest_is_protected_and_a_large_rest_protects():
    sizes = {"whole": 100, "a": 60, "b": 35}  # rest 5: whole - a - b reveals five people
    # b hidden alone would still come out together with the rest (40 people): a goes too
    assert protect_families(sizes, [(["whole"], ["a", "b"])], set(), minimum=10) == {"a", "b"}
    sizes = {"whole": 200, "a": 60, "b": 5}  # rest 135: b cannot be told from the rest
    assert protect_families(sizes, [(["whole"], ["a", "b"])], {"b"}, minimum=10) == {"b"}


def test_a_family_larger_than_its_whole_is_refused():
    import pytest

    with pytest.raises(ValueError):
        protect_families({"whole": 10, "a": 20}, [(["whole"], ["a"])], set(), minimum=5)
