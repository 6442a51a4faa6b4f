"""ondersteunen's registrations for this part (imported from ondersteunen.blocks): the casusoverleg, the
outcomes and local evidence, retention and inzage. Demo data of all of ondersteunen is loaded from here."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from samen.core import jobs, registry


def _load_demo(gemeente):
    from samen.ondersteunen.demo import load

    return load(gemeente)


def _load_demo_signals(gemeente):
    from samen.ondersteunen.demo import load_signals

    return load_signals(gemeente)


# After the networks and the catalogue; the demo signals (``samen demo`` only) after the 75+ visits, whose
# signal they use, and after the trajectories they are linked to.
registry.demo_loader("ondersteunen", _load_demo, after=("samenwerken", "kwaliteit.catalogue"))
registry.demo_loader("ondersteunen.signals", _load_demo_signals, after=("ondersteunen", "vinden.visits"), extra=True)


registry.url_include("ondersteunen_rapportage", "ondersteunen/", "samen.ondersteunen.urls.reports", order=53)

registry.menu_entry("ondersteunen", "ondersteunen_rapportage:casus_index", _("Casusoverleg"), "casus.view")
registry.menu_entry("ondersteunen", "ondersteunen_rapportage:outcomes", _("Uitkomsten en lokaal bewijs"),
                    "trajectory.stats")


def _due_actions_panel(user):
    from django.utils import timezone

    from samen.ondersteunen.services import casus

    actions = list(casus.due_actions(user))
    return {"actions": actions, "today": timezone.localdate()} if actions else None


# Action points from a casusoverleg show on their owner's home page (a partner's too).
registry.home_panel("ondersteunen.case_actions", "ondersteunen/reports/panels/case_actions.html",
                    _due_actions_panel, order=35)


def _inzage_section(user, resident):
    return {"resident": resident}


# Inzage (JSON, PDF) and erasure on the resident's page, for the regisseur.
registry.record_section("core.resident", "ondersteunen.inzage", "ondersteunen/reports/_inzage_section.html",
                        _inzage_section, "trajectory.inzage", order=90)


def _retention():
    from samen.ondersteunen.services import retention

    return retention.run()


jobs.register("ondersteunen_retention", _retention, daily_at="02:30", lease=dt.timedelta(hours=2),
              help="Anonymise trajectories closed longer ago than the retention period (counts only).")


def _a_case_discussion(gemeente):
    from samen.ondersteunen.models import CaseDiscussion

    return CaseDiscussion.objects.filter(gemeente=gemeente, network__name="Zorgnetwerk Noord-Oost",
                                         advice="").order_by("meeting_date", "pk").first().pk


def _a_case_action(gemeente):
    from samen.ondersteunen.models import CaseAction

    return CaseAction.objects.filter(discussion__gemeente=gemeente, owner__username="partner",
                                     done_at__isnull=True).order_by("pk").first().pk


registry.matrix_sample("casediscussion", _a_case_discussion)
registry.matrix_sample("caseaction", _a_case_action)

# The casusoverleg listens to consent.changed (a withdrawn "discuss by name" makes coming items pseudonymous).
from samen.ondersteunen.services import casus as _casus  # noqa: E402,F401

# --- the glue with the other parts and with samenwerken ---------------------------------------------------------

def _trajectory_casus(user, trajectory):
    """On the trajectory page: each time it was on a network's agenda, with advice and actions."""
    from samen.ondersteunen.services import casus

    items = casus.timeline(trajectory)
    return {"items": items} if items else None


registry.record_section("ondersteunen.trajectory", "ondersteunen.casus",
                        "ondersteunen/reports/sections/trajectory.html", _trajectory_casus, "casus.view", order=40)


def _meeting_casus(meeting, user):
    """On samenwerken's meeting page: the casusoverleg items of this network's meeting (pseudonymised)."""
    from samen.ondersteunen.services import casus

    return casus.meeting_context(meeting.network, meeting.date, user, route="samenwerken:sw_meeting_detail")


registry.meeting_section("ondersteunen.casus", "ondersteunen/reports/sections/meeting.html", _meeting_casus,
                         "casus.view", order=20)


