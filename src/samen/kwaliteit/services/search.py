"""Search the public catalogue: the one function behind the finder page and GET /api/v1/activities/.

Every search starts from ``catalogue.public_activities()`` (approved, fresh, not over), so nothing the
public may not see can come out of it. Filters are checked here, not in the callers: a bad value raises
``SearchError`` naming the parameter, whichever way it came in (a form, a URL, the API).

**Near a postcode.** The postcode (with an optional house number) is placed with the municipality's
postcode table. Results are then ordered by closeness, not cut off: first the activities in the
postcode's own buurt, then the rest of its wijk, then the other wijken from near to far (first those whose
boundaries touch it, then the others, each by the distance between the wijken's centres), and online
activities last. A resident who types a
postcode still sees everything, nearest first; the wijk filter is there to narrow down. Distances
between buurten or addresses would need coordinates the catalogue does not have for every place; the
wijk level is what the postcode table and the map give us, and it matches how residents speak of their
neighbourhood ("in Zuid", "in de Meent").

**Dates.** ``day`` is a date or a weekday; it matches the activity's planned dates (``Occurrence``
rows, generated for the coming half year). Every result carries ``next_date``: its first planned date
from today (or the first matching the day asked for), used for display and ordering.

**Speed.** ``Found.activities`` is the plain definition of the order (a subquery per activity);
``Found.results`` serves pages of the same rows from queries that stay fast with tens of thousands of
activities (see ``Found``). benchmarks/kwaliteit_search_load.py measures it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core.models import Gemeente, Organisation, PostcodeRange, Wijk
from samen.core.services import geography
from samen.kwaliteit import schedule
from samen.kwaliteit.geometry import nearest_first
from samen.kwaliteit.models import Activity, Location, Occurrence
from samen.kwaliteit.services.catalogue import public_activities
from samen.kwaliteit.vocabulary import CostType, Interest, PartOfDay, TargetGroup

# Parameter names as the API and the finder's URLs spell them.
PARAMETERS = ("q", "wijk", "postcode", "house_number", "day", "part", "interest", "target_group", "free",
              "accessible", "online")
MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
LAST = 999  # proximity of an online activity (or one without a wijk) in a search near a postcode

WEEKDAY_WORDS = {
    0: ("maandag", "ma", "monday", "mon", "mo"),
    1: ("dinsdag", "di", "tuesday", "tue", "tu"),
    2: ("woensdag", "wo", "wednesday", "wed", "we"),
    3: ("donderdag", "do", "thursday", "thu", "th"),
    4: ("vrijdag", "vr", "friday", "fri", "fr"),
    5: ("zaterdag", "za", "saturday", "sat", "sa"),
    6: ("zondag", "zo", "sunday", "sun", "su"),
}
WEEKDAYS = {word: number for number, words in WEEKDAY_WORDS.items() for word in words}
TRUE_WORDS = frozenset({"1", "true", "ja", "yes", "on", "waar"})
FALSE_WORDS = frozenset({"", "0", "false", "nee", "no", "off", "onwaar"})
# An activity for older people fits a 75-plusser too; 'everyone' fits every group.
ALSO_FITS = {TargetGroup.SENIORS_75.value: (TargetGroup.SENIORS_65.value,)}


class SearchError(ValueError):
    """A filter value that cannot be used; ``parameter`` names it as the URL spells it."""

    def __init__(self, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class Near:
    """Where 'near a postcode' is: the postcode's buurten and wijk, and the wijken from near to far."""

    postcode: str
    house_number: int | None
    buurt_ids: frozenset[int]
    wijk: Wijk
    wijk_order: tuple[int, ...]  # wijk ids, nearest first (the postcode's own wijk first)

    @property
    def postcode_display(self) -> str:
        return f"{self.postcode[:4]} {self.postcode[4:]}"


@dataclass(frozen=True)
class Filters:
    """The checked filters of one search (what the finder shows back to the resident)."""

    q: str = ""
    wijk: Wijk | None = None
    near: Near | None = None
    date: dt.date | None = None
    weekday: int | None = None
    part_of_day: str = ""
    interests: tuple[str, ...] = ()
    target_group: str = ""
    free: bool = False
    accessible: bool = False
    online: bool | None = None


@dataclass(frozen=True)
class Segment:
    """A run of results with the same closeness: its rows, how many, and the proximity they show."""

    where: Q
    size: int
    proximity: int | None


