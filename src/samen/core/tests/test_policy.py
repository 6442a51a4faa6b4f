"""One policy decides: scoping by municipality, by wijk and by role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samen.core import policy
from samen.core.models import AccessLogEntry, Organisation, Resident, Wijk
from samen.core.roles import Role
from samen.core.tests.clients import verified_client
from samen.core.tests.factories import (
    BuurtFactory,
    GemeenteFactory,
    OrganisationFactory,
    ResidentFactory,
    UserFactory,
    WijkFactory,
    ZorgnetwerkFactory,
)
from samen.samenwerken.models import Zorgnetwerk

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_municipality():
    """A second municipality in the same installation, with its own wijk, resident and regisseur."""
    gemeente = GemeenteFactory(code="GM1942", name="Gooise Meren")
    wijk = WijkFactory(gemeente=gemeente, code="WK194201")
    buurt = BuurtFactory(wijk=wijk, code="BU19420101")
    resident = ResidentFactory(buurt=buurt, name="Inwoner Van Elders")
    organisation = OrganisationFactory(gemeente=gemeente, name="Welzijn Gooise Meren")
    network = ZorgnetwerkFactory(wijk=wijk)
    regisseur = UserFactory(gemeente=gemeente, role=Role.REGISSEUR, username="regisseur-gm", totp=True)
    return {"gemeente": gemeente, "wijk": wijk, "resident": resident, "organisation": organisation,
            "network": network, "regisseur": regisseur}


def test_a_second_municipality_needs_no_code_changes(other_municipality, hilversum):
    client = verified_client(other_municipality["regisseur"])
    wijken = client.get(reverse("api:wijk-list")).json()["results"]
    assert [w["code"] for w in wijken] == ["WK194201"]
    residents = client.get(reverse("api:resident-list")).json()["results"]
    assert [r["name"] for r in residents] == ["Inwoner Van Elders"]


@pytest.mark.parametrize("role", ["regisseur", "sociaalwerker", "partner", "beheerder", "beleidsadviseur"])
def test_hilversum_users_never_see_the_other_municipality(role, client_as, other_municipality):
    client = client_as(role)
    other = other_municipality
    assert client.get(reverse("core:wijk_detail", args=[other["wijk"].code])).status_code == 404
    assert client.get(reverse("api:wijk-detail", args=[other["wijk"].code])).status_code == 404
    assert client.get(reverse("samenwerken:network_detail", args=[other["network"].pk])).status_code == 404
    assert client.get(reverse("api:organisation-detail", args=[other["organisation"].pk])).status_code in (403, 404)
    assert client.get(reverse("api:resident-detail", args=[other["resident"].pk])).status_code in (403, 404)
    assert client.get(reverse("core:resident_detail", args=[other["resident"].pk])).status_code in (403, 404)
    names = [o["name"] for o in client.get(reverse("api:organisation-list")).json().get("results", [])]
    assert "Welzijn Gooise Meren" not in names


def test_other_municipalitys_access_log_is_out_of_sight(client_as, other_municipality):
    AccessLogEntry.objects.create(gemeente=other_municipality["gemeente"], actor_label="regisseur-gm",
                                  action="view", record_type="core.resident",
                                  record_id=str(other_municipality["resident"].pk), purpose="regie")
    rows = client_as("regisseur").get(reverse("api:accesslog-list"), {"actor": "regisseur-gm"}).json()
    assert rows["count"] == 0


def test_a_social_worker_sees_only_residents_of_their_wijken(demo_user, hilversum):
    worker = demo_user("sociaalwerker")
    own_wijken = set(worker.wijken.values_list("pk", flat=True))
    visible = policy.visible(worker, Resident)
    assert visible.exists()
    assert all(r.buurt.wijk_id in own_wijken for r in visible)
    outside = Resident.objects.filter(gemeente=hilversum).exclude(buurt__wijk__in=own_wijken)
    assert outside.exists()
    assert not visible.filter(pk__in=outside).exists()
    client = verified_client(worker)
    assert client.get(reverse("core:resident_detail", args=[outside.first().pk])).status_code == 404


@pytest.mark.parametrize("role", ["beleidsadviseur", "vrijwilliger", "aanbieder", "beheerder"])
def test_roles_without_casework_see_no_resident(role, demo_user):
    assert not policy.visible(demo_user(role), Resident).exists()
    assert not policy.can(demo_user(role), "resident.view")


def test_the_regisseur_sees_every_resident_of_the_municipality(demo_user, hilversum):
    assert policy.visible(demo_user("regisseur"), Resident).count() == Resident.objects.filter(
        gemeente=hilversum).count()


def test_an_inactive_or_unscoped_user_has_no_capabilities(demo_user):
    user = demo_user("regisseur")
    user.is_active = False
    assert policy.capabilities_of(user) == frozenset()
    assert not policy.visible(user, Wijk).exists()
    assert policy.capabilities_of(UserFactory.build(gemeente=None, role=Role.REGISSEUR)) == frozenset()


def test_visible_refuses_a_model_without_a_rule():
    from django.contrib.sessions.models import Session

    with pytest.raises(LookupError, match="no rule"):
        policy.visible(None, Session)


def test_every_role_has_a_capability_set_and_personal_data_roles_need_a_second_factor(demo_user):
    assert set(policy.CAPABILITIES) == set(Role)
    needs = {role for role in Role if policy.needs_second_factor(demo_user(role))}
    assert needs == {Role.REGISSEUR, Role.SOCIAAL_WERKER, Role.PARTNER, Role.BEHEERDER, Role.VRIJWILLIGER,
                     Role.AANBIEDER}


def test_every_model_with_a_view_rule_is_scoped_to_a_municipality():
    for label in policy.VIEW_CAPABILITY:
        assert hasattr(policy.model_for(label), "gemeente_path"), label


def test_organisations_and_networks_are_visible_per_municipality(demo_user, other_municipality):
    user = demo_user("partner")
    assert not policy.visible(user, Organisation).filter(gemeente=other_municipality["gemeente"]).exists()
    assert not policy.visible(user, Zorgnetwerk).filter(gemeente=other_municipality["gemeente"]).exists()
