"""Case consultation in the wijk's care network (casusoverleg): the one write path of ``CaseDiscussion``
and ``CaseAction``, and what members of the network may see of it.

A trajectory goes on the agenda of a network's meeting (network + meeting date). Members of the network
(its partners: ``ZorgnetwerkMember.user``, or partners working in the network's wijk) see a pseudonym
("Inwoner K-37, 75+, Noord-Oost"): stable per trajectory, derived with a keyed hash (HMAC with the
installation's secret key), so a member cannot reverse it to an id or a name. The name is shown only when
the item is marked by name and the resident's current consent ``discuss_by_name`` is yes; marking an item
by name without that consent is refused. Advice and agreed actions (what, who, by when, done) are kept on
the item and show on the trajectory's timeline (``timeline(trajectory)``).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core import accesslog, events, policy
from samen.core.models import AccessAction, Purpose, User
from samen.ondersteunen.models import SHORT_MAX, CaseAction, CaseDiscussion, ConsentPurpose, Trajectory
from samen.ondersteunen.services import consent
from samen.ondersteunen.services.trajectories import notice
from samen.samenwerken.models import Zorgnetwerk

LETTERS = "ABCDEFGHJKLMNPRSTUVWZ"  # no I, O, Q, X, Y: easy to say aloud in a meeting


def pseudonym(trajectory: Trajectory) -> str:
    """"Inwoner K-37, 75+, Noord-Oost": the same for a trajectory at every meeting, not its id."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"casus:{trajectory.pk}".encode(), hashlib.sha256).digest()
    code = f"{LETTERS[digest[0] % len(LETTERS)]}-{10 + int.from_bytes(digest[1:3], 'big') % 90}"
    parts = [_("Inwoner %(code)s") % {"code": code}]
    if trajectory.age_group:
        parts.append(trajectory.age_group)
    if trajectory.wijk_id:
        parts.append(trajectory.wijk.display_name)
    return ", ".join(parts)


def is_member(user, network: Zorgnetwerk) -> bool:
    return (network.members.filter(user=user).exists()
            or (user.wijken.filter(pk=network.wijk_id).exists()))


def can_see_agenda(user, network: Zorgnetwerk) -> bool:
    """Members of the network, and the workers (social work, regisseur) of its wijk or municipality."""
    if not policy.can(user, "casus.view") or network.gemeente_id != user.gemeente_id:
        return False
    return policy.scope(user) == "gemeente" or is_member(user, network)


def _shows_name(user, item: CaseDiscussion, visible_ids: set[int]) -> bool:
    if item.trajectory_id in visible_ids:
        return True  # the worker who may see the trajectory knows the resident already
    return item.by_name and consent.current(item.trajectory.resident_id, ConsentPurpose.DISCUSS_BY_NAME)


def agenda(user, network: Zorgnetwerk, meeting_date: datetime.date, *, route: str = "") -> list[dict]:
    """The items of one meeting as this user may see them: a name or a pseudonym, the question, the advice
    and the actions. Names shown are logged in the access log."""
    if not can_see_agenda(user, network):
        raise PermissionDenied(_("U hoort niet bij dit zorgnetwerk."))
    items = list(CaseDiscussion.objects.filter(network=network, meeting_date=meeting_date)
                 .select_related("trajectory__wijk", "trajectory__resident").prefetch_related("actions__owner"))
    visible_ids = set(policy.visible(user, Trajectory).filter(pk__in=[i.trajectory_id for i in items])
                      .values_list("pk", flat=True)) if policy.can(user, "trajectory.view") else set()
    rows, named = [], []
    for item in items:
        show = _shows_name(user, item, visible_ids) and item.trajectory.resident_id is not None
        if show:
            named.append(item.trajectory.resident)
        rows.append({"item": item, "label": item.trajectory.resident.name if show else pseudonym(item.trajectory),
                     "by_name": show, "trajectory_visible": item.trajectory_id in visible_ids,
                     "actions": list(item.actions.all())})
    if named:
        accesslog.record(actor=user, action=AccessAction.VIEW, records=named, purpose=Purpose.ONDERSTEUNING,
                         route=route or "casusoverleg")
    return rows


def meeting_dates(user, network: Zorgnetwerk) -> list[datetime.date]:
    if not can_see_agenda(user, network):
        return []
    return list(CaseDiscussion.objects.filter(network=network).order_by("meeting_date")
                .values_list("meeting_date", flat=True).distinct())


