"""Logging in: password then a second factor for staff who see personal data; throttling and
lock-out, Argon2 hashes, expiring sessions and security headers."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from samen.core.services.demo import DEMO_PASSWORD
from samen.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def login(client: Client, username: str, password: str = DEMO_PASSWORD):
    return client.post(reverse("core:login"), {"username": username, "password": password},
                       REMOTE_ADDR="10.1.2.3")


def test_regisseur_logs_in_with_password_and_code(demo_user):
    client = Client()
    response = login(client, "regisseur")
    assert response.status_code == 302 and response["Location"].startswith(reverse("core:otp_verify"))
    # With only a password, nothing with personal data is reachable.
    blocked = client.get(reverse("core:resident_list"))
    assert blocked.status_code == 302 and blocked["Location"].startswith(reverse("core:otp_verify"))
    assert client.get(reverse("api:resident-list")).status_code in (401, 403)
    device = TOTPDevice.objects.get(user=demo_user("regisseur"), confirmed=True)
    response = client.post(response["Location"], {"token": current_code(device)})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert client.get(reverse("core:resident_list")).status_code == 200


def test_a_wrong_code_is_refused_with_a_clear_message(demo_user):
    client = Client()
    login(client, "partner")
    response = client.post(reverse("core:otp_verify"), {"token": "000000"})
    assert response.status_code == 400
    assert "Deze code klopt niet" in response.content.decode()
    assert client.get(reverse("core:home")).status_code == 302


def test_a_policy_advisor_needs_no_second_factor():
    client = Client()
    response = login(client, "beleidsadviseur")
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200


def test_a_new_staff_member_links_an_authenticator_app_first(hilversum):
    UserFactory(username="nieuw", gemeente=hilversum, role="sociaalwerker")
    client = Client()
    response = login(client, "nieuw", "correct horse battery staple")
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"].startswith(reverse("core:otp_setup"))
    page = client.get(response["Location"])
    assert page.status_code == 200 and "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user__username="nieuw", confirmed=False)
    assert client.post(reverse("core:otp_setup"), {"token": "123"}).status_code == 400
    response = client.post(reverse("core:otp_setup"), {"token": current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:home")).status_code == 200


def test_repeated_failures_lock_the_account_even_for_the_right_password(hilversum):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = login(client, "beleidsadviseur", "wrong password")
        assert response.status_code in (200, 429)
    locked = login(client, "beleidsadviseur")
    assert locked.status_code == 429
    assert "Tijdelijk geblokkeerd" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_failed_login_says_so_without_telling_which_part_was_wrong():
    response = login(Client(), "regisseur", "nope")
    assert response.status_code == 200
    assert "combinatie van gebruikersnaam en wachtwoord" in response.content.decode()


def test_passwords_are_hashed_with_argon2(demo_user):
    assert demo_user("regisseur").password.startswith("argon2")


def test_sessions_expire_after_idle_time():
    client = Client()
    login(client, "beleidsadviseur")
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert 0 < client.session.get_expiry_age() <= 30 * 60


def test_the_idle_timeout_moves_with_requests_without_a_write_on_each(monkeypatch):
    """An unchanged session is saved again (a new expiry) only when its last save is a minute ago."""
    from django.contrib.sessions.models import Session

    from samen.core import middleware

    client = Client()
    login(client, "beleidsadviseur")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    clock = [time.time()]
    monkeypatch.setattr(middleware.time, "time", lambda: clock[0])

    def expiry():
        return Session.objects.get(session_key=key).expire_date

    client.get(reverse("core:home"))  # the first request after login marks the moment of the save
    first = expiry()
    clock[0] += settings.SESSION_REFRESH_SECONDS - 5
    client.get(reverse("core:home"))
    assert expiry() == first  # within the minute: no write
    clock[0] += 10
    client.get(reverse("core:home"))
    later = expiry()
    assert later > first  # a minute on: saved, the session lives on from now
    assert 0 < (later - first).total_seconds() < 60


def test_security_headers_are_set():
    response = Client().get(reverse("informeren:index"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_logout_ends_the_session(client_as):
    client = client_as("regisseur")
    assert client.post(reverse("core:logout")).status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


def test_the_page_is_dutch_unless_english_is_chosen():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.get(reverse("core:login"))["Content-Language"] == "nl"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.get(reverse("core:login"))["Content-Language"] == "en"


def login_from(address: str, username: str, password: str = DEMO_PASSWORD):
    return Client().post(reverse("core:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_a_guesser_from_many_addresses_is_slowed_per_account_and_the_user_is_told(hilversum, monkeypatch):
    from samen.core import loginlimit
    from samen.core.models import OutboxMessage

    for n in range(loginlimit.LIMIT):  # one failure per address: django-axes never locks any of them
        assert login_from(f"10.66.{n // 200}.{n % 200}", "beleidsadviseur", "raden").status_code == 200
    slowed = login_from("10.99.0.1", "beleidsadviseur")  # even the right password waits
    assert slowed.status_code == 429 and "neemt over" in slowed.content.decode()
    notices = OutboxMessage.objects.filter(kind="core.login_attempts")
    assert {m.address for m in notices} >= {"beleidsadviseur@demo.samen.invalid", "beheerder@demo.samen.invalid"}
    assert all("10.66" not in m.body for m in notices), "no addresses in the e-mail"
    sent = notices.count()
    assert login_from("10.99.0.2", "regisseur").status_code == 302, "other accounts go on"
    later = time.time() + loginlimit.WINDOW
    monkeypatch.setattr(loginlimit.time, "time", lambda: later)
    assert login_from("10.99.0.1", "beleidsadviseur").status_code == 302, "not locked out for long"
    assert notices.count() == sent, "one notice per window"
