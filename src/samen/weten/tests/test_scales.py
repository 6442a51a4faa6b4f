"""The loneliness scales against a straightforward reference written here, exhaustively where feasible."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samen.weten import scales
from samen.weten.scales import (
    DJGScore,
    InvalidAnswer,
    UCLA3Score,
    UnknownCoding,
    encode_answers,
    enough_contacts,
    lonely_often,
    normalise_answer,
    score_djg6,
    score_djg6_many,
    score_djg11,
    score_djg11_many,
    score_ucla3,
)

# --- the reference: the scale as the manual describes it, item by item ---------------------------------------

NEGATIVE = {2, 3, 5, 6, 9, 10}  # emotional subscale
POSITIVE = {1, 4, 7, 8, 11}  # social subscale
SHORT = (3, 4, 7, 8, 9, 10)
THREE = ("ja", "min of meer", "nee")


def reference_item(item: int, answer: str) -> int:
    if answer == "min of meer":
        return 1
    if item in NEGATIVE:
        return 1 if answer == "ja" else 0
    return 1 if answer == "nee" else 0


def reference_category_11(total: int) -> str:
    if total <= 2:
        return "niet eenzaam"
    if total <= 8:
        return "matig eenzaam"
    if total <= 10:
        return "ernstig eenzaam"
    return "zeer ernstig eenzaam"


def reference_category_6(total: int) -> str:
    if total <= 1:
        return "niet eenzaam"
    if total <= 4:
        return "matig eenzaam"
    return "ernstig eenzaam"


def reference_djg11(answers) -> DJGScore | None:
    """answers: items 1-11 as "ja" / "min of meer" / "nee" / None. Any missing item: missing (conservative)."""
    if None in answers:
        return None
    item_scores = {item: reference_item(item, answer) for item, answer in zip(range(1, 12), answers, strict=True)}
    emotional = sum(item_scores[item] for item in NEGATIVE)
    social = sum(item_scores[item] for item in POSITIVE)
    total = emotional + social
    return DJGScore(total, emotional, social, reference_category_11(total), total >= 3, total >= 9,
                    emotional >= 3, social >= 3)


def reference_djg6(answers) -> DJGScore | None:
    """answers: items 3, 4, 7, 8, 9, 10. Total with at most one missing item; a subscale only when complete."""
    given_answers = dict(zip(SHORT, answers, strict=True))
    if sum(answer is None for answer in answers) > 1:
        return None
    total = sum(reference_item(item, answer) for item, answer in given_answers.items() if answer is not None)

    def subscale(items):
        if any(given_answers[item] is None for item in items):
            return None
        return sum(reference_item(item, given_answers[item]) for item in items)

    emotional, social = subscale((3, 9, 10)), subscale((4, 7, 8))
    return DJGScore(total, emotional, social, reference_category_6(total), total >= 2, total >= 5,
                    None if emotional is None else emotional >= 1, None if social is None else social >= 1)


def test_the_missing_rules_are_the_documented_ones():
    assert scales.DJG11_MAX_MISSING == 0
    assert scales.DJG11_SUBSCALE_MAX_MISSING == 0
    assert scales.DJG6_MAX_MISSING == 1
    assert scales.DJG6_SUBSCALE_MAX_MISSING == 0
    assert scales.UCLA3_MAX_MISSING == 0
    assert scales.UCLA3_LONELY_FROM == 6


# --- exhaustive ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def every_pattern() -> tuple[list[tuple[str, ...]], list[DJGScore]]:
    """All 3**11 complete answer patterns (in itertools.product order of ja, min of meer, nee) and their scores."""
    patterns = list(itertools.product(THREE, repeat=11))
    return patterns, [reference_djg11(pattern) for pattern in patterns]


def test_djg11_every_complete_3_point_pattern(every_pattern):
    patterns, expected = every_pattern
    assert len(patterns) == 3**11
    wrong = [(pattern, want) for pattern, want in zip(patterns, expected, strict=True) if score_djg11(pattern) != want]
    assert wrong == []


def test_djg11_many_every_complete_3_point_pattern(every_pattern):
    _, expected = every_pattern
    result = score_djg11_many(np.array(list(itertools.product((1, 2, 3), repeat=11)), dtype=np.int8))
    for field in ("total", "emotional", "social", "category", "lonely", "severely_lonely", "emotionally_lonely",
                  "socially_lonely"):
        assert getattr(result, field).tolist() == [getattr(score, field) for score in expected], field


def test_djg6_every_pattern_with_missing_answers():
    patterns = list(itertools.product((*THREE, None), repeat=6))
    assert len(patterns) == 4**6
    assert [score_djg6(pattern) for pattern in patterns] == [reference_djg6(pattern) for pattern in patterns]


def test_djg6_many_every_pattern_with_missing_answers():
    codes = np.array(list(itertools.product((0, 1, 2, 3), repeat=6)), dtype=np.int8)
    result = score_djg6_many(codes)
    for row, code_row in enumerate(codes):
        expected = reference_djg6([None if code == 0 else THREE[code - 1] for code in code_row])
        assert_same(result, row, expected)


def assert_same(result: scales.DJGScores, row: int, expected: DJGScore | None) -> None:
    fields = ("total", "emotional", "social", "lonely", "severely_lonely", "emotionally_lonely", "socially_lonely")
    for field in fields:
        got = getattr(result, field)[row]
        want = None if expected is None else getattr(expected, field)
        assert (math.isnan(got) if want is None else got == want), (row, field, got, want)
    assert result.category[row] == (None if expected is None else expected.category)


@pytest.mark.parametrize(("coding", "numbers"), [
    ("3pt-ja-minofmeer-nee", {"ja": (1,), "min of meer": (2,), "nee": (3,)}),
    ("3pt-nee-minofmeer-ja", {"ja": (3,), "min of meer": (2,), "nee": (1,)}),
    ("5pt", {"ja": (1, 2), "min of meer": (3,), "nee": (4, 5)}),
])
def test_djg6_every_numeric_pattern_in_each_coding(coding, numbers):
    meaning = {number: label for label, codes in numbers.items() for number in codes}
    assert sorted(meaning) == sorted(scales.CODINGS[coding])
    for pattern in itertools.product(sorted(meaning), repeat=6):
        expected = reference_djg6([meaning[number] for number in pattern])
        assert score_djg6(pattern, coding=coding) == expected
        assert score_djg6([str(number) for number in pattern], coding=coding) == expected


@pytest.mark.parametrize("coding", sorted(scales.CODINGS))
def test_djg11_each_code_at_each_item(coding):
    meaning = {"3pt-ja-minofmeer-nee": {1: "ja", 2: "min of meer", 3: "nee"},
               "3pt-nee-minofmeer-ja": {1: "nee", 2: "min of meer", 3: "ja"},
               "5pt": {1: "ja", 2: "ja", 3: "min of meer", 4: "nee", 5: "nee"}}[coding]
    for item, code, rest in itertools.product(range(11), meaning, meaning):
        pattern = [rest] * 11
        pattern[item] = code
        expected = reference_djg11([meaning[number] for number in pattern])
        assert score_djg11(pattern, coding=coding) == expected
        assert score_djg11([float(number) for number in pattern], coding=coding) == expected


# --- properties: 5-point answers, case, whitespace and missing answers ------------------------------------------

SPELLINGS = {"ja": ("ja", "ja!", "yes"), "min of meer": ("min of meer", "min-of-meer", "min  of meer", "more or less"),
             "nee": ("nee", "nee!", "no")}
MISSING = (None, "", "  ", "\t", float("nan"))


CASES = (str.lower, str.upper, str.title, str.capitalize)
PADS = ("", " ", "  ", "\t", " \n")
#: (canonical answer, a way a file might spell it): every spelling x case x padding before and after.
SPELLED = [(canonical, before + case(text) + after) for canonical, texts in SPELLINGS.items() for text in texts
           for case in CASES for before in PADS for after in PADS]


def answer(missing_weight: int = 1) -> st.SearchStrategy[tuple[str | None, object]]:
    """(canonical answer or None, the raw answer); missing in about missing_weight out of 10 answers."""
    missing = st.sampled_from([(None, empty) for empty in MISSING])
    return st.integers(0, 9).flatmap(lambda n: missing if n < missing_weight else st.sampled_from(SPELLED))


@settings(max_examples=300, deadline=None)
@given(st.lists(answer(), min_size=11, max_size=11))
def test_djg11_spellings_and_missing_answers(pairs):
    canonical, raw = zip(*pairs, strict=True)
    assert score_djg11(list(raw)) == reference_djg11(list(canonical))


@settings(max_examples=300, deadline=None)
@given(st.lists(answer(missing_weight=2), min_size=6, max_size=6))
def test_djg6_spellings_and_missing_answers(pairs):
    canonical, raw = zip(*pairs, strict=True)
    assert score_djg6(list(raw)) == reference_djg6(list(canonical))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from((0, 1, 2, 3, 4, 5)), min_size=11, max_size=11))
def test_djg11_5_point_numbers_with_missing(codes):
    meaning = {1: "ja", 2: "ja", 3: "min of meer", 4: "nee", 5: "nee"}
    raw = [None if code == 0 else code for code in codes]
    assert score_djg11(raw, coding="5pt") == reference_djg11([meaning.get(code) for code in codes])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(answer(), min_size=11, max_size=11), min_size=1, max_size=20))
def test_djg11_many_equals_one_by_one(respondents):
    raw = [[value for _, value in respondent] for respondent in respondents]
    result = score_djg11_many(encode_answers(raw, scales.DJG11))
    for row, answers in enumerate(raw):
        assert_same(result, row, score_djg11(answers))


# --- categories and subscales ------------------------------------------------------------------------------------


def with_total(total: int) -> list[str]:
    """An 11-item pattern with `total` unfavourable answers (the first items)."""
    return [reference_lonely(item) if item <= total else reference_not_lonely(item) for item in range(1, 12)]


def reference_lonely(item: int) -> str:
    return "ja" if item in NEGATIVE else "nee"


def reference_not_lonely(item: int) -> str:
    return "nee" if item in NEGATIVE else "ja"


@pytest.mark.parametrize(("total", "category", "lonely", "severe"), [
    (0, "niet eenzaam", False, False), (2, "niet eenzaam", False, False),
    (3, "matig eenzaam", True, False), (8, "matig eenzaam", True, False),
    (9, "ernstig eenzaam", True, True), (10, "ernstig eenzaam", True, True),
    (11, "zeer ernstig eenzaam", True, True),
])
def test_djg11_category_boundaries(total, category, lonely, severe):
    score = score_djg11(with_total(total))
    assert (score.total, score.category, score.lonely, score.severely_lonely) == (total, category, lonely, severe)


@pytest.mark.parametrize(("total", "category", "lonely", "severe"), [
    (0, "niet eenzaam", False, False), (1, "niet eenzaam", False, False),
    (2, "matig eenzaam", True, False), (4, "matig eenzaam", True, False),
    (5, "ernstig eenzaam", True, True), (6, "ernstig eenzaam", True, True),
])
def test_djg6_category_boundaries(total, category, lonely, severe):
    answers = [reference_lonely(item) if n < total else reference_not_lonely(item) for n, item in enumerate(SHORT)]
    score = score_djg6(answers)
    assert (score.total, score.category, score.lonely, score.severely_lonely) == (total, category, lonely, severe)


def test_djg11_emotionally_lonely_from_three_unfavourable_emotional_items():
    base = [reference_not_lonely(item) for item in range(1, 12)]
    two = [("min of meer" if item in (2, 3) else answer) for item, answer in zip(range(1, 12), base, strict=True)]
    three = [("ja" if item in (2, 3, 5) else answer) for item, answer in zip(range(1, 12), base, strict=True)]
    assert (score_djg11(two).emotional, score_djg11(two).emotionally_lonely) == (2, False)
    assert (score_djg11(three).emotional, score_djg11(three).emotionally_lonely) == (3, True)
    assert score_djg11(three).socially_lonely is False


def test_djg11_socially_lonely_from_three_unfavourable_social_items():
    base = [reference_not_lonely(item) for item in range(1, 12)]
    two = [("nee" if item in (1, 4) else answer) for item, answer in zip(range(1, 12), base, strict=True)]
    three = [("min of meer" if item in (1, 4, 11) else answer) for item, answer in zip(range(1, 12), base, strict=True)]
    assert (score_djg11(two).social, score_djg11(two).socially_lonely) == (2, False)
    assert (score_djg11(three).social, score_djg11(three).socially_lonely) == (3, True)
    assert score_djg11(three).emotionally_lonely is False


def test_min_of_meer_counts_on_both_kinds_of_item():
    score = score_djg11(["min of meer"] * 11)
    assert (score.total, score.emotional, score.social, score.category) == (11, 6, 5, "zeer ernstig eenzaam")


def test_djg6_subscale_lonely_from_one_unfavourable_item():
    # items 3, 4, 7, 8, 9, 10: only item 9 (emotional) unfavourable
    score = score_djg6(["nee", "ja", "ja", "ja", "min of meer", "nee"])
    assert (score.emotional, score.social, score.emotionally_lonely, score.socially_lonely) == (1, 0, True, False)


# --- missing answers: None, never 0 -------------------------------------------------------------------------------


@pytest.mark.parametrize("empty", MISSING)
def test_all_missing_is_missing_not_zero(empty):
    assert score_djg11([empty] * 11) is None
    assert score_djg6([empty] * 6) is None
    assert score_ucla3([empty] * 3) is None
    assert lonely_often(empty) is None
    assert enough_contacts(empty) is None


def test_djg11_one_missing_item_makes_the_respondent_missing():
    answers = ["nee"] + ["ja"] * 10
    assert score_djg11(answers) is not None
    for item in range(11):
        assert score_djg11(answers[:item] + [""] + answers[item + 1:]) is None


def test_djg6_one_missing_item_keeps_the_total_and_the_other_subscale():
    # item 3 missing: the emotional subscale is missing, the total counts the five answered items
    score = score_djg6(["", "nee", "nee", "min of meer", "ja", "ja"])
    assert score == DJGScore(5, None, 3, "ernstig eenzaam", True, True, None, True)


def test_djg6_two_missing_items_make_the_respondent_missing():
    assert score_djg6(["", "nee", "nee", "nee", None, "ja"]) is None


def test_djg6_missing_item_is_not_counted_as_lonely():
    score = score_djg6(["nee", "ja", "ja", "ja", "nee", None])  # item 10 missing, the rest favourable
    assert (score.total, score.emotional, score.social, score.lonely) == (0, None, 0, False)


# --- answers and errors --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    ("ja", "ja"), ("JA!", "ja"), ("  Ja ", "ja"), ("ja!", "ja"), ("Yes", "ja"),
    ("min of meer", "min of meer"), ("Min-of-meer", "min of meer"), ("MIN  OF\tMEER", "min of meer"),
    ("min_of_meer", "min of meer"), ("nee", "nee"), ("NEE!", "nee"), (" nee! ", "nee"), ("no", "nee"),
    ("", None), ("   ", None), (None, None), (float("nan"), None),
])
def test_normalise_answer(raw, expected):
    assert normalise_answer(raw, "djg_1") == expected


def test_unknown_answer_message_is_dutch_and_names_item_and_value():
    with pytest.raises(InvalidAnswer) as caught:
        score_djg11(["ja", "nee", "ja", "misschien", *["ja"] * 7])
    assert str(caught.value) == "Onbekend antwoord 'misschien' bij item djg_4."
    assert isinstance(caught.value, ValueError)
    assert (caught.value.item, caught.value.value) == ("djg_4", "misschien")


@pytest.mark.parametrize("number", [1, "2", 3.0, " 3 "])
def test_number_without_coding_is_refused(number):
    with pytest.raises(InvalidAnswer, match="djg_1: een getal vraagt een codering"):
        score_djg11([number, *["ja"] * 10])


@pytest.mark.parametrize(("coding", "number"), [("5pt", 6), ("5pt", 0), ("3pt-ja-minofmeer-nee", 4), ("5pt", "9"),
                                                ("5pt", 2.5), ("5pt", True)])
def test_number_outside_the_coding_is_refused(coding, number):
    with pytest.raises(InvalidAnswer, match=f"'{number}' bij item djg_1"):
        score_djg11([number, *["ja"] * 10], coding=coding)


def test_unknown_coding_is_refused_even_without_numbers():
    with pytest.raises(UnknownCoding, match="Onbekende codering 'ggd'; bekende coderingen: 3pt-ja-minofmeer-nee"):
        score_djg11(["ja"] * 11, coding="ggd")
    assert issubclass(UnknownCoding, ValueError)


def test_labels_are_accepted_with_a_coding_too():
    assert score_djg11(["nee", 1, *["min of meer"] * 9], coding="5pt").total == 11


@pytest.mark.parametrize(("scorer", "length"), [(score_djg11, 10), (score_djg11, 12), (score_djg6, 11)])
def test_wrong_number_of_answers(scorer, length):
    with pytest.raises(ValueError, match="verwacht"):
        scorer(["ja"] * length)


def test_results_are_frozen():
    score = score_djg11(["ja"] * 11)
    with pytest.raises(AttributeError):
        score.total = 0


# --- vectorised helpers --------------------------------------------------------------------------------------------


def test_many_reads_nan_and_zero_as_missing():
    # columns: items 3, 4, 7, 8, 9, 10; 3 = nee is favourable on 3, 9, 10 and 1 = ja on 4, 7, 8
    result = score_djg6_many([[0, 1, 1, 1, 3, 3], [np.nan, np.nan, 1, 1, 1, 1], [3, 1, 1, 1, 3, 3]])
    assert result.total[0] == 0 and math.isnan(result.emotional[0]) and result.social[0] == 0
    assert math.isnan(result.total[1]) and result.category[1] is None and math.isnan(result.lonely[1])
    assert (result.total[2], result.category[2], result.lonely[2]) == (0, "niet eenzaam", 0.0)


@pytest.mark.parametrize("matrix", [[[4] * 11], [[1] * 10], [1] * 11, [[-1] * 11]])
def test_many_refuses_bad_matrices(matrix):
    with pytest.raises(ValueError, match="Verwacht een matrix|Onbekende antwoordcode"):
        score_djg11_many(matrix)


def test_encode_answers_checks_answers_and_length():
    assert encode_answers([["JA", "", "nee!", 4, 2, None]], scales.DJG6, "5pt").tolist() == [[1, 0, 3, 3, 1, 0]]
    with pytest.raises(InvalidAnswer, match="djg_4"):
        encode_answers([["ja", "soms", "ja", "ja", "ja", "ja"]], scales.DJG6)
    with pytest.raises(ValueError, match="verwacht 6"):
        encode_answers([["ja"] * 5], scales.DJG6)


# --- UCLA 3-item scale --------------------------------------------------------------------------------------------

UCLA_SPELLINGS = {1: ("hardly ever", "Nooit of zelden", 1, "1"), 2: ("some of the time", " SOMS ", 2, "2.0"),
                  3: ("often", "vaak", 3, 3.0)}


def test_ucla3_every_pattern_and_spelling():
    for scores in itertools.product((1, 2, 3), repeat=3):
        for raw in itertools.product(*(UCLA_SPELLINGS[score] for score in scores)):
            total = sum(scores)
            assert score_ucla3(list(raw)) == UCLA3Score(total, total >= 6)


def test_ucla3_cut_off():
    assert score_ucla3(["vaak", "soms", "nooit of zelden"]) == UCLA3Score(6, True)
    assert score_ucla3(["soms", "soms", "nooit of zelden"]) == UCLA3Score(5, False)


@pytest.mark.parametrize("missing_at", range(3))
def test_ucla3_one_missing_item_is_missing(missing_at):
    answers = ["vaak", "vaak", "vaak"]
    answers[missing_at] = ""
    assert score_ucla3(answers) is None


@pytest.mark.parametrize("bad", ["altijd", 0, 4, "4", True])
def test_ucla3_unknown_answers(bad):
    with pytest.raises(InvalidAnswer, match="bij item ucla_2"):
        score_ucla3(["vaak", bad, "vaak"])


# --- DIN indicators --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    ("nooit", False), ("zelden", False), ("soms", False), ("vaak", True), ("heel vaak", True),
    (" Heel  Vaak ", True), ("VAAK", True), ("heel-vaak", True), ("", None), (None, None),
])
def test_lonely_often(raw, expected):
    assert lonely_often(raw) is expected


@pytest.mark.parametrize("bad", ["misschien", "1", 3, "ja"])
def test_lonely_often_unknown(bad):
    with pytest.raises(InvalidAnswer, match="bij item hoe_vaak_eenzaam"):
        lonely_often(bad)


@pytest.mark.parametrize(("raw", "expected"), [
    ("ja", 1), ("Ja", 1), (" JA ", 1), ("j", 1), ("yes", 1), (True, 1),
    ("nee", 0), ("NEE", 0), ("n", 0), ("neen", 0), ("no", 0), (False, 0),
    ("", None), ("  ", None), (None, None),
])
def test_enough_contacts(raw, expected):
    assert enough_contacts(raw) == expected
    assert (enough_contacts(raw) is None) == (expected is None)


@pytest.mark.parametrize("bad", ["1", "0", 1, 0, "soms", "misschien"])
def test_enough_contacts_unknown(bad):
    with pytest.raises(InvalidAnswer, match=f"Onbekend antwoord '{bad}' bij item voldoende_contacten."):
        enough_contacts(bad)


def test_the_module_does_not_import_django():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(scales.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name.split(".")[0] == "django" for name in imported if name)
