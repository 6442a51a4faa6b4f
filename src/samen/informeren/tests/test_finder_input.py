"""What residents actually type into the finder (issue 14): a postcode area, a postcode in any spelling, a
house number with an addition, several words, a small typo, and a search that finds nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from samen.kwaliteit.services.search import SearchError, search, suggest
from samen.kwaliteit.tests.test_search import Town

FINDER = "/activiteiten/"


@pytest.fixture
def town(db):
    from samen.kwaliteit.services import search_index

    # Each test's rolled-back catalogue can come back with the same ids and change token as the one before:
    # start from no index, so no process-wide index of an earlier test answers.
    search_index.forget()
    return Town()


def finder(town, **params) -> str:
    return Client(HTTP_HOST="localhost").get(FINDER, {"gemeente": town.gemeente.code, **params}).content.decode()


@pytest.mark.parametrize("typed", ["1000", "1000aa", "1000 AA", " 1000 aa "])
def test_a_postcode_or_its_area_finds_the_nearest_first(town, typed):
    near = town.activity(town.a1, title="Wandelen om de hoek")
    far = town.activity(town.c1, title="Wandelen ver weg")
    html = finder(town, postcode=typed)
    assert html.index(near.title) < html.index(far.title)
    assert "dichtstbij postcode 1000" in html and "(Aawijk) eerst" in html


def test_a_postcode_area_that_is_not_in_the_municipality_is_refused_in_dutch(town):
    with pytest.raises(SearchError) as refused:
        search(town.gemeente, postcode="9999")
    assert "Postcodegebied 9999 ligt niet in Samendorp" in refused.value.message
    with pytest.raises(SearchError) as number:
        search(town.gemeente, postcode="1000", house_number="12")
    assert "hele postcode" in number.value.message


@pytest.mark.parametrize("typed", ["12a", "12-2", "12 bis", "12"])
def test_a_house_number_with_an_addition_places_the_address(town, typed):
    found = search(town.gemeente, postcode="1000AA", house_number=typed)
    assert found.near.house_number == 12 and found.near.buurt_ids == {town.a1.pk}


def test_several_words_find_the_activities_with_all_of_them(town):
    both = town.activity(town.a1, title="Koffie en wandelen", description="Samen.")
    town.activity(town.a1, title="Koffie drinken", description="Samen.")
    town.activity(town.a1, title="Wandelen in het bos", description="Samen.")
    html = finder(town, q="koffie wandelen")
    assert "1 activiteit gevonden" in html and both.title in html and "Koffie drinken" not in html


def test_a_small_typo_still_finds(town):
    coffee = town.activity(town.a1, title="Koffieochtend", description="Samen koffie drinken.")
    assert suggest(town.gemeente, "kofie") == "koffie"
    html = finder(town, q="kofie")
    assert coffee.title in html and "Niets gevonden voor ‘kofie’. Wel voor ‘<strong>koffie</strong>’" in html


def test_a_search_without_results_says_so_and_offers_what_to_change(town):
    town.activity(town.a1, title="Koffieochtend")
    html = finder(town, q="xylofoon", postcode="1000AA")
    assert "Niets gevonden voor ‘xylofoon’." in html and "Wat u kunt proberen:" in html
    assert 'href="/activiteiten/?gemeente=' in html and "zoek zonder woord" in html
