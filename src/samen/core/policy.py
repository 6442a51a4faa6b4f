"""Who may see and do what: the one place that decides every permission in Samen.

Two questions, and nothing else in the code answers them:

* ``can(user, capability, obj=None)``: may this user do this (on this record)?
* ``visible(user, Model)``: the records of this model this user may see. Every query that returns
  personal data starts here; views, API and exports never call ``Model.objects`` for such data.

Capabilities are plain strings (``"resident.view"``). Each building block registers its own
(``samen.core.registry.capability``: the roles that hold it, and whether it touches personal data) and,
per model, the capability that lets a user see its records and how far (a scope function or the
model's ``visible_to(user, queryset)``). ``SCOPES`` says how far a role's view of residents reaches
(the whole municipality, its own wijken, or nothing). A record of another municipality is never
visible to anyone. The core's own rules are in ``samen.core.blocks``.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator, Mapping

from django.apps import apps
from django.conf import settings
from django.db import models

from samen.core import registry
from samen.core.roles import Role

# How far a role sees residents: "gemeente" (all of its municipality), "wijken" (the residents
# placed in the user's own wijken) or absent (none).
SCOPES: dict[str, str] = {
    Role.REGISSEUR: "gemeente",
    Role.SOCIAAL_WERKER: "wijken",
    Role.PARTNER: "wijken",
}

_cache: dict = {}


def _tables() -> dict:
    """The per-role capability sets, built from the registrations (again whenever one is added)."""
    key = (len(registry.capabilities), len(registry.models))
    if _cache.get("key") != key:
        per_role: dict[str, set[str]] = {role: set() for role in Role}
        for capability in registry.capabilities:
            for role in capability.roles:
                per_role.setdefault(role, set()).add(capability.name)
        _cache.update(key=key, roles={role: frozenset(names) for role, names in per_role.items()},
                      personal=frozenset(c.name for c in registry.capabilities if c.personal_data))
    return _cache


class _Live(Mapping):
    """A read-only view of a table that is built from the registry."""

    def __init__(self, read):
        self._read = read

    def __getitem__(self, key):
        return self._read()[key]

    def __iter__(self):
        return iter(self._read())

    def __len__(self):
        return len(self._read())


# Role -> its capabilities; model label -> the capability to see it (both from the registrations).
CAPABILITIES: Mapping[str, frozenset[str]] = _Live(lambda: _tables()["roles"])
VIEW_CAPABILITY: Mapping[str, str] = _Live(lambda: {rule.label: rule.capability for rule in registry.models})


def personal_data_capabilities() -> frozenset[str]:
    """Capabilities that touch a resident's personal data: a role holding any of them needs a second
    factor at login and leaves access-log entries."""
    return _tables()["personal"]


def capabilities_of(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.gemeente_id:
        return frozenset()
    return _tables()["roles"].get(user.role, frozenset())


def roles_with(capability: str) -> frozenset[str]:
    """The roles that hold ``capability`` (to find, say, the people to tell about something)."""
    entry = registry.capabilities.get(capability)
    return entry.roles if entry else frozenset()


def holders(gemeente_id, capability: str) -> models.QuerySet:
    """The active users of a municipality whose role holds ``capability``."""
    from samen.core.models import User

    return User.objects.filter(gemeente=gemeente_id, role__in=roles_with(capability), is_active=True)


def sees_personal_data(user) -> bool:
    return bool(capabilities_of(user) & personal_data_capabilities())


def needs_second_factor(user) -> bool:
    """Staff who can see personal data log in with a second factor (unless the local demo switched it off)."""
    return settings.REQUIRE_SECOND_FACTOR and sees_personal_data(user)


def is_fully_authenticated(user) -> bool:
    """Logged in, and through the second factor where the user needs one."""
    if not getattr(user, "is_authenticated", False):
        return False
    if needs_second_factor(user):
        is_verified = getattr(user, "is_verified", None)
        return bool(is_verified and is_verified())
    return True


# The answers of "may this user see this record" within one read-only request (None: not memoising).
_seen: contextvars.ContextVar[dict | None] = contextvars.ContextVar("samen_policy_seen", default=None)


@contextlib.contextmanager
def memoised() -> Iterator[None]:
    """Remember ``can(user, ..., obj)``'s record check for the duration of the block (one GET request, see
    ``core.middleware.PolicyMemoMiddleware``): a page asks about the same trajectory several times. Only for
    requests that change nothing, so no answer outlives a write; the memo is a fresh dict per block (a context
    variable: per thread, never shared between requests or users) and keyed by the user as well."""
    token = _seen.set({})
    try:
        yield
    finally:
        _seen.reset(token)


def can(user, capability: str, obj: models.Model | None = None) -> bool:
    if capability not in capabilities_of(user):
        return False
    if obj is None:
        return True
    memo = _seen.get()
    if memo is None or obj.pk is None:
        return _sees(user, obj)
    # visible() depends on the user and the model only; the capability was checked above.
    key = (user.pk, user.role, user.gemeente_id, obj._meta.label_lower, obj.pk)
    if key not in memo:
        memo[key] = _sees(user, obj)
    return memo[key]


def _sees(user, obj: models.Model) -> bool:
    return visible(user, type(obj)).filter(pk=obj.pk).exists()


def visible(user, model: type[models.Model]) -> models.QuerySet:
    """The records of ``model`` that ``user`` may see: the only door to personal data."""
    label = model._meta.label_lower
    rule = registry.models.get(label)
    if rule is None:
        raise LookupError(f"policy.visible() knows no rule for {label}; register one with registry.model().")
    queryset = model._default_manager.all()
    if rule.capability not in capabilities_of(user):
        return queryset.none()
    path = model.gemeente_path
    queryset = queryset.filter(pk=user.gemeente_id) if path == "self" else queryset.filter(**{path: user.gemeente_id})
    if rule.scope is not None:
        return rule.scope(user, queryset)
    own_rule = getattr(model, "visible_to", None)
    return own_rule(user, queryset) if own_rule is not None else queryset


def scope(user) -> str | None:
    """How far this user's view of residents reaches: "gemeente", "wijken" or None."""
    return SCOPES.get(user.role)


def scope_residents(user, queryset: models.QuerySet) -> models.QuerySet:
    reach = scope(user)
    if reach == "gemeente":
        return queryset
    if reach == "wijken":
        return queryset.filter(buurt__wijk__in=user.wijken.all())
    return queryset.none()


def model_for(label: str) -> type[models.Model]:
    return apps.get_model(label)
