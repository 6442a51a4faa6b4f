"""Factories for weten's models: a wave (without respondents; import a file for those) and a target."""

import factory

from samen.core.tests.factories import GemeenteFactory
from samen.weten.models import Indicator, Source, Target, Wave


class WaveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wave

    gemeente = factory.SubFactory(GemeenteFactory)
    source = Source.BURGERPEILING
    year = factory.Sequence(lambda n: 2000 + n % 100)
    name = factory.LazyAttribute(lambda o: f"Burgerpeiling {o.year}")


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    gemeente = factory.SubFactory(GemeenteFactory)
    indicator = Indicator.LONELY
    source = Source.BURGERPEILING
    baseline_year = 2024
    target_value = 0.4
    target_year = 2030
