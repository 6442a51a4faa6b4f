"""The outcome of a 75+ home visit as one readable table (samen.core.states).

A visit starts ``planned``. The volunteer reports it: not home (it stays open: they try again, and may
report "not home" more than once), the resident does not want a visit, or visited (with the six
De Jong Gierveld answers, wishes and whether the resident wants contact). ``declined`` and ``visited``
are final: a reported outcome is not changed. docs/huisbezoeken.md draws the table; a test keeps the
drawing true."""

from __future__ import annotations

from samen.core.states import Transition, Workflow
from samen.vinden.visits.models import VisitStatus

REPORT = "visit.report"  # asked of policy.can(user, REPORT, visit): a volunteer reaches only their own visits

WORKFLOW = Workflow(
    field="status", states=VisitStatus, initial=VisitStatus.PLANNED,
    transitions=(
        Transition("not_home", VisitStatus.PLANNED, VisitStatus.NOT_HOME, REPORT),
        Transition("declined", VisitStatus.PLANNED, VisitStatus.DECLINED, REPORT),
        Transition("visited", VisitStatus.PLANNED, VisitStatus.VISITED, REPORT),
        Transition("not_home", VisitStatus.NOT_HOME, VisitStatus.NOT_HOME, REPORT),
        Transition("declined", VisitStatus.NOT_HOME, VisitStatus.DECLINED, REPORT),
        Transition("visited", VisitStatus.NOT_HOME, VisitStatus.VISITED, REPORT),
    ),
)
OPEN = tuple(s for s in VisitStatus.values if WORKFLOW.from_state(s))
FINAL = tuple(WORKFLOW.final_states())


def mermaid() -> str:
    return WORKFLOW.mermaid()
