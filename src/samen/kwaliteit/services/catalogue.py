"""The one write path of the catalogue: submit a version, review it, confirm, withdraw; and the one
definition of what the public site shows.

Providers (aanbieder) submit new or changed content for their own organisation's activities; it is
stored as a pending ActivityVersion and reaches the live Activity only when a regisseur approves it.
A regisseur's own submission is approved at once (the reviewer reviewing themself adds nothing), but
still leaves a version in the history.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core import policy, states
from samen.core.models import Buurt, Gemeente, Organisation, User
from samen.kwaliteit import publication, schedule
from samen.kwaliteit import review as review_table
from samen.kwaliteit.forms import ActivityForm
from samen.kwaliteit.models import Activity, ActivityVersion, Location, Occurrence
from samen.kwaliteit.publication import PublicationDecision
from samen.kwaliteit.review import ReviewDecision, VersionStatus
from samen.kwaliteit.vocabulary import part_of_day

PLAIN_FIELDS = ("title", "description", "online", "online_url", "rrule", "cost_type", "registration_required",
                "how_to_join", "capacity", "wheelchair_accessible", "hearing_loop", "near_public_transport",
                "target_groups", "loneliness_kinds", "interests", "languages", "theme_week", "contact_name",
                "contact_phone", "contact_email", "website")


def validate(gemeente: Gemeente, raw: dict) -> tuple[dict, Buurt | None]:
    """Clean raw content (form, import row or API body) or raise ValidationError naming the fields."""
    form = ActivityForm(raw, gemeente=gemeente)
    if not form.is_valid():
        raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
    return form.content(), form.buurt


def may_edit(user: User, activity: Activity | None = None, organisation: Organisation | None = None) -> bool:
    if not policy.can(user, "catalogue.edit"):
        return False
    target = activity.organisation if activity is not None else organisation
    if target is None or target.gemeente_id != user.gemeente_id:
        return False
    return not policy.can(user, "catalogue.provider") or target.pk == user.organisation_id


@transaction.atomic
def submit(user: User, raw: dict, *, activity: Activity | None = None,
           organisation: Organisation | None = None, notify: bool = True) -> ActivityVersion:
    """Propose a new activity (give ``organisation``) or a change to ``activity``; returns the version.

    Raises PermissionDenied when the user may not edit it, ValidationError for bad content (nothing is
    stored then). A version that waits for review is announced to the regisseurs after commit, unless
    ``notify`` is false (an import sends one summary instead).
    """
    organisation = activity.organisation if activity is not None else organisation
    if not may_edit(user, activity, organisation):
        raise PermissionDenied(_("U mag deze activiteit niet bewerken."))
    content, buurt = validate(organisation.gemeente, raw)
    if activity is None:
        activity = Activity(gemeente=organisation.gemeente, organisation=organisation)
        _apply(activity, content, buurt)
    else:
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.status == Activity.Status.DRAFT:  # not public yet: the row shows the latest proposal
            _apply(activity, content, buurt)
    activity.save()
    if activity.status == Activity.Status.DRAFT:
        activity.interventions.set(content["interventions"])
    _supersede_pending(user, activity)
    number = (activity.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ActivityVersion.objects.create(activity=activity, number=number, data=content, submitted_by=user)
    if policy.can(user, review_table.REVIEW):  # the reviewer reviewing themself adds nothing
        decide(version, user, ReviewDecision.APPROVE)
        version.refresh_from_db()
    elif notify:
        from samen.kwaliteit.services import notify as mail

        mail.version_waiting(version)
    return version


@transaction.atomic
def decide(version: ActivityVersion, user: User, decision: str, note: str = "") -> ActivityVersion:
    """Approve or reject a pending version (regisseur). Approval publishes its content at once."""
    version = ActivityVersion.objects.select_for_update().select_related("activity").get(pk=version.pk)
    if review_table.WORKFLOW.transition(version.status, decision) is None or decision == ReviewDecision.SUPERSEDE:
        raise ValidationError({"decision": _("Deze versie is al beoordeeld of vervangen.")})
    if not policy.can(user, review_table.REVIEW, version.activity):
        raise PermissionDenied(_("Alleen de regisseur beoordeelt activiteiten."))
    note = (note or "").strip()
    try:
        transition = review_table.WORKFLOW.apply(version, decision, by=user, reason=note)
    except states.TransitionRefused as refused:
        if refused.field == "reason":  # the screen's field is the note to the provider
            raise ValidationError({"note": _("Schrijf de aanbieder waarom de versie is afgewezen.")}) from None
        raise
    now = timezone.now()
    version.reviewed_by, version.reviewed_at, version.review_note = user, now, note
    version.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    if transition.target == VersionStatus.APPROVED:
        publish(version, user, now)
    from samen.kwaliteit.services import notify as mail

    mail.version_decided(version)  # after commit; nobody is told of a regisseur's own edit
    return version


def publish(version: ActivityVersion, user: User, now: dt.datetime) -> Activity:
    """Put an approved version's content live: a draft is published, a withdrawn activity comes back (the
    regisseur's republish), a published one stays published."""
    activity = version.activity
    content = version.data
    buurt = _locate_again(activity.gemeente, content)
    _apply(activity, content, buurt)
    step = {Activity.Status.DRAFT: PublicationDecision.PUBLISH,
            Activity.Status.WITHDRAWN: PublicationDecision.REPUBLISH}.get(activity.status)
    if step is not None:
        publication.WORKFLOW.apply(activity, step, by=user)
    activity.published_at = activity.confirmed_at = now
    activity.reminded_at = None
    activity.save()
    activity.interventions.set(content.get("interventions", []))
    refresh_occurrences(activity, timezone.localdate(now))
    return activity


