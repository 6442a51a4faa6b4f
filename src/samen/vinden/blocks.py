"""What vinden brings to Samen (registered from ``VindenConfig.ready()``): its capabilities and
model rules, its menu group, its home panel, its public forms, its URLs and API, its demo data and
its permission-matrix samples. See ``samen.core.registry``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samen.core import registry
from samen.core.roles import Role as R
from samen.vinden import scopes

for name, roles, personal in (
    ("signal.view", (R.REGISSEUR, R.SOCIAAL_WERKER, R.PARTNER), True),
    ("signal.triage", (R.REGISSEUR, R.SOCIAAL_WERKER, R.PARTNER), True),
    ("signal.report", (R.REGISSEUR, R.SOCIAAL_WERKER, R.PARTNER, R.VRIJWILLIGER), False),
    ("signal.stats", (R.BELEIDSADVISEUR, R.REGISSEUR), False),
    ("signal.central_queue", (R.REGISSEUR,), False),
    # Closes a signal that social work picked up.
    ("signal.close", (R.REGISSEUR, R.SOCIAAL_WERKER), False),
    # May be assigned a signal for social work (and then sees it, wherever it is).
    ("signal.assignee", (R.SOCIAAL_WERKER,), False),
    # Is told by e-mail of a new signal in their own wijken.
    ("signal.wijk_alerts", (R.SOCIAAL_WERKER, R.PARTNER), False),
    ("visit.view", (R.REGISSEUR, R.SOCIAAL_WERKER, R.VRIJWILLIGER), True),
    ("visit.manage", (R.REGISSEUR, R.SOCIAAL_WERKER), False),
    ("visit.stats", (R.BELEIDSADVISEUR, R.REGISSEUR, R.SOCIAAL_WERKER), False),
    ("visit.import", (R.REGISSEUR,), False),
    ("visit.report", (R.VRIJWILLIGER,), False),
):
    registry.capability(name, roles, personal_data=personal, app="vinden")

registry.model("vinden.signal", "signal.view", scopes.signals)
registry.model("vinden.signalevent", "signal.view", scopes.signal_events)
registry.model("vinden.visit", "visit.view", scopes.visits)
registry.model("vinden.visitround", "visit.manage")

registry.menu_group("vinden", _("Vinden"), order=20)
for url_name, label, capability in (
    ("vinden:signal_list", _("Signalen"), "signal.view"),
    ("vinden:central_queue", _("Centrale wachtrij"), "signal.central_queue"),
    ("vinden:my_reports", _("Mijn meldingen"), "signal.report"),
    ("vinden:signal_stats", _("Signalen in cijfers"), "signal.stats"),
    ("vinden:volunteer_intake", _("Zorg melden"), "visit.report"),
    ("visits:visit_list", _("Huisbezoeken"), "visit.report"),
    ("visits:register_import", _("Register 75+"), "visit.import"),
    ("visits:round_list", _("Bezoekrondes"), "visit.manage"),
    ("visits:coverage", _("Huisbezoeken per wijk"), "visit.stats"),
):
    registry.menu_entry("vinden", url_name, label, capability)


def _home(name):
    """A function of ``vinden.home``, imported when the home page is drawn (not at start-up)."""

    def call(user):
        from samen.vinden import home

        return getattr(home, name)(user)

    return call


registry.home_panel("vinden.central_queue", "vinden/panels/central_queue.html", _home("central_queue_panel"),
                    "signal.central_queue", order=5)
registry.home_panel("vinden.signals", "vinden/panels/signals.html", _home("signals_panel"), "signal.view", order=10)
registry.home_panel("vinden.visits", "vinden/panels/visits.html", _home("visits_panel"), "visit.report", order=10)
registry.today_items("vinden.signals", _home("signals_today"), "signal.triage", order=10)
registry.today_items("vinden.central_queue", _home("central_queue_today"), "signal.central_queue", order=11)
registry.today_items("vinden.visits", _home("visits_today"), "visit.report", order=12)

# The two public forms for residents: no login, no second factor.
registry.public_page("vinden:concern")
registry.public_page("vinden:self")

registry.url_include("vinden", "", "samen.vinden.urls", order=40)
registry.url_include("visits", "huisbezoeken/", "samen.vinden.visits.urls", order=41)


def _api_routes():
    from samen.vinden.api import SignalViewSet

    return [("signals", SignalViewSet, "signal")]


registry.api_contribution("vinden", routes=_api_routes)


def _load_visits(gemeente):
    from samen.vinden.visits.demo import load_visits_demo

    load_visits_demo(gemeente)
    return "Home visits 75+: register, rounds and reports."


registry.demo_loader("vinden.visits", _load_visits, after=("samenwerken",), extra=True)


def _a_signal(gemeente):
    """An open signal in Noord-Oost, the wijk of the demo partner and social worker."""
    from samen.vinden.models import Signal
    from samen.vinden.services.signals import submit_signal

    signal = Signal.objects.filter(gemeente=gemeente, wijk__code="WK040207", status="new").first()
    if signal is None:
        signal = submit_signal(gemeente, channel="staff", data={"postcode": "1211BJ", "house_number": 7,
                                                                "observations": ["weinig_bezoek"]}).signal
    return signal.pk


def _visits(gemeente):
    """The demo's Noord-Oost round (the social worker's wijk) and a visit of the demo volunteer."""
    from samen.vinden.visits.demo import load_visits_demo
    from samen.vinden.visits.models import Visit, VisitRound

    load_visits_demo(gemeente)
    return (VisitRound.objects.get(gemeente=gemeente, wijk__code="WK040207", year=2026),
            Visit.objects.filter(volunteer__username="vrijwilliger").order_by("pk").first())


registry.matrix_sample("signal", _a_signal)
registry.matrix_sample("round", lambda gemeente: _visits(gemeente)[0].pk)
registry.matrix_sample("visit", lambda gemeente: _visits(gemeente)[1].pk)


# --- what samenwerken's council report and agenda read from vinden ---------------------------------------

def _signals_section(gemeente, year, user):
    from django.utils import timezone

    from samen.vinden.services.signals import counts

    data = counts(gemeente, year)
    today = timezone.localdate().isoformat()
    figures = [{"label": row["label"], "value": row["n"], "unit": "", "source": "Samen, signalen", "date": today}
               for row in data["by_channel"]]
    figures.append({"label": "Totaal", "value": data["total"], "unit": "", "source": "Samen, signalen", "date": today})
    return {"figures": figures, "note": "Signalen per kanaal; aantallen onder 5 worden niet getoond."}


def _coverage_section(gemeente, year, user):
    from django.core.exceptions import PermissionDenied
    from django.utils import timezone

    from samen.vinden.visits.services import coverage

    try:
        totals = coverage(user, gemeente, year)["totals"]
    except PermissionDenied:
        return {"figures": [], "note": "Alleen voor wie de voortgang van de huisbezoeken mag zien."}
    today = timezone.localdate().isoformat()
    return {"figures": [
        {"label": "Inwoners van 75+ in het register", "value": totals["residents"], "unit": "",
         "source": "Samen, huisbezoeken 75+", "date": today},
        {"label": "Bezocht", "value": totals["visited"], "unit": "", "source": "Samen, huisbezoeken 75+",
         "date": today},
        {"label": "Dekking", "value": None if totals.get("share") is None else f"{totals['share']}%", "unit": "",
         "source": "Samen, huisbezoeken 75+", "date": today}]}


registry.report_section("vinden.signals", _("Signalen per kanaal"), "vinden", _signals_section, order=20)
registry.report_section("vinden.coverage", _("Dekking huisbezoeken 75+"), "vinden", _coverage_section, order=30)


def _coverage_indicators(gemeente):
    return [("coverage_75", _("aandeel 75+ inwoners bezocht"))]


def _coverage_value(gemeente, code, user, wijk=None):
    from django.core.exceptions import PermissionDenied
    from django.utils import timezone

    from samen.vinden.visits.services import coverage

    year = timezone.localdate().year
    try:
        table = coverage(user, gemeente, year)
    except PermissionDenied:
        return None
    row = next((r for r in table["rows"] if r["wijk"] == wijk), None) if wijk else table["totals"]
    if not row or row.get("share") is None:
        return None
    return {"value": row["share"] / 100, "low": None, "high": None, "year": year, "source": "Samen, huisbezoeken 75+",
            "date": timezone.localdate().isoformat()}


registry.indicator_source("vinden.coverage", _("Huisbezoeken 75+"), _coverage_indicators, _coverage_value)
