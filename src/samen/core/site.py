"""The municipality behind a page: the public site's footer, its statements and the phone number for
residents without internet (``Gemeente.contact_phone``), as one small dict for templates and PDFs."""

from __future__ import annotations

from django.http import Http404

from samen.core.models import Gemeente
from samen.core.validators import phone_digits


def site_gemeente(request) -> Gemeente | None:
    """A staff user's municipality, or the public site's (None when there is none)."""
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False) and user.gemeente_id:
        return user.gemeente
    from samen.core.public import public_gemeente

    try:
        return public_gemeente(request)
    except Http404:
        return None


def site_details(gemeente: Gemeente | None) -> dict:
    """What the footer, the statements, the letters and the A4 show of a municipality."""
    if gemeente is None:
        return {}
    return {"name": gemeente.name, "logo_url": gemeente.logo_url, "phone": gemeente.contact_phone,
            "tel": phone_digits(gemeente.contact_phone), "hours": gemeente.contact_hours,
            "email": gemeente.contact_email, "address": gemeente.contact_address,
            "has_privacy": bool(gemeente.privacy_statement.strip()),
            "has_accessibility": bool(gemeente.accessibility_status)}
