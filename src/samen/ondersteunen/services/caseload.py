"""The caseload: "Mijn inwoners" of the social worker, the regisseur's oversight per worker and per wijk, and
the searchable trajectory list. Read-only; every row is a trajectory the user may see (``policy.visible``).
The callers log what they show (``trajectories.log_read``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from samen.core import policy
from samen.core.models import User, Wijk
from samen.ondersteunen import workflow
from samen.ondersteunen.models import CheckIn, Referral, SupportSettings, Trajectory
from samen.ondersteunen.services import trajectories as trajectory_service
from samen.ondersteunen.workflow import CheckInStatus, ReferralStatus, TrajectoryStatus

OPEN = workflow.TRAJECTORY_OPEN


def _visible(user) -> models.QuerySet:
    return policy.visible(user, Trajectory).select_related("resident", "wijk", "worker")


def _no_contact_limit(days: int, today: datetime.date) -> datetime.datetime:
    """No contact since before this moment (the start of the day ``days`` before today) counts as none."""
    return timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time()))


def _no_contact_since(days: int, today: datetime.date) -> models.Q:
    limit = _no_contact_limit(days, today)
    return (models.Q(last_contact_at__lt=limit)
            | models.Q(last_contact_at__isnull=True, started_at__lt=limit))


def my_residents(user, today: datetime.date | None = None) -> dict:
    """The social worker's own open trajectories in four lists (a trajectory may be in more than one)."""
    today = today or timezone.localdate()
    mine = policy.visible(user, Trajectory).select_related("resident", "wijk").filter(worker=user, status__in=OPEN)
    no_contact = SupportSettings.for_gemeente(user.gemeente_id).no_contact_days if user.gemeente_id else 30
    # The open trajectories are read once (a worker has a few dozen); the lists that need something are cut
    # from them here, with the same rules as the database filters (the rule of _no_contact_since in Python),
    # and the referrals and check-ins are asked by those ids (not by the visibility query again).
    open_ = list(mine.order_by("first_contact_due", "-started_at", "-pk"))
    for t in open_:
        t.worker = user  # all the user's own: not joined in again
    ids = [t.pk for t in open_]
    newest_first = sorted(open_, key=lambda t: (t.started_at, t.pk), reverse=True)  # the model's own order
    by_id = {t.pk: t for t in open_}
    referrals = Referral.objects.filter(trajectory_id__in=ids).select_related("activity", "intervention",
                                                                               "organisation")
    # Waiting for the provider (those the provider did not answer in time came back: returned_at is set).
    waiting = referrals.filter(status=ReferralStatus.AANGEMELD)
    answered = referrals.filter(answered_at__gte=timezone.now() - datetime.timedelta(days=14)).order_by("-answered_at")
    aftercare = CheckIn.objects.filter(trajectory_id__in=ids, status=CheckInStatus.GEPLAND, due_on__lte=today) \
        .order_by("due_on")
    limit = _no_contact_limit(no_contact, today)
    return {
        "due_today": [t for t in newest_first if t.status == TrajectoryStatus.AANGEMELD and t.first_contact_at is None
                      and t.first_contact_due == today],
        "overdue": [t for t in open_ if trajectory_service.first_contact_overdue(t, today)],
        "waiting": _with_trajectory(waiting.order_by("sent_at"), by_id),
        "answered": _with_trajectory(answered, by_id),
        "aftercare": _with_trajectory(aftercare, by_id),
        "open": open_,
        "no_contact": [t for t in newest_first if (t.last_contact_at or t.started_at) < limit],
        "no_contact_days": no_contact,
    }


def _with_trajectory(rows, trajectories: dict) -> list:
    """The rows, each with its trajectory (and resident) from those already read, not joined in again."""
    rows = list(rows)
    for row in rows:
        row.trajectory = trajectories[row.trajectory_id]
    return rows


