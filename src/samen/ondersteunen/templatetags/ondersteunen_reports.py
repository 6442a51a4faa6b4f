"""Template helpers of the reports part: a share as a Dutch percentage, or the suppression mark; a moment
of the inzage as the screens show it."""

from __future__ import annotations

import datetime

from django import template

from samen.ondersteunen.services.outcomes import percent as _percent

register = template.Library()


@register.filter
def percent(share, minimum=None):
    """0.7 -> "70,0%"; a hidden share -> "n<50"."""
    return _percent(share) if share is not None else (f"n<{minimum}" if minimum else "—")


@register.simple_tag
def share_of(rows, wijk_id, minimum):
    row = next((r for r in rows if r.get("wijk_id") == wijk_id), None)
    return percent(row["share"] if row else None, minimum)


@register.filter
def readable_moment(value):
    """A moment of the inzage as the screens write it: the JSON's ISO text "2026-11-14T10:00+01:00" (already
    local time) -> "14-11-2026 10:00", a date (or "2026-11-14") -> "14-11-2026"; anything else unchanged."""
    if isinstance(value, str) and value:
        try:
            value = (datetime.date.fromisoformat(value) if len(value) == 10 else datetime.datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, datetime.datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    return value
