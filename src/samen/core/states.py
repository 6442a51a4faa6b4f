"""One state-machine helper for every status in Samen: a transition table you can read, and the only
way a status changes.

A ``Workflow`` is built from a table of ``Transition`` rows: the decision's name, the state it leaves,
the state it reaches, the capability that allows it (asked of ``samen.core.policy.can(user, capability,
obj)``, never a role name) and what it requires (a reason, or other values such as the partner who does
the maatwerk). ``workflow.apply(obj, decision, by=user, reason=...)`` checks all of that and sets the
field; the caller saves the record in its own transaction, with whatever else the step changes.

The status field itself is a ``StatusField``: assigning to it outside ``apply()`` raises
``ProtectedStatus`` (like django-fsm's ``protected=True``), so ``obj.status = "closed"; obj.save()`` cannot
slip past the table. Creating a record with its first state, loading it and ``refresh_from_db()`` work
as usual.

``mermaid()`` draws the table for the docs; tests keep the pictures in docs/ equal to it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils.translation import gettext as _

from samen.core.choices import ChoiceLabels

_UNLOCKED = "_samen_status_unlocked"


class ProtectedStatus(AttributeError):
    """A status field was assigned outside its workflow."""


class TransitionRefused(ValidationError):
    """The step cannot be taken: not from this state, or something it requires is missing. ``field`` names
    the input that is wrong (``decision``, ``reason``, or a required value), so forms can show it there."""

    def __init__(self, message, *, field: str = "decision"):
        self.field = field
        super().__init__({field: [message]})


class TransitionForbidden(PermissionDenied):
    """The user may not take this step (the transition's capability, checked through the policy)."""


@dataclass(frozen=True)
class Grant:
    """An actor that is not a logged-in user but was verified by the caller for one capability: a
    provider answering through a signed single-purpose link, or a scheduled job. ``label`` is what the
    history shows as "who" ("Aanbieder via e-maillink", "Samen (automatisch)"). Only the service that
    verified the link or runs the job creates one; it allows exactly the transitions whose capability
    it names, and nothing is asked of the policy."""

    capability: str
    label: str
    gemeente_id: int | None = None


@dataclass(frozen=True)
class Transition:
    """One row of a table. ``may`` is a capability, or a tuple of capabilities of which any one will do.
    ``requires`` names what the step needs besides the user: ``"reason"`` and/or keyword values given to
    ``apply()``. ``label`` says the decision in Dutch for screens; the docs picture uses ``name``."""

    name: str
    source: str
    target: str
    may: str | tuple[str, ...]
    requires: tuple[str, ...] = ()
    label: str = ""

    @property
    def capabilities(self) -> tuple[str, ...]:
        return (self.may,) if isinstance(self.may, str) else tuple(self.may)


@dataclass
class Workflow:
    """A status field's transition table. ``states`` is the field's TextChoices; ``initial`` the state
    a record is created in; ``labels`` gives the Dutch names of required values for the messages."""

    field: str
    states: type[models.TextChoices]
    initial: str
    transitions: tuple[Transition, ...]
    labels: dict = field(default_factory=dict)

    def __post_init__(self):
        known = set(self.states.values)
        for t in self.transitions:
            if t.source not in known or t.target not in known:
                raise ValueError(f"{t.name}: {t.source} -> {t.target} is not between states of {self.states}")
        keys = [(t.source, t.name) for t in self.transitions]
        if len(keys) != len(set(keys)):
            raise ValueError("a decision appears twice from the same state")

    # --- reading the table ---------------------------------------------------------------------------

    def transition(self, source: str, name: str) -> Transition | None:
        return next((t for t in self.transitions if t.source == source and t.name == name), None)

    def from_state(self, source: str) -> list[Transition]:
        return [t for t in self.transitions if t.source == source]

    def final_states(self) -> list[str]:
        """States no transition leaves, in the order of the choices."""
        sources = {t.source for t in self.transitions}
        return [value for value in self.states.values if value not in sources]

    def allowed(self, user, transition: Transition, obj=None) -> bool:
        from samen.core import policy

        if isinstance(user, Grant):
            gemeente_id = getattr(obj, "gemeente_id", None) if obj is not None else None
            same_gemeente = user.gemeente_id is None or gemeente_id is None or gemeente_id == user.gemeente_id
            return same_gemeente and user.capability in transition.capabilities
        return any(policy.can(user, capability, obj) for capability in transition.capabilities)

    def available(self, obj, user) -> list[Transition]:
        """The steps this user may take from the record's state (for the screen's choices)."""
        return [t for t in self.from_state(self.state_of(obj)) if self.allowed(user, t, obj)]

    def state_of(self, obj) -> str:
        return getattr(obj, self.field)

    def label_of(self, state: str) -> str:
        return str(self.states(state).label)

    # --- taking a step -------------------------------------------------------------------------------

    def check(self, obj, name: str, *, by, reason: str = "", **values) -> Transition:
        """The transition for this step, or TransitionRefused / TransitionForbidden saying why not."""
        source = self.state_of(obj)
        transition = self.transition(source, name)
        if transition is None:
            raise TransitionRefused(_("Dit besluit kan niet vanuit de stand '%(status)s'.")
                                    % {"status": self.label_of(source)})
        if by is None or not self.allowed(by, transition, obj):
            raise TransitionForbidden(_("U mag deze stap niet zetten."))
        given = {"reason": (reason or "").strip(), **values}
        for required in transition.requires:
            if given.get(required) in (None, "", [], ()):
                what = self.labels.get(required, _("een reden") if required == "reason" else required)
                raise TransitionRefused(
                    _("Van '%(source)s' naar '%(target)s' kan alleen met %(what)s.")
                    % {"source": self.label_of(source), "target": self.label_of(transition.target), "what": what},
                    field=required)
        return transition

    def apply(self, obj, name: str, *, by, reason: str = "", **values) -> Transition:
        """Check the step and set the status; the caller saves ``obj`` (with what else the step changes)."""
        transition = self.check(obj, name, by=by, reason=reason, **values)
        with unlocked(obj):
            setattr(obj, self.field, transition.target)
        return transition

    # --- the picture -----------------------------------------------------------------------------------

    def mermaid(self) -> str:
        """The table as a Mermaid state diagram (docs/*.md)."""
        lines = ["stateDiagram-v2", f"    [*] --> {self.initial}"]
        lines += [f"    {t.source} --> {t.target}: {t.name}" for t in self.transitions]
        lines += [f"    {state} --> [*]" for state in self.final_states()]
        return "\n".join(lines)

    def table(self) -> list[dict]:
        """The rows for a docs table or a screen: decision, from, to, capability, requirements."""
        return [{"decision": t.name, "from": t.source, "to": t.target, "may": " / ".join(t.capabilities),
                 "requires": ", ".join(t.requires)} for t in self.transitions]


@contextlib.contextmanager
def unlocked(obj):
    """Let the status of ``obj`` be set (by ``Workflow.apply`` and ``refresh_from_db`` only)."""
    before = obj.__dict__.get(_UNLOCKED, False)
    obj.__dict__[_UNLOCKED] = True
    try:
        yield obj
    finally:
        obj.__dict__[_UNLOCKED] = before


class _ProtectedAttribute(DeferredAttribute):
    def __set__(self, instance, value):
        name = self.field.attname
        data = instance.__dict__
        # The first value (a new record, or one loaded from the database) is free; a change is not.
        if name in data and data[name] != value and not data.get(_UNLOCKED):
            raise ProtectedStatus(
                f"{type(instance).__name__}.{name} changes only through its workflow's apply() "
                f"({data[name]!r} -> {value!r}).")
        data[name] = value


class StatusField(models.CharField):
    """A CharField that only a workflow changes once the record exists."""

    descriptor_class = _ProtectedAttribute

    def deconstruct(self):
        # The guard is Python behaviour, not schema: migrations see a plain CharField.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class StatusModel(ChoiceLabels, models.Model):
    """Mixin for models with a StatusField: ``refresh_from_db()`` may reload a status changed elsewhere."""

    class Meta:
        abstract = True

    def refresh_from_db(self, *args, **kwargs):
        with unlocked(self):
            return super().refresh_from_db(*args, **kwargs)


def status_fields(models_: Iterable[type[models.Model]]) -> list[tuple[type[models.Model], str]]:
    """(model, field name) of every StatusField among these models (for the tests that guard them)."""
    return [(model, f.name) for model in models_ for f in model._meta.concrete_fields if isinstance(f, StatusField)]
