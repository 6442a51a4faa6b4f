"""Reading signals: the one place where a read of a signal is fetched and logged, for every channel.

A signal holds personal data (the description, the observations, the consent, the resident it is
about), so the page, the API and any export read it through here and leave one access-log entry for the
signal and one for its resident. The route name in the entry tells the channel (``api:...`` for the API).
"""

from __future__ import annotations

from collections.abc import Iterable

from samen.core import accesslog, policy
from samen.core.models import AccessAction, Purpose
from samen.vinden.models import Signal


def _records(signals: Iterable[Signal]) -> list:
    records = []
    for signal in signals:
        records.append(signal)
        if signal.resident_id:
            records.append(signal.resident)
    return records


def log_signals_read(user, signals: Iterable[Signal], *, route: str, purpose: Purpose = Purpose.TRIAGE) -> None:
    """Log that ``user`` was shown these signals (and so their residents)."""
    accesslog.record(actor=user, action=AccessAction.VIEW, records=_records(signals), purpose=purpose, route=route)


def read_signal(user, pk, *, route: str, purpose: Purpose = Purpose.TRIAGE, queryset=None) -> Signal:
    """The signal ``pk`` if ``user`` may see it, logged as read. Signal.DoesNotExist otherwise."""
    signals = queryset if queryset is not None else policy.visible(user, Signal).select_related("resident", "wijk")
    try:
        signal = signals.get(pk=pk)
    except (ValueError, TypeError):
        raise Signal.DoesNotExist from None
    log_signals_read(user, [signal], route=route, purpose=purpose)
    return signal
