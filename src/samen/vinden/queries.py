"""Reads of signals for the screens (scoped by the caller through the policy): the list's filters."""

from __future__ import annotations

import datetime

from django.utils import timezone

from samen.vinden import workflow


def filter_signals(signals, filters: dict):
    """The signals that match the list's filters; without a status filter only the open ones."""
    stand = filters.get("stand") or "open"
    if stand == "open":
        signals = signals.filter(status__in=workflow.OPEN)
    elif stand != "alle":
        signals = signals.filter(status=stand)
    number = (filters.get("q") or "").strip().lstrip("#")
    if number:
        signals = signals.filter(pk=int(number)) if number.isdigit() else signals.none()
    if filters.get("wijk"):
        signals = signals.filter(wijk__code=filters["wijk"])
    if filters.get("channel"):
        signals = signals.filter(channel=filters["channel"])
    tz = timezone.get_current_timezone()
    if filters.get("date_from"):
        signals = signals.filter(created_at__gte=datetime.datetime.combine(filters["date_from"], datetime.time.min, tz))
    if filters.get("date_to"):
        signals = signals.filter(created_at__lte=datetime.datetime.combine(filters["date_to"], datetime.time.max, tz))
    return signals
