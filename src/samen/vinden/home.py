"""What vinden shows on a user's home page (registered in ``blocks.py``): the open signals of the user's
network, the regisseur's central queue, the volunteer's open visits, and what is due today. Reads only,
always through the policy; the volunteer's visit list is logged as the visit list is."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from samen.core import policy
from samen.vinden import workflow
from samen.vinden.models import Signal
from samen.vinden.workflow import Status

SHOWN = 5  # rows a panel lists before "all of them" takes over


def _open_signals(user):
    return policy.visible(user, Signal).filter(status__in=workflow.OPEN)


def signals_panel(user) -> dict:
    """The open signals the user sees (a partner: those of the network's wijken), the most urgent first."""
    from samen.vinden.services.signals import is_look_again_due, is_overdue, open_counts

    today = timezone.localdate()
    urgent = _open_signals(user).select_related("wijk").order_by("triage_deadline", "pk")[:SHOWN]
    return {**open_counts(user),
            "rows": [{"signal": s, "overdue": is_overdue(s, today),
                      "look_again": is_look_again_due(s, today)} for s in urgent]}


def central_queue_panel(user) -> dict:
    """The regisseur's queue of signals without a wijk: how many, how many past their triage date."""
    queue = _open_signals(user).filter(wijk__isnull=True)
    return {"count": queue.count(),
            "overdue": queue.filter(status=Status.NEW, triage_deadline__lt=timezone.localdate()).count()}


def signals_today(user) -> list[dict]:
    from samen.vinden.services.signals import look_again_due

    today = timezone.localdate()
    waiting = _open_signals(user).filter(status=Status.NEW)
    url = reverse("vinden:signal_list")
    lines = []
    overdue = waiting.filter(triage_deadline__lt=today).count()
    if overdue:
        lines.append({"text": ngettext("%(n)s signaal is te laat voor triage",
                                       "%(n)s signalen zijn te laat voor triage", overdue) % {"n": overdue},
                      "url": url})
    due = waiting.filter(triage_deadline=today).count()
    if due:
        lines.append({"text": ngettext("%(n)s signaal moet vandaag getriageerd worden",
                                       "%(n)s signalen moeten vandaag getriageerd worden", due) % {"n": due},
                      "url": url})
    again = look_again_due(_open_signals(user), today).count()
    if again:
        lines.append({"text": ngettext("%(n)s signaal met maatwerk opnieuw bekijken",
                                       "%(n)s signalen met maatwerk opnieuw bekijken", again) % {"n": again},
                      "url": url})
    return lines


def central_queue_today(user) -> list[dict]:
    count = central_queue_panel(user)["count"]
    if not count:
        return []
    return [{"text": ngettext("%(n)s signaal in de centrale wachtrij wacht op een wijk",
                              "%(n)s signalen in de centrale wachtrij wachten op een wijk", count) % {"n": count},
             "url": reverse("vinden:central_queue")}]


def visits_panel(user, route: str = "core:home") -> dict | None:
    """The volunteer's open visits of this year (names and streets, so logged as views)."""
    from samen.vinden.visits.services.report import my_visits

    open_visits = [v for v in my_visits(user, route=route) if v.is_open]
    return {"count": len(open_visits), "rows": open_visits[:SHOWN]}


def visits_today(user) -> list[dict]:
    from samen.vinden.visits.models import Visit, VisitStatus

    today = timezone.localdate()
    open_statuses = (VisitStatus.PLANNED, VisitStatus.NOT_HOME)
    running = (policy.visible(user, Visit).filter(volunteer=user, status__in=open_statuses,
                                                 round__starts_on__lte=today, round__ends_on__gte=today)
               .order_by("round__ends_on"))
    count = running.count()
    if not count:
        return []
    ends = running.first().round.ends_on
    return [{"text": ngettext("%(n)s huisbezoek nog te doen (de ronde loopt tot %(date)s)",
                              "%(n)s huisbezoeken nog te doen (de ronde loopt tot %(date)s)", count)
             % {"n": count, "date": ends.strftime("%d-%m-%Y")}, "url": reverse("visits:visit_list")}]


