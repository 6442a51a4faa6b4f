"""The rounds of 75+ home visits (one per wijk and year), the volunteers' capacity and the assignment."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from samen.core import policy
from samen.core.models import (
    User,
    Wijk,
)
from samen.vinden.visits.models import (
    DEFAULT_CAPACITY,
    RegisterEntry,
    Visit,
    VisitRound,
    VisitStatus,
    VolunteerCapacity,
)
from samen.vinden.visits.workflow import OPEN


def _check_wijk(user: User, wijk: Wijk) -> None:
    """The regisseur manages every wijk of the municipality; a social worker their own wijken."""
    if not policy.can(user, "visit.manage") or wijk.gemeente_id != user.gemeente_id:
        raise PermissionDenied(_("U mag de huisbezoeken in deze wijk niet beheren."))
    if policy.scope(user) != "gemeente" and not user.wijken.filter(pk=wijk.pk).exists():
        raise PermissionDenied(_("U mag alleen de huisbezoeken in uw eigen wijken beheren."))


def get_round(user: User, pk: int) -> VisitRound:
    """A round the user may manage; VisitRound.DoesNotExist (404) or PermissionDenied (403)."""
    round_ = policy.visible(user, VisitRound).select_related("wijk").get(pk=pk)
    _check_wijk(user, round_.wijk)
    return round_


@transaction.atomic
def create_round(user: User, wijk: Wijk, year: int, starts_on: datetime.date, ends_on: datetime.date) -> VisitRound:
    """A new round for one wijk and year, with a planned visit for everyone of the register there."""
    _check_wijk(user, wijk)
    errors = {}
    if not 2000 <= int(year) <= 2100:
        errors["year"] = [_("Kies een jaar van 2000 tot en met 2100.")]
    elif starts_on.year != int(year):
        errors["starts_on"] = [_("De ronde begint in het jaar %(year)s.") % {"year": year}]
    if ends_on < starts_on:
        errors["ends_on"] = [_("De einddatum ligt vóór de begindatum.")]
    if not errors and VisitRound.objects.filter(wijk=wijk, year=year).exists():
        errors["year"] = [_("Er is al een ronde voor %(wijk)s in %(year)s.") % {"wijk": wijk.display_name,
                                                                              "year": year}]
    if errors:
        raise ValidationError(errors)
    round_ = VisitRound.objects.create(gemeente=wijk.gemeente, wijk=wijk, year=year, starts_on=starts_on,
                                       ends_on=ends_on, created_by=user)
    fill_round(round_)
    return round_


def volunteers_for(round_: VisitRound):
    """The active volunteer buurtmakers of the round's wijk."""
    return (User.objects.filter(gemeente=round_.gemeente_id, role__in=policy.roles_with("visit.report"), is_active=True,
                                wijken=round_.wijk).order_by("username").select_related("visit_capacity"))


def capacity_of(volunteer: User) -> int:
    try:
        return volunteer.visit_capacity.visits_per_round
    except VolunteerCapacity.DoesNotExist:
        return DEFAULT_CAPACITY


@transaction.atomic
def set_capacity(user: User, round_: VisitRound, volunteer: User, visits_per_round) -> VolunteerCapacity:
    _check_wijk(user, round_.wijk)
    if volunteer not in volunteers_for(round_):
        raise ValidationError({"volunteer": [_("Kies een vrijwilliger van deze wijk.")]})
    try:
        value = int(visits_per_round)
        if not 0 <= value <= 200:
            raise ValueError
    except (TypeError, ValueError):
        raise ValidationError({"visits_per_round": [_("Vul een heel getal in van 0 tot en met 200.")]}) from None
    capacity, _created = VolunteerCapacity.objects.update_or_create(user=volunteer,
                                                                    defaults={"visits_per_round": value})
    return capacity


@dataclass
class Assignment:
    assigned: int
    unassigned: int
    volunteers: int


