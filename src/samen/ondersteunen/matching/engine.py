"""The explained matching's ranking engine: pure, no ORM inside.

Input: a list of ``Candidate`` rows (activities of the public catalogue, the interventions they apply and
volunteer roles; ``matching.candidates`` reads them in one or two queries and keeps them per catalogue
version), the resident's ``Need`` (from the strengths profile), the live counts per activity (places taken,
the local evidence) and the municipality's weights. Output: the ranked ``Suggestion`` list, each with the
Dutch sentences of why it fits and what does not.

The candidates are held as numpy columns (``Columns``): every factor and every hard need is a few vector
operations over all candidates at once, and only the suggestions shown are explained in Python.

Factors (``matching_weights.FACTORS``) each give a value between 0 and 1; the score is the weighted sum.
A factor with weight 0 adds nothing, so it cannot change the order. Hard needs are not weighed: they
exclude (wheelchair access for a wheelchair barrier, free of charge when only free is possible, a language
the resident speaks, a place left).

Order: score (highest first), then title, then kind, then id: total and deterministic.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.utils.translation import get_language
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext as _ngettext

from samen.kwaliteit.vocabulary import (
    WEEKDAYS,
    CostType,
    Interest,
    Language,
    LonelinessKind,
    PartOfDay,
    Recognition,
    TargetGroup,
)
from samen.ondersteunen.matching_weights import DEFAULT_WEIGHTS, FACTORS

# --- translations, remembered per language while ranking ----------------------------------------------------
# Explaining 50 suggestions asks gettext for about 600 sentences and labels; each lookup walks Django's
# thread-local translation machinery. Inside rank() the language cannot change, so each message is translated
# once per language per process.
_local = threading.local()
_words: dict[tuple[str, object], str] = {}


def _(message: str) -> str:
    language = getattr(_local, "language", None)
    if language is None:
        return _gettext(message)
    key = (language, message)
    found = _words.get(key)
    if found is None:
        found = _words[key] = _gettext(message)
    return found


def ngettext(singular: str, plural: str, n: int) -> str:
    """ngettext, remembered per language (and count) while ranking. Named ``ngettext`` (like ``_`` above) so
    that makemessages finds the strings it is called with."""
    language = getattr(_local, "language", None)
    if language is None:
        return _ngettext(singular, plural, n)
    key = (language, singular, n)
    found = _words.get(key)
    if found is None:
        found = _words[key] = _ngettext(singular, plural, n)
    return found


_labels: dict[tuple, str] = {}  # (language, what, codes) -> text: slot lists and interest lists as shown
_LABELS_MAX = 20_000  # emptied when this full (the keys are few in practice: the profiles' combinations)


def _remembered(what: str, codes, make) -> str:
    language = getattr(_local, "language", None)
    if language is None:
        return make(codes)
    key = (language, what, codes)
    found = _labels.get(key)
    if found is None:
        if len(_labels) >= _LABELS_MAX:
            _labels.clear()
        found = _labels[key] = make(codes)
    return found


def _s(label) -> str:
    """str() of a lazy label (a vocabulary's), remembered per language while ranking."""
    language = getattr(_local, "language", None)
    if language is None:
        return str(label)
    key = (language, id(label))
    found = _words.get(key)
    if found is None:
        found = _words[key] = str(label)
    return found


# --- vocabularies as bits ---------------------------------------------------------------------------------
INTEREST_BITS = {code: 1 << bit for bit, code in enumerate(Interest.values)}
GROUP_BITS = {code: 1 << bit for bit, code in enumerate(TargetGroup.values)}
KIND_BITS = {code: 1 << bit for bit, code in enumerate(LonelinessKind.values)}
LANGUAGE_BITS = {code: 1 << bit for bit, code in enumerate(Language.values)}
PARTS = tuple(PartOfDay.values)  # morning, afternoon, evening


def slot_bit(weekday: int, part: str) -> int:
    """One bit per (weekday 0-6, part of the day): 21 bits."""
    return 1 << (weekday * len(PARTS) + PARTS.index(part))


def bits(table: Mapping[str, int], codes: Iterable[str]) -> int:
    out = 0
    for code in codes:
        out |= table.get(code, 0)
    return out


def parse_availability(values: Iterable[str]) -> frozenset[tuple[int, str]]:
    """Profile.availability ("1:morning") as (weekday, part) pairs; malformed entries are skipped."""
    out = set()
    for value in values or ():
        day, _sep, part = str(value).partition(":")
        if day.isdigit() and 0 <= int(day) <= 6 and part in PARTS:
            out.add((int(day), part))
    return frozenset(out)


RECOGNITION_VALUE = {
    Recognition.STRONG_INDICATIONS.value: 1.0,
    Recognition.GOOD_INDICATIONS.value: 0.8,
    Recognition.FIRST_INDICATIONS.value: 0.6,
    Recognition.FOUNDED.value: 0.4,
    Recognition.DESCRIBED.value: 0.2,
    Recognition.NOT_ASSESSED.value: 0.0,
}
AGE_GROUPS = {  # target groups an age decides: (from, to) inclusive
    TargetGroup.YOUTH.value: (16, 25),
    TargetGroup.SENIORS_65.value: (65, 200),
    TargetGroup.SENIORS_75.value: (75, 200),
}
KIND_ADJECTIVE = {LonelinessKind.SOCIAL.value: _lazy("sociale"), LonelinessKind.EMOTIONAL.value: _lazy("emotionele"),
                  LonelinessKind.EXISTENTIAL.value: _lazy("existentiële")}
NEUTRAL = 0.5  # a factor that says nothing either way (unknown age, no evidence, capacity not given)
KM_SCALE = 5.0  # beyond this distance a place counts as far (half of it with a mobility barrier)

KIND_ACTIVITY, KIND_VOLUNTEERING, KIND_INTERVENTION = "activity", "volunteering", "intervention"
_KIND_ORDER = {KIND_ACTIVITY: 0, KIND_VOLUNTEERING: 1, KIND_INTERVENTION: 2}


# --- input ------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class InterventionRef:
    id: int
    name: str
    recognition: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """One public activity with what the matching needs (read once per catalogue version)."""

    id: int
    title: str
    organisation_id: int
    organisation: str = ""
    wijk_id: int | None = None
    wijk: str = ""
    buurt_id: int | None = None
    buurt: str = ""
    place: str = ""
    lat: float | None = None
    lon: float | None = None
    online: bool = False
    slots: frozenset[tuple[int, str]] = frozenset()
    cost_type: str = CostType.FREE.value
    cost_amount: Decimal | None = None
    wheelchair: bool = False
    hearing_loop: bool = False
    near_transport: bool = False
    target_groups: frozenset[str] = frozenset()
    loneliness_kinds: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    capacity: int | None = None
    interventions: tuple[InterventionRef, ...] = ()
    confirmed: float = 0.0  # confirmed_at as seconds since the epoch (the freshness limit is applied per call)

    @property
    def is_volunteering(self) -> bool:
        return Interest.VOLUNTEERING.value in self.interests


@dataclass(frozen=True, slots=True)
class Need:
    """What the resident brings and needs, from the strengths profile and the resident's record."""

    interests: frozenset[str] = frozenset()
    availability: frozenset[tuple[int, str]] = frozenset()
    barriers: frozenset[str] = frozenset()
    free_only: bool = False
    languages: frozenset[str] = frozenset()
    loneliness_kinds: frozenset[str] = frozenset()
    online_ok: bool = False
    wants_to_volunteer: bool = False
    buurt_id: int | None = None
    wijk_id: int | None = None
    point: tuple[float, float] | None = None  # (lon, lat) of the home buurt's (or wijk's) centre
    point_is_rough: bool = True  # a wijk's centre: the metres are "ca."
    age: int | None = None

    @property
    def effective_interests(self) -> frozenset[str]:
        """Wanting to give counts as an interest in volunteering."""
        if self.wants_to_volunteer:
            return self.interests | {Interest.VOLUNTEERING.value}
        return self.interests

    @property
    def spoken(self) -> frozenset[str]:
        return self.languages or frozenset({Language.DUTCH.value})


@dataclass(frozen=True, slots=True)
class Live:
    """Counts that change with the referrals, per activity id: places taken (active referrals), and of
    those who went, how many had a six-week answer (``went``) and how many were still going (``still``)."""

    taken: Mapping[int, int] = field(default_factory=dict)
    went: Mapping[int, int] = field(default_factory=dict)
    still: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Filters:
    """The catalogue's own filters on the worker's screen (they narrow the list, they do not score)."""

    interest: str = ""
    wijk_id: int | None = None
    weekday: int | None = None
    part_of_day: str = ""
    free: bool = False
    wheelchair: bool = False
    kind: str = ""


# --- output -----------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Evidence:
    """The local evidence of one activity as the worker may see it: the figures only when ``shown``."""

    shown: bool
    went: int | None = None
    still: int | None = None
    sentence: str = ""

    @property
    def share(self) -> float | None:
        return None if not self.shown or not self.went else self.still / self.went

    def as_dict(self) -> dict:
        return {"shown": self.shown, "went": self.went, "still_going": self.still, "share": self.share,
                "sentence": self.sentence}


@dataclass(frozen=True, slots=True)
class Suggestion:
    kind: str
    id: int  # the activity's id, or the intervention's for kind "intervention"
    activity_id: int
    intervention_id: int | None
    organisation_id: int
    title: str
    organisation: str
    score: float  # the weighted sum
    percent: int  # the score against the most this resident could get (0-100)
    factors: dict[str, float]  # factor -> value 0..1
    fits: tuple[str, ...]
    misses: tuple[str, ...]
    evidence: Evidence
    via: str = ""  # for an intervention: the activity that applies it

    @property
    def fits_text(self) -> str:
        return ", ".join(self.fits)

    @property
    def misses_text(self) -> str:
        return "; ".join(self.misses)

    @property
    def sentence(self) -> str:
        """"dinsdagochtend, 600 m, gratis; 7 van de 9 inwoners die hierheen gingen komen er nog"."""
        text = self.fits_text
        if self.evidence.sentence:
            text = f"{text}; {self.evidence.sentence}" if text else self.evidence.sentence
        return text

    def as_match(self) -> dict:
        """What a referral keeps of why it was suggested (``Referral.match``)."""
        return {"score": round(self.score, 4), "percent": self.percent, "fits": list(self.fits),
                "misses": list(self.misses), "evidence": self.evidence.sentence}


@dataclass(frozen=True, slots=True)
class Result:
    suggestions: list[Suggestion]
    total: int  # how many fit (after the hard needs and the filters), of which ``suggestions`` is the head
    excluded: int  # how many a hard need excluded


# --- weights ----------------------------------------------------------------------------------------------
def weights_from(raw: Mapping | None) -> dict[str, float]:
    """The municipality's weights over the defaults (unknown keys ignored, bad values the default)."""
    out = dict(DEFAULT_WEIGHTS)
    for name, value in (raw or {}).items():
        if name in FACTORS and isinstance(value, int | float) and not isinstance(value, bool) \
                and math.isfinite(value) and value >= 0:
            out[name] = float(value)
    return out


# --- the columns ------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Columns:
    """The candidates as numpy columns (row i = candidates[i]), built once per catalogue version."""

    candidates: tuple[Candidate, ...]
    ids: np.ndarray  # int64 activity ids, ascending
    interests: np.ndarray  # uint16
    groups: np.ndarray  # uint16
    kinds: np.ndarray  # uint8
    languages: np.ndarray  # uint16 (0: not stated)
    slots: np.ndarray  # uint32
    wijk: np.ndarray  # int64 (0: none)
    buurt: np.ndarray  # int64
    lat: np.ndarray  # float64 radians (nan: unknown)
    lon: np.ndarray
    online: np.ndarray  # bool
    cost: np.ndarray  # int8: 0 free, 1 amount, 2 donation
    wheelchair: np.ndarray
    hearing_loop: np.ndarray
    near_transport: np.ndarray
    capacity: np.ndarray  # int64 (-1: not given)
    recognition: np.ndarray  # float64: the best level of its interventions
    volunteering: np.ndarray  # bool
    confirmed: np.ndarray  # float64
    # (intervention id, row) pairs, sorted by intervention id
    intervention_ids: np.ndarray
    intervention_rows: np.ndarray

    @property
    def size(self) -> int:
        return len(self.candidates)


_COST = {CostType.FREE.value: 0, CostType.AMOUNT.value: 1, CostType.DONATION.value: 2}
_COST_VALUE = np.array([1.0, 0.0, 0.6])  # against a money barrier, by the cost code above


def build(candidates: Sequence[Candidate]) -> Columns:
    rows = tuple(sorted(candidates, key=lambda c: c.id))
    n = len(rows)

    def column(values, dtype):
        return np.fromiter(values, dtype=dtype, count=n)

    pairs = sorted((ref.id, i) for i, c in enumerate(rows) for ref in c.interventions)
    return Columns(
        candidates=rows,
        ids=column((c.id for c in rows), np.int64),
        interests=column((bits(INTEREST_BITS, c.interests) for c in rows), np.uint16),
        groups=column((bits(GROUP_BITS, c.target_groups) for c in rows), np.uint16),
        kinds=column((bits(KIND_BITS, c.loneliness_kinds) for c in rows), np.uint8),
        languages=column((bits(LANGUAGE_BITS, c.languages) for c in rows), np.uint16),
        slots=column((_slots(c.slots) for c in rows), np.uint32),
        wijk=column((c.wijk_id or 0 for c in rows), np.int64),
        buurt=column((c.buurt_id or 0 for c in rows), np.int64),
        lat=column((math.radians(c.lat) if c.lat is not None else math.nan for c in rows), np.float64),
        lon=column((math.radians(c.lon) if c.lon is not None else math.nan for c in rows), np.float64),
        online=column((c.online for c in rows), bool),
        cost=column((_COST.get(c.cost_type, 1) for c in rows), np.int8),
        wheelchair=column((c.wheelchair for c in rows), bool),
        hearing_loop=column((c.hearing_loop for c in rows), bool),
        near_transport=column((c.near_transport for c in rows), bool),
        capacity=column((-1 if c.capacity is None else c.capacity for c in rows), np.int64),
        recognition=column((_best_recognition(c) for c in rows), np.float64),
        volunteering=column((c.is_volunteering for c in rows), bool),
        confirmed=column((c.confirmed for c in rows), np.float64),
        intervention_ids=np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs)),
        intervention_rows=np.fromiter((p[1] for p in pairs), dtype=np.int64, count=len(pairs)),
    )


