"""Scoring of loneliness scales: pure Python (and numpy for many respondents at once), no Django.

Scales (full description, sources and rules in docs/scales.md):

* De Jong Gierveld 11-item scale (De Jong Gierveld & Kamphuis 1985; manual: De Jong Gierveld & Van Tilburg 1999).
  Items 2, 3, 5, 6, 9, 10 are negatively worded (emotional subscale, 0-6): "ja" and "min of meer" score 1.
  Items 1, 4, 7, 8, 11 are positively worded (social subscale, 0-5): "nee" and "min of meer" score 1.
  Total 0-11: 0-2 niet eenzaam, 3-8 matig eenzaam, 9-10 ernstig eenzaam, 11 zeer ernstig eenzaam.
  lonely = total >= 3, severely_lonely = total >= 9; emotionally/socially lonely = at least 3 unfavourable
  answers on that subscale.
* De Jong Gierveld 6-item scale (De Jong Gierveld & Van Tilburg 2006): items 3, 9, 10 (emotional, 0-3) and
  4, 7, 8 (social, 0-3), numbered as in the 11-item scale. Total 0-6: 0-1 niet eenzaam, 2-4 matig eenzaam,
  5-6 ernstig eenzaam. lonely = total >= 2, severely_lonely = total >= 5. Emotionally/socially lonely: subscale
  score >= 1, the manual's own recode ("not lonely (0)", "lonely (1-3)").
* UCLA 3-item scale (Hughes et al. 2004): items scored 1 (hardly ever), 2 (some of the time), 3 (often);
  total 3-9; lonely = total >= 6 (a common convention, not part of the source).
* The two DIN indicators: "Hoe vaak voelt u zich eenzaam?" (vaak or heel vaak -> True) and
  "Heeft u voldoende contacten met andere mensen?" (ja -> 1, nee -> 0).

Answers: the 5-point answers "ja!", "ja", "min of meer", "nee", "nee!" score like the 3-point ones
("ja!" -> ja, "nee!" -> nee). Labels are case-insensitive, surrounding whitespace is ignored, "min-of-meer" is
"min of meer"; the English labels of the manual ("yes", "more or less", "no") are accepted too. An empty answer
(None, "", whitespace, NaN) is missing. A number is only read through a named coding (see CODINGS); a number
without a coding, a number outside the coding and an unknown label raise InvalidAnswer.

Missing answers -- a respondent without a valid score is missing (None), never 0:

* 6-item scale, from the manual's SPSS syntax (De Jong Gierveld & Van Tilburg 1999, web edition, section
  "A short scale"): the total is computed with at most one missing item (DJG6_MAX_MISSING = 1), counting the
  unfavourable answers among the answered items (SPSS COUNT); each 3-item subscale only without missing items
  (DJG6_SUBSCALE_MAX_MISSING = 0).
* 11-item scale: the rule of the manual's section "Processing the scale data" could not be verified from the
  sources at hand, so the conservative rule applies: the total and the subscales only when all items are
  answered (DJG11_MAX_MISSING = DJG11_SUBSCALE_MAX_MISSING = 0). Raise the constants once the manual is
  checked; the scoring counts unfavourable answers among the answered items, as in the 6-item syntax.
* When the total is missing the whole respondent is missing (None), even if a subscale could be computed.
* UCLA 3-item scale: no published rule for missing items; conservative: all three items are required.
* DIN indicators: a missing answer gives None.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from itertools import compress

import numpy as np

RawAnswer = str | int | float | None


class Answer(StrEnum):
    """A De Jong Gierveld answer, reduced to the three answers that matter for scoring."""

    JA = "ja"
    MIN_OF_MEER = "min of meer"
    NEE = "nee"


class InvalidAnswer(ValueError):
    """An answer that is not missing and not one of the scale's answers."""

    def __init__(self, item: str, value: object, reason: str | None = None):
        self.item, self.value, self.reason = item, value, reason
        message = f"Onbekend antwoord '{value}' bij item {item}."
        super().__init__(f"{message[:-1]}: {reason}." if reason else message)


