"""The strengths profile (with its spider web and table), the measurements (DJG-6, DJG-11, UCLA-3) with their
chart, and the regisseur's settings: good input stored, bad input refused in Dutch with nothing stored."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from samen.core.roles import Role
from samen.core.tests.clients import verified_client
from samen.core.tests.factories import ResidentFactory, UserFactory
from samen.ondersteunen.matching_weights import DEFAULT_WEIGHTS, FACTORS
from samen.ondersteunen.models import HealthDimension, Measurement, Profile, SupportSettings
from samen.ondersteunen.services import charts, profiles, trajectories

pytestmark = pytest.mark.django_db

DJG6_ITEMS = (3, 4, 7, 8, 9, 10)


@pytest.fixture
def trajectory():
    from samen.ondersteunen.tests.factories import worker_in

    resident = ResidentFactory()
    worker = worker_in(resident.wijk, totp=True)
    return trajectories.start(gemeente_id=resident.gemeente_id, resident=resident, worker=worker, by=worker)


@pytest.fixture
def client(trajectory):
    return verified_client(trajectory.worker)


def _profile_post(**extra):
    data = {"good_at": "Koken voor anderen", "enjoys": "Zingen", "would_like_to_give": "Kookles",
            "wants_to_volunteer": "on", "interests": ["eating", "music"], "barriers": ["money", "mobility"],
            "languages": ["nl", "tr"], "availability": ["1:morning", "3:afternoon"], "loneliness_kinds": ["social"],
            "online_ok": "on", "health_lichaamsfuncties": "6", "health_mentaal_welbevinden": "4",
            "health_zingeving": "7", "health_kwaliteit_van_leven": "5", "health_meedoen": "3",
            "health_dagelijks_functioneren": "8"}
    data.update(extra)
    return data


def test_profile_form_stores_the_profile_and_the_page_shows_the_spider_web(client, trajectory):
    url = reverse("ondersteunen:trajectory_profile", kwargs={"pk": trajectory.pk})
    page = client.get(url)
    assert page.status_code == 200 and "dinsdag" in page.content.decode()
    assert client.post(url, _profile_post()).status_code == 302
    profile = Profile.objects.get(trajectory=trajectory)
    assert profile.interests == ["eating", "music"] and profile.availability == ["1:morning", "3:afternoon"]
    assert profile.health["meedoen"] == 3 and profile.wants_to_volunteer and profile.online_ok
    assert profile.updated_by == trajectory.worker
    body = client.get(reverse("ondersteunen:trajectory_detail", kwargs={"pk": trajectory.pk})).content.decode()
    assert '<svg role="img" aria-label="Positieve gezondheid (0-10)"' in body
    assert 'id="tabel-gezondheid"' in body and "Koken voor anderen" in body
    # Editing again shows what was stored.
    import re

    assert re.search(r'value="1:morning"[^>]*checked', client.get(url).content.decode())


@pytest.mark.parametrize("extra, message", [
    ({"health_meedoen": "11"}, "Geef een score van 0 tot en met 10."),
    ({"health_zingeving": "-1"}, "Geef een score van 0 tot en met 10."),
    ({"health_zingeving": "veel"}, "Geef een heel getal van 0 tot en met 10."),
    ({"interests": ["paragliding"]}, "paragliding"),
    ({"availability": ["8:morning"]}, "8:morning"),
    ({"good_at": "x" * 2001}, "2000"),
])
def test_bad_profile_input_is_refused_and_nothing_stored(client, trajectory, extra, message):
    url = reverse("ondersteunen:trajectory_profile", kwargs={"pk": trajectory.pk})
    response = client.post(url, _profile_post(**extra))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Profile.objects.filter(trajectory=trajectory).exists()


def test_the_service_refuses_what_a_form_could_not_send(trajectory):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        profiles.save(trajectory.worker, trajectory.pk, {"health": {"meedoen": 12, "geluk": 3}})
    assert "Geef een score van 0 tot en met 10." in str(refused.value)
    assert not Profile.objects.filter(trajectory=trajectory).exists()


@settings(max_examples=25, deadline=None)
@given(scores=st.dictionaries(st.sampled_from(["lichaamsfuncties", "mentaal_welbevinden", "zingeving",
                                                "kwaliteit_van_leven", "meedoen", "dagelijks_functioneren"]),
                              st.integers(min_value=-5, max_value=15)))
def test_spider_points_stay_inside_the_web(scores):
    points = charts.spider_points(scores, radius=120)
    assert len(points) == 6
    assert all((x ** 2 + y ** 2) ** 0.5 <= 120 + 1e-9 for x, y in points)
    # Each point lies on its own spoke at the (clamped) score's distance from the centre.
    for (x, y), dimension in zip(points, HealthDimension, strict=True):
        score = max(0, min(10, scores.get(dimension.value, 0)))
        assert abs((x ** 2 + y ** 2) ** 0.5 - 12 * score) < 1e-9
    svg = charts.spider_svg(scores)
    assert svg.startswith('<svg role="img" aria-label="Positieve gezondheid (0-10)"') and svg.count("<polygon") == 6


def test_spider_web_labels_each_dimension_with_its_score_or_a_dash():
    svg = charts.spider_svg({"meedoen": 3})
    assert "meedoen (3)" in svg and "zingeving (—)" in svg
    assert ">dagelijks<" in svg and ">functioneren (—)<" in svg  # a long label on two lines


def test_measurement_chart_draws_a_line_per_scale_on_the_scale_range():
    import datetime

    rows = [Measurement(measured_on=datetime.date(2026, 1, 5), score=5, scale="djg6"),
            Measurement(measured_on=datetime.date(2026, 3, 1), score=2, scale="djg6"),
            Measurement(measured_on=datetime.date(2026, 2, 1), score=8, scale="ucla3")]
    svg = charts.measurement_svg(rows)
    assert svg.startswith('<svg role="img" aria-label="Eenzaamheidsscore per meting"')
    assert svg.count("<polyline") == 1  # DJG-6 has two points; UCLA-3 one, drawn as a point only
    assert svg.count("<circle") == 3 + 2  # the points and the legend's two swatches
    assert "05-01-2026" in svg and "01-03-2026" in svg and "UCLA, 3 vragen" in svg
    # The y-axis spans both scales' ranges (0-6 and 3-9), in steps of two.
    assert ">0</text>" in svg and ">8</text>" in svg and ">9</text>" not in svg
    only_djg6 = charts.measurement_svg(rows[:2])
    assert "De Jong Gierveld" not in only_djg6 and ">6</text>" in only_djg6  # no legend for one scale
    assert charts.measurement_svg([]) == ""


def test_djg6_measurement_from_the_form_and_the_chart(client, trajectory):
    url = reverse("ondersteunen:trajectory_measurement", kwargs={"pk": trajectory.pk})
    page = client.get(url).content.decode()
    assert "Ik ervaar een leegte om me heen." in page and 'value="start" selected' in page
    answers = {f"item_{i}": "ja" if i in (3, 9, 10) else "nee" for i in DJG6_ITEMS}  # lonely on every item
    assert client.post(url, {"moment": "start", **answers}).status_code == 302
    first = Measurement.objects.get(trajectory=trajectory)
    assert (first.scale, first.score, first.moment) == ("djg6", 6, "start")
    better = {f"item_{i}": "nee" if i in (3, 9, 10) else "ja" for i in DJG6_ITEMS}
    assert client.post(url, {"moment": "other", **better}).status_code == 302
    body = client.get(reverse("ondersteunen:trajectory_detail", kwargs={"pk": trajectory.pk})).content.decode()
    assert 'aria-label="Eenzaamheidsscore per meting"' in body and 'id="tabel-metingen"' in body


def test_djg11_and_ucla3_forms(client, trajectory):
    url = reverse("ondersteunen:trajectory_measurement", kwargs={"pk": trajectory.pk})
    assert "kring van kennissen" in client.get(url, {"schaal": "djg11"}).content.decode()
    answers = {f"item_{i}": "nee" for i in range(1, 12)}
    assert client.post(url, {"scale": "djg11", "moment": "start", **answers}).status_code == 302
    ucla = {"item_1": "vaak", "item_2": "vaak", "item_3": "soms"}
    assert client.post(url, {"scale": "ucla3", "moment": "other", **ucla}).status_code == 302
    mine = Measurement.objects.filter(trajectory=trajectory)
    assert sorted(mine.values_list("scale", flat=True)) == ["djg11", "ucla3"]
    assert Measurement.objects.get(trajectory=trajectory, scale="ucla3").score == 8


@pytest.mark.parametrize("data, message", [
    ({"moment": "start", "item_3": "ja"}, "Te veel vragen zijn niet beantwoord"),
    ({"moment": "start", "item_3": "misschien"}, "Selecteer een geldige keuze"),
    ({"item_3": "ja"}, "Kies het moment van de meting."),
    ({"moment": "start", "measured_on": "2099-01-01", **{f"item_{i}": "ja" for i in DJG6_ITEMS}},
     "Een meting ligt niet in de toekomst."),
])
def test_bad_measurements_are_refused(client, trajectory, data, message):
    url = reverse("ondersteunen:trajectory_measurement", kwargs={"pk": trajectory.pk})
    response = client.post(url, data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Measurement.objects.filter(trajectory=trajectory).exists()


# --- settings -------------------------------------------------------------------------------------------------
@pytest.fixture
def regisseur(trajectory):
    return UserFactory(gemeente=trajectory.gemeente, role=Role.REGISSEUR, totp=True)


def _settings_post(**extra):
    data = {"contact_attempts": "4", "contact_attempt_days": "2", "first_contact_working_days": "3",
            "provider_nudge_working_days": "5", "provider_return_working_days": "10", "caseload_max": "25",
            "no_contact_days": "21", "retention_months": "24", "provider_link_days": "14",
            "aftercare_days": "14, 42, 91"}
    data.update({f"weight_{factor}": str(weight).replace(".", ",") for factor, weight in DEFAULT_WEIGHTS.items()})
    data.update(extra)
    return data


def test_settings_are_stored(regisseur):
    client = verified_client(regisseur)
    url = reverse("ondersteunen:settings")
    page = client.get(url).content.decode()
    assert all(f"id_weight_{factor}" in page for factor in FACTORS)
    response = client.post(url, _settings_post(weight_interests="4,5"))
    assert response.status_code == 302
    stored = SupportSettings.for_gemeente(regisseur.gemeente_id)
    assert stored.contact_attempts == 4 and stored.aftercare_days == [14, 42, 91]
    assert stored.weights["interests"] == 4.5 and set(stored.weights) == set(FACTORS)


@pytest.mark.parametrize("extra, message", [
    ({"weight_distance": "11"}, "Een gewicht is hoogstens 10"),
    ({"weight_distance": "-1"}, "Een gewicht is 0 of meer."),
    ({"weight_distance": ""}, "Vul een gewicht in (0 zet de factor uit)."),
    ({"aftercare_days": "42, 14"}, "Geef oplopende aantallen dagen tussen 1 en 730."),
    ({"aftercare_days": "twee weken"}, "Geef hele aantallen dagen"),
    ({"provider_return_working_days": "4"}, "moet later zijn dan de herinnering aan de aanbieder"),
    ({"contact_attempts": "0"}, "Geef een getal van 1 of meer."),
    ({"retention_months": "500"}, "Geef een getal van hoogstens 120."),
    ({"contact_attempts": ""}, "Vul een aantal in."),
])
def test_bad_settings_are_refused_and_nothing_is_stored(regisseur, extra, message):
    client = verified_client(regisseur)
    before = SupportSettings.for_gemeente(regisseur.gemeente_id)
    response = client.post(reverse("ondersteunen:settings"), _settings_post(**extra))
    assert response.status_code == 400 and message in response.content.decode()
    after = SupportSettings.objects.get(pk=before.pk)
    assert (after.contact_attempts, after.aftercare_days, after.weights) == (
        before.contact_attempts, before.aftercare_days, before.weights)


def test_only_the_regisseur_changes_settings(trajectory):
    assert verified_client(trajectory.worker).post(reverse("ondersteunen:settings"), _settings_post()).status_code \
        == 403
