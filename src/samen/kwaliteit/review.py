"""The review of catalogue entries as one readable table: who may move a version from which state to
which, and whether a note is required. docs/kwaliteit.md draws it; a test keeps the drawing true."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from samen.core.roles import Role


class VersionStatus(models.TextChoices):
    PENDING = "pending", _("wacht op beoordeling")
    APPROVED = "approved", _("goedgekeurd")
    REJECTED = "rejected", _("afgewezen")
    SUPERSEDED = "superseded", _("vervangen door een nieuwere versie")


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", _("goedkeuren en publiceren")
    REJECT = "reject", _("afwijzen")
    SUPERSEDE = "supersede", _("vervangen door een nieuwere versie")


@dataclass(frozen=True)
class ReviewTransition:
    decision: str
    source: str
    target: str
    roles: frozenset
    note_required: bool


REVIEWERS = frozenset({Role.REGISSEUR})
EDITORS = frozenset({Role.REGISSEUR, Role.AANBIEDER})

TRANSITIONS = (
    ReviewTransition(ReviewDecision.APPROVE, VersionStatus.PENDING, VersionStatus.APPROVED, REVIEWERS, False),
    ReviewTransition(ReviewDecision.REJECT, VersionStatus.PENDING, VersionStatus.REJECTED, REVIEWERS, True),
    # A newer submission replaces a pending one; only the service makes this move.
    ReviewTransition(ReviewDecision.SUPERSEDE, VersionStatus.PENDING, VersionStatus.SUPERSEDED, EDITORS, False),
)


def transition_for(source: str, decision: str) -> ReviewTransition | None:
    return next((t for t in TRANSITIONS if t.source == source and t.decision == decision), None)


def mermaid() -> str:
    lines = ["stateDiagram-v2", "    [*] --> pending"]
    lines += [f"    {t.source} --> {t.target}: {t.decision}" for t in TRANSITIONS]
    lines += ["    approved --> [*]", "    rejected --> [*]", "    superseded --> [*]"]
    return "\n".join(lines)
