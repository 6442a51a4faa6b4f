"""The municipality's own settings: the beheerder's screen, its checks, and that each setting takes effect."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from samen.core.models import Gemeente
from samen.core.services import gemeente as service
from samen.core.tests.factories import GemeenteFactory, UserFactory
from samen.kwaliteit.services.search import search
from samen.kwaliteit.tests.test_search import Town

URL = reverse("core:gemeente_settings")
GOOD = {"min_cell_size": "40", "min_effective_n": "25", "ci_method": "logit",
        "triage_working_days": "3", "catalogue_stale_months": "4",
        "catalogue_hide_months": "8", "province": "Noord-Holland", "public_host": "Samen.Hilversum.nl"}


def settings_of(gemeente: Gemeente) -> dict:
    gemeente.refresh_from_db()
    return {name: getattr(gemeente, name) for name in service.SETTINGS if name not in service.PUBLIC_SITE}


def test_the_beheerder_changes_the_settings(hilversum, client_as):
    client = client_as("beheerder")
    page = client.get(URL)
    assert page.status_code == 200
    assert "Instellingen van de gemeente Hilversum" in page.content.decode()
    assert 'value="50"' in page.content.decode()  # the current minimum cell size
    response = client.post(URL, GOOD)
    assert response.status_code == 302 and response["Location"] == URL
    assert settings_of(hilversum) == {"min_cell_size": 40, "min_effective_n": 25, "ci_method": "logit",
                                      "triage_working_days": 3,
                                      "catalogue_stale_months": 4, "catalogue_hide_months": 8,
                                      "province": "Noord-Holland", "public_host": "samen.hilversum.nl"}
    assert "De instellingen zijn opgeslagen." in client.get(URL).content.decode()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("catalogue_hide_months", "4", "kies meer maanden dan bij 'verouderd na' (4)"),
    ("catalogue_hide_months", "3", "kies meer maanden dan bij 'verouderd na' (4)"),
    ("min_cell_size", "5", "minstens 10"),
    ("min_effective_n", "9", "minstens 10"),
    ("ci_method", "normaal", "Selecteer een geldige keuze"),
    ("triage_working_days", "0", "minstens 1"),
    ("catalogue_stale_months", "99", "hoogstens 24"),
    ("triage_working_days", "drie", "Voer een geheel getal in"),
    ("min_cell_size", "", "Dit veld is vereist"),
])
def test_a_bad_value_is_named_and_nothing_is_stored(hilversum, client_as, field, value, message):
    before = settings_of(hilversum)
    response = client_as("beheerder").post(URL, {**GOOD, field: value})
    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert settings_of(hilversum) == before


def test_only_the_beheerder_may_change_them_and_only_for_their_own_municipality(hilversum, demo_user):
    for role in ("regisseur", "beleidsadviseur", "sociaalwerker", "aanbieder"):
        with pytest.raises(PermissionDenied):
            service.change_settings(demo_user(role), {"triage_working_days": 2})
    other = GemeenteFactory()
    beheerder = UserFactory(gemeente=other, role="beheerder")
    service.change_settings(beheerder, {"triage_working_days": 9})
    assert settings_of(other)["triage_working_days"] == 9
    assert settings_of(hilversum)["triage_working_days"] == 5


def test_the_service_checks_even_without_the_screen(hilversum, demo_user):
    with pytest.raises(ValidationError) as caught:
        service.change_settings(demo_user("beheerder"), {"catalogue_stale_months": 10, "catalogue_hide_months": 9})
    assert "catalogue_hide_months" in caught.value.message_dict
    assert settings_of(hilversum)["catalogue_stale_months"] == 6


def test_the_triage_deadline_of_new_signals_follows_the_setting(hilversum, demo_user):
    from samen.vinden import calendar
    from samen.vinden.services.signals import submit_signal

    service.change_settings(demo_user("beheerder"), {"triage_working_days": 10})
    hilversum.refresh_from_db()  # as the next request reads it
    signal = submit_signal(hilversum, channel="staff", data={"postcode": "1211BJ", "house_number": 7,
                                                             "description": "x"}).signal
    assert signal.triage_deadline == calendar.add_working_days(timezone.localdate(), 10)


def test_the_public_site_follows_the_catalogue_months(db):
    town = Town()
    beheerder = UserFactory(gemeente=town.gemeente, role="beheerder")
    older = town.activity(town.a1, title="Vijf maanden niet bevestigd",
                          confirmed_at=timezone.now() - relativedelta(months=5) - dt.timedelta(days=1))
    fresh = town.activity(town.a1, title="Net bevestigd")
    assert {a.pk for a in search(town.gemeente).results[0:10]} == {older.pk, fresh.pk}
    service.change_settings(beheerder, {"catalogue_stale_months": 2, "catalogue_hide_months": 5})
    town.gemeente.refresh_from_db()
    assert [a.pk for a in search(town.gemeente).results[0:10]] == [fresh.pk]


def test_the_host_of_the_public_site_belongs_to_one_municipality(hilversum, client_as):
    GemeenteFactory(public_host="samen.gooisemeren.nl")
    response = client_as("beheerder").post(URL, {**GOOD, "public_host": "samen.gooisemeren.nl"})
    assert response.status_code == 400 and "al van een andere gemeente" in response.content.decode()
    bad = client_as("beheerder").post(URL, {**GOOD, "public_host": "https://samen.hilversum.nl/"})
    assert bad.status_code == 400 and "hostnaam" in bad.content.decode()
    hilversum.refresh_from_db()
    assert hilversum.public_host == ""


def test_the_province_is_data_of_the_municipality_and_reaches_the_open_data(hilversum, demo_user):
    from samen.kwaliteit.services import hsds

    assert {a["state_province"] for a in hsds.tables(hilversum)["addresses"]} == {"Noord-Holland"}  # the demo's
    service.change_settings(demo_user("beheerder"), {"province": "Utrecht"})
    addresses = hsds.tables(Gemeente.objects.get(pk=hilversum.pk))["addresses"]
    assert addresses and {a["state_province"] for a in addresses} == {"Utrecht"}
