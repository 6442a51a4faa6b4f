"""An activity's publication follows one table: published on first approval, withdrawn by its provider or
the regisseur, and put back by the regisseur only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samen.core import states
from samen.core.models import Buurt
from samen.kwaliteit.forms import initial_from
from samen.kwaliteit.models import Activity
from samen.kwaliteit.review import VersionStatus
from samen.kwaliteit.services import catalogue
from samen.kwaliteit.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meal(hilversum, demo_user):
    """A published activity of the provider's organisation, with a change of the provider pending."""
    provider = demo_user("aanbieder")
    buurt = Buurt.objects.filter(wijk__gemeente=hilversum).order_by("code").first()
    meal = ActivityFactory(gemeente=hilversum, organisation=provider.organisation, title="Maaltijd in de buurt",
                           location__buurt=buurt, location__postcode="1211AB", location__city="Hilversum")
    change = catalogue.submit(provider, {**initial_from(meal), "description": "Nu ook op zondag."}, activity=meal)
    assert change.status == VersionStatus.PENDING
    meal.refresh_from_db()
    return meal


def test_the_regisseur_republishes_a_withdrawn_activity(client_as, hilversum, demo_user, meal):
    catalogue.withdraw(demo_user("aanbieder"), meal)
    assert not meal.versions.filter(status=VersionStatus.PENDING).exists(), "withdrawing supersedes the pending"
    page = client_as("regisseur").get(reverse("kwaliteit:activity_detail", args=[meal.pk])).content.decode()
    assert "Weer publiceren" in page
    assert "Weer publiceren" not in client_as("aanbieder").get(
        reverse("kwaliteit:activity_detail", args=[meal.pk])).content.decode()
    response = client_as("regisseur").post(reverse("kwaliteit:activity_republish", args=[meal.pk]))
    assert response.status_code == 302
    meal.refresh_from_db()
    assert meal.status == Activity.Status.PUBLISHED and meal.occurrences.exists()
    assert catalogue.public_activities(hilversum).filter(pk=meal.pk).exists()


def test_a_provider_cannot_put_its_withdrawn_activity_back(client_as, demo_user, meal):
    catalogue.withdraw(demo_user("aanbieder"), meal)
    with pytest.raises(PermissionDenied, match="U mag deze stap niet zetten"):
        catalogue.republish(demo_user("aanbieder"), meal)
    assert client_as("aanbieder").post(reverse("kwaliteit:activity_republish", args=[meal.pk])).status_code == 403
    meal.refresh_from_db()
    assert meal.status == Activity.Status.WITHDRAWN


def test_approving_a_new_version_of_a_withdrawn_activity_republishes_it(demo_user, meal):
    catalogue.withdraw(demo_user("regisseur"), meal)
    raw = {**initial_from(meal), "description": "Weer elke maand."}
    version = catalogue.submit(demo_user("aanbieder"), raw, activity=meal)
    catalogue.decide(version, demo_user("regisseur"), "approve")
    meal.refresh_from_db()
    assert meal.status == Activity.Status.PUBLISHED and meal.description == "Weer elke maand."


def test_withdrawing_twice_is_refused_with_a_reason(client_as, demo_user, meal):
    catalogue.withdraw(demo_user("aanbieder"), meal)
    with pytest.raises(ValidationError, match="niet vanuit de stand 'teruggetrokken'"):
        catalogue.withdraw(demo_user("aanbieder"), meal)
    response = client_as("aanbieder").post(reverse("kwaliteit:activity_withdraw", args=[meal.pk]), follow=True)
    assert "niet vanuit de stand" in response.content.decode()


def test_a_published_activity_cannot_be_set_to_draft_by_hand(meal):
    with pytest.raises(states.ProtectedStatus):
        meal.status = Activity.Status.DRAFT
        meal.save()
