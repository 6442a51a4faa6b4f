"""The search's in-memory index (kwaliteit.services.search_index) and the change token behind it
(kwaliteit.changes): every way the catalogue can change makes the next search see it."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.utils import timezone

from samen.core.models import Organisation
from samen.kwaliteit import changes
from samen.kwaliteit.models import Activity, CatalogueVersion, Location, Occurrence
from samen.kwaliteit.services import search_index
from samen.kwaliteit.services.search import search
from samen.kwaliteit.tests.test_search import Town


@pytest.fixture
def town(db):
    return Town()


def ids(found) -> list[int]:
    return [a.pk for a in found.results[0:1000]]


def test_every_table_the_search_reads_has_the_change_trigger(db):
    assert changes.triggers_present() == set(changes.watched_tables())


def test_a_lost_trigger_is_a_warning_of_the_system_check(db):
    assert changes.check_triggers(databases=["default"]) == []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER samen_catalogue_changed ON kwaliteit_location")
        else:
            cursor.execute("DROP TRIGGER samen_catalogue_changed_update_kwaliteit_location")
    warnings = changes.check_triggers(databases=["default"])
    assert [w.id for w in warnings] == ["kwaliteit.W001"] and "kwaliteit_location" in warnings[0].msg
    changes.install()
    assert changes.check_triggers(databases=["default"]) == []


def test_install_is_idempotent_and_remakes_a_missing_row(db):
    CatalogueVersion.objects.all().delete()
    assert changes.token() is None
    changes.install()
    changes.install()
    assert CatalogueVersion.objects.count() == 1 and changes.token() is not None
    assert changes.triggers_present() == set(changes.watched_tables())


def test_a_write_changes_the_token_whichever_way_it_is_made(town):
    activity = town.activity(town.a1, title="Koffie")
    seen = {changes.token()}
    Activity.objects.filter(pk=activity.pk).update(title="Thee")  # a bulk update sends no signal
    seen.add(changes.token())
    with connection.cursor() as cursor:
        cursor.execute("UPDATE kwaliteit_location SET name = %s WHERE id = %s", ["Het Anker", activity.location_id])
    seen.add(changes.token())
    Occurrence.objects.filter(activity=activity).delete()
    seen.add(changes.token())
    Organisation.objects.filter(pk=town.organiser.pk).update(name="Buurtkracht Oost")
    seen.add(changes.token())
    assert len(seen) == 5


def test_the_next_search_sees_every_change(town):
    coffee = town.activity(town.a1, title="Zwemmen")
    tea = town.activity(town.b1, title="Schaken")
    assert ids(search(town.gemeente)) and set(ids(search(town.gemeente, q="zwemmen"))) == {coffee.pk}

    Activity.objects.filter(pk=tea.pk).update(title="Zwemmen en schaken")
    assert set(ids(search(town.gemeente, q="zwemmen"))) == {coffee.pk, tea.pk}

    Location.objects.filter(pk=coffee.location_id).update(name="Het Anker")
    assert ids(search(town.gemeente, q="anker")) == [coffee.pk]

    Activity.objects.filter(pk=coffee.pk).update(status=Activity.Status.WITHDRAWN)
    assert ids(search(town.gemeente)) == [tea.pk]

    Occurrence.objects.filter(activity=tea).delete()  # no planned dates left: still listed, last, without date
    found = search(town.gemeente).results[0:10]
    assert [a.pk for a in found] == [tea.pk] and found[0].next_date is None
    assert search(town.gemeente, day="dinsdag").count() == 0


def test_one_index_per_catalogue_version_and_day(town):
    town.activity(town.a1)
    today = timezone.localdate()
    first = search_index.index_for(town.gemeente, today)
    assert search_index.index_for(town.gemeente, today) is first
    assert search_index.index_for(town.gemeente, today + dt.timedelta(days=1)) is not first  # a new day
    town.activity(town.a2)
    again = search_index.index_for(town.gemeente, today)
    assert again is not first and again.size == 2


def test_the_freshness_limit_moves_with_the_clock_within_one_index(town):
    now = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(9)))  # later stays on this day
    fresh = town.activity(town.a1, title="Vers", confirmed_at=now)
    ageing = town.activity(town.a1, title="Bijna oud",
                           confirmed_at=now - relativedelta(months=9) + dt.timedelta(hours=2))
    assert set(ids(search(town.gemeente, now=now))) == {fresh.pk, ageing.pk}
    index = search_index.index_for(town.gemeente, timezone.localdate(now))
    later = now + dt.timedelta(hours=3)
    assert ids(search(town.gemeente, now=later)) == [fresh.pk]
    assert search_index.index_for(town.gemeente, timezone.localdate(later)) is index  # not built again


def test_without_a_token_nothing_is_kept_and_answers_stay_right(town):
    first = town.activity(town.a1, title="Eerste")
    CatalogueVersion.objects.all().delete()
    assert ids(search(town.gemeente)) == [first.pk]
    second = town.activity(town.a2, title="Tweede")
    assert set(ids(search(town.gemeente))) == {first.pk, second.pk}


def test_words_match_whatever_their_case_accents_included(town):
    cafe = town.activity(town.a1, title="Taalcafé", description="Nederlands oefenen")
    assert ids(search(town.gemeente, q="TAALCAFÉ")) == [cafe.pk]
    assert ids(search(town.gemeente, q="café oefenen")) == [cafe.pk]
    assert ids(search(town.gemeente, q="cafe")) == []  # no accent folding, as in the database


def test_a_page_leaves_out_what_changed_after_the_count(town, monkeypatch):
    """The page's rows are read with the public filter: an activity withdrawn between the index and the
    page is left out rather than shown."""
    kept = town.activity(town.a1, title="Blijft")
    gone = town.activity(town.a1, title="Gaat weg")
    found = search(town.gemeente)
    assert found.count() == 2
    monkeypatch.setattr(changes, "token", lambda using="default": search_index.index_for(
        town.gemeente, found.today).token)  # this process has not seen the change yet
    Activity.objects.filter(pk=gone.pk).update(status=Activity.Status.WITHDRAWN)
    assert [a.pk for a in found.results[0:10]] == [kept.pk]
