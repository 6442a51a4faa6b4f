"""The state tables of ondersteunen: their pictures in the docs, and the Grant actor of core.states."""

from __future__ import annotations

from pathlib import Path

import pytest

from samen.core import states
from samen.ondersteunen import workflow

DOCS = Path(__file__).resolve().parents[4] / "docs"


@pytest.mark.parametrize("name", sorted(workflow.WORKFLOWS))
def test_the_pictures_in_the_docs_are_current(name):
    text = (DOCS / "ondersteunen.md").read_text(encoding="utf-8")
    assert f"```mermaid\n{workflow.mermaid(name)}\n```" in text, f"update docs/ondersteunen.md ({name})"


class _Thing:
    status = workflow.TrajectoryStatus.AANGEMELD
    gemeente_id = 1


def test_a_grant_allows_only_the_transitions_of_its_capability():
    system = states.Grant(workflow.SYSTEM, "Samen (automatisch)", gemeente_id=1)
    thing = _Thing()
    assert workflow.TRAJECTORY.check(thing, workflow.TrajectoryDecision.CONTACT, by=system)
    with pytest.raises(states.TransitionForbidden):  # closing is the worker's, never the job's
        workflow.TRAJECTORY.check(thing, workflow.TrajectoryDecision.CLOSE, by=system, closing_reason="anders")


def test_a_grant_of_another_municipality_allows_nothing():
    thing = _Thing()
    with pytest.raises(states.TransitionForbidden):
        workflow.TRAJECTORY.check(thing, workflow.TrajectoryDecision.CONTACT,
                                  by=states.Grant(workflow.SYSTEM, "x", gemeente_id=2))


def test_closing_needs_a_closing_reason():
    thing = _Thing()
    with pytest.raises(states.TransitionRefused) as refused:
        workflow.TRAJECTORY.check(thing, workflow.TrajectoryDecision.CLOSE, by=states.Grant(workflow.WORK, "x"))
    assert refused.value.field == "closing_reason"
    assert "reden van afsluiten" in str(refused.value)
