"""Outcomes of ondersteunen for the beleidsadviseur and the regisseur (``trajectory.stats``): aggregates
only, per wijk and period, with small cells suppressed (``samen.core.disclosure``).

* **Counts** (trajectories by channel, by state, by closing reason; referrals by outcome) are tables of
  wijk x category with the municipality's totals. A count of 1-4 is hidden, and then whatever would give
  it back by subtraction (the row's and the column's totals): ``disclosure.protect_families`` over every
  row and column of the table (complementary suppression).
* **Shares** (still going after 6 weeks; a lower 6-item De Jong Gierveld score after 3 and after 6 months;
  the same per activity and intervention, the *local evidence*) are shown only with at least the
  municipality's ``min_cell_size`` residents behind them (the monitor's rule), and complementary: a share
  whose residents could be worked out from the total and the other shown shares is hidden too.
* **Time to first contact**: the median in working days (the triage calendar), with at least 5 behind it.

Trajectories count in the period they *started*; referrals with their trajectory. What the reports read
survives retention (wijk, age group, channel, states, dates, closing reason, scores, referral outcomes).
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core import disclosure
from samen.core.models import Gemeente, Wijk
from samen.ondersteunen.models import Measurement, Referral, Trajectory
from samen.ondersteunen.workflow import ClosingReason, ReferralStatus, TrajectoryStatus
from samen.vinden.calendar import is_working_day
from samen.vinden.models import Channel

COUNT_MINIMUM = disclosure.MINIMUM
THREE_MONTHS, SIX_MONTHS = 91, 182
SIX_WEEKS = 42
WHOLE = "__totaal__"


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return today.replace(year=today.year - 2, month=1, day=1), today


def working_days(start: datetime.date, end: datetime.date) -> int:
    days, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        days += is_working_day(day)
    return days


def _trajectories(gemeente, date_from, date_to):
    tz = timezone.get_current_timezone()
    return (Trajectory.objects.filter(gemeente=gemeente,
                                      started_at__gte=datetime.datetime.combine(date_from, datetime.time.min, tz),
                                      started_at__lte=datetime.datetime.combine(date_to, datetime.time.max, tz)))


def crosstab(records: list[tuple], categories: list[tuple[str, str]], wijken: list[Wijk], *,
             minimum: int = COUNT_MINIMUM) -> dict:
    """A protected wijk x category count table. ``records`` are (wijk_id, category) pairs. Returns rows per
    wijk and a totals row, each {"label", "cells": [n or None], "total": n or None}; None is hidden."""
    counts = Counter(records)
    keys = [c for c, _label in categories]
    wijk_ids = [w.pk for w in wijken] + ([None] if any(w is None for w, _c in records) else [])
    sizes: dict = {}
    for w in wijk_ids:
        for c in keys:
            sizes[(w, c)] = counts.get((w, c), 0)
        sizes[(w, WHOLE)] = sum(counts.get((w, c), 0) for c in keys)
    for c in keys:
        sizes[(WHOLE, c)] = sum(counts.get((w, c), 0) for w in wijk_ids)
    sizes[(WHOLE, WHOLE)] = sum(sizes[(WHOLE, c)] for c in keys)
    families = [([(w, WHOLE)], [(w, c) for c in keys]) for w in [*wijk_ids, WHOLE]]
    families += [([(WHOLE, c)], [(w, c) for w in wijk_ids]) for c in [*keys, WHOLE]]
    primary = {cell for cell, n in sizes.items() if 0 < n < minimum}
    hidden = disclosure.protect_families(sizes, families, primary, minimum=minimum)
    names = {w.pk: w.display_name for w in wijken}
    names[None] = _("zonder wijk")
    names[WHOLE] = _("Totaal")

    def row(w):
        return {"label": names[w], "wijk_id": w,
                "cells": [None if (w, c) in hidden else sizes[(w, c)] for c in keys],
                "total": None if (w, WHOLE) in hidden else sizes[(w, WHOLE)]}

    return {"columns": [str(label) for _c, label in categories], "rows": [row(w) for w in wijk_ids],
            "total": row(WHOLE)}


def protected_shares(groups: dict, total_key, *, minimum: int) -> dict:
    """{key: (numerator, denominator)} -> {key: {"n", "share" or None}}: a share is shown with at least
    ``minimum`` behind it; complementary over the whole (``total_key``) and its parts."""
    sizes = {k: d for k, (_num, d) in groups.items()}
    parts = [k for k in groups if k != total_key]
    families = [([total_key], parts)] if total_key in groups and parts else []
    primary = {k for k, d in sizes.items() if d < minimum}
    hidden = disclosure.protect_families(sizes, families, primary, minimum=minimum) if sizes else set()
    return {k: {"n": d, "share": None if k in hidden or not d else num / d, "count": None if k in hidden else num}
            for k, (num, d) in groups.items()}


def _score_changes(trajectory_ids) -> dict[int, dict[int, bool]]:
    """Per trajectory: {91: went down?, 182: went down?} on the 6-item scale, comparing the start
    measurement with the first one at least ~3 (~6) months later."""
    by_trajectory = defaultdict(list)
    for m in (Measurement.objects.filter(trajectory_id__in=trajectory_ids, scale="djg6")
              .order_by("measured_on", "id").values("trajectory_id", "moment", "measured_on", "score")):
        by_trajectory[m["trajectory_id"]].append(m)
    out = {}
    for pk, rows in by_trajectory.items():
        start = next((r for r in rows if r["moment"] == Measurement.Moment.START), None)
        if start is None:
            continue
        out[pk] = {}
        for offset in (THREE_MONTHS, SIX_MONTHS):
            later = next((r for r in rows if (r["measured_on"] - start["measured_on"]).days >= offset - 14
                          and r is not start), None)
            if later is not None:
                out[pk][offset] = later["score"] < start["score"]
    return out


def compute(gemeente: Gemeente, *, date_from: datetime.date | None = None, date_to: datetime.date | None = None,
            wijk: Wijk | None = None) -> dict:
    """Every table of the outcomes page (and its CSV). ``wijk`` narrows the rows shown, never what the
    suppression is computed over."""
    default_from, default_to = default_period()
    date_from, date_to = date_from or default_from, date_to or default_to
    minimum = gemeente.min_cell_size
    wijken = list(Wijk.objects.filter(gemeente=gemeente).order_by("code"))
    trajectories = list(_trajectories(gemeente, date_from, date_to)
                        .values("pk", "wijk_id", "channel", "status", "closing_reason", "started_at",
                                "first_contact_at"))
    wijk_of = {t["pk"]: t["wijk_id"] for t in trajectories}
    channels = [(c, label) for c, label in Channel.choices]
    known = {c for c, _label in channels}
    tables = {
        "channel": crosstab([(t["wijk_id"], t["channel"] if t["channel"] in known else "staff")
                             for t in trajectories], channels, wijken),
        "state": crosstab([(t["wijk_id"], t["status"]) for t in trajectories], list(TrajectoryStatus.choices),
                          wijken),
        "closing": crosstab([(t["wijk_id"], t["closing_reason"]) for t in trajectories
                             if t["status"] == TrajectoryStatus.AFGESLOTEN and t["closing_reason"]],
                            list(ClosingReason.choices), wijken),
    }
    referrals = list(Referral.objects.filter(trajectory_id__in=wijk_of).values(*REFERRAL_FIELDS))
    tables["referral"] = crosstab([(wijk_of[r["trajectory_id"]], r["status"]) for r in referrals],
                                  list(ReferralStatus.choices), wijken)

    # Time to first contact, in working days.
    delays_by_wijk = defaultdict(list)
    for t in trajectories:
        if t["first_contact_at"]:
            delays_by_wijk[t["wijk_id"]].append(working_days(timezone.localtime(t["started_at"]).date(),
                                                             timezone.localtime(t["first_contact_at"]).date()))
    delays = [d for values in delays_by_wijk.values() for d in values]

    def median(values):  # a median is not additive: 5 behind it is enough
        return {"n": len(values), "median": statistics.median(values) if len(values) >= COUNT_MINIMUM else None}

    first_contact = median(delays)
    first_contact_by_wijk = {w.pk: median(delays_by_wijk.get(w.pk, [])) for w in wijken}

    # Shares per wijk and for the municipality.
    changes = _score_changes(list(wijk_of))
    going = defaultdict(lambda: [0, 0])
    down = {THREE_MONTHS: defaultdict(lambda: [0, 0]), SIX_MONTHS: defaultdict(lambda: [0, 0])}
    for r in referrals:
        if r["still_going_6w"] is not None:
            for key in (wijk_of[r["trajectory_id"]], WHOLE):
                going[key][0] += r["still_going_6w"]
                going[key][1] += 1
    for pk, change in changes.items():
        for offset, went_down in change.items():
            for key in (wijk_of[pk], WHOLE):
                down[offset][key][0] += went_down
                down[offset][key][1] += 1
    names = {w.pk: w.display_name for w in wijken}
    names[None], names[WHOLE] = _("zonder wijk"), _("Totaal")

    def share_rows(groups):
        protected = protected_shares({k: tuple(v) for k, v in groups.items()}, WHOLE, minimum=minimum)
        order = [w.pk for w in wijken if w.pk in protected] + [k for k in protected if k not in names or k is None]
        return ([{"label": names.get(k, k), "wijk_id": k, **protected[k]} for k in order if k != WHOLE],
                {"label": names[WHOLE], **protected.get(WHOLE, {"n": 0, "share": None, "count": 0})})

    shares = {"still_going": share_rows(going), "down_3m": share_rows(down[THREE_MONTHS]),
              "down_6m": share_rows(down[SIX_MONTHS])}
    evidence = local_evidence(gemeente, referrals, changes, minimum=minimum)
    if wijk is not None:
        for table in tables.values():
            table["rows"] = [r for r in table["rows"] if r["wijk_id"] == wijk.pk]
        shares = {k: ([r for r in rows if r["wijk_id"] == wijk.pk], total) for k, (rows, total) in shares.items()}
    return {"gemeente": gemeente, "date_from": date_from, "date_to": date_to, "wijk": wijk, "minimum": minimum,
            "count_minimum": COUNT_MINIMUM, "tables": tables, "first_contact": first_contact,
            "first_contact_by_wijk": first_contact_by_wijk, "shares": shares,
            "evidence": evidence, "trajectory_total": tables["state"]["total"]["total"]}


def _applies(gemeente) -> dict[int, list[int]]:
    """{activity id: [the interventions it applies]} (one query)."""
    from samen.kwaliteit.models import Activity

    applies = defaultdict(list)
    for activity_id, intervention_id in (Activity.interventions.through.objects
                                         .filter(activity__gemeente=gemeente)
                                         .values_list("activity_id", "intervention_id")):
        applies[activity_id].append(intervention_id)
    return applies


def local_evidence(gemeente, referrals: list[dict], changes: dict, *, minimum: int) -> list[dict]:
    """Per activity and intervention (with its activities): referred, went, stopped with reasons, still going
    after 6 weeks, a lower score after 3 and 6 months; one protected set (``services.evidence``)."""
    from samen.kwaliteit.models import Intervention
    from samen.ondersteunen.services import evidence

    names = dict(Intervention.objects.filter(gemeente=gemeente).values_list("pk", "name"))
    rows = evidence.protect(referrals, changes, minimum=minimum, applies=_applies(gemeente), names=names)
    return sorted(rows.values(), key=lambda row: (row["kind"], row["label"]))


REFERRAL_FIELDS = ("pk", "trajectory_id", "status", "activity_id", "activity__title", "intervention_id",
                   "first_visit_on", "still_going_6w", "end_reason")


def catalogue_evidence(gemeente) -> dict:
    """The local evidence of every activity and intervention over the outcomes page's default period, for
    the catalogue's pages: {"rows": {target: row}, "date_from", "date_to", "minimum", "count_minimum"}. A
    fixed number of queries, whatever the catalogue's size."""
    from samen.ondersteunen.services import evidence

    date_from, date_to = default_period()
    trajectory_ids = list(_trajectories(gemeente, date_from, date_to).values_list("pk", flat=True))
    referrals = list(Referral.objects.filter(trajectory_id__in=trajectory_ids).values(*REFERRAL_FIELDS))
    from samen.kwaliteit.models import Intervention

    names = dict(Intervention.objects.filter(gemeente=gemeente).values_list("pk", "name"))
    rows = evidence.protect(referrals, _score_changes([r["trajectory_id"] for r in referrals]),
                            minimum=gemeente.min_cell_size, applies=_applies(gemeente), names=names)
    return {"rows": rows, "date_from": date_from, "date_to": date_to, "minimum": gemeente.min_cell_size,
            "count_minimum": COUNT_MINIMUM}


