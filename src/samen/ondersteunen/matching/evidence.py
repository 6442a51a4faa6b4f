"""The local evidence of one activity: of the residents referred there who went (a first visit) and whose
six-week answer is known, how many were still going after six weeks (``Referral.still_going_6w``).

Shown only when that count passes the municipality's small-cell rule (``Gemeente.min_cell_size``, through
``samen.core.disclosure``, as vinden's counts are): otherwise "te weinig gegevens", and the matching ranks
the activity as if there were no evidence at all. For the regisseur's catalogue review and the reports
part: ``evidence_for_activity(activity)``.
"""

from __future__ import annotations

from django.db.models import Count, Q

from samen.core import disclosure
from samen.ondersteunen.matching import engine


def protected(went: int, still: int, minimum: int) -> engine.Evidence:
    """The evidence with the small-cell rule applied: figures only when ``went`` is at least ``minimum``."""
    rows, _totals = disclosure.protect([{"went": went}], ["went"], minimum=max(minimum, 1))
    shown = went > 0 and rows[0]["went"] is not None
    return engine.evidence_of(went, still, shown)


def evidence_for_activity(activity) -> dict:
    """{"shown", "went", "still_going", "share", "sentence"}: the figures are None unless shown."""
    from samen.ondersteunen.models import Referral

    counts = Referral.objects.filter(activity=activity, first_visit_on__isnull=False,
                                     still_going_6w__isnull=False).aggregate(
        went=Count("id"), still=Count("id", filter=Q(still_going_6w=True)))
    return protected(counts["went"] or 0, counts["still"] or 0, activity.gemeente.min_cell_size).as_dict()
