"""Demo data for the 75+ home visits: a fictitious register extract of 40 residents in Zuid and
Noord-Oost, the 2026 rounds of both wijken, Zuid assigned to the demo volunteer, and a few reports.
Idempotent: loading it again changes nothing. Every write goes through visits.services."""

from __future__ import annotations

import datetime

from samen.core.models import Gemeente, User, Wijk
from samen.vinden.visits import services as visits
from samen.vinden.visits.models import Visit, VisitRound, VisitStatus, VolunteerCapacity

YEAR = 2026
ZUID, NOORD_OOST = "WK040204", "WK040207"
VOLUNTEER_CAPACITY = 20

# name, postcode, house number, addition, birth date (all fictitious; addresses from the demo postcode table)
RESIDENTS = [
    ("Mevrouw G. Bakker", "1214CT", 3, "", "1938-04-12"),
    ("De heer P. Visser", "1214CT", 17, "", "1942-09-30"),
    ("Mevrouw T. Jansen-Kok", "1214CT", 28, "A", "1935-01-05"),
    ("De heer W. de Boer", "1214DJ", 5, "", "1947-06-18"),
    ("Mevrouw R. Mulder", "1214DJ", 12, "", "1931-11-23"),
    ("Mevrouw H. Dekker", "1214ER", 8, "", "1944-02-14"),
    ("De heer J. van Dijk", "1214ER", 41, "", "1939-07-07"),
    ("Mevrouw C. Brouwer", "1214ER", 66, "", "1929-12-01"),
    ("De heer A. Hendriks", "1214JJ", 2, "", "1948-03-03"),
    ("Mevrouw M. van Leeuwen", "1214JJ", 19, "", "1936-08-21"),
    ("De heer F. Dijkstra", "1214JM", 11, "", "1943-05-09"),
    ("Mevrouw S. Peters", "1214JM", 54, "", "1940-10-10"),
    ("De heer B. Kuipers", "1214JZ", 7, "", "1946-01-31"),
    ("Mevrouw L. Veenstra", "1214JZ", 22, "", "1937-04-04"),
    ("De heer D. van der Meer", "1214SM", 9, "", "1945-12-24"),
    ("Mevrouw I. Vermeulen", "1214SM", 14, "", "1933-06-06"),
    ("De heer K. Willems", "1214SN", 3, "", "1941-09-15"),
    ("Mevrouw N. Schouten", "1214SN", 30, "", "1949-02-28"),
    ("De heer O. Prins", "1214TL", 15, "", "1938-11-11"),
    ("Mevrouw E. Huisman", "1214TL", 26, "", "1934-03-17"),
    ("De heer V. Wouters", "1214XD", 21, "", "1942-07-29"),
    ("Mevrouw Y. Jonker", "1214XD", 33, "", "1930-05-05"),
    ("De heer R. Postma", "1214ER", 72, "", "1947-08-08"),
    ("Mevrouw A. Kramer", "1214JM", 70, "", "1939-01-19"),
    ("De heer G. Bos", "1211BJ", 5, "", "1940-03-22"),
    ("Mevrouw J. Hoekstra", "1211BJ", 18, "", "1936-10-02"),
    ("De heer M. Smits", "1211CA", 9, "", "1944-12-12"),
    ("Mevrouw P. de Groot", "1211CA", 31, "", "1932-02-09"),
    ("De heer H. Vos", "1211CW", 13, "", "1946-06-30"),
    ("Mevrouw B. Koster", "1211CW", 24, "", "1941-04-27"),
    ("De heer L. van den Berg", "1211DB", 6, "", "1938-09-09"),
    ("Mevrouw F. Meijer", "1211DB", 40, "", "1935-07-14"),
    ("De heer T. de Vries", "1211GX", 11, "", "1943-11-03"),
    ("Mevrouw W. Dekker-Bos", "1211GX", 20, "", "1930-01-26"),
    ("De heer E. Sanders", "1213AL", 4, "", "1945-05-20"),
    ("Mevrouw K. Verhoeven", "1213GT", 16, "", "1937-08-16"),
    ("De heer S. Bosman", "1213NK", 27, "", "1948-10-25"),
    ("Mevrouw D. van Wijk", "1213SB", 35, "", "1933-12-30"),
    ("De heer N. Lammers", "1213SL", 52, "", "1940-02-02"),
    ("Mevrouw O. Maas", "1213SL", 8, "", "1939-06-11"),
]

REPORTS = [  # (index in the Zuid round's address order, status, answers, wishes, wants contact)
    (0, VisitStatus.VISITED, ["nee", "ja", "ja", "ja", "nee", "nee"], "Graag een keer mee naar de koffieochtend.",
     False),
    (1, VisitStatus.NOT_HOME, None, "", None),
    (2, VisitStatus.DECLINED, None, "", None),
    (3, VisitStatus.VISITED, ["ja", "nee", "min of meer", "nee", "ja", "min of meer"],
     "Zou graag iemand hebben om mee te wandelen.", True),
]


def extract_csv() -> str:
    lines = ["naam;adres;postcode;huisnummer;toevoeging;geboortedatum"]
    lines += [f"{name};;{postcode};{number};{addition};{born}" for name, postcode, number, addition, born in RESIDENTS]
    return "\n".join(lines) + "\n"


def load_visits_demo(gemeente: Gemeente, *, today: datetime.date | None = None) -> dict:
    """Load the demo register, rounds, assignment and reports (idempotent). Returns what exists."""
    regisseur = User.objects.get(gemeente=gemeente, username="regisseur")
    volunteer = User.objects.get(gemeente=gemeente, username="vrijwilliger")
    report = visits.import_register(gemeente, extract_csv(), today=today or datetime.date(YEAR, 1, 2))
    if not report.ok:
        raise RuntimeError("; ".join(map(str, report.problems)))
    VolunteerCapacity.objects.get_or_create(user=volunteer, defaults={"visits_per_round": VOLUNTEER_CAPACITY})
    rounds = {}
    for code in (ZUID, NOORD_OOST):
        wijk = Wijk.objects.get(gemeente=gemeente, code=code)
        round_ = VisitRound.objects.filter(wijk=wijk, year=YEAR).first()
        if round_ is None:
            round_ = visits.create_round(regisseur, wijk, YEAR, datetime.date(YEAR, 3, 1),
                                         datetime.date(YEAR, 12, 31))
        rounds[code] = round_
    zuid = rounds[ZUID]
    visits.assign(regisseur, zuid)
    if not zuid.visits.exclude(status=VisitStatus.PLANNED).exists():
        mine = list(Visit.objects.filter(round=zuid, volunteer=volunteer).order_by("pk"))
        for index, status, answers, wishes, contact in REPORTS:
            if index < len(mine):
                visits.report_visit(volunteer, mine[index].pk, status, answers=answers, wishes=wishes,
                                    wants_contact=contact, route="demo")
    return {"register": report.imported, "rounds": rounds}
