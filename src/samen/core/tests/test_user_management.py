"""The beheerder manages accounts of their own municipality; everyone changes their own password."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from samen.core.models import User, Wijk
from samen.core.tests.factories import GemeenteFactory, WijkFactory

pytestmark = pytest.mark.django_db


def test_beheerder_adds_a_social_worker_who_can_then_log_in(client_as, hilversum):
    wijk = Wijk.objects.get(code="WK040204")
    response = client_as("beheerder").post(reverse("core:user_create"), {
        "username": "nieuwe.werker", "first_name": "Nina", "role": "sociaalwerker", "wijken": [wijk.pk],
        "is_active": "on"})
    assert response.status_code == 200
    password = response.context["password"]
    user = User.objects.get(username="nieuwe.werker")
    assert user.gemeente == hilversum and list(user.wijken.all()) == [wijk]
    assert user.password.startswith("argon2") and password not in user.password
    login = Client().post(reverse("core:login"), {"username": "nieuwe.werker", "password": password},
                          REMOTE_ADDR="10.9.9.9")
    assert login.status_code == 302 and login["Location"].startswith(reverse("core:otp_verify"))


def test_a_duplicate_username_or_foreign_wijk_is_refused_and_nothing_stored(client_as, hilversum):
    foreign = WijkFactory(gemeente=GemeenteFactory())
    before = User.objects.count()
    client = client_as("beheerder")
    duplicate = client.post(reverse("core:user_create"), {"username": "regisseur", "role": "regisseur"})
    assert duplicate.status_code == 400 and "bestaat al" in duplicate.content.decode()
    foreign_wijk = client.post(reverse("core:user_create"), {"username": "x", "role": "partner",
                                                             "wijken": [foreign.pk]})
    assert foreign_wijk.status_code == 400 and "wijken" in foreign_wijk.context["form"].errors
    assert User.objects.count() == before


def test_beheerder_changes_a_role_and_resets_the_second_factor(client_as, demo_user):
    partner = demo_user("partner")
    client = client_as("beheerder")
    response = client.post(reverse("core:user_update", args=[partner.pk]), {
        "username": "ignored", "role": "sociaalwerker", "wijken": [w.pk for w in partner.wijken.all()],
        "is_active": "on"})
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.role == "sociaalwerker" and partner.username == "partner"
    client.post(reverse("core:user_update", args=[partner.pk]), {"action": "reset_2fa"})
    assert not TOTPDevice.objects.filter(user=partner).exists()


def test_beheerder_cannot_lock_themselves_out(client_as, demo_user):
    beheerder = demo_user("beheerder")
    response = client_as("beheerder").post(reverse("core:user_update", args=[beheerder.pk]),
                                           {"role": "aanbieder", "is_active": "on"})
    assert response.status_code == 400
    beheerder.refresh_from_db()
    assert beheerder.role == "beheerder"


def test_a_user_changes_their_own_password(client_as, demo_user):
    client = client_as("aanbieder")
    weak = client.post(reverse("core:password_change"), {"old_password": "samen-demo-2026",
                                                         "new_password1": "12345", "new_password2": "12345"})
    assert weak.status_code == 200 and weak.context["form"].errors
    response = client.post(reverse("core:password_change"), {
        "old_password": "samen-demo-2026", "new_password1": "een lang nieuw wachtwoord",
        "new_password2": "een lang nieuw wachtwoord"})
    assert response.status_code == 302
    assert demo_user("aanbieder").check_password("een lang nieuw wachtwoord")


def test_a_new_account_can_start_inactive(client_as, hilversum):
    wijk = Wijk.objects.get(code="WK040204")  # a partner works in a wijk
    client_as("beheerder").post(reverse("core:user_create"), {"username": "later", "role": "partner",
                                                              "wijken": [wijk.pk]})
    assert User.objects.get(username="later").is_active is False
