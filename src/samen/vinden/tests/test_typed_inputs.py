"""Inputs people type (issue 14), in vinden: house numbers with an addition, Dutch phone numbers, a
contradictory home-visit report, and date fields that keep their pre-filled value."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samen.core.models import Resident
from samen.vinden.models import Signal
from samen.vinden.visits.demo import load_visits_demo
from samen.vinden.visits.models import Visit, VisitStatus


@pytest.fixture
def demo(hilversum):
    return load_visits_demo(hilversum)


@pytest.mark.parametrize(("typed", "number", "addition"), [("7a", 7, "A"), ("7-2", 7, "2"), ("7 bis", 7, "BIS")])
def test_a_resident_types_a_house_number_with_an_addition(hilversum, typed, number, addition):
    response = Client(REMOTE_ADDR="10.80.0.1").post(reverse("vinden:concern"), {
        "postcode": "1211BJ", "house_number": typed, "description": f"Toevoeging {typed}"})
    assert response.status_code == 302
    resident = Signal.objects.get(description=f"Toevoeging {typed}").resident
    assert (resident.house_number, resident.house_number_addition) == (number, addition)


def test_a_house_number_that_is_not_one_is_refused_in_dutch_and_nothing_is_stored(hilversum):
    before = Signal.objects.count()
    response = Client(REMOTE_ADDR="10.80.0.2").post(reverse("vinden:concern"), {
        "postcode": "1211BJ", "house_number": "zeven", "description": "Geen nummer"})
    assert response.status_code == 400 and "Vul een huisnummer in" in response.content.decode()
    assert Signal.objects.count() == before


def test_a_phone_number_must_be_dutch_and_nothing_is_stored(hilversum):
    before = Signal.objects.count()
    response = Client(REMOTE_ADDR="10.80.0.3").post(reverse("vinden:self"), {
        "name": "Els", "phone": "12345", "postcode": "1211BJ", "house_number": "9"})
    assert response.status_code == 400 and "Nederlands telefoonnummer" in response.content.decode()
    assert Signal.objects.count() == before


def test_the_resident_form_splits_a_house_number_with_an_addition(hilversum, client_as):
    response = client_as("regisseur").post(reverse("core:resident_create"), {
        "name": "T. Toevoeging", "postcode": "1211BJ", "house_number": "7b", "phone": "035 123 45 67"})
    assert response.status_code == 302, response.content.decode()[:2000]
    resident = Resident.objects.get(name="T. Toevoeging")
    assert (resident.house_number, resident.house_number_addition) == (7, "B")
    bad = client_as("regisseur").post(reverse("core:resident_create"), {
        "name": "T. Telefoon", "postcode": "1211BJ", "house_number": "7", "phone": "0044 1"})
    assert bad.status_code == 400 and "Nederlands telefoonnummer" in bad.content.decode()
    assert not Resident.objects.filter(name="T. Telefoon").exists()


def test_not_home_with_a_wish_for_contact_is_refused_not_dropped(demo, client_as, demo_user):
    volunteer = demo_user("vrijwilliger")
    visit = Visit.objects.filter(volunteer=volunteer, status=VisitStatus.PLANNED).first()
    response = client_as("vrijwilliger").post(reverse("visits:visit_report", args=[visit.pk]), {
        "status": "not_home", "wants_contact": "ja"})
    assert response.status_code == 400 and "kan geen contactwens" in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED and visit.signal_id is None


def test_the_new_round_form_keeps_its_pre_filled_start_date(client_as, demo):
    page = client_as("regisseur").get(reverse("visits:round_create")).content.decode()
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in page
    assert f'value="{timezone.localdate().year}-12-31"' in page
