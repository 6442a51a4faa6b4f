"""Factories for the catalogue. ``ActivityFactory`` makes a published, freshly confirmed activity in a
buurt of its own (pass ``location__buurt`` to place it); use catalogue.submit() to test the review path."""

import datetime as dt

import factory
from django.utils import timezone

from samen.core.tests.factories import BuurtFactory, OrganisationFactory
from samen.kwaliteit.models import Activity, Intervention, Location, ThemeWeek
from samen.kwaliteit.vocabulary import CostType, Recognition, part_of_day


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    buurt = factory.SubFactory(BuurtFactory)
    gemeente = factory.LazyAttribute(lambda o: o.buurt.wijk.gemeente)
    name = factory.Sequence(lambda n: f"Buurthuis {n}")
    street = "Teststraat"
    house_number = factory.Sequence(lambda n: n + 1)
    postcode = "9999ZZ"
    city = "Teststad"


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervention

    gemeente = factory.SubFactory("samen.core.tests.factories.GemeenteFactory")
    name = factory.Sequence(lambda n: f"Interventie {n}")
    recognition = Recognition.FOUNDED
    target_groups = factory.LazyFunction(lambda: ["65plus"])


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    location = factory.SubFactory(LocationFactory)
    gemeente = factory.LazyAttribute(lambda o: o.location.gemeente if o.location else o.organisation.gemeente)
    organisation = factory.SubFactory(OrganisationFactory, gemeente=factory.SelfAttribute("..gemeente"))
    buurt = factory.LazyAttribute(lambda o: o.location.buurt if o.location else None)
    wijk = factory.LazyAttribute(lambda o: o.buurt.wijk if o.buurt else None)
    status = Activity.Status.PUBLISHED
    title = factory.Sequence(lambda n: f"Koffieochtend {n}")
    description = "Elke week koffie en een praatje."
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    start_time = dt.time(10, 0)
    end_time = dt.time(12, 0)
    rrule = "FREQ=WEEKLY;BYDAY=TU"
    part_of_day = factory.LazyAttribute(lambda o: part_of_day(o.start_time))
    cost_type = CostType.FREE
    target_groups = factory.LazyFunction(lambda: ["everyone"])
    interests = factory.LazyFunction(lambda: ["conversation"])
    loneliness_kinds = factory.LazyFunction(lambda: ["social"])
    languages = factory.LazyFunction(lambda: ["nl"])
    published_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def occurrences(self, create, extracted, **kwargs):
        """Generate the planned dates, as publishing does (pass occurrences=False to skip)."""
        if create and extracted is not False:
            from samen.kwaliteit.services.catalogue import refresh_occurrences

            refresh_occurrences(self, timezone.localdate())


class ThemeWeekFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThemeWeek

    gemeente = factory.SubFactory("samen.core.tests.factories.GemeenteFactory")
    starts_on = dt.date(2026, 9, 24)
    ends_on = dt.date(2026, 10, 1)
