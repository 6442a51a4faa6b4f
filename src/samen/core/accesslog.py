"""Writing the AVG access log: who did what with which resident record, when, and why.

Only identifiers go in: the record's type and id, the actor, the action, the purpose and the route
name. Never a name, address or any other content of the record.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time

from django.db import models
from django.utils import timezone

from samen.core.models import AccessAction, AccessLogEntry, Purpose


def _actor_fields(actor, channel: str | None):
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor, actor.get_username()
    return None, channel or "anoniem"


def record(*, actor, action: AccessAction, records: Iterable[models.Model], purpose: Purpose,
           route: str = "", channel: str | None = None) -> int:
    """Append one entry per record. Returns the number of entries written."""
    user, label = _actor_fields(actor, channel)
    entries = [
        AccessLogEntry(
            gemeente_id=obj.gemeente_id,
            actor=user,
            actor_label=label,
            action=action,
            record_type=obj._meta.label_lower,
            record_id=str(obj.pk),
            purpose=purpose,
            route=route[:100],
        )
        for obj in records
    ]
    AccessLogEntry.objects.bulk_create(entries)
    return len(entries)


def filter_access_log(entries, filters: dict):
    """The entries that match a filter form (actor, record, action, dates): for the screen and the API."""
    if filters.get("actor"):
        entries = entries.filter(actor_label__iexact=filters["actor"].strip())
    if filters.get("record_id"):
        entries = entries.filter(record_id=filters["record_id"].strip())
    if filters.get("action"):
        entries = entries.filter(action=filters["action"])
    tz = timezone.get_current_timezone()
    if filters.get("date_from"):
        entries = entries.filter(at__gte=datetime.combine(filters["date_from"], time.min, tz))
    if filters.get("date_to"):
        entries = entries.filter(at__lte=datetime.combine(filters["date_to"], time.max, tz))
    return entries
