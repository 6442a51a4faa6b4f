"""The resident screens: recording, changing and erasing, with clear errors on bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samen.core.models import AccessLogEntry, Resident

pytestmark = pytest.mark.django_db


def test_social_worker_records_a_resident(client_as):
    response = client_as("sociaalwerker").post(reverse("core:resident_create"), {
        "name": "Mw. Bloem", "postcode": "1211 bj", "house_number": "11", "birth_year": "1939"})
    assert response.status_code == 302
    resident = Resident.objects.get(name="Mw. Bloem")
    assert resident.postcode == "1211BJ" and resident.buurt.wijk.code == "WK040207"


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"postcode": "9999ZZ", "house_number": "1"}, "postcode", "niet bekend in Hilversum"),
    ({"postcode": "12", "house_number": "1"}, "postcode", "geen geldige postcode"),
    ({"postcode": "1211BJ", "house_number": "nul"}, "house_number", "Vul een huisnummer in"),
    ({"postcode": "1211BJ", "birth_year": "1800"}, "birth_year", "1900"),
    ({"postcode": "", "house_number": "1"}, "postcode", "vereist"),
])
def test_bad_input_shows_a_clear_error_and_stores_nothing(client_as, data, field, message):
    before = (Resident.objects.count(), AccessLogEntry.objects.count())
    response = client_as("regisseur").post(reverse("core:resident_create"), {"name": "Fout", **data})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert 'role="alert"' in response.content.decode()
    assert (Resident.objects.count(), AccessLogEntry.objects.count()) == before


def test_the_edit_form_shows_the_current_data(client_as, hilversum):
    resident = Resident.objects.get(name="Mevrouw J. Pronk")
    page = client_as("sociaalwerker").get(reverse("core:resident_update", args=[resident.pk]))
    assert page.status_code == 200 and 'value="1211BJ"' in page.content.decode()


def test_a_partner_reads_but_cannot_change(client_as, hilversum):
    resident = Resident.objects.get(name="Mevrouw J. Pronk")
    client = client_as("partner")
    page = client.get(reverse("core:resident_detail", args=[resident.pk])).content.decode()
    assert "Pronk" in page and "Gegevens wijzigen" not in page
    assert client.post(reverse("core:resident_update", args=[resident.pk]), {"postcode": "1211BJ"}).status_code == 403


def test_the_form_checks_the_address_while_typing(client_as):
    client = client_as("sociaalwerker")
    form = client.get(reverse("core:resident_create")).content.decode()
    assert 'hx-get="/inwoners/adres/"' in form and 'aria-live="polite"' in form
    found = client.get(reverse("core:address_check"), {"postcode": "1211 bj", "house_number": "7"},
                       HTTP_HX_REQUEST="true").content.decode()
    assert "Noord-Oost (Noordoost)" in found
    unknown = client.get(reverse("core:address_check"), {"postcode": "9999ZZ"}).content.decode()
    assert "niet bekend" in unknown
