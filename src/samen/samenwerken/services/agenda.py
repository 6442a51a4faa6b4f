"""The action agenda: saving actions, milestones, progress notes and linked indicators (each change
recorded in the history), the status steps, and the progress computed from what is recorded."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core import policy, registry
from samen.samenwerken import progress, workflow
from samen.samenwerken.models import Action, ActionIndicator, Agenda, Bouwsteen, Milestone, ProgressNote
from samen.samenwerken.services import history

MANAGE = "agenda.manage"
ACTION_FIELDS = ("bouwsteen", "title", "what", "goal", "trekker", "uitvoering", "wijk", "starts_on", "ends_on")


def _require(user, obj=None):
    if not policy.can(user, MANAGE, obj):
        raise PermissionDenied(_("U mag de uitvoeringsagenda niet wijzigen."))


def check_action(data: dict, agenda: Agenda) -> None:
    """The Dutch message for each field an action needs or has wrong."""
    errors = {}
    if not data.get("bouwsteen") or data["bouwsteen"] not in Bouwsteen.values:
        errors["bouwsteen"] = _("Kies de bouwsteen waar deze actie onder valt.")
    if not data.get("trekker"):
        errors["trekker"] = _("Vul de trekker in: de organisatie die de actie trekt.")
    elif data["trekker"].gemeente_id != agenda.gemeente_id:
        errors["trekker"] = _("De trekker hoort bij een andere gemeente.")
    if not (data.get("title") or "").strip():
        errors["title"] = _("Geef de actie een naam.")
    for name, label in (("what", _("wat gaan we doen?")), ("goal", _("wat willen we bereiken?")),
                        ("uitvoering", _("de uitvoering"))):
        if not (data.get(name) or "").strip():
            errors[name] = _("Vul %(label)s in.") % {"label": label}
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if not starts:
        errors["starts_on"] = _("Vul in wanneer de actie begint.")
    if not ends:
        errors["ends_on"] = _("Vul in wanneer de actie eindigt.")
    if starts and ends:
        if ends < starts:
            errors["ends_on"] = _("De actie eindigt voordat zij begint.")
        elif starts.year < agenda.start_year or ends.year > agenda.end_year:
            errors["starts_on" if starts.year < agenda.start_year else "ends_on"] = _(
                "De periode valt buiten de agenda (%(start)s-%(end)s).") % {"start": agenda.start_year,
                                                                           "end": agenda.end_year}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_action(user, agenda: Agenda, data: dict, action: Action | None = None, executors=None) -> Action:
    _require(user, agenda)
    if agenda.gemeente_id != user.gemeente_id:
        raise PermissionDenied(_("U mag de uitvoeringsagenda niet wijzigen."))
    check_action(data, agenda)
    if action is not None:
        action = Action.objects.select_for_update().get(pk=action.pk, agenda=agenda)
        outside = action.milestones.exclude(due_on__range=(data["starts_on"], data["ends_on"]))
        if outside.exists():
            raise ValidationError({"starts_on": _("Mijlpaal '%(title)s' valt buiten de nieuwe periode.")
                                   % {"title": outside.first().title}})
    before = {} if action is None else history.snapshot(action, ACTION_FIELDS)
    action = action or Action(agenda=agenda)
    for name in ACTION_FIELDS:
        setattr(action, name, data.get(name))
    action.save()
    if executors is not None:
        action.executors.set(executors)
    changes = history.diff(before, history.snapshot(action, ACTION_FIELDS))
    history.record(user, agenda.gemeente, action, _("Actie aangemaakt") if not before else _("Actie gewijzigd"),
                   changes, action=action)
    return action


def _check_milestone(action: Action, due_on, title) -> None:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Geef de mijlpaal een naam.")
    if not due_on:
        errors["due_on"] = _("Vul de datum van de mijlpaal in.")
    elif not action.starts_on <= due_on <= action.ends_on:
        errors["due_on"] = _("De datum van de mijlpaal valt buiten de periode van de actie (%(start)s tot en met "
                             "%(end)s).") % {"start": action.starts_on.strftime("%d-%m-%Y"),
                                             "end": action.ends_on.strftime("%d-%m-%Y")}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_milestone(user, action: Action, *, due_on, title, description="", reached_on=None,
                   milestone: Milestone | None = None) -> Milestone:
    _require(user, action)
    _check_milestone(action, due_on, title)
    if reached_on and reached_on > timezone.localdate():
        raise ValidationError({"reached_on": _("Een mijlpaal kan niet in de toekomst bereikt zijn.")})
    fields = ("due_on", "title", "description", "reached_on")
    before = {} if milestone is None else history.snapshot(milestone, fields)
    milestone = milestone or Milestone(action=action)
    milestone.due_on, milestone.title, milestone.description, milestone.reached_on = (
        due_on, title.strip(), description, reached_on)
    milestone.save()
    summary = (_("Mijlpaal '%(t)s' toegevoegd") if not before else _("Mijlpaal '%(t)s' gewijzigd")) % {
        "t": milestone.title}
    history.record(user, action.agenda.gemeente, milestone, summary,
                   history.diff(before, history.snapshot(milestone, fields)), action=action)
    return milestone


@transaction.atomic
def add_note(user, action: Action, text: str) -> ProgressNote:
    _require(user, action)
    if not (text or "").strip():
        raise ValidationError({"text": _("Schrijf op wat er is gebeurd.")})
    note = ProgressNote.objects.create(action=action, written_on=timezone.localdate(), text=text.strip(), author=user)
    history.record(user, action.agenda.gemeente, note, _("Voortgang beschreven"), {"text": [None, note.text]},
                   action=action)
    return note


@transaction.atomic
def link_indicator(user, action: Action, *, source: str, code: str, baseline: float, baseline_year: int,
                   target: float, target_year: int) -> ActionIndicator:
    _require(user, action)
    entry = registry.indicator_sources.get(source)
    known = dict(entry.list_fn(action.agenda.gemeente)) if entry else {}
    if code not in known:
        raise ValidationError({"code": _("Kies een indicator die Samen kent.")})
    if baseline == target:
        raise ValidationError({"target": _("De streefwaarde is gelijk aan de nulmeting.")})
    if target_year < baseline_year:
        raise ValidationError({"target_year": _("Het streefjaar ligt voor het jaar van de nulmeting.")})
    for name, value in (("baseline", baseline), ("target", target)):
        if not 0 <= value <= 1:
            raise ValidationError({name: _("Een aandeel ligt tussen 0 en 100%.")})
    link, _created = ActionIndicator.objects.update_or_create(
        action=action, source=source, code=code,
        defaults={"label": str(known[code]), "baseline": baseline, "baseline_year": baseline_year,
                  "target": target, "target_year": target_year})
    history.record(user, action.agenda.gemeente, link, _("Indicator '%(l)s' gekoppeld") % {"l": link.label},
                   {"baseline": [None, baseline], "target": [None, target]}, action=action)
    return link


@transaction.atomic
def step(user, action: Action, name: str, reason: str = "") -> Action:
    action = Action.objects.select_for_update().get(pk=action.pk)
    before = action.status
    workflow.WORKFLOW.apply(action, name, by=user, reason=reason)
    action.status_reason = reason.strip()
    action.save(update_fields=["status", "status_reason"])
    history.record(user, action.agenda.gemeente, action, _("Stand: %(s)s") % {"s": action.get_status_display()},
                   {"status": [before, action.status], "reason": [None, action.status_reason or None]},
                   action=action)
    return action


# --- progress ---------------------------------------------------------------------------------------

@dataclass
class IndicatorReading:
    link: ActionIndicator
    value: float | None
    low: float | None
    high: float | None
    year: int | None
    source: str
    share: float | None
    share_low: float | None
    share_high: float | None


@dataclass
class ActionProgress:
    action: Action
    milestones_reached: int
    milestones_total: int
    milestone_share: float | None
    indicators: list[IndicatorReading] = field(default_factory=list)
    share: float | None = None

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(100 * self.share)


def read_indicator(link: ActionIndicator, user) -> IndicatorReading:
    entry = registry.indicator_sources.get(link.source)
    reading = entry.value_fn(link.action.agenda.gemeente, link.code, user, wijk=link.action.wijk) if entry else None
    reading = reading or {}
    value = reading.get("value")
    result = progress.indicator_progress(value, link.baseline, link.target, (reading.get("low"), reading.get("high")))
    return IndicatorReading(link, value, reading.get("low"), reading.get("high"), reading.get("year"),
                            str(reading.get("source", "")), result.share, result.low, result.high)


def progress_of(action: Action, user) -> ActionProgress:
    milestones = list(action.milestones.all())
    reached = sum(1 for m in milestones if m.reached_on)
    result = ActionProgress(action, reached, len(milestones), progress.milestone_share(reached, len(milestones)))
    result.indicators = [read_indicator(link, user) for link in action.indicators.all()]
    if action.status == workflow.S.AFGEROND:
        result.share = 1.0
    else:
        result.share = progress.combined([result.milestone_share, *[r.share for r in result.indicators]])
    return result


def overview(user, agenda: Agenda) -> dict:
    """The agenda's actions with their progress, grouped per bouwsteen and per wijk."""
    actions = list(agenda.actions.select_related("trekker", "wijk").prefetch_related(
        "milestones", "indicators", "executors"))
    rows = [progress_of(a, user) for a in actions]
    per_bouwsteen = []
    for value, label in Bouwsteen.choices:
        group = [r for r in rows if r.action.bouwsteen == value]
        per_bouwsteen.append({"key": value, "label": label, "rows": group,
                              "share": progress.mean_of([r.share for r in group])})
    wijken = {}
    for r in rows:
        name = r.action.wijk.display_name if r.action.wijk else _("Hele gemeente")
        wijken.setdefault(name, []).append(r)
    per_wijk = [{"label": name, "count": len(group), "share": progress.mean_of([r.share for r in group])}
                for name, group in sorted(wijken.items())]
    return {"agenda": agenda, "per_bouwsteen": per_bouwsteen, "per_wijk": per_wijk, "rows": rows,
            "share": progress.mean_of([r.share for r in rows])}


def current_agenda(user) -> Agenda | None:
    year = timezone.localdate().year
    agendas = policy.visible(user, Agenda)
    return (agendas.filter(start_year__lte=year, end_year__gte=year).first() or agendas.first())


def milestone_due_soon(action: Action, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return action.milestones.filter(reached_on__isnull=True, due_on__lte=today + datetime.timedelta(days=30))
