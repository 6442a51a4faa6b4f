"""Signals from every channel: intake, routing, duplicates, triage, deadlines, and who sees what."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samen.core.models import AccessLogEntry, Organisation, Resident
from samen.vinden import calendar, matching, workflow
from samen.vinden.models import Signal, SignalEvent
from samen.vinden.services import apikeys
from samen.vinden.services.signals import submit_signal, triage

pytestmark = pytest.mark.django_db


@pytest.fixture
def postnl_key(hilversum):
    return apikeys.issue(Organisation.objects.get(gemeente=hilversum, name="PostNL"))


def post_signal(body, key=None, **headers):
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {key}"} if key else {}
    return Client().post(reverse("api:signal-list"), json.dumps(body), content_type="application/json",
                         **auth, **headers)


def test_a_deliverer_passes_on_an_anonymous_worry(postnl_key):
    response = post_signal({"postcode": "1211AB", "description": "Post blijft al dagen liggen."}, postnl_key)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["routed_to"] == "WK040201" and body["status"] == "ontvangen"
    assert "0800-0113" in " ".join(body["acute"]["steps"])
    signal = Signal.objects.get(pk=body["id"])
    assert signal.channel == "organisation" and signal.reporter_organisation.name == "PostNL"
    assert signal.network.name == "Zorgnetwerk Centrum"
    assert signal.resident.name == "" and signal.resident.postcode == "1211AB"


def test_a_retry_with_the_same_idempotency_key_creates_nothing_new(postnl_key):
    body = {"postcode": "1211AB", "description": "Gordijnen dicht."}
    first = post_signal(body, postnl_key, HTTP_IDEMPOTENCY_KEY="abc-1")
    again = post_signal(body, postnl_key, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] and again["Idempotent-Replayed"] == "true"
    assert Signal.objects.filter(description="Gordijnen dicht.").count() == 1


@pytest.mark.parametrize("key", ["nonsense", "deadbeef.wrong"])
def test_a_wrong_key_gets_401_and_stores_nothing(hilversum, key):
    before = Signal.objects.count()
    response = post_signal({"postcode": "1211AB", "description": "x"}, key)
    assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"
    assert Signal.objects.count() == before


def test_a_revoked_key_gets_401(postnl_key):
    apikeys.revoke(postnl_key.split(".")[0])
    assert post_signal({"postcode": "1211AB", "description": "x"}, postnl_key).status_code == 401


@pytest.mark.parametrize(("body", "field"), [
    ({"postcode": "12AB", "description": "x"}, "postcode"),
    ({"postcode": "1211AB", "observations": ["bestaat_niet"]}, "observations"),
    ({"postcode": "1211AB", "description": "x" * 5001}, "description"),
    ({"postcode": "1211AB", "description": "x", "bsn": "123456782"}, "bsn"),
])
def test_bad_input_names_the_field_and_stores_nothing(postnl_key, body, field):
    before = Signal.objects.count()
    response = post_signal(body, postnl_key)
    assert response.status_code == 400 and field in response.json()["errors"], response.json()
    assert Signal.objects.count() == before


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_a_wrong_content_type_is_a_clear_415(postnl_key, content_type):
    before = Signal.objects.count()
    client, url, auth = Client(), reverse("api:signal-list"), {"HTTP_AUTHORIZATION": f"Api-Key {postnl_key}"}
    response = client.post(url, {"postcode": "1211AB"}, **auth) if content_type == "multipart/form-data" else \
        client.generic("POST", url, "postcode=1211AB", content_type=content_type, **auth)
    assert response.status_code == 415 and response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "Stuur de melding als application/json."
    assert Signal.objects.count() == before


def test_without_postcode_it_goes_to_the_central_queue(postnl_key, client_as):
    body = post_signal({"description": "Een buurman maakt zich zorgen."}, postnl_key).json()
    assert body["routed_to"] == "central"
    assert client_as("regisseur").get(reverse("vinden:central_queue")).context["rows"][0]["signal"].pk == body["id"]
    assert client_as("partner").get(reverse("vinden:signal_detail", args=[body["id"]])).status_code == 404


def test_the_network_is_told_without_personal_data(hilversum, demo_user):
    submit_signal(hilversum, channel="staff", data={"name": "Mevrouw Geheim", "postcode": "1211BJ",
                                                    "house_number": 7, "observations": ["somber"]},
                  reporter=demo_user("regisseur"))
    assert not mail.outbox, "the intake only writes the outbox"
    call_command("send_notifications", verbosity=0)
    assert mail.outbox, "the network of Noord-Oost gets an e-mail"
    message = mail.outbox[-1]
    assert "Geheim" not in message.body and "1211BJ" not in message.body
    assert "partner@demo.samen.invalid" in {a for m in mail.outbox for a in m.to}


def test_a_second_signal_about_the_same_person_is_linked_and_the_worker_told(hilversum, demo_user):
    first = submit_signal(hilversum, channel="staff", data={"name": "Mevrouw J. Pronk", "postcode": "1211BJ",
                                                            "house_number": 7, "birth_year": 1946,
                                                            "description": "eerste"}).signal
    triage(demo_user("sociaalwerker"), first.pk, workflow.Decision.SOCIAL_WORK)
    call_command("send_notifications", verbosity=0)
    mail.outbox.clear()
    second = submit_signal(hilversum, channel="volunteer", data={"name": "mevr. Johanna Pronk",
                                                                 "postcode": "1211 bj", "house_number": "7",
                                                                 "birth_year": 1947, "description": "tweede"},
                           reporter=demo_user("vrijwilliger")).signal
    call_command("send_notifications", verbosity=0)
    assert second.linked_to_id == first.pk and second.resident_id == first.resident_id
    assert any("sociaalwerker@demo.samen.invalid" in m.to for m in mail.outbox)


def test_a_different_person_at_another_number_is_not_linked(hilversum):
    a = submit_signal(hilversum, channel="staff", data={"name": "A. Jansen", "postcode": "1211BJ",
                                                        "house_number": 7, "description": "x"}).signal
    b = submit_signal(hilversum, channel="staff", data={"name": "A. Jansen", "postcode": "1211BJ",
                                                        "house_number": 9, "description": "x"}).signal
    assert b.linked_to_id is None and a.resident_id != b.resident_id


def test_triage_records_who_when_why(hilversum, demo_user):
    signal = submit_signal(hilversum, channel="staff", data={"postcode": "1211BJ", "house_number": 7,
                                                             "description": "x"}).signal
    partner = demo_user("partner")
    with pytest.raises(Exception, match="reden"):
        triage(partner, signal.pk, workflow.Decision.NO_ACTION)
    with pytest.raises(Exception, match="partner"):
        triage(partner, signal.pk, workflow.Decision.MAATWERK, reason="eerst zelf")
    hilverzorg = Organisation.objects.get(gemeente=hilversum, name="Hilverzorg")
    later = timezone.localdate() + datetime.timedelta(days=14)
    triage(partner, signal.pk, workflow.Decision.MAATWERK, reason="wijkverpleging kent haar", partner=hilverzorg,
           look_again_on=later)
    signal.refresh_from_db()
    assert signal.status == "maatwerk" and signal.maatwerk_partner == hilverzorg and signal.look_again_on == later
    event = SignalEvent.objects.filter(signal=signal).last()
    assert (event.by, event.decision, event.reason) == (partner, "maatwerk", "wijkverpleging kent haar")
    with pytest.raises(Exception, match="niet vanuit"):
        triage(partner, signal.pk, workflow.Decision.MAATWERK, reason="x", partner=hilverzorg, look_again_on=later)


def test_a_partner_never_sees_another_wijks_signals(hilversum, client_as):
    elsewhere = submit_signal(hilversum, channel="staff", data={"postcode": "1211AB", "house_number": 3,
                                                                "description": "Centrum"}).signal
    client = client_as("partner")
    assert client.get(reverse("vinden:signal_detail", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("api:signal-detail", args=[elsewhere.pk])).status_code == 404
    listed = client.get(reverse("api:signal-list")).json()["results"]
    assert all(row["wijk"] == "WK040207" for row in listed)


def test_the_reporter_sees_the_status_only(hilversum, client_as, demo_user):
    signal = submit_signal(hilversum, channel="volunteer", data={"postcode": "1211BJ", "house_number": 7,
                                                                 "description": "Meneer zit elke dag alleen "
                                                                                "thuis, geheime inhoud volgt"},
                           reporter=demo_user("vrijwilliger")).signal
    page = client_as("vrijwilliger").get(reverse("vinden:my_reports")).content.decode()
    # The reporter recognises the signal by the first words of their own description (issue 12), no more.
    assert str(signal.pk) in page and "ontvangen" in page and "Meneer zit elke dag alleen thuis, …" in page
    assert "geheime inhoud" not in page
    assert client_as("vrijwilliger").get(reverse("vinden:signal_detail", args=[signal.pk])).status_code == 403


def test_the_policy_advisor_sees_counts_only(hilversum, client_as):
    for number in range(1, 7):
        submit_signal(hilversum, channel="staff", data={"postcode": "1211BJ", "house_number": number,
                                                        "description": "x"})
    page = client_as("beleidsadviseur").get(reverse("vinden:signal_stats"))
    assert page.status_code == 200
    noordoost = next(r for r in page.context["by_wijk"] if "Noord-Oost" in str(r["label"]))
    assert noordoost["n"] >= 6
    assert client_as("beleidsadviseur").get(reverse("vinden:signal_list")).status_code == 403


def test_a_small_count_is_not_shown(hilversum, client_as):
    submit_signal(hilversum, channel="staff", data={"postcode": "1211AB", "house_number": 3, "description": "x"})
    rows = client_as("beleidsadviseur").get(reverse("vinden:signal_stats")).context["by_wijk"]
    assert all(r["n"] is None or r["n"] >= 5 for r in rows)


def test_a_small_count_cannot_be_worked_back_from_the_total(hilversum, client_as):
    for number in range(1, 7):
        submit_signal(hilversum, channel="staff", data={"postcode": "1211BJ", "house_number": number,
                                                        "description": "x"})
    submit_signal(hilversum, channel="staff", data={"postcode": "1211AB", "house_number": 3, "description": "x"})
    context = client_as("beleidsadviseur").get(reverse("vinden:signal_stats")).context
    # 6 in Noord-Oost and 1 in Centrum: the total (7) minus Noord-Oost would give Centrum's 1 back, so
    # Noord-Oost is hidden too.
    assert {str(r["label"]): r["n"] for r in context["by_wijk"]} == {"Centrum": None, "Noord-Oost (Noordoost)": None}
    assert context["total"] == 7


def test_the_public_forms_store_and_escape_and_stop_bots(hilversum):
    client = Client(REMOTE_ADDR="10.20.30.40")
    page = client.get(reverse("vinden:concern")).content.decode()
    assert "113" in page and "0800-0113" in page
    response = client.post(reverse("vinden:concern"), {"postcode": "1211BJ", "house_number": "7",
                                                      "description": "<script>alert(1)</script> Zorgen"})
    assert response.status_code == 302
    signal = Signal.objects.get(description__contains="Zorgen")
    assert signal.channel == "resident_concern" and signal.reporter is None
    bots = Signal.objects.count()
    client.post(reverse("vinden:concern"), {"postcode": "1211BJ", "description": "spam", "website": "http://x"})
    assert Signal.objects.count() == bots


def test_html_in_free_text_is_shown_as_text(hilversum, client_as):
    signal = submit_signal(hilversum, channel="staff", data={"postcode": "1211BJ", "house_number": 7,
                                                             "description": "<b>vet</b><script>x</script>"}).signal
    page = client_as("regisseur").get(reverse("vinden:signal_detail", args=[signal.pk])).content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x</script>" not in page


def test_public_forms_are_rate_limited_per_address(hilversum):
    client = Client(REMOTE_ADDR="10.9.8.7")
    for number in range(1, 6):
        assert client.post(reverse("vinden:concern"), {"postcode": "1211BJ", "house_number": str(number),
                                                       "description": "x"}).status_code == 302
    assert client.post(reverse("vinden:concern"), {"postcode": "1211BJ", "description": "x"}).status_code == 429


def test_asking_for_contact_yourself_needs_a_way_to_reach_you(hilversum):
    client = Client(REMOTE_ADDR="10.1.1.1")
    bad = client.post(reverse("vinden:self"), {"name": "Jan", "postcode": "1211BJ"})
    assert bad.status_code == 400 and "telefoonnummer of e-mailadres" in bad.content.decode()
    good = client.post(reverse("vinden:self"), {"name": "Jan", "phone": "06-12345678", "postcode": "1211BJ",
                                                "house_number": "9"})
    assert good.status_code == 302
    signal = Signal.objects.get(channel="resident_self")
    assert signal.consent == "yes" and signal.resident.name == "Jan"
    assert AccessLogEntry.objects.filter(record_id=str(signal.resident_id), action="create").exists()


def test_deadlines_count_working_days_and_holidays():
    assert calendar.add_working_days(datetime.date(2026, 11, 20), 5) == datetime.date(2026, 11, 27)
    # Christmas: 25 and 26 December 2026 are a Friday and Saturday.
    assert calendar.add_working_days(datetime.date(2026, 12, 23), 2) == datetime.date(2026, 12, 28)
    assert calendar.add_working_days(datetime.date(2026, 4, 24), 1) == datetime.date(2026, 4, 28)  # Koningsdag


def test_an_overdue_signal_is_flagged(hilversum, client_as):
    signal = submit_signal(hilversum, channel="staff", data={"postcode": "1211BJ", "house_number": 7,
                                                             "description": "x"}).signal
    Signal.objects.filter(pk=signal.pk).update(triage_deadline=timezone.localdate() - datetime.timedelta(days=1))
    rows = client_as("partner").get(reverse("vinden:signal_list")).context["rows"]
    assert next(r for r in rows if r["signal"].pk == signal.pk)["overdue"]


def test_name_matching_is_tolerant_but_address_exact():
    a = matching.Person("1211BJ", 7, "", "Mevrouw J. de Wit", 1941)
    assert matching.same_person(a, matching.Person("1211BJ", 7, "", "mevr. Johanna de Witt", 1942))
    assert not matching.same_person(a, matching.Person("1211BJ", 7, "", "K. Smit", 1941))
    assert not matching.same_person(a, matching.Person("1211BJ", 7, "", "J. de Wit", 1950))
    assert not matching.same_person(a, matching.Person("1211BJ", 8, "", "J. de Wit", 1941))


def test_the_workflow_drawing_in_the_docs_is_current():
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[4] / "docs" / "vinden.md").read_text(encoding="utf-8")
    assert workflow.mermaid() in docs, "update docs/vinden.md with samen.vinden.workflow.mermaid()"


def test_the_apikey_command(hilversum, capsys):
    from django.core.management import call_command

    call_command("apikey", "PostNL")
    key = capsys.readouterr().out.strip()
    assert apikeys.check(key).organisation.name == "PostNL"
    call_command("apikey", "--revoke", key.split(".")[0])
    assert apikeys.check(key) is None


def test_residents_from_signals_are_real_residents(hilversum):
    signal = submit_signal(hilversum, channel="staff", data={"name": "Piet", "postcode": "1211BJ", "house_number": 5,
                                                             "description": "x"}).signal
    assert Resident.objects.get(pk=signal.resident_id).buurt.wijk.code == "WK040207"


def test_the_home_page_counts_the_networks_open_signals(hilversum, client_as):
    signal = submit_signal(hilversum, channel="staff", data={"postcode": "1211BJ", "house_number": 7,
                                                             "description": "x"}).signal
    Signal.objects.filter(pk=signal.pk).update(triage_deadline=timezone.localdate() - datetime.timedelta(days=1))
    def panels(role):
        return {p["key"]: p["context"] for p in client_as(role).get(reverse("core:home")).context["panels"]}

    counts = panels("partner")["vinden.signals"]
    assert counts["new"] >= 1 and counts["overdue"] >= 1
    assert "vinden.signals" not in panels("aanbieder")


def test_the_regisseur_routes_a_signal_from_the_central_queue(hilversum, client_as):
    from samen.core.models import Wijk

    signal = submit_signal(hilversum, channel="resident_concern", data={"description": "zonder adres"}).signal
    zuid = Wijk.objects.get(code="WK040204")
    client = client_as("regisseur")
    assert client.post(reverse("vinden:signal_detail", args=[signal.pk]), {"route_to": zuid.pk}).status_code == 302
    signal.refresh_from_db()
    assert signal.wijk == zuid and signal.network.name == "Zorgnetwerk Zuid"
    assert client_as("partner").get(reverse("vinden:signal_detail", args=[signal.pk])).status_code == 404


def test_a_later_report_does_not_overwrite_a_known_name(hilversum):
    first = submit_signal(hilversum, channel="staff", data={"name": "Mevrouw E. de Jong", "postcode": "1211BJ",
                                                            "house_number": 11, "description": "x"}).signal
    submit_signal(hilversum, channel="volunteer", data={"name": "mevr. de Jong", "postcode": "1211BJ",
                                                        "house_number": 11, "description": "y"})
    first.resident.refresh_from_db()
    assert first.resident.name == "Mevrouw E. de Jong"


def test_erasing_a_resident_erases_the_free_text_of_their_signals(hilversum, client_as):
    signal = submit_signal(hilversum, channel="staff", data={"name": "Te Wissen", "postcode": "1211BJ",
                                                             "house_number": 13, "description": "Te Wissen is somber",
                                                             "observations": ["somber"]}).signal
    client_as("regisseur").post(reverse("core:resident_delete", args=[signal.resident_id]))
    signal.refresh_from_db()
    assert signal.resident_id is None and signal.description == "" and signal.observations == []
