"""The REST API: OpenAPI schema, token auth, pagination, problem+json errors, nothing stored on bad input."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from samen.core.models import AccessLogEntry, Organisation, Resident

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_describes_every_api_endpoint(hilversum):
    response = Client().get(reverse("api:schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/residents/", "/api/v1/residents/{id}/", "/api/v1/wijken/{code}/",
                 "/api/v1/access-log/", "/api/v1/address-lookup/", "/api/v1/zorgnetwerken/", "/api/v1/me/"):
        assert path in schema["paths"], path
    assert {"knoxApiToken", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_the_browsable_docs_are_served_without_a_cdn(hilversum):
    page = Client().get(reverse("api:docs")).content.decode()
    assert "cdn." not in page and "/static/drf_spectacular_sidecar/" in page


def test_a_token_from_the_cli_opens_the_api(hilversum, capsys):
    call_command("token", "partner")
    token = capsys.readouterr().out.strip()
    response = Client().get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    body = response.json()
    assert body["role"] == "partner" and body["gemeente"] == "GM0402" and "resident.view" in body["capabilities"]
    assert Client().get(reverse("api:me"), HTTP_AUTHORIZATION="Token nonsense").status_code == 401


def test_lists_are_paginated(client_as):
    body = client_as("regisseur").get(reverse("api:buurt-list"), {"page_size": 10}).json()
    assert body["count"] == 43 and len(body["results"]) == 10 and body["next"]


def test_unauthenticated_requests_get_a_problem(hilversum):
    response = Client().get(reverse("api:resident-list"))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Niet ingelogd"


def test_an_unknown_postcode_is_a_clear_404(client_as):
    response = client_as("sociaalwerker").get(reverse("api:address-lookup"), {"postcode": "9999ZZ"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "Postcode 9999ZZ is niet bekend in Hilversum."


def test_address_lookup_places_an_address(client_as):
    body = client_as("vrijwilliger").get(reverse("api:address-lookup"), {"postcode": "1211 ab",
                                                                            "huisnummer": 12}).json()
    assert body["buurt"]["code"] == "BU04020101" and body["wijk"]["official_name"] == "Centrum"


def test_a_malformed_postcode_is_a_400(client_as):
    response = client_as("sociaalwerker").get(reverse("api:address-lookup"), {"postcode": "abc"})
    assert response.status_code == 400 and "postcode" in response.json()["errors"]


def test_creating_a_resident_with_an_unknown_postcode_stores_nothing(client_as):
    before = (Resident.objects.count(), AccessLogEntry.objects.count())
    response = client_as("regisseur").post(reverse("api:resident-list"),
                                           {"name": "Test", "postcode": "9999ZZ", "house_number": 1},
                                           content_type="application/json")
    assert response.status_code == 400
    problem = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert problem["errors"]["postcode"] == ["Postcode 9999ZZ met huisnummer 1 is niet bekend in Hilversum."]
    assert (Resident.objects.count(), AccessLogEntry.objects.count()) == before


def test_creating_a_resident_places_and_logs_it(client_as):
    response = client_as("sociaalwerker").post(
        reverse("api:resident-list"), {"name": "Mw. Nieuw", "postcode": "1211bj", "house_number": 9,
                                       "birth_year": 1944}, content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["wijk"] == "WK040207" and body["postcode"] == "1211BJ"
    assert AccessLogEntry.objects.filter(record_id=str(body["id"]), action="create").exists()


def test_a_social_worker_cannot_register_someone_outside_their_wijken(client_as):
    response = client_as("sociaalwerker").post(reverse("api:resident-list"),
                                               {"postcode": "1211AB", "house_number": 3},
                                               content_type="application/json")
    assert response.status_code == 400 and "buiten uw wijken" in response.json()["detail"]


def test_a_bsn_or_unknown_field_is_not_stored(client_as):
    response = client_as("regisseur").post(reverse("api:resident-list"),
                                           {"postcode": "1211AB", "house_number": 3, "bsn": "123456782"},
                                           content_type="application/json")
    assert response.status_code == 201
    assert "bsn" not in response.json()
    assert not any("bsn" in f.name for f in Resident._meta.get_fields())


def test_invalid_fields_are_all_reported(client_as):
    before = Resident.objects.count()
    response = client_as("regisseur").post(reverse("api:resident-list"),
                                           {"postcode": "", "birth_year": 1500, "email": "geen-mail"},
                                           content_type="application/json")
    assert response.status_code == 400
    assert {"postcode", "birth_year", "email"} <= set(response.json()["errors"])
    assert Resident.objects.count() == before


def test_the_beheerder_adds_an_organisation_once(client_as):
    client = client_as("beheerder")
    data = {"name": "Bibliotheek Hilversum", "type": "vereniging"}
    assert client.post(reverse("api:organisation-list"), data, content_type="application/json").status_code == 201
    again = client.post(reverse("api:organisation-list"), data, content_type="application/json")
    assert again.status_code == 400 and "name" in again.json()["errors"]
    wrong = client.post(reverse("api:organisation-list"), {"name": "X", "type": "sekte"},
                        content_type="application/json")
    assert wrong.status_code == 400 and "type" in wrong.json()["errors"]
    assert Organisation.objects.filter(name="Bibliotheek Hilversum").count() == 1


def test_a_social_worker_cannot_move_a_resident_out_of_their_wijken(client_as, hilversum):
    resident = Resident.objects.get(name="Mevrouw J. Pronk")
    response = client_as("sociaalwerker").patch(reverse("api:resident-detail", args=[resident.pk]),
                                                {"postcode": "1211AB", "house_number": 3},
                                                content_type="application/json")
    assert response.status_code == 400 and "buiten uw wijken" in response.json()["detail"]
    resident.refresh_from_db()
    assert resident.postcode == "1211BJ"


def test_a_forged_forwarded_header_does_not_escape_the_throttle(settings):
    from rest_framework.test import APIRequestFactory
    from rest_framework.throttling import AnonRateThrottle

    request = APIRequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="10.0.0.9")
    assert AnonRateThrottle().get_ident(request) == "10.0.0.9"