def _council_section(gemeente, year, user):
    """For the council's progress report (samenwerken): the year's outcomes of ondersteunen, suppressed."""
    from django.utils import timezone

    from samen.ondersteunen.services import outcomes

    data = outcomes.summary(gemeente, year)
    today = timezone.localdate().isoformat()
    source = "Samen, ondersteunen"

    def share(value):
        return None if value is None else f"{value:.0%}"

    figures = [
        {"label": str(_("Trajecten gestart")), "value": data["trajectories"], "unit": "", "source": source,
         "date": today},
        {"label": str(_("Eerste contact, mediaan (werkdagen)")), "value": data["first_contact_median_working_days"],
         "unit": "", "source": source, "date": today},
        {"label": str(_("Komt na 6 weken nog bij de activiteit")), "value": share(data["still_going_6w"]),
         "unit": "", "source": source, "date": today},
        {"label": str(_("Eenzaamheidsscore gedaald na 3 maanden")), "value": share(data["score_down_3m"]),
         "unit": "", "source": source, "date": today},
    ]
    return {"figures": figures, "note": " ".join([str(data["note"]), *map(str, data["sources"])])}


registry.report_section("ondersteunen.outcomes", _("Ondersteunen: trajecten en verwijzingen"), "ondersteunen",
                        _council_section, order=40)


def _support_indicators(gemeente):
    return [("still_going", _("aandeel inwoners dat na 6 weken nog naar de activiteit gaat")),
            ("down_3m", _("aandeel inwoners met een lagere eenzaamheidsscore na 3 maanden"))]


def _support_value(gemeente, code, user, wijk=None):
    """An action on the agenda can be linked to these (samenwerken computes its progress from them)."""
    from django.utils import timezone

    from samen.core import policy
    from samen.core.models import Wijk
    from samen.ondersteunen.services import outcomes

    if not policy.can(user, "trajectory.stats"):
        return None
    area = Wijk.objects.filter(gemeente=gemeente, code=wijk).first() if wijk else None
    if code not in ("still_going", "down_3m"):
        return None
    rows, total = outcomes.compute(gemeente, wijk=area)["shares"][code]
    row = total if area is None else next((r for r in rows if r["wijk_id"] == area.pk), None)
    share = row["share"] if row else None  # suppressed below the small-cell rule: no value
    if share is None:
        return None
    return {"value": share, "low": None, "high": None, "year": timezone.localdate().year,
            "source": "Samen, ondersteunen", "date": timezone.localdate().isoformat()}


registry.indicator_source("ondersteunen.outcomes", _("Ondersteunen"), _support_indicators, _support_value)


# --- the local evidence on the catalogue's pages (kwaliteit renders the record sections it is given) ---------

def _evidence_section(subject):
    """On the activity's page, the regisseur's review of a version and the intervention's page: how earlier
    referrals went, aggregates only (``services.evidence``). Only for ``trajectory.stats`` (the regisseur and
    the beleidsadviseur), never for the aanbieder: the figures are about other residents' trajectories."""

    def context(user, obj):
        from django.urls import reverse

        from samen.ondersteunen.services import evidence, outcomes

        data = outcomes.catalogue_evidence(obj.gemeente)
        row = data["rows"].get((subject, obj.pk))
        if row is None:
            row = evidence.empty_row(subject, obj.title if subject == "activity" else obj.name)
        return {**data, "rows": None, "row": row, "subject": subject,
                "outcomes_url": reverse("ondersteunen_rapportage:outcomes")}

    return context


registry.record_section("kwaliteit.activity", "ondersteunen.evidence", "ondersteunen/reports/sections/evidence.html",
                        _evidence_section("activity"), "trajectory.stats", order=20)
registry.record_section("kwaliteit.intervention", "ondersteunen.evidence",
                        "ondersteunen/reports/sections/evidence.html", _evidence_section("intervention"),
                        "trajectory.stats", order=20)


# --- the monitor's factsheet (weten renders the factsheet sections it is given) ----------------------------------

def _factsheet_section(gemeente, user, wijk=None):
    """ondersteunen's figures for the municipality or one wijk (its code), over the outcomes page's default
    period, suppressed as there (``services.outcomes``)."""
    from samen.ondersteunen.services import outcomes

    return outcomes.factsheet(gemeente, wijk)


registry.factsheet_section("ondersteunen.outcomes", _("Ondersteunen: van signaal naar verbinding"),
                           "ondersteunen/reports/factsheet_section.html", _factsheet_section, "trajectory.stats",
                           order=40)