def counts(user, today: datetime.date | None = None) -> dict:
    """The home panel's figures for the social worker (or the regisseur's own trajectories)."""
    lists = my_residents(user, today)
    return {key: len(lists[key]) for key in ("open", "due_today", "overdue", "waiting", "aftercare")}


@dataclass
class Row:
    label: str
    open: int = 0
    overdue: int = 0
    no_contact: int = 0
    worker_id: int | None = None
    wijk_code: str = ""

    @property
    def over_max(self) -> bool:
        return self.max is not None and self.open > self.max

    max: int | None = None


def oversight(user, today: datetime.date | None = None) -> dict:
    """The regisseur's figures per worker and per wijk: open, first contact overdue, without contact for the
    municipality's number of days, and the caseload against its maximum."""
    today = today or timezone.localdate()
    settings = SupportSettings.for_gemeente(user.gemeente_id)
    open_ = policy.visible(user, Trajectory).filter(status__in=OPEN)
    overdue_q = models.Q(status=TrajectoryStatus.AANGEMELD, first_contact_at__isnull=True, first_contact_due__lt=today)
    no_contact_q = _no_contact_since(settings.no_contact_days, today)
    aggregates = {"n_open": models.Count("id"), "n_overdue": models.Count("id", filter=overdue_q),
                  "n_no_contact": models.Count("id", filter=no_contact_q)}
    per_worker = {r["worker"]: r for r in open_.values("worker").annotate(**aggregates)}
    workers = []
    for worker in policy.holders(user.gemeente_id, workflow.WORK).filter(role__in=_worker_roles()).order_by(
            "last_name", "first_name", "username"):
        figures = per_worker.get(worker.pk, {})
        workers.append(Row(worker.get_full_name() or worker.get_username(), figures.get("n_open", 0),
                           figures.get("n_overdue", 0), figures.get("n_no_contact", 0), worker_id=worker.pk,
                           max=settings.caseload_max))
    per_wijk = {r["wijk"]: r for r in open_.values("wijk").annotate(**aggregates)}
    wijken = []
    for wijk in Wijk.objects.filter(gemeente=user.gemeente_id).order_by("code"):
        figures = per_wijk.get(wijk.pk, {})
        wijken.append(Row(wijk.display_name, figures.get("n_open", 0), figures.get("n_overdue", 0),
                          figures.get("n_no_contact", 0), wijk_code=wijk.code))
    if None in per_wijk:
        figures = per_wijk[None]
        wijken.append(Row("—", figures["n_open"], figures["n_overdue"], figures["n_no_contact"]))
    return {"workers": workers, "wijken": wijken, "caseload_max": settings.caseload_max,
            "no_contact_days": settings.no_contact_days}


def _worker_roles():
    from samen.core.roles import Role

    return [Role.SOCIAAL_WERKER, Role.REGISSEUR]


FILTERS = ("q", "postcode", "wijk", "stand", "kanaal", "van", "tot", "werker")


def search(user, params) -> models.QuerySet:
    """The trajectories the user may see, filtered on the server: name, postcode, wijk, status, channel,
    start date (from / to) and worker. Unknown values filter nothing out silently: they give no rows."""
    trajectories = _visible(user)
    q = (params.get("q") or "").strip()
    if q:
        trajectories = trajectories.filter(models.Q(resident__name__icontains=q) | models.Q(pk=int(q) if q.isdigit()
                                                                                           else -1))
    postcode = (params.get("postcode") or "").replace(" ", "").upper()
    if postcode:
        trajectories = trajectories.filter(resident__postcode__startswith=postcode)
    wijk = params.get("wijk") or ""
    if wijk:
        trajectories = trajectories.filter(wijk__code=wijk)
    status = params.get("stand") or ""
    if status == "open":
        trajectories = trajectories.filter(status__in=OPEN)
    elif status:
        trajectories = trajectories.filter(status=status)
    channel = params.get("kanaal") or ""
    if channel:
        trajectories = trajectories.filter(channel=channel)
    for key, lookup in (("van", "started_at__date__gte"), ("tot", "started_at__date__lte")):
        value = _date(params.get(key))
        if value:
            trajectories = trajectories.filter(**{lookup: value})
    worker = params.get("werker") or ""
    if worker.isdigit():
        trajectories = trajectories.filter(worker_id=int(worker))
    return trajectories.order_by("-started_at", "-id")


