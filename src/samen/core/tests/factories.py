"""Factories for the core and samenwerken models. A factory-made Gemeente is a second municipality
beside the Hilversum demo, so tests can prove that one never sees the other."""

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from samen.core.models import Buurt, Gemeente, Organisation, PostcodeRange, Resident, User, Wijk
from samen.core.roles import Role
from samen.samenwerken.models import Zorgnetwerk, ZorgnetwerkMember


class GemeenteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gemeente
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"GM{1900 + n:04d}")
    name = factory.Sequence(lambda n: f"Testgemeente {n}")


class WijkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wijk

    gemeente = factory.SubFactory(GemeenteFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"WK{o.gemeente.code[2:]}{n % 100:02d}")
    official_name = factory.Sequence(lambda n: f"Wijk {n}")


class BuurtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Buurt

    wijk = factory.SubFactory(WijkFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"BU{o.wijk.code[2:]}{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Buurt {n}")


class PostcodeRangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostcodeRange

    buurt = factory.SubFactory(BuurtFactory)
    postcode = factory.Sequence(lambda n: f"{9000 + n % 999}ZZ")
    number_from = 1
    number_to = 99


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    gemeente = factory.SubFactory(GemeenteFactory)
    name = factory.Sequence(lambda n: f"Organisatie {n}")
    type = Organisation.Type.WELZIJN


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    gemeente = factory.SubFactory(GemeenteFactory)
    role = Role.REGISSEUR
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def wijken(self, create, extracted, **kwargs):
        if create and extracted:
            self.wijken.set(extracted)

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        if create and extracted:
            TOTPDevice.objects.create(user=self, name="test", confirmed=True)
        self.save()


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    gemeente = factory.LazyAttribute(lambda o: o.buurt.wijk.gemeente)
    buurt = factory.SubFactory(BuurtFactory)
    name = factory.Sequence(lambda n: f"Testinwoner Zonderling {n}")
    postcode = "9999ZZ"
    house_number = factory.Sequence(lambda n: n + 1)
    birth_year = 1940
    phone = factory.Sequence(lambda n: f"06-9{n:07d}")
    email = factory.Sequence(lambda n: f"inwoner{n}@example.invalid")


class ZorgnetwerkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zorgnetwerk

    wijk = factory.SubFactory(WijkFactory)
    gemeente = factory.LazyAttribute(lambda o: o.wijk.gemeente)
    name = factory.Sequence(lambda n: f"Netwerk {n}")


class ZorgnetwerkMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ZorgnetwerkMember

    network = factory.SubFactory(ZorgnetwerkFactory)
    organisation = factory.SubFactory(OrganisationFactory, gemeente=factory.SelfAttribute("..network.gemeente"))
