"""Network meetings: planning one, writing its minutes, decisions and attendance, its action points
(owner, due date, done), and the action points due for a user's home page."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core import policy
from samen.samenwerken.models import ActionPoint, Meeting, Zorgnetwerk
from samen.samenwerken.services import history

MANAGE = "meeting.manage"


def _require(user, obj=None):
    if not policy.can(user, MANAGE, obj):
        raise PermissionDenied(_("U mag de bijeenkomsten van dit netwerk niet wijzigen."))


@transaction.atomic
def plan_meeting(user, network: Zorgnetwerk, *, date, place: str, agenda: str = "") -> Meeting:
    _require(user, network)
    errors = {}
    if not date:
        errors["date"] = _("Vul de datum van de bijeenkomst in.")
    elif date < timezone.localdate():
        errors["date"] = _("Een nieuwe bijeenkomst met een agenda ligt niet in het verleden: kies een datum "
                           "vanaf vandaag.")
    if not (place or "").strip():
        errors["place"] = _("Vul de plaats van de bijeenkomst in.")
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(network=network, date=date, place=place.strip(), agenda=agenda,
                                     created_by=user)
    history.record(user, network.gemeente, meeting, _("Bijeenkomst gepland"), {"date": [None, date.isoformat()]})
    return meeting


@transaction.atomic
def record_meeting(user, meeting: Meeting, *, minutes: str, decisions: str, attendees) -> Meeting:
    _require(user, meeting)
    if any(member.network_id != meeting.network_id for member in attendees):
        raise ValidationError({"attendees": _("Alleen deelnemers van dit netwerk kunnen aanwezig zijn.")})
    before = {"minutes": meeting.minutes, "decisions": meeting.decisions}
    meeting.minutes, meeting.decisions = minutes, decisions
    meeting.save(update_fields=["minutes", "decisions"])
    meeting.attendees.set(attendees)
    history.record(user, meeting.network.gemeente, meeting, _("Verslag bijgewerkt"),
                   history.diff(before, {"minutes": minutes, "decisions": decisions}))
    return meeting


@transaction.atomic
def add_action_point(user, meeting: Meeting, *, title: str, owner, due_on) -> ActionPoint:
    _require(user, meeting)
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Schrijf op wat er moet gebeuren.")
    if not due_on:
        errors["due_on"] = _("Vul in wanneer het actiepunt klaar moet zijn.")
    if owner is not None and owner.gemeente_id != meeting.network.gemeente_id:
        errors["owner"] = _("De eigenaar hoort bij een andere gemeente.")
    if errors:
        raise ValidationError(errors)
    point = ActionPoint.objects.create(meeting=meeting, title=title.strip(), owner=owner, due_on=due_on)
    history.record(user, meeting.network.gemeente, point, _("Actiepunt toegevoegd"), {"title": [None, point.title]})
    return point


@transaction.atomic
def mark_done(user, point: ActionPoint) -> ActionPoint:
    """The owner or who manages the meetings marks an action point done."""
    if not (point.owner_id == user.pk or policy.can(user, MANAGE, point.meeting)):
        raise PermissionDenied(_("U mag dit actiepunt niet afronden."))
    point.done_on = timezone.localdate()
    point.save(update_fields=["done_on"])
    history.record(user, point.meeting.network.gemeente, point, _("Actiepunt afgerond"),
                   {"done_on": [None, point.done_on.isoformat()]})
    return point


def due_for(user, within_days: int = 14):
    """The user's open action points due within two weeks (or overdue), for the home page."""
    until = timezone.localdate() + datetime.timedelta(days=within_days)
    return (policy.visible(user, ActionPoint).filter(owner=user, done_on__isnull=True, due_on__lte=until)
            .select_related("meeting__network").order_by("due_on"))
