"""vinden's scheduled jobs (samen.core.jobs): the reminders of maatwerk whose date to look again has come."""

from __future__ import annotations

import datetime as dt

from samen.core import jobs


def look_again() -> dict:
    from samen.vinden import notifications

    return {"signals": notifications.queue_look_again()}


jobs.register("look_again", look_again, daily_at="07:00", lease=dt.timedelta(minutes=30),
              help="Remind the network of maatwerk whose date to look again has come (once per date).")