def next_meeting(user, network: Zorgnetwerk, today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    dates = meeting_dates(user, network)
    upcoming = [d for d in dates if d >= today]
    return upcoming[0] if upcoming else (dates[-1] if dates else today)


def _require_manage(by, trajectory: Trajectory | None = None) -> None:
    if not policy.can(by, "casus.manage"):
        raise PermissionDenied(_("U mag de agenda van het casusoverleg niet aanpassen."))
    if trajectory is not None and not policy.visible(by, Trajectory).filter(pk=trajectory.pk).exists():
        raise PermissionDenied(_("U mag dit traject niet inbrengen."))


@transaction.atomic
def add(by, *, network: Zorgnetwerk, meeting_date: datetime.date | None, trajectory: Trajectory | None,
        question: str, by_name: bool = False) -> CaseDiscussion:
    """Put a trajectory on a meeting's agenda. Refusals say why in Dutch; nothing is stored then."""
    errors = {}
    question = (question or "").strip()
    if trajectory is None:
        errors["trajectory"] = [_("Kies het traject dat u wilt inbrengen.")]
    if meeting_date is None:
        errors["meeting_date"] = [_("Kies de datum van het overleg.")]
    elif meeting_date < timezone.localdate():
        errors["meeting_date"] = [_("Kies een overleg vandaag of later.")]
    if not question:
        errors["question"] = [_("Schrijf de vraag aan het netwerk op.")]
    if errors:
        raise ValidationError(errors)
    _require_manage(by, trajectory)
    if network.gemeente_id != trajectory.gemeente_id:
        raise ValidationError({"network": [_("Kies een zorgnetwerk van de gemeente van dit traject.")]})
    if not trajectory.is_open:
        raise ValidationError({"trajectory": [_("Een afgesloten traject komt niet meer op de agenda.")]})
    if by_name:
        consent.require(trajectory.resident_id, ConsentPurpose.DISCUSS_BY_NAME, field="by_name")
    try:
        with transaction.atomic():
            item = CaseDiscussion.objects.create(gemeente_id=trajectory.gemeente_id, network=network,
                                                 meeting_date=meeting_date, trajectory=trajectory, by_name=by_name,
                                                 question=question[:2000], added_by=by)
    except IntegrityError:
        raise ValidationError({"trajectory": [_("Dit traject staat al op de agenda van dit overleg.")]}) from None
    notice(trajectory, by, _("Op de agenda van het casusoverleg"), case_discussion=item.pk,
           network=network.pk, meeting_date=meeting_date.isoformat())
    return item


def _owner_ok(owner: User | None, item: CaseDiscussion) -> bool:
    return owner is not None and owner.is_active and owner.gemeente_id == item.gemeente_id


@transaction.atomic
def record(by, pk: int, *, advice: str, actions: list[dict] = ()) -> CaseDiscussion:
    """Record the network's advice and the agreed actions ({description, owner, due_on}) on an item."""
    item = CaseDiscussion.objects.select_for_update().select_related("trajectory").get(pk=pk)
    _require_manage(by, item.trajectory)
    advice = (advice or "").strip()
    cleaned = []
    errors: dict[str, list] = {}
    for action in actions:
        description = (action.get("description") or "").strip()
        if not description and not action.get("owner") and not action.get("due_on"):
            continue  # an empty row of the form
        if not description:
            errors.setdefault("description", []).append(_("Schrijf op wat is afgesproken."))
        if not _owner_ok(action.get("owner"), item):
            errors.setdefault("owner", []).append(_("Kies wie de afspraak uitvoert."))
        if action.get("due_on") is None:
            errors.setdefault("due_on", []).append(_("Kies uiterlijk wanneer het gebeurt."))
        cleaned.append({"description": description[:SHORT_MAX], "owner": action.get("owner"),
                        "due_on": action.get("due_on")})
    if not advice and not cleaned:
        errors.setdefault("advice", []).append(_("Schrijf het advies of een afspraak op."))
    if errors:
        raise ValidationError(errors)
    if advice:
        item.advice = advice[:2000]
    item.discussed_at = item.discussed_at or timezone.now()
    item.save(update_fields=["advice", "discussed_at"])
    for action in cleaned:
        CaseAction.objects.create(discussion=item, **action)
    notice(item.trajectory, by, _("Besproken in het casusoverleg"), case_discussion=item.pk,
           actions=len(cleaned))
    return item


@transaction.atomic
def complete(by, pk: int) -> CaseAction:
    """Mark an action done: its owner, or whoever manages the agenda."""
    action = CaseAction.objects.select_for_update().select_related("discussion__trajectory").get(pk=pk)
    if action.owner_id != getattr(by, "pk", None):
        _require_manage(by, action.discussion.trajectory)
    if action.done_at is None:
        action.done_at = timezone.now()
        action.save(update_fields=["done_at"])
    return action


def due_actions(user, today: datetime.date | None = None):
    """The user's own open action points, due within a week (for the home page)."""
    today = today or timezone.localdate()
    return (CaseAction.objects.filter(owner=user, done_at__isnull=True, due_on__lte=today + datetime.timedelta(7))
            .select_related("discussion__network").order_by("due_on"))


def timeline(trajectory: Trajectory) -> list[dict]:
    """For the trajectory's timeline (the traject part includes ``ondersteunen/reports/_casus_timeline.html``):
    each time it was on a meeting's agenda, with the question, the advice and the actions."""
    rows = []
    for item in trajectory.case_discussions.select_related("network").prefetch_related("actions__owner"):
        rows.append({"at": item.discussed_at or item.created_at, "meeting_date": item.meeting_date,
                     "network": item.network, "question": item.question, "advice": item.advice,
                     "by_name": item.by_name, "actions": list(item.actions.all())})
    return rows


def meeting_context(meeting_network, meeting_date: datetime.date, user, *, route: str = "") -> dict | None:
    """For samenwerken's meeting page (``registry.meeting_section`` after the merge): the casusoverleg items
    of this network's meeting, as ``user`` may see them; None when there are none or the user may not."""
    if not can_see_agenda(user, meeting_network):
        return None
    rows = agenda(user, meeting_network, meeting_date, route=route)
    return {"network": meeting_network, "meeting_date": meeting_date, "rows": rows} if rows else None


@events.subscribe("consent.changed")
def _consent_withdrawn(event, *, resident_id, purpose, given, **payload):
    """A withdrawn ``discuss_by_name`` makes the coming items of this resident pseudonymous again."""
    if purpose != ConsentPurpose.DISCUSS_BY_NAME or given:
        return
    CaseDiscussion.objects.filter(trajectory__resident_id=resident_id, by_name=True,
                                  meeting_date__gte=timezone.localdate()).update(by_name=False)


def networks_for(user):
    """The networks whose agenda this user may open."""
    networks = Zorgnetwerk.objects.filter(gemeente_id=user.gemeente_id).select_related("wijk").order_by("name")
    if policy.scope(user) == "gemeente":
        return networks
    return networks.filter(Q(members__user=user) | Q(wijk__in=user.wijken.all())).distinct()
