"""Public and staff intake forms submit once: post/redirect/get with a one-time token (issue 14)."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from samen.core import formtoken
from samen.vinden.models import Signal

CONCERN = {"postcode": "1211BJ", "house_number": "7", "description": "Buurman komt niet meer buiten."}


def token_of(page) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)


def test_a_resident_who_refreshes_the_thank_you_page_sends_one_signal(hilversum):
    resident = Client(REMOTE_ADDR="10.60.0.1")
    data = {**CONCERN, "form_token": token_of(resident.get(reverse("vinden:concern")))}
    first = resident.post(reverse("vinden:concern"), data)
    assert first.status_code == 302 and "ontvangen=" in first["Location"]
    again = resident.post(reverse("vinden:concern"), data)  # the browser's "send again" on refresh
    changed = resident.post(reverse("vinden:concern"), {**data, "description": "Toch iets anders."})  # back, edit
    assert again["Location"] == first["Location"] == changed["Location"]
    assert Signal.objects.filter(description__startswith="Buurman komt niet").count() == 1
    assert not Signal.objects.filter(description="Toch iets anders.").exists()
    thanks = resident.get(first["Location"])
    text = thanks.content.decode()
    reference = Signal.objects.get(description__startswith="Buurman komt niet").reference
    assert thanks.status_code == 200 and reference in text and "no-store" in thanks["Cache-Control"]
    assert "binnen 5 werkdagen" in text and "Wat gebeurt er nu?" in text


def test_the_reference_says_nothing_about_how_many_signals_there_are(hilversum):
    resident = Client(REMOTE_ADDR="10.60.0.2")
    references = []
    for number in (1, 3):
        token = token_of(resident.get(reverse("vinden:concern")))
        resident.post(reverse("vinden:concern"), {**CONCERN, "house_number": str(number), "form_token": token})
        references.append(Signal.objects.latest("created_at").reference)
    assert all(re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", ref) for ref in references)
    assert references[0] != references[1]
    pk = Signal.objects.latest("created_at").pk  # random, not a count: never the number itself
    assert references[1].replace("-", "") not in {str(pk), f"{pk:08d}"}


def test_a_made_up_thank_you_link_shows_no_reference(hilversum):
    page = Client().get(reverse("vinden:concern") + "?ontvangen=ABCD-EFGH").content.decode()
    assert "Dank u wel" in page and "samen-reference" not in page and "kenmerk is" not in page


def test_a_tampered_token_is_refused_and_keeps_what_was_typed(hilversum):
    before = Signal.objects.count()
    page = Client(REMOTE_ADDR="10.60.0.3").post(reverse("vinden:concern"), {**CONCERN, "form_token": "x:y:z"})
    assert page.status_code == 400 and "Dit formulier was verlopen" in page.content.decode()
    assert "Buurman komt niet meer buiten." in page.content.decode() and Signal.objects.count() == before


def test_a_refresh_does_not_count_against_the_limit(hilversum):
    resident = Client(REMOTE_ADDR="10.60.0.4")
    data = {**CONCERN, "form_token": token_of(resident.get(reverse("vinden:concern")))}
    statuses = [resident.post(reverse("vinden:concern"), data).status_code for _ in range(8)]
    assert statuses == [302] * 8


def test_the_rate_limit_page_keeps_what_was_typed_and_gives_the_phone_number(hilversum):
    resident = Client(REMOTE_ADDR="10.60.0.5")
    for number in range(1, 6):
        resident.post(reverse("vinden:concern"), {**CONCERN, "house_number": str(number),
                                                  "form_token": formtoken.issue()})
    page = resident.post(reverse("vinden:concern"), {**CONCERN, "description": "Nog een zorg.",
                                                     "form_token": formtoken.issue()})
    text = page.content.decode()
    assert page.status_code == 429 and "Nog een zorg." in text and "14 035" in text
    assert not Signal.objects.filter(description="Nog een zorg.").exists()


def test_a_volunteer_who_sends_twice_passes_on_one_signal(hilversum, client_as):
    volunteer = client_as("vrijwilliger")
    data = {"postcode": "1211BJ", "house_number": "9", "description": "Twee keer verstuurd.", "consent": "unknown",
            "form_token": token_of(volunteer.get(reverse("vinden:volunteer_intake")))}
    first = volunteer.post(reverse("vinden:volunteer_intake"), data)
    volunteer.post(reverse("vinden:volunteer_intake"), data)
    assert first.status_code == 302 and Signal.objects.filter(description="Twee keer verstuurd.").count() == 1
    assert "Dank u wel" in volunteer.get(first["Location"]).content.decode()
