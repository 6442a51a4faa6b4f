"""A report never writes into an existing resident record, tells the reporter nothing about earlier signals,
refuses a reused Idempotency-Key with another body, and a postcode without a house number is one record."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from samen.core.models import AccessLogEntry, Organisation, Resident, Wijk
from samen.core.roles import Role
from samen.core.tests.clients import verified_client
from samen.core.tests.factories import UserFactory
from samen.vinden import matching
from samen.vinden.models import Signal
from samen.vinden.services import apikeys
from samen.vinden.services.signals import submit_signal

pytestmark = pytest.mark.django_db

URL = "api:signal-list"


@pytest.fixture
def pronk(hilversum):
    """The demo's Mevrouw J. Pronk of 1211BJ 7 (Noord-Oost), known with her own phone number and no e-mail,
    with an open signal."""
    resident = Resident.objects.get(gemeente=hilversum, postcode="1211BJ", house_number=7, name="Mevrouw J. Pronk")
    Resident.objects.filter(pk=resident.pk).update(phone="035-1111111", email="")
    signal = submit_signal(hilversum, channel="staff", data={"name": "Mevrouw J. Pronk", "postcode": "1211BJ",
                                                             "house_number": 7, "description": "eerste"}).signal
    assert signal.resident_id == resident.pk
    resident.refresh_from_db()
    return resident


@pytest.fixture
def postnl_key(hilversum):
    return apikeys.issue(Organisation.objects.get(gemeente=hilversum, name="PostNL"))


def post(body, *, key=None, client=None, **headers):
    client = client or Client()
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {key}"} if key else {}
    return client.post(reverse(URL), json.dumps(body), content_type="application/json", **auth, **headers)


def test_the_public_form_does_not_change_an_existing_record(hilversum, pronk):
    entries = AccessLogEntry.objects.filter(record_id=str(pronk.pk))
    created_before = entries.filter(action="create").count()
    response = Client(REMOTE_ADDR="10.3.3.3").post(reverse("vinden:self"), {
        "name": "Johanna Pronk", "phone": "06-99999999", "email": "indringer@example.org", "postcode": "1211BJ",
        "house_number": "7"})
    assert response.status_code == 302
    pronk.refresh_from_db()
    assert (pronk.phone, pronk.email) == ("035-1111111", "")
    signal = Signal.objects.get(channel="resident_self")
    assert signal.resident == pronk, "the signal is attached to the record it matched"
    assert signal.reported_contact == {"phone": "06-99999999", "email": "indringer@example.org"}
    assert entries.filter(action="create").count() == created_before, "no 'create' by anoniem for a match"
    assert not entries.filter(action="change").exists()


def test_an_api_key_cannot_change_an_existing_record(hilversum, pronk, postnl_key):
    response = post({"name": "J. Pronk", "postcode": "1211BJ", "house_number": 7, "email": "x@example.org",
                     "description": "Post blijft liggen."}, key=postnl_key)
    assert response.status_code == 201
    pronk.refresh_from_db()
    assert pronk.email == ""


def test_the_worker_sees_the_difference_and_takes_it_over(hilversum, pronk, client_as, demo_user):
    Client(REMOTE_ADDR="10.3.3.4").post(reverse("vinden:self"), {
        "name": "Johanna Pronk", "phone": "06-99999999", "postcode": "1211BJ", "house_number": "7"})
    signal = Signal.objects.get(channel="resident_self")
    url = reverse("vinden:signal_detail", args=[signal.pk])
    worker = client_as("sociaalwerker")
    page = worker.get(url).content.decode()
    assert "Anders gemeld dan in het inwonerrecord" in page and "06-99999999" in page and "035-1111111" in page
    assert "Overnemen" in page
    assert "Overnemen" not in client_as("partner").get(url).content.decode(), "a partner may not change records"
    response = worker.post(url, {"take_over": "phone"})
    assert response.status_code == 302
    pronk.refresh_from_db()
    signal.refresh_from_db()
    assert pronk.phone == "06-99999999" and signal.reported_contact == {}
    change = AccessLogEntry.objects.filter(record_id=str(pronk.pk), action="change").get()
    assert change.actor == demo_user("sociaalwerker") and change.purpose == "triage"
    assert "telefoon" in signal.events.last().reason


def test_a_partner_cannot_take_over(hilversum, pronk, client_as):
    Client(REMOTE_ADDR="10.3.3.5").post(reverse("vinden:self"), {
        "name": "Johanna Pronk", "email": "j@example.org", "postcode": "1211BJ", "house_number": "7"})
    signal = Signal.objects.get(channel="resident_self")
    client_as("partner").post(reverse("vinden:signal_detail", args=[signal.pk]), {"take_over": "email"})
    pronk.refresh_from_db()
    assert pronk.email == ""


def _answer_without_ids(response) -> dict:
    body = response.json()
    assert response.status_code == 201, body
    return {k: v for k, v in body.items() if k != "id"}


def test_reporters_cannot_tell_whether_someone_already_has_a_signal(hilversum, pronk, postnl_key):
    """Same questions about a person with an open signal (1211BJ 7) and one without (1211BJ 9, 11): the
    organisation's key and a volunteer of another wijk get the same answer. The link is still made."""
    elsewhere = Wijk.objects.get(gemeente=hilversum, code="WK040201")
    volunteer = verified_client(UserFactory(gemeente=hilversum, role=Role.VRIJWILLIGER, wijken=[elsewhere],
                                            totp=True))
    for number, caller in ((9, {"key": postnl_key}), (11, {"client": volunteer})):
        linked = post({"name": "J. Pronk", "postcode": "1211BJ", "house_number": 7, "description": "x"}, **caller)
        unlinked = post({"name": "K. Smit", "postcode": "1211BJ", "house_number": number, "description": "x"},
                        **caller)
        assert _answer_without_ids(linked) == _answer_without_ids(unlinked)
        assert "linked" not in linked.json()
        assert Signal.objects.get(pk=linked.json()["id"]).linked_to is not None
        assert Signal.objects.get(pk=unlinked.json()["id"]).linked_to is None


