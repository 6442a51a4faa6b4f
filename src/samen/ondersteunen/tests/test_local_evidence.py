"""The local evidence where it is used (the catalogue's activity, review and intervention pages) and the
outcomes in the monitor's factsheet: aggregates only, suppressed, only for ``trajectory.stats``, and put there
through registrations (kwaliteit and weten do not import ondersteunen)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samen.core.models import Resident
from samen.kwaliteit.models import Activity, Intervention
from samen.ondersteunen.services import evidence, outcomes

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[2]


def _section(html: str) -> str:
    start = html.find('aria-labelledby="lokaal-bewijs"')
    return "" if start < 0 else html[start:html.find("</section>", start)]


def test_the_regisseur_sees_the_evidence_of_a_busy_activity(hilversum, client_as):
    activity = Activity.objects.get(gemeente=hilversum, title="Warme maaltijd in Lopes Dias")
    row = outcomes.catalogue_evidence(hilversum)["rows"][("activity", activity.pk)]
    assert row["still_going"]["share"] is not None and row["still_going"]["n"] >= hilversum.min_cell_size
    html = client_as("regisseur").get(reverse("kwaliteit:activity_detail", args=[activity.pk])).content.decode()
    section = _section(html)
    assert "Lokaal bewijs" in section
    assert (f"{row['still_going']['count']} van de {row['still_going']['n']} inwoners die hierheen gingen, "
            "kwamen er na 6 weken nog") in section
    assert f"{row['referred']} inwoners zijn hierheen verwezen" in section
    assert "Voelde zich er niet thuis." in section
    for name in Resident.objects.filter(gemeente=hilversum).exclude(name="").values_list("name", flat=True):
        assert name not in section


def test_a_quiet_activity_is_suppressed(hilversum, client_as):
    activity = Activity.objects.get(gemeente=hilversum, title="Bridgen in Lopes Dias")
    row = outcomes.catalogue_evidence(hilversum)["rows"][("activity", activity.pk)]
    assert 0 < row["still_going"]["n"] < hilversum.min_cell_size and row["still_going"]["share"] is None
    section = _section(client_as("regisseur").get(
        reverse("kwaliteit:activity_detail", args=[activity.pk])).content.decode())
    assert "te weinig gegevens (minder dan 50 inwoners" in section and "kwamen er na 6 weken nog" not in section
    # An activity with fewer than 5 referrals shows no count either.
    tiny = Activity.objects.get(gemeente=hilversum, title="Gratis buurtmaaltijd in de Erfgooiersspeeltuin")
    section = _section(client_as("regisseur").get(
        reverse("kwaliteit:activity_detail", args=[tiny.pk])).content.decode())
    assert "Minder dan 5 inwoners zijn hierheen verwezen." in section


def test_the_review_of_a_version_shows_the_evidence(hilversum, client_as):
    activity = Activity.objects.get(gemeente=hilversum, title="Warme maaltijd in Lopes Dias")
    version = activity.versions.order_by("-number").first()
    html = client_as("regisseur").get(reverse("kwaliteit:version_review", args=[version.pk])).content.decode()
    assert "kwamen er na 6 weken nog" in _section(html)


def test_roles_without_the_capability_do_not_see_it(hilversum, client_as):
    """The aanbieder (policy: the figures are about other residents' trajectories) and the sociaal werker
    (no trajectory.stats) see the activity's page without the section."""
    from samen.core import policy

    own = Activity.objects.filter(gemeente=hilversum, organisation__name="Heikracht").first()
    for role, activity in (("aanbieder", own),
                           ("sociaalwerker", Activity.objects.get(gemeente=hilversum,
                                                                  title="Warme maaltijd in Lopes Dias"))):
        response = client_as(role).get(reverse("kwaliteit:activity_detail", args=[activity.pk]))
        assert response.status_code == 200
        assert "lokaal-bewijs" not in response.content.decode()
    from samen.core.models import User

    assert not policy.can(User.objects.get(username="aanbieder"), "trajectory.stats")


def test_the_intervention_page_aggregates_its_activities(hilversum, client_as):
    activity = Activity.objects.get(gemeente=hilversum, title="Warme maaltijd in Lopes Dias")
    intervention = Intervention.objects.filter(gemeente=hilversum).order_by("pk").first()
    activity.interventions.add(intervention)
    rows = outcomes.catalogue_evidence(hilversum)["rows"]
    own, combined = rows[("activity", activity.pk)], rows[("intervention", intervention.pk)]
    assert combined["referred"] >= own["referred"] and combined["activities"] == 1
    html = client_as("regisseur").get(reverse("kwaliteit:intervention_edit", args=[intervention.pk])).content.decode()
    assert "de activiteiten die haar toepassen" in _section(html)
    assert f"{combined['referred']} inwoners zijn hierheen verwezen" in _section(html)


def test_no_query_explosion(hilversum, client_as):
    """The section costs a fixed number of queries, however many referrals and activities there are."""
    activity = Activity.objects.get(gemeente=hilversum, title="Warme maaltijd in Lopes Dias")
    client = client_as("regisseur")
    url = reverse("kwaliteit:activity_detail", args=[activity.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    quiet = Activity.objects.get(gemeente=hilversum, title="Bridgen in Lopes Dias")
    with CaptureQueriesContext(connection) as second:
        client.get(reverse("kwaliteit:activity_detail", args=[quiet.pk]))
    evidence_queries = [q for q in first.captured_queries if "ondersteunen_referral" in q["sql"]]
    assert len(evidence_queries) <= 2
    assert abs(len(first.captured_queries) - len(second.captured_queries)) <= 2


def test_complementary_suppression_in_the_evidence():
    """Two activities of one intervention: one small (hidden), so the other is hidden too, else the
    intervention's figure minus the big one gives the small one back."""
    def referral(pk, activity):
        return {"pk": pk, "trajectory_id": pk, "status": "blijft_komen", "activity_id": activity,
                "activity__title": f"a{activity}", "intervention_id": None, "first_visit_on": None,
                "still_going_6w": True, "end_reason": ""}

    referrals = [referral(i, 1) for i in range(3)] + [referral(10 + i, 2) for i in range(20)]
    rows = evidence.protect(referrals, {}, minimum=10, applies={1: [7], 2: [7]}, names={7: "I"},
                            totals={"referred": 1000, "stopped": 0, "still_going": (900, 1000)})
    small, big, whole = rows[("activity", 1)], rows[("activity", 2)], rows[("intervention", 7)]
    assert small["referred"] is None and whole["referred"] == 23
    assert big["referred"] is None  # else 23 - 20 = 3
    assert small["still_going"]["share"] is None and big["still_going"]["share"] is None
    assert whole["still_going"]["share"] == 1.0


def test_the_factsheet_has_the_outcomes_section(monitor_data, client_as, hilversum):
    client = client_as("beleidsadviseur")
    text = _pdf_text(client.get(reverse("weten:factsheet")).content)
    assert "Ondersteunen: van signaal naar verbinding" in text
    data = outcomes.factsheet(hilversum)
    assert data["trajectories"] and f"{data['trajectories']}" in text
    assert "Tijd tot eerste contact" in text and "Verwijzingen: blijft komen" in text
    assert "62,0%" in text or outcomes.percent(data["shares"][0]["share"]) in text


def test_the_factsheet_per_wijk_uses_the_wijks_figures(monitor_data, client_as, hilversum):
    wijk = hilversum.wijken.get(code="WK040207")
    whole, own = outcomes.factsheet(hilversum), outcomes.factsheet(hilversum, wijk.code)
    assert own["area_name"] == wijk.display_name and own["trajectories"] < whole["trajectories"]
    # A small wijk: its shares are suppressed (fewer than the minimum), counts of 1-4 hidden.
    assert all(row["share"] is None for row in own["shares"])
    assert any(row["value"] is None for row in own["referrals"])
    text = _pdf_text(client_as("beleidsadviseur").get(reverse("weten:factsheet"), {"wijk": wijk.code}).content)
    section = text.split("Ondersteunen: van signaal naar verbinding", 1)[1]
    assert f"inwoners in {wijk.display_name}" in " ".join(section.split())
    assert "n<50" in section and "<5" in section


def test_kwaliteit_and_weten_do_not_import_ondersteunen():
    offenders = [str(p) for app in ("kwaliteit", "weten") for p in (SRC / app).rglob("*.py")
                 if "tests" not in p.parts and "samen.ondersteunen" in p.read_text(encoding="utf-8")]
    assert offenders == []


def _pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True,
                          check=False).stdout.decode("utf-8", errors="replace")