def _slots(slots) -> int:
    out = 0
    for day, part in slots:
        out |= slot_bit(day, part)
    return out


def _best_recognition(candidate: Candidate) -> float:
    return max((RECOGNITION_VALUE.get(ref.recognition, 0.0) for ref in candidate.interventions), default=0.0)


def _per_row(columns: Columns, counts: Mapping[int, int]) -> np.ndarray:
    """A per-activity-id count as a column (0 where absent)."""
    out = np.zeros(columns.size, dtype=np.int64)
    if not counts or not columns.size:
        return out
    keys = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    values = np.fromiter(counts.values(), dtype=np.int64, count=len(counts))
    at = np.searchsorted(columns.ids, keys)
    inside = at < columns.size
    at, keys, values = at[inside], keys[inside], values[inside]
    hit = columns.ids[at] == keys
    out[at[hit]] = values[hit]
    return out


_live_kept: tuple | None = None  # (columns, live, (taken, went, still)): the last pair's columns


def _live_rows(columns: Columns, live: Live) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The live counts as columns; kept for the last (columns, live) pair (both are kept per version by the
    caller, so the same pair comes back until the catalogue or the referrals change). Read-only arrays."""
    global _live_kept
    kept = _live_kept  # one read: another thread may replace it meanwhile
    if kept is not None and kept[0] is columns and kept[1] is live:
        return kept[2]
    out = tuple(_per_row(columns, counts) for counts in (live.taken, live.went, live.still))
    for array in out:
        array.flags.writeable = False
    _live_kept = (columns, live, out)
    return out


# --- scoring ----------------------------------------------------------------------------------------------
def applicable(need: Need) -> set[str]:
    """The factors that can tell anything for this resident (the others add nothing to any candidate)."""
    out = {"interests", "distance", "target_group", "recognition", "capacity", "local_evidence"}
    if need.availability:
        out.add("schedule")
    if "money" in need.barriers or need.free_only:
        out.add("cost")
    if need.barriers & {"mobility", "hearing_sight", "wheelchair"}:
        out.add("accessibility")
    if need.loneliness_kinds:
        out.add("loneliness_kind")
    return out


def factor_values(columns: Columns, need: Need, live: Live, min_cell: int) -> tuple[dict[str, np.ndarray],
                                                                                       np.ndarray, dict]:
    """Every factor's value per candidate (0..1), the hard-need mask (True = may be suggested) and the
    live columns (places left, evidence) the explanation reads."""
    n = columns.size
    values: dict[str, np.ndarray] = {}
    apply = applicable(need)

    # shared interests: 1 - 0.5^shared (never lower with one more shared)
    shared = np.bitwise_count(columns.interests & np.uint16(bits(INTEREST_BITS, need.effective_interests)))
    values["interests"] = 1.0 - np.power(0.5, shared.astype(np.float64))

    # distance from home
    km = np.full(n, np.nan)
    if need.point is not None:
        lon0, lat0 = math.radians(need.point[0]), math.radians(need.point[1])
        x = (columns.lon - lon0) * np.cos((columns.lat + lat0) / 2)
        y = columns.lat - lat0
        km = np.hypot(x, y) * 6371.0
    scale = KM_SCALE / 2 if need.barriers & {"mobility", "wheelchair"} else KM_SCALE
    by_km = np.clip(1.0 - km / scale, 0.1, 1.0)
    same_buurt = (columns.buurt == (need.buurt_id or -1)) & ~columns.online
    same_wijk = (columns.wijk == (need.wijk_id or -1)) & ~same_buurt & ~columns.online
    elsewhere_value = 0.15 if need.barriers & {"mobility", "wheelchair"} else 0.3
    distance = np.where(same_buurt, 1.0, np.where(same_wijk, 0.75, elsewhere_value))
    known = ~np.isnan(km) & ~columns.online
    distance = np.where(known & ~same_buurt, np.minimum(np.maximum(by_km, elsewhere_value), 0.9), distance)
    distance = np.where(columns.online, 0.8 if need.online_ok else 0.0, distance)
    values["distance"] = distance

    # schedule
    available = np.uint32(_slots(need.availability))
    if need.availability:
        values["schedule"] = np.where((columns.slots & available) != 0, 1.0,
                                      np.where(columns.slots == 0, NEUTRAL, 0.0))
    else:
        values["schedule"] = np.full(n, NEUTRAL)

    # cost against the money barrier
    values["cost"] = _COST_VALUE[columns.cost] if "cost" in apply else np.full(n, NEUTRAL)

    # accessibility (soft): ringleiding for hearing, public transport or wheelchair access for mobility
    needs = []
    if "hearing_sight" in need.barriers:
        needs.append(columns.hearing_loop | columns.online)
    if need.barriers & {"mobility", "wheelchair"}:
        needs.append(columns.near_transport | columns.online)
    values["accessibility"] = (np.mean(np.vstack(needs).astype(np.float64), axis=0) if needs
                               else np.full(n, NEUTRAL))

    # target group and age
    values["target_group"] = _target_values(columns, need)

    # kind of loneliness
    if need.loneliness_kinds:
        wanted = np.uint8(bits(KIND_BITS, need.loneliness_kinds))
        values["loneliness_kind"] = np.where((columns.kinds & wanted) != 0, 1.0,
                                             np.where(columns.kinds == 0, 0.3, 0.0))
    else:
        values["loneliness_kind"] = np.full(n, NEUTRAL)

    values["recognition"] = columns.recognition

    # places left
    taken, went, still = _live_rows(columns, live)
    left = np.where(columns.capacity >= 0, columns.capacity - taken, -1)
    values["capacity"] = np.where(columns.capacity > 0, np.clip(left / np.maximum(columns.capacity, 1), 0, 1),
                                  NEUTRAL)

    # local evidence: only when the count passes the small-cell rule; otherwise as if there were none
    shown = went >= max(min_cell, 1)
    values["local_evidence"] = np.where(shown, still / np.maximum(went, 1), NEUTRAL)

    # hard needs
    ok = np.ones(n, dtype=bool)
    if "wheelchair" in need.barriers:
        ok &= columns.wheelchair | columns.online
    if need.free_only:
        ok &= columns.cost == 0
    spoken = np.uint16(bits(LANGUAGE_BITS, need.spoken))
    ok &= (columns.languages == 0) | ((columns.languages & spoken) != 0)
    ok &= (columns.capacity < 0) | (left > 0)
    return values, ok, {"left": left, "went": went, "still": still, "shown": shown, "km": km}


def _target_values(columns: Columns, need: Need) -> np.ndarray:
    n = columns.size
    open_bits = GROUP_BITS[TargetGroup.EVERYONE.value]
    if need.age is None:
        return np.full(n, NEUTRAL)
    fitting = bits(GROUP_BITS, [g for g, (lo, hi) in AGE_GROUPS.items() if lo <= need.age <= hi])
    if "care_duties" in need.barriers:
        fitting |= GROUP_BITS[TargetGroup.CARERS.value]
    other_age = bits(GROUP_BITS, [g for g in AGE_GROUPS if not GROUP_BITS[g] & fitting])
    groups = columns.groups
    fits = (groups & np.uint16(fitting)) != 0
    only_other_age = (groups != 0) & ((groups & ~np.uint16(other_age)) == 0)
    return np.where(fits, 1.0, np.where(only_other_age, 0.0, np.where((groups & open_bits) != 0, 0.6, NEUTRAL)))


def _filter_mask(columns: Columns, filters: Filters) -> np.ndarray:
    mask = np.ones(columns.size, dtype=bool)
    if filters.interest:
        mask &= (columns.interests & np.uint16(INTEREST_BITS.get(filters.interest, 0))) != 0
    if filters.wijk_id:
        mask &= columns.wijk == filters.wijk_id
    day_bits = 0
    days = range(7) if filters.weekday is None else [filters.weekday]
    parts = PARTS if not filters.part_of_day else [filters.part_of_day] if filters.part_of_day in PARTS else []
    if filters.weekday is not None or filters.part_of_day:
        for day in days:
            for part in parts:
                day_bits |= slot_bit(day, part)
        mask &= (columns.slots & np.uint32(day_bits)) != 0
    if filters.free:
        mask &= columns.cost == 0
    if filters.wheelchair:
        mask &= columns.wheelchair
    return mask


def rank(columns: Columns, need: Need, *, weights: Mapping | None = None, live: Live | None = None,
         min_cell: int = 10, filters: Filters | None = None, limit: int | None = 50,
         fresh_since: float | None = None) -> Result:
    """The ranked suggestions for one resident; ``limit`` of them explained (None: all)."""
    _local.language = get_language() or ""
    try:
        return _rank(columns, need, weights=weights, live=live, min_cell=min_cell, filters=filters, limit=limit,
                     fresh_since=fresh_since)
    finally:
        _local.language = None


def _rank(columns, need, *, weights, live, min_cell, filters, limit, fresh_since) -> Result:
    weights = weights_from(weights)
    live = live or Live()
    filters = filters or Filters()
    if not columns.size:
        return Result([], 0, 0)
    values, ok, extra = factor_values(columns, need, live, min_cell)
    score = np.zeros(columns.size)
    for name, value in values.items():
        if weights[name]:
            score += weights[name] * value
    mask = _filter_mask(columns, filters)
    if fresh_since is not None:
        mask &= columns.confirmed >= fresh_since
    excluded = int(np.count_nonzero(mask & ~ok))
    mask &= ok
    rows = np.flatnonzero(mask)
    volunteering = columns.volunteering[rows] & need.wants_to_volunteer
    # entries: (score, row, kind, intervention id); activities and volunteer roles first
    entries = []
    if filters.kind in ("", KIND_ACTIVITY, KIND_VOLUNTEERING):
        keep = (np.ones(len(rows), dtype=bool) if not filters.kind
                else volunteering if filters.kind == KIND_VOLUNTEERING else ~volunteering)
        entries.append((rows[keep], np.where(volunteering[keep], 1, 0), np.zeros(np.count_nonzero(keep),
                                                                                 dtype=np.int64)))
    if filters.kind in ("", KIND_INTERVENTION) and len(columns.intervention_ids):
        entries.append(_interventions(columns, score, mask))
    if not entries:
        return Result([], 0, excluded)
    all_rows = np.concatenate([e[0] for e in entries])
    all_kinds = np.concatenate([e[1] for e in entries])
    all_intv = np.concatenate([e[2] for e in entries])
    total = len(all_rows)
    order = _order(columns, score, all_rows, all_kinds, all_intv, limit)
    maximum = sum(weights[name] for name in applicable(need)) or 1.0
    out = []
    shown_rows = all_rows[order]
    # the shown rows' factor values, gathered at once (one list per row, in FACTORS order)
    names = tuple(values)
    table = np.vstack([values[name][shown_rows] for name in names]).T.tolist() if len(order) else []
    rows_, kinds_, intvs_ = shown_rows.tolist(), all_kinds[order].tolist(), all_intv[order].tolist()
    for row, kind_code, intervention_id, factor_row in zip(rows_, kinds_, intvs_, table, strict=True):
        kind = (KIND_INTERVENTION, KIND_ACTIVITY, KIND_VOLUNTEERING)[kind_code + 1] if kind_code >= 0 \
            else KIND_INTERVENTION
        v = dict(zip(names, factor_row, strict=True))
        out.append(_suggestion(columns, row, kind, intervention_id, score, v, extra, need, weights, maximum))
    return Result(out, total, excluded)


def _interventions(columns: Columns, score: np.ndarray, mask: np.ndarray):
    """One entry per intervention: its best-scoring allowed activity (ties: the lowest activity id)."""
    rows = columns.intervention_rows
    allowed = mask[rows]
    ids, rows = columns.intervention_ids[allowed], rows[allowed]
    if not len(ids):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    order = np.lexsort((rows, -score[rows], ids))  # by intervention, best score first, then lowest row
    ids, rows = ids[order], rows[order]
    first = np.concatenate(([True], ids[1:] != ids[:-1]))
    return rows[first], np.full(np.count_nonzero(first), -1, dtype=np.int64), ids[first]


def _sort_titles(columns: Columns) -> np.ndarray:
    """Each row's position in title order (casefolded), computed once per Columns."""
    cached = getattr(columns, "_title_rank", None)
    if cached is None:
        order = sorted(range(columns.size), key=lambda i: (columns.candidates[i].title.casefold(),
                                                           columns.candidates[i].id))
        cached = np.empty(columns.size, dtype=np.int64)
        cached[np.asarray(order, dtype=np.int64)] = np.arange(columns.size)
        object.__setattr__(columns, "_title_rank", cached)
    return cached


