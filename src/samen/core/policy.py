"""Who may see and do what: the one place that decides every permission in Samen.

Two questions, and nothing else in the code answers them:

* ``can(user, capability, obj=None)``: may this user do this (on this record)?
* ``visible(user, Model)``: the records of this model this user may see. Every query that returns
  personal data starts here; views, API and exports never call ``Model.objects`` for such data.

Capabilities are plain strings (``"resident.view"``). The table ``CAPABILITIES`` gives each role its
set; ``SCOPES`` says how far a role's view of personal data reaches (the whole municipality, its own
wijken, or nothing). A record of another municipality is never visible to anyone.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import models

from samen.core.roles import Role

# Capabilities that touch a resident's personal data. A role holding any of them needs a second
# factor at login and leaves access-log entries.
PERSONAL_DATA_CAPABILITIES = frozenset({
    "resident.view", "resident.create", "resident.change", "resident.delete", "resident.export",
    "accesslog.view",
})

_READ_SHARED = {"geography.view", "organisation.view", "zorgnetwerk.view"}

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.BELEIDSADVISEUR: frozenset(_READ_SHARED | {"monitor.view", "monitor.import", "monitor.change"}),
    Role.REGISSEUR: frozenset(_READ_SHARED | {
        "resident.view", "resident.create", "resident.change", "resident.delete", "resident.export",
        "accesslog.view", "monitor.view",
    }),
    Role.SOCIAAL_WERKER: frozenset(_READ_SHARED | {"resident.view", "resident.create", "resident.change"}),
    Role.PARTNER: frozenset(_READ_SHARED | {"resident.view"}),
    Role.VRIJWILLIGER: frozenset({"geography.view", "zorgnetwerk.view"}),
    Role.AANBIEDER: frozenset({"geography.view", "organisation.view"}),
    Role.BEHEERDER: frozenset(_READ_SHARED | {
        "accesslog.view", "geography.change", "organisation.change", "user.view", "user.manage",
        "postcode.import",
    }),
}

# How far a role sees residents: "gemeente" (all of its municipality), "wijken" (the residents
# placed in the user's own wijken) or absent (none).
SCOPES: dict[str, str] = {
    Role.REGISSEUR: "gemeente",
    Role.SOCIAAL_WERKER: "wijken",
    Role.PARTNER: "wijken",
}

# The capability that lets a user see a model's records at all.
VIEW_CAPABILITY: dict[str, str] = {
    "core.gemeente": "geography.view",
    "core.wijk": "geography.view",
    "core.buurt": "geography.view",
    "core.postcoderange": "geography.view",
    "core.organisation": "organisation.view",
    "core.user": "user.view",
    "core.resident": "resident.view",
    "core.accesslogentry": "accesslog.view",
    "samenwerken.zorgnetwerk": "zorgnetwerk.view",
    "weten.wave": "monitor.view",
    "weten.respondent": "monitor.view",
    "weten.target": "monitor.view",
    "samenwerken.zorgnetwerkmember": "zorgnetwerk.view",
}


def capabilities_of(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.gemeente_id:
        return frozenset()
    return CAPABILITIES.get(user.role, frozenset())


def sees_personal_data(user) -> bool:
    return bool(capabilities_of(user) & PERSONAL_DATA_CAPABILITIES)


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


def can(user, capability: str, obj: models.Model | None = None) -> bool:
    if capability not in capabilities_of(user):
        return False
    if obj is None:
        return True
    return visible(user, type(obj)).filter(pk=obj.pk).exists()


def visible(user, model: type[models.Model]) -> models.QuerySet:
    """The records of ``model`` that ``user`` may see: the only door to personal data."""
    label = model._meta.label_lower
    capability = VIEW_CAPABILITY.get(label)
    if capability is None:
        raise LookupError(f"policy.visible() knows no rule for {label}; add it to VIEW_CAPABILITY.")
    queryset = model._default_manager.all()
    if capability not in capabilities_of(user):
        return queryset.none()
    path = model.gemeente_path
    queryset = queryset.filter(pk=user.gemeente_id) if path == "self" else queryset.filter(**{path: user.gemeente_id})
    if label == "core.resident":
        queryset = _scope_residents(user, queryset)
    return queryset


def _scope_residents(user, queryset: models.QuerySet) -> models.QuerySet:
    scope = SCOPES.get(user.role)
    if scope == "gemeente":
        return queryset
    if scope == "wijken":
        return queryset.filter(buurt__wijk__in=user.wijken.all())
    return queryset.none()


def model_for(label: str) -> type[models.Model]:
    return apps.get_model(label)
