"""A second municipality breaks nothing on the public site (issue 11, item 8).

Hilversum (the demo, installed first) keeps the default site at ``/``; Samendorp, added later, is reached
at its own host name (``Gemeente.public_host``). A resident of Samendorp finds Samendorp's activities,
its samen-week, its feeds and its API, and a worry they fill in is stored for Samendorp.
"""

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from icalendar import Calendar

from samen.core.models import Gemeente
from samen.core.public import public_gemeente
from samen.kwaliteit.models import Activity
from samen.kwaliteit.tests.factories import ThemeWeekFactory
from samen.kwaliteit.tests.test_search import Town
from samen.vinden.models import Signal

HOST = "samen.samendorp.nl"
pytestmark = pytest.mark.usefixtures("allowed_hosts")


@pytest.fixture
def allowed_hosts():
    with override_settings(ALLOWED_HOSTS=[HOST, "localhost", "testserver"]):
        yield


@pytest.fixture
def samendorp(hilversum):
    town = Town()
    Gemeente.objects.filter(pk=town.gemeente.pk).update(public_host=HOST)
    town.gemeente.refresh_from_db()
    start = timezone.localdate() + dt.timedelta(days=20)
    town.week = ThemeWeekFactory(gemeente=town.gemeente, starts_on=start, ends_on=start + dt.timedelta(days=6))
    town.walk = town.activity(town.a1, title="Wandelen in Samendorp", rrule="FREQ=WEEKLY;BYDAY=TU",
                              start_date=timezone.localdate(), theme_week=True)
    return town


@pytest.fixture
def resident():
    return Client(HTTP_HOST=HOST, REMOTE_ADDR="10.77.0.1")


def hilversum_activity(hilversum) -> Activity:
    return Activity.objects.filter(gemeente=hilversum, status=Activity.Status.PUBLISHED).order_by("pk").first()


def test_a_resident_of_the_second_municipality_uses_its_public_site(samendorp, resident, hilversum):
    home = resident.get("/")
    assert home.status_code == 200 and home.context["gemeente"] == samendorp.gemeente
    assert "gemeente Samendorp" in home.content.decode()
    assert [w["code"] for w in home.context["wijken"]] == sorted([samendorp.a.code, samendorp.b.code,
                                                                  samendorp.c.code])

    found = resident.get("/activiteiten/", {"q": "wandelen"})
    assert found.status_code == 200
    assert "Wandelen in Samendorp" in found.content.decode()
    assert {a.gemeente_id for a in found.context["page"].object_list} == {samendorp.gemeente.pk}

    page = resident.get(f"/activiteiten/{samendorp.walk.pk}/")
    assert page.status_code == 200 and "Wandelen in Samendorp" in page.content.decode()
    assert resident.get(f"/activiteiten/{hilversum_activity(hilversum).pk}/").status_code == 404  # not ours

    week = resident.get("/samen-week/")
    assert week.status_code == 200 and week.context["week"] == samendorp.week
    assert any(samendorp.walk in day["events"] for day in week.context["days"])


def test_a_worry_on_the_second_site_is_stored_for_that_municipality(samendorp, resident, hilversum):
    form = resident.get("/zorgen-om-iemand/")
    assert form.status_code == 200
    response = resident.post("/zorgen-om-iemand/", {"postcode": "1000AA", "house_number": "10",
                                                   "description": "Buurman komt al weken niet buiten."})
    assert response.status_code == 302
    signal = Signal.objects.get(description="Buurman komt al weken niet buiten.")
    assert signal.gemeente == samendorp.gemeente and signal.wijk == samendorp.a
    self_report = resident.post("/meer-contact/", {"name": "Els", "phone": "06-12345678", "postcode": "1000AA",
                                                   "house_number": "12"})
    assert self_report.status_code == 302
    assert Signal.objects.get(channel="resident_self", resident__name="Els").gemeente == samendorp.gemeente


def test_feeds_exports_and_the_public_api_serve_the_second_municipality(samendorp, resident, hilversum):
    feed = Calendar.from_ical(resident.get("/catalogus/agenda.ics").content)
    assert [str(e["SUMMARY"]) for e in feed.walk("VEVENT")] == ["Wandelen in Samendorp"]
    assert resident.get(f"/catalogus/agenda/wijk/{samendorp.a.code}.ics").status_code == 200
    week = Calendar.from_ical(resident.get("/samen-week/agenda.ics").content)
    assert [str(e["SUMMARY"]) for e in week.walk("VEVENT")] == ["Wandelen in Samendorp"]
    export = resident.get("/catalogus/export.csv")
    assert export.status_code == 200 and samendorp.gemeente.code in export["Content-Disposition"]
    assert "Wandelen in Samendorp" in export.content.decode("utf-8-sig")

    api = resident.get("/api/v1/activities/")
    assert api.status_code == 200
    assert [item["title"] for item in api.json()["results"]] == ["Wandelen in Samendorp"]
    hsds = resident.get("/api/v1/hsds/services")
    assert hsds.status_code == 200
    assert [item["name"] for item in hsds.json()["contents"]] == ["Wandelen in Samendorp"]


def test_the_default_site_still_serves_the_first_municipality(samendorp, hilversum):
    visitor = Client(HTTP_HOST="localhost", REMOTE_ADDR="10.77.0.2")
    home = visitor.get("/")
    assert home.status_code == 200 and home.context["gemeente"] == hilversum
    api = visitor.get("/api/v1/activities/", {"page_size": 100})
    assert api.status_code == 200 and "Wandelen in Samendorp" not in api.content.decode()
    assert visitor.get(f"/activiteiten/{hilversum_activity(hilversum).pk}/").status_code == 200
    assert visitor.get(f"/activiteiten/{samendorp.walk.pk}/").status_code == 404
    # An explicit ?gemeente= still names a municipality; an unknown code is a 404.
    assert visitor.get("/activiteiten/", {"gemeente": samendorp.gemeente.code}).status_code == 200
    assert visitor.get("/activiteiten/", {"gemeente": "GM9999"}).status_code == 404


def test_the_resolver_prefers_the_code_then_the_host_then_the_first_municipality(samendorp, hilversum, rf):
    assert public_gemeente(rf.get("/", HTTP_HOST=HOST)) == samendorp.gemeente
    assert public_gemeente(rf.get("/", HTTP_HOST=f"{HOST.upper()}:8443")) == samendorp.gemeente
    assert public_gemeente(rf.get("/", HTTP_HOST="localhost")) == hilversum
    assert public_gemeente(rf.get("/", {"gemeente": "gm0402"}, HTTP_HOST=HOST)) == hilversum
