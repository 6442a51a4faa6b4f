"""Accounts (issue 14): "wachtwoord vergeten" by e-mail, the forced change after a one-time password, and
no volunteer or partner without a wijk."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from samen.core.models import OutboxMessage, User, Wijk
from samen.core.services import users as service
from samen.core.views import password_reset

pytestmark = pytest.mark.django_db
RESET = reverse("core:password_reset")


def reset_link(message: OutboxMessage) -> str:
    return re.search(r"(/wachtwoord-herstellen/[^/\s]+/[^/\s]+/)", message.body).group(1)


def test_a_user_who_forgot_the_password_chooses_a_new_one_through_a_single_use_link(demo_user):
    partner = demo_user("partner")
    resident = Client(REMOTE_ADDR="10.70.0.1")
    response = resident.post(RESET, {"email": partner.email.upper()})
    assert response.status_code == 302 and response["Location"] == reverse("core:password_reset_done")
    message = OutboxMessage.objects.get(kind="core.password_reset", recipient=partner)
    assert message.address == partner.email and "een uur" in message.body and "partner" in message.body
    link = resident.get(reset_link(message), follow=True)
    assert link.status_code == 200 and "Nieuw wachtwoord kiezen" in link.content.decode()
    saved = resident.post(link.redirect_chain[-1][0], {"new_password1": "Een lang nieuw wachtwoord 7",
                                                       "new_password2": "Een lang nieuw wachtwoord 7"})
    assert saved.status_code == 302 and saved["Location"] == reverse("core:password_reset_complete")
    partner.refresh_from_db()
    assert partner.check_password("Een lang nieuw wachtwoord 7")
    again = Client().get(reset_link(message), follow=True).content.decode()  # the link works once
    assert "Deze link werkt niet meer" in again


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(demo_user):
    known = Client(REMOTE_ADDR="10.70.0.2").post(RESET, {"email": demo_user("partner").email}, follow=True)
    unknown = Client(REMOTE_ADDR="10.70.0.3").post(RESET, {"email": "niemand@example.org"}, follow=True)
    def page(response):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())

    assert page(known) == page(unknown) and known.status_code == unknown.status_code == 200
    assert not OutboxMessage.objects.filter(address="niemand@example.org").exists()


def test_a_bad_address_is_refused_in_dutch_and_nothing_is_queued():
    before = OutboxMessage.objects.count()
    response = Client(REMOTE_ADDR="10.70.0.4").post(RESET, {"email": "geen-adres"})
    assert response.status_code == 200 and "e-mailadres" in response.content.decode()
    assert OutboxMessage.objects.count() == before


def test_password_reset_requests_are_rate_limited(demo_user):
    client = Client(REMOTE_ADDR="10.70.0.5")
    address = demo_user("partner").email
    statuses = [client.post(RESET, {"email": address}).status_code for _ in range(password_reset.RESET_LIMIT + 1)]
    assert statuses == [302] * password_reset.RESET_LIMIT + [429]
    # per e-mail address too: beyond MAIL_LIMIT nothing more is sent, the answer stays the same
    assert OutboxMessage.objects.filter(kind="core.password_reset", address=address).count() == \
        password_reset.MAIL_LIMIT


def test_after_a_one_time_password_the_user_must_choose_their_own(client_as, hilversum):
    wijk = Wijk.objects.get(code="WK040204")
    created = client_as("beheerder").post(reverse("core:user_create"), {
        "username": "eenmalig", "role": "beleidsadviseur", "is_active": "on", "wijken": [wijk.pk]})
    password = created.context["password"]
    user = User.objects.get(username="eenmalig")
    assert user.must_change_password
    client = Client()
    client.force_login(user)
    home = client.get(reverse("core:home"))
    assert home.status_code == 302 and home["Location"] == reverse("core:password_change")
    page = client.get(reverse("core:password_change")).content.decode()
    assert "eenmalig wachtwoord" in page
    assert client.get(reverse("core:privacy")).status_code == 200  # public pages stay open
    changed = client.post(reverse("core:password_change"), {
        "old_password": password, "new_password1": "Mijn eigen wachtwoord 42",
        "new_password2": "Mijn eigen wachtwoord 42"})
    assert changed.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and client.get(reverse("core:home")).status_code == 200


def test_a_password_reset_by_the_beheerder_is_one_time_too(client_as, demo_user):
    aanbieder = demo_user("aanbieder")
    client_as("beheerder").post(reverse("core:user_update", args=[aanbieder.pk]), {"action": "reset_password"})
    aanbieder.refresh_from_db()
    assert aanbieder.must_change_password


@pytest.mark.parametrize("role", ["vrijwilliger", "partner"])
def test_a_volunteer_or_partner_needs_a_wijk(client_as, hilversum, role):
    before = User.objects.count()
    response = client_as("beheerder").post(reverse("core:user_create"), {"username": f"zonder.{role}",
                                                                        "role": role, "is_active": "on"})
    assert response.status_code == 400 and "Kies minstens één wijk" in response.content.decode()
    assert User.objects.count() == before


def test_the_service_refuses_a_partner_without_a_wijk_too(demo_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        service.create_user(demo_user("beheerder"), {"username": "svc.partner", "role": "partner", "wijken": []})
    assert "Kies minstens één wijk" in str(refused.value)
    partner = demo_user("partner")
    with pytest.raises(ValidationError):
        service.change_user(demo_user("beheerder"), partner.pk, {"role": "partner", "wijken": [], "is_active": True})
    assert partner.wijken.exists()
