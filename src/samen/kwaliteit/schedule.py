"""When an activity happens: RRULE validation, the dates it falls on, and iCalendar output.

A schedule is a first date with a start (and end) time, an optional RFC 5545 RRULE ("every second
Tuesday": ``FREQ=MONTHLY;BYDAY=2TU``) and an optional last date. python-dateutil expands rules and
the icalendar package writes feeds; both are the standard libraries for the job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.utils.translation import gettext as _

TZ = ZoneInfo("Europe/Amsterdam")
HORIZON_DAYS = 183  # how far ahead Occurrence rows are generated (and the finder searches)
MAX_PER_ACTIVITY = 400  # a daily activity over the horizon, with room to spare


class ScheduleError(ValueError):
    """A schedule that cannot be used; ``field`` names the form field it belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


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


def _event(activity, uid_domain: str):
    from icalendar import Event, vRecur

    event = Event()
    event.add("uid", f"activity-{activity.pk}@{uid_domain}")
    event.add("summary", activity.title)
    event.add("description", activity.description)
    event.add("dtstart", dt.datetime.combine(activity.start_date, activity.start_time, tzinfo=TZ))
    if activity.end_time:
        event.add("dtend", dt.datetime.combine(activity.start_date, activity.end_time, tzinfo=TZ))
    if activity.rrule:
        recur = vRecur.from_ical(activity.rrule)
        if activity.valid_until:
            recur["UNTIL"] = [dt.datetime.combine(activity.valid_until, dt.time(23, 59), tzinfo=TZ)
                              .astimezone(dt.UTC)]
        event.add("rrule", recur)
    if activity.location_id:
        location = activity.location
        event.add("location", ", ".join(p for p in (location.name, location.address_line,
                                                     f"{location.postcode} {location.city}".strip()) if p))
    elif activity.online:
        event.add("location", activity.online_url or _("online"))
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    return event


def ical(activities: Iterable, name: str, uid_domain: str = "samen") -> bytes:
    """An iCalendar (RFC 5545) feed of the activities."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//Samen//Activiteiten//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Amsterdam")
    for activity in activities:
        calendar.add_component(_event(activity, uid_domain))
    return calendar.to_ical()


def describe(activity) -> str:
    """A plain Dutch sentence for the schedule, e.g. 'elke week op dinsdag, 10:00-12:00'."""
    from samen.kwaliteit.vocabulary import WEEKDAYS

    times = f"{activity.start_time:%H:%M}" + (f"-{activity.end_time:%H:%M}" if activity.end_time else "")
    if not activity.rrule:
        return f"{activity.start_date:%d-%m-%Y}, {times}"
    parts = dict(part.split("=", 1) for part in activity.rrule.split(";") if "=" in part)
    freq, interval = parts.get("FREQ"), int(parts.get("INTERVAL", "1"))
    codes = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    days = []
    for code in filter(None, parts.get("BYDAY", "").split(",")):
        ordinal, day = code[:-2], code[-2:]
        name = str(WEEKDAYS[codes.index(day)]) if day in codes else day
        if not ordinal:
            days.append(name)
        elif ordinal == "-1":
            days.append(_("de laatste %(day)s") % {"day": name})
        else:
            days.append(_("de %(n)se %(day)s") % {"n": ordinal.lstrip("+"), "day": name})
    on = (" " + _("op") + " " + ", ".join(days)) if days else ""
    if freq == "DAILY":
        text = _("elke dag")
    elif freq == "WEEKLY":
        text = _("elke week") if interval == 1 else _("om de %(n)s weken") % {"n": interval}
    elif freq == "MONTHLY":
        text = _("elke maand") if interval == 1 else _("om de %(n)s maanden") % {"n": interval}
    else:
        text = _("elk jaar")
    return f"{text}{on}, {times}"
