"""Version tokens for per-process caches, kept in the database (core.CacheVersion).

A process caches something (vinden's routes) under keys that carry the token of its name; a change writes
a new token, and every process of every server stops using its old entries at its next lookup. The token is
in the database, the one store all servers share: a local file or a per-process cache would only tell the
processes of one machine.
"""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction

from samen.core.models import CacheVersion


def token(name: str) -> str:
    """The current token of ``name`` (made on first use)."""
    found = CacheVersion.objects.filter(name=name).values_list("token", flat=True).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return CacheVersion.objects.create(name=name, token=uuid.uuid4().hex).token
    except IntegrityError:  # made by another process at the same moment
        return CacheVersion.objects.get(name=name).token


def bump(name: str) -> str:
    """A new token: every process's entries under the old one are ignored from its next lookup on."""
    new = uuid.uuid4().hex
    if not CacheVersion.objects.filter(name=name).update(token=new):
        try:
            with transaction.atomic():
                CacheVersion.objects.create(name=name, token=new)
        except IntegrityError:
            CacheVersion.objects.filter(name=name).update(token=new)
    return new