def _date(value) -> datetime.date | None:
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def workers_of(user) -> models.QuerySet[User]:
    return policy.holders(user.gemeente_id, workflow.WORK).filter(role__in=_worker_roles()).order_by(
        "last_name", "first_name", "username")


# --- sections on other blocks' pages and the reporter's stage -----------------------------------------------------
def for_signal(user, signal) -> dict | None:
    """The signal page: how to reach the resident (what the reporter gave, and the record's phone and e-mail)
    and links to the resident and the trajectory."""
    from samen.ondersteunen.services import trajectories

    trajectory = policy.visible(user, Trajectory).filter(signal=signal).first()
    resident = signal.resident
    if trajectory is None and resident is None and not signal.reported_contact:
        return None
    if trajectory is not None:
        trajectories.log_read(user, [trajectory], route="vinden:signal_detail")
    reported = [{"label": _contact_label(name), "value": value} for name, value in
                (signal.reported_contact or {}).items() if value not in (None, "")]
    return {"trajectory": trajectory, "resident": resident, "reported": reported,
            "resident_visible": resident is not None and policy.can(user, "resident.view", resident)}


def _contact_label(name: str) -> str:
    from samen.core.models import Resident

    try:
        return str(Resident._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a key the reporter form knows but the record does not
        return name


def for_resident(user, resident) -> dict:
    """The resident page: their signals, trajectories and referrals on one timeline (no content of a
    signal or a trajectory: what, when, which stage)."""
    from django.utils.translation import gettext as _

    from samen.ondersteunen.services import trajectories
    from samen.vinden.models import Signal

    rows = []
    signals = policy.visible(user, Signal).filter(resident=resident) if policy.can(user, "signal.view") else []
    for signal in signals:
        rows.append({"at": signal.created_at, "kind": _("Signaal"),
                     "text": f"{signal.get_channel_display()} · {signal.get_status_display()}",
                     "url": ("vinden:signal_detail", signal.pk)})
    own = list(policy.visible(user, Trajectory).filter(resident=resident).select_related("worker"))
    trajectories.log_read(user, own, route="core:resident_detail")
    for trajectory in own:
        rows.append({"at": trajectory.started_at, "kind": _("Traject"),
                     "text": _("%(status)s · sociaal werker %(worker)s") % {
                         "status": trajectory.get_status_display(),
                         "worker": trajectory.worker.get_full_name() if trajectory.worker else "—"},
                     "url": ("ondersteunen:trajectory_detail", trajectory.pk)})
    if policy.can(user, "referral.view"):
        for referral in policy.visible(user, Referral).filter(trajectory__in=own).select_related(
                "activity", "intervention", "organisation"):
            rows.append({"at": referral.created_at, "kind": _("Verwijzing"),
                         "text": f"{referral.target_label} · {referral.get_status_display()}",
                         "url": ("ondersteunen:trajectory_detail", referral.trajectory_id)})
    rows.sort(key=lambda row: row["at"], reverse=True)
    can_start = (policy.can(user, workflow.WORK)
                 and not any(t.status in OPEN for t in own)
                 and not Trajectory.objects.filter(resident=resident, status__in=OPEN).exists())
    return {"rows": rows, "resident": resident, "can_start": can_start}


def reporter_stages(signal_ids) -> dict:
    """{signal id: stage} from the trajectory each signal started: the stage only, never the content."""
    stages = Trajectory.objects.filter(signal_id__in=list(signal_ids)).values_list("signal_id", "status")
    return {signal_id: str(workflow.REPORTER_STAGE[status]) for signal_id, status in stages}
