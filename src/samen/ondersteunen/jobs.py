"""ondersteunen's scheduled jobs (``samen.core.jobs``), each safe to run twice or on two machines: every
reminder is marked in the transaction that queues its e-mail, with a conditional update."""

from __future__ import annotations

import datetime as dt

from samen.core import jobs


# --- part referrals: nudging providers, returning unanswered referrals, aftercare reminders ------------------
def referral_reminders() -> dict:
    """Nudge providers who have not answered, return referrals to the worker, remind workers of check-ins."""
    from samen.ondersteunen.services import aftercare, referrals

    return {**referrals.nudge_and_return(), **aftercare.remind_due()}


jobs.register("referral_reminders", referral_reminders, every=dt.timedelta(hours=1), lease=dt.timedelta(minutes=30),
              help="Nudge providers about unanswered referrals, return them to the worker, remind of check-ins.")
# (end of part referrals)
