"""Template helpers of the reports part: a share as a Dutch percentage, or the suppression mark."""

from __future__ import annotations

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
