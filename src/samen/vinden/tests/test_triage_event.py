"""vinden tells the other building blocks of a triage through the event bus, after commit; it does not
know who listens (ondersteunen will start a trajectory on "social_work")."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from samen.core import events
from samen.vinden import workflow
from samen.vinden.services.signals import submit_signal, triage


@pytest.fixture
def heard():
    received = []

    def listener(event, **payload):
        received.append(payload)

    events.subscribe(events.SIGNAL_TRIAGED, listener)
    yield received
    events.unsubscribe(events.SIGNAL_TRIAGED, listener)


def test_a_signal_triaged_to_social_work_is_announced_after_commit(hilversum, demo_user, heard,
                                                                    django_capture_on_commit_callbacks):
    signal = submit_signal(hilversum, channel="staff", data={"postcode": "1211BJ", "house_number": 7,
                                                             "description": "x"}).signal
    regisseur, worker = demo_user("regisseur"), demo_user("sociaalwerker")
    with django_capture_on_commit_callbacks(execute=True):
        triage(regisseur, signal.pk, workflow.Decision.SOCIAL_WORK, assign_to=worker)
        assert heard == []  # not before the commit
    assert heard == [{"signal_id": signal.pk, "gemeente_id": hilversum.pk, "decision": "social_work",
                      "status": "assigned", "wijk_id": signal.wijk_id, "actor_id": regisseur.pk}]


def test_a_refused_triage_announces_nothing(hilversum, demo_user, heard, django_capture_on_commit_callbacks):
    signal = submit_signal(hilversum, channel="staff", data={"postcode": "1211BJ", "house_number": 7,
                                                             "description": "x"}).signal
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        triage(demo_user("partner"), signal.pk, workflow.Decision.NO_ACTION)  # no reason given
    assert heard == []
