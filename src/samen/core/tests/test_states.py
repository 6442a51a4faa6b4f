"""The one state-machine helper: every status changes through a table, refusals say why in Dutch, a plain
assignment is caught, and no code outside the workflows writes a status."""

from __future__ import annotations

import ast
import datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from samen.core import states
from samen.kwaliteit import publication, review
from samen.samenwerken import workflow as action_workflow
from samen.vinden import workflow
from samen.vinden.models import Signal
from samen.vinden.services.signals import submit_signal, triage
from samen.vinden.visits import workflow as visit_workflow

SRC = Path(__file__).resolve().parents[2]
DOCS = SRC.parents[1] / "docs"
WORKFLOWS = (workflow.WORKFLOW, review.WORKFLOW, visit_workflow.WORKFLOW, publication.WORKFLOW,
             action_workflow.WORKFLOW)
# The modules that hold a table or the helper itself; everything else changes a status through apply().
WORKFLOW_MODULES = {"core/states.py", "vinden/workflow.py", "vinden/visits/workflow.py", "kwaliteit/review.py",
                    "kwaliteit/publication.py", "ondersteunen/workflow.py", "samenwerken/workflow.py"}


def _signal(gemeente, **data):
    return submit_signal(gemeente, channel="staff", data={"postcode": "1211BJ", "house_number": 7,
                                                          "description": "x", **data}).signal


def test_every_status_field_of_a_workflow_is_protected():
    guarded = {(model._meta.label, name) for model, name in states.status_fields(apps.get_models())}
    assert guarded == {("vinden.Signal", "status"), ("vinden.Visit", "status"), ("kwaliteit.Activity", "status"),
                       ("kwaliteit.ActivityVersion", "status"), ("ondersteunen.Trajectory", "status"),
                       ("ondersteunen.Referral", "status"), ("ondersteunen.MaatjeVisit", "status"),
                       ("ondersteunen.CheckIn", "status"), ("samenwerken.Action", "status")}


@pytest.mark.django_db
def test_a_plain_assignment_of_a_status_is_refused(hilversum):
    signal = _signal(hilversum)
    with pytest.raises(states.ProtectedStatus):
        signal.status = workflow.Status.CLOSED
        signal.save()
    assert Signal.objects.get(pk=signal.pk).status == workflow.Status.NEW
    signal.status = workflow.Status.NEW  # the same value changes nothing and is allowed


@pytest.mark.django_db
def test_a_status_changed_elsewhere_can_be_reloaded(hilversum, demo_user):
    signal = _signal(hilversum)
    triage(demo_user("partner"), signal.pk, workflow.Decision.NO_ACTION, reason="bekend bij de huisarts")
    signal.refresh_from_db()
    assert signal.status == workflow.Status.CLOSED
    with pytest.raises(states.ProtectedStatus):
        signal.status = workflow.Status.NEW


@pytest.mark.django_db
def test_refusals_say_why_in_dutch(hilversum, demo_user):
    signal = _signal(hilversum)
    partner = demo_user("partner")
    with pytest.raises(states.TransitionRefused) as missing:
        workflow.WORKFLOW.apply(signal, workflow.Decision.NO_ACTION, by=partner, reason="  ")
    assert missing.value.messages == ["Van 'nieuw, wacht op triage' naar 'afgesloten' kan alleen met een reden."]
    assert missing.value.field == "reason"
    with pytest.raises(states.TransitionRefused, match="niet vanuit de stand 'nieuw, wacht op triage'"):
        workflow.WORKFLOW.apply(signal, workflow.Decision.CLOSE, by=partner, reason="klaar")
    with pytest.raises(states.TransitionForbidden, match="U mag deze stap niet zetten"):
        workflow.WORKFLOW.apply(signal, workflow.Decision.NO_ACTION, by=demo_user("vrijwilliger"), reason="x")
    assert signal.status == workflow.Status.NEW, "a refused step sets nothing"


@pytest.mark.django_db
def test_only_social_work_closes_an_assigned_signal(hilversum, demo_user):
    signal = _signal(hilversum)
    worker = demo_user("sociaalwerker")
    triage(worker, signal.pk, workflow.Decision.SOCIAL_WORK)
    with pytest.raises(PermissionDenied):
        triage(demo_user("partner"), signal.pk, workflow.Decision.CLOSE, reason="klaar")
    assert triage(worker, signal.pk, workflow.Decision.CLOSE, reason="klaar").status == workflow.Status.CLOSED


@pytest.mark.django_db
def test_the_capability_is_asked_for_this_record(hilversum, demo_user):
    """A partner may triage, but not a signal of a wijk that is not theirs (the policy decides, with obj)."""
    elsewhere = submit_signal(hilversum, channel="staff", data={"postcode": "1211AB", "house_number": 3,
                                                                "description": "Centrum"}).signal
    with pytest.raises(PermissionDenied):
        workflow.WORKFLOW.apply(elsewhere, workflow.Decision.NO_ACTION, by=demo_user("partner"), reason="x")