@transaction.atomic
def assign(user: User, round_: VisitRound) -> Assignment:
    """Give the round's unassigned open visits to the wijk's volunteers, each within their capacity.

    Visits are taken in address order, so a volunteer gets neighbouring addresses. Visits assigned
    to someone who is no longer a volunteer of the wijk are given out again.
    """
    _check_wijk(user, round_.wijk)
    round_ = VisitRound.objects.select_for_update().get(pk=round_.pk)
    volunteers = list(volunteers_for(round_))
    open_visits = round_.visits.filter(status__in=OPEN)
    open_visits.exclude(volunteer__in=volunteers).exclude(volunteer=None).update(volunteer=None)
    load = dict(round_.visits.exclude(volunteer=None).values_list("volunteer").annotate(n=Count("pk")))
    todo = list(open_visits.filter(volunteer=None).order_by("resident__buurt__code", "resident__postcode",
                                                            "resident__house_number", "pk"))
    assigned = 0
    for volunteer in volunteers:
        room = max(capacity_of(volunteer) - load.get(volunteer.pk, 0), 0)
        batch, todo = todo[:room], todo[room:]
        for visit in batch:
            visit.volunteer = volunteer
        Visit.objects.bulk_update(batch, ["volunteer"])
        assigned += len(batch)
    return Assignment(assigned=assigned, unassigned=len(todo), volunteers=len(volunteers))


def round_summary(user: User, round_: VisitRound) -> dict:
    """Counts per status and per volunteer (no resident data)."""
    visits = round_.visits.all()
    by_status = dict(visits.values_list("status").annotate(n=Count("pk")))
    per_volunteer = dict(visits.exclude(volunteer=None).values_list("volunteer").annotate(n=Count("pk")))
    volunteers = [{"user": v, "capacity": capacity_of(v), "assigned": per_volunteer.get(v.pk, 0)}
                  for v in volunteers_for(round_)]
    return {"total": visits.count(), "unassigned": visits.filter(volunteer=None, status__in=OPEN).count(),
            "by_status": [(label, by_status.get(value, 0)) for value, label in VisitStatus.choices],
            "volunteers": volunteers}



def fill_round(round_: VisitRound) -> int:
    """Add a planned visit for everyone of the register in the round's wijk who has none yet."""
    have = set(round_.visits.values_list("resident_id", flat=True))
    residents = (RegisterEntry.objects.filter(gemeente=round_.gemeente, active=True,
                                              resident__buurt__wijk=round_.wijk)
                 .exclude(resident_id__in=have).values_list("resident_id", flat=True))
    Visit.objects.bulk_create([Visit(round=round_, resident_id=pk) for pk in residents])
    return len(residents)


ROUND_VISIT_SORT = {"": ("resident__postcode", "resident__house_number", "pk"), "naam": ("resident__name", "pk"),
                    "stand": ("status", "resident__postcode", "pk"), "vrijwilliger": ("volunteer__last_name", "pk")}


def round_visits(user: User, round_: VisitRound, filters: dict, page_number=None, *, route: str = ""):
    """One page of a round's visits the user may see, searched (name, postcode), filtered (status,
    volunteer: a user's pk or "geen") and sorted; the residents shown are logged as views."""
    from django.core.paginator import Paginator

    from samen.core import accesslog, listing
    from samen.core.models import AccessAction, Purpose

    visits = policy.visible(user, Visit).filter(round=round_).select_related("resident", "volunteer")
    visits = listing.search(visits, filters.get("q", ""), ("resident__name", "resident__postcode"))
    if filters.get("status"):
        visits = visits.filter(status=filters["status"])
    volunteer = filters.get("volunteer") or ""
    if volunteer == "geen":
        visits = visits.filter(volunteer=None)
    elif volunteer.isdigit():
        visits = visits.filter(volunteer_id=int(volunteer))
    page = Paginator(listing.sort(visits, filters.get("sort", ""), ROUND_VISIT_SORT), 50).get_page(page_number)
    if page.object_list:
        accesslog.record(actor=user, action=AccessAction.VIEW, records=[v.resident for v in page.object_list],
                         purpose=Purpose.HUISBEZOEK, route=route)
    return page
