"""Every calendar file Samen serves (one activity, the municipality, a wijk, an organiser, the samen-week)
parses with icalendar, carries Europe/Amsterdam as a VTIMEZONE, and starts each event on a date its rule
produces, at the Dutch local time."""

import datetime as dt

import pytest
from dateutil.rrule import rrulestr
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from samen.kwaliteit.tests.factories import ThemeWeekFactory
from samen.kwaliteit.tests.test_search import Town


@pytest.fixture
def town(db):
    return Town()


def next_weekday(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def feeds(town, activity) -> list[str]:
    return [f"/activiteiten/{activity.pk}/agenda.ics", "/catalogus/agenda.ics",
            f"/catalogus/agenda/wijk/{town.a.code}.ics", f"/catalogus/agenda/organisatie/{town.organiser.pk}.ics",
            "/samen-week/agenda.ics"]


def test_every_calendar_file_has_the_time_zone_and_starts_on_a_date_of_its_rule(town):
    monday = next_weekday(timezone.localdate() + dt.timedelta(days=30), 0)
    ThemeWeekFactory(gemeente=town.gemeente, starts_on=monday, ends_on=monday + dt.timedelta(days=6))
    # The first date is a Monday, the rule says Tuesdays: every file must start on the Tuesday.
    activity = town.activity(town.a1, title="Dinsdagkoffie", rrule="FREQ=WEEKLY;BYDAY=TU", start_date=monday,
                             start_time=dt.time(10), end_time=dt.time(12), valid_until=None, theme_week=True)
    visitor = Client(HTTP_HOST="localhost")
    for path in feeds(town, activity):
        response = visitor.get(path, {"gemeente": town.gemeente.code})
        assert response.status_code == 200, path
        calendar = Calendar.from_ical(response.content)
        assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"], path
        [event] = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == "Dinsdagkoffie"]
        assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam", path
        assert event["DTEND"].params["TZID"] == "Europe/Amsterdam", path
        start = event.decoded("DTSTART")
        assert start.date() == monday + dt.timedelta(days=1) and (start.hour, start.minute) == (10, 0), path
        assert "TZID=Europe/Amsterdam" in response.content.decode().replace("\r\n ", "")
        dates = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
        assert dates[0] == start, path  # DTSTART is the rule's own first date


def test_the_samen_week_file_holds_only_the_dates_in_the_week(town):
    monday = next_weekday(timezone.localdate() + dt.timedelta(days=30), 0)
    ThemeWeekFactory(gemeente=town.gemeente, starts_on=monday, ends_on=monday + dt.timedelta(days=6))
    town.activity(town.a1, title="Wandelen", rrule="FREQ=WEEKLY;BYDAY=WE,SA", start_date=monday - dt.timedelta(days=60),
                  start_time=dt.time(9), end_time=None, valid_until=None, theme_week=True)
    town.activity(town.a1, title="Gewone koffie", rrule="FREQ=WEEKLY;BYDAY=WE", start_date=monday,
                  theme_week=False)
    response = Client(HTTP_HOST="localhost").get("/samen-week/agenda.ics", {"gemeente": town.gemeente.code})
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    start = event.decoded("DTSTART")
    happens = [moment.date() for moment in rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)]
    assert happens == [monday + dt.timedelta(days=2), monday + dt.timedelta(days=5)]


def test_without_a_samen_week_ahead_there_is_no_file(town):
    response = Client(HTTP_HOST="localhost").get("/samen-week/agenda.ics", {"gemeente": town.gemeente.code})
    assert response.status_code == 404
