"""How far the year's 75+ home visits are, per wijk (counts only, small counts protected), and the overdue
visits."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core import accesslog, disclosure, policy
from samen.core.models import (
    AccessAction,
    Gemeente,
    Purpose,
    User,
    Wijk,
)
from samen.vinden.visits.models import (
    RegisterEntry,
    Visit,
    VisitRound,
    VisitStatus,
)
from samen.vinden.visits.workflow import OPEN

COVERAGE_COUNTS = ("residents", "visited", "declined", "open", "overdue", "not_in_round")


def coverage(user: User, gemeente: Gemeente, year: int, *, today: datetime.date | None = None) -> dict:
    """Per wijk: residents of 75+ in the register, visits per outcome, open and overdue, and the totals. Counts
    only. Who may not see the visits themselves (the beleidsadviseur) gets small counts hidden (None), with
    the cells that would give them back (core.disclosure): residents = visited + declined + open + not in a
    round, in every wijk and in the totals."""
    if not policy.can(user, "visit.stats") or gemeente.pk != user.gemeente_id:
        raise PermissionDenied(_("U mag de voortgang van de huisbezoeken niet zien."))
    today = today or timezone.localdate()
    register = dict(RegisterEntry.objects.filter(gemeente=gemeente, active=True)
                    .values_list("resident__buurt__wijk").annotate(n=Count("pk")))
    visits = Visit.objects.filter(round__gemeente=gemeente, round__year=year, resident__register_entry__active=True)
    counts = {}
    for row in visits.values("round__wijk").annotate(
            visited=Count("pk", filter=Q(status=VisitStatus.VISITED)),
            declined=Count("pk", filter=Q(status=VisitStatus.DECLINED)),
            open=Count("pk", filter=Q(status__in=OPEN)),
            overdue=Count("pk", filter=Q(status__in=OPEN, round__ends_on__lt=today)),
            in_round=Count("pk")):
        counts[row.pop("round__wijk")] = row
    rounds = {r.wijk_id: r for r in VisitRound.objects.filter(gemeente=gemeente, year=year)}
    rows = []
    for wijk in Wijk.objects.filter(gemeente=gemeente).order_by("code"):
        total = register.get(wijk.pk, 0)
        c = counts.get(wijk.pk, {"visited": 0, "declined": 0, "open": 0, "overdue": 0, "in_round": 0})
        in_round = c.pop("in_round")
        rows.append({"wijk": wijk, "round": rounds.get(wijk.pk), "residents": total, **c,
                     "not_in_round": max(total - in_round, 0)})
    totals = {key: sum(r[key] for r in rows) for key in COVERAGE_COUNTS}
    protected = not policy.can(user, "visit.view")
    if protected:
        rows, totals = disclosure.protect(rows, COVERAGE_COUNTS, whole="residents",
                                          parts=("visited", "declined", "open", "not_in_round"))
    for row in (*rows, totals):
        row["share"] = (round(100 * row["visited"] / row["residents"])
                        if row["visited"] is not None and row["residents"] else None)
    return {"rows": rows, "totals": totals, "protected": protected}


def overdue_visits(user: User, gemeente: Gemeente, year: int, *, today: datetime.date | None = None,
                   route: str = "") -> list[Visit]:
    """The overdue visits the user may see by name (none for a role without visit.view), logged as views."""
    today = today or timezone.localdate()
    visits = list(policy.visible(user, Visit).filter(round__gemeente=gemeente, round__year=year, status__in=OPEN,
                                                     round__ends_on__lt=today)
                  .select_related("resident", "round__wijk", "volunteer"))
    if visits:
        accesslog.record(actor=user, action=AccessAction.VIEW, records=[v.resident for v in visits],
                         purpose=Purpose.HUISBEZOEK, route=route)
    return visits
