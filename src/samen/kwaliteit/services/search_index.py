"""The public search's index: the searchable facts of a gemeente's running activities, in memory.

Every public search (the finder page and GET /api/v1/activities/) filters, counts and orders the whole
public catalogue: with tens of thousands of activities that is most of a search's cost when the database
does it for every request (a count, a count per wijk and an ordered walk over the planned dates; about
12 ms of PostgreSQL time per search with 20,000 activities, see benchmarks/RESULTS.md). The catalogue
changes a few times a day and is read thousands of times, so each server process keeps what the
search needs as columns (numpy arrays, one row per activity) and answers a search with a few vector
operations; the database then reads just the page's rows.

**Valid for one catalogue token and one day.** The token (kwaliteit.changes) changes with every write to
the catalogue's tables, by any path; the next search in each process builds the index again (about a
second with 20,000 activities and 460,000 planned dates, a few milliseconds with a real municipality's
catalogue). What moves with the clock is applied per search: the freshness limit (``confirmed_at``
against the gemeente's months) and ``today`` (a new day builds a new index).

**Same answers as the definition.** ``kwaliteit.services.search.search(...).activities`` is the order
as one SQL query (a subquery per activity); a property test holds the index's pages to it. Ties are
broken in the database's own order (start time, title, id: read in that order when building), so the
collation of titles is the database's, as before. Words match case-insensitively as substrings of title,
description, place and organiser (``str.casefold``; the database's ``icontains`` upper-cases).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from django.db.models import QuerySet

from samen.core.models import Gemeente
from samen.kwaliteit import changes
from samen.kwaliteit.models import Activity, Occurrence
from samen.kwaliteit.services.catalogue import running_activities
from samen.kwaliteit.vocabulary import CostType, Interest, PartOfDay, TargetGroup

if TYPE_CHECKING:
    from samen.kwaliteit.services.search import Filters

NO_DATE = np.int64(1 << 20)  # 'no planned date' as a day offset: after every real one
LAST = 999  # proximity of an online activity (or one without a wijk) near a postcode
NEVER = -np.inf  # confirmed_at of an activity never confirmed: hidden by any freshness limit
_INTEREST_BITS = {code: np.uint64(1 << bit) for bit, code in enumerate(Interest.values)}
_GROUP_BITS = {code: np.uint64(1 << bit) for bit, code in enumerate(TargetGroup.values)}
_PARTS = {code: number for number, code in enumerate(PartOfDay.values)}
FIELDS = ("pk", "confirmed_at", "wijk_id", "buurt_id", "part_of_day", "cost_type", "wheelchair_accessible",
          "online", "location_id", "interests", "target_groups", "title", "description", "location__name",
          "organisation__name")


@dataclass(frozen=True, eq=False)
class Index:
    """One gemeente's running activities as columns; row i is the i-th activity in tie order (start time,
    title, id as the database sorts them)."""

    gemeente_id: int
    token: int | None
    today: dt.date
    ids: np.ndarray  # int64 activity ids
    confirmed: np.ndarray  # float64 seconds since the epoch of confirmed_at (NEVER when empty)
    wijk: np.ndarray  # int64 wijk id, 0 when none (online)
    buurt: np.ndarray  # int64 buurt id, 0 when none
    part: np.ndarray  # int8: part of the day (position in PartOfDay; -1 unknown)
    free: np.ndarray  # bool
    wheelchair: np.ndarray  # bool
    online: np.ndarray  # bool
    located: np.ndarray  # bool: has a place
    interests: np.ndarray  # uint64 bit per Interest code
    groups: np.ndarray  # uint64 bit per TargetGroup code
    text: tuple[str, ...]  # casefolded title, description, place and organiser, one line each
    first: np.ndarray  # int64 days from today to the first planned date (NO_DATE: none)
    first_on: np.ndarray  # int64 (7, n): days from today to the first planned date on each weekday
    days: np.ndarray  # uint8 (horizon, ceil(n / 8)): bit i of row d = activity i has a date on today + d

    @property
    def size(self) -> int:
        return len(self.ids)

    def on_day(self, offset: int) -> np.ndarray:
        """Which activities have a planned date ``offset`` days from today."""
        if not 0 <= offset < len(self.days):
            return np.zeros(self.size, dtype=bool)
        return np.unpackbits(self.days[offset], count=self.size).astype(bool)


@dataclass(frozen=True, eq=False)
class Match:
    """The activities one search finds: their rows in the index, next dates (days from today), closeness
    near a postcode, and the order key (closeness, next date, tie order)."""

    index: Index
    rows: np.ndarray
    next_day: np.ndarray
    proximity: np.ndarray | None
    keys: np.ndarray

    def count(self) -> int:
        return len(self.rows)

    def per_wijk(self) -> dict[int, int]:
        wijken = self.index.wijk[self.rows]
        codes, counts = np.unique(wijken[wijken != 0], return_counts=True)
        return dict(zip(codes.tolist(), counts.tolist(), strict=True))

    def page(self, start: int, stop: int) -> list[tuple[int, dt.date | None, int | None]]:
        """(activity id, next date, proximity) of results start..stop-1, in order."""
        n = len(self.keys)
        start, stop = max(0, start), min(stop, n)
        if start >= stop:
            return []
        if stop < n:  # only the first `stop` need sorting
            head = np.argpartition(self.keys, stop - 1)[:stop]
            chosen = head[np.argsort(self.keys[head], kind="stable")][start:stop]
        else:
            chosen = np.argsort(self.keys, kind="stable")[start:stop]
        today = self.index.today
        out = []
        for i in chosen.tolist():
            offset = int(self.next_day[i])
            out.append((int(self.index.ids[self.rows[i]]),
                        None if offset >= NO_DATE else today + dt.timedelta(days=offset),
                        None if self.proximity is None else int(self.proximity[i])))
        return out


def match(index: Index, filters: Filters, *, cutoff: dt.datetime, wijk_order: tuple[int, ...] = ()) -> Match:
    """The index rows matching ``filters`` (kwaliteit.services.search.Filters, already checked), confirmed
    since ``cutoff``; near a postcode, ``wijk_order`` ranks the wijken from near to far."""
    f = filters
    mask = index.confirmed >= cutoff.timestamp()
    if f.wijk is not None:
        mask &= index.wijk == f.wijk.pk
    if f.part_of_day:
        mask &= index.part == _PARTS.get(f.part_of_day, -2)
    if f.interests:
        mask &= (index.interests & _bits(_INTEREST_BITS, f.interests)) != 0
    if f.target_group:
        mask &= (index.groups & _bits(_GROUP_BITS, f.fitting_groups)) != 0
    if f.free:
        mask &= index.free
    if f.accessible:
        mask &= index.wheelchair
    if f.online is True:
        mask &= index.online
    elif f.online is False:
        mask &= index.located
    if f.date is not None:
        mask &= index.on_day((f.date - index.today).days)
    elif f.weekday is not None:
        mask &= index.first_on[f.weekday] != NO_DATE
    rows = np.flatnonzero(mask)
    for word in f.words:  # last: the other filters cut the rows first
        word = word.casefold()
        text = index.text
        rows = rows[np.fromiter((word in text[row] for row in rows.tolist()), dtype=bool, count=len(rows))]
    if f.date is not None:
        next_day = np.full(len(rows), (f.date - index.today).days, dtype=np.int64)
    elif f.weekday is not None:
        next_day = index.first_on[f.weekday][rows]
    else:
        next_day = index.first[rows]
    horizon = np.int64(len(index.days) + 1)
    keys = np.minimum(next_day, horizon) * index.size + rows
    proximity = None
    if f.near is not None:
        rank = {wijk: position + 1 for position, wijk in enumerate(wijk_order)}
        wijken = index.wijk[rows]
        proximity = np.full(len(rows), LAST, dtype=np.int64)
        for wijk, position in rank.items():
            proximity[wijken == wijk] = position
        proximity[np.isin(index.buurt[rows], np.fromiter(f.near.buurt_ids, dtype=np.int64))] = 0
        keys = keys + proximity * (horizon + 1) * index.size
    return Match(index=index, rows=rows, next_day=next_day, proximity=proximity, keys=keys)


def _bits(vocabulary: dict[str, np.uint64], codes) -> np.uint64:
    out = np.uint64(0)
    for code in codes:
        out |= vocabulary.get(code, np.uint64(0))
    return out


# --- one index per gemeente per process ---------------------------------------------------------------

_indexes: dict[int, Index] = {}
_lock = threading.Lock()


def index_for(gemeente: Gemeente, today: dt.date) -> Index:
    """The gemeente's index for today, built again when the catalogue changed (or the day did)."""
    token = changes.token()
    current = _indexes.get(gemeente.pk)
    if token is not None and current is not None and current.token == token and current.today == today:
        return current
    with _lock:  # one thread of the process builds; the others wait for it rather than build too
        current = _indexes.get(gemeente.pk)
        if token is not None and current is not None and current.token == token and current.today == today:
            return current
        index = build(gemeente, today, token)
        if token is not None:
            _indexes[gemeente.pk] = index
        return index


