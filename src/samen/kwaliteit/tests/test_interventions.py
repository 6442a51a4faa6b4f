"""Interventions: the write path (who may, unique names) and the screens with recognition and activities."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samen.core.models import User
from samen.kwaliteit.models import Activity, Intervention
from samen.kwaliteit.services import interventions


def data(**overrides):
    return {"name": "Vriendschapscursus", "description": "Tien bijeenkomsten over vriendschap.",
            "recognition": "first", "target_groups": ["65plus"], "target_group_text": "ouderen",
            "databank_url": "https://www.movisie.nl/interventie/test", **overrides}


@pytest.mark.parametrize("role", ["regisseur", "beleidsadviseur"])
def test_the_regisseur_and_policy_advisor_keep_interventions(hilversum, role):
    user = User.objects.get(username=role)
    created = interventions.save(user, data())
    assert created.gemeente == hilversum and created.get_recognition_display() == (
        "effectief volgens eerste aanwijzingen")
    changed = interventions.save(user, data(recognition="good"), created)
    assert changed.pk == created.pk and Intervention.objects.get(pk=created.pk).recognition == "good"


@pytest.mark.parametrize("role", ["aanbieder", "sociaalwerker", "beheerder"])
def test_others_may_not(hilversum, role):
    with pytest.raises(PermissionDenied):
        interventions.save(User.objects.get(username=role), data())
    assert not Intervention.objects.filter(name="Vriendschapscursus").exists()


def test_a_name_is_used_once_per_gemeente(hilversum):
    user = User.objects.get(username="regisseur")
    existing = Intervention.objects.filter(gemeente=hilversum).first()
    count = Intervention.objects.count()
    with pytest.raises(ValidationError) as caught:
        interventions.save(user, data(name=existing.name.upper()))
    assert "name" in caught.value.message_dict and existing.name.upper() in caught.value.message_dict["name"][0]
    assert Intervention.objects.count() == count
    assert interventions.save(user, data(name=existing.name, recognition="strong"), existing).pk == existing.pk


def test_the_list_shows_recognition_and_the_activities_that_apply_it(client_as, hilversum):
    applied = Intervention.objects.filter(gemeente=hilversum, activities__isnull=False).distinct().first()
    assert applied is not None, "the demo applies at least one intervention"
    response = client_as("sociaalwerker").get(reverse("kwaliteit:intervention_list"))
    html = response.content.decode()
    assert response.status_code == 200 and not response.context["can_change"]
    assert applied.name in html and applied.get_recognition_display() in html
    activity = applied.activities.exclude(status=Activity.Status.WITHDRAWN).first()
    assert reverse("kwaliteit:activity_detail", args=[activity.pk]) in html
    assert reverse("kwaliteit:intervention_create") not in html


def test_a_provider_sees_only_its_own_activities_under_an_intervention(client_as, hilversum):
    applied = Intervention.objects.filter(gemeente=hilversum, activities__isnull=False).exclude(
        activities__organisation__name="Heikracht").distinct().first()
    response = client_as("aanbieder").get(reverse("kwaliteit:intervention_list"))
    shown = next(i for i in response.context["interventions"] if i.pk == applied.pk)
    assert shown.applied_in == []


def test_creating_and_editing_through_the_screens(client_as, hilversum):
    client = client_as("beleidsadviseur")
    response = client.post(reverse("kwaliteit:intervention_create"), data())
    assert response.status_code == 302
    created = Intervention.objects.get(gemeente=hilversum, name="Vriendschapscursus")
    page = client.get(reverse("kwaliteit:intervention_edit", args=[created.pk]))
    assert page.status_code == 200 and page.context["form"].initial["recognition"] == "first"
    response = client.post(reverse("kwaliteit:intervention_edit", args=[created.pk]),
                           data(name="Vriendschapscursus 2.0"))
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.name == "Vriendschapscursus 2.0"


def test_bad_input_is_shown_and_nothing_stored(client_as, hilversum):
    existing = Intervention.objects.filter(gemeente=hilversum).first()
    count = Intervention.objects.count()
    client = client_as("regisseur")
    response = client.post(reverse("kwaliteit:intervention_create"), data(name=existing.name))
    assert response.status_code == 400 and "Er is al een interventie" in response.content.decode()
    response = client.post(reverse("kwaliteit:intervention_create"), data(recognition="famous", databank_url="x y"))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"recognition", "databank_url"}
    assert Intervention.objects.count() == count


def test_a_provider_cannot_open_the_intervention_forms(client_as, hilversum):
    existing = Intervention.objects.filter(gemeente=hilversum).first()
    client = client_as("aanbieder")
    assert client.get(reverse("kwaliteit:intervention_create")).status_code == 403
    assert client.post(reverse("kwaliteit:intervention_edit", args=[existing.pk]), data()).status_code == 403
