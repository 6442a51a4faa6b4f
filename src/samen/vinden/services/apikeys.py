"""API keys of organisations for the machine channel. Only a SHA-256 hash is stored."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from samen.core.models import Organisation
from samen.vinden.models import ApiKey


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue(organisation: Organisation) -> str:
    """A new key, shown once: '<prefix>.<secret>'."""
    prefix = secrets.token_hex(4)
    key = f"{prefix}.{secrets.token_urlsafe(32)}"
    ApiKey.objects.create(organisation=organisation, prefix=prefix, hashed=_hash(key))
    return key


def revoke(prefix: str) -> bool:
    return ApiKey.objects.filter(prefix=prefix, revoked_at__isnull=True).update(revoked_at=timezone.now()) > 0


def check(key: str) -> ApiKey | None:
    prefix = key.split(".", 1)[0]
    record = ApiKey.objects.select_related("organisation__gemeente").filter(prefix=prefix).first()
    if record is None or record.revoked_at is not None:
        return None
    return record if secrets.compare_digest(record.hashed, _hash(key)) else None
