"""The signal's state machine as one readable table: each transition with the roles that may make it
and whether a reason is required. docs/vinden.md draws it; a test keeps the drawing true."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from samen.core.roles import Role


class Status(models.TextChoices):
    NEW = "new", _("nieuw, wacht op triage")
    MAATWERK = "maatwerk", _("partner doet eerst maatwerk")
    ASSIGNED = "assigned", _("opgepakt door sociaal werk")
    FORWARDED = "forwarded", _("doorgezet")
    CLOSED = "closed", _("afgesloten")


class Decision(models.TextChoices):
    SOCIAL_WORK = "social_work", _("sociaal werk pakt het op")
    MAATWERK = "maatwerk", _("een partner doet eerst maatwerk")
    NO_ACTION = "no_action", _("geen actie")
    FORWARD = "forward", _("doorzetten (bijvoorbeeld GGD of crisisdienst)")
    CLOSE = "close", _("afsluiten")


TRIAGE_ROLES = frozenset({Role.REGISSEUR, Role.SOCIAAL_WERKER, Role.PARTNER})


@dataclass(frozen=True)
class Transition:
    decision: str
    source: str
    target: str
    roles: frozenset
    reason_required: bool


TRANSITIONS = (
    Transition(Decision.SOCIAL_WORK, Status.NEW, Status.ASSIGNED, TRIAGE_ROLES, False),
    Transition(Decision.MAATWERK, Status.NEW, Status.MAATWERK, TRIAGE_ROLES, True),
    Transition(Decision.NO_ACTION, Status.NEW, Status.CLOSED, TRIAGE_ROLES, True),
    Transition(Decision.FORWARD, Status.NEW, Status.FORWARDED, TRIAGE_ROLES, True),
    Transition(Decision.SOCIAL_WORK, Status.MAATWERK, Status.ASSIGNED, TRIAGE_ROLES, False),
    Transition(Decision.NO_ACTION, Status.MAATWERK, Status.CLOSED, TRIAGE_ROLES, True),
    Transition(Decision.FORWARD, Status.MAATWERK, Status.FORWARDED, TRIAGE_ROLES, True),
    Transition(Decision.CLOSE, Status.ASSIGNED, Status.CLOSED, frozenset({Role.REGISSEUR, Role.SOCIAAL_WERKER}), True),
)
OPEN = frozenset({Status.NEW, Status.MAATWERK, Status.ASSIGNED})

# What a reporting professional sees: never the content, only this.
REPORTER_STATUS = {
    Status.NEW: _("ontvangen"),
    Status.MAATWERK: _("wordt opgepakt"),
    Status.ASSIGNED: _("wordt opgepakt"),
    Status.FORWARDED: _("afgesloten"),
    Status.CLOSED: _("afgesloten"),
}


def transition_for(source: str, decision: str) -> Transition | None:
    return next((t for t in TRANSITIONS if t.source == source and t.decision == decision), None)


def decisions_from(source: str, role: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == source and role in t.roles]


def mermaid() -> str:
    """The state machine as a Mermaid diagram (docs/vinden.md)."""
    lines = ["stateDiagram-v2", "    [*] --> new"]
    for t in TRANSITIONS:
        lines.append(f"    {t.source} --> {t.target}: {t.decision}")
    lines += ["    forwarded --> [*]", "    closed --> [*]"]
    return "\n".join(lines)