class UnknownCoding(ValueError):
    """A coding name that is not in CODINGS."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(f"Onbekende codering '{name}'; bekende coderingen: {', '.join(CODINGS)}.")


# --- answers and codings -----------------------------------------------------------------------------------

DJG_LABELS: Mapping[str, Answer] = {
    "ja!": Answer.JA, "ja": Answer.JA, "yes!": Answer.JA, "yes": Answer.JA,
    "min of meer": Answer.MIN_OF_MEER, "more or less": Answer.MIN_OF_MEER,
    "nee": Answer.NEE, "nee!": Answer.NEE, "no": Answer.NEE, "no!": Answer.NEE,
}

#: Named numeric codings of the De Jong Gierveld answers. The GGD Gezondheidsmonitor codes could not be verified,
#: so there is no "ggd" coding: name the coding that the data file uses.
CODINGS: Mapping[str, Mapping[int, Answer]] = {
    "3pt-ja-minofmeer-nee": {1: Answer.JA, 2: Answer.MIN_OF_MEER, 3: Answer.NEE},
    # The coding the manual's SPSS syntax implies (negative items count codes 2 and 3, positive items 1 and 2).
    "3pt-nee-minofmeer-ja": {1: Answer.NEE, 2: Answer.MIN_OF_MEER, 3: Answer.JA},
    "5pt": {1: Answer.JA, 2: Answer.JA, 3: Answer.MIN_OF_MEER, 4: Answer.NEE, 5: Answer.NEE},
}

_NUMBER = re.compile(r"[+-]?\d+(\.0*)?")


def _label_key(text: str) -> str:
    return " ".join(text.replace("-", " ").replace("_", " ").split()).casefold()


def check_coding(coding: str | None) -> Mapping[int, Answer] | None:
    """The coding's code table; raises UnknownCoding for a name that is not in CODINGS."""
    if coding is None:
        return None
    if coding not in CODINGS:
        raise UnknownCoding(coding)
    return CODINGS[coding]


def _number(value: RawAnswer) -> int | None:
    """The whole number in value (3, 3.0, "3", " 3.0 "), or None when value is no number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip()
    return int(float(text)) if _NUMBER.fullmatch(text) else None


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and not value.strip()


def _decode(value: RawAnswer, item: str, coding: str | None) -> Answer:
    code, table = _number(value), check_coding(coding)
    if code is None:
        raise InvalidAnswer(item, value)
    if table is None:
        raise InvalidAnswer(item, value, f"een getal vraagt een codering ({', '.join(CODINGS)})")
    if code not in table:
        raise InvalidAnswer(item, value, f"geen code in codering '{coding}' ({min(table)}-{max(table)})")
    return table[code]


def normalise_answer(value: RawAnswer, item: str = "?", coding: str | None = None) -> Answer | None:
    """The De Jong Gierveld answer in value, None when missing; InvalidAnswer when it is neither."""
    if _is_missing(value):
        return None
    if isinstance(value, str):
        label = DJG_LABELS.get(_label_key(value))
        if label is not None:
            return label
    return _decode(value, item, coding)


# --- De Jong Gierveld ----------------------------------------------------------------------------------------

DJG11_ITEMS = tuple(range(1, 12))
DJG6_ITEMS = (3, 4, 7, 8, 9, 10)
#: Negatively worded items: ja and min of meer are unfavourable.
EMOTIONAL_ITEMS = frozenset({2, 3, 5, 6, 9, 10})
#: Positively worded items: nee and min of meer are unfavourable.
SOCIAL_ITEMS = frozenset({1, 4, 7, 8, 11})

DJG11_MAX_MISSING = 0  # conservative: the 11-item rule of the manual could not be verified
DJG11_SUBSCALE_MAX_MISSING = 0
DJG6_MAX_MISSING = 1  # manual, short scale syntax: "if (mlones>1) lones=-1"
DJG6_SUBSCALE_MAX_MISSING = 0  # manual: "if (mlones>0) loneemos=-1", idem lonesocs

NIET, MATIG, ERNSTIG, ZEER_ERNSTIG = "niet eenzaam", "matig eenzaam", "ernstig eenzaam", "zeer ernstig eenzaam"


@dataclass(frozen=True)
class DJGScale:
    """What differs between the 11- and the 6-item version."""

    name: str
    items: tuple[int, ...]
    max_missing: int
    subscale_max_missing: int
    bands: tuple[tuple[int, str], ...]  # (lowest total, category), ascending
    lonely_from: int
    severe_from: int
    subscale_lonely_from: int

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f"djg_{item}" for item in self.items)

    @cached_property
    def emotional_mask(self) -> tuple[bool, ...]:
        return tuple(item in EMOTIONAL_ITEMS for item in self.items)

    @cached_property
    def social_mask(self) -> tuple[bool, ...]:
        return tuple(item in SOCIAL_ITEMS for item in self.items)

    @cached_property
    def unfavourable_answers(self) -> tuple[frozenset[Answer], ...]:
        """Per item, the answers that count 1 towards loneliness."""
        return tuple(frozenset(answer for answer in Answer if unfavourable(item, answer)) for item in self.items)

    def category(self, total: int) -> str:
        return [name for lowest, name in self.bands if total >= lowest][-1]


DJG11 = DJGScale("djg11", DJG11_ITEMS, DJG11_MAX_MISSING, DJG11_SUBSCALE_MAX_MISSING,
                 ((0, NIET), (3, MATIG), (9, ERNSTIG), (11, ZEER_ERNSTIG)), 3, 9, 3)
DJG6 = DJGScale("djg6", DJG6_ITEMS, DJG6_MAX_MISSING, DJG6_SUBSCALE_MAX_MISSING,
                ((0, NIET), (2, MATIG), (5, ERNSTIG)), 2, 5, 1)
DJG_SCALES: Mapping[str, DJGScale] = {DJG11.name: DJG11, DJG6.name: DJG6}


@dataclass(frozen=True)
class DJGScore:
    """One respondent's De Jong Gierveld score. A subscale is None when too many of its items are missing."""

    total: int
    emotional: int | None
    social: int | None
    category: str
    lonely: bool
    severely_lonely: bool
    emotionally_lonely: bool | None
    socially_lonely: bool | None