def test_who_may_see_the_signals_is_told_of_the_link(hilversum, pronk, client_as):
    regisseur = client_as("regisseur")
    assert post({"name": "J. Pronk", "postcode": "1211BJ", "house_number": 7, "description": "x"},
                client=regisseur).json()["linked"] is True
    assert post({"name": "K. Smit", "postcode": "1211BJ", "house_number": 9, "description": "x"},
                client=regisseur).json()["linked"] is False


def test_the_same_idempotency_key_with_another_body_is_refused(hilversum, postnl_key):
    first = post({"postcode": "1211AB", "description": "Gordijnen dicht."}, key=postnl_key,
                 HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201
    before = Signal.objects.count()
    other = post({"postcode": "1211AB", "description": "Iets anders."}, key=postnl_key, HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422 and other["Content-Type"] == "application/problem+json"
    problem = other.json()
    assert problem["title"] == "Niet te verwerken" and "Idempotency-Key" in problem["detail"]
    assert "niets" in problem["detail"] and Signal.objects.count() == before
    again = post({"description": "Gordijnen dicht.", "postcode": "1211 ab"}, key=postnl_key,
                 HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"], "the same report, spelled differently, is a retry"


def test_a_postcode_without_a_house_number_is_one_record(hilversum, postnl_key):
    for text in ("Post blijft liggen.", "Weer post blijven liggen."):
        assert post({"postcode": "1211AB", "description": text}, key=postnl_key).status_code == 201
    signals = Signal.objects.filter(reporter_organisation__name="PostNL").order_by("pk")
    assert signals[0].resident_id == signals[1].resident_id
    assert Resident.objects.filter(gemeente=hilversum, postcode="1211AB", house_number=None).count() == 1
    assert signals[1].linked_to == signals[0], "the same street flagged twice is worth one look"
    named = post({"postcode": "1211AB", "name": "A. de Vries", "description": "x"}, key=postnl_key)
    assert Signal.objects.get(pk=named.json()["id"]).resident_id != signals[0].resident_id


def test_matching_without_a_house_number():
    street = matching.Person("1211AB", None)
    assert matching.same_person(street, matching.Person("1211AB", None))
    assert not matching.same_person(street, matching.Person("1211AB", None, name="A. de Vries"))
    assert matching.same_person(matching.Person("1211AB", None, name="A. de Vries"),
                                matching.Person("1211AB", None, name="Anna de Vries"))
    assert not matching.same_person(street, matching.Person("1211AB", 3))
    assert not matching.same_person(matching.Person("", None), matching.Person("", None))


def test_the_thank_you_pages_say_the_same_for_a_linked_report(hilversum, pronk):
    pages = []
    for number, name in ((7, "J. Pronk"), (13, "K. Smit")):
        response = Client(REMOTE_ADDR=f"10.4.4.{number}").post(reverse("vinden:concern"), {
            "postcode": "1211BJ", "house_number": str(number), "name": name, "description": "Zorgen"}, follow=True)
        assert response.status_code == 200
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        page = re.sub(r'ontvangen=[^"&]+|<strong class="samen-reference">[^<]+</strong>', "", page)  # per signal
        pages.append(re.sub(r'nonce="[^"]+"', "", page))
    assert Signal.objects.filter(channel="resident_concern", linked_to__isnull=False).count() == 1
    assert pages[0] == pages[1]