def percent(share: float | None) -> str:
    """70,0% (Dutch decimal comma); '' when hidden."""
    return "" if share is None else f"{share * 100:.1f}".replace(".", ",") + "%"


def csv_rows(data: dict) -> list[list]:
    """The outcomes as one CSV table (Dutch Excel: semicolon, decimal comma, BOM via core.tabular)."""
    hidden = f"<{data['count_minimum']}"
    rows = [[_("Onderdeel"), _("Gebied of activiteit"), _("Categorie"), _("Aantal"), _("Aandeel"), _("Basis (n)")]]
    titles = {"channel": _("Trajecten naar kanaal van het signaal"), "state": _("Trajecten naar stand"),
              "closing": _("Afgesloten trajecten naar reden"), "referral": _("Verwijzingen naar uitkomst")}
    for key, table in data["tables"].items():
        for row in [*table["rows"], table["total"]]:
            for column, value in zip(table["columns"], row["cells"], strict=True):
                rows.append([titles[key], row["label"], column, hidden if value is None else value, "", ""])
    fc = data["first_contact"]
    rows.append([_("Tijd tot eerste contact (mediaan, werkdagen)"), _("Totaal"), "",
                 "" if fc["median"] is None else str(fc["median"]).replace(".", ","), "", fc["n"]])
    share_titles = {"still_going": _("Komt er na 6 weken nog"), "down_3m": _("Score lager na 3 maanden"),
                    "down_6m": _("Score lager na 6 maanden")}
    for key, (shares, total) in data["shares"].items():
        for row in [*shares, total]:
            rows.append([share_titles[key], row["label"], "", "", percent(row["share"]) or f"n<{data['minimum']}",
                         row["n"] if row["share"] is not None else ""])
    for row in data["evidence"]:
        for key in ("still_going", "down_3m"):
            rows.append([_("Lokaal bewijs: ") + share_titles[key], row["label"], row["kind"],
                         hidden if row["referred"] is None else row["referred"],
                         percent(row[key]["share"]) or f"n<{data['minimum']}",
                         row[key]["n"] if row[key]["share"] is not None else ""])
    return rows


