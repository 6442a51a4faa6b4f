"""The explained matching against the database: the catalogue's candidates, hard needs, local evidence with
the small-cell rule, the API and the worker's page (policy, access log, filters, the candidate cache)."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samen.core.models import AccessLogEntry
from samen.core.roles import Role
from samen.core.tests.clients import verified_client
from samen.core.tests.factories import BuurtFactory, UserFactory
from samen.kwaliteit.models import Activity
from samen.kwaliteit.tests.factories import ActivityFactory, InterventionFactory, LocationFactory
from samen.ondersteunen.matching import candidates, evidence
from samen.ondersteunen.tests.factories import ProfileFactory, ReferralFactory, TrajectoryFactory, worker_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    candidates.forget()
    buurt = BuurtFactory()
    gemeente = buurt.wijk.gemeente
    gemeente.min_cell_size = 10
    gemeente.save()
    trajectory = TrajectoryFactory(resident__buurt=buurt, worker=worker_in(buurt.wijk, totp=True))
    ProfileFactory(trajectory=trajectory, interests=["conversation"], availability=["1:morning"],
                   barriers=["wheelchair"])
    here = LocationFactory(buurt=buurt, gemeente=gemeente)
    fits = ActivityFactory(location=here, title="Koffie in de buurt", wheelchair_accessible=True)
    stairs = ActivityFactory(location=LocationFactory(buurt=buurt, gemeente=gemeente), title="Koffie boven",
                             wheelchair_accessible=False)
    elsewhere = ActivityFactory(location=LocationFactory(gemeente=gemeente, buurt=BuurtFactory(
        wijk__gemeente=gemeente)), title="Zang op zaterdag", rrule="FREQ=WEEKLY;BYDAY=SA",
        wheelchair_accessible=True, interests=["music"])
    withdrawn = ActivityFactory(location=here, title="Gestopt", wheelchair_accessible=True,
                                status=Activity.Status.WITHDRAWN)
    stale = ActivityFactory(location=here, title="Oud", wheelchair_accessible=True,
                            confirmed_at=timezone.now() - dt.timedelta(days=400))
    return {"gemeente": gemeente, "trajectory": trajectory, "fits": fits, "stairs": stairs,
            "elsewhere": elsewhere, "withdrawn": withdrawn, "stale": stale}


def went(activity, n: int, still: int):
    for i in range(n):
        ReferralFactory(activity=activity, trajectory__resident__buurt=activity.buurt,
                        status="blijft_komen" if i < still else "gestopt",
                        first_visit_on=timezone.localdate() - dt.timedelta(days=60), still_going_6w=i < still)


def api(client, trajectory, **params):
    return client.get(reverse("api:trajectory-matches", args=[trajectory.pk]), params)


def test_the_worker_gets_the_ranked_matches_with_reasons_and_the_read_is_logged(world):
    went(world["fits"], 10, 7)
    worker = world["trajectory"].worker
    response = api(verified_client(worker), world["trajectory"])
    assert response.status_code == 200, response.content
    body = response.json()
    titles = [r["title"] for r in body["results"]]
    assert titles == ["Koffie in de buurt", "Zang op zaterdag"]  # stairs: wheelchair; withdrawn, stale: not public
    assert body["excluded"] == 1
    first = body["results"][0]
    assert first["rank"] == 1 and first["kind"] == "activity" and first["activity_id"] == world["fits"].pk
    assert "dinsdagochtend" in first["fits"] and "rolstoeltoegankelijk" in first["fits"]
    assert first["evidence"] == {"shown": True, "went": 10, "still_going": 7, "share": 0.7,
                                 "sentence": "7 van de 10 inwoners die hierheen gingen komen er nog"}
    assert "alleen op zaterdag" in body["results"][1]["misses"][0]
    assert AccessLogEntry.objects.filter(actor=worker, record_type="ondersteunen.trajectory",
                                         record_id=str(world["trajectory"].pk), action="view").count() == 1


def test_evidence_under_the_cell_size_is_not_shown(world):
    went(world["fits"], 9, 9)
    body = api(verified_client(world["trajectory"].worker), world["trajectory"]).json()
    assert body["results"][0]["evidence"] == {"shown": False, "went": None, "still_going": None, "share": None,
                                              "sentence": "lokale ervaring: te weinig gegevens"}
    assert evidence.evidence_for_activity(world["fits"])["shown"] is False
    went(world["fits"], 1, 0)
    assert evidence.evidence_for_activity(world["fits"]) == {
        "shown": True, "went": 10, "still_going": 9, "share": 0.9,
        "sentence": "9 van de 10 inwoners die hierheen gingen komen er nog"}


def test_no_places_left_excludes(world):
    Activity.objects.filter(pk=world["fits"].pk).update(capacity=2)
    for _i in range(2):
        ReferralFactory(activity=world["fits"], status="bevestigd", trajectory__resident__buurt=world["fits"].buurt)
    body = api(verified_client(world["trajectory"].worker), world["trajectory"]).json()
    assert [r["title"] for r in body["results"]] == ["Zang op zaterdag"]


def test_interventions_come_through_the_activities_that_apply_them(world):
    method = InterventionFactory(gemeente=world["gemeente"], name="Welzijn op Recept", recognition="good")
    world["fits"].interventions.add(method)
    candidates.catalogue_changed()  # the M2M table is not watched by the catalogue's triggers
    body = api(verified_client(world["trajectory"].worker), world["trajectory"], soort="intervention").json()
    assert [(r["kind"], r["id"], r["via"]) for r in body["results"]] == [
        ("intervention", method.pk, "Koffie in de buurt")]
    assert "Welzijn op Recept: effectief volgens goede aanwijzingen" in body["results"][0]["fits"]


def test_filters_narrow_the_list_and_bad_ones_are_refused_in_dutch(world):
    client = verified_client(world["trajectory"].worker)
    assert [r["title"] for r in api(client, world["trajectory"], dag=5).json()["results"]] == ["Zang op zaterdag"]
    assert [r["title"] for r in api(client, world["trajectory"], interesse="music").json()["results"]] == [
        "Zang op zaterdag"]
    refused = api(client, world["trajectory"], dag=9)
    assert refused.status_code == 400
    assert "Selecteer een geldige keuze" in refused.content.decode()
    assert api(client, world["trajectory"], limit=0).status_code == 400


def test_only_who_may_work_on_the_trajectory_sees_its_matches(world):
    trajectory = world["trajectory"]
    other_worker = UserFactory(gemeente=world["gemeente"], role=Role.SOCIAAL_WERKER, totp=True,
                               wijken=[BuurtFactory(wijk__gemeente=world["gemeente"]).wijk])
    assert api(verified_client(other_worker), trajectory).status_code == 404
    adviser = UserFactory(gemeente=world["gemeente"], role=Role.BELEIDSADVISEUR, totp=True)
    assert api(verified_client(adviser), trajectory).status_code == 403
    assert api(Client(), trajectory).status_code == 401
    assert not AccessLogEntry.objects.filter(record_type="ondersteunen.trajectory").exists()


def test_the_candidates_are_read_again_when_the_catalogue_changes(world):
    client = verified_client(world["trajectory"].worker)
    assert len(api(client, world["trajectory"]).json()["results"]) == 2
    Activity.objects.filter(pk=world["elsewhere"].pk).update(status=Activity.Status.WITHDRAWN)
    assert [r["title"] for r in api(client, world["trajectory"]).json()["results"]] == ["Koffie in de buurt"]


def test_the_worker_page_shows_the_same_list_with_filters(world):
    went(world["fits"], 10, 7)
    client = verified_client(world["trajectory"].worker)
    url = reverse("matching:matches", args=[world["trajectory"].pk])
    page = client.get(url).content.decode()
    assert "Koffie in de buurt" in page and "Zang op zaterdag" in page and "Koffie boven" not in page
    assert "7 van de 10 inwoners die hierheen gingen komen er nog" in page
    assert "alleen op zaterdag" in page
    filtered = client.get(url, {"dag": "1", "dagdeel": "morning"}).content.decode()
    assert "Koffie in de buurt" in filtered and "Zang op zaterdag" not in filtered
    assert client.get(reverse("matching:matches", args=[999999])).status_code == 404


def test_the_api_path_is_in_the_openapi_schema(world):
    schema = yaml.safe_load(Client().get(reverse("api:schema")).content)
    operation = schema["paths"]["/api/v1/trajectories/{id}/matches/"]["get"]
    assert operation["operationId"] == "trajectory_matches"
    assert {p["name"] for p in operation["parameters"]} >= {"id", "interesse", "wijk", "dag", "dagdeel", "gratis",
                                                            "rolstoel", "soort", "limit"}


def test_a_changed_recognition_is_seen_at_the_next_match(world):
    method = InterventionFactory(gemeente=world["gemeente"], name="Grip & Glans", recognition="described")
    world["fits"].interventions.add(method)
    candidates.catalogue_changed()
    client = verified_client(world["trajectory"].worker)
    assert "Grip & Glans: goed beschreven" in api(client, world["trajectory"], soort="intervention").json()[
        "results"][0]["fits"]
    method.recognition = "strong"
    method.save()
    assert "Grip & Glans: effectief volgens sterke aanwijzingen" in api(
        client, world["trajectory"], soort="intervention").json()["results"][0]["fits"]
