"""Whether an activity is on the public site, as one readable table (samen.core.states).

``draft`` until its first version is approved; ``published`` from then on (an approved change keeps it
published); ``withdrawn`` when its provider or the regisseur takes it off the site. Only the regisseur
puts a withdrawn activity back (``republish``), by approving a new version or with the button on its page.
docs/kwaliteit.md draws the table; a test keeps the drawing true. Freshness is not a state
(``catalogue.public_activities``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from samen.core.states import Transition, Workflow
from samen.kwaliteit.models import Activity

Status = Activity.Status


class PublicationDecision(models.TextChoices):
    PUBLISH = "publish", _("publiceren (eerste goedkeuring)")
    WITHDRAW = "withdraw", _("terugtrekken van de site")
    REPUBLISH = "republish", _("weer publiceren")


REVIEW = "catalogue.review"
EDIT = "catalogue.edit"

WORKFLOW = Workflow(
    field="status", states=Status, initial=Status.DRAFT,
    transitions=(
        Transition(PublicationDecision.PUBLISH, Status.DRAFT, Status.PUBLISHED, REVIEW),
        Transition(PublicationDecision.WITHDRAW, Status.DRAFT, Status.WITHDRAWN, (EDIT, REVIEW)),
        Transition(PublicationDecision.WITHDRAW, Status.PUBLISHED, Status.WITHDRAWN, (EDIT, REVIEW)),
        Transition(PublicationDecision.REPUBLISH, Status.WITHDRAWN, Status.PUBLISHED, REVIEW),
    ),
)


def mermaid() -> str:
    return WORKFLOW.mermaid()