def forget() -> None:
    """Drop every index of this process (tests: a rolled-back test can leave an index whose ids and change
    token a later test reuses; a new one is built on the next search)."""
    with _lock:
        _indexes.clear()


def build(gemeente: Gemeente, today: dt.date, token: int | None = None) -> Index:
    activities: QuerySet[Activity] = running_activities(gemeente, today).order_by("start_time", "title", "pk")
    rows = list(activities.values_list(*FIELDS))
    n = len(rows)
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(FIELDS)
    (ids, confirmed, wijk, buurt, part, cost, wheelchair, online, location, interests, groups, title,
     description, place, organiser) = columns
    ids = np.array(ids, dtype=np.int64)
    dates = _planned_days(gemeente, today, ids)
    first, first_on, days = _date_columns(dates, n, today)
    return Index(
        gemeente_id=gemeente.pk, token=token, today=today, ids=ids,
        confirmed=np.array([c.timestamp() if c is not None else NEVER for c in confirmed], dtype=np.float64),
        wijk=np.array([w or 0 for w in wijk], dtype=np.int64),
        buurt=np.array([b or 0 for b in buurt], dtype=np.int64),
        part=np.array([_PARTS.get(code, -1) for code in part], dtype=np.int8),
        free=np.array([c == CostType.FREE for c in cost], dtype=bool),
        wheelchair=np.array(wheelchair, dtype=bool), online=np.array(online, dtype=bool),
        located=np.array([loc is not None for loc in location], dtype=bool),
        interests=np.array([_bits(_INTEREST_BITS, codes or ()) for codes in interests], dtype=np.uint64),
        groups=np.array([_bits(_GROUP_BITS, codes or ()) for codes in groups], dtype=np.uint64),
        text=tuple("\n".join((t, d, p or "", o or "")).casefold()
                   for t, d, p, o in zip(title, description, place, organiser, strict=True)),
        first=first, first_on=first_on, days=days)


