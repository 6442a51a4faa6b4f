"""The five-pillar self-assessment: proposed answers from what Samen already knows (with the evidence),
the answers kept per year, and the comparison with the national shares of the benchmark and - where
several municipalities use the installation and agreed - with them (aggregates only above a small-cell
threshold)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from samen.core import policy, registry
from samen.samenwerken import benchmark
from samen.samenwerken.models import BudgetLine, SelfAssessment, SelfAssessmentAnswer, Zorgnetwerk
from samen.samenwerken.services import history

MANAGE = "agenda.manage"
MIN_GEMEENTEN = 5  # the picture across municipalities only from this many answers on


def _structural_budget(gemeente, year):
    lines = BudgetLine.objects.filter(action__agenda__gemeente=gemeente)
    last = lines.order_by("-year").values_list("year", flat=True).first()
    if last is None:
        return None
    years = sorted(set(lines.values_list("year", flat=True)))
    if last >= 2030 and len(years) >= 3:
        return "ja", _("Budgetregels in de uitvoeringsagenda voor %(first)s tot en met %(last)s.") % {
            "first": years[0], "last": last}
    return "deels", _("Budgetregels tot en met %(last)s.") % {"last": last}


def _network(gemeente, year):
    networks = Zorgnetwerk.objects.filter(gemeente=gemeente).annotate(n=Count("members__organisation", distinct=True))
    city = networks.filter(kind=Zorgnetwerk.Kind.STAD).first()
    wijk = networks.filter(kind=Zorgnetwerk.Kind.WIJK).count()
    if city is None and not wijk:
        return None
    parts = []
    if city is not None:
        parts.append(_("%(name)s met %(n)s deelnemende organisaties") % {"name": city.name, "n": city.n})
    if wijk:
        parts.append(_("%(n)s zorgnetwerken in de wijken") % {"n": wijk})
    return ("ja" if city is not None else "deels"), "; ".join(parts) + "."


OWN_EVIDENCE = {"structural_budget": _structural_budget, "coalition": _network}


def proposals(gemeente, year: int) -> dict[str, tuple[str, str]]:
    """For each question Samen can answer: (answer, evidence text)."""
    out = {}
    for key, fn in OWN_EVIDENCE.items():
        found = fn(gemeente, year)
        if found:
            out[key] = found
    for entry in registry.evidence_sources:
        found = entry.fn(gemeente, year)
        if found and entry.question in benchmark.QUESTION_KEYS:
            out[entry.question] = found
    return out


def for_year(user, year: int) -> SelfAssessment | None:
    return policy.visible(user, SelfAssessment).filter(year=year).prefetch_related("answers").first()


@transaction.atomic
def save(user, year: int, answers: dict[str, dict], *, share_with_others: bool = False) -> SelfAssessment:
    """``answers``: question key -> {"answer": ja/deels/nee, "note": ...}. Every question needs an answer."""
    if not policy.can(user, MANAGE):
        raise PermissionDenied(_("U mag de zelfevaluatie niet invullen."))
    errors = {}
    for q in benchmark.QUESTIONS:
        given = answers.get(q.key) or {}
        if given.get("answer") not in SelfAssessmentAnswer.Answer.values:
            errors[q.key] = _("Beantwoord de vraag '%(q)s'.") % {"q": q.text}
    if errors:
        raise ValidationError(errors)
    assessment, _created = SelfAssessment.objects.get_or_create(gemeente_id=user.gemeente_id, year=year)
    assessment.share_with_others = share_with_others
    assessment.updated_by = user
    assessment.save()
    found = proposals(assessment.gemeente, year)
    changes = {}
    for q in benchmark.QUESTIONS:
        given = answers[q.key]
        old = assessment.answers.filter(question=q.key).values_list("answer", flat=True).first()
        SelfAssessmentAnswer.objects.update_or_create(
            assessment=assessment, question=q.key,
            defaults={"answer": given["answer"], "note": given.get("note", ""),
                      "evidence": found.get(q.key, ("", ""))[1]})
        if old != given["answer"]:
            changes[q.key] = [old, given["answer"]]
    history.record(user, assessment.gemeente, assessment, _("Zelfevaluatie %(y)s opgeslagen") % {"y": year}, changes)
    return assessment


def comparison(assessment: SelfAssessment | None, year: int) -> list[dict]:
    """Per question: our answer, the national share, and the share of 'ja' across the municipalities of this
    installation that agreed to share (None below MIN_GEMEENTEN answers)."""
    ours = {a.question: a for a in assessment.answers.all()} if assessment else {}
    shared = (SelfAssessmentAnswer.objects.filter(assessment__year=year, assessment__share_with_others=True)
              .values("question").annotate(n=Count("pk"), yes=Count("pk", filter=Q(answer="ja"))))
    across = {row["question"]: row for row in shared}
    rows = []
    for q in benchmark.QUESTIONS:
        row = across.get(q.key)
        installation = (row["yes"] / row["n"]) if row and row["n"] >= MIN_GEMEENTEN else None
        rows.append({"question": q, "pillar": benchmark.PILLARS[q.pillar], "answer": ours.get(q.key),
                     "national": q.national_share, "installation": installation,
                     "installation_n": row["n"] if row and row["n"] >= MIN_GEMEENTEN else None})
    return rows
