"""The catalogue search (kwaliteit.services.search): what it finds, in which order, and its errors.

Most tests use a small town of their own (three wijken in a row: A and B touch, C lies apart) so the
expected results are exact; the Hilversum demo is in the same database and must never leak in.
"""

import datetime as dt
import itertools

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samen.core.tests.factories import (
    BuurtFactory,
    GemeenteFactory,
    OrganisationFactory,
    PostcodeRangeFactory,
    WijkFactory,
)
from samen.kwaliteit import geometry as geo
from samen.kwaliteit.models import Activity
from samen.kwaliteit.services import search as finder
from samen.kwaliteit.services.search import SearchError, search
from samen.kwaliteit.tests.factories import ActivityFactory, LocationFactory
from samen.kwaliteit.vocabulary import Interest, TargetGroup


def square(west: float, south: float, size: float = 0.01) -> dict:
    return {"type": "Polygon", "coordinates": [[[west, south], [west + size, south], [west + size, south + size],
                                                [west, south + size], [west, south]]]}


class Town:
    """A gemeente with wijken A (buurten a1, a2), B (touching A) and C (apart), postcodes and an organiser."""

    def __init__(self):
        self.gemeente = GemeenteFactory(name="Samendorp")
        self.a = WijkFactory(gemeente=self.gemeente, official_name="Aawijk", boundary=square(5.10, 52.20))
        self.b = WijkFactory(gemeente=self.gemeente, official_name="Beewijk", boundary=square(5.11, 52.20))
        self.c = WijkFactory(gemeente=self.gemeente, official_name="Ceewijk", boundary=square(5.15, 52.20))
        self.a1 = BuurtFactory(wijk=self.a, name="Aa-een")
        self.a2 = BuurtFactory(wijk=self.a, name="Aa-twee")
        self.b1 = BuurtFactory(wijk=self.b)
        self.c1 = BuurtFactory(wijk=self.c)
        PostcodeRangeFactory(buurt=self.a1, postcode="1000AA", number_from=1, number_to=49)
        PostcodeRangeFactory(buurt=self.a2, postcode="1000AA", number_from=50, number_to=99)
        PostcodeRangeFactory(buurt=self.c1, postcode="3000CC")
        self.organiser = OrganisationFactory(gemeente=self.gemeente, name="Buurtkracht")

    def activity(self, buurt=None, **fields) -> Activity:
        if buurt is None:  # online
            return ActivityFactory(location=None, gemeente=self.gemeente, organisation=self.organiser, online=True,
                                   online_url="https://example.org/samen", **fields)
        location = LocationFactory(buurt=buurt, gemeente=self.gemeente)
        return ActivityFactory(location=location, organisation=self.organiser, **fields)


@pytest.fixture
def town(db):
    return Town()


def found_ids(found) -> list[int]:
    """The ids found, in order; the index's pages and the SQL definition must agree."""
    ids = [a.pk for a in found.activities]
    assert [a.pk for a in found.results[0:len(ids) + 5]] == ids and found.count() == len(ids)
    return ids


def test_only_public_activities_are_found(town, hilversum):
    shown = town.activity(town.a1, title="Koffie")
    town.activity(town.a1, title="Concept", status=Activity.Status.DRAFT)
    town.activity(town.a1, title="Gestopt", status=Activity.Status.WITHDRAWN)
    town.activity(town.a1, title="Niet bevestigd", confirmed_at=timezone.now() - relativedelta(months=10))
    town.activity(town.a1, title="Voorbij", rrule="", start_date=timezone.localdate() - dt.timedelta(days=3))
    town.activity(town.a1, title="Afgelopen", start_date=timezone.localdate() - dt.timedelta(days=60),
                  valid_until=timezone.localdate() - dt.timedelta(days=1))
    assert found_ids(search(town.gemeente)) == [shown.pk]


def test_near_a_postcode_orders_by_buurt_wijk_and_distance_and_leaves_nothing_out(town):
    far = town.activity(town.c1, title="Ver weg")
    online = town.activity(None, title="Online")
    neighbour = town.activity(town.b1, title="Buurwijk")
    same_wijk = town.activity(town.a2, title="Zelfde wijk")
    same_buurt = town.activity(town.a1, title="Zelfde buurt")
    found = search(town.gemeente, postcode="1000 aa", house_number="7")
    assert found_ids(found) == [same_buurt.pk, same_wijk.pk, neighbour.pk, far.pk, online.pk]
    assert [a.proximity for a in found.activities] == [0, 1, 2, 3, finder.LAST]
    assert found.near.wijk == town.a and found.near.postcode_display == "1000 AA"
    # Without the house number the postcode lies in two buurten: both count as 'the postcode's buurt'.
    assert [a.proximity for a in search(town.gemeente, postcode="1000AA").activities][:2] == [0, 0]


