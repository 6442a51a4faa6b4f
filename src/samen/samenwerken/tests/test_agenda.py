"""The agenda, budget, meetings, self-assessment and report services: rules, Dutch messages for bad input
(nothing stored), versioning, scoping of meetings to a network's members, and the Excel export."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from samen.core.models import Organisation
from samen.samenwerken.models import (
    Action,
    Agenda,
    BudgetEntry,
    BudgetLine,
    ChangeRecord,
    Meeting,
    Milestone,
    ReportVersion,
    SelfAssessment,
)
from samen.samenwerken.models.agenda import AppendOnly
from samen.samenwerken.services import agenda, assessment, budget, meetings, report

pytestmark = pytest.mark.django_db


def _agenda(gemeente):
    return Agenda.objects.get(gemeente=gemeente)


def _action(gemeente, title="75+ huisbezoeken"):
    return Action.objects.get(agenda__gemeente=gemeente, title=title)


def _data(gemeente, **overrides):
    data = {"bouwsteen": "vinden", "title": "Nieuwe actie", "what": "iets doen", "goal": "iets bereiken",
            "trekker": Organisation.objects.get(gemeente=gemeente, name="Versa Welzijn"), "uitvoering": "Senver",
            "wijk": None, "starts_on": datetime.date(2025, 1, 1), "ends_on": datetime.date(2026, 12, 31)}
    return {**data, **overrides}


def test_the_demo_holds_seed_003s_actions_with_trekker_and_uitvoering_as_written(hilversum):
    visits = _action(hilversum)
    assert visits.trekker.name == "Versa Welzijn" and visits.uitvoering == "Senver"
    assert _action(hilversum, "Activiteitenlijst").trekker.name == "Gemeente Hilversum"
    assert _agenda(hilversum).start_year == 2024 and _agenda(hilversum).end_year == 2030
    assert BudgetLine.objects.filter(action__title="Netwerkgroep Samen is leuker").count() == 7
    assert BudgetLine.objects.get(action__title="Week van de eenzaamheid").initial_amount == Decimal("1800.00")


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"bouwsteen": ""}, "bouwsteen", "Kies de bouwsteen"),
    ({"trekker": None}, "trekker", "Vul de trekker in"),
    ({"ends_on": datetime.date(2031, 1, 1)}, "ends_on", "buiten de agenda"),
])
def test_an_action_without_what_it_needs_is_refused_in_dutch(hilversum, demo_user, change, field, message):
    before = Action.objects.count()
    with pytest.raises(ValidationError) as refused:
        agenda.save_action(demo_user("beleidsadviseur"), _agenda(hilversum), _data(hilversum, **change))
    assert message in " ".join(refused.value.message_dict[field])
    assert Action.objects.count() == before


def test_a_change_is_versioned_with_who_and_what(hilversum, demo_user):
    user = demo_user("beleidsadviseur")
    action = agenda.save_action(user, _agenda(hilversum), _data(hilversum))
    agenda.save_action(user, _agenda(hilversum), _data(hilversum, uitvoering="Sociaal werk"), action=action)
    change = ChangeRecord.objects.filter(action=action).first()
    assert change.changed_by == user and change.diff == {"uitvoering": ["Senver", "Sociaal werk"]}
    with pytest.raises(AppendOnly):
        change.save()


def test_a_milestone_outside_the_period_is_refused_and_progress_is_computed(hilversum, demo_user):
    user = demo_user("beleidsadviseur")
    action = _action(hilversum)
    before = Milestone.objects.count()
    with pytest.raises(ValidationError) as refused:
        agenda.save_milestone(user, action, due_on=datetime.date(2031, 5, 1), title="Te laat")
    assert "buiten de periode" in refused.value.message_dict["due_on"][0]
    assert Milestone.objects.count() == before
    assert agenda.progress_of(action, user).share == 0.5  # one of two reached
    open_one = action.milestones.get(reached_on__isnull=True)
    agenda.save_milestone(user, action, milestone=open_one, due_on=open_one.due_on, title=open_one.title,
                          reached_on=timezone.localdate())
    assert agenda.progress_of(action, user).share == 1.0


def test_stopping_an_action_needs_a_reason(hilversum, demo_user):
    action = _action(hilversum, "Evaluatie")
    with pytest.raises(ValidationError):
        agenda.step(demo_user("beleidsadviseur"), action, "stop")
    assert agenda.step(demo_user("beleidsadviseur"), action, "stop", "geen budget").status == "gestopt"


@pytest.mark.parametrize(("kwargs", "field", "message"), [
    ({"initial_amount": "-5"}, "initial_amount", "negatief"),
    ({"year": 2024}, "year", "afgesloten"),
    ({"funding_source": ""}, "funding_source", "dekking"),
])
def test_a_bad_budget_line_is_refused_in_dutch(hilversum, demo_user, kwargs, field, message):
    before = BudgetLine.objects.count()
    values = {"year": 2026, "funding_source": "Welzijnsbudget", "initial_amount": "100", **kwargs}
    with pytest.raises(ValidationError) as refused:
        budget.save_line(demo_user("beleidsadviseur"), _action(hilversum), **values)
    assert message in refused.value.message_dict[field][0]
    assert BudgetLine.objects.count() == before


def test_spending_above_the_budget_needs_a_confirmation(hilversum, demo_user):
    user = demo_user("beleidsadviseur")
    line = BudgetLine.objects.get(action__title="Week van de eenzaamheid")
    before = BudgetEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        budget.book(user, line, kind="uitgave", booked_on=datetime.date(2025, 10, 1), amount="1800.01",
                    note="koffiekar")
    assert "boven het budget" in refused.value.message_dict["confirm_over_budget"][0]
    assert BudgetEntry.objects.count() == before
    budget.book(user, line, kind="uitgave", booked_on=datetime.date(2025, 10, 1), amount="1800,01", note="koffiekar",
                confirm_over_budget=True)
    assert budget.booked(line, "uitgave") == Decimal("1800.01")


def test_the_excel_export_has_numbers_and_working_sums(hilversum, client_as):
    response = client_as("beleidsadviseur").get(reverse("samenwerken:budget_export") + "?jaar=2025")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    total = next(r for r in rows if r[0] == "Totaal")
    n = sum(1 for r in rows[1:] if r[0] not in ("Totaal",) and r[1])
    assert total[5] == f"=SUM(F2:F{n + 1})"
    assert sum(Decimal(str(r[5])) for r in rows[1:n + 1]) == budget.year_totals(hilversum, 2025)["total"]["budget"]


def test_a_new_meeting_in_the_past_is_refused(hilversum, demo_user):
    network = Meeting.objects.filter(network__gemeente=hilversum).first().network
    before = Meeting.objects.count()
    with pytest.raises(ValidationError) as refused:
        meetings.plan_meeting(demo_user("regisseur"), network, date=timezone.localdate() - datetime.timedelta(days=1),
                              place="Raadhuis", agenda="1. Opening")
    assert "niet in het verleden" in refused.value.message_dict["date"][0]
    assert Meeting.objects.count() == before


def test_a_network_member_sees_their_own_networks_meetings_only(hilversum, client_as, demo_user):
    partner = client_as("partner")  # a member of Zorgnetwerk Noord-Oost
    own = Meeting.objects.filter(network__name="Zorgnetwerk Noord-Oost").order_by("date").first()
    other = Meeting.objects.filter(network__name="Netwerkgroep Samen is leuker").first()
    page = partner.get(reverse("samenwerken:meeting_list")).content.decode()
    assert "Zorgnetwerk Noord-Oost" in page and "Netwerkgroep Samen is leuker" not in page
    assert "Contact opnemen met de huisartsen" in page
    assert partner.get(reverse("samenwerken:sw_meeting_detail", args=[own.pk])).status_code == 200
    assert partner.get(reverse("samenwerken:sw_meeting_detail", args=[other.pk])).status_code == 403
    api = partner.get("/api/v1/samenwerken/bijeenkomsten/").json()
    assert {m["network"] for m in api["results"]} == {own.network_id}
    home = partner.get(reverse("core:home")).content.decode()
    assert "Uw actiepunten" in home and "Contact opnemen met de huisartsen" in home


def test_the_self_assessment_proposes_with_evidence_and_needs_every_answer(hilversum, demo_user):
    proposals = assessment.proposals(hilversum, 2025)
    assert proposals["structural_budget"][0] == "ja" and "2030" in proposals["structural_budget"][1]
    assert "Netwerkgroep Samen is leuker met 6" in proposals["coalition"][1]
    with pytest.raises(ValidationError) as refused:
        assessment.save(demo_user("beleidsadviseur"), 2026, {"wethouder": {"answer": "ja"}})
    assert "Beantwoord de vraag" in " ".join(refused.value.messages)
    assert not SelfAssessment.objects.filter(year=2026).exists()
    rows = assessment.comparison(SelfAssessment.objects.get(year=2025), 2025)
    assert [round(100 * r["national"]) for r in rows] == [37, 24, 81, 55, 91, 70]
    assert all(r["installation"] is None for r in rows)  # one municipality: below the small-cell threshold


def test_a_report_figure_without_a_source_is_refused(hilversum, demo_user):
    from samen.core import registry

    registry.report_section("test.nosource", "Zonder bron", "weten",
                            lambda g, y, u: {"figures": [{"label": "x", "value": 1, "source": "", "date": "2025"}]})
    try:
        with pytest.raises(ValidationError) as refused:
            report.figures(demo_user("beleidsadviseur"), 2025)
        assert "geen bron" in refused.value.message_dict["source"][0]
    finally:
        registry.report_sections.unregister("test.nosource")


def test_a_frozen_version_is_kept_unchanged(hilversum, demo_user):
    user = demo_user("beleidsadviseur")
    council = report.get_or_start(user, 2025)
    version = report.freeze(user, council)
    assert version.pdf[:5] == b"%PDF-" and version.figures["budget"]["figures"]
    with pytest.raises(AppendOnly):
        ReportVersion.objects.get(pk=version.pk).save()


def test_an_indicator_linked_action_moves_with_the_measurement_and_shows_its_interval(hilversum, demo_user):
    from samen.core import registry

    registry.indicator_source("test.fixed", "Test", lambda g: [("x", "een indicator")],
                              lambda g, code, user, wijk=None: {"value": 0.09, "low": 0.085, "high": 0.095,
                                                                "year": 2025, "source": "test", "date": "2025-01-01"})
    try:
        user = demo_user("beleidsadviseur")
        action = _action(hilversum, "Bespreekbaar maken in de wijk")  # no milestones
        with pytest.raises(ValidationError) as refused:
            agenda.link_indicator(user, action, source="test.fixed", code="x", baseline=0.1, baseline_year=2016,
                                  target=0.1, target_year=2030)
        assert "gelijk aan de nulmeting" in refused.value.message_dict["target"][0]
        assert not action.indicators.exists()
        agenda.link_indicator(user, action, source="test.fixed", code="x", baseline=0.10, baseline_year=2016,
                              target=0.08, target_year=2030)
        result = agenda.progress_of(action, user)
        reading = result.indicators[0]
        assert result.share == pytest.approx(0.5)
        assert (reading.share_low, reading.share_high) == (pytest.approx(0.25), pytest.approx(0.75))
    finally:
        registry.indicator_sources.unregister("test.fixed")


def test_the_api_refuses_an_action_without_trekker_in_dutch_and_stores_nothing(hilversum, client_as):
    client = client_as("beleidsadviseur")
    before = Action.objects.count()
    response = client.post("/api/v1/samenwerken/acties/", content_type="application/json", data={
        "agenda": _agenda(hilversum).pk, "bouwsteen": "vinden", "title": "x", "what": "x", "goal": "x",
        "uitvoering": "x", "starts_on": "2025-01-01", "ends_on": "2025-12-31"})
    assert response.status_code == 400 and "trekker" in response.content.decode()
    assert Action.objects.count() == before
    listed = client.get("/api/v1/samenwerken/acties/").json()
    assert any(a["title"] == "75+ huisbezoeken" and a["progress"] == 0.5 for a in listed["results"])


def test_a_role_without_the_agenda_capability_sees_none_of_it(hilversum, demo_user):
    from samen.core import policy

    assert policy.visible(demo_user("partner"), Action).count() == 0
    assert policy.visible(demo_user("beleidsadviseur"), Action).count() == Action.objects.filter(
        agenda__gemeente=hilversum).count()


def test_the_netwerkgroep_is_a_network_without_a_wijk_and_its_pages_work(hilversum, client_as):
    from samen.samenwerken.models import Zorgnetwerk

    group = Zorgnetwerk.objects.get(gemeente=hilversum, name="Netwerkgroep Samen is leuker")
    assert group.wijk is None and group.kind == "stad" and group.members.count() == 6
    regisseur = client_as("regisseur")  # the Versa member of the netwerkgroep
    assert "netwerkgroep voor de hele stad" in regisseur.get(reverse("samenwerken:network_list")).content.decode()
    assert regisseur.get(reverse("samenwerken:network_detail", args=[group.pk])).status_code == 200
    assert "Netwerkgroep Samen is leuker" in regisseur.get(reverse("core:home")).content.decode()
    api = regisseur.get(f"/api/v1/zorgnetwerken/{group.pk}/").json()
    assert api["kind"] == "stad" and api["wijk"] is None


def test_the_changed_budget_counts_and_the_year_can_be_closed(hilversum, client_as):
    client = client_as("beleidsadviseur")
    line = BudgetLine.objects.get(action__title="Week van de eenzaamheid")
    url = reverse("samenwerken:sw_line_book", args=[line.pk])
    assert client.post(url, {"wijzig-changed_amount": "-1"}).status_code == 400
    assert client.post(url, {"wijzig-changed_amount": "2100,00"}).status_code == 302
    line.refresh_from_db()
    assert line.changed_amount == Decimal("2100.00") and line.amount == Decimal("2100.00")
    assert line.initial_amount == Decimal("1800.00")
    budget_url = reverse("samenwerken:budget") + "?jaar=2026"
    assert client.post(budget_url, {"jaar-available": "90000", "jaar-closed": "on"}).status_code == 302
    response = client.post(reverse("samenwerken:budget") + "?jaar=2026", {
        "action": line.action_id, "year": 2026, "funding_source": "Welzijnsbudget", "initial_amount": "10"})
    assert response.status_code == 400 and "afgesloten" in response.content.decode()
    assert not BudgetLine.objects.filter(year=2026, action=line.action).exists()


def test_another_block_adds_a_part_to_a_meeting_page(hilversum, client_as):
    from samen.core import registry

    registry.meeting_section("test.casus", "samenwerken/panels/meeting_actions.html",
                             lambda meeting, user: {"actions": [_action(hilversum)]})
    try:
        meeting = Meeting.objects.filter(network__name="Zorgnetwerk Noord-Oost").order_by("date").first()
        page = client_as("regisseur").get(reverse("samenwerken:sw_meeting_detail", args=[meeting.pk])).content
        assert "75+ huisbezoeken" in page.decode()
    finally:
        registry.meeting_sections.unregister("test.casus")
