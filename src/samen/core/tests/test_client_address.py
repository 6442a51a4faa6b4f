"""The client's address behind 0, 1 or 2 trusted proxies (SAMEN_TRUSTED_PROXIES), and the limits that use it:
the login lockout, the public forms and the API's rate limit all see the same address."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from samen.conf import env
from samen.core.client import client_address


def proxies(n: int):
    return override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "NUM_PROXIES": n})


@pytest.mark.parametrize(("n", "forwarded", "expected"), [
    (0, None, "10.0.0.1"),
    (0, "6.6.6.6", "10.0.0.1"),  # no proxy: a header the client wrote itself is ignored
    (1, None, "10.0.0.1"),
    (1, "6.6.6.6, 192.0.2.7", "192.0.2.7"),  # the address our proxy added, not the client's own claim
    (2, "6.6.6.6, 192.0.2.7, 10.0.0.9", "192.0.2.7"),
    (2, "192.0.2.7", "192.0.2.7"),
])
def test_the_client_address_behind_trusted_proxies(n, forwarded, expected):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", **extra)
    with proxies(n):
        assert client_address(request) == expected


def test_the_setting_is_a_whole_number_of_at_least_zero(monkeypatch):
    monkeypatch.setenv("SAMEN_TRUSTED_PROXIES", "0")
    assert env.get_int("SAMEN_TRUSTED_PROXIES", minimum=0) == 0
    for bad in ("-1", "twee"):
        monkeypatch.setenv("SAMEN_TRUSTED_PROXIES", bad)
        with pytest.raises(env.ImproperlyConfigured, match="SAMEN_TRUSTED_PROXIES"):
            env.get_int("SAMEN_TRUSTED_PROXIES", minimum=0)


def concern(client: Client, number: int, forwarded: str):
    return client.post(reverse("vinden:concern"), {"postcode": "1211BJ", "house_number": str(number),
                                                   "description": "x"}, HTTP_X_FORWARDED_FOR=forwarded)


def test_without_proxies_a_forged_header_does_not_escape_the_public_forms_limit(hilversum):
    client = Client(REMOTE_ADDR="10.9.8.1")
    statuses = [concern(client, number, f"198.51.100.{number}").status_code for number in range(1, 7)]
    assert statuses == [302] * 5 + [429]


def test_behind_a_proxy_each_resident_has_their_own_public_forms_limit(hilversum):
    proxy = Client(REMOTE_ADDR="10.9.8.2")  # every request comes from the proxy's address
    with proxies(1):
        assert [concern(proxy, number, "198.51.100.1").status_code for number in range(1, 7)] == [302] * 5 + [429]
        assert concern(proxy, 7, "198.51.100.2").status_code == 302  # another resident behind the same proxy


def test_behind_a_proxy_the_login_lockout_counts_the_resident_not_the_proxy(hilversum):
    proxy = Client(REMOTE_ADDR="10.9.8.3")

    def login(forwarded: str, password: str = "wrong password"):
        return proxy.post(reverse("core:login"), {"username": "beleidsadviseur", "password": password},
                          HTTP_X_FORWARDED_FOR=forwarded)

    with proxies(1):
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            login("198.51.100.9")
        assert login("198.51.100.9").status_code == 429
        assert login("198.51.100.10").status_code == 200  # same account, another address: not locked


def test_behind_a_proxy_the_api_limit_counts_the_resident(hilversum, monkeypatch):
    from samen.vinden.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {**AnonRateThrottle.THROTTLE_RATES, "anon": "3/minute"})
    proxy = Client(REMOTE_ADDR="10.9.8.4")
    with proxies(1):
        statuses = [proxy.get("/api/v1/activities/", HTTP_X_FORWARDED_FOR="198.51.100.20").status_code
                    for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert proxy.get("/api/v1/activities/", HTTP_X_FORWARDED_FOR="198.51.100.21").status_code == 200
