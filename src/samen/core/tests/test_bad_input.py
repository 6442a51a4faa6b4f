"""No 5xx from any input: odd ids, NUL bytes, deep JSON, bodies over the limit (issue 11, item 9).

The API answers a 4xx problem+json with a Dutch message, pages the Dutch error page.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def _problem(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


@pytest.mark.parametrize("ident", ["3abc", "null,null", "1e0", "-1", "99999999999999999999", "%00", "1.0"])
@pytest.mark.parametrize("collection", ["signals", "residents"])
def test_a_non_numeric_or_huge_id_is_a_404_problem(client_as, collection, ident):
    response = client_as("regisseur").get(f"/api/v1/{collection}/{ident}/")
    assert response.status_code in {400, 404}
    _problem(response, response.status_code)


def test_an_unknown_api_address_is_a_problem_too(client_as):
    body = _problem(client_as("regisseur").get("/api/v1/bestaat-niet/"), 404)
    assert body["title"] == "Niet gevonden"


@pytest.mark.parametrize("query", ["wijk=%00", "wijk=WK%000207", "%00=1", "page=1%00"])
def test_a_nul_byte_in_the_query_string_is_a_400_problem(client_as, query):
    body = _problem(client_as("regisseur").get(f"/api/v1/signals/?{query}"), 400)
    assert "NUL" in body["detail"]


def test_a_nul_byte_in_a_page_query_is_the_dutch_error_page(client_as):
    response = client_as("regisseur").get("/signalen/?stand=open%00")
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert "ongeldig teken" in response.content.decode()


def test_a_nul_byte_in_a_public_form_is_refused_and_nothing_stored(hilversum):
    from samen.vinden.models import Signal

    before = Signal.objects.count()
    response = Client().post("/zorgen-om-iemand/", {"postcode": "1211AB", "description": "Buurvrouw\x00 alleen"})
    assert response.status_code == 400 and "ongeldig teken" in response.content.decode()
    assert Signal.objects.count() == before


def test_a_nul_byte_in_a_form_post_to_the_api_is_a_problem(client_as):
    _problem(client_as("beheerder").post("/api/v1/organisations/", {"name": "A\x00B", "type": "welzijn"}), 400)


@pytest.mark.parametrize("text", ["Buur\u0000vrouw", "\u0000"])
def test_a_nul_character_in_json_is_a_400_problem_and_nothing_stored(client_as, text):
    from samen.vinden.models import Signal

    before = Signal.objects.count()
    response = client_as("regisseur").post("/api/v1/signals/", json.dumps({"postcode": "1211AB", "description": text}),
                                           content_type="application/json")
    assert "NUL" in _problem(response, 400)["detail"]
    assert Signal.objects.count() == before
    key = client_as("regisseur").post("/api/v1/signals/", json.dumps({"postcode": "1211AB", text: "x"}),
                                      content_type="application/json")
    _problem(key, 400)


@pytest.mark.parametrize("depth", [40, 5000, 100_000])
def test_deeply_nested_json_is_a_400_problem(client_as, depth):
    body = '{"observations": ' + "[" * depth + "]" * depth + "}"
    response = client_as("regisseur").post("/api/v1/signals/", body, content_type="application/json")
    assert "genest" in _problem(response, 400)["detail"]


def test_malformed_json_is_a_dutch_400_problem(client_as):
    response = client_as("regisseur").post("/api/v1/signals/", '{"postcode": ', content_type="application/json")
    assert "JSON" in _problem(response, 400)["detail"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2048)
def test_a_body_over_the_limit_is_a_413_problem_for_the_api(client_as):
    body = json.dumps({"postcode": "1211AB", "description": "x" * 5000})
    response = client_as("regisseur").post("/api/v1/signals/", body, content_type="application/json")
    assert "te groot" in _problem(response, 413)["detail"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2048)
def test_a_body_over_the_limit_is_the_dutch_error_page_for_a_form(hilversum):
    response = Client().post("/zorgen-om-iemand/", {"postcode": "1211AB", "description": "x" * 5000})
    assert response.status_code == 413 and response["Content-Type"].startswith("text/html")
    assert "te groot" in response.content.decode()


def test_a_broken_multipart_body_is_a_400_problem_not_a_500(client_as):
    response = client_as("beheerder").generic("POST", "/api/v1/organisations/", b"--x\r\nrubbish",
                                              content_type="multipart/form-data; boundary=")
    _problem(response, 400)
