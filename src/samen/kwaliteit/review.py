"""The review of catalogue entries as one readable table (samen.core.states): who may move a version from
which state to which, and what it requires. docs/kwaliteit.md draws it; a test keeps the drawing true.

The activity's own publication (draft, published, withdrawn) is the second table, in
``kwaliteit.publication``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from samen.core.states import Transition, Workflow


class VersionStatus(models.TextChoices):
    PENDING = "pending", _("wacht op beoordeling")
    APPROVED = "approved", _("goedgekeurd")
    REJECTED = "rejected", _("afgewezen")
    SUPERSEDED = "superseded", _("vervangen door een nieuwere versie")


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", _("goedkeuren en publiceren")
    REJECT = "reject", _("afwijzen")
    SUPERSEDE = "supersede", _("vervangen door een nieuwere versie")


# Capabilities, asked of samen.core.policy.can(user, capability, version): a provider only reaches the
# versions of its own organisation's activities.
REVIEW = "catalogue.review"
EDIT = "catalogue.edit"

WORKFLOW = Workflow(
    field="status", states=VersionStatus, initial=VersionStatus.PENDING,
    labels={"reason": _("een toelichting voor de aanbieder")},
    transitions=(
        Transition(ReviewDecision.APPROVE, VersionStatus.PENDING, VersionStatus.APPROVED, REVIEW),
        Transition(ReviewDecision.REJECT, VersionStatus.PENDING, VersionStatus.REJECTED, REVIEW, ("reason",)),
        # A newer submission (or withdrawing the activity) replaces a pending one; only the service makes this move.
        Transition(ReviewDecision.SUPERSEDE, VersionStatus.PENDING, VersionStatus.SUPERSEDED, EDIT),
    ),
)
TRANSITIONS = WORKFLOW.transitions


def mermaid() -> str:
    return WORKFLOW.mermaid()
