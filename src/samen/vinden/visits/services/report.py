"""The volunteer's side: their list of visits, one visit, and the report of how it went (with the six
De Jong Gierveld answers; a resident who wants contact becomes a signal to social work).

Every read of a resident's data for display goes through policy.visible() and leaves an access-log entry
with purpose *huisbezoek*."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core import accesslog, policy
from samen.core.models import (
    AccessAction,
    Purpose,
    User,
)
from samen.vinden.visits.models import (
    MAX_WISHES,
    Visit,
    VisitStatus,
)
from samen.vinden.visits.services.letters import streets_of
from samen.vinden.visits.workflow import FINAL, WORKFLOW
from samen.weten.scales import DJG6_ITEMS, InvalidAnswer, normalise_answer, score_djg6

ANSWERS = ("ja", "min of meer", "nee")


def my_visits(volunteer: User, *, year: int | None = None, route: str = "") -> list[Visit]:
    """The volunteer's visits of this year: open ones first. Logged as views of the residents shown."""
    year = year or timezone.localdate().year
    visits = list(policy.visible(volunteer, Visit).filter(round__year=year, volunteer=volunteer)
                  .select_related("resident", "round__wijk"))
    visits.sort(key=lambda v: (not v.is_open, v.resident.postcode, v.resident.house_number or 0))
    streets = streets_of(visits)
    for visit in visits:
        visit.street = streets.get((visit.resident.postcode, visit.resident.house_number), "")
    if visits:
        accesslog.record(actor=volunteer, action=AccessAction.VIEW, records=[v.resident for v in visits],
                         purpose=Purpose.HUISBEZOEK, route=route)
    return visits


def get_visit(user: User, pk: int, *, route: str = "") -> Visit:
    """One visit the user may see (Visit.DoesNotExist otherwise), logged as a view."""
    visit = policy.visible(user, Visit).select_related("resident", "round__wijk").get(pk=pk)
    visit.street = streets_of([visit]).get((visit.resident.postcode, visit.resident.house_number), "")
    accesslog.record(actor=user, action=AccessAction.VIEW, records=[visit.resident], purpose=Purpose.HUISBEZOEK,
                     route=route)
    return visit


def clean_answers(answers) -> list[str | None]:
    """Answers to items 3, 4, 7, 8, 9, 10, as a dict {item: answer} or a list of six; '' = not answered."""
    if answers is None:
        answers = {}
    if isinstance(answers, (list, tuple)):
        if len(answers) != len(DJG6_ITEMS):
            raise ValidationError({"answers": [_("Geef zes antwoorden.")]})
        answers = dict(zip(DJG6_ITEMS, answers, strict=True))
    errors, out = {}, []
    for item in DJG6_ITEMS:
        value = answers.get(item, answers.get(str(item), answers.get(f"djg_{item}")))
        if value in (None, ""):
            out.append(None)
            continue
        if str(value).strip().lower() not in ANSWERS:
            errors[f"djg_{item}"] = [_("Kies ja, min of meer of nee.")]
            continue
        try:
            out.append(normalise_answer(str(value).strip().lower(), f"djg_{item}"))
        except InvalidAnswer:
            errors[f"djg_{item}"] = [_("Kies ja, min of meer of nee.")]
    if errors:
        raise ValidationError(errors)
    return out


@dataclass
class ReportResult:
    visit: Visit
    signal_created: bool


@transaction.atomic
def report_visit(volunteer: User, visit_id: int, status: str, *, answers=None, wishes: str = "",
                 wants_contact: bool | None = None, route: str = "") -> ReportResult:
    """Record how a visit went. A visit where the resident wants contact sends a signal to social work."""
    from samen.vinden.services.signals import submit_signal

    if not policy.can(volunteer, "visit.report"):
        raise PermissionDenied(_("U mag geen huisbezoeken melden."))
    visit = policy.visible(volunteer, Visit).select_for_update().select_related("resident", "round").get(pk=visit_id)
    if visit.status in FINAL:
        raise ValidationError({"status": [_("Dit bezoek is al gemeld als '%(status)s'.")
                                          % {"status": visit.get_status_display()}]})
    if status not in (VisitStatus.NOT_HOME, VisitStatus.DECLINED, VisitStatus.VISITED):
        raise ValidationError({"status": [_("Kies niet thuis, wil geen bezoek of bezocht.")]})
    wishes = (wishes or "").strip()
    errors = {}
    if len(wishes) > MAX_WISHES:
        errors["wishes"] = [_("Hoogstens %(n)s tekens.") % {"n": MAX_WISHES}]
    if status != VisitStatus.VISITED and (wants_contact or wishes):  # never dropped silently (issue 14)
        errors["wants_contact" if wants_contact else "wishes"] = [_(
            "Wie niet thuis was of geen bezoek wil, kan geen contactwens of wensen doorgeven. Sprak u de inwoner "
            "wel? Kies dan 'Bezocht'. Maakt u zich zorgen? Geef dan een signaal door.")]
    if status == VisitStatus.VISITED:
        try:
            cleaned = clean_answers(answers)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    WORKFLOW.apply(visit, status, by=volunteer)  # the decision is named after the outcome
    visit.reported_at = timezone.now()
    visit.djg6_total = visit.djg6_emotional = visit.djg6_social = None
    visit.wishes, visit.wants_contact = "", None
    created = False
    if status == VisitStatus.VISITED:
        score = score_djg6(cleaned)
        if score is not None:
            visit.djg6_total, visit.djg6_emotional, visit.djg6_social = score.total, score.emotional, score.social
        visit.wishes, visit.wants_contact = wishes, wants_contact
        if wants_contact and visit.signal_id is None:
            visit.signal = _signal_for(visit, volunteer, submit_signal)
            created = True
    visit.save()
    accesslog.record(actor=volunteer, action=AccessAction.CHANGE, records=[visit.resident],
                     purpose=Purpose.HUISBEZOEK, route=route)
    return ReportResult(visit=visit, signal_created=created)


def _signal_for(visit: Visit, volunteer: User, submit_signal):
    r = visit.resident
    text = _("Huisbezoek 75+: de inwoner wil graag contact met sociaal werk.")
    if visit.wishes:
        text += "\n" + _("Wat de inwoner graag zou willen:") + " " + visit.wishes
    data = {"name": r.name, "postcode": r.postcode, "house_number": r.house_number,
            "house_number_addition": r.house_number_addition, "birth_year": r.birth_year, "age_group": "75+",
            "phone": r.phone, "email": r.email, "observations": ["75_plus"], "description": text[:MAX_WISHES],
            "consent": "yes"}
    return submit_signal(visit.round.gemeente, channel="home_visit", data=data, reporter=volunteer).signal
