"""The visits:* endpoints answer every role as permission_matrix.yaml says, with the sample objects
the project-wide matrix test needs (a Noord-Oost round, a visit of the demo volunteer)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from samen.core.models import User
from samen.core.tests.clients import verified_client
from samen.core.tests.endpoints import walk
from samen.core.tests.test_permission_matrix import MATRIX, ROLES, _outcome, expected
from samen.vinden.visits.demo import load_visits_demo
from samen.vinden.visits.models import Visit, VisitRound

ENDPOINTS = {e.key: e for e in walk() if e.name.startswith("visits:")}


def sample_kwargs(name: str, hilversum) -> dict:
    load_visits_demo(hilversum)
    endpoint = next(e for e in ENDPOINTS.values() if e.name == name)
    if "pk" not in endpoint.params:
        return {}
    if "round" in name:  # check "round" first: the namespace "visits" contains "visit"
        return {"pk": VisitRound.objects.get(gemeente=hilversum, wijk__code="WK040207", year=2026).pk}
    return {"pk": Visit.objects.filter(volunteer__username="vrijwilliger").order_by("pk").first().pk}


def test_every_visits_endpoint_is_in_the_matrix():
    assert ENDPOINTS and set(ENDPOINTS) <= set(MATRIX["endpoints"])


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(ENDPOINTS))
def test_visits_endpoint_answers_every_role_as_the_matrix_says(key, hilversum):
    endpoint = ENDPOINTS[key]
    url = reverse(endpoint.name, kwargs=sample_kwargs(endpoint.name, hilversum))
    mismatches = []
    for role in ROLES:
        client = Client() if role == "anonymous" else verified_client(User.objects.get(username=role))
        response = getattr(client, endpoint.method)(url)
        got, want = _outcome(response), expected(key, role)
        if got != want:
            mismatches.append(f"{role}: expected {want}, got {got} ({response.status_code})")
    assert not mismatches, f"{key} ({url}):\n  " + "\n  ".join(mismatches)
