"""When an activity happens, in one place: the RRULE read and checked, the dates it falls on, the Dutch
sentence that describes it, and its iCalendar output.

A schedule is a first date with a start (and end) time, an optional RFC 5545 RRULE ("every second
Tuesday": ``FREQ=MONTHLY;BYDAY=2TU``) and an optional last date. python-dateutil expands rules and
the icalendar package reads them (``vRecur``) and writes feeds; both are the standard libraries for the job.

Every screen, the public site, the API and the HSDS export describe a schedule with ``describe``, so a
resident and a provider read the same words. Every calendar file starts (DTSTART) on a date the rule
produces (``first_date``) and carries the Europe/Amsterdam time zone (VTIMEZONE, TZID times), because
RFC 5545 counts DTSTART as an occurrence even when the rule does not produce it, and a calendar app
without the zone would put a winter meeting an hour off.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samen.kwaliteit.vocabulary import WEEKDAYS

TZ_NAME = "Europe/Amsterdam"
TZ = ZoneInfo(TZ_NAME)
HORIZON_DAYS = 183  # how far ahead Occurrence rows are generated (and the finder searches)
MAX_PER_ACTIVITY = 400  # a daily activity over the horizon, with room to spare
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ORDINAL_NAMES = {1: gettext_lazy("eerste"), 2: gettext_lazy("tweede"), 3: gettext_lazy("derde"),
                 4: gettext_lazy("vierde"), 5: gettext_lazy("vijfde"), -1: gettext_lazy("laatste"),
                 -2: gettext_lazy("een-na-laatste")}
MONTH_NAMES = (gettext_lazy("januari"), gettext_lazy("februari"), gettext_lazy("maart"), gettext_lazy("april"),
               gettext_lazy("mei"), gettext_lazy("juni"), gettext_lazy("juli"), gettext_lazy("augustus"),
               gettext_lazy("september"), gettext_lazy("oktober"), gettext_lazy("november"),
               gettext_lazy("december"))


class ScheduleError(ValueError):
    """A schedule that cannot be used; ``field`` names the form field it belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


