"""The public finder, an activity's page and calendar file, and the samen-week, as a resident uses them."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from samen.kwaliteit.models import Activity, ThemeWeek
from samen.kwaliteit.services.catalogue import public_activities
from samen.kwaliteit.tests.factories import InterventionFactory, ThemeWeekFactory
from samen.kwaliteit.tests.test_search import Town

FINDER = "/activiteiten/"


@pytest.fixture
def town(db):
    return Town()


@pytest.fixture
def visitor():
    return Client(HTTP_HOST="localhost")


def headings_and_actions(html: str) -> list[str]:
    """The text of every heading, button and link: the campaign keeps 'eenzaamheid' out of these."""
    found = re.findall(r"<(h[1-6]|button|a)\b[^>]*>(.*?)</\1>", html, flags=re.S)
    return [re.sub(r"<[^>]+>", "", text) for _tag, text in found]


def no_loneliness_in_headings_or_calls(html: str) -> bool:
    return not any("eenzaam" in text.lower() for text in headings_and_actions(html))


def test_a_resident_sees_every_public_activity_with_a_map(visitor, hilversum):
    response = visitor.get(FINDER)
    assert response.status_code == 200
    html = response.content.decode()
    total = public_activities(hilversum).count()
    assert f"{total} activiteiten gevonden" in html
    assert '<svg aria-hidden="true" focusable="false"' in html and 'tabindex="-1"' in html
    assert 'href="/activiteiten/?wijk=WK040204"' in html  # the table links each wijk
    assert "§" not in html  # every placeholder of the map is filled in
    assert no_loneliness_in_headings_or_calls(html)


def test_searching_near_a_postcode_for_an_interest(visitor, town):
    near = town.activity(town.a1, title="Wandelen om de hoek", interests=["walking"])
    far = town.activity(town.c1, title="Wandelen ver weg", interests=["walking"])
    town.activity(town.a1, title="Koken", interests=["eating"])
    response = visitor.get(FINDER, {"gemeente": town.gemeente.code, "postcode": "1000 aa", "interest": "walking"})
    html = response.content.decode()
    assert "2 activiteiten gevonden, dichtstbij postcode 1000 AA (Aawijk) eerst" in html
    assert html.index(near.title) < html.index(far.title) and "Koken" not in html
    assert "in uw buurt" in html
    # The map's links keep the other filters and add the wijk.
    assert f"interest=walking&amp;wijk={town.c.code}" in html


def test_htmx_gets_only_the_results_and_the_status(visitor, town):
    town.activity(town.a1, title="Koffie")
    response = visitor.get(FINDER, {"gemeente": town.gemeente.code, "q": "koffie"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert '<p id="finder-status" hx-swap-oob="innerHTML">1 activiteit gevonden.</p>' in html
    assert "Koffie" in html and "HX-Request" in response["Vary"]
    full = visitor.get(FINDER, {"gemeente": town.gemeente.code, "q": "koffie"},
                       HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in full.content.decode()  # a history restore needs the whole page


@pytest.mark.parametrize(("params", "label", "message"), [
    ({"postcode": "9999 XX"}, "Dicht bij postcode", "Postcode 9999XX is niet bekend in Samendorp."),
    ({"postcode": "99"}, "Dicht bij postcode", "is geen geldige postcode"),
    ({"interest": "knitting"}, "Wat doet u graag?", "knitting"),
    ({"date": "2026-13-45"}, "Op datum", "Voer een geldige datum in"),
    ({"wijk": "WK999999"}, "In de wijk", "WK999999"),
])
def test_a_bad_search_names_the_field_and_shows_no_results(visitor, town, params, label, message):
    town.activity(town.a1, title="Koffie")
    html = visitor.get(FINDER, {"gemeente": town.gemeente.code, **params}).content.decode()
    summary = html[html.index('role="alert"'):]
    assert label in summary and message in summary
    assert "Koffie" not in html and "Pas de zoekvragen aan" in html


def test_pages_keep_the_filters(visitor, town):
    for index in range(23):
        town.activity(town.a1, title=f"Activiteit {index:02d}", interests=["games"])
    html = visitor.get(FINDER, {"gemeente": town.gemeente.code, "interest": "games"}).content.decode()
    assert "Pagina 1 van 2" in html and f"?gemeente={town.gemeente.code}&amp;interest=games&amp;pagina=2" in html
    second = visitor.get(FINDER, {"gemeente": town.gemeente.code, "interest": "games", "pagina": 2})
    assert second.content.decode().count('class="samen-activity"') == 3


def test_the_finder_costs_a_fixed_number_of_queries(visitor, town):
    from django.core.cache import cache

    def queries():
        cache.clear()  # the wijken's order is cached: measure every time without it
        with CaptureQueriesContext(connection) as context:
            visitor.get(FINDER, {"gemeente": town.gemeente.code, "postcode": "1000AA"})
        return len([q for q in context.captured_queries if "samen_cache" not in q["sql"]])  # not the cache's own

    town.activity(town.a1)
    queries()  # the process builds its search index once per catalogue change
    few = queries()
    for index in range(40):
        town.activity([town.a2, town.b1, town.c1, None][index % 4])
    queries()
    assert queries() == few <= 8


def test_an_activity_page_tells_when_where_cost_and_how(visitor, town):
    activity = town.activity(town.a1, title="Samen eten", cost_type="amount", cost_amount="4.50",
                             registration_required=True, how_to_join="Bel Fatima.", contact_phone="035-1234567",
                             wheelchair_accessible=True, hearing_loop=True)
    activity.interventions.add(InterventionFactory(gemeente=town.gemeente, name="Welzijn op Recept",
                                                   recognition="founded"))
    response = visitor.get(f"/activiteiten/{activity.pk}/", {"gemeente": town.gemeente.code})
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Samen eten", "Elke week op dinsdag, 10:00-12:00", "€ 4,50", "ja, meld u vooraf aan",
                 "Bel Fatima.", 'href="tel:0351234567"', "rolstoeltoegankelijk", "ringleiding aanwezig",
                 "Welzijn op Recept: goed onderbouwd",
                 "Door Buurtkracht", "Zet in mijn agenda", "Aawijk"):
        assert text in html, text
    assert no_loneliness_in_headings_or_calls(html)


@pytest.mark.parametrize("change", [{"status": Activity.Status.DRAFT}, {"status": Activity.Status.WITHDRAWN},
                                    {"valid_until": "past"}])
def test_an_activity_off_the_site_has_no_page_or_calendar(visitor, town, change):
    if change.get("valid_until") == "past":
        change = {"start_date": timezone.localdate() - dt.timedelta(days=30),
                  "valid_until": timezone.localdate() - dt.timedelta(days=1)}
    activity = town.activity(town.a1, **change)
    for path in (f"/activiteiten/{activity.pk}/", f"/activiteiten/{activity.pk}/agenda.ics"):
        assert visitor.get(path, {"gemeente": town.gemeente.code}).status_code == 404


def test_the_calendar_link_gives_one_repeating_event(visitor, town):
    activity = town.activity(town.a1, title="Koffieochtend", rrule="FREQ=MONTHLY;BYDAY=2TU")
    response = visitor.get(f"/activiteiten/{activity.pk}/agenda.ics", {"gemeente": town.gemeente.code})
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="activiteit-{activity.pk}.ics"' in response["Content-Disposition"]
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 1 and str(events[0]["SUMMARY"]) == "Koffieochtend"
    assert events[0]["RRULE"]["FREQ"] == ["MONTHLY"] and events[0]["RRULE"]["BYDAY"] == ["2TU"]


def test_the_samen_week_day_by_day(visitor, town):
    start = timezone.localdate() + dt.timedelta(days=300)  # beyond the stored planned dates
    ThemeWeekFactory(gemeente=town.gemeente, starts_on=start, ends_on=start + dt.timedelta(days=7))
    opening = town.activity(town.a1, title="Aftrap", rrule="", start_date=start + dt.timedelta(days=1),
                            start_time=dt.time(16), end_time=dt.time(17), theme_week=True)
    weekly = town.activity(town.b1, title="Wekelijkse wandeling", rrule="FREQ=WEEKLY", start_date=start,
                           start_time=dt.time(10), end_time=dt.time(11), theme_week=True)
    town.activity(town.a1, title="Gewone koffie", start_date=start)  # not part of the week
    response = visitor.get("/samen-week/", {"gemeente": town.gemeente.code})
    html = response.content.decode()
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, flags=re.S).group(1)
    assert h1.startswith("Samen-week: ") and "tot en met" in h1
    assert no_loneliness_in_headings_or_calls(html) and "Week tegen Eenzaamheid" in html  # body text may name it
    days = response.context["days"]
    assert len(days) == 8
    assert [[a.pk for a in day["events"]] for day in days] == [
        [weekly.pk], [opening.pk], [], [], [], [], [], [weekly.pk]]
    assert "Gewone koffie" not in html


def test_without_a_planned_week_the_page_says_so_kindly(visitor, town):
    ThemeWeek.objects.create(gemeente=town.gemeente, starts_on=timezone.localdate() - dt.timedelta(days=60),
                             ends_on=timezone.localdate() - dt.timedelta(days=53))  # already over
    response = visitor.get("/samen-week/", {"gemeente": town.gemeente.code})
    html = response.content.decode()
    assert response.context["week"] is None
    assert "nog niet bekend" in html and 'href="/activiteiten/"' in html
    assert no_loneliness_in_headings_or_calls(html)


def test_the_finder_speaks_english_when_asked(visitor, town):
    town.activity(town.a1, title="Koffie", registration_required=False)
    visitor.cookies["django_language"] = "en"
    html = visitor.get(FINDER, {"gemeente": town.gemeente.code, "postcode": "1000AA"}).content.decode()
    assert "Doing something together" in html and "1 activity found, nearest to postcode 1000 AA" in html
    assert "just walk in" in html and "in your neighbourhood" in html
