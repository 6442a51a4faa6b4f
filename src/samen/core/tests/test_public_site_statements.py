"""The public site's footer and statements per municipality, set by the beheerder (issue 14)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from samen.core.models import Gemeente
from samen.core.services import gemeente as service
from samen.core.validators import phone_digits, split_house_number, validate_dutch_phone

URL = reverse("core:gemeente_settings")


def current(gemeente: Gemeente) -> dict:
    """The settings form as the page posts it: every field with its current value."""
    from samen.core.forms import GemeenteSettingsForm

    form = GemeenteSettingsForm(instance=gemeente)
    return {name: ("" if value is None else value) for name, value in
            ((name, form[name].value()) for name in form.fields)}


def test_every_public_page_has_the_municipalitys_footer(hilversum):
    page = Client().get(reverse("informeren:index")).content.decode()
    assert "Gemeente Hilversum" in page and 'href="tel:14035"' in page and "14 035" in page
    assert reverse("core:privacy") in page and reverse("core:accessibility") in page


def test_the_statements_are_the_municipalitys_own(hilversum):
    privacy = Client().get(reverse("core:privacy")).content.decode()
    assert "Algemene verordening gegevensbescherming" in privacy and "Dudokpark 1" in privacy
    accessibility = Client().get(reverse("core:accessibility")).content.decode()
    assert "B: voldoet gedeeltelijk" in accessibility and "2 november 2026" in accessibility
    assert "Nationale ombudsman" in accessibility and "de kaart van de wijken" in accessibility


def test_the_beheerder_sets_the_footer_and_statements(hilversum, client_as):
    client = client_as("beheerder")
    data = {**current(hilversum), "contact_phone": "035 629 29 29", "privacy_statement": "Nieuwe verklaring.",
            "accessibility_status": "A"}
    response = client.post(URL, data)
    assert response.status_code == 302, response.content.decode()
    hilversum.refresh_from_db()
    assert (hilversum.contact_phone, hilversum.accessibility_status) == ("035 629 29 29", "A")
    assert "Nieuwe verklaring." in Client().get(reverse("core:privacy")).content.decode()
    assert 'href="tel:0356292929"' in Client().get(reverse("informeren:index")).content.decode()


def test_a_phone_number_that_is_not_dutch_is_refused_and_nothing_is_stored(hilversum, client_as):
    response = client_as("beheerder").post(URL, {**current(hilversum), "contact_phone": "12345",
                                                 "privacy_statement": "Niet bewaard."})
    assert response.status_code == 400 and "Vul een Nederlands telefoonnummer in" in response.content.decode()
    hilversum.refresh_from_db()
    assert hilversum.contact_phone == "14 035" and hilversum.privacy_statement != "Niet bewaard."


def test_only_the_beheerder_changes_the_statements(hilversum, demo_user):
    import pytest
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        service.change_settings(demo_user("regisseur"), {"privacy_statement": "x"})


def test_dutch_phone_numbers():
    import pytest
    from django.core.exceptions import ValidationError

    for good in ("035 123 45 67", "06-12345678", "+31 6 12345678", "0031612345678", "+31 (0)35 1234567",
                 "0800-0113", "0900 1234", "14 035", "(035) 6292929", ""):
        validate_dutch_phone(good)
    for bad in ("12345", "06-1", "+44 20 7946 0958", "0612345678901", "bel mij", "035-12345"):
        with pytest.raises(ValidationError) as refused:
            validate_dutch_phone(bad)
        assert "Nederlands telefoonnummer" in refused.value.messages[0]
    assert phone_digits("+31 (0)6-1234 5678") == "0612345678"


def test_house_numbers_with_an_addition():
    import pytest
    from django.core.exceptions import ValidationError

    assert split_house_number("12") == (12, "")
    assert split_house_number("12a") == (12, "A")
    assert split_house_number("12 A") == (12, "A")
    assert split_house_number("12-2") == (12, "2")
    assert split_house_number("12 bis") == (12, "BIS")
    assert split_house_number("12/3") == (12, "3")
    assert split_house_number("") == (None, "")
    for bad in ("a12", "0", "twaalf", "12 - -", "-3"):
        with pytest.raises(ValidationError) as refused:
            split_house_number(bad)
        assert "huisnummer" in refused.value.messages[0]
