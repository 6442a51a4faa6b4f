"""Inzage and erasure: everything on one resident as JSON and a readable PDF for the regisseur, logged with
purpose inzageverzoek; erasure after a confirmation; another municipality's resident refused in Dutch."""

from __future__ import annotations

import datetime
import json
import re
import subprocess

import pytest
from django.urls import reverse

from samen.core.models import AccessLogEntry, Gemeente, Resident
from samen.ondersteunen.models import Trajectory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(hilversum):
    """A demo resident with a trajectory (profile, measurements, referrals) and the signal it came from."""
    from samen.vinden.models import Signal
    from samen.vinden.services.signals import submit_signal

    trajectory = (Trajectory.objects.filter(gemeente=hilversum, resident__isnull=False, profile__isnull=False,
                                            referrals__isnull=False).order_by("pk").first())
    signal = submit_signal(hilversum, channel="staff", data={
        "postcode": "1211BJ", "house_number": 7, "description": "Zit elke dag alleen achter het raam"}).signal
    Signal.objects.filter(pk=signal.pk).update(resident=trajectory.resident)
    Trajectory.objects.filter(pk=trajectory.pk).update(signal=signal)
    return trajectory.resident


def test_the_regisseur_downloads_everything_as_json_and_it_is_logged(hilversum, resident, client_as):
    response = client_as("regisseur").get(reverse("ondersteunen_rapportage:resident_inzage_json",
                                                  args=[resident.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["inwoner"]["naam"] == resident.name
    assert data["signalen"] and data["trajecten"] and data["toestemmingen"]
    trajectory = data["trajecten"][0]
    assert {"geschiedenis", "notities", "metingen", "verwijzingen", "krachtenprofiel", "contactpogingen"} <= \
        set(trajectory)
    assert data["toegangslog"] is not None
    assert AccessLogEntry.objects.filter(record_type="core.resident", record_id=str(resident.pk), action="export",
                                         purpose="inzageverzoek").exists()


def test_the_pdf_is_readable_and_has_the_spider_web(hilversum, resident, client_as):
    response = client_as("regisseur").get(reverse("ondersteunen_rapportage:resident_inzage_pdf",
                                                  args=[resident.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True,
                          check=True).stdout.decode()
    assert "Uw gegevens in Samen" in text and resident.name in text
    assert "Positieve gezondheid" in text and "Wie heeft uw gegevens bekeken" in text
    # Moments as the screens write them (14-11-2026 10:00), not the JSON's ISO text.
    assert re.search(r"\b\d{2}-\d{2}-\d{4} \d{2}:\d{2}\b", text)
    assert not re.search(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?", text)


@pytest.mark.parametrize(("value", "shown"), [
    ("2026-11-14T10:05+01:00", "14-11-2026 10:05"), ("2026-03-29T03:30+02:00", "29-03-2026 03:30"),
    ("2026-11-14", "14-11-2026"), (datetime.date(2026, 1, 2), "02-01-2026"), (None, None), ("", ""),
    ("geen datum", "geen datum"), (7, 7)])
def test_a_moment_of_the_inzage_is_written_as_on_the_screens(value, shown):
    from samen.ondersteunen.templatetags.ondersteunen_reports import readable_moment

    assert readable_moment(value) == shown


def test_another_gemeentes_resident_is_refused_and_nothing_is_logged(hilversum, client_as):
    from samen.core.tests.factories import ResidentFactory

    other = Gemeente.objects.create(code="GM0000", name="Elders", province="Utrecht")
    stranger = ResidentFactory(gemeente=other, buurt=None)
    before = AccessLogEntry.objects.count()
    for name in ("resident_inzage_json", "resident_inzage_pdf", "resident_erase"):
        response = client_as("regisseur").get(reverse(f"ondersteunen_rapportage:{name}", args=[stranger.pk]))
        assert response.status_code == 400
        assert "Deze inwoner hoort bij een andere gemeente" in response.content.decode()
    assert client_as("regisseur").post(reverse("ondersteunen_rapportage:resident_erase", args=[stranger.pk]),
                                       {"bevestig": "ja"}).status_code == 400
    assert AccessLogEntry.objects.count() == before and Resident.objects.filter(pk=stranger.pk).exists()


def test_erasure_names_the_consequence_then_erases_and_keeps_the_counts(hilversum, resident, client_as):
    trajectories = list(Trajectory.objects.filter(resident=resident).values_list("pk", flat=True))
    url = reverse("ondersteunen_rapportage:resident_erase", args=[resident.pk])
    page = client_as("regisseur").get(url)
    assert page.status_code == 200 and "geanonimiseerd" in page.content.decode()
    assert client_as("regisseur").post(url, {}).status_code == 200  # not confirmed: nothing happens
    assert Resident.objects.filter(pk=resident.pk).exists()
    response = client_as("regisseur").post(url, {"bevestig": "ja"})
    assert response.status_code == 302
    assert not Resident.objects.filter(pk=resident.pk).exists()
    for trajectory in Trajectory.objects.filter(pk__in=trajectories):
        assert trajectory.anonymised_at is not None and trajectory.resident_id is None and trajectory.wijk_id
        assert not trajectory.notes.exclude(text="").exists()
    assert AccessLogEntry.objects.filter(record_type="core.resident", record_id=str(resident.pk), action="delete",
                                         purpose="inzageverzoek").exists()


def test_the_buttons_are_on_the_resident_page_for_the_regisseur_only(hilversum, resident, client_as):
    url = reverse("core:resident_detail", args=[resident.pk])
    assert "Inzage als PDF" in client_as("regisseur").get(url).content.decode()
    page = client_as("sociaalwerker").get(url)
    assert page.status_code != 200 or "Inzage als PDF" not in page.content.decode()
