"""The append-only change history: who changed what, when, with the old and new values."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import models

from samen.samenwerken.models import ChangeRecord


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


def snapshot(obj, fields) -> dict:
    return {f: _plain(getattr(obj, f)) for f in fields}


def diff(before: dict, after: dict) -> dict:
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def record(user, gemeente, obj, summary: str, changes: dict, *, action=None) -> ChangeRecord:
    return ChangeRecord.objects.create(
        gemeente=gemeente, action=action, subject=obj._meta.label_lower, object_id=obj.pk, summary=summary[:300],
        diff=changes, changed_by=user)
