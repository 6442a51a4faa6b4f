"""Every endpoint of the project against every role, checked against permission_matrix.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from samen.core import registry
from samen.core.models import User
from samen.core.tests.clients import verified_client
from samen.core.tests.endpoints import walk


def load_matrix() -> dict:
    """The core's permission_matrix.yaml, with the endpoints of every installed app's own
    ``permission_matrix.yaml`` (if it has one) merged in; an endpoint may be named only once."""
    from django.apps import apps

    matrix = yaml.safe_load((Path(__file__).resolve().parent.parent / "permission_matrix.yaml").read_text())
    for app in apps.get_app_configs():
        own = Path(app.path) / "permission_matrix.yaml"
        if app.label == "core" or not own.exists():
            continue
        endpoints = yaml.safe_load(own.read_text())["endpoints"] or {}
        twice = sorted(set(endpoints) & set(matrix["endpoints"]))
        assert not twice, f"{app.label}/permission_matrix.yaml names endpoints named elsewhere: {twice}"
        matrix["endpoints"].update(endpoints)
    return matrix


MATRIX = load_matrix()
ROLES = MATRIX["roles"]
ENDPOINTS = {e.key: e for e in walk()}


def expected(key: str, role: str) -> str:
    rule = MATRIX["endpoints"][key]
    return rule.get(role, rule["default"])


def test_every_endpoint_is_in_the_matrix():
    missing = sorted(set(ENDPOINTS) - set(MATRIX["endpoints"]))
    assert not missing, f"endpoints missing from permission_matrix.yaml: {missing}"


def test_the_matrix_names_no_endpoint_that_does_not_exist():
    unknown = sorted(set(MATRIX["endpoints"]) - set(ENDPOINTS))
    assert not unknown, f"permission_matrix.yaml names endpoints that do not exist: {unknown}"


def test_every_rule_uses_known_roles_and_outcomes():
    for key, rule in MATRIX["endpoints"].items():
        assert "default" in rule, key
        assert set(rule) - {"default"} <= set(ROLES), key
        assert set(rule.values()) <= {"allow", "deny", "login"}, key


def _sample_kwargs(name: str, hilversum) -> dict:
    """A value for each URL parameter: ``code`` is a demo wijk or buurt; ``pk`` comes from the first
    registered sample (``registry.matrix_sample``) whose key the URL name contains."""
    def pk():
        local_name = name.split(":")[1]
        sample = next((s for s in registry.matrix_samples if s.key in local_name), None)
        assert sample is not None, f"no registry.matrix_sample for a pk in {name}"
        return sample.find(hilversum)

    samples = {"code": lambda: "BU04020701" if "buurt" in name else "WK040207", "pk": pk,
               # the password-reset link: a link that does not work answers its own page, for everyone
               "uidb64": lambda: "MQ", "token": lambda: "niet-geldig"}
    endpoint = next(e for e in ENDPOINTS.values() if e.name == name)
    return {param: samples[param]() for param in endpoint.params}


def _outcome(response) -> str:
    status = response.status_code
    if status == 401 or (status == 302 and response["Location"].split("?")[0] == reverse("core:login")):
        return "login"
    if status == 403:
        return "deny"
    if status <= 400:  # 400: a deliberately empty form or body was read and refused
        return "allow"
    return f"unexpected {status}"


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(ENDPOINTS))
def test_endpoint_answers_every_role_as_the_matrix_says(key, hilversum):
    endpoint = ENDPOINTS[key]
    url = reverse(endpoint.name, kwargs=_sample_kwargs(endpoint.name, hilversum))
    is_api = url.startswith("/api/")
    mismatches = []
    for role in ROLES:
        client = Client() if role == "anonymous" else verified_client(User.objects.get(username=role))
        method = getattr(client, endpoint.method)
        kwargs = {"content_type": "application/json", "data": "{}"} if is_api and endpoint.method != "get" else {}
        response = method(url, **kwargs)
        got, want = _outcome(response), expected(key, role)
        if got != want:
            mismatches.append(f"{role}: expected {want}, got {got} ({response.status_code})")
    assert not mismatches, f"{key} ({url}):\n  " + "\n  ".join(mismatches)
