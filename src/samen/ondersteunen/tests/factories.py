"""Factories for ondersteunen's tests: a trajectory with its resident and worker, referrals, check-ins."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from samen.core.roles import Role
from samen.core.tests.factories import ResidentFactory, UserFactory, WijkFactory
from samen.ondersteunen.models import CheckIn, ConsentEvent, MaatjeProfile, Profile, Referral, Trajectory


def worker_in(wijk, **kwargs):
    """A social worker of the wijk's municipality who works in that wijk."""
    return UserFactory(gemeente=wijk.gemeente, role=Role.SOCIAAL_WERKER, wijken=[wijk], **kwargs)


class TrajectoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trajectory

    resident = factory.SubFactory(ResidentFactory)
    gemeente = factory.LazyAttribute(lambda o: o.resident.gemeente)
    wijk = factory.LazyAttribute(lambda o: o.resident.wijk)
    worker = factory.LazyAttribute(lambda o: worker_in(o.wijk))
    age_group = "75+"
    channel = "staff"
    first_contact_due = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    trajectory = factory.SubFactory(TrajectoryFactory)
    interests = ["conversation", "walking"]
    availability = ["1:morning", "3:afternoon"]


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentEvent

    trajectory = factory.SubFactory(TrajectoryFactory)
    resident = factory.LazyAttribute(lambda o: o.trajectory.resident)
    gemeente = factory.LazyAttribute(lambda o: o.resident.gemeente)
    purpose = "share_with_provider"
    given = True
    how = "mondeling"
    by_label = "test"


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral to an activity (pass ``activity=``; the organisation follows it)."""

    class Meta:
        model = Referral

    trajectory = factory.SubFactory(TrajectoryFactory)
    gemeente = factory.LazyAttribute(lambda o: o.trajectory.gemeente)
    kind = Referral.Kind.ACTIVITY
    organisation = factory.LazyAttribute(lambda o: o.activity.organisation if o.activity else None)


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    trajectory = factory.SubFactory(TrajectoryFactory)
    offset_days = 14
    due_on = factory.LazyFunction(timezone.localdate)


class MaatjeProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaatjeProfile

    user = factory.LazyFunction(lambda: UserFactory(role=Role.VRIJWILLIGER, wijken=[WijkFactory()]))
    interests = ["walking"]
    availability = ["1:morning"]
