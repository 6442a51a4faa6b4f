"""The invitation letters of a round: the list (logged as an export), as CSV rows and as a PDF."""

from __future__ import annotations

from django.utils import timezone

from samen.core import accesslog, policy
from samen.core.models import (
    AccessAction,
    PostcodeRange,
    Purpose,
    User,
)
from samen.vinden.visits.models import (
    Visit,
    VisitRound,
)


def streets_of(visits) -> dict[tuple[str, int], str]:
    postcodes = {v.resident.postcode for v in visits}
    ranges = list(PostcodeRange.objects.filter(postcode__in=postcodes))
    out = {}
    for visit in visits:
        r = visit.resident
        out[(r.postcode, r.house_number)] = next(
            (x.street for x in ranges if x.postcode == r.postcode and r.house_number and x.contains(r.house_number)),
            "")
    return out


def letters(user: User, round_: VisitRound, *, route: str = "") -> list[dict]:
    """The invitation letter list: one entry per resident the user may see, logged as an export."""
    visits = list(policy.visible(user, Visit).filter(round=round_).select_related("resident", "volunteer"))
    streets = streets_of(visits)
    rows = []
    for visit in visits:
        r = visit.resident
        number = f"{r.house_number or ''}{(' ' + r.house_number_addition) if r.house_number_addition else ''}"
        street = streets.get((r.postcode, r.house_number), "")
        rows.append({"name": r.name, "address": f"{street} {number}".strip(),
                     "postcode": f"{r.postcode[:4]} {r.postcode[4:]}" if r.postcode else "",
                     "place": round_.gemeente.name, "volunteer": visit.volunteer.get_full_name()
                     or visit.volunteer.username if visit.volunteer else ""})
    if visits:
        accesslog.record(actor=user, action=AccessAction.EXPORT, records=[v.resident for v in visits],
                         purpose=Purpose.HUISBEZOEK, route=route)
    return rows


LETTER_COLUMNS = ("name", "address", "postcode", "place", "volunteer")


def letters_rows(rows: list[dict]) -> list[list]:
    """The letter list as a table (header first); the export guards every cell (core.tabular)."""
    return [["naam", "adres", "postcode", "plaats", "vrijwilliger"], *([row[k] for k in LETTER_COLUMNS]
                                                                          for row in rows)]


def letters_pdf(round_: VisitRound, rows: list[dict]) -> bytes:
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("vinden/visits/letters_pdf.html", {"round": round_, "rows": rows,
                                                               "today": timezone.localdate()})
    return HTML(string=html).write_pdf()