class Found:
    """The result of one search: public activities matching the filters, nearest first (in a search near a
    postcode), then soonest first (``next_date``: the first planned date, or the first on the day asked
    for), then by start time, title and id; activities without a planned date last.

    ``activities`` is that definition as one queryset, annotated with ``next_date`` and, near a postcode,
    ``proximity`` (0 = the postcode's buurt, 1 = its wijk, 2... = the other wijken from near to far, 999 =
    online). Ordering it costs one subquery per matching activity: fine for a few hundred, too slow for
    every search among thousands. ``results`` gives the same rows in the same order, cut into segments of
    equal closeness (counted in one query): a large segment is read by walking the planned dates in date
    order (``_dated``), which stops as soon as the page is full; a small one by the subquery per activity.
    A property test holds ``results`` to ``activities``.
    """

    SMALL = 1500  # up to this many activities, the subquery per activity is the cheaper way

    def __init__(self, *, filters: Filters, today: dt.date, base: QuerySet[Activity], matching: QuerySet[Activity],
                 activities: QuerySet[Activity], dates: QuerySet[Occurrence]):
        self.filters, self.today = filters, today
        self.base = base  # filtered on everything but the day (the dated query joins the day itself)
        self.matching = matching  # filtered, not annotated or ordered
        self.activities = activities  # the definition of the order
        self._dates = dates  # the planned dates that count (from today; on the day asked for)
        self._counts: dict | None = None
        self._total: int | None = None

    @property
    def near(self) -> Near | None:
        return self.filters.near

    @property
    def has_day(self) -> bool:
        return self.filters.date is not None or self.filters.weekday is not None

    @property
    def results(self) -> Results:
        return Results(self)

    # --- counting -----------------------------------------------------------------------------

    def _tally(self) -> dict:
        """{wijk id or None: (activities, of which in the postcode's buurten)} in one query."""
        if self._counts is None:
            buurten = sorted(self.near.buurt_ids) if self.near else []
            rows = (self.matching.order_by().values("wijk_id")
                    .annotate(n=Count("pk"), in_buurt=Count("pk", filter=Q(buurt_id__in=buurten)))
                    .values_list("wijk_id", "n", "in_buurt"))
            self._counts = {wijk: (n, in_buurt) for wijk, n, in_buurt in rows}
        return self._counts

    def count(self) -> int:
        if self._total is None:
            if self._counts is None and self.near is None:
                self._total = self.matching.count()
            else:
                self._total = sum(n for n, _in_buurt in self._tally().values())
        return self._total

    def per_wijk(self) -> dict[int, int]:
        """How many matching activities each wijk has (online activities have none)."""
        return {wijk: n for wijk, (n, _in_buurt) in self._tally().items() if wijk is not None}

    def _segments(self) -> list[Segment]:
        if self.near is None:
            return [Segment(Q(), self.count(), None)]
        tally, buurten = self._tally(), sorted(self.near.buurt_ids)
        segments = [Segment(Q(buurt_id__in=buurten), sum(b for _n, b in tally.values()), 0)]
        for rank, wijk in enumerate(self.near.wijk_order, start=1):
            n, in_buurt = tally.get(wijk, (0, 0))
            segments.append(Segment(Q(wijk_id=wijk) & ~Q(buurt_id__in=buurten), n - in_buurt, rank))
        known = set(self.near.wijk_order)
        rest = sum(n - b for wijk, (n, b) in tally.items() if wijk not in known)
        segments.append(Segment(Q(wijk__isnull=True) | ~Q(wijk_id__in=sorted(known)), rest, LAST))
        return segments

    # --- one page -----------------------------------------------------------------------------

    def slice(self, start: int, stop: int) -> list[Activity]:
        """Rows start..stop-1 of the results, each with next_date and (near a postcode) proximity."""
        spanned, position = [], 0
        for segment in self._segments():
            low, high = max(start - position, 0), min(stop - position, segment.size)
            if low < high:
                spanned.append((segment, low, high))
            position += segment.size
            if position >= stop:
                break
        if len(spanned) > 1 and sum(segment.size for segment, _low, _high in spanned) <= self.SMALL:
            # Several small segments (a page across sparse wijken): one query over just those.
            where = Q()
            for segment, _low, _high in spanned:
                where |= segment.where
            low = spanned[0][1]
            return self._rows(self._keys(where)[low:low + sum(high - low for _s, low, high in spanned)])
        rows = []
        for segment, low, high in spanned:
            keys = self._keys(segment.where)[low:high] if segment.size <= self.SMALL else \
                self._walked_keys(segment.where, low, high)
            rows += self._rows(keys, segment.proximity)
        return rows

    def _keys(self, where: Q):
        """(id, next date, proximity) of the matching activities in ``where``, in order: the definition."""
        closeness = "proximity" if self.near is not None else Value(None, output_field=IntegerField())
        return self.activities.filter(where).values_list("pk", "next_date", closeness)

    def _walked_keys(self, where: Q, low: int, high: int) -> list[tuple]:
        """Rows low..high-1 of a large segment: those with a planned date by walking the dates, then those
        without one (only possible without a day filter: with one, every match has a date)."""
        dated = self._dated(where)
        keys = [(pk, day, None) for pk, day in dated.values_list("pk", "next_date")[low:high]]
        if len(keys) == high - low or self.has_day:
            return keys
        dated_count = low + len(keys) if keys or low == 0 else dated.count()
        rest = (self.matching.filter(where).filter(~Exists(self._dates.filter(activity=OuterRef("pk"))))
                .order_by("start_time", "title", "pk").values_list("pk", flat=True))
        return keys + [(pk, None, None) for pk in rest[max(low - dated_count, 0):high - dated_count]]

    def _dated(self, where: Q) -> QuerySet[Activity]:
        """Activities with a planned date, joined to their first one, in date order.

        The join runs from the planned dates in date order (index occurrence_date_idx) and PostgreSQL stops
        as soon as the page is full; the NOT EXISTS keeps only each activity's first date.
        """
        condition = Q(occurrences__date__gte=self.today)
        if self.filters.date is not None:
            condition &= Q(occurrences__date=self.filters.date)
        elif self.filters.weekday is not None:  # as dates: the walk then reads only those days' index entries
            condition &= Q(occurrences__date__in=weekday_dates(self.today, self.filters.weekday))
        earlier = self._dates.filter(activity=OuterRef("pk"), date__lt=OuterRef("next_date"))
        # Ordered by the planned date's own start time (the same as the activity's: the dates are copied from
        # it), so that an index on (date, start_time) could hand the rows over in order.
        return (self.base.filter(where).annotate(upcoming=FilteredRelation("occurrences", condition=condition))
                .annotate(next_date=F("upcoming__date"), next_start=F("upcoming__start_time"))
                .filter(next_date__isnull=False).filter(~Exists(earlier))
                .order_by("next_date", "next_start", "title", "pk"))

    def _rows(self, keys, proximity: int | None = None) -> list[Activity]:
        """The activities of (id, next date, proximity) keys, in that order, read with their place,
        organiser and wijk in one query (the page was cut on narrow rows: sorting whole rows would spill)."""
        keys = list(keys)
        if not keys:
            return []
        found = self.base.in_bulk([key[0] for key in keys])
        out = []
        for pk, next_date, closeness in keys:
            activity = found.get(pk)
            if activity is None:  # gone between the two queries
                continue
            activity.next_date = next_date
            if self.near is not None:
                activity.proximity = closeness if closeness is not None else proximity
            out.append(activity)
        return out


