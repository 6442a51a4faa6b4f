"""Campaign moments: added by the beleidsadviseur or regisseur through the one write path, with the
Week tegen Eenzaamheid recognised from the catalogue's theme week; bad input refused in Dutch."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from samen.core.models import Wijk
from samen.samenwerken.models import Action, CampaignMoment, ChangeRecord

pytestmark = pytest.mark.django_db


def test_the_advisor_adds_a_moment_and_sees_it_with_its_reach(client_as, hilversum):
    client = client_as("beleidsadviseur")
    action = Action.objects.filter(agenda__gemeente=hilversum, title__startswith="Publiekscampagne").first()
    wijk = Wijk.objects.get(code="WK040207")
    before = CampaignMoment.objects.count()
    response = client.post(reverse("samenwerken:campaign"), {
        "date": "2026-03-14", "kind": "stoepteksten", "title": "Stoepteksten bij de winkels", "wijk": wijk.pk,
        "materials": "40 stoepteksten", "reach": "900", "action": action.pk})
    assert response.status_code == 302
    moment = CampaignMoment.objects.get(title="Stoepteksten bij de winkels")
    assert (moment.gemeente, moment.wijk, moment.reach, moment.action) == (hilversum, wijk, 900, action)
    assert CampaignMoment.objects.count() == before + 1
    assert ChangeRecord.objects.filter(subject="samenwerken.campaignmoment", object_id=moment.pk).exists()
    page = client.get(reverse("samenwerken:campaign")).content.decode()
    assert "Stoepteksten bij de winkels" in page and "40 stoepteksten" in page
    detail = client.get(reverse("samenwerken:sw_action_detail", args=[action.pk])).content.decode()
    assert "Stoepteksten bij de winkels" in detail


def test_a_moment_in_the_theme_week_is_marked_as_part_of_it(client_as, hilversum):
    from samen.kwaliteit.models import ThemeWeek

    week = ThemeWeek.objects.filter(gemeente=hilversum).first()
    assert week is not None
    day = week.starts_on + datetime.timedelta(days=1)
    client_as("regisseur").post(reverse("samenwerken:campaign"), {
        "date": day.isoformat(), "kind": "bijeenkomst", "title": "Koffie op het plein"})
    assert CampaignMoment.objects.get(title="Koffie op het plein").theme_week


@pytest.mark.parametrize(("data", "message"), [
    ({"kind": "posters", "title": ""}, "Dit veld is vereist."),
    ({"kind": "flyers", "title": "x"}, "Selecteer een geldige keuze."),
    ({"kind": "posters", "title": "x", "reach": "-5"}, "minstens 0"),
    ({"kind": "posters", "title": "x", "date": "gisteren"}, "Voer een geldige datum in."),
])
def test_bad_input_is_refused_and_nothing_stored(client_as, data, message):
    before = CampaignMoment.objects.count()
    response = client_as("beleidsadviseur").post(reverse("samenwerken:campaign"), {"date": "2026-03-01", **data})
    assert response.status_code == 400 and message in response.content.decode()
    assert CampaignMoment.objects.count() == before


def test_a_partner_may_not_see_or_add_campaign_moments(client_as):
    client = client_as("partner")
    assert client.get(reverse("samenwerken:campaign")).status_code == 403
    assert client.post(reverse("samenwerken:campaign"), {"date": "2026-03-01", "kind": "posters",
                                                          "title": "x"}).status_code == 403