@pytest.mark.django_db
def test_maatwerk_names_what_it_needs(hilversum, demo_user):
    signal = _signal(hilversum)
    later = timezone.localdate() + datetime.timedelta(days=7)
    with pytest.raises(ValidationError, match="de partner die het maatwerk doet"):
        triage(demo_user("partner"), signal.pk, workflow.Decision.MAATWERK, reason="eerst zelf", look_again_on=later)


@pytest.mark.parametrize("flow", WORKFLOWS, ids=lambda w: w.states.__qualname__)
def test_every_table_is_well_formed(flow):
    reachable, todo = {flow.initial}, [flow.initial]
    while todo:
        for t in flow.from_state(todo.pop()):
            if t.target not in reachable:
                reachable.add(t.target)
                todo.append(t.target)
    assert reachable == set(flow.states.values), "every state can be reached from the first"
    for t in flow.transitions:
        assert all("." in capability for capability in t.capabilities), "who may is a capability, not a role"


class _Thing:
    status = "new"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(workflow.Decision.values), max_size=8), st.booleans())
def test_a_status_only_moves_along_the_table(decisions, with_reason):
    """Whatever is tried, each accepted step is a row of the table and a refused one changes nothing."""
    flow = states.Workflow("status", workflow.Status, workflow.Status.NEW, workflow.WORKFLOW.transitions,
                           workflow.WORKFLOW.labels)
    flow.allowed = lambda user, transition, obj=None: True
    thing = _Thing()
    for decision in decisions:
        before = thing.status
        try:
            step = flow.apply(thing, decision, by=object(), reason="r" if with_reason else "", assign_to=1,
                              partner=1, look_again_on=1)
        except states.TransitionRefused:
            assert thing.status == before
        else:
            assert step in flow.transitions and (step.source, step.target) == (before, thing.status)
            assert with_reason or "reason" not in step.requires


@pytest.mark.parametrize(("doc", "flow"), [("vinden.md", workflow), ("kwaliteit.md", review),
                                           ("kwaliteit.md", publication), ("huisbezoeken.md", visit_workflow),
                                           ("samenwerken.md", action_workflow)])
def test_the_pictures_in_the_docs_are_current(doc, flow):
    text = (DOCS / doc).read_text(encoding="utf-8")
    assert f"```mermaid\n{flow.mermaid()}\n```" in text, f"update docs/{doc} with {flow.__name__}.mermaid()"


def _status_writes(tree: ast.AST):
    """Lines that write a status: `x.status = ...`, setattr(x, "status", ...), `.update(status=...)`,
    `.create(status=...)`, `Model(status=...)`-style keywords in a write call, and `defaults={"status": ...}`."""
    writes = {"update", "create", "get_or_create", "update_or_create", "bulk_update"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for part in ast.walk(target):
                    if isinstance(part, ast.Attribute) and part.attr == "status":
                        yield node.lineno
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name == "setattr" and len(node.args) > 1 and getattr(node.args[1], "value", None) == "status":
                yield node.lineno
            if name in writes:
                for keyword in node.keywords:
                    if keyword.arg == "status":
                        yield node.lineno
                    if keyword.arg == "defaults" and isinstance(keyword.value, ast.Dict) and any(
                            getattr(k, "value", None) == "status" for k in keyword.value.keys):
                        yield node.lineno
                if name == "bulk_update" and any("status" in ast.unparse(a) for a in node.args[1:]):
                    yield node.lineno


# Status fields that are not workflows (a zorgnetwerk's 'actief' / 'in opbouw' from the demo data).
NOT_A_WORKFLOW = {("samenwerken/blocks.py", "Zorgnetwerk")}  # the demo loader; actief / in opbouw is no workflow


def test_no_code_outside_the_workflows_writes_a_status():
    found = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if "/tests/" in relative or "/migrations/" in relative or relative in WORKFLOW_MODULES:
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for line in _status_writes(ast.parse(source)):
            context = "\n".join(lines[max(line - 3, 0):line + 1])
            if any(relative == file and model in context for file, model in NOT_A_WORKFLOW):
                continue
            found.append(f"{relative}:{line}: {lines[line - 1].strip()}")
    assert not found, "a status changes only through its workflow's apply():\n" + "\n".join(found)


def test_the_scan_would_find_a_bulk_update():
    code = ("Signal.objects.filter(pk=1).update(status='closed')\nsignal.status = 'x'\n"
            "Activity.objects.create(title='t', status='published')\nsetattr(v, 'status', 'visited')\n")
    assert len(list(_status_writes(ast.parse(code)))) == 4
