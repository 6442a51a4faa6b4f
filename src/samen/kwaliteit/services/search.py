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
``Found.results``, ``count()`` and ``per_wijk()`` answer from the process's in-memory index
(kwaliteit.services.search_index) and read only a page's rows from the database.
benchmarks/kwaliteit_search_load.py measures it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from samen.core.models import Gemeente, Organisation, PostcodeRange, Wijk, normalise_postcode
from samen.core.services import geography
from samen.kwaliteit.geometry import nearest_first
from samen.kwaliteit.models import Activity, Location, Occurrence
from samen.kwaliteit.services import search_index
from samen.kwaliteit.services.catalogue import hidden_before, public_activities
from samen.kwaliteit.vocabulary import CostType, Interest, PartOfDay, TargetGroup

# Parameter names as the API and the finder's URLs spell them.
PARAMETERS = ("q", "wijk", "postcode", "house_number", "day", "part", "interest", "target_group", "free",
              "accessible", "online")
AREA_RE = re.compile(r"^[1-9][0-9]{3}$")  # a postcode area: the four digits of a postcode
MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
LAST = search_index.LAST  # proximity of an online activity (or one without a wijk) near a postcode

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
        return f"{self.postcode[:4]} {self.postcode[4:]}".strip()  # '1211 AB', or the area '1211'


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

    @property
    def words(self) -> tuple[str, ...]:
        """The words searched for (each must occur in the title, description, place or organiser)."""
        return tuple(self.q.split()[:MAX_WORDS])

    @property
    def fitting_groups(self) -> tuple[str, ...]:
        """The target groups an activity may name to fit the group asked for ('everyone' fits all)."""
        if not self.target_group:
            return ()
        groups = (self.target_group, *ALSO_FITS.get(self.target_group, ()), TargetGroup.EVERYONE.value)
        return tuple(dict.fromkeys(groups))


class Found:
    """The result of one search: public activities matching the filters, nearest first (in a search near a
    postcode), then soonest first (``next_date``: the first planned date, or the first on the day asked
    for), then by start time, title and id; activities without a planned date last.

    ``activities`` is that definition as one queryset, annotated with ``next_date`` and, near a postcode,
    ``proximity`` (0 = the postcode's buurt, 1 = its wijk, 2... = the other wijken from near to far, 999 =
    online). Ordering it costs one subquery per matching activity: fine for a few hundred, too slow for
    every search among thousands. ``results``, ``count()`` and ``per_wijk()`` give the same rows, in the
    same order, from the process's in-memory index (kwaliteit.services.search_index); only a page's own
    activities are then read from the database. A property test holds ``results`` to ``activities``.
    """

    def __init__(self, *, gemeente: Gemeente, filters: Filters, now: dt.datetime):
        self.gemeente, self.filters, self.now = gemeente, filters, now
        self.today = timezone.localdate(now)
        self._match: search_index.Match | None = None

    @cached_property
    def activities(self) -> QuerySet[Activity]:
        """The definition of the order, as one queryset (built only when asked for)."""
        return definition(self.gemeente, self.filters, self.now)

    @property
    def near(self) -> Near | None:
        return self.filters.near

    @property
    def results(self) -> Results:
        return Results(self)

    @property
    def match(self) -> search_index.Match:
        if self._match is None:
            index = search_index.index_for(self.gemeente, self.today)
            self._match = search_index.match(index, self.filters, cutoff=hidden_before(self.gemeente, self.now),
                                             wijk_order=self.near.wijk_order if self.near else ())
        return self._match

    def count(self) -> int:
        return self.match.count()

    def per_wijk(self) -> dict[int, int]:
        """How many matching activities each wijk has (online activities have none)."""
        return self.match.per_wijk()

    def slice(self, start: int, stop: int) -> list[Activity]:
        """Rows start..stop-1 of the results, each with next_date and (near a postcode) proximity, read with
        their place, organiser and wijk in one query."""
        keys = self.match.page(start, stop)
        if not keys:
            return []
        found = (public_activities(self.gemeente, self.now).select_related("location", "organisation", "wijk")
                 .defer("wijk__boundary").in_bulk([pk for pk, _day, _closeness in keys]))
        out = []
        for pk, next_date, closeness in keys:
            activity = found.get(pk)
            if activity is None:  # changed since the index was built: left out rather than shown stale
                continue
            activity.next_date = next_date
            if self.near is not None:
                activity.proximity = closeness
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
    filters = Filters(
        q=_clean_text(q), wijk=_wijk(gemeente, wijk), near=_near(gemeente, postcode, house_number),
        **_day(day), part_of_day=_choice("part", part_of_day, PartOfDay.values),
        interests=_codes("interest", interest, Interest.values),
        target_group=_choice("target_group", target_group, TargetGroup.values),
        free=bool(_flag("free", free)), accessible=bool(_flag("accessible", accessible)),
        online=_flag("online", online, allow_none=True))
    return Found(gemeente=gemeente, filters=filters, now=now)


