"""The status of an agenda action as one readable table (samen.core.states).

An action is created ``gepland``; it starts (``loopt``), is finished (``afgerond``) or is stopped
(``gestopt``, always with a reason). docs/samenwerken.md draws the table; a test keeps the drawing true."""

from __future__ import annotations

from samen.core.states import Transition, Workflow
from samen.samenwerken.models import ActionStatus as S

MANAGE = "agenda.manage"

WORKFLOW = Workflow(
    field="status", states=S, initial=S.GEPLAND,
    transitions=(
        Transition("start", S.GEPLAND, S.LOOPT, MANAGE, label="Starten"),
        Transition("finish", S.LOOPT, S.AFGEROND, MANAGE, label="Afronden"),
        Transition("stop", S.GEPLAND, S.GESTOPT, MANAGE, ("reason",), label="Stoppen"),
        Transition("stop", S.LOOPT, S.GESTOPT, MANAGE, ("reason",), label="Stoppen"),
    ),
)


def mermaid() -> str:
    return WORKFLOW.mermaid()
