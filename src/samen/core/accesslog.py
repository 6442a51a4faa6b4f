"""Writing the AVG access log: who did what with which resident record, when, and why.

Only identifiers go in: the record's type and id, the actor, the action, the purpose and the route
name. Never a name, address or any other content of the record.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

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
