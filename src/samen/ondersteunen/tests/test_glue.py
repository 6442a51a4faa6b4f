"""Where ondersteunen shows up on pages of its other parts and of samenwerken: the trajectory page's
sections (referrals, aftercare, case consultation), the network meeting's casusoverleg, and the council
report's section. All through registrations (record_section, meeting_section, report_section)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from samen.core import registry
from samen.ondersteunen.models import CaseDiscussion, Referral
from samen.samenwerken.models import Meeting

pytestmark = pytest.mark.django_db


def test_the_trajectory_page_shows_referrals_aftercare_and_the_casusoverleg(client_as):
    client = client_as("regisseur")
    referral = Referral.objects.filter(checkins__isnull=False).select_related("trajectory").first()
    body = client.get(reverse("ondersteunen:trajectory_detail", args=[referral.trajectory_id])).content.decode()
    assert "Verwijzingen" in body and "Nazorg" in body and referral.target_label in body
    discussed = CaseDiscussion.objects.exclude(advice="").first()
    body = client.get(reverse("ondersteunen:trajectory_detail", args=[discussed.trajectory_id])).content.decode()
    assert "Besproken in het zorgnetwerk" in body and discussed.advice in body


def test_the_network_meeting_shows_its_casusoverleg_pseudonymised_for_the_partner(client_as):
    item = CaseDiscussion.objects.filter(by_name=False, meeting_date__gt=timezone.localdate()).first()
    meeting = Meeting.objects.get(network=item.network, date=item.meeting_date)
    body = client_as("partner").get(reverse("samenwerken:sw_meeting_detail", args=[meeting.pk])).content.decode()
    assert "Casusoverleg" in body and item.question in body
    assert item.trajectory.resident.name not in body


def test_the_council_report_has_a_section_on_ondersteunen(hilversum, demo_user):
    section = registry.report_sections["ondersteunen.outcomes"]
    data = section.provide(hilversum, timezone.localdate().year, demo_user("beleidsadviseur"))
    labels = [figure["label"] for figure in data["figures"]]
    assert "Trajecten gestart" in labels
    assert all(figure["source"] and figure["date"] for figure in data["figures"])
    assert data["figures"][0]["value"] >= 1


def test_a_meeting_without_casusoverleg_shows_no_section(client_as, hilversum):
    network = CaseDiscussion.objects.first().network
    meeting = Meeting.objects.create(network=network, date=timezone.localdate() + datetime.timedelta(days=99),
                                     place="Elders")
    body = client_as("regisseur").get(reverse("samenwerken:sw_meeting_detail", args=[meeting.pk])).content.decode()
    assert "Naar de agenda van het casusoverleg" not in body


def test_the_agenda_can_follow_the_support_outcomes(hilversum, demo_user):
    source = registry.indicator_sources["ondersteunen.outcomes"]
    assert [code for code, _label in source.list_fn(hilversum)] == ["still_going", "down_3m"]
    value = source.value_fn(hilversum, "still_going", demo_user("beleidsadviseur"))
    assert value is None or 0 <= value["value"] <= 1
    assert source.value_fn(hilversum, "still_going", demo_user("vrijwilliger")) is None


def test_voorstellen_from_the_matches_opens_the_referral_form_with_why(client_as):
    import json
    import re

    from samen.ondersteunen.models import Trajectory
    from samen.ondersteunen.workflow import TrajectoryStatus

    trajectory = Trajectory.objects.filter(status=TrajectoryStatus.PLAN, worker__username="sociaalwerker",
                                           profile__isnull=False).first()
    client = client_as("sociaalwerker")
    page = client.get(reverse("matching:matches", args=[trajectory.pk])).content.decode()
    form = re.search(r'<form method="get" action="([^"]+)" class="samen-inline-form">(.*?)</form>', page, re.S)
    assert form and form.group(1) == reverse("verwijzingen:doorverwijzen", args=[trajectory.pk])
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(2)))
    import html

    fields = {k: html.unescape(v) for k, v in fields.items()}
    shown = client.get(form.group(1), fields).content.decode()
    assert "Waarom voorgesteld" in shown and f'value="{fields["activiteit"]}" selected' in shown
    created = client.post(form.group(1), {"kind": fields["soort"], "activity": fields["activiteit"],
                                          "intervention": fields.get("interventie", ""),
                                          "organisation": fields["organisatie"], "match": fields["match"]})
    assert created.status_code == 302
    referral = Referral.objects.filter(trajectory=trajectory).order_by("-pk").first()
    assert referral.match == json.loads(fields["match"])
