"""Every endpoint of the project against every role, checked against permission_matrix.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from conftest import verified_client
from samen.core.models import AccessLogEntry, Organisation, Resident, User
from samen.core.tests.endpoints import walk
from samen.samenwerken.models import Zorgnetwerk

MATRIX = yaml.safe_load((Path(__file__).resolve().parent.parent / "permission_matrix.yaml").read_text())
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
    resident = Resident.objects.filter(gemeente=hilversum, buurt__wijk__code="WK040207").order_by("pk").first()
    samples = {
        "code": lambda: "BU04020701" if "buurt" in name else "WK040207",
        "pk": lambda: {
            "resident": resident.pk,
            "network": Zorgnetwerk.objects.get(name="Zorgnetwerk Noord-Oost").pk,
            "zorgnetwerk": Zorgnetwerk.objects.get(name="Zorgnetwerk Noord-Oost").pk,
            "organisation": Organisation.objects.get(gemeente=hilversum, name="Versa Welzijn").pk,
            "accesslog": AccessLogEntry.objects.create(
                gemeente=hilversum, actor=User.objects.get(username="regisseur"), actor_label="regisseur",
                action="view", record_type="core.resident", record_id=str(resident.pk), purpose="regie").pk,
            "user": User.objects.get(username="vrijwilliger").pk,
            "wave": _a_wave(hilversum).pk,
            "signal": _a_signal(hilversum).pk,
            "round": _visits(hilversum)[0].pk,
            "visit": _visits(hilversum)[1].pk,
            "version": _an_activity(hilversum).versions.order_by("-number").first().pk,
            "activity": _an_activity(hilversum).pk,
            "intervention": _catalogue_model("Intervention").objects.filter(gemeente=hilversum).first().pk,
            "themeweek": _catalogue_model("ThemeWeek").objects.filter(gemeente=hilversum).first().pk,
        }[next(k for k in ("resident", "network", "zorgnetwerk", "organisation", "accesslog", "user", "wave",
                           "signal", "round", "visit", "version", "activity", "intervention", "themeweek")
               if k in name.split(":")[1])],
    }
    endpoint = next(e for e in ENDPOINTS.values() if e.name == name)
    return {param: samples[param]() for param in endpoint.params}


def _a_wave(hilversum):
    from samen.weten.models import Wave

    wave, _created = Wave.objects.get_or_create(gemeente=hilversum, source="hilversum_monitor", year=2016,
                                                defaults={"name": "Hilversum Monitor 2016"})
    return wave


def _catalogue_model(name):
    from django.apps import apps

    return apps.get_model("kwaliteit", name)


def _an_activity(hilversum):
    """A published demo activity of Heikracht, the demo provider's organisation (the meal in Zuid)."""
    return _catalogue_model("Activity").objects.filter(gemeente=hilversum, organisation__name="Heikracht",
                                                       status="published").order_by("pk").first()


def _visits(hilversum):
    """The demo's Noord-Oost round (the social worker's wijk) and a visit of the demo volunteer."""
    from samen.vinden.services.visits_demo import load_visits_demo
    from samen.vinden.visit_models import Visit, VisitRound

    load_visits_demo(hilversum)
    return (VisitRound.objects.get(gemeente=hilversum, wijk__code="WK040207", year=2026),
            Visit.objects.filter(volunteer__username="vrijwilliger").order_by("pk").first())


def _a_signal(hilversum):
    """An open signal in Noord-Oost, the wijk of the demo partner and social worker."""
    from samen.vinden.models import Signal
    from samen.vinden.services.signals import submit_signal

    signal = Signal.objects.filter(gemeente=hilversum, wijk__code="WK040207", status="new").first()
    if signal is None:
        signal = submit_signal(hilversum, channel="staff", data={"postcode": "1211BJ", "house_number": 7,
                                                                 "observations": ["weinig_bezoek"]}).signal
    return signal


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
