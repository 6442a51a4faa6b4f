"""API tokens end when access should end, and every user sees and ends their own (issue 11, item 6)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from samen.core.services import users as service
from samen.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _api(token: str, name: str = "api:me", method: str = "get"):
    return getattr(Client(), method)(reverse(name), HTTP_AUTHORIZATION=f"Token {token}")


def _works(token: str) -> bool:
    response = _api(token)
    assert response.status_code in {200, 401}, response.content
    return response.status_code == 200


@pytest.fixture
def partner_token(demo_user):
    _instance, token = service.issue_token(demo_user("partner"))
    assert _works(token)
    return token


def test_a_users_own_password_change_ends_their_tokens(client_as, demo_user, partner_token):
    other = service.issue_token(demo_user("sociaalwerker"))[1]
    response = client_as("partner").post(reverse("core:password_change"), {
        "old_password": "samen-demo-2026", "new_password1": "een lang nieuw wachtwoord",
        "new_password2": "een lang nieuw wachtwoord"})
    assert response.status_code == 302
    assert not _works(partner_token)
    assert _works(other), "another user's token is not touched"


def test_a_refused_password_change_keeps_the_tokens(client_as, partner_token):
    client_as("partner").post(reverse("core:password_change"), {
        "old_password": "fout", "new_password1": "een lang nieuw wachtwoord",
        "new_password2": "een lang nieuw wachtwoord"})
    assert _works(partner_token)


def test_the_beheerders_password_reset_ends_the_tokens(client_as, demo_user, partner_token):
    response = client_as("beheerder").post(reverse("core:user_update", args=[demo_user("partner").pk]),
                                           {"action": "reset_password"})
    assert response.status_code == 200
    assert not _works(partner_token)


def test_a_second_factor_reset_ends_the_tokens(client_as, demo_user, partner_token):
    client_as("beheerder").post(reverse("core:user_update", args=[demo_user("partner").pk]), {"action": "reset_2fa"})
    assert not TOTPDevice.objects.filter(user=demo_user("partner")).exists()
    assert not _works(partner_token)
    with pytest.raises(service.TokenRefused, match="tweede factor"):
        service.issue_token(demo_user("partner"))


def test_deactivation_ends_the_tokens(client_as, demo_user, partner_token):
    partner = demo_user("partner")
    response = client_as("beheerder").post(reverse("core:user_update", args=[partner.pk]), {
        "role": "partner", "wijken": [w.pk for w in partner.wijken.all()], "organisation": partner.organisation_id})
    assert response.status_code == 302, response.content
    partner.refresh_from_db()
    assert partner.is_active is False
    assert not AuthToken.objects.filter(user=partner).exists()


def test_a_token_without_a_second_factor_is_refused_even_if_it_was_not_ended(demo_user, partner_token):
    """The second line: a device removed past the service still closes the API."""
    TOTPDevice.objects.filter(user=demo_user("partner")).delete()
    response = _api(partner_token)
    assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"


def test_the_command_refuses_a_personal_data_role_without_a_second_factor(hilversum, capsys):
    worker = UserFactory(gemeente=hilversum, role="sociaalwerker", username="nieuw")
    with pytest.raises(CommandError, match="tweede factor"):
        call_command("token", "nieuw")
    assert not AuthToken.objects.filter(user=worker).exists()
    TOTPDevice.objects.create(user=worker, name="app", confirmed=True)
    call_command("token", "nieuw")
    assert _works(capsys.readouterr().out.strip())


def test_a_role_without_personal_data_gets_a_token_without_a_second_factor(hilversum, capsys):
    UserFactory(gemeente=hilversum, role="beleidsadviseur", username="adviseur2")
    call_command("token", "adviseur2")
    assert _works(capsys.readouterr().out.strip())


def test_the_command_revokes_all_of_a_users_tokens_or_one(demo_user, capsys):
    partner = demo_user("partner")
    first, second = service.issue_token(partner), service.issue_token(partner)
    keep = service.issue_token(demo_user("regisseur"))
    call_command("token", "--revoke-token", first[0].token_key)
    assert not _works(first[1]) and _works(second[1])
    call_command("token", "--revoke", "partner")
    assert not _works(second[1]) and _works(keep[1])
    assert "Ended 1 token(s)." in capsys.readouterr().out
    with pytest.raises(CommandError, match="no token with prefix"):
        call_command("token", "--revoke-token", "onbekend")
    with pytest.raises(CommandError, match="no user 'nobody'"):
        call_command("token", "--revoke", "nobody")


def test_the_command_lists_tokens_without_their_secret(demo_user, capsys):
    instance, token = service.issue_token(demo_user("partner"))
    capsys.readouterr()
    call_command("token", "--list", "partner")
    out = capsys.readouterr().out
    assert instance.token_key in out and token not in out


def test_api_logout_ends_only_the_token_used(demo_user, partner_token):
    other = service.issue_token(demo_user("partner"))[1]
    response = _api(partner_token, "api:auth-logout", "post")
    assert response.status_code == 204
    assert not _works(partner_token) and _works(other)


def test_api_logout_with_a_session_is_a_clear_400(client_as):
    response = client_as("partner").post(reverse("api:auth-logout"))
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert "API-token" in response.json()["detail"]


def test_api_logout_all_ends_every_token_of_the_user(demo_user, partner_token):
    other = service.issue_token(demo_user("partner"))[1]
    stranger = service.issue_token(demo_user("regisseur"))[1]
    assert _api(partner_token, "api:auth-logout-all", "post").status_code == 204
    assert not _works(partner_token) and not _works(other) and _works(stranger)


def test_the_api_lists_the_users_own_tokens_without_the_secret(demo_user, partner_token):
    service.issue_token(demo_user("regisseur"))
    second, _token = service.issue_token(demo_user("partner"))
    response = _api(partner_token, "api:auth-token-list")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    body = response.json()
    assert [t["prefix"] for t in body] == [second.token_key, partner_token[:len(second.token_key)]]
    assert [t["current"] for t in body] == [False, True]
    assert partner_token not in response.content.decode()
    assert set(body[0]) == {"prefix", "created", "expiry", "current"}
    assert Client().get(reverse("api:auth-token-list")).status_code == 401


def test_a_user_ends_one_token_or_all_on_their_account_page(client_as, demo_user, partner_token):
    client = client_as("partner")
    second, second_token = service.issue_token(demo_user("partner"))
    page = client.get(reverse("core:token_list"))
    html = page.content.decode()
    assert page.status_code == 200 and second.token_key in html and second_token not in html
    assert reverse("core:token_list") in client.get(reverse("core:password_change")).content.decode()
    response = client.post(reverse("core:token_list"), {"prefix": second.token_key}, follow=True)
    assert "Het token is beëindigd." in response.content.decode()
    assert not _works(second_token) and _works(partner_token)
    response = client.post(reverse("core:token_list"), {"prefix": "onbekend"}, follow=True)
    assert "U heeft geen actief token met dit begin." in response.content.decode()
    client.post(reverse("core:token_list"), {"all": "1"})
    assert not _works(partner_token)


def test_nobody_ends_another_users_token_on_the_page(client_as, demo_user):
    instance, token = service.issue_token(demo_user("regisseur"))
    client_as("partner").post(reverse("core:token_list"), {"prefix": instance.token_key})
    assert _works(token)
