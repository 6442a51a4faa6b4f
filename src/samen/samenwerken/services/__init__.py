"""Samenwerken's write paths (one per aggregate) and its reads: ``agenda`` (actions, milestones, notes,
indicators, status, computed progress), ``budget`` (lines, bookings, totals, the Excel export),
``meetings``, ``assessment`` and ``report``. Every change leaves a ``ChangeRecord`` (``history``)."""