def _order(columns, score, rows, kinds, interventions, limit) -> list[int]:
    """Indices into the entries: score high to low, then title, kind, id (total: no two entries tie)."""
    title_rank = _sort_titles(columns)
    s = np.round(score[rows], 9)
    keys = (interventions, kinds, title_rank[rows], -s)  # lexsort: last key is primary
    if limit is not None and limit < len(rows):
        # only the best `limit` need sorting: take every entry scoring at least the limit-th best score
        threshold = np.partition(-s, limit - 1)[limit - 1]
        head = np.flatnonzero(-s <= threshold)
        sub = np.lexsort(tuple(k[head] for k in keys))
        return head[sub][:limit].tolist()
    return np.lexsort(keys).tolist()


# --- explanation ------------------------------------------------------------------------------------------
def _slot_label(day: int, part: str) -> str:
    return f"{_s(WEEKDAYS[day])}{_s(PartOfDay(part).label)}"


def _interests_label(codes) -> str:
    return _("houdt van %(what)s") % {"what": ", ".join(_s(Interest(code).label) for code in codes)}


def _slots_label(slots) -> str:
    return _remembered("slots", frozenset(slots), _make_slots_label)


def _make_slots_label(slots) -> str:
    ordered = sorted(slots, key=lambda s: (s[0], PARTS.index(s[1])))
    labels = [_slot_label(d, p) for d, p in ordered[:3]]
    if len(ordered) > 3:
        labels.append(_("en vaker"))
    return ", ".join(labels)