def test_soonest_first_with_the_next_date_annotated(town):
    today = timezone.localdate()
    later = town.activity(town.a1, title="Later", rrule="", start_date=today + dt.timedelta(days=10))
    sooner = town.activity(town.a1, title="Sooner", rrule="", start_date=today + dt.timedelta(days=2))
    found = list(search(town.gemeente).activities)
    assert [a.pk for a in found] == [sooner.pk, later.pk]
    assert found[0].next_date == today + dt.timedelta(days=2)


def test_a_day_matches_the_planned_dates(town):
    today = timezone.localdate()
    tuesday = town.activity(town.a1, title="Dinsdag", rrule="FREQ=WEEKLY;BYDAY=TU")
    thursday = town.activity(town.a1, title="Donderdag", rrule="FREQ=WEEKLY;BYDAY=TH")
    for value in ("dinsdag", "Tuesday", "di", "1", 1):
        assert found_ids(search(town.gemeente, day=value)) == [tuesday.pk], value
    next_thursday = today + dt.timedelta(days=(3 - today.weekday()) % 7 or 7)
    found = list(search(town.gemeente, day=next_thursday.isoformat()).activities)
    assert [a.pk for a in found] == [thursday.pk] and found[0].next_date == next_thursday
    assert found_ids(search(town.gemeente, day=next_thursday + dt.timedelta(days=1))) == []


def test_filters_on_interest_part_of_day_cost_access_and_place(town):
    walk = town.activity(town.a1, title="Wandelen", interests=["walking", "nature"], start_time=dt.time(10),
                         end_time=dt.time(11), part_of_day="morning", wheelchair_accessible=True)
    meal = town.activity(town.b1, title="Eten", interests=["eating"], start_time=dt.time(18), end_time=dt.time(20),
                         part_of_day="evening", cost_type="amount", cost_amount="4.50")
    online = town.activity(None, title="Digitaal", interests=["digital"], start_time=dt.time(14),
                           end_time=dt.time(15), part_of_day="afternoon")
    assert set(found_ids(search(town.gemeente, interest="walking,eating"))) == {walk.pk, meal.pk}
    assert set(found_ids(search(town.gemeente, interest=["digital", "eating"]))) == {online.pk, meal.pk}
    assert found_ids(search(town.gemeente, part_of_day="evening")) == [meal.pk]
    assert set(found_ids(search(town.gemeente, free="true"))) == {walk.pk, online.pk}
    assert found_ids(search(town.gemeente, accessible="ja")) == [walk.pk]
    assert found_ids(search(town.gemeente, online="true")) == [online.pk]
    assert set(found_ids(search(town.gemeente, online="false"))) == {walk.pk, meal.pk}
    assert found_ids(search(town.gemeente, wijk=town.b.code.lower())) == [meal.pk]


def test_target_groups_everyone_fits_all_and_older_fits_the_oldest(town):
    everyone = town.activity(town.a1, title="Iedereen", target_groups=["everyone"])
    older = town.activity(town.a1, title="Ouderen", target_groups=["65plus"])
    youth = town.activity(town.a1, title="Jong", target_groups=["youth"])
    assert set(found_ids(search(town.gemeente, target_group="youth"))) == {everyone.pk, youth.pk}
    assert set(found_ids(search(town.gemeente, target_group="65plus"))) == {everyone.pk, older.pk}
    assert set(found_ids(search(town.gemeente, target_group="75plus"))) == {everyone.pk, older.pk}
    assert set(found_ids(search(town.gemeente, target_group="carers"))) == {everyone.pk}


def test_words_are_searched_in_title_description_place_and_organiser(town):
    coffee = town.activity(town.a1, title="Koffieochtend", description="Gezellig samen")
    town.activity(town.a1, title="Bridge", description="Kaarten")
    assert found_ids(search(town.gemeente, q="  koffie  ")) == [coffee.pk]
    assert found_ids(search(town.gemeente, q="gezellig koffie")) == [coffee.pk]
    assert found_ids(search(town.gemeente, q="gezellig kaarten")) == []
    assert len(found_ids(search(town.gemeente, q="buurtkracht"))) == 2  # the organiser's name


def test_counts_per_wijk_for_the_map(town):
    town.activity(town.a1)
    town.activity(town.a2)
    town.activity(town.c1)
    town.activity(None)
    found = search(town.gemeente)
    assert found.per_wijk() == {town.a.pk: 2, town.c.pk: 1}
    assert found.count() == 4


