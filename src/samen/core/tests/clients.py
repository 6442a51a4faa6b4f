"""Test clients logged in as a user, through the second factor where the user has a device. A module of
its own (not the root conftest.py): ``from conftest import ...`` finds whichever conftest Python imported
first under that name (tests/browser has one too), so it breaks depending on the order tests run in."""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def verified_client(user) -> Client:
    """A client logged in as ``user``, through the second factor where the user has a device."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
