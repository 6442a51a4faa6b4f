"""A per-account limit on failed logins, whatever address they come from (issue 11, item 5).

django-axes locks a user name *per address* (SAMEN_LOGIN_FAILURE_LIMIT): a guesser with many addresses is
not slowed by it. This limit counts an account's failed logins from every address together, in fixed windows of
``WINDOW`` seconds (an atomic counter, samen.core.ratelimit). When ``LIMIT`` failures are reached the account
takes no login attempt until the window ends, so a guess from a thousand addresses gets ``LIMIT`` tries per
window, and the rightful user waits at most ``WINDOW`` seconds after the attack stops. The moment the limit is
reached the account's user and the municipality's beheerders get a notice through the outbox (once per window;
no addresses or passwords in it).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from django.contrib.auth.signals import user_login_failed
from django.urls import reverse
from django.utils.translation import gettext as _

from samen.core import outbox, ratelimit

LIMIT = 20  # failed logins per account per window, from all addresses together
WINDOW = 15 * 60  # seconds


def _key(username: str, now: float | None = None) -> tuple[str, datetime]:
    window = int((time.time() if now is None else now) // WINDOW)
    return f"login-account:{username.strip().lower()}:{window}", datetime.fromtimestamp((window + 1) * WINDOW, UTC)


def is_slowed(username: str, now: float | None = None) -> bool:
    """The account has had ``LIMIT`` failed logins in this window: no attempt is taken until it ends."""
    if not username:
        return False
    return ratelimit.count(_key(username, now)[0]) >= LIMIT


def minutes_left(now: float | None = None) -> int:
    now = time.time() if now is None else now
    return max(1, round((WINDOW - now % WINDOW) / 60))


def failed(sender, credentials=None, request=None, **kwargs) -> None:
    """Count a failed login for the account (Django's user_login_failed signal); the notice when it is full."""
    username = (credentials or {}).get("username") or ""
    if not username:
        return
    key, expires = _key(username)
    if ratelimit.hit(key, LIMIT, expires) == LIMIT:
        _notify(username)


def _notify(username: str) -> None:
    from samen.core.models import User
    from samen.core.roles import Role

    user = User.objects.filter(username__iexact=username.strip()).first()
    if user is None:
        return  # a made-up name: nobody to tell
    subject = _("Veel mislukte inlogpogingen op uw account")
    body = _("Op het account %(username)s is in korte tijd %(count)s keer met een verkeerd wachtwoord ingelogd. "
             "Het account neemt daarom een kwartier geen inlogpogingen aan. Was u dit niet? Kies dan een nieuw "
             "wachtwoord en meld het bij de beheerder.\n\n%(link)s") % {
        "username": user.username, "count": LIMIT, "link": outbox.public_url(reverse("core:login"))}
    beheerders = User.objects.filter(gemeente=user.gemeente_id, role=Role.BEHEERDER, is_active=True)
    outbox.enqueue(kind="core.login_attempts", subject=subject, body=body, recipients=[user, *beheerders],
                   gemeente=user.gemeente_id, about=("core.user", user.pk))


user_login_failed.connect(failed, dispatch_uid="samen-core-loginlimit")