@pytest.mark.parametrize(("filters", "parameter"), [
    ({"wijk": "WK999999"}, "wijk"),
    ({"wijk": "WK040201"}, "wijk"),  # a Hilversum wijk: another municipality's
    ({"postcode": "12"}, "postcode"),
    ({"postcode": "9999 XX"}, "postcode"),
    ({"house_number": "12"}, "house_number"),
    ({"postcode": "1000AA", "house_number": "500"}, "house_number"),
    ({"postcode": "1000AA", "house_number": "b12"}, "house_number"),  # "12b" is a number with an addition
    ({"day": "blursday"}, "day"),
    ({"day": "2026-02-30"}, "day"),
    ({"day": "7"}, "day"),
    ({"part_of_day": "night"}, "part"),
    ({"interest": "walking,knitting"}, "interest"),
    ({"target_group": "martians"}, "target_group"),
    ({"free": "maybe"}, "free"),
    ({"accessible": "2"}, "accessible"),
    ({"online": "soms"}, "online"),
    ({"q": "x" * 201}, "q"),
])
def test_a_bad_filter_names_its_parameter(town, hilversum, filters, parameter):
    with pytest.raises(SearchError) as caught:
        search(town.gemeente, **filters)
    assert caught.value.parameter == parameter and caught.value.message


def test_another_municipality_is_never_searched(town, hilversum):
    town.activity(town.a1)
    assert search(hilversum).activities.filter(gemeente=town.gemeente).count() == 0
    assert not search(town.gemeente).activities.filter(gemeente=hilversum).exists()
    with pytest.raises(SearchError):
        search(town.gemeente, postcode="1211AB")  # a Hilversum postcode


def test_a_page_of_results_costs_a_fixed_number_of_queries(town, django_assert_max_num_queries):
    for index in range(25):
        town.activity([town.a1, town.b1, town.c1][index % 3], title=f"Activiteit {index}")
    search(town.gemeente).count()  # the process builds its index once
    # postcode ranges; the wijk order (a miss in the shared cache, a database table: read, the wijken, write);
    # catalogue token; page
    with django_assert_max_num_queries(6):
        found = search(town.gemeente, postcode="1000AA", wijk=None, interest="conversation")
        page = found.results[0:20]
        text = [(a.title, a.location.name, a.organisation.name, a.wijk.display_name, a.next_date) for a in page]
    assert len(text) == 20 and found.count() == 25


def test_another_municipality_has_its_own_index(town, hilversum):
    mine = town.activity(town.a1, title="Alleen in Samendorp")
    assert found_ids(search(town.gemeente, q="samendorp")) == [mine.pk]
    assert search(hilversum, q="samendorp").count() == 0
    assert mine.pk not in [a.pk for a in search(hilversum).results[0:10_000]]


# --- properties ------------------------------------------------------------------------------------

FILTERS = st.fixed_dictionaries({}, optional={
    "interest": st.lists(st.sampled_from(Interest.values), max_size=3, unique=True),
    "target_group": st.sampled_from(TargetGroup.values),
    "part_of_day": st.sampled_from(["morning", "afternoon", "evening"]),
    "day": st.sampled_from(["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]),
    "free": st.booleans(), "accessible": st.booleans(), "online": st.sampled_from([None, True, False]),
    "wijk": st.sampled_from(["a", "b", "c"]),
})
CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@pytest.fixture
def mixed_town(town):
    """Activities with every combination of a few traits, their traits kept for the reference filter."""
    catalogue = []
    traits = itertools.product([town.a1, town.b1, town.c1, None], [["walking"], ["eating", "games"]],
                               [["everyone"], ["youth"], ["65plus"]], [(9, "morning"), (19, "evening")],
                               [True, False], ["TU", "SA"])
    for index, (buurt, interests, groups, (hour, part), free, byday) in enumerate(traits):
        if index % 3:  # a third of the combinations is plenty
            continue
        activity = town.activity(buurt, title=f"Mix {index}", interests=interests, target_groups=groups,
                                 start_time=dt.time(hour), end_time=dt.time(hour + 1), part_of_day=part,
                                 cost_type="free" if free else "donation", wheelchair_accessible=not free,
                                 rrule=f"FREQ=WEEKLY;BYDAY={byday}")
        catalogue.append(activity)
    return town, catalogue


def expected(town, activities, filters) -> set[int]:
    wijk = {"a": town.a, "b": town.b, "c": town.c}.get(filters.get("wijk"))
    out = set()
    for a in activities:
        groups = {filters.get("target_group"), "everyone"}
        if filters.get("target_group") == "75plus":
            groups.add("65plus")
        day = finder.WEEKDAYS.get(filters.get("day", ""), None)
        if ((not filters.get("interest") or set(a.interests) & set(filters["interest"]))
                and (not filters.get("target_group") or set(a.target_groups) & groups)
                and filters.get("part_of_day", a.part_of_day) == a.part_of_day
                and (day is None or a.rrule.endswith("BYDAY=" + CODES[day]))
                and (not filters.get("free") or a.cost_type == "free")
                and (not filters.get("accessible") or a.wheelchair_accessible)
                and (filters.get("online") is None or filters["online"] == (a.location_id is None))
                and (wijk is None or a.wijk_id == wijk.pk)):
            out.add(a.pk)
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(filters=FILTERS)
def test_search_finds_exactly_what_the_filters_describe(mixed_town, filters):
    town, activities = mixed_town
    arguments = dict(filters)
    if "wijk" in arguments:
        arguments["wijk"] = {"a": town.a, "b": town.b, "c": town.c}[arguments["wijk"]].code
    assert set(found_ids(search(town.gemeente, **arguments))) == expected(town, activities, filters)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_any_iso_date_is_a_day(day):
    assert finder._day(day.isoformat()) == {"date": day}
    assert finder._day(day) == {"date": day}


@given(st.sampled_from(sorted(finder.WEEKDAYS)), st.sampled_from([str.lower, str.upper, str.title]))
def test_weekday_words_in_any_case(word, case):
    assert finder._day(case(word)) == {"weekday": finder.WEEKDAYS[word]}


@given(st.lists(st.sampled_from(Interest.values), min_size=1, max_size=6))
def test_interest_codes_as_a_list_or_comma_separated(codes):
    assert finder._codes("interest", ",".join(codes), Interest.values) == tuple(dict.fromkeys(codes))
    assert finder._codes("interest", codes, Interest.values) == tuple(dict.fromkeys(codes))


@given(west=st.floats(4.0, 6.0), south=st.floats(51.0, 53.0), width=st.floats(0.001, 0.1),
       height=st.floats(0.001, 0.1))
def test_the_centroid_of_a_rectangle_is_its_centre(west, south, width, height):
    geometry = {"type": "Polygon", "coordinates": [[[west, south], [west + width, south],
                                                    [west + width, south + height], [west, south + height],
                                                    [west, south]]]}
    x, y = geo.centroid(geometry)
    assert x == pytest.approx(west + width / 2, abs=1e-9) and y == pytest.approx(south + height / 2, abs=1e-9)


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), min_size=1, max_size=12, unique=True),
       st.data())
