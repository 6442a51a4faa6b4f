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
    assert schedule.describe(_activity()) == "elke maand op de 2e dinsdag, 10:00-12:00"
    assert schedule.describe(_activity(rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH")) == \
        "om de 2 weken op maandag, donderdag, 10:00-12:00"
    assert schedule.describe(_activity(rrule="", end_time=None)) == "06-01-2026, 10:00"
    assert schedule.describe(_activity(rrule="FREQ=MONTHLY;BYDAY=-1FR")) == \
        "elke maand op de laatste vrijdag, 10:00-12:00"


def test_ical_feed_parses_with_rule_and_until():
    feed = Calendar.from_ical(schedule.ical([_activity()], "Test"))
    event = next(iter(feed.walk("VEVENT")))
    assert str(event["summary"]) == "Koffie"
    rule = event["rrule"]
    assert rule["FREQ"] == ["MONTHLY"] and rule["BYDAY"] == ["2TU"]
    assert rule["UNTIL"][0].date() >= dt.date(2026, 12, 31)
    assert event.decoded("dtstart").hour == 10