def unfavourable(item: int, answer: Answer | None) -> bool:
    """Whether the answer on this item counts 1 towards loneliness (a missing answer does not)."""
    if answer is None:
        return False
    if answer is Answer.MIN_OF_MEER:
        return True
    return (answer is Answer.JA) == (item in EMOTIONAL_ITEMS)


def _count(flags: list[bool], missing: list[bool], mask: tuple[bool, ...], max_missing: int) -> int | None:
    """Unfavourable answers on the masked items; None when more than max_missing of them are missing."""
    if sum(compress(missing, mask)) > max_missing:
        return None
    return sum(compress(flags, mask))


def _at_least(score: int | None, threshold: int) -> bool | None:
    return None if score is None else score >= threshold


def _normalise_all(scale: DJGScale, answers: Sequence[RawAnswer], coding: str | None) -> list[Answer | None]:
    if len(answers) != len(scale.items):
        raise ValueError(f"{scale.name} verwacht {len(scale.items)} antwoorden, niet {len(answers)}.")
    fast = [DJG_LABELS.get(value) if isinstance(value, str) else None for value in answers]  # clean labels
    return [answer if answer is not None else normalise_answer(value, f"djg_{item}", coding)
            for answer, value, item in zip(fast, answers, scale.items, strict=True)]


def score_djg(scale: DJGScale, answers: Sequence[RawAnswer], coding: str | None = None) -> DJGScore | None:
    """Score answers given in the order of scale.items; None when the respondent has no valid total."""
    check_coding(coding)
    normal = _normalise_all(scale, answers, coding)
    missing = [answer is None for answer in normal]
    if sum(missing) > scale.max_missing:
        return None
    flags = [answer in bad for answer, bad in zip(normal, scale.unfavourable_answers, strict=True)]
    total = sum(flags)
    emotional = _count(flags, missing, scale.emotional_mask, scale.subscale_max_missing)
    social = _count(flags, missing, scale.social_mask, scale.subscale_max_missing)
    return DJGScore(total, emotional, social, scale.category(total), total >= scale.lonely_from,
                    total >= scale.severe_from, _at_least(emotional, scale.subscale_lonely_from),
                    _at_least(social, scale.subscale_lonely_from))