# --- reading a rule ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """A (clean) RRULE read into its parts. ``days`` holds (ordinal or None, day code) pairs in rule order;
    ``interval_given`` whether INTERVAL was written; ``other`` every further part, as written."""

    freq: str
    interval: int = 1
    interval_given: bool = False
    days: tuple[tuple[int | None, str], ...] = ()
    month_days: tuple[int, ...] = ()
    months: tuple[int, ...] = ()
    count: int | None = None
    other: tuple[tuple[str, str], ...] = ()


def parse(rule: str) -> Rule | None:
    """The parts of an RRULE (read with icalendar's vRecur), or None when it is not a rule at all."""
    from icalendar import vRecur

    text = (rule or "").strip().upper()
    if text.startswith("RRULE:"):
        text = text[6:]
    if not text:
        return None
    try:
        recur = vRecur.from_ical(text)
    except ValueError:
        return None
    try:
        freq = str(recur.pop("FREQ")[0])
        interval = recur.pop("INTERVAL", None)
        days = []
        for code in recur.pop("BYDAY", []):
            code = str(code)
            ordinal, day = code[:-2].lstrip("+"), code[-2:]
            if day not in DAY_CODES:
                return None
            days.append((int(ordinal) if ordinal else None, day))
        month_days = tuple(int(n) for n in recur.pop("BYMONTHDAY", []))
        months = tuple(int(n) for n in recur.pop("BYMONTH", []))
        count = recur.pop("COUNT", None)
        other = tuple((key, ",".join(str(v) for v in values)) for key, values in recur.items())
        return Rule(freq=freq, interval=int(interval[0]) if interval else 1, interval_given=interval is not None,
                    days=tuple(days), month_days=month_days, months=months,
                    count=int(count[0]) if count else None, other=other)
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def clean_rrule(value: str) -> str:
    """Normalise and check an RRULE. Accepts it with or without the leading 'RRULE:'.

    DTSTART and UNTIL come from the activity's own fields, so they may not be in the rule.
    """
    rule = (value or "").strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[6:]
    rule = rule.upper().replace(" ", "")
    if not rule:
        return ""
    if "DTSTART" in rule or "\n" in rule:
        raise ScheduleError("rrule", _("Zet alleen de herhaling in de regel (FREQ=...), niet de begindatum."))
    if "FREQ=" not in rule:
        raise ScheduleError("rrule", _("De herhaling '%(rule)s' mist FREQ (bijvoorbeeld FREQ=WEEKLY;BYDAY=TU).")
                            % {"rule": value})
    if any(part.startswith(("FREQ=SECONDLY", "FREQ=MINUTELY", "FREQ=HOURLY")) for part in rule.split(";")):
        raise ScheduleError("rrule", _("Een activiteit herhaalt hooguit dagelijks."))
    try:
        rrulestr(rule, dtstart=dt.datetime(2026, 1, 1, 10, 0))
    except (ValueError, TypeError) as exc:
        raise ScheduleError("rrule", _("De herhaling '%(rule)s' is geen geldige iCalendar-regel (%(error)s).")
                            % {"rule": value, "error": exc}) from exc
    return rule


def check(start_date: dt.date, start_time: dt.time, end_time: dt.time | None, rrule: str,
          valid_until: dt.date | None) -> None:
    """Raise ScheduleError for an impossible combination."""
    if end_time is not None and end_time <= start_time:
        raise ScheduleError("end_time", _("De eindtijd ligt voor of op de begintijd."))
    if valid_until is not None and valid_until < start_date:
        raise ScheduleError("valid_until", _("De einddatum ligt voor de (eerste) datum."))
    if valid_until is not None and not rrule and valid_until != start_date:
        raise ScheduleError("valid_until", _("Een eenmalige activiteit heeft geen einddatum; laat dit veld leeg."))
    if rrule and "UNTIL=" in rrule:
        raise ScheduleError("rrule", _("Zet de einddatum in het veld 'geldig tot en met', niet in de regel."))


def dates(start_date: dt.date, start_time: dt.time, rrule: str, valid_until: dt.date | None,
          after: dt.date, before: dt.date) -> list[dt.date]:
    """The dates in [after, before] on which the activity happens."""
    if not rrule:
        return [start_date] if after <= start_date <= before else []
    last = min(before, valid_until) if valid_until else before
    if last < after:
        return []
    rule = rrulestr(rrule, dtstart=dt.datetime.combine(start_date, start_time))
    found = rule.between(dt.datetime.combine(max(after, start_date), dt.time.min),
                         dt.datetime.combine(last, dt.time.max), inc=True)
    return [moment.date() for moment in found[:MAX_PER_ACTIVITY]]


def occurrences(activity, today: dt.date, horizon_days: int = HORIZON_DAYS) -> list[dt.date]:
    """The dates Occurrence rows are kept for: a recurring activity over the horizon; a one-off event
    (such as one of the theme week's, announced months ahead) whenever it lies in the next two years."""
    if not activity.rrule:
        horizon_days = max(horizon_days, 2 * 366)
    return dates(activity.start_date, activity.start_time, activity.rrule, activity.valid_until,
                 today, today + dt.timedelta(days=horizon_days))


def next_date(activity, today: dt.date) -> dt.date | None:
    found = dates(activity.start_date, activity.start_time, activity.rrule, activity.valid_until,
                  today, today + dt.timedelta(days=400))
    return found[0] if found else None


def first_date(start_date: dt.date, start_time: dt.time, rrule: str, valid_until: dt.date | None) -> dt.date | None:
    """The first date the schedule produces: the start date of a one-off activity, the first date on or
    after the start date that the rule produces (a first date on a Monday with BYDAY=TU: the Tuesday
    after), None when the rule produces nothing before the last date."""
    if not rrule:
        return start_date
    first = next(iter(rrulestr(rrule, dtstart=dt.datetime.combine(start_date, start_time))), None)
    if first is None or (valid_until is not None and first.date() > valid_until):
        return None
    return first.date()


@dataclass(frozen=True)
class Period:
    """A stretch of a schedule with one UTC offset (winter or summer time) at the activity's start time:
    from ``valid_from`` to ``valid_to`` (None: open), first happening on ``first``."""

    valid_from: dt.date
    valid_to: dt.date | None
    first: dt.date
    offset: dt.timedelta


def offset_periods(start_date: dt.date, start_time: dt.time, rrule: str, valid_until: dt.date | None,
                   today: dt.date, horizon_days: int = HORIZON_DAYS) -> list[Period]:
    """The schedule cut where Dutch time changes between winter (+01:00) and summer (+02:00), for formats
    that know only a fixed UTC offset (HSDS 3.0). Periods that ended before today are left out; an open
    rule is cut over the horizon and its last period stays open, so each daily export is right."""
    first = first_date(start_date, start_time, rrule, valid_until)
    if first is None:
        return []
    if not rrule:
        return [Period(first, first, first, _offset(first, start_time))]
    last = valid_until or max(first, today) + dt.timedelta(days=horizon_days)
    bounds, day, current = [first], first, _offset(first, start_time)
    while day < last:
        day += dt.timedelta(days=1)
        if _offset(day, start_time) != current:
            bounds.append(day)
            current = _offset(day, start_time)
    periods = []
    for index, begin in enumerate(bounds):
        end = bounds[index + 1] - dt.timedelta(days=1) if index + 1 < len(bounds) else valid_until
        if end is not None and end < today and index + 1 < len(bounds):
            continue
        found = dates(start_date, start_time, rrule, valid_until, begin,
                      end or begin + dt.timedelta(days=MAX_PER_ACTIVITY))
        if found:
            periods.append(Period(begin, end, found[0], _offset(begin, start_time)))
    return periods


def _offset(day: dt.date, at: dt.time) -> dt.timedelta:
    return dt.datetime.combine(day, at, tzinfo=TZ).utcoffset()


# --- iCalendar --------------------------------------------------------------------------------------

def _event(activity, uid_domain: str, first: dt.date, until: dt.date | None):
    from icalendar import Event, vRecur

    event = Event()
    event.add("uid", f"activity-{activity.pk}@{uid_domain}")
    event.add("summary", activity.title)
    event.add("description", activity.description)
    event.add("dtstart", dt.datetime.combine(first, activity.start_time, tzinfo=TZ))
    if activity.end_time:
        event.add("dtend", dt.datetime.combine(first, activity.end_time, tzinfo=TZ))
    if activity.rrule:
        recur = vRecur.from_ical(activity.rrule)
        if until:  # with a TZID start, UNTIL is in UTC (RFC 5545 3.3.10)
            recur["UNTIL"] = [dt.datetime.combine(until, dt.time(23, 59), tzinfo=TZ).astimezone(dt.UTC)]
        event.add("rrule", recur)
    if activity.location_id:
        location = activity.location
        event.add("location", ", ".join(p for p in (location.name, location.address_line,
                                                     f"{location.postcode} {location.city}".strip()) if p))
    elif activity.online:
        event.add("location", activity.online_url or _("online"))
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    return event


def ical(activities: Iterable, name: str, uid_domain: str = "samen",
         window: tuple[dt.date, dt.date] | None = None) -> bytes:
    """An iCalendar (RFC 5545) feed of the activities, with the VTIMEZONE of Europe/Amsterdam.

    Each event starts on the first date its rule produces; an activity whose rule produces no date
    before its last date has no event. With a ``window`` (the theme week) each event holds only the
    dates inside it."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//Samen//Activiteiten//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TZ_NAME)
    events, earliest = [], None
    for activity in activities:
        until = activity.valid_until
        if window is None:
            first = first_date(activity.start_date, activity.start_time, activity.rrule, until)
        else:
            until = min(until or window[1], window[1])
            inside = dates(activity.start_date, activity.start_time, activity.rrule, until, *window)
            first = inside[0] if inside else None
        if first is None:
            continue
        events.append(_event(activity, uid_domain, first, until if activity.rrule else None))
        earliest = first if earliest is None else min(earliest, first)
    calendar.add_component(_vtimezone((earliest or dt.date.today()).year, dt.date.today().year))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


@functools.lru_cache(maxsize=16)
def _vtimezone(since_year: int, this_year: int):
    """Europe/Amsterdam's summer and winter time from the earliest event's year until a few years ahead,
    so an app that does not know the zone by name still puts every meeting on the right hour."""
    from icalendar import Timezone

    return Timezone.from_tzinfo(TZ, first_date=dt.datetime(min(since_year, this_year), 1, 1),
                                last_date=dt.datetime(this_year + 10, 1, 1))


# --- the Dutch sentence -----------------------------------------------------------------------------

EVERY = {"DAILY": (gettext_lazy("elke dag"), gettext_lazy("om de %(n)s dagen")),
         "WEEKLY": (gettext_lazy("elke week"), gettext_lazy("om de %(n)s weken")),
         "MONTHLY": (gettext_lazy("elke maand"), gettext_lazy("om de %(n)s maanden")),
         "YEARLY": (gettext_lazy("elk jaar"), gettext_lazy("om de %(n)s jaar"))}


def describe(activity) -> str:
    """The schedule as one Dutch sentence: 'elke week op dinsdag, 10:00-12:00', 'elke tweede dinsdag van de
    maand, 10:00-12:00', 'dinsdag 6 januari 2026, 10:00'. The one describer for every screen and export."""
    times = times_text(activity.start_time, activity.end_time)
    if not activity.rrule:
        return f"{date_format(activity.start_date, 'l j F Y')}, {times}"
    return f"{describe_rule(activity.rrule)}, {times}"


def times_text(start_time: dt.time, end_time: dt.time | None) -> str:
    return f"{start_time:%H:%M}" + (f"-{end_time:%H:%M}" if end_time else "")


def describe_rule(rule: str) -> str:
    """The repetition in words ('eenmalig' without a rule); a part Dutch cannot say is added as written."""
    parsed = parse(rule)
    if not (rule or "").strip():
        return _("eenmalig")
    if parsed is None or parsed.freq not in EVERY:
        return rule
    once, every_n = EVERY[parsed.freq]
    single = parsed.days[0] if len(parsed.days) == 1 else None
    if (parsed.freq == "MONTHLY" and parsed.interval == 1 and single and single[0] in ORDINAL_NAMES
            and not parsed.month_days and not parsed.months):
        text = _("elke %(nth)s %(day)s van de maand") % {"nth": ORDINAL_NAMES[single[0]],
                                                          "day": _day_name(single[1])}
    else:
        text = str(once) if parsed.interval == 1 else str(every_n) % {"n": parsed.interval}
        on = [_day_phrase(ordinal, day) for ordinal, day in parsed.days]
        on += [_month_day(n) for n in parsed.month_days]
        if on:
            text += " " + _("op") + " " + _join(on)
        if parsed.months:
            text += " " + _("in") + " " + _join([str(MONTH_NAMES[n - 1]) for n in parsed.months if 1 <= n <= 12])
    if parsed.count:
        text += ", " + _("%(n)s keer") % {"n": parsed.count}
    if parsed.other:
        text += f" ({rule})"
    return text


def _day_name(code: str) -> str:
    return str(WEEKDAYS[DAY_CODES.index(code)])


def _day_phrase(ordinal: int | None, code: str) -> str:
    if ordinal is None:
        return _day_name(code)
    nth = ORDINAL_NAMES.get(ordinal, f"{ordinal}e" if ordinal > 0 else f"{-ordinal}e-laatste")
    return _("de %(nth)s %(day)s") % {"nth": nth, "day": _day_name(code)}


def _month_day(n: int) -> str:
    if n == -1:
        return _("de laatste dag")
    return _("de %(n)se") % {"n": n} if n > 0 else _("de %(n)se dag voor het eind") % {"n": -n}


def _join(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s en %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}
