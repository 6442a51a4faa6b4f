"""The yearly progress report to the council, shaped like the council letters of the seeds (onderwerp,
kernboodschap, aanleiding, per bouwsteen what was done and achieved, consequenties, vervolgtraject).

The figures come from the agenda, the budget and the self-assessment here, and from the other blocks
through ``registry.report_section`` (the monitor's DIN indicators and key figures, signals by channel,
75+ coverage; trajectories once ondersteunen registers them). Every figure names its source and date; a
figure without one stops the report with a Dutch message. A frozen version keeps the rendered HTML, the
tagged PDF (PDF/UA) and the figures JSON unchanged."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core import policy, registry
from samen.samenwerken import benchmark
from samen.samenwerken.models import Bouwsteen, CouncilReport, ReportVersion
from samen.samenwerken.services import agenda as agenda_service
from samen.samenwerken.services import assessment as assessment_service
from samen.samenwerken.services import budget as budget_service

MANAGE = "agenda.manage"
euro = budget_service.euro  # amounts in the report in Dutch notation: € 1.800,00
TEXT_FIELDS = ("onderwerp", "kernboodschap", "aanleiding", "consequenties", "vervolgtraject", "priorities")


def _require(user):
    if not policy.can(user, MANAGE):
        raise PermissionDenied(_("U mag de voortgangsrapportage niet zien of wijzigen."))


def get_or_start(user, year: int) -> CouncilReport:
    _require(user)
    report, _created = CouncilReport.objects.get_or_create(
        gemeente_id=user.gemeente_id, year=year,
        defaults={"onderwerp": _("Voortgang aanpak eenzaamheid %(year)s") % {"year": year}})
    return report


@transaction.atomic
def save_texts(user, report: CouncilReport, data: dict) -> CouncilReport:
    _require(user)
    if not (data.get("onderwerp") or "").strip():
        raise ValidationError({"onderwerp": _("Vul het onderwerp van de rapportage in.")})
    for name in TEXT_FIELDS:
        setattr(report, name, (data.get(name) or "").strip())
    report.updated_by = user
    report.save()
    return report


def _figure(label, value, source, date, *, unit="", note=""):
    return {"label": str(label), "value": value, "unit": unit, "source": str(source) if source else "",
            "date": date.isoformat() if isinstance(date, datetime.date) else (str(date) if date else ""),
            "note": str(note)}


def check_sources(sections: list[dict]) -> None:
    for section in sections:
        for figure in section["figures"]:
            for name, label in (("source", _("bron")), ("date", _("datum"))):
                if not figure.get(name):
                    raise ValidationError({name: _("Het cijfer '%(label)s' in '%(section)s' heeft geen %(what)s; "
                                                   "zonder %(what)s komt het niet in de rapportage.") % {
                        "label": figure.get("label", "?"), "section": section["title"], "what": label}})


def figures(user, year: int) -> dict:
    """Everything the report shows, as plain data (kept as JSON in a frozen version)."""
    _require(user)
    gemeente = user.gemeente
    today = timezone.localdate()
    agenda = agenda_service.current_agenda(user)
    per_bouwsteen = []
    overview = agenda_service.overview(user, agenda) if agenda else None
    for value, label in Bouwsteen.choices:
        group = next((g for g in overview["per_bouwsteen"] if g["key"] == value), None) if overview else None
        actions = [{"title": r.action.title, "status": r.action.get_status_display(), "trekker": r.action.trekker.name,
                    "uitvoering": r.action.uitvoering, "progress": r.percent,
                    "milestones": f"{r.milestones_reached}/{r.milestones_total}",
                    "indicators": [{"label": i.link.label, "value": i.value, "target": i.link.target,
                                    "baseline": i.link.baseline, "progress": None if i.share is None else round(
                                        100 * i.share),
                                    "low": None if i.share_low is None else round(100 * i.share_low),
                                    "high": None if i.share_high is None else round(100 * i.share_high),
                                    "source": i.source} for i in r.indicators]}
                   for r in (group["rows"] if group else [])]
        sections = []
        for entry in sorted(registry.report_sections, key=lambda e: e.order):
            if entry.bouwsteen != value:
                continue
            provided = entry.provide(gemeente, year, user) or {}
            sections.append({"key": entry.key, "title": str(entry.title), "figures": provided.get("figures", []),
                             "note": str(provided.get("note", ""))})
        per_bouwsteen.append({"key": value, "label": str(label), "actions": actions,
                              "progress": None if not group or group["share"] is None else round(100 * group["share"]),
                              "sections": sections})
    totals = budget_service.year_totals(gemeente, year)
    budget_section = {"key": "budget", "title": _("Budget en uitgaven %(year)s") % {"year": year}, "figures": [
        _figure(_("Beschikbaar budget"), None if totals["available"] is None else euro(totals["available"]),
                _("Samen, budget uitvoeringsagenda"), today, unit="EUR"),
        _figure(_("Begroot op acties"), euro(totals["total"]["budget"]), _("Samen, budget uitvoeringsagenda"), today,
                unit="EUR"),
        _figure(_("Verplicht"), euro(totals["total"]["committed"]), _("Samen, budget uitvoeringsagenda"), today,
                unit="EUR"),
        _figure(_("Uitgegeven"), euro(totals["total"]["spent"]), _("Samen, budget uitvoeringsagenda"), today,
                unit="EUR"),
    ], "per_source": [{"label": r["label"], "budget": euro(r["budget"]), "spent": euro(r["spent"])}
                      for r in totals["per_source"]]}
    assessment = assessment_service.for_year(user, year)
    comparison = [{"pillar": str(r["pillar"]), "question": str(r["question"].text),
                   "answer": r["answer"].get_answer_display() if r["answer"] else None,
                   "national": None if r["national"] is None else round(100 * r["national"])}
                  for r in assessment_service.comparison(assessment, year)]
    data = {"year": year, "gemeente": gemeente.name, "made_on": today.isoformat(),
            "agenda": agenda.title if agenda else "", "bouwstenen": per_bouwsteen, "budget": budget_section,
            "assessment": {"rows": comparison, "source": str(benchmark.SOURCE),
                           "national_n": benchmark.BENCHMARK_GEMEENTEN}}
    check_sources([budget_section] + [s for b in per_bouwsteen for s in b["sections"]])
    return data


def render_html(report: CouncilReport, data: dict, *, standalone: bool) -> str:
    return render_to_string("samenwerken/report_document.html",
                            {"report": report, "data": data, "standalone": standalone, "euro": budget_service.euro})


def render_pdf(html: str) -> bytes:
    """A tagged PDF (PDF/UA-1): headings, tables and lists keep their structure for a screen reader."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


@transaction.atomic
def freeze(user, report: CouncilReport) -> ReportVersion:
    _require(user)
    report = CouncilReport.objects.select_for_update().get(pk=report.pk, gemeente_id=user.gemeente_id)
    data = figures(user, report.year)
    html = render_html(report, data, standalone=True)
    number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return ReportVersion.objects.create(report=report, number=number, html=html, pdf=render_pdf(html),
                                        figures=data, frozen_by=user)
