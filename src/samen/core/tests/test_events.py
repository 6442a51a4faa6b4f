"""Domain events: sent after the transaction commits, never on a rollback, one failing receiver
does not stop the others."""

from __future__ import annotations

import pytest
from django.db import transaction

from samen.core import events

TEST_EVENT = events.declare("test.happened")


@pytest.fixture
def heard():
    received = []

    def receiver(event, **payload):
        received.append((event, payload))

    events.subscribe(TEST_EVENT, receiver)
    yield received
    events.unsubscribe(TEST_EVENT, receiver)


# The test's own transaction stands for the request's; the capture runs the on-commit callbacks
# when it ends, as a commit would, and drops those of a rolled-back savepoint, as a rollback does.

@pytest.mark.django_db
def test_an_event_reaches_its_receivers_only_after_commit(heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            events.publish(TEST_EVENT, record_id=7)
        assert heard == []
    assert heard == [(TEST_EVENT, {"record_id": 7})]


@pytest.mark.django_db
def test_an_event_of_a_rolled_back_transaction_is_never_sent(heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError), \
            transaction.atomic():
        events.publish(TEST_EVENT, record_id=8)
        raise RuntimeError("rolled back")
    assert callbacks == [] and heard == []


@pytest.mark.django_db
def test_a_failing_receiver_does_not_stop_the_others(heard, caplog, django_capture_on_commit_callbacks):
    def broken(event, **payload):
        raise ValueError("boom")

    events.subscribe(TEST_EVENT, broken)
    try:
        events._receivers[TEST_EVENT].reverse()  # the broken one first
        with django_capture_on_commit_callbacks(execute=True):
            events.publish(TEST_EVENT, record_id=9)
    finally:
        events.unsubscribe(TEST_EVENT, broken)
    assert heard == [(TEST_EVENT, {"record_id": 9})]
    assert "failed" in caplog.text


def test_an_undeclared_event_is_refused():
    with pytest.raises(LookupError, match="unknown event"):
        events.publish("signal.triaged_typo")