@transaction.atomic
def confirm(user: User, activity: Activity) -> Activity:
    """The provider says the entry is still right: it is fresh again (no review: nothing changed)."""
    if not may_edit(user, activity):
        raise PermissionDenied(_("U mag deze activiteit niet bevestigen."))
    Activity.objects.filter(pk=activity.pk).update(confirmed_at=timezone.now(), reminded_at=None)
    activity.refresh_from_db()
    return activity


@transaction.atomic
def withdraw(user: User, activity: Activity) -> Activity:
    """Take an activity off the public site (it stopped, or it should not be there)."""
    if not (may_edit(user, activity) or policy.can(user, "catalogue.review", activity)):
        raise PermissionDenied(_("U mag deze activiteit niet terugtrekken."))
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    publication.WORKFLOW.apply(activity, PublicationDecision.WITHDRAW, by=user)
    activity.save(update_fields=["status"])
    _supersede_pending(user, activity)
    activity.occurrences.all().delete()
    return activity


@transaction.atomic
def republish(user: User, activity: Activity) -> Activity:
    """The regisseur puts a withdrawn activity back on the site with its last approved content, confirmed now."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    publication.WORKFLOW.apply(activity, PublicationDecision.REPUBLISH, by=user)
    now = timezone.now()
    activity.confirmed_at, activity.reminded_at = now, None
    activity.save(update_fields=["status", "confirmed_at", "reminded_at"])
    refresh_occurrences(activity, timezone.localdate(now))
    return activity


def _supersede_pending(user: User, activity: Activity) -> None:
    """A newer submission, or withdrawing, replaces the version that waits for review."""
    for version in activity.versions.select_for_update().filter(status=VersionStatus.PENDING):
        review_table.WORKFLOW.apply(version, ReviewDecision.SUPERSEDE, by=user)
        version.save(update_fields=["status"])


def refresh_occurrences(activity: Activity, today: dt.date) -> int:
    """Replace the activity's planned dates from today over the search horizon."""
    activity.occurrences.all().delete()
    if activity.status != Activity.Status.PUBLISHED:
        return 0
    rows = [Occurrence(activity=activity, date=day, weekday=day.weekday(), start_time=activity.start_time,
                       end_time=activity.end_time) for day in schedule.occurrences(activity, today)]
    Occurrence.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def refresh_all_occurrences(gemeente: Gemeente | None = None, today: dt.date | None = None) -> int:
    """Roll every published activity's dates forward (nightly; safe to run twice)."""
    today = today or timezone.localdate()
    activities = Activity.objects.filter(status=Activity.Status.PUBLISHED)
    if gemeente is not None:
        activities = activities.filter(gemeente=gemeente)
    total = 0
    for activity in activities.iterator(chunk_size=500):
        with transaction.atomic():
            total += refresh_occurrences(activity, today)
    return total


