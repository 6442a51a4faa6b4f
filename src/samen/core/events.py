"""Domain events between building blocks, sent after the transaction commits (the Signalen pattern).

A building block that changes something other blocks may care about publishes an event from its
service; a block that wants to act on it subscribes. The publisher never imports the subscriber:

    # vinden/services/signals.py
    events.publish(events.SIGNAL_TRIAGED, signal_id=signal.pk, decision="social_work", ...)

    # ondersteunen/receivers.py (imported from its AppConfig.ready())
    @events.subscribe(events.SIGNAL_TRIAGED)
    def start_trajectory(event, signal_id, decision, **payload): ...

``publish`` hands the event to ``transaction.on_commit``: receivers run only once the change is in the
database, and never when it is rolled back. A receiver that raises does not undo the publisher's work
(it is already committed) and does not stop the other receivers; the error is logged. A receiver that
must not be lost (an e-mail, say) queues its work in the outbox rather than doing it in place.

Payloads are plain values (ids, codes, strings), never model instances: the receiver loads what it
needs, scoped through ``policy`` if it reads personal data.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)

# The events Samen knows, named "<record>.<what happened>". A block declares a new one with ``declare()``
# (from its blocks.py); ``publish`` refuses a name nobody declared, so a typo is an error and not a silence.
SIGNAL_TRIAGED = "signal.triaged"  # payload: signal_id, gemeente_id, decision, status, wijk_id, actor_id

_declared: set[str] = {SIGNAL_TRIAGED}
_receivers: dict[str, list[Callable]] = defaultdict(list)


def declare(name: str) -> str:
    """A building block declares an event it publishes (from its blocks.py)."""
    _declared.add(name)
    return name


def subscribe(name: str, receiver: Callable | None = None):
    """Call ``receiver(event, **payload)`` after each commit that published ``name``. Usable as decorator."""

    def register(function: Callable) -> Callable:
        if function not in _receivers[name]:
            _receivers[name].append(function)
        return function

    return register(receiver) if receiver is not None else register


def unsubscribe(name: str, receiver: Callable) -> None:
    if receiver in _receivers.get(name, []):
        _receivers[name].remove(receiver)


def publish(name: str, using: str | None = None, **payload) -> None:
    """Send ``name`` with ``payload`` to its receivers once the current transaction commits."""
    if name not in _declared:
        raise LookupError(f"unknown event {name!r}; declare it with events.declare().")
    transaction.on_commit(lambda: _send(name, payload), using=using)


def _send(name: str, payload: dict) -> None:
    for receiver in list(_receivers.get(name, [])):
        try:
            receiver(name, **payload)
        except Exception:  # a receiver's failure must not hide the others'; the publisher's work is committed
            logger.exception("receiver %s of event %s failed", getattr(receiver, "__qualname__", receiver), name)
