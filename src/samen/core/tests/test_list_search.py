"""Lists that grow have search, filters and sorting (GET parameters, paginated): residents, signals,
the visits of a round (the access log's filters are in test_access_log)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from samen.core.models import Resident

pytestmark = pytest.mark.django_db


def test_residents_are_searched_by_every_word_filtered_by_wijk_and_sorted(hilversum, client_as):
    client = client_as("regisseur")
    pronk = Resident.objects.get(name="Mevrouw J. Pronk")
    found = client.get(reverse("core:resident_list"), {"q": f"pronk {pronk.postcode[:4]}"}).context["page"]
    assert [r.pk for r in found] == [pronk.pk]
    assert list(client.get(reverse("core:resident_list"), {"q": "pronk 9999"}).context["page"]) == []
    nothing = client.get(reverse("core:resident_list"), {"q": "kofie"})
    assert "Niets gevonden voor 'kofie'" in nothing.content.decode()
    if pronk.wijk is not None:
        in_wijk = client.get(reverse("core:resident_list"), {"wijk": pronk.wijk.code}).context["page"]
        assert all(r.wijk == pronk.wijk for r in in_wijk)
    by_postcode = list(client.get(reverse("core:resident_list"), {"sort": "postcode"}).context["page"])
    assert [r.postcode for r in by_postcode] == sorted(r.postcode for r in by_postcode)


def test_signals_are_filtered_by_wijk_status_channel_and_date(hilversum, client_as):
    from samen.vinden.models import Signal
    from samen.vinden.services.signals import submit_signal

    staff = submit_signal(hilversum, channel="staff", data={"postcode": "1211BJ", "house_number": 7,
                                                            "observations": ["weinig_bezoek"]}).signal
    public = submit_signal(hilversum, channel="resident_concern", data={"postcode": "1211BJ", "house_number": 9,
                                                                        "description": "buurman"}).signal
    Signal.objects.filter(pk=public.pk).update(created_at=timezone.now() - dt.timedelta(days=10))
    client = client_as("regisseur")

    def shown(**params):
        return [row["signal"].pk for row in client.get(reverse("vinden:signal_list"), params).context["rows"]]

    assert staff.pk in shown(channel="staff") and public.pk not in shown(channel="staff")
    assert staff.pk in shown(wijk=staff.wijk.code) and staff.pk not in shown(wijk="WK040201")
    recent = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    assert staff.pk in shown(date_from=recent) and public.pk not in shown(date_from=recent)
    assert shown(q=f"#{staff.pk}") == [staff.pk]
    assert staff.pk in shown(stand="new") and staff.pk not in shown(stand="closed")
    newest = shown(sort="nieuwste")
    assert newest.index(staff.pk) < newest.index(public.pk)
    assert client.get(reverse("vinden:signal_list"), {"date_from": "gisteren"}).status_code == 200


def test_the_visits_of_a_round_are_searched_filtered_and_logged(hilversum, client_as):
    from samen.core.models import AccessLogEntry
    from samen.vinden.visits.demo import load_visits_demo
    from samen.vinden.visits.models import VisitRound

    load_visits_demo(hilversum)
    round_ = VisitRound.objects.get(gemeente=hilversum, wijk__code="WK040207", year=2026)
    client = client_as("regisseur")
    url = reverse("visits:round_detail", args=[round_.pk])
    page = client.get(url).context["page"]
    assert page.paginator.count == round_.visits.count()
    first = page.object_list[0]
    before = AccessLogEntry.objects.count()
    found = client.get(url, {"q": first.resident.name}).context["page"]
    assert first.pk in [v.pk for v in found]
    assert AccessLogEntry.objects.count() > before
    unassigned = client.get(url, {"volunteer": "geen"}).context["page"]
    assert all(v.volunteer_id is None for v in unassigned)
    planned = client.get(url, {"status": "planned", "sort": "naam"}).context["page"]
    assert all(v.status == "planned" for v in planned)