def public_activities(gemeente: Gemeente, now: dt.datetime | None = None) -> QuerySet[Activity]:
    """What the public site shows: approved, not withdrawn, confirmed recently enough, not over."""
    now = now or timezone.now()
    return running_activities(gemeente, timezone.localdate(now)).filter(confirmed_at__gte=hidden_before(gemeente, now))


def running_activities(gemeente: Gemeente, today: dt.date) -> QuerySet[Activity]:
    """Approved, not withdrawn and not over on ``today``, however long ago confirmed (public_activities
    without the freshness limit, which moves with the clock; the search index applies that per search)."""
    return (Activity.objects.filter(gemeente=gemeente, status=Activity.Status.PUBLISHED)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
            .exclude(rrule="", start_date__lt=today))


def hidden_before(gemeente: Gemeente, now: dt.datetime) -> dt.datetime:
    """Activities last confirmed before this moment are off the public site."""
    return now - relativedelta(months=gemeente.catalogue_hide_months)


def stale(gemeente: Gemeente, now: dt.datetime | None = None) -> QuerySet[Activity]:
    """Published activities not confirmed for the gemeente's 'stale' months (flagged, provider reminded)."""
    now = now or timezone.now()
    return Activity.objects.filter(gemeente=gemeente, status=Activity.Status.PUBLISHED,
                                   confirmed_at__lt=now - relativedelta(months=gemeente.catalogue_stale_months))


def is_stale(activity: Activity, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    limit = now - relativedelta(months=activity.gemeente.catalogue_stale_months)
    return activity.status == Activity.Status.PUBLISHED and (activity.confirmed_at or now) < limit


def _locate_again(gemeente: Gemeente, content: dict) -> Buurt | None:
    from samen.core.services import geography

    if not content.get("location_postcode"):
        return None
    try:
        return geography.locate(gemeente, content["location_postcode"], content.get("location_house_number"))
    except geography.UnknownAddress:  # the postcode table changed since the submission
        return None


def _apply(activity: Activity, content: dict, buurt: Buurt | None) -> None:
    for name in PLAIN_FIELDS:
        if name in content:
            setattr(activity, name, content[name] if content[name] is not None else _empty(name))
    activity.start_date = dt.date.fromisoformat(content["start_date"])
    activity.start_time = dt.time.fromisoformat(content["start_time"])
    activity.end_time = dt.time.fromisoformat(content["end_time"]) if content.get("end_time") else None
    activity.valid_until = dt.date.fromisoformat(content["valid_until"]) if content.get("valid_until") else None
    activity.cost_amount = Decimal(content["cost_amount"]) if content.get("cost_amount") not in (None, "") else None
    activity.part_of_day = part_of_day(activity.start_time)
    activity.location = _location(activity.gemeente, content, buurt)
    activity.buurt = buurt if activity.location else None
    activity.wijk = buurt.wijk if activity.location and buurt else None


def _empty(name: str):
    return None if name == "capacity" else ""


def _location(gemeente: Gemeente, content: dict, buurt: Buurt | None) -> Location | None:
    if not content.get("location_postcode"):
        return None
    location, _created = Location.objects.get_or_create(
        gemeente=gemeente, name=content.get("location_name") or content["location_postcode"],
        postcode=content["location_postcode"], house_number=content.get("location_house_number"),
        house_number_addition=content.get("location_addition") or "",
        defaults={"street": content.get("location_street") or "",
                  "city": content.get("location_city") or gemeente.name, "buurt": buurt})
    if buurt is not None and location.buurt_id != buurt.pk:
        location.buurt = buurt
        location.save(update_fields=["buurt"])
    return location
