"""Schedules: RRULE validation, the dates an activity falls on, the Dutch sentence, iCalendar output."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from samen.kwaliteit import schedule
from samen.kwaliteit.models import Activity

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@pytest.mark.parametrize("rule", ["FREQ=WEEKLY;BYDAY=TU", "RRULE:FREQ=MONTHLY;BYDAY=2TU", "freq=daily",
                                  "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", "FREQ=MONTHLY;BYDAY=-1FR"])
def test_valid_rules_are_normalised(rule):
    cleaned = schedule.clean_rrule(rule)
    assert cleaned.startswith("FREQ=") and cleaned == cleaned.upper() and "RRULE:" not in cleaned


@pytest.mark.parametrize(("rule", "words"), [
    ("FREQ=FORTNIGHTLY", "geen geldige"), ("elke dinsdag", "FREQ"), ("FREQ=WEEKLY;BYDAY=XX", "geen geldige"),
    ("FREQ=HOURLY", "hooguit dagelijks"), ("DTSTART:20260101T100000\nRRULE:FREQ=DAILY", "begindatum"),
])
def test_bad_rules_say_what_is_wrong(rule, words):
    with pytest.raises(schedule.ScheduleError) as caught:
        schedule.clean_rrule(rule)
    assert caught.value.field == "rrule" and words in caught.value.message


def test_end_before_start_and_until_in_the_rule_are_refused():
    with pytest.raises(schedule.ScheduleError, match="eindtijd"):
        schedule.check(dt.date(2026, 1, 1), dt.time(10), dt.time(9), "", None)
    with pytest.raises(schedule.ScheduleError, match="einddatum"):
        schedule.check(dt.date(2026, 1, 5), dt.time(10), None, "FREQ=DAILY", dt.date(2026, 1, 1))
    with pytest.raises(schedule.ScheduleError) as caught:
        schedule.check(dt.date(2026, 1, 5), dt.time(10), None, "FREQ=DAILY;UNTIL=20260201", None)
    assert caught.value.field == "rrule"


@settings(max_examples=60, deadline=None)
@given(days=st.sets(st.sampled_from(DAYS), min_size=1), interval=st.integers(1, 4),
       start=st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)), offset=st.integers(-200, 200),
       span=st.integers(0, 120), until=st.one_of(st.none(), st.integers(0, 300)))
def test_weekly_dates_fall_on_the_chosen_days_inside_the_window(days, interval, start, offset, span, until):
    rule = f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={','.join(sorted(days))}"
    valid_until = start + dt.timedelta(days=until) if until is not None else None
    after = start + dt.timedelta(days=offset)
    before = after + dt.timedelta(days=span)
    found = schedule.dates(start, dt.time(10), rule, valid_until, after, before)
    assert found == sorted(set(found))
    for day in found:
        assert DAYS[day.weekday()] in days
        assert max(after, start) <= day <= before
        assert valid_until is None or day <= valid_until
    if interval == 1 and span >= 6 and after >= start and (valid_until is None or valid_until >= before):
        assert len(found) >= len(days)  # every chosen weekday occurs in any full week


def test_one_off_activity_has_its_one_date():
    day = dt.date(2026, 9, 24)
    assert schedule.dates(day, dt.time(10), "", None, dt.date(2026, 9, 1), dt.date(2026, 9, 30)) == [day]
    assert schedule.dates(day, dt.time(10), "", None, dt.date(2026, 9, 25), dt.date(2026, 9, 30)) == []


def _activity(**kwargs):
    values = {"pk": 7, "title": "Koffie", "description": "Koffie & praat", "start_date": dt.date(2026, 1, 6),
              "start_time": dt.time(10), "end_time": dt.time(12), "rrule": "FREQ=MONTHLY;BYDAY=2TU",
              "valid_until": dt.date(2026, 12, 31), "online": False}
    values.update(kwargs)
    return Activity(**values)


def test_describe_reads_as_dutch():
    assert schedule.describe(_activity()) == "elke tweede dinsdag van de maand, 10:00-12:00"
    assert schedule.describe(_activity(rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH")) == \
        "om de 2 weken op maandag en donderdag, 10:00-12:00"
    assert schedule.describe(_activity(rrule="", end_time=None)) == "dinsdag 6 januari 2026, 10:00"
    assert schedule.describe(_activity(rrule="FREQ=MONTHLY;BYDAY=-1FR")) == \
        "elke laatste vrijdag van de maand, 10:00-12:00"
    assert schedule.describe(_activity(rrule="FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO,3WE")) == \
        "om de 2 maanden op de eerste maandag en de derde woensdag, 10:00-12:00"
    assert schedule.describe(_activity(rrule="FREQ=DAILY;INTERVAL=3;COUNT=4")) == \
        "om de 3 dagen, 4 keer, 10:00-12:00"
    assert schedule.describe(_activity(rrule="FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=1")) == \
        "elk jaar op de 1e in oktober, 10:00-12:00"


def test_a_part_dutch_cannot_say_is_shown_as_written():
    assert schedule.describe_rule("FREQ=MONTHLY;BYSETPOS=1;BYDAY=MO,TU") == \
        "elke maand op maandag en dinsdag (FREQ=MONTHLY;BYSETPOS=1;BYDAY=MO,TU)"
    assert schedule.describe_rule("") == "eenmalig"


def test_parse_reads_the_parts():
    rule = schedule.parse("FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO,-1FR,WE")
    assert (rule.freq, rule.interval, rule.interval_given) == ("MONTHLY", 2, True)
    assert rule.days == ((1, "MO"), (-1, "FR"), (None, "WE"))
    assert schedule.parse("nonsense") is None and schedule.parse("") is None


def test_first_date_moves_to_the_first_date_the_rule_produces():
    monday = dt.date(2026, 1, 5)
    assert schedule.first_date(monday, dt.time(10), "FREQ=WEEKLY;BYDAY=TU", None) == dt.date(2026, 1, 6)
    assert schedule.first_date(monday, dt.time(10), "FREQ=MONTHLY;BYDAY=2TU", None) == dt.date(2026, 1, 13)
    assert schedule.first_date(monday, dt.time(10), "", None) == monday
    assert schedule.first_date(monday, dt.time(10), "FREQ=WEEKLY;BYDAY=FR", dt.date(2026, 1, 7)) is None


RULES = st.one_of(
    st.builds(lambda days, n: f"FREQ=WEEKLY;INTERVAL={n};BYDAY={','.join(sorted(days))}",
              st.sets(st.sampled_from(DAYS), min_size=1), st.integers(1, 4)),
    st.builds(lambda nth, day, n: f"FREQ=MONTHLY;INTERVAL={n};BYDAY={nth}{day}",
              st.sampled_from([1, 2, 3, 4, -1]), st.sampled_from(DAYS), st.integers(1, 3)),
    st.builds(lambda n, days: f"FREQ=DAILY;INTERVAL={n}" + (f";BYDAY={','.join(sorted(days))}" if days else ""),
              st.integers(1, 5), st.sets(st.sampled_from(DAYS), max_size=3)),
    st.builds(lambda month, day: f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}",
              st.integers(1, 12), st.integers(1, 28)),
)


@settings(max_examples=150, deadline=None)
@given(rule=RULES, start=st.dates(dt.date(2025, 1, 1), dt.date(2028, 12, 31)),
       hour=st.integers(7, 21), until=st.one_of(st.none(), st.integers(0, 400)))
def test_every_calendar_file_starts_on_a_date_its_rule_produces(rule, start, hour, until):
    """DTSTART is an occurrence (RFC 5545 counts it as one), and the file's dates are the finder's dates."""
    from dateutil.rrule import rrulestr

    valid_until = start + dt.timedelta(days=until) if until is not None else None
    activity = _activity(rrule=rule, start_date=start, start_time=dt.time(hour), end_time=None,
                         valid_until=valid_until)
    events = list(Calendar.from_ical(schedule.ical([activity], "Test")).walk("VEVENT"))
    expected = schedule.dates(start, dt.time(hour), rule, valid_until, start, start + dt.timedelta(days=400))
    if not expected:
        assert events == []  # the rule produces nothing before the last date: no event
        return
    dtstart = events[0].decoded("dtstart")
    assert dtstart.date() == expected[0] and dtstart.hour == hour
    assert str(dtstart.tzinfo) == "Europe/Amsterdam" and events[0]["dtstart"].params["TZID"] == "Europe/Amsterdam"
    # A calendar app expands DTSTART + RRULE (with UNTIL in UTC) to the same dates as Samen's own.
    recur = events[0]["rrule"].to_ical().decode()
    expanded = rrulestr(recur, dtstart=dtstart)
    window_end = dt.datetime.combine(start + dt.timedelta(days=400), dt.time.max, tzinfo=dtstart.tzinfo)
    assert [moment.date() for moment in expanded.between(dtstart, window_end, inc=True)][:len(expected)] == expected


def test_every_feed_carries_the_amsterdam_time_zone():
    summer = _activity(start_date=dt.date(2026, 7, 7), rrule="FREQ=WEEKLY;BYDAY=TU", valid_until=None)
    feed = Calendar.from_ical(schedule.ical([summer], "Test"))
    zones = list(feed.walk("VTIMEZONE"))
    assert [str(zone["tzid"]) for zone in zones] == ["Europe/Amsterdam"]
    assert {str(part.name) for part in zones[0].subcomponents} == {"STANDARD", "DAYLIGHT"}
    event = next(iter(feed.walk("VEVENT")))
    start = event.decoded("dtstart")
    assert start.utcoffset() == dt.timedelta(hours=2) and start.hour == 10  # summer time, 10:00 local


def test_ical_feed_parses_with_rule_and_until():
    feed = Calendar.from_ical(schedule.ical([_activity()], "Test"))
    event = next(iter(feed.walk("VEVENT")))
    assert str(event["summary"]) == "Koffie"
    rule = event["rrule"]
    assert rule["FREQ"] == ["MONTHLY"] and rule["BYDAY"] == ["2TU"]
    assert rule["UNTIL"][0].date() >= dt.date(2026, 12, 31)
    assert event.decoded("dtstart").hour == 10
