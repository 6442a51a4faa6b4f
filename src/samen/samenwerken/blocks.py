"""What samenwerken brings to Samen (registered from ``SamenwerkenConfig.ready()``): the care
networks' capability and model rules, menu group, home panel, the section on a wijk's page, URLs,
API, demo networks and permission-matrix samples."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samen.core import policy, registry
from samen.core.roles import Role as R

registry.capability("zorgnetwerk.view", (R.BELEIDSADVISEUR, R.REGISSEUR, R.SOCIAAL_WERKER, R.PARTNER,
                                         R.VRIJWILLIGER, R.BEHEERDER), app="samenwerken")
registry.model("samenwerken.zorgnetwerk", "zorgnetwerk.view")
registry.model("samenwerken.zorgnetwerkmember", "zorgnetwerk.view")

# The agenda, budget, self-assessment and council report: read and written by who steers the approach.
registry.capability("agenda.manage", (R.BELEIDSADVISEUR, R.REGISSEUR), app="samenwerken")
# Meetings: who steers plans them; a network's members (any role linked through ZorgnetwerkMember) read
# their own networks' meetings and action points (Meeting.visible_to, ActionPoint.visible_to).
registry.capability("meeting.manage", (R.BELEIDSADVISEUR, R.REGISSEUR), app="samenwerken")
registry.capability("meeting.view", (R.BELEIDSADVISEUR, R.REGISSEUR, R.SOCIAAL_WERKER, R.PARTNER, R.VRIJWILLIGER),
                    app="samenwerken")
for _label in ("agenda", "action", "milestone", "progressnote", "actionindicator", "budgetyear", "budgetline",
               "budgetentry", "changerecord", "selfassessment", "selfassessmentanswer", "councilreport",
               "reportversion", "campaignmoment"):
    registry.model(f"samenwerken.{_label}", "agenda.manage")
registry.model("samenwerken.meeting", "meeting.view")
registry.model("samenwerken.actionpoint", "meeting.view")

registry.menu_group("samenwerken", _("Samenwerken"), order=50)
registry.menu_entry("samenwerken", "samenwerken:network_list", _("Zorgnetwerken"), "zorgnetwerk.view")
registry.menu_entry("samenwerken", "samenwerken:meeting_list", _("Bijeenkomsten"), "meeting.view")
registry.menu_entry("samenwerken", "samenwerken:agenda", _("Uitvoeringsagenda"), "agenda.manage")
registry.menu_entry("samenwerken", "samenwerken:budget", _("Budget"), "agenda.manage")
registry.menu_entry("samenwerken", "samenwerken:campaign", _("Campagne"), "agenda.manage")
registry.menu_entry("samenwerken", "samenwerken:assessment", _("Zelfevaluatie"), "agenda.manage")
registry.menu_entry("samenwerken", "samenwerken:report", _("Voortgangsrapportage"), "agenda.manage")


def _networks(user):
    from samen.samenwerken.models import Zorgnetwerk

    return policy.visible(user, Zorgnetwerk)


def _my_networks_panel(user):
    from django.db.models import Q

    networks = list(_networks(user).filter(Q(wijk__in=user.wijken.all()) | Q(members__user=user)).distinct())
    return {"networks": networks} if networks else None


def _action_points_panel(user):
    from samen.samenwerken.services.meetings import due_for

    points = list(due_for(user))
    return {"points": points} if points else None


registry.home_panel("samenwerken.action_points", "samenwerken/panels/action_points.html", _action_points_panel,
                    "meeting.view", order=41)


def _wijk_networks_section(user, wijk):
    return {"networks": list(_networks(user).filter(wijk=wijk))}


registry.home_panel("samenwerken.networks", "samenwerken/panels/my_networks.html", _my_networks_panel,
                    "zorgnetwerk.view", order=40)
# On a wijk's page every role that sees the wijk reads which network it has (or that none is recorded).
registry.wijk_section("samenwerken.networks", "samenwerken/panels/wijk_networks.html", _wijk_networks_section)

registry.url_include("samenwerken", "zorgnetwerken/", "samen.samenwerken.urls", order=20)


def _api_routes():
    from samen.samenwerken import api

    return [("zorgnetwerken", api.ZorgnetwerkViewSet, "zorgnetwerk"),
            ("samenwerken/agendas", api.AgendaViewSet, "sw-agenda"),
            ("samenwerken/acties", api.ActionViewSet, "sw-action"),
            ("samenwerken/mijlpalen", api.MilestoneViewSet, "sw-milestone"),
            ("samenwerken/budgetregels", api.BudgetLineViewSet, "sw-budgetline"),
            ("samenwerken/bijeenkomsten", api.MeetingViewSet, "sw-meeting"),
            ("samenwerken/zelfevaluaties", api.SelfAssessmentViewSet, "sw-assessment")]


registry.api_contribution("samenwerken", routes=_api_routes)


def _load_networks(gemeente):
    """The demo's networks and their members; the demo users named in a network become its members."""
    from samen.core.models import Organisation, User, Wijk
    from samen.core.services.demo import demo_spec
    from samen.samenwerken.models import Zorgnetwerk, ZorgnetwerkMember

    spec = demo_spec()
    organisations = {o.name: o for o in Organisation.objects.filter(gemeente=gemeente)}
    networks = {}
    for item in spec["zorgnetwerken"]:
        network, _created = Zorgnetwerk.objects.update_or_create(
            wijk=Wijk.objects.get(code=item["wijk"]), name=item["name"],
            defaults={"gemeente": gemeente, "status": item["status"], "description": item["description"]})
        for member in item["members"]:
            ZorgnetwerkMember.objects.update_or_create(
                network=network, organisation=organisations[member["organisation"]], function=member["function"],
                defaults={"part": member["part"]})
        networks[network.name] = network
    for item in spec["users"]:
        if item.get("network"):
            user = User.objects.get(username=item["username"])
            ZorgnetwerkMember.objects.filter(network=networks[item["network"]], organisation=user.organisation,
                                             function=user.function).update(user=user)
    return None