def filename(data: dict) -> str:
    wijk = f"-{data['wijk'].code}" if data["wijk"] else ""
    return (f"ondersteunen-uitkomsten-{data['gemeente'].name.lower()}{wijk}-"
            f"{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}.csv")


def summary(gemeente: Gemeente, year: int) -> dict:
    """For the monitor's factsheet (a ``report_section`` after the merge): the year's key figures of
    ondersteunen, suppressed as on the outcomes page, with their sources."""
    data = compute(gemeente, date_from=datetime.date(year, 1, 1), date_to=datetime.date(year, 12, 31))
    total_going = data["shares"]["still_going"][1]
    total_down = data["shares"]["down_3m"][1]
    return {
        "title": _("Ondersteunen: van signaal naar verbinding"),
        "year": year,
        "trajectories": data["trajectory_total"],
        "first_contact_median_working_days": data["first_contact"]["median"],
        "still_going_6w": total_going["share"], "still_going_6w_n": total_going["n"],
        "score_down_3m": total_down["share"], "score_down_3m_n": total_down["n"],
        "activities_with_evidence": sum(1 for r in data["evidence"] if r["still_going"]["share"] is not None),
        "sources": [
            _("Trajecten in Samen, gestart in %(year)s (stand, kanaal, reden van afsluiten).") % {"year": year},
            _("Verwijzingen in Samen: 'komt er na 6 weken nog' bij het nazorgmoment van 6 weken."),
            _("De Jong Gierveld 6 vragen bij de start en bij de nazorgmomenten na 3 en 6 maanden."),
        ],
        "note": _("Aantallen onder %(count)s en aandelen over minder dan %(n)s inwoners worden niet getoond, ook "
                  "niet als ze uit totalen af te leiden zijn.") % {"count": COUNT_MINIMUM, "n": data["minimum"]},
    }


