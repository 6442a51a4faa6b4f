"""The signal's state machine as one readable table (samen.core.states): each transition with the
capability that allows it and what it requires. docs/vinden.md draws it; a test keeps the drawing true."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from samen.core.states import Transition, Workflow


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


# Who may: capabilities asked of samen.core.policy.can(user, capability, signal), so the signal must also be
# one the user sees (their wijken, or assigned to them). Closing an assigned signal is social work's.
TRIAGE = "signal.triage"
CLOSE = "signal.close"

WORKFLOW = Workflow(
    field="status", states=Status, initial=Status.NEW,
    labels={"assign_to": _("een sociaal werker"), "partner": _("de partner die het maatwerk doet"),
            "look_again_on": _("een datum om opnieuw te kijken")},
    transitions=(
        Transition(Decision.SOCIAL_WORK, Status.NEW, Status.ASSIGNED, TRIAGE, ("assign_to",)),
        Transition(Decision.MAATWERK, Status.NEW, Status.MAATWERK, TRIAGE, ("reason", "partner", "look_again_on")),
        Transition(Decision.NO_ACTION, Status.NEW, Status.CLOSED, TRIAGE, ("reason",)),
        Transition(Decision.FORWARD, Status.NEW, Status.FORWARDED, TRIAGE, ("reason",)),
        Transition(Decision.SOCIAL_WORK, Status.MAATWERK, Status.ASSIGNED, TRIAGE, ("assign_to",)),
        Transition(Decision.NO_ACTION, Status.MAATWERK, Status.CLOSED, TRIAGE, ("reason",)),
        Transition(Decision.FORWARD, Status.MAATWERK, Status.FORWARDED, TRIAGE, ("reason",)),
        Transition(Decision.CLOSE, Status.ASSIGNED, Status.CLOSED, CLOSE, ("reason",)),
    ),
)
TRANSITIONS = WORKFLOW.transitions
OPEN = frozenset({Status.NEW, Status.MAATWERK, Status.ASSIGNED})

# What a reporting professional sees: never the content, only this.
REPORTER_STATUS = {
    Status.NEW: _("ontvangen"),
    Status.MAATWERK: _("wordt opgepakt"),
    Status.ASSIGNED: _("wordt opgepakt"),
    Status.FORWARDED: _("afgesloten"),
    Status.CLOSED: _("afgesloten"),
}


def mermaid() -> str:
    """The state machine as a Mermaid diagram (docs/vinden.md)."""
    return WORKFLOW.mermaid()