registry.demo_loader("samenwerken", _load_networks)


def _load_agenda(gemeente):
    from samen.samenwerken.demo import load_agenda_demo

    return load_agenda_demo(gemeente)


registry.demo_loader("samenwerken.agenda", _load_agenda, after=("samenwerken",))


def _a_network(gemeente):
    from samen.samenwerken.models import Zorgnetwerk

    return Zorgnetwerk.objects.get(gemeente=gemeente, name="Zorgnetwerk Noord-Oost").pk


registry.matrix_sample("network", _a_network)
registry.matrix_sample("zorgnetwerk", _a_network)


def _an_action(gemeente):
    from samen.samenwerken.models import Action

    return Action.objects.filter(agenda__gemeente=gemeente).order_by("pk").first().pk


def _a_meeting(gemeente):
    from samen.samenwerken.models import Meeting

    return Meeting.objects.filter(network__gemeente=gemeente, network__name="Zorgnetwerk Noord-Oost").first().pk


def _a_point(gemeente):
    from samen.samenwerken.models import ActionPoint

    return ActionPoint.objects.filter(meeting__network__name="Zorgnetwerk Noord-Oost").first().pk


def _a_line(gemeente):
    from samen.samenwerken.models import BudgetLine

    return BudgetLine.objects.filter(action__agenda__gemeente=gemeente).order_by("pk").first().pk


def _a_version(gemeente):
    from samen.samenwerken.models import ReportVersion

    version = ReportVersion.objects.filter(report__gemeente=gemeente).first()
    if version is None:
        from samen.core.models import User
        from samen.samenwerken.services import report

        user = User.objects.get(username="beleidsadviseur")
        version = report.freeze(user, report.get_or_start(user, 2025))
    return version.pk


registry.matrix_sample("sw_action", _an_action)
registry.matrix_sample("sw_meeting", _a_meeting)
registry.matrix_sample("sw_point", _a_point)
registry.matrix_sample("sw_line", _a_line)
registry.matrix_sample("sw_frozen", _a_version)
registry.matrix_sample("sw-action", _an_action)
registry.matrix_sample("sw-milestone", lambda g: __import__("samen.samenwerken.models", fromlist=["Milestone"])
                       .Milestone.objects.filter(action__agenda__gemeente=g).order_by("pk").first().pk)
registry.matrix_sample("sw-budgetline", _a_line)
registry.matrix_sample("sw-meeting", _a_meeting)
registry.matrix_sample("sw-agenda", lambda g: __import__("samen.samenwerken.models", fromlist=["Agenda"])
                       .Agenda.objects.filter(gemeente=g).first().pk)
registry.matrix_sample("sw-assessment", lambda g: __import__("samen.samenwerken.models", fromlist=["SelfAssessment"])
                       .SelfAssessment.objects.filter(gemeente=g).first().pk)


# --- the meeting page of a wijk network lists the agenda's actions for that wijk (an example of a part
# another block adds through registry.meeting_section) ------------------------------------------------

def _meeting_actions(meeting, user):
    from samen.samenwerken.models import Action

    if meeting.network.wijk_id is None or not policy.can(user, "agenda.manage"):
        return None
    actions = list(Action.objects.filter(agenda__gemeente=meeting.network.gemeente, wijk=meeting.network.wijk))
    return {"actions": actions} if actions else None


registry.meeting_section("samenwerken.wijk_actions", "samenwerken/panels/meeting_actions.html", _meeting_actions,
                         "agenda.manage", order=50)
