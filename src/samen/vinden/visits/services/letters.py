"""The invitation letters of a round: the list (logged as an export), as CSV rows and as a PDF.

A letter goes only to a resident whose visit in this round is still open (planned, or not home yet): not
to one who said no, nor to one already visited. Each letter has the municipality's letterhead (and the
volunteer's organisation), a salutation ("Geachte mevrouw Bakker", ``visits.salutation``), the phone number
for residents (``Gemeente.contact_phone``), how to recognise the volunteer and how to say no in advance."""

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
    RegisterEntry,
    Visit,
    VisitRound,
)
from samen.vinden.visits.salutation import salutation
from samen.vinden.visits.workflow import OPEN


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
    """The invitation letter list: one entry per open visit the user may see, logged as an export."""
    visits = list(policy.visible(user, Visit).filter(round=round_, status__in=OPEN).select_related(
        "resident", "volunteer__organisation").order_by("resident__postcode", "resident__house_number", "pk"))
    streets = streets_of(visits)
    aanhef = dict(RegisterEntry.objects.filter(resident__in=[v.resident_id for v in visits]).values_list(
        "resident_id", "salutation"))
    rows = []
    for visit in visits:
        r = visit.resident
        number = f"{r.house_number or ''}{(' ' + r.house_number_addition) if r.house_number_addition else ''}"
        street = streets.get((r.postcode, r.house_number), "")
        rows.append({"name": r.name, "address": f"{street} {number}".strip(),
                     "postcode": f"{r.postcode[:4]} {r.postcode[4:]}" if r.postcode else "",
                     "place": round_.gemeente.name, "salutation": salutation(r.name, aanhef.get(r.pk, "")),
                     "volunteer": visit.volunteer.get_full_name() or visit.volunteer.username
                     if visit.volunteer else "",
                     "organisation": visit.volunteer.organisation.name
                     if visit.volunteer and visit.volunteer.organisation else ""})
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
    """The letters as one tagged PDF (samen.core.pdf), a page each."""
    from django.template.loader import render_to_string

    from samen.core.pdf import write_pdf
    from samen.core.site import site_details

    html = render_to_string("vinden/visits/letters_pdf.html", {"round": round_, "rows": rows,
                                                               "site": site_details(round_.gemeente),
                                                               "today": timezone.localdate()})
    return write_pdf(html)
