"""The local evidence: how earlier referrals to each activity and intervention went, aggregates only.

One protected set, used by the outcomes page (its table and CSV) and by the catalogue's pages (the regisseur's
review of an activity version, the activity's page, the intervention's page; registered as record sections in
``parts/reports.py``, so kwaliteit does not know ondersteunen). Per *target* (an activity; an intervention
with every referral to it and to the activities that apply it):

* counts: referred, went the first time, stopped after going (with the reasons given by at least 5): a count
  of 1-4 is hidden (``outcomes.COUNT_MINIMUM``);
* shares: still going after 6 weeks, a lower 6-item score after 3 and after 6 months: shown only with at
  least the municipality's ``min_cell_size`` residents behind them (the monitor's rule).

Complementary suppression (``disclosure.protect_families``) over every relation the published figures make:
referred ⊇ went ⊇ stopped ⊇ its reasons; an intervention ⊇ its activities; the municipality's totals (all
referrals, all stopped, all still going after 6 weeks) ⊇ the activities. What a family holds besides its
published parts is its *rest*, and a small rest is protected too. Never a name: the reasons are shown only
when the same words were given at least 5 times (a stock phrase, not a story).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.utils.translation import gettext as _

from samen.core import disclosure
from samen.ondersteunen.workflow import REFERRAL_WENT, ReferralStatus

COUNT_MINIMUM = disclosure.MINIMUM
THREE_MONTHS, SIX_MONTHS = 91, 182
ALL = ("all", 0)
COUNTS = ("referred", "went", "stopped")
SHARES = ("still_going", "down_3m", "down_6m")


def _reason_key(text: str) -> str:
    return " ".join((text or "").split()).rstrip(".").casefold()


def protect(referrals: list[dict], changes: dict, *, minimum: int, applies: dict[int, list[int]],
            names: dict[int, str] | None = None, totals: dict | None = None) -> dict:
    """{target: row} for every activity (("activity", id)) and intervention (("intervention", id)) referred to.

    ``referrals``: dicts with ``trajectory_id``, ``status``, ``activity_id``, ``activity__title``,
    ``intervention_id``, ``first_visit_on``, ``still_going_6w``, ``end_reason`` (every kind: the others count
    in the municipality's totals only); ``changes``: {trajectory id: {91: went down?, 182: ...}};
    ``applies``: {activity id: [intervention ids]}; ``names``: intervention names; ``totals``: what the
    municipality's tables publish beside this ({"referred": n, "stopped": n, "still_going": (num, den)}),
    else computed from ``referrals``."""
    names = names or {}
    labels: dict = {}
    counts: dict = defaultdict(int)  # (target, measure) -> n
    shares: dict = defaultdict(lambda: [0, 0])  # (target, measure) -> [numerator, denominator]
    spelling: dict = defaultdict(Counter)
    all_referred = all_stopped = 0
    all_going = [0, 0]
    for r in referrals:
        all_referred += 1
        all_stopped += r["status"] == ReferralStatus.GESTOPT
        if r["still_going_6w"] is not None:
            all_going[0] += r["still_going_6w"]
            all_going[1] += 1
        targets = []
        if r.get("activity_id"):
            key = ("activity", r["activity_id"])
            labels[key] = r["activity__title"]
            targets = [key, *(("intervention", i) for i in applies.get(r["activity_id"], ()))]
        elif r.get("intervention_id"):
            targets = [("intervention", r["intervention_id"])]
        went = r["first_visit_on"] is not None or r["status"] in REFERRAL_WENT
        stopped = went and r["status"] == ReferralStatus.GESTOPT
        reason = _reason_key(r.get("end_reason", "")) if stopped else None
        if reason is not None:
            spelling[reason][" ".join((r.get("end_reason") or "").split()) or _("geen reden gegeven")] += 1
        change = changes.get(r["trajectory_id"], {}) if went else {}
        for t in targets:
            counts[(t, "referred")] += 1
            counts[(t, "went")] += went
            counts[(t, "stopped")] += stopped
            if reason is not None:
                counts[(t, ("reason", reason))] += 1
            if r["still_going_6w"] is not None:
                shares[(t, "still_going")][0] += r["still_going_6w"]
                shares[(t, "still_going")][1] += 1
            for offset, measure in ((THREE_MONTHS, "down_3m"), (SIX_MONTHS, "down_6m")):
                if change.get(offset) is not None:
                    shares[(t, measure)][0] += change[offset]
                    shares[(t, measure)][1] += 1
    for t in {t for t, _m in counts if t[0] == "intervention"}:
        labels[t] = names.get(t[1], "")
    totals = totals or {}
    all_counts = {"referred": totals.get("referred", all_referred), "stopped": totals.get("stopped", all_stopped)}
    all_going = list(totals.get("still_going", all_going))

    activities = sorted(t for t in labels if t[0] == "activity")
    members = defaultdict(list)  # intervention -> its activities
    for t in activities:
        for i in applies.get(t[1], ()):
            if ("intervention", i) in labels:
                members[("intervention", i)].append(t)
    reasons = sorted({m[1] for _t, m in counts if isinstance(m, tuple)})
    measures = [*COUNTS, *(("reason", key) for key in reasons)]

    # Counts: one call over every family.
    sizes = dict(counts)
    for measure, n in all_counts.items():
        sizes[(ALL, measure)] = n
    for t in labels:
        for measure in measures:
            sizes.setdefault((t, measure), 0)
    families = []
    for t in labels:
        families.append(([(t, "referred")], [(t, "went")]))
        families.append(([(t, "went")], [(t, "stopped")]))
        families.append(([(t, "stopped")], [(t, ("reason", key)) for key in reasons]))
    for i, parts in members.items():
        families += [([(i, m)], [(a, m) for a in parts]) for m in measures]
    for measure in all_counts:
        if sizes[(ALL, measure)] >= sum(sizes[(a, measure)] for a in activities):
            families.append(([(ALL, measure)], [(a, measure) for a in activities]))
    primary = {cell for cell, n in sizes.items() if 0 < n < COUNT_MINIMUM}
    hidden = disclosure.protect_families(sizes, families, primary, minimum=COUNT_MINIMUM)

    # Shares: per measure, sizes are the residents behind it (numerators are additive the same way).
    shown_share = {}
    for measure in SHARES:
        share_sizes = {(t, measure): shares[(t, measure)][1] for t in labels}
        share_families = [([(i, measure)], [(a, measure) for a in parts]) for i, parts in members.items()]
        if measure == "still_going":
            share_sizes[(ALL, measure)] = all_going[1]
            if all_going[1] >= sum(share_sizes[(a, measure)] for a in activities):
                share_families.append(([(ALL, measure)], [(a, measure) for a in activities]))
        share_primary = {cell for cell, d in share_sizes.items() if d < minimum}
        share_hidden = disclosure.protect_families(share_sizes, share_families, share_primary, minimum=minimum)
        for t in labels:
            num, den = shares[(t, measure)]
            shown = (t, measure) not in share_hidden and den > 0
            # "n" stays the true base (for the checks); only "count" and "share" are published
            shown_share[(t, measure)] = {"n": den, "count": num if shown else None,
                                         "share": num / den if shown else None}

    rows = {}
    for t, label in labels.items():
        row = {"kind": _("activiteit") if t[0] == "activity" else _("interventie"), "label": label, "key": t,
               "activities": len(members.get(t, ()))}
        for measure in COUNTS:
            row[measure] = None if (t, measure) in hidden else counts[(t, measure)]
        row["reasons"] = [{"text": spelling[key].most_common(1)[0][0], "n": counts[(t, ("reason", key))]}
                          for key in reasons
                          if counts[(t, ("reason", key))] and (t, ("reason", key)) not in hidden]
        row["reasons"].sort(key=lambda item: (-item["n"], item["text"]))
        for measure in SHARES:
            row[measure] = shown_share[(t, measure)]
        row["has_hidden"] = any(row[m] is None for m in COUNTS if counts[(t, m)]) or any(
            row[m]["share"] is None and shares[(t, m)][1] for m in SHARES)
        rows[t] = row
    return rows


def empty_row(kind: str, label: str) -> dict:
    """A target nobody was referred to in the period."""
    return {"kind": kind, "label": label, "key": None, "activities": 0, "referred": 0, "went": 0, "stopped": 0,
            "reasons": [], "has_hidden": False,
            **{m: {"n": 0, "count": 0, "share": None} for m in SHARES}}
