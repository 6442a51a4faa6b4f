"""What ondersteunen does when other blocks tell it something (``samen.core.events``).

When triage gives a signal to social work, a trajectory starts for the assigned worker. Safe when the
event comes twice: one trajectory per signal (``services.trajectories.start``)."""

from __future__ import annotations

from samen.core import events


@events.subscribe(events.SIGNAL_TRIAGED)
def start_trajectory(event, *, signal_id, gemeente_id, decision, **payload):
    if decision != "social_work":
        return
    from samen.ondersteunen.services import trajectories
    from samen.vinden.models import Signal

    signal = Signal.objects.select_related("resident", "assigned_to", "wijk").get(pk=signal_id)
    if signal.assigned_to is None:
        return
    trajectories.start(gemeente_id=gemeente_id, resident=signal.resident, worker=signal.assigned_to,
                       by=trajectories.system(gemeente_id), signal=signal)