class Results(Sequence):
    """The results as a sequence a Paginator (Django's or DRF's) can count and slice."""

    def __init__(self, found: Found):
        self.found = found

    def count(self) -> int:
        return self.found.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(self.count())
            if step != 1:
                raise ValueError("results slice with a step")
            return self.found.slice(start, stop)
        if index < 0:
            index += self.count()
        rows = self.found.slice(index, index + 1)
        if not rows:
            raise IndexError(index)
        return rows[0]


def search(gemeente: Gemeente, *, q=None, wijk=None, postcode=None, house_number=None, day=None, part_of_day=None,
           interest=None, target_group=None, free=False, accessible=False, online=None,
           now: dt.datetime | None = None) -> Found:
    """Public activities of ``gemeente`` matching the filters; raises SearchError for a bad value.

    Values may be typed (a date, a bool, a list of codes) or the raw strings of a URL: ``day`` is a date
    (2026-12-01), a weekday (dinsdag, tuesday, 1 = Tuesday as in Occurrence.weekday); ``interest`` one or
    more codes (a list, or comma-separated); ``free``/``accessible``/``online`` true/false, ja/nee, 1/0.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    filters = Filters(
        q=_clean_text(q), wijk=_wijk(gemeente, wijk), near=_near(gemeente, postcode, house_number),
        **_day(day), part_of_day=_choice("part", part_of_day, PartOfDay.values),
        interests=_codes("interest", interest, Interest.values),
        target_group=_choice("target_group", target_group, TargetGroup.values),
        free=bool(_flag("free", free)), accessible=bool(_flag("accessible", accessible)),
        online=_flag("online", online, allow_none=True))
    matching = (public_activities(gemeente, now).select_related("location", "organisation", "wijk")
                .defer("wijk__boundary"))
    matching = base = _filter(matching, filters, gemeente).order_by()
    dates = Occurrence.objects.filter(date__gte=today)
    if filters.date is not None:
        dates = dates.filter(date=filters.date)
    elif filters.weekday is not None:
        dates = dates.filter(weekday=filters.weekday)
    if filters.date is not None or filters.weekday is not None:
        matching = matching.filter(Exists(dates.filter(activity=OuterRef("pk"))))
    first = dates.filter(activity=OuterRef("pk")).order_by("date", "start_time")
    activities = matching.annotate(next_date=Subquery(first.values("date")[:1]))
    order = [F("next_date").asc(nulls_last=True), "start_time", "title", "pk"]
    if filters.near is not None:
        activities = activities.annotate(proximity=_proximity(filters.near))
        order.insert(0, "proximity")
    return Found(filters=filters, today=today, base=base, matching=matching.order_by(),
                 activities=activities.order_by(*order), dates=dates)


def weekday_dates(today: dt.date, weekday: int) -> list[dt.date]:
    """Every date from today on that falls on the weekday, as far ahead as planned dates are kept (one-off
    events two years ahead). A weekday asked as these dates uses the index on the date, and no table row."""
    first = today + dt.timedelta(days=(weekday - today.weekday()) % 7)
    last = today + dt.timedelta(days=max(schedule.HORIZON_DAYS, 2 * 366) + 7)
    return [first + dt.timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]


def _filter(activities: QuerySet[Activity], f: Filters, gemeente: Gemeente) -> QuerySet[Activity]:
    for word in f.q.split()[:MAX_WORDS]:
        # Places and organisers are looked up on their own (small) tables: no join per activity.
        places = Location.objects.filter(gemeente=gemeente, name__icontains=word).values("pk")
        organisers = Organisation.objects.filter(gemeente=gemeente, name__icontains=word).values("pk")
        activities = activities.filter(Q(title__icontains=word) | Q(description__icontains=word)
                                       | Q(location__in=places) | Q(organisation__in=organisers))
    if f.wijk is not None:
        activities = activities.filter(wijk=f.wijk)
    if f.part_of_day:
        activities = activities.filter(part_of_day=f.part_of_day)
    if f.interests:
        any_interest = Q()
        for code in f.interests:
            any_interest |= Q(interests__has_code=code)
        activities = activities.filter(any_interest)
    if f.target_group:
        groups = (f.target_group, *ALSO_FITS.get(f.target_group, ()), TargetGroup.EVERYONE.value)
        fits = Q()
        for code in dict.fromkeys(groups):
            fits |= Q(target_groups__has_code=code)
        activities = activities.filter(fits)
    if f.free:
        activities = activities.filter(cost_type=CostType.FREE)
    if f.accessible:
        activities = activities.filter(wheelchair_accessible=True)
    if f.online is True:
        activities = activities.filter(online=True)
    elif f.online is False:
        activities = activities.filter(location__isnull=False)
    return activities


def _proximity(near: Near) -> Case:
    whens = [When(buurt_id__in=sorted(near.buurt_ids), then=Value(0))]
    whens += [When(wijk_id=wijk_id, then=Value(rank + 1)) for rank, wijk_id in enumerate(near.wijk_order)]
    return Case(*whens, default=Value(LAST), output_field=IntegerField())


# --- checking the filters -------------------------------------------------------------------------

def _clean_text(value) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchError("q", _("Zoek met hooguit %(n)s tekens.") % {"n": MAX_QUERY_LENGTH})
    return text


def _wijk(gemeente: Gemeente, value) -> Wijk | None:
    code = value.code if isinstance(value, Wijk) else str(value or "").strip().upper()
    if not code:
        return None
    wijk = Wijk.objects.filter(gemeente=gemeente, code=code).defer("boundary").first()
    if wijk is None:
        raise SearchError("wijk", _("Wijk '%(code)s' bestaat niet in %(gemeente)s.")
                          % {"code": code, "gemeente": gemeente.name})
    return wijk


def _near(gemeente: Gemeente, postcode, house_number) -> Near | None:
    raw_number = str(house_number if house_number is not None else "").strip()
    if not str(postcode or "").strip():
        if raw_number:
            raise SearchError("house_number", _("Vul bij het huisnummer ook de postcode in."))
        return None
    try:
        code = geography.clean_postcode(str(postcode))
    except geography.InvalidPostcode as exc:
        raise SearchError("postcode", str(exc)) from None
    number = None
    if raw_number:
        if not raw_number.isdigit() or int(raw_number) < 1 or int(raw_number) > 99999:
            raise SearchError("house_number", _("'%(value)s' is geen huisnummer.") % {"value": raw_number})
        number = int(raw_number)
    ranges = list(PostcodeRange.objects.filter(postcode=code, buurt__wijk__gemeente=gemeente)
                  .select_related("buurt__wijk").defer("buurt__wijk__boundary"))
    if not ranges:
        raise SearchError("postcode", str(geography.UnknownAddress(code, None, gemeente)))
    if number is not None:
        ranges = [r for r in ranges if r.contains(number)]
        if not ranges:
            raise SearchError("house_number", str(geography.UnknownAddress(code, number, gemeente)))
    # A postcode across wijken (rare): the wijk with most of its ranges is 'the' wijk.
    votes = Counter(r.buurt.wijk.code for r in ranges)
    wijk = next(r.buurt.wijk for r in sorted(ranges, key=lambda r: (-votes[r.buurt.wijk.code], r.buurt.wijk.code)))
    return Near(postcode=code, house_number=number, buurt_ids=frozenset(r.buurt_id for r in ranges), wijk=wijk,
                wijk_order=wijk_order(gemeente, wijk))


def _day(value) -> dict:
    """{'date': ...} or {'weekday': ...} (or neither) from a date, a weekday name or number, or ''."""
    if value is None or value == "":
        return {}
    if isinstance(value, dt.datetime):
        return {"date": value.date()}
    if isinstance(value, dt.date):
        return {"date": value}
    text = str(value).strip().lower()
    if text.isdigit() and len(text) == 1 and int(text) <= 6:
        return {"weekday": int(text)}
    if text in WEEKDAYS:
        return {"weekday": WEEKDAYS[text]}
    try:
        return {"date": dt.date.fromisoformat(text)}
    except ValueError:
        pass
    raise SearchError("day", _("'%(value)s' is geen datum (jjjj-mm-dd) of weekdag (bijvoorbeeld dinsdag).")
                      % {"value": value})


def _choice(parameter: str, value, allowed: Iterable[str]) -> str:
    text = str(value or "").strip().lower()
    if not text:
        return ""
    allowed = list(allowed)
    if text not in allowed:
        raise SearchError(parameter, _("'%(value)s' is geen geldige keuze; kies uit %(choices)s.")
                          % {"value": value, "choices": ", ".join(allowed)})
    return text


def _codes(parameter: str, value, allowed: Iterable[str]) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    items = [value] if isinstance(value, str) else list(value)
    codes = [part.strip().lower() for item in items for part in str(item).split(",") if part.strip()]
    return tuple(dict.fromkeys(_choice(parameter, code, allowed) for code in codes))


def _flag(parameter: str, value, allow_none: bool = False) -> bool | None:
    if isinstance(value, bool):
        return value
    if value is None:
        return None if allow_none else False
    text = str(value).strip().lower()
    if allow_none and text in ("", "all", "alle", "both"):
        return None
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise SearchError(parameter, _("'%(value)s' is geen ja of nee (gebruik true of false).") % {"value": value})


# --- the wijken from near to far ------------------------------------------------------------------
# Pure functions on GeoJSON (WGS84): a wijk's neighbours are the wijken whose boundaries touch it;
# they come first, nearest centre first, then the others by the distance between their centres.

def wijk_order(gemeente: Gemeente, origin: Wijk) -> tuple[int, ...]:
    """The gemeente's wijk ids from near to far as seen from ``origin`` (itself first); cached ten minutes."""
    key = f"kwaliteit:wijk-order:{gemeente.pk}"
    orders = cache.get(key)
    if orders is None:
        boundaries = dict(Wijk.objects.filter(gemeente=gemeente).order_by("code").values_list("pk", "boundary"))
        orders = {pk: tuple(nearest_first(pk, boundaries)) for pk in boundaries}
        cache.set(key, orders, 600)
    return orders.get(origin.pk, (origin.pk,))
