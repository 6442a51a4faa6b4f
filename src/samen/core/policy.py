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
    "accesslog.view", "signal.view", "signal.triage", "visit.view",
})

_READ_SHARED = {"geography.view", "organisation.view", "zorgnetwerk.view"}
# The catalogue is public once approved; these are the staff's views and edits of it.
_CATALOGUE_REVIEW = {"catalogue.view", "catalogue.edit", "catalogue.review", "catalogue.import",
                     "intervention.change", "themeweek.change"}

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.BELEIDSADVISEUR: frozenset(_READ_SHARED | {"monitor.view", "monitor.import", "monitor.change",
                                                    "signal.stats", "visit.stats", "catalogue.view",
                                                    "intervention.change", "themeweek.change"}),
    Role.REGISSEUR: frozenset(_READ_SHARED | {
        "resident.view", "resident.create", "resident.change", "resident.delete", "resident.export",
        "accesslog.view", "monitor.view", "signal.view", "signal.triage", "signal.report", "signal.stats",
        "signal.central_queue", "signal.close", "visit.view", "visit.manage", "visit.stats", "visit.import",
        *_CATALOGUE_REVIEW,
    }),
    Role.SOCIAAL_WERKER: frozenset(_READ_SHARED | {"resident.view", "resident.create", "resident.change",
                                                   "signal.view", "signal.triage", "signal.report",
                                                   "signal.close", "visit.view", "visit.manage", "visit.stats",
                                                   "catalogue.view"}),
    Role.PARTNER: frozenset(_READ_SHARED | {"resident.view", "signal.view", "signal.triage", "signal.report"}),
    Role.VRIJWILLIGER: frozenset({"geography.view", "zorgnetwerk.view", "signal.report", "visit.view",
                                  "visit.report"}),
    Role.AANBIEDER: frozenset({"geography.view", "organisation.view", "catalogue.view", "catalogue.edit"}),
    Role.BEHEERDER: frozenset(_READ_SHARED | {
        "accesslog.view", "geography.change", "organisation.change", "user.view", "user.manage",
        "postcode.import", "gemeente.change",
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
    "vinden.signal": "signal.view",
    "vinden.signalevent": "signal.view",
    "vinden.visit": "visit.view",
    "vinden.visitround": "visit.manage",
    "weten.respondent": "monitor.view",
    "weten.target": "monitor.view",
    "samenwerken.zorgnetwerkmember": "zorgnetwerk.view",
    "kwaliteit.activity": "catalogue.view",
    "kwaliteit.activityversion": "catalogue.view",
    "kwaliteit.location": "catalogue.view",
    "kwaliteit.intervention": "catalogue.view",
    "kwaliteit.themeweek": "catalogue.view",
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
    elif label == "vinden.signal":
        queryset = _scope_signals(user, queryset)
    elif label == "vinden.visit":
        queryset = _scope_visits(user, queryset)
    elif label in ("kwaliteit.activity", "kwaliteit.activityversion"):
        queryset = _scope_catalogue(user, queryset, "organisation" if label == "kwaliteit.activity"
                                    else "activity__organisation")
    elif label == "vinden.signalevent":
        queryset = queryset.filter(signal__in=_scope_signals(user, model_for("vinden.signal")._default_manager.all()))
    return queryset


def _scope_signals(user, queryset: models.QuerySet) -> models.QuerySet:
    """The regisseur sees all (the central queue too); workers and partners the signals of their own
    wijken, and a social worker also those assigned to them. Nobody sees another wijk's signals."""
    scope = SCOPES.get(user.role)
    if scope == "gemeente":
        return queryset
    if scope == "wijken":
        own = models.Q(wijk__in=user.wijken.all())
        if user.role == Role.SOCIAAL_WERKER:
            own |= models.Q(assigned_to=user)
        return queryset.filter(own)
    return queryset.none()


def _scope_visits(user, queryset: models.QuerySet) -> models.QuerySet:
    """A volunteer sees only their own visits; a social worker those in their wijken; the regisseur all."""
    if user.role == Role.VRIJWILLIGER:
        return queryset.filter(volunteer=user)
    scope = SCOPES.get(user.role)
    if scope == "gemeente":
        return queryset
    if user.role == Role.SOCIAAL_WERKER:
        return queryset.filter(resident__buurt__wijk__in=user.wijken.all())
    return queryset.none()


def _scope_catalogue(user, queryset: models.QuerySet, organisation_path: str) -> models.QuerySet:
    """A provider sees (drafts, versions, reviews of) its own organisation's activities; staff see all."""
    if user.role == Role.AANBIEDER:
        return queryset.filter(**{organisation_path: user.organisation_id}) if user.organisation_id \
            else queryset.none()
    return queryset


def own_reports(user) -> models.QuerySet:
    """The signals this user reported, for the status list: the caller shows status and date only."""
    if "signal.report" not in capabilities_of(user):
        return model_for("vinden.signal")._default_manager.none()
    return model_for("vinden.signal")._default_manager.filter(reporter=user, gemeente=user.gemeente_id)


def _scope_residents(user, queryset: models.QuerySet) -> models.QuerySet:
    scope = SCOPES.get(user.role)
    if scope == "gemeente":
        return queryset
    if scope == "wijken":
        return queryset.filter(buurt__wijk__in=user.wijken.all())
    return queryset.none()


def model_for(label: str) -> type[models.Model]:
    return apps.get_model(label)