def _planned_days(gemeente: Gemeente, today: dt.date, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row in the index, days from today) of every planned date from today on of the index's activities."""
    origin = today.toordinal()
    planned = (Occurrence.objects.filter(date__gte=today, activity__gemeente=gemeente)
               .values_list("activity_id", "date").iterator(chunk_size=20_000))
    pairs = np.fromiter(((activity, day.toordinal() - origin) for activity, day in planned),
                        dtype=[("activity", np.int64), ("day", np.int64)])
    if not len(ids) or not len(pairs):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    by_id = np.argsort(ids)
    place = np.searchsorted(ids[by_id], pairs["activity"])
    place = np.minimum(place, len(ids) - 1)
    known = ids[by_id][place] == pairs["activity"]  # dates of activities not running (withdrawn, over): out
    return by_id[place[known]], pairs["day"][known]


def _date_columns(dates: tuple[np.ndarray, np.ndarray], n: int, today: dt.date):
    rows, offsets = dates
    first = np.full(n, NO_DATE, dtype=np.int64)
    first_on = np.full((7, n), NO_DATE, dtype=np.int64)
    horizon = int(offsets.max()) + 1 if len(offsets) else 0
    days = np.zeros((horizon, (n + 7) // 8), dtype=np.uint8)
    if len(offsets):
        np.minimum.at(first, rows, offsets)
        np.minimum.at(first_on, ((today.weekday() + offsets) % 7, rows), offsets)
        # np.packbits order: the first activity of a byte is its highest bit
        np.bitwise_or.at(days, (offsets, rows >> 3), (np.uint8(128) >> (rows & 7).astype(np.uint8)))
    return first, first_on, days
