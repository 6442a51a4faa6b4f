"""Every answer that shows personal data leaves an access-log entry and is never cached (issue 11, items 7, 10).

The test walks every GET endpoint of the project (pages, API, exports) as the roles that see personal data.
It does not trust a list of "personal-data endpoints": it looks in each answer for any resident's name and
any signal's description, and for each one found requires an entry for that record, written by that user
with that route (the route name tells the channel: ``api:...`` for the API), that holds none of the data.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from samen.core.models import AccessLogEntry, Resident, User
from samen.core.tests.clients import verified_client
from samen.core.tests.test_permission_matrix import ENDPOINTS, _sample_kwargs

pytestmark = pytest.mark.django_db

READERS = ("regisseur", "partner", "vrijwilliger")  # the social worker sees what the partner sees, and more
GETS = sorted(key for key, e in ENDPOINTS.items() if e.method == "get")
SIGNAL_TEXT = "Meneer Zwaluwstaart op nummer 7 zit elke dag alleen achter het raam"
RESIDENT_NAME = "Hendrik Zwaluwstaart"


@pytest.fixture
def personal_data(hilversum):
    """A signal with a description and a named resident in Noord-Oost, the demo workers' wijk."""
    from samen.vinden.models import Signal
    from samen.vinden.services.signals import submit_signal

    submit_signal(hilversum, channel="staff", data={
        "postcode": "1211BJ", "house_number": 7, "name": RESIDENT_NAME, "description": SIGNAL_TEXT,
        "observations": ["weinig_bezoek"]})
    return hilversum, Signal


def _shown(body: str, hilversum, signal_model) -> set[tuple[str, str]]:
    """The (record type, id) of every resident and signal whose name or description is in ``body``."""
    found = {("core.resident", str(pk)) for pk, name in
             Resident.objects.filter(gemeente=hilversum).exclude(name="").values_list("pk", "name")
             if len(name) >= 6 and name in body}
    found |= {("vinden.signal", str(pk)) for pk, text in
              signal_model.objects.filter(gemeente=hilversum).values_list("pk", "description")
              if len(text) >= 20 and text in body}
    return found


def _get(client, key, hilversum):
    endpoint = ENDPOINTS[key]
    return client.get(reverse(endpoint.name, kwargs=_sample_kwargs(endpoint.name, hilversum)))


def test_every_answer_with_personal_data_is_logged_per_record_and_channel(personal_data):
    hilversum, signal_model = personal_data
    seen, problems = set(), []
    for role in READERS:
        user = User.objects.get(username=role)
        client = verified_client(user)
        for key in GETS:
            start = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            response = _get(client, key, hilversum)
            if "no-store" not in response.get("Cache-Control", ""):
                problems.append(f"{role} {key}: no Cache-Control: no-store")
            if response.status_code != 200 or getattr(response, "streaming", False):
                continue
            body = response.content.decode(errors="replace")
            shown = _shown(body, hilversum, signal_model)
            if not shown:
                continue
            seen.add(ENDPOINTS[key].name)
            entries = AccessLogEntry.objects.filter(pk__gt=start, actor=user, action__in=["view", "export"])
            logged = {(e.record_type, e.record_id) for e in entries if e.route == ENDPOINTS[key].name}
            if shown - logged:
                problems.append(f"{role} {key}: shown but not logged {sorted(shown - logged)}")
            for entry in entries:
                text = " ".join(str(v) for v in entry.__dict__.values())
                if RESIDENT_NAME in text or SIGNAL_TEXT in text:
                    problems.append(f"{role} {key}: the log entry holds the data")
    assert not problems, "\n".join(problems)
    # The walk saw the personal data where it is shown: the check above is not vacuous.
    assert {"api:signal-list", "api:signal-detail", "vinden:signal_detail", "api:resident-list",
            "api:resident-detail", "core:resident_detail"} <= seen, seen


def test_the_api_logs_a_signal_read_with_its_resident(personal_data, client_as, demo_user):
    hilversum, signal_model = personal_data
    signal = signal_model.objects.get(description=SIGNAL_TEXT)
    response = client_as("sociaalwerker").get(reverse("api:signal-detail", args=[signal.pk]))
    assert response.status_code == 200 and response.json()["description"] == SIGNAL_TEXT
    entries = AccessLogEntry.objects.filter(actor=demo_user("sociaalwerker"), route="api:signal-detail")
    assert {(e.record_type, e.record_id, e.action, e.purpose) for e in entries} == {
        ("vinden.signal", str(signal.pk), "view", "triage"),
        ("core.resident", str(signal.resident_id), "view", "triage")}


def test_a_refused_read_logs_nothing(personal_data, client_as):
    hilversum, signal_model = personal_data
    signal = signal_model.objects.get(description=SIGNAL_TEXT)
    before = AccessLogEntry.objects.count()
    assert client_as("vrijwilliger").get(reverse("api:signal-detail", args=[signal.pk])).status_code == 403
    assert client_as("regisseur").get(reverse("api:signal-detail", args=[10**9])).status_code == 404
    assert AccessLogEntry.objects.count() == before


@pytest.mark.parametrize("role", ["beheerder", "beleidsadviseur"])
def test_no_answer_to_a_logged_in_user_is_cached(hilversum, role):
    """The roles of the walk above are checked there; these see no residents but still the site's data."""
    client = verified_client(User.objects.get(username=role))
    cached = [key for key in GETS if "no-store" not in _get(client, key, hilversum).get("Cache-Control", "")]
    assert not cached, f"answers without Cache-Control: no-store for {role}: {cached}"


def test_api_answers_with_a_token_or_key_and_form_answers_are_not_cached(hilversum, demo_user):
    from samen.core.services.users import issue_token
    from samen.vinden.services import apikeys

    token = issue_token(demo_user("partner"))[1]
    assert "no-store" in Client().get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {token}")["Cache-Control"]
    assert "no-store" in Client().get(reverse("api:me"), HTTP_AUTHORIZATION="Token wrong")["Cache-Control"]
    from samen.core.models import Organisation

    key = apikeys.issue(Organisation.objects.filter(gemeente=hilversum).first())
    response = Client().post(reverse("api:signal-list"), '{"postcode": "1211BJ", "description": "Post blijft liggen."}',
                             content_type="application/json", HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert response.status_code == 201 and "no-store" in response["Cache-Control"]
    answer = Client().post("/zorgen-om-iemand/", {"description": "Mijn buurvrouw Truus ziet niemand meer."})
    assert "no-store" in answer["Cache-Control"]


def test_public_pages_for_anonymous_visitors_stay_cacheable(hilversum):
    response = Client().get(reverse("informeren:index"))
    assert response.status_code == 200 and "no-store" not in response.get("Cache-Control", "")