def factsheet(gemeente: Gemeente, wijk_code: str | None = None) -> dict | None:
    """For the monitor's factsheet: the figures of the municipality, or of one wijk (its code), over the
    default period, each suppressed as on the outcomes page (a hidden value is None)."""
    wijk = Wijk.objects.filter(gemeente=gemeente, code=wijk_code).first() if wijk_code else None
    data = compute(gemeente, wijk=wijk)

    def row_of(rows, total):
        if wijk is None:
            return total
        return next((r for r in rows if r.get("wijk_id") == wijk.pk), None)

    state = row_of(data["tables"]["state"]["rows"], data["tables"]["state"]["total"])
    referral_table = data["tables"]["referral"]
    referral = row_of(referral_table["rows"], referral_table["total"])
    contact = data["first_contact"] if wijk is None else data["first_contact_by_wijk"].get(wijk.pk)
    shares = {key: row_of(*data["shares"][key]) for key in ("still_going", "down_3m", "down_6m")}
    return {
        "area_name": wijk.display_name if wijk else gemeente.name, "wijk": wijk,
        "date_from": data["date_from"], "date_to": data["date_to"],
        "minimum": data["minimum"], "count_minimum": data["count_minimum"],
        "trajectories": state["total"] if state else 0,
        "first_contact": contact["median"] if contact else None,
        "referrals": [{"label": label, "value": value} for label, value in
                      zip(referral_table["columns"], referral["cells"] if referral else [], strict=False)],
        "shares": [{"label": label, "share": (shares[key] or {}).get("share"), "n": (shares[key] or {}).get("n")}
                   for key, label in (("still_going", _("Komt na 6 weken nog bij de activiteit")),
                                      ("down_3m", _("Eenzaamheidsscore (6 vragen) lager na 3 maanden")),
                                      ("down_6m", _("Eenzaamheidsscore (6 vragen) lager na 6 maanden")))],
    }