def _metres(km: float, rough: bool) -> str:
    if km < 1:
        text = _("%(m)s m") % {"m": max(50, int(round(km * 1000, -1)))}
    else:
        text = _("%(km)s km") % {"km": f"{km:.1f}".replace(".", ",")}
    return _("ca. %(d)s") % {"d": text} if rough else text


def _money(amount: Decimal | None) -> str:
    if amount is None:
        return _("niet gratis")
    return "€ " + f"{amount:.2f}".replace(".", ",")


def _suggestion(columns, row, kind, intervention_id, score, v, extra, need, weights, maximum) -> Suggestion:
    """One suggestion explained; ``v``: its factor values (name -> float)."""
    c = columns.candidates[row]
    fits: list[str] = []
    misses: list[str] = []

    # when
    if need.availability and c.slots:
        matching = c.slots & need.availability
        if matching:
            fits.append(_slots_label(matching))
        else:
            days = {d for d, _p in c.slots}
            if len(days) == 1 and len(c.slots) > 1:
                misses.append(_("alleen op %(day)s") % {"day": _s(WEEKDAYS[next(iter(days))])})
            else:
                misses.append(_("alleen op %(when)s") % {"when": _slots_label(c.slots)})
    elif c.slots:
        fits.append(_slots_label(c.slots))

    # where
    km = float(extra["km"][row])
    if c.online:
        (fits if need.online_ok else misses).append(_("online") if need.online_ok else _("alleen online"))
    elif not math.isnan(km):
        if c.buurt_id and c.buurt_id == need.buurt_id:
            fits.append(_("in de eigen buurt, %(d)s") % {"d": _metres(km, need.point_is_rough)})
        else:
            far = km > (KM_SCALE / 2 if need.barriers & {"mobility", "wheelchair"} else KM_SCALE)
            (misses if far else fits).append(_metres(km, need.point_is_rough))
    elif c.buurt_id and c.buurt_id == need.buurt_id:
        fits.append(_("in de eigen buurt"))
    elif c.wijk_id and c.wijk_id == need.wijk_id:
        fits.append(_("in de eigen wijk"))
    elif c.wijk:
        text = _("in %(wijk)s") % {"wijk": c.wijk}
        (misses if need.barriers & {"mobility", "wheelchair"} else fits).append(text)

    # cost
    if c.cost_type == CostType.FREE:
        fits.append(_("gratis"))
    elif c.cost_type == CostType.DONATION:
        fits.append(_("vrijwillige bijdrage"))
    elif "money" in need.barriers or need.free_only:
        misses.append(_("kost %(amount)s") % {"amount": _money(c.cost_amount)})
    else:
        fits.append(_money(c.cost_amount))

    # accessibility
    if c.wheelchair and not c.online:
        fits.append(_("rolstoeltoegankelijk"))
    if "hearing_sight" in need.barriers and not c.online:
        (fits if c.hearing_loop else misses).append(_("ringleiding") if c.hearing_loop else _("geen ringleiding"))
    if need.barriers & {"mobility", "wheelchair"} and not c.online:
        if c.near_transport:
            fits.append(_("dicht bij openbaar vervoer"))
        else:
            misses.append(_("niet dicht bij openbaar vervoer"))

    # interests
    shared = sorted(c.interests & need.effective_interests)
    if shared:
        fits.append(_remembered("interests", tuple(shared), _interests_label))

    # target group and age
    if v["target_group"] == 1.0 and c.target_groups:
        fitting = [_s(TargetGroup(g).label) for g in sorted(c.target_groups) if g in TargetGroup.values
                   and g in AGE_GROUPS and AGE_GROUPS[g][0] <= (need.age or -1) <= AGE_GROUPS[g][1]]
        if fitting:
            fits.append(_("voor %(group)s") % {"group": fitting[0]})
    elif v["target_group"] == 0.0:
        groups = ", ".join(_s(TargetGroup(g).label) for g in sorted(c.target_groups) if g in TargetGroup.values)
        misses.append(_("bedoeld voor %(group)s") % {"group": groups})

    # kind of loneliness
    if need.loneliness_kinds and c.loneliness_kinds:
        common = sorted(c.loneliness_kinds & need.loneliness_kinds)
        if common:
            fits.append(_("helpt bij %(kind)s eenzaamheid") % {"kind": " en ".join(_s(KIND_ADJECTIVE[k])
                                                                                   for k in common)})
        else:
            misses.append(_("gericht op een andere soort eenzaamheid"))

    # language not stated but the resident does not speak Dutch
    if "language" in need.barriers and not c.languages and Language.DUTCH.value not in need.spoken:
        misses.append(_("voertaal niet vermeld"))

    # recognition
    chosen = [ref for ref in c.interventions if ref.id == intervention_id] if kind == KIND_INTERVENTION \
        else sorted(c.interventions, key=lambda r: -RECOGNITION_VALUE.get(r.recognition, 0.0))[:1]
    for ref in chosen:
        if ref.recognition != Recognition.NOT_ASSESSED:
            fits.append(_("%(name)s: %(level)s") % {"name": ref.name, "level": _s(Recognition(ref.recognition).label)})

    # places left
    left = int(extra["left"][row])
    if c.capacity is not None and c.capacity > 0:
        text = ngettext("nog %(n)s plaats", "nog %(n)s plaatsen", left) % {"n": left}
        (fits if left >= 3 else misses).append(text)

    evidence = evidence_of(int(extra["went"][row]), int(extra["still"][row]), bool(extra["shown"][row]))
    factors = {name: round(v[name], 4) for name in FACTORS}
    if kind == KIND_INTERVENTION:
        ref = chosen[0] if chosen else InterventionRef(intervention_id, "", Recognition.NOT_ASSESSED.value)
        return Suggestion(kind=kind, id=intervention_id, activity_id=c.id, intervention_id=intervention_id,
                          organisation_id=c.organisation_id, title=ref.name, organisation=c.organisation,
                          score=float(score[row]), percent=_percent(score[row], maximum), factors=factors,
                          fits=tuple(fits), misses=tuple(misses), evidence=evidence, via=c.title)
    return Suggestion(kind=kind, id=c.id, activity_id=c.id, intervention_id=None, organisation_id=c.organisation_id,
                      title=c.title, organisation=c.organisation, score=float(score[row]),
                      percent=_percent(score[row], maximum), factors=factors, fits=tuple(fits),
                      misses=tuple(misses), evidence=evidence)


def _percent(score: float, maximum: float) -> int:
    return max(0, min(100, int(round(100 * float(score) / maximum))))


def evidence_of(went: int, still: int, shown: bool) -> Evidence:
    """The sentence of the local evidence: the figures only when shown (the small-cell rule passed)."""
    if shown and went:
        sentence = ngettext("%(still)s van de %(went)s inwoner die hierheen ging komt er nog",
                            "%(still)s van de %(went)s inwoners die hierheen gingen komen er nog",
                            went) % {"still": still, "went": went}
        return Evidence(True, went, still, sentence)
    if went:
        return Evidence(False, None, None, _("lokale ervaring: te weinig gegevens"))
    return Evidence(False, None, None, "")


def age_in(year: int, birth_year: int | None) -> int | None:
    return None if not birth_year else year - birth_year


def today_year() -> int:
    return dt.date.today().year
