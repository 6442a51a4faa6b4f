"""Each role's home page shows its work: the panels of the building blocks and what is due today."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from samen.core import registry
from samen.core.models import AccessLogEntry

pytestmark = pytest.mark.django_db


def _home(client_as, role):
    response = client_as(role).get(reverse("core:home"))
    assert response.status_code == 200
    return response, {p["key"]: p["context"] for p in response.context["panels"]}


def test_the_regisseur_sees_the_review_queue_the_central_queue_and_overdue_triage(hilversum, client_as):
    from samen.vinden.models import Signal
    from samen.vinden.services.signals import submit_signal

    signal = submit_signal(hilversum, channel="resident_concern", data={"description": "zonder adres"}).signal
    Signal.objects.filter(pk=signal.pk).update(triage_deadline=timezone.localdate() - dt.timedelta(days=2))
    response, panels = _home(client_as, "regisseur")
    assert {"kwaliteit.review", "vinden.central_queue", "vinden.signals"} <= set(panels)
    assert panels["vinden.central_queue"]["count"] >= 1 and panels["vinden.central_queue"]["overdue"] >= 1
    assert panels["kwaliteit.review"]["count"] >= 1  # the demo has a change by Heikracht waiting
    html = response.content.decode()
    assert "Te beoordelen" in html and "Centrale wachtrij" in html
    today = [item["text"] for item in response.context["today"]]
    assert any("te laat voor triage" in text for text in today)
    assert any("wacht op uw beoordeling" in text or "wachten op uw beoordeling" in text for text in today)


def test_the_volunteer_sees_the_open_visits_and_the_reads_are_logged(hilversum, client_as):
    from samen.vinden.visits.demo import load_visits_demo

    load_visits_demo(hilversum)
    before = AccessLogEntry.objects.count()
    response, panels = _home(client_as, "vrijwilliger")
    visits = panels["vinden.visits"]
    assert visits["count"] >= 1 and visits["rows"]
    assert visits["rows"][0].resident.name in response.content.decode()
    assert AccessLogEntry.objects.count() > before  # names on the home page are reads of personal data
    assert "vinden.signals" not in panels and "kwaliteit.review" not in panels


def test_the_provider_sees_its_own_activities_and_those_going_stale(hilversum, client_as):
    from samen.kwaliteit.models import Activity

    response, panels = _home(client_as, "aanbieder")
    provider = panels["kwaliteit.provider"]
    assert provider["published"] == Activity.objects.filter(organisation__name="Heikracht",
                                                            status="published").count()
    assert provider["pending"] >= 1
    assert all(a.organisation.name == "Heikracht" for a in provider["recent"] + provider["stale"])
    assert "kwaliteit.review" not in panels and "vinden.signals" not in panels
    Activity.objects.filter(organisation__name="Heikracht", status="published").update(
        confirmed_at=timezone.now() - dt.timedelta(days=800))
    response, panels = _home(client_as, "aanbieder")
    assert panels["kwaliteit.provider"]["stale_count"] >= 1
    assert any("verouderd" in item["text"] for item in response.context["today"])


def test_the_partner_sees_the_open_signals_of_the_network(hilversum, client_as):
    from samen.vinden.services.signals import submit_signal

    signal = submit_signal(hilversum, channel="staff", data={"postcode": "1211BJ", "house_number": 7,
                                                             "observations": ["weinig_bezoek"]}).signal
    response, panels = _home(client_as, "partner")
    assert signal.pk in [row["signal"].pk for row in panels["vinden.signals"]["rows"]]
    assert "Open signalen in uw netwerk" in response.content.decode()


@pytest.mark.parametrize("role", ["beleidsadviseur", "regisseur", "sociaalwerker", "partner", "vrijwilliger",
                                  "aanbieder", "beheerder"])
def test_everyone_sees_what_is_due_today(hilversum, client_as, role):
    response, _panels = _home(client_as, role)
    html = response.content.decode()
    assert 'id="vandaag"' in html
    assert response.context["today"] or "Er staat vandaag niets voor u klaar." in html


def test_a_block_adds_its_lines_to_today(hilversum, client_as):
    registry.today_items("test.today", lambda user: [{"text": "Iets voor vandaag", "url": "/x/"}])
    try:
        response, _panels = _home(client_as, "beheerder")
        assert "Iets voor vandaag" in response.content.decode()
    finally:
        registry.today.unregister("test.today")
