"""No silent deletes: deleting a target, withdrawing an activity, ending an API token and erasing a
resident first ask, naming the consequence; the question itself changes nothing; undo where it fits."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samen.core.models import Resident

pytestmark = pytest.mark.django_db


def _question(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wat er gebeurt als u doorgaat:" in html
    return html


def test_erasing_a_resident_names_what_goes_with_it(hilversum, client_as):
    from samen.vinden.visits.demo import load_visits_demo
    from samen.vinden.visits.models import Visit

    load_visits_demo(hilversum)
    visit = Visit.objects.select_related("resident").first()
    html = _question(client_as("regisseur").get(reverse("core:resident_delete", args=[visit.resident_id])))
    assert "mee verwijderd" in html and "huisbezoek" in html.lower()
    assert Resident.objects.filter(pk=visit.resident_id).exists()


def test_withdrawing_an_activity_asks_first_and_can_be_undone(hilversum, client_as):
    from samen.kwaliteit.models import Activity

    meal = Activity.objects.filter(organisation__name="Heikracht", status="published").order_by("pk").first()
    url = reverse("kwaliteit:activity_withdraw", args=[meal.pk])
    detail = client_as("aanbieder").get(reverse("kwaliteit:activity_detail", args=[meal.pk])).content.decode()
    assert f'href="{url}"' in detail  # a link to the question, not a button that withdraws
    html = _question(client_as("aanbieder").get(url))
    assert "verdwijnt van de openbare site" in html and "Weer publiceren" in html
    meal.refresh_from_db()
    assert meal.status == "published"
    assert client_as("partner").get(url).status_code == 403
    client = client_as("regisseur")
    answer = client.post(url, {"bevestigd": "ja"}, follow=True)
    assert "Weer publiceren" in answer.content.decode()
    meal.refresh_from_db()
    assert meal.status == "withdrawn"
    client.post(reverse("kwaliteit:activity_republish", args=[meal.pk]))
    meal.refresh_from_db()
    assert meal.status == "published"


def test_ending_an_api_token_asks_first(hilversum, client_as, demo_user):
    from knox.models import AuthToken

    _instance, _secret = AuthToken.objects.create(user=demo_user("partner"))
    client = client_as("partner")
    listing = client.get(reverse("core:token_list")).content.decode()
    assert f"?beeindigen={_instance.token_key}" in listing
    html = _question(client.get(reverse("core:token_list"), {"beeindigen": _instance.token_key}))
    assert "geen toegang meer" in html
    assert AuthToken.objects.filter(pk=_instance.pk).exists()
    _question(client.get(reverse("core:token_list"), {"alle": "1"}))
    client.post(reverse("core:token_list"), {"prefix": _instance.token_key, "bevestigd": "ja"})
    assert not AuthToken.objects.filter(pk=_instance.pk).exists()


def test_deleting_a_target_asks_first_and_can_be_undone(hilversum, client_as):
    from samen.weten.models import Target

    target = Target.objects.filter(gemeente=hilversum).first()
    if target is None:
        target = Target.objects.create(gemeente=hilversum, indicator="lonely", baseline_year=2022,
                                       target_value="0.40", direction="down", target_year=2030)
    client = client_as("beleidsadviseur")
    url = reverse("weten:targets")
    assert f"?verwijderen={target.pk}" in client.get(url).content.decode()
    html = _question(client.get(url, {"verwijderen": target.pk}))
    assert "verdwijnt uit de monitor" in html
    assert Target.objects.filter(pk=target.pk).exists()
    values = (target.indicator, target.wijk_id, target.source, target.target_year)
    client.post(url, {"delete": target.pk, "bevestigd": "ja"})
    assert not Target.objects.filter(pk=target.pk).exists()
    page = client.get(url).content.decode()
    assert "Verwijderen ongedaan maken" in page
    client.post(url, {"undo": "1"})
    assert Target.objects.filter(gemeente=hilversum, indicator=values[0], wijk_id=values[1], source=values[2],
                                 target_year=values[3]).exists()
    assert "Verwijderen ongedaan maken" not in client.get(url).content.decode()
