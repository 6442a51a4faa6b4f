"""The catalogue's write path: submit → review → publish, and what the public sees."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samen.core.roles import Role
from samen.core.tests.factories import OrganisationFactory, UserFactory
from samen.kwaliteit.models import Activity, ActivityVersion, Location
from samen.kwaliteit.review import ReviewDecision, VersionStatus
from samen.kwaliteit.services import catalogue
from samen.kwaliteit.tests.factories import ActivityFactory


def content(**overrides):
    data = {
        "title": "Samen eten", "description": "Een warme maaltijd met de buurt.",
        "location_name": "Wijkcentrum Test", "location_street": "Dorpsweg", "location_house_number": "5",
        "location_postcode": "1211 ab", "location_city": "Hilversum",
        "start_date": "2026-12-01", "start_time": "17:30", "end_time": "19:30",
        "rrule": "FREQ=WEEKLY;BYDAY=TU,TH", "cost_type": "amount", "cost_amount": "4.50",
        "target_groups": ["65plus", "everyone"], "interests": ["eating"], "languages": ["nl"],
    }
    data.update(overrides)
    return data


@pytest.fixture
def provider(hilversum):
    """A provider's account of an organisation of its own (no demo activities)."""
    return UserFactory(gemeente=hilversum, role=Role.AANBIEDER,
                       organisation=OrganisationFactory(gemeente=hilversum, name="Stichting Samen Eten"))


@pytest.fixture
def other_organisation(hilversum):
    return OrganisationFactory(gemeente=hilversum, name="Buurtvereniging De Linde")


@pytest.fixture
def regisseur(hilversum):
    return UserFactory(gemeente=hilversum, role=Role.REGISSEUR)


def test_provider_submission_waits_for_review_then_publishes(provider, regisseur, hilversum):
    version = catalogue.submit(provider, content(), organisation=provider.organisation)
    activity = version.activity
    assert version.status == VersionStatus.PENDING
    assert activity.status == Activity.Status.DRAFT
    assert activity.wijk.code == "WK040201" and activity.location.postcode == "1211AB"
    assert not catalogue.public_activities(hilversum).filter(pk=activity.pk).exists()

    catalogue.decide(version, regisseur, ReviewDecision.APPROVE)
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PUBLISHED and activity.confirmed_at is not None
    assert catalogue.public_activities(hilversum).filter(pk=activity.pk).exists()
    assert activity.occurrences.filter(weekday=1).exists() and activity.occurrences.filter(weekday=3).exists()
    assert not activity.occurrences.exclude(weekday__in=[1, 3]).exists()


def test_a_change_stays_off_the_site_until_approved(provider, regisseur, hilversum):
    first = catalogue.submit(provider, content(), organisation=provider.organisation)
    catalogue.decide(first, regisseur, ReviewDecision.APPROVE)
    change = catalogue.submit(provider, content(title="Samen eten op dinsdag"), activity=first.activity)
    first.activity.refresh_from_db()
    assert first.activity.title == "Samen eten" and change.number == 2
    with pytest.raises(ValidationError):
        catalogue.decide(change, regisseur, ReviewDecision.REJECT)  # a rejection needs a note
    catalogue.decide(change, regisseur, ReviewDecision.REJECT, note="Titel klopt niet")
    first.activity.refresh_from_db()
    assert first.activity.title == "Samen eten"
    assert list(first.activity.versions.values_list("status", flat=True)) == ["rejected", "approved"]


def test_a_newer_submission_supersedes_the_pending_one(provider):
    first = catalogue.submit(provider, content(), organisation=provider.organisation)
    second = catalogue.submit(provider, content(title="Anders"), activity=first.activity)
    first.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED and second.status == VersionStatus.PENDING
    assert first.activity.title == "Anders"  # a draft shows the latest proposal to its reviewer


def test_regisseur_edits_are_approved_at_once_with_history(regisseur, other_organisation):
    version = catalogue.submit(regisseur, content(), organisation=other_organisation)
    assert version.status == VersionStatus.APPROVED and version.reviewed_by == regisseur


def test_provider_cannot_edit_another_organisation(provider, other_organisation):
    with pytest.raises(PermissionDenied):
        catalogue.submit(provider, content(), organisation=other_organisation)
    assert not Activity.objects.filter(title="Samen eten", organisation=other_organisation).exists()


@pytest.mark.parametrize(("overrides", "field"), [
    ({"rrule": "FREQ=FORTNIGHTLY"}, "rrule"),
    ({"rrule": "elke dinsdag"}, "rrule"),
    ({"end_time": "16:00"}, "end_time"),
    ({"valid_until": "2026-11-01"}, "valid_until"),
    ({"location_postcode": "9999 XX"}, "location_postcode"),
    ({"location_postcode": "12345"}, "location_postcode"),
    ({"cost_amount": "-2"}, "cost_amount"),
    ({"target_groups": ["martians"]}, "target_groups"),
])
def test_bad_content_names_the_field_and_stores_nothing(provider, overrides, field):
    before = (Activity.objects.count(), ActivityVersion.objects.count(), Location.objects.count())
    with pytest.raises(ValidationError) as caught:
        catalogue.submit(provider, content(**overrides), organisation=provider.organisation)
    assert field in caught.value.message_dict
    assert (Activity.objects.count(), ActivityVersion.objects.count(), Location.objects.count()) == before


def test_unconfirmed_entries_are_flagged_then_leave_the_site(hilversum):
    activity = ActivityFactory(location__buurt=hilversum.wijken.first().buurten.first(), gemeente=hilversum)
    now = timezone.now()
    assert not catalogue.is_stale(activity, now)
    later = now + relativedelta(months=6, days=1)
    assert catalogue.is_stale(activity, later) and activity in catalogue.stale(hilversum, later)
    assert catalogue.public_activities(hilversum, later).filter(pk=activity.pk).exists()
    assert not catalogue.public_activities(hilversum, now + relativedelta(months=9, days=1)).filter(
        pk=activity.pk).exists()


def test_past_one_off_activities_leave_the_site(hilversum):
    past = ActivityFactory(rrule="", start_date=timezone.localdate() - dt.timedelta(days=1), gemeente=hilversum,
                           location__buurt=hilversum.wijken.first().buurten.first())
    assert not catalogue.public_activities(hilversum).filter(pk=past.pk).exists()


def test_json_list_lookup_filters_on_both_databases(hilversum):
    buurt = hilversum.wijken.first().buurten.first()
    walk = ActivityFactory(interests=["walking", "zzz-rare"], gemeente=hilversum, location__buurt=buurt)
    games = ActivityFactory(interests=["games"], gemeente=hilversum, location__buurt=buurt)
    assert list(Activity.objects.filter(interests__has_code="zzz-rare")) == [walk]
    assert not Activity.objects.filter(interests__has_code="zzz-rar").exists()
    walkers = Activity.objects.filter(interests__has_code="walking")
    assert walk in walkers and games not in walkers
    assert all("walking" in activity.interests for activity in walkers)