def score_djg11(answers: Sequence[RawAnswer], coding: str | None = None) -> DJGScore | None:
    """The 11-item scale; answers are items 1 to 11 in order."""
    return score_djg(DJG11, answers, coding)


def score_djg6(answers: Sequence[RawAnswer], coding: str | None = None) -> DJGScore | None:
    """The 6-item scale; answers are items 3, 4, 7, 8, 9, 10 (numbered as in the 11-item scale) in that order."""
    return score_djg(DJG6, answers, coding)


# --- many respondents at once (numpy) -------------------------------------------------------------------------

#: Answer codes of the matrices for the *_many functions (0 or NaN = missing); the same as the coding
#: "3pt-ja-minofmeer-nee" with 0 for missing.
ANSWER_CODES: Mapping[Answer | None, int] = {None: 0, Answer.JA: 1, Answer.MIN_OF_MEER: 2, Answer.NEE: 3}


@dataclass(frozen=True)
class DJGScores:
    """Scores of many respondents, one array element per respondent: NaN (None for category) = missing.

    total, emotional and social are float arrays; lonely, severely_lonely, emotionally_lonely and socially_lonely
    are float arrays of 1.0 / 0.0 / NaN; category is an object array of str or None.
    """

    total: np.ndarray
    emotional: np.ndarray
    social: np.ndarray
    category: np.ndarray
    lonely: np.ndarray
    severely_lonely: np.ndarray
    emotionally_lonely: np.ndarray
    socially_lonely: np.ndarray


def encode_answers(rows: Iterable[Sequence[RawAnswer]], scale: DJGScale, coding: str | None = None) -> np.ndarray:
    """A code matrix (see ANSWER_CODES) of raw answers in the order of scale.items; raises InvalidAnswer."""
    check_coding(coding)
    codes = []
    for row in rows:
        if len(row) != len(scale.items):
            raise ValueError(f"{scale.name} verwacht {len(scale.items)} antwoorden, niet {len(row)}.")
        codes.append([ANSWER_CODES[normalise_answer(value, f"djg_{item}", coding)]
                      for item, value in zip(scale.items, row, strict=True)])
    return np.array(codes, dtype=np.int8).reshape(-1, len(scale.items))


def _as_codes(matrix: object, width: int) -> np.ndarray:
    array = np.asarray(matrix, dtype=float)
    if array.ndim != 2 or array.shape[1] != width:
        raise ValueError(f"Verwacht een matrix met {width} kolommen, niet de vorm {array.shape}.")
    array = np.where(np.isnan(array), 0, array)
    if not np.isin(array, [0, 1, 2, 3]).all():
        bad = array[~np.isin(array, [0, 1, 2, 3])][0]
        raise ValueError(f"Onbekende antwoordcode {bad:g}; gebruik 0 (ontbreekt), 1 (ja), 2 (min of meer), 3 (nee).")
    return array.astype(np.int8)


def _threshold(score: np.ndarray, lowest: int) -> np.ndarray:
    return np.where(np.isnan(score), np.nan, (score >= lowest).astype(float))


def _counted(unfav: np.ndarray, missing: np.ndarray, columns: list[int], max_missing: int) -> np.ndarray:
    score = unfav[:, columns].sum(axis=1).astype(float)
    return np.where(missing[:, columns].sum(axis=1) > max_missing, np.nan, score)


