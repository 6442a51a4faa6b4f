"""Preview and confirm of a survey wave import (the import toolkit, docs/architecture.md §16).

Importing a wave that exists replaces its respondents, and with them every figure of that year and the
progress towards the targets. So the screen reads and checks the file (*plan*, nothing written), shows
what it will replace (how many respondents now and after, per wijk, which targets are recalculated),
keeps the checked columns under a token for the uploading user and municipality (*stage*), and replaces
the wave only when that user confirms (*confirm*), in one transaction, and only while the wave is still
as the preview showed it (the fingerprint). The command (``samen import_survey``) prints the same preview
and asks, or replaces with ``--yes``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils.translation import gettext as _

from samen.core import policy
from samen.core.models import Gemeente, PendingImport, User, Wijk
from samen.core.reports import ImportReport
from samen.core.services import pending_imports
from samen.core.services.pending_imports import PendingImportError
from samen.weten.models import Source, Target, Wave
from samen.weten.services.survey_import import (
    SurveyMapping,
    database_columns,
    read_table,
    store_wave,
    validate,
    wave_name,
)

SURVEY_IMPORT = "survey"


@dataclass
class SurveyPlan:
    """A checked survey file and what importing it would replace; nothing is written until it is applied."""

    gemeente: Gemeente
    source: str
    year: int
    name: str
    file_name: str
    mapping: str  # the YAML of the mapping, kept with the wave
    report: ImportReport
    rows: dict | None = None
    fingerprint: str = ""
    summary: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.report.ok and self.rows is not None

    @property
    def replaces(self) -> bool:
        return bool(self.summary.get("replaces"))


def survey_fingerprint(gemeente: Gemeente, source: str, year: int) -> str:
    """The state of the wave an import would replace (or that there is none).

    A wave's respondents are only ever written whole, by ``store_wave``, which also sets the wave's import
    time; so the wave row with the number and the id range of its respondents identifies its data without
    hashing every row (a wave can have 100,000 of them)."""
    wave = Wave.objects.filter(gemeente=gemeente, source=source, year=year).first()
    if wave is None:
        return pending_imports.fingerprint([None])
    rows = wave.respondents.aggregate(n=Count("pk"), first=Min("pk"), last=Max("pk"))
    return pending_imports.fingerprint([[wave.pk, wave.imported_at, wave.respondent_count, wave.file_name,
                                         rows["n"], rows["first"], rows["last"]]])


def plan_survey(gemeente: Gemeente, *, content: bytes, filename: str, mapping: SurveyMapping, source: str,
                year: int, name: str = "", mapping_text: str = "") -> SurveyPlan:
    """Read and check a survey file and compare it with the wave it would replace; writes nothing."""
    report = ImportReport()
    plan = SurveyPlan(gemeente, source, year, name or "", filename, mapping_text or mapping.to_yaml(), report)
    if source not in Source.values:
        report.add(0, "source", _("onbekende bron %(source)r.") % {"source": source})
        return plan
    frame = read_table(content, filename, report)
    if frame is None:
        return plan
    plan.rows = validate(gemeente, frame, mapping, report)
    if plan.rows is None:
        return plan
    plan.name = name or wave_name(source, year)
    plan.fingerprint = survey_fingerprint(gemeente, source, year)
    plan.summary = _summary(plan)
    return plan


def _summary(plan: SurveyPlan) -> dict:
    """What the preview shows: the counts now and after, per wijk, and the targets that are recalculated."""
    wave = Wave.objects.filter(gemeente=plan.gemeente, source=plan.source, year=plan.year).first()
    current: dict[int, int] = {}
    if wave is not None:
        current = dict(wave.respondents.values_list("wijk_id").annotate(n=Count("pk")).values_list("wijk_id", "n"))
    new = Counter(int(wijk_id) for wijk_id in plan.rows["wijk_id"])
    wijken = Wijk.objects.filter(pk__in=set(current) | set(new))
    by_wijk = sorted(({"code": w.code, "name": w.display_name, "current": current.get(w.pk, 0),
                       "new": new.get(w.pk, 0)} for w in wijken), key=lambda row: row["code"])
    return {
        "source": plan.source, "source_label": str(Source(plan.source).label), "year": plan.year,
        "name": plan.name, "file_name": plan.file_name, "replaces": wave is not None,
        "current_name": wave.name if wave else "", "current_count": wave.respondent_count if wave else 0,
        "current_file": wave.file_name if wave else "",
        "current_imported_at": wave.imported_at.isoformat() if wave else "",
        "new_count": len(plan.rows["respondent_id"]), "wijken": by_wijk,
        "targets": [_target_label(t) for t in _targets_using(plan.gemeente, plan.source, plan.year)],
        "has_strata": plan.rows.get("stratum") is not None,
    }


def _targets_using(gemeente: Gemeente, source: str, year: int):
    """The targets whose progress this wave feeds: its year is their baseline, or it is the latest wave."""
    years = set(Wave.objects.filter(gemeente=gemeente, source=source).values_list("year", flat=True)) | {year}
    targets = Target.objects.filter(gemeente=gemeente, source=source).select_related("wijk")
    if year != max(years):
        targets = targets.filter(baseline_year=year)
    return targets.order_by("indicator", "wijk__code")


def _target_label(target: Target) -> str:
    where = target.wijk.display_name if target.wijk else _("heel de gemeente")
    return f"{target} ({where})"


def apply_survey_plan(plan: SurveyPlan, *, user: User | None = None,
                      progress: Callable[[int], None] | None = None) -> Wave:
    """Store the checked wave in one transaction; refused when the wave changed since the plan was made."""
    with transaction.atomic():
        list(Wave.objects.select_for_update().filter(gemeente=plan.gemeente, source=plan.source, year=plan.year))
        if survey_fingerprint(plan.gemeente, plan.source, plan.year) != plan.fingerprint:
            raise PendingImportError(_("De meting is veranderd sinds het bestand werd ingelezen. Er is niets "
                                       "veranderd; lees het bestand opnieuw in."))
        wave = store_wave(plan.gemeente, plan.source, plan.year, plan.rows, name=plan.name,
                          file_name=plan.file_name, mapping=plan.mapping, user=user, progress=progress)
    plan.report.imported = wave.respondent_count
    return wave


def stage_survey_plan(user: User, plan: SurveyPlan) -> PendingImport:
    """Keep the checked columns for the preview (pseudonymous survey rows, no personal data)."""
    payload = {"source": plan.source, "year": plan.year, "name": plan.name, "file_name": plan.file_name,
               "mapping": plan.mapping, "rows": database_columns(plan.rows)}
    return pending_imports.stage(user, SURVEY_IMPORT, payload, plan.summary, plan.fingerprint)


def confirm_survey_import(user: User, token: str) -> Wave:
    """Replace the wave the user previewed; PendingImportError (Dutch) when the preview is gone, someone
    else's, expired or stale."""
    if not policy.can(user, "monitor.import"):
        raise PermissionDenied
    with transaction.atomic():
        pending = pending_imports.claim(
            user, SURVEY_IMPORT, token,
            lambda p: survey_fingerprint(p.gemeente, p.payload["source"], p.payload["year"]))
        payload = pending.payload
        plan = SurveyPlan(pending.gemeente, payload["source"], payload["year"], payload["name"],
                          payload["file_name"], payload["mapping"], ImportReport(), payload["rows"],
                          pending.fingerprint, pending.summary)
        return apply_survey_plan(plan, user=user)


def describe(plan: SurveyPlan) -> str:
    """The preview for the command line (English, like the other import commands)."""
    s = plan.summary
    if s["replaces"]:
        lines = [f"You are about to replace the {s['current_count']} respondents of wave '{s['current_name']}' "
                 f"(imported {s['current_imported_at'][:16]}, file {s['current_file'] or '-'}) "
                 f"with the {s['new_count']} of {plan.file_name}."]
    else:
        lines = [f"New wave '{s['name']}': {s['new_count']} respondents; nothing is replaced."]
    lines.append("Respondents per wijk (now -> after):")
    lines += [f"  {w['name']} ({w['code']}): {w['current']} -> {w['new']}" for w in s["wijken"]]
    if s["replaces"]:
        lines.append("The figures of this wave will be recalculated"
                     + (f", and the progress towards {len(s['targets'])} target(s): " + "; ".join(s["targets"])
                        if s["targets"] else "."))
    return "\n".join(lines)
