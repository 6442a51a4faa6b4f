"""kwaliteit's scheduled job (samen.core.jobs): the catalogue's nightly refresh."""

from __future__ import annotations

import datetime as dt

from samen.core import jobs


def catalogue_refresh(reminders: bool = True) -> dict:
    """Roll every published activity's planned dates forward, then queue the reminders for entries their
    providers have not confirmed for a while."""
    from samen.kwaliteit.services import catalogue, freshness

    result = {"planned_dates": catalogue.refresh_all_occurrences()}
    if reminders:
        result["reminded"] = freshness.remind_stale()
    return result


jobs.register("catalogue_refresh", catalogue_refresh, daily_at="03:00", lease=dt.timedelta(hours=2),
              help="Roll the activities' planned dates forward and remind providers of unconfirmed entries.")