def suggest(gemeente: Gemeente, q: str, *, now: dt.datetime | None = None) -> str | None:
    """For a search that found nothing: the words with a small typo replaced by the nearest word of the
    catalogue ('kofie' -> 'koffie', difflib over the words of the public activities, small enough to scan),
    or None when there is nothing to correct. Words that occur as they are stay."""
    import difflib

    text = search_index.index_for(gemeente, timezone.localdate(now or timezone.now())).text
    vocabulary = sorted({word for row in text for word in re.findall(r"\w{3,}", row)})
    corrected, changed = [], False
    for word in _clean_text(q).casefold().split()[:MAX_WORDS]:
        close = [] if any(word in row for row in text) else difflib.get_close_matches(word, vocabulary, n=1,
                                                                                         cutoff=0.75)
        corrected.append(close[0] if close else word)
        changed = changed or bool(close)
    return " ".join(corrected) if changed else None


def definition(gemeente: Gemeente, f: Filters, now: dt.datetime) -> QuerySet[Activity]:
    """The search as one SQL query, annotated and ordered: what ``Found.results`` must equal."""
    matching = _filter(public_activities(gemeente, now), f, gemeente).order_by()
    dates = Occurrence.objects.filter(date__gte=timezone.localdate(now))
    if f.date is not None:
        dates = dates.filter(date=f.date)
    elif f.weekday is not None:
        dates = dates.filter(weekday=f.weekday)
    if f.date is not None or f.weekday is not None:
        matching = matching.filter(Exists(dates.filter(activity=OuterRef("pk"))))
    first = dates.filter(activity=OuterRef("pk")).order_by("date", "start_time")
    activities = (matching.select_related("location", "organisation", "wijk").defer("wijk__boundary")
                  .annotate(next_date=Subquery(first.values("date")[:1])))
    order = [F("next_date").asc(nulls_last=True), "start_time", "title", "pk"]
    if f.near is not None:
        activities = activities.annotate(proximity=_proximity(f.near))
        order.insert(0, "proximity")
    return activities.order_by(*order)


def _filter(activities: QuerySet[Activity], f: Filters, gemeente: Gemeente) -> QuerySet[Activity]:
    for word in f.words:
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
        fits = Q()
        for code in f.fitting_groups:
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
    """Near a postcode ('1211 AB', '1211ab') or a postcode area (the four digits '1211': all its postcodes);
    a house number may carry an addition ('12a', '12-2'), which does not change the place."""
    from samen.core.validators import split_house_number

    raw_number = str(house_number if house_number is not None else "").strip()
    if not str(postcode or "").strip():
        if raw_number:
            raise SearchError("house_number", _("Vul bij het huisnummer ook de postcode in."))
        return None
    area = normalise_postcode(str(postcode))
    if AREA_RE.match(area):
        if raw_number:
            raise SearchError("house_number", _("Vul bij een huisnummer de hele postcode in, met de twee letters."))
        ranges = list(PostcodeRange.objects.filter(postcode__startswith=area, buurt__wijk__gemeente=gemeente)
                      .select_related("buurt__wijk").defer("buurt__wijk__boundary"))
        if not ranges:
            raise SearchError("postcode", _("Postcodegebied %(area)s ligt niet in %(gemeente)s.")
                              % {"area": area, "gemeente": gemeente.name})
        return _near_ranges(gemeente, area, None, ranges)
    try:
        code = geography.clean_postcode(str(postcode))
    except geography.InvalidPostcode as exc:
        raise SearchError("postcode", str(exc)) from None
    number = None
    if raw_number:
        try:
            number, _addition = split_house_number(raw_number)
        except ValidationError:
            raise SearchError("house_number", _("'%(value)s' is geen huisnummer.") % {"value": raw_number}) from None
        if number > 99999:
            raise SearchError("house_number", _("'%(value)s' is geen huisnummer.") % {"value": raw_number})
    ranges = list(PostcodeRange.objects.filter(postcode=code, buurt__wijk__gemeente=gemeente)
                  .select_related("buurt__wijk").defer("buurt__wijk__boundary"))
    if not ranges:
        raise SearchError("postcode", str(geography.UnknownAddress(code, None, gemeente)))
    if number is not None:
        ranges = [r for r in ranges if r.contains(number)]
        if not ranges:
            raise SearchError("house_number", str(geography.UnknownAddress(code, number, gemeente)))
    return _near_ranges(gemeente, code, number, ranges)


def _near_ranges(gemeente: Gemeente, code: str, number: int | None, ranges: list) -> Near:
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