def score_djg_many(scale: DJGScale, matrix: object) -> DJGScores:
    """Score a code matrix (respondents x scale.items, codes as in ANSWER_CODES) at once."""
    codes = _as_codes(matrix, len(scale.items))
    emotional = [i for i, item in enumerate(scale.items) if item in EMOTIONAL_ITEMS]
    social = [i for i, item in enumerate(scale.items) if item in SOCIAL_ITEMS]
    unfav = codes == ANSWER_CODES[Answer.MIN_OF_MEER]
    unfav[:, emotional] |= codes[:, emotional] == ANSWER_CODES[Answer.JA]
    unfav[:, social] |= codes[:, social] == ANSWER_CODES[Answer.NEE]
    missing = codes == 0
    total = _counted(unfav, missing, list(range(len(scale.items))), scale.max_missing)
    gone = np.isnan(total)
    emo = np.where(gone, np.nan, _counted(unfav, missing, emotional, scale.subscale_max_missing))
    soc = np.where(gone, np.nan, _counted(unfav, missing, social, scale.subscale_max_missing))
    category = np.full(len(total), None, dtype=object)
    for lowest, name in scale.bands:
        category[~gone & (total >= lowest)] = name
    return DJGScores(total, emo, soc, category, _threshold(total, scale.lonely_from),
                     _threshold(total, scale.severe_from), _threshold(emo, scale.subscale_lonely_from),
                     _threshold(soc, scale.subscale_lonely_from))


def score_djg11_many(matrix: object) -> DJGScores:
    """score_djg_many for the 11-item scale (columns: items 1-11)."""
    return score_djg_many(DJG11, matrix)


def score_djg6_many(matrix: object) -> DJGScores:
    """score_djg_many for the 6-item scale (columns: items 3, 4, 7, 8, 9, 10)."""
    return score_djg_many(DJG6, matrix)


# --- UCLA 3-item scale -------------------------------------------------------------------------------------------

UCLA3_LABELS: Mapping[str, int] = {
    "hardly ever": 1, "hardly ever or never": 1, "nooit of zelden": 1,
    "some of the time": 2, "soms": 2,
    "often": 3, "vaak": 3,
}
UCLA3_MAX_MISSING = 0  # no published rule: conservative
UCLA3_LONELY_FROM = 6


@dataclass(frozen=True)
class UCLA3Score:
    total: int
    lonely: bool


def _ucla_item(value: RawAnswer, item: str) -> int | None:
    if _is_missing(value):
        return None
    if isinstance(value, str) and _label_key(value) in UCLA3_LABELS:
        return UCLA3_LABELS[_label_key(value)]
    number = _number(value)
    if number in (1, 2, 3):
        return number
    raise InvalidAnswer(item, value)


def score_ucla3(answers: Sequence[RawAnswer]) -> UCLA3Score | None:
    """The UCLA 3-item scale: labels or the item scores 1-3 themselves; None when an item is missing."""
    if len(answers) != 3:
        raise ValueError(f"ucla3 verwacht 3 antwoorden, niet {len(answers)}.")
    scores = [_ucla_item(value, f"ucla_{number}") for number, value in enumerate(answers, start=1)]
    if sum(score is None for score in scores) > UCLA3_MAX_MISSING:
        return None
    total = sum(score or 0 for score in scores)
    return UCLA3Score(total, total >= UCLA3_LONELY_FROM)


# --- the two DIN indicators ------------------------------------------------------------------------------------

HOW_OFTEN_LABELS: Mapping[str, bool] = {"nooit": False, "zelden": False, "soms": False, "vaak": True, "heel vaak": True}
ENOUGH_CONTACTS_LABELS: Mapping[str, int] = {
    "ja": 1, "j": 1, "yes": 1, "y": 1,
    "nee": 0, "n": 0, "neen": 0, "no": 0,
}


def lonely_often(answer: str | None, item: str = "hoe_vaak_eenzaam") -> bool | None:
    """"Hoe vaak voelt u zich eenzaam?": True for vaak or heel vaak, False for nooit/zelden/soms, None if missing."""
    if _is_missing(answer):
        return None
    key = _label_key(answer) if isinstance(answer, str) else None
    if key not in HOW_OFTEN_LABELS:
        raise InvalidAnswer(item, answer)
    return HOW_OFTEN_LABELS[key]


def enough_contacts(answer: str | bool | None, item: str = "voldoende_contacten") -> int | None:
    """"Heeft u voldoende contacten met andere mensen?": ja -> 1, nee -> 0, None if missing."""
    if _is_missing(answer):
        return None
    if isinstance(answer, bool):
        return int(answer)
    key = _label_key(answer) if isinstance(answer, str) else None
    if key not in ENOUGH_CONTACTS_LABELS:
        raise InvalidAnswer(item, answer)
    return ENOUGH_CONTACTS_LABELS[key]