def test_nearest_first_is_every_wijk_once_own_then_touching_then_the_rest(cells, data):
    """Wijken as unit squares on a grid: the neighbours (sharing an edge or corner) come right after the
    origin, and the order is a permutation of all wijken."""
    boundaries = {index: square(5.0 + x * 0.01, 52.0 + y * 0.01) for index, (x, y) in enumerate(cells)}
    boundaries[len(cells)] = None  # a wijk without a boundary comes last
    origin = data.draw(st.sampled_from(range(len(cells))))
    order = geo.nearest_first(origin, boundaries)
    assert sorted(order) == sorted(boundaries) and order[0] == origin and order[-1] == len(cells)
    ox, oy = cells[origin]
    touching = {i for i, (x, y) in enumerate(cells) if i != origin and max(abs(x - ox), abs(y - oy)) == 1}
    assert set(order[1:1 + len(touching)]) == touching


NEAR = st.fixed_dictionaries({}, optional={"postcode": st.sampled_from(["1000AA", "3000CC"]),
                                           "house_number": st.sampled_from(["7", "70"])})


@pytest.fixture
def dated_and_dateless(mixed_town):
    """The mixed town plus activities without any planned date in the coming months (a yearly event far
    ahead) and some on the same day and time (ties broken by title and id)."""
    town, activities = mixed_town
    today = timezone.localdate()
    far = today + relativedelta(months=8)
    for buurt in (town.a1, town.a2, town.c1, None):
        for title in ("Jaarfeest", "Jaarmarkt"):
            activities.append(town.activity(buurt, title=title, rrule="FREQ=YEARLY", start_date=far))
    for title in ("Zelfde tijd B", "Zelfde tijd A"):
        activities.append(town.activity(town.a2, title=title, rrule="FREQ=DAILY"))
    return town, activities


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(filters=FILTERS, near=NEAR, window=st.tuples(st.integers(0, 80), st.integers(1, 30)))
def test_the_index_pages_match_the_reference_order(dated_and_dateless, filters, near, window):
    """``results`` (the in-memory index, then one query for the page) gives exactly the rows of
    ``activities`` (one SQL query with a subquery per activity, the definition), in the same order, with
    the same dates and closeness, and counts the same."""
    town, _activities = dated_and_dateless
    arguments = {**filters, **near} if "postcode" in near else dict(filters)
    arguments.pop("wijk", None)
    found = search(town.gemeente, **arguments)
    start, size = window
    reference = list(found.activities[start:start + size])
    fast = found.results[start:start + size]
    assert [a.pk for a in fast] == [a.pk for a in reference]
    assert [a.next_date for a in fast] == [a.next_date for a in reference]
    assert [getattr(a, "proximity", None) for a in fast] == [getattr(a, "proximity", None) for a in reference]
    assert len(found.results) == found.activities.count()
