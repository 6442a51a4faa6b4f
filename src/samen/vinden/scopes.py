"""Who sees which signals and home visits: vinden's policy rules, registered in ``vinden.blocks`` and
applied by ``policy.visible()`` (the one door). Every function gets a queryset already limited to the
user's municipality and to users holding the model's view capability."""

from __future__ import annotations

from django.db import models

from samen.core import policy


def signals(user, queryset: models.QuerySet) -> models.QuerySet:
    """The regisseur sees all (the central queue too); workers and partners the signals of their own
    wijken, and whoever can be assigned a signal also those assigned to them. Nobody sees another
    wijk's signals."""
    reach = policy.scope(user)
    if reach == "gemeente":
        return queryset
    if reach == "wijken":
        own = models.Q(wijk__in=user.wijken.all())
        if policy.can(user, "signal.assignee"):
            own |= models.Q(assigned_to=user)
        return queryset.filter(own)
    return queryset.none()


def signal_events(user, queryset: models.QuerySet) -> models.QuerySet:
    """A signal's history is visible with the signal."""
    return queryset.filter(signal__in=policy.visible(user, policy.model_for("vinden.signal")))


def visits(user, queryset: models.QuerySet) -> models.QuerySet:
    """The regisseur sees all visits; a social worker those in their wijken; a volunteer only their own."""
    reach = policy.scope(user)
    if reach == "gemeente":
        return queryset
    if reach == "wijken":
        return queryset.filter(resident__buurt__wijk__in=user.wijken.all())
    if policy.can(user, "visit.report"):
        return queryset.filter(volunteer=user)
    return queryset.none()


def own_reports(user) -> models.QuerySet:
    """The signals this user reported, for the status list: the caller shows status and date only."""
    manager = policy.model_for("vinden.signal")._default_manager
    if not policy.can(user, "signal.report"):
        return manager.none()
    return manager.filter(reporter=user, gemeente=user.gemeente_id)
