"""One-time form tokens: a form that creates something carries a random token, signed with a time stamp.

The page puts ``issue()`` in a hidden field; the view reads it back with ``read()`` and uses it as the
idempotency key of what the form creates (for signals: ``vinden.IdempotencyRecord``), so a refresh of the
answer, or going back and sending again, finds the first record instead of making a second one. The token
itself stores nothing: the record made in the same transaction is what makes it single-use.
"""

from __future__ import annotations

import secrets

from django.core import signing

FIELD = "form_token"
MAX_AGE = 24 * 3600  # a form left open for a day is still accepted
_SALT = "samen.core.formtoken"


class InvalidToken(Exception):
    """The token was tampered with or is older than MAX_AGE."""


def issue() -> str:
    return signing.dumps(secrets.token_urlsafe(16), salt=_SALT)


def read(value: str | None) -> str | None:
    """The token's key; None when the post carried no token (scripts and old pages: no protection)."""
    if not value:
        return None
    try:
        return signing.loads(value, salt=_SALT, max_age=MAX_AGE)
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature
        raise InvalidToken from exc


def sign_reference(reference: str, salt: str) -> str:
    """A reference for a thank-you URL that cannot be made up (the page shows only what it carries)."""
    return signing.dumps(reference, salt=salt)


def unsign_reference(value: str, salt: str, max_age: int = MAX_AGE) -> str | None:
    try:
        return signing.loads(value, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
