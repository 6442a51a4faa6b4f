"""The trajectories API: the scoped list and detail (logged), and POST of a step (a refusal: 400 with the Dutch
reason, nothing changed). The schema names the routes."""

from __future__ import annotations

import json

import pytest

from samen.core.models import AccessLogEntry
from samen.core.roles import Role
from samen.core.tests.clients import verified_client
from samen.core.tests.factories import ResidentFactory, UserFactory
from samen.ondersteunen.models import TrajectoryEvent
from samen.ondersteunen.services import trajectories
from samen.ondersteunen.tests.factories import worker_in
from samen.ondersteunen.workflow import TrajectoryStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def trajectory():
    resident = ResidentFactory()
    worker = worker_in(resident.wijk, totp=True)
    return trajectories.start(gemeente_id=resident.gemeente_id, resident=resident, worker=worker, by=worker)


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_list_and_detail_are_scoped_and_logged(trajectory):
    client = verified_client(trajectory.worker)
    from samen.core.tests.factories import BuurtFactory, WijkFactory

    elsewhere = BuurtFactory(wijk=WijkFactory(gemeente=trajectory.gemeente))
    colleague = worker_in(elsewhere.wijk)
    other = trajectories.start(gemeente_id=trajectory.gemeente_id, resident=ResidentFactory(buurt=elsewhere),
                               by=colleague, worker=colleague)
    listed = client.get("/api/v1/trajectories/").json()
    ids = [row["id"] for row in listed["results"]]
    assert trajectory.pk in ids and other.pk not in ids
    assert listed["results"][0]["status"] == "aangemeld"
    detail = client.get(f"/api/v1/trajectories/{trajectory.pk}/")
    assert detail.status_code == 200 and detail.json()["resident"] == trajectory.resident_id
    assert client.get(f"/api/v1/trajectories/{other.pk}/").status_code == 404
    assert AccessLogEntry.objects.filter(route="api:trajectory-detail", record_type="ondersteunen.trajectory",
                                         record_id=str(trajectory.pk), purpose="ondersteuning").exists()
    assert AccessLogEntry.objects.filter(route="api:trajectory-list", record_type="core.resident",
                                         record_id=str(trajectory.resident_id)).exists()


def test_list_filters(trajectory):
    client = verified_client(trajectory.worker)
    assert client.get("/api/v1/trajectories/", {"stand": "afgesloten"}).json()["results"] == []
    assert len(client.get("/api/v1/trajectories/", {"wijk": trajectory.wijk.code}).json()["results"]) == 1


def test_a_step_through_the_api(trajectory):
    client = verified_client(trajectory.worker)
    url = f"/api/v1/trajectories/{trajectory.pk}/steps/"
    response = _post(client, url, {"decision": "contact"})
    assert response.status_code == 200 and response.json()["status"] == "in_contact"
    assert response.json()["first_contact_at"]


@pytest.mark.parametrize("body, field, message", [
    ({}, "decision", "Kies een stap (decision)."),
    ({"decision": "vliegen"}, "decision", "Deze stap bestaat niet"),
    ({"decision": "aftercare"}, "decision", "Dit besluit kan niet vanuit de stand 'aangemeld'."),
    ({"decision": "not_reached"}, "decision", "kan pas na 3 contactpogingen"),
    ({"decision": "close"}, "closing_reason", "kan alleen met een reden van afsluiten"),
    ({"decision": "close", "closing_reason": "zomaar"}, "closing_reason", "Kies een reden van afsluiten uit de lijst."),
    ({"decision": "close", "closing_reason": "anders"}, "reason", "Licht 'anders' toe."),
    (["contact"], "non_field_errors", "Stuur één stap als JSON-object."),
])
def test_refused_steps_are_400_in_dutch_and_change_nothing(trajectory, body, field, message):
    client = verified_client(trajectory.worker)
    response = _post(client, f"/api/v1/trajectories/{trajectory.pk}/steps/", body)
    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()["errors"][field])
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.AANGEMELD
    assert not TrajectoryEvent.objects.filter(trajectory=trajectory, kind="transition").exists()


def test_others_may_not(trajectory):
    partner = UserFactory(gemeente=trajectory.gemeente, role=Role.PARTNER, wijken=[trajectory.wijk], totp=True)
    client = verified_client(partner)
    assert client.get("/api/v1/trajectories/").status_code == 403
    assert _post(client, f"/api/v1/trajectories/{trajectory.pk}/steps/", {"decision": "contact"}).status_code == 403
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.AANGEMELD


def test_the_schema_documents_the_routes(trajectory):
    schema = verified_client(trajectory.worker).get("/api/v1/schema/", {"format": "json"})
    paths = json.loads(schema.content)["paths"] if schema.status_code == 200 else {}
    assert "/api/v1/trajectories/{id}/steps/" in paths and "/api/v1/trajectories/" in paths
