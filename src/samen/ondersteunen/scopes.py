"""Who sees which trajectories, referrals, maatje visits and case consultations: ondersteunen's policy
rules, registered in ``ondersteunen.blocks`` and applied by ``policy.visible()`` (the one door). Each
function gets a queryset already limited to the user's municipality and to users holding the model's
view capability.

* the regisseur sees all of the municipality (oversight);
* a social worker the trajectories they are responsible for and those of residents in their wijken
  (colleagues cover for each other);
* a provider (aanbieder) only the referrals to its own organisation's activities and services;
* a volunteer only their own maatje visits;
* a care-network partner only the case consultations of their own networks (pseudonymised on screen
  unless the resident consented to discussion by name);
* the beleidsadviseur nothing personal: only aggregates (``trajectory.stats``).
"""

from __future__ import annotations

from django.db import models

from samen.core import policy


def _trajectory_filter(user, prefix: str = "") -> models.Q | None:
    reach = policy.scope(user)
    if reach == "gemeente":
        return models.Q()
    if reach == "wijken" and policy.can(user, "trajectory.work"):
        return models.Q(**{f"{prefix}worker": user}) | models.Q(**{f"{prefix}wijk__in": user.wijken.all()})
    return None


def trajectories(user, queryset: models.QuerySet) -> models.QuerySet:
    rule = _trajectory_filter(user)
    return queryset.none() if rule is None else queryset.filter(rule)


def via_trajectory(user, queryset: models.QuerySet) -> models.QuerySet:
    """Events, contact attempts, notes, profiles, measurements and check-ins go with their trajectory."""
    rule = _trajectory_filter(user, "trajectory__")
    return queryset.none() if rule is None else queryset.filter(rule)


def consent_events(user, queryset: models.QuerySet) -> models.QuerySet:
    """The consent history of residents the user may see."""
    residents = policy.visible(user, policy.model_for("core.resident"))
    return queryset.filter(resident__in=residents)


def referrals(user, queryset: models.QuerySet) -> models.QuerySet:
    rule = _trajectory_filter(user, "trajectory__")
    if rule is not None:
        return queryset.filter(rule)
    if policy.can(user, "referral.answer") and user.organisation_id:
        return queryset.filter(organisation_id=user.organisation_id)
    return queryset.none()


def referral_events(user, queryset: models.QuerySet) -> models.QuerySet:
    return queryset.filter(referral__in=policy.visible(user, policy.model_for("ondersteunen.referral")))


def provider_links(user, queryset: models.QuerySet) -> models.QuerySet:
    rule = _trajectory_filter(user, "referral__trajectory__")
    return queryset.none() if rule is None else queryset.filter(rule)


def maatje_visits(user, queryset: models.QuerySet) -> models.QuerySet:
    rule = _trajectory_filter(user, "referral__trajectory__")
    if rule is not None:
        return queryset.filter(rule)
    if policy.can(user, "referral.accompany"):
        return queryset.filter(volunteer=user)
    return queryset.none()


def maatje_profiles(user, queryset: models.QuerySet) -> models.QuerySet:
    if policy.can(user, "trajectory.work"):
        return queryset
    return queryset.filter(user=user)


def case_discussions(user, queryset: models.QuerySet) -> models.QuerySet:
    rule = _trajectory_filter(user, "trajectory__")
    own_networks = models.Q(network__members__user=user) | models.Q(network__wijk__in=user.wijken.all())
    if rule is not None:
        return queryset.filter(rule | own_networks).distinct()
    return queryset.filter(own_networks).distinct()


def case_actions(user, queryset: models.QuerySet) -> models.QuerySet:
    discussions = policy.visible(user, policy.model_for("ondersteunen.casediscussion"))
    return queryset.filter(models.Q(discussion__in=discussions) | models.Q(owner=user))
