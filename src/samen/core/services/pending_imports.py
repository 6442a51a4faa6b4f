"""Preview and confirm for every import that replaces data (docs/architecture.md, "Import toolkit").

An import screen reads and checks the upload, works out what would change, and *stages* it here: the
parsed rows, the summary the preview shows and a fingerprint of the data the import would replace, under
a random token that only the uploading user can use and that expires. Confirming *claims* the staged
import inside the caller's transaction: the row is locked (a double click applies once), the user,
municipality and expiry are checked, and the caller compares the fingerprint with the data as it is now
before applying. Nothing changes before the confirmation; a used token is gone.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core.models import PendingImport, User

LIFETIME = datetime.timedelta(hours=1)


class PendingImportError(Exception):
    """A confirmation that cannot be applied; the message says why, in Dutch."""


def fingerprint(items: Iterable) -> str:
    """A stable hash of the current data (any JSON-serialisable items, order as given)."""
    digest = hashlib.sha256()
    for item in items:
        digest.update(json.dumps(item, sort_keys=True, default=str).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def stage(user: User, kind: str, payload, summary: dict, current_fingerprint: str) -> PendingImport:
    """Keep a checked upload until the user confirms it; the user's older uploads of this kind go."""
    now = timezone.now()
    with transaction.atomic():
        PendingImport.objects.filter(expires_at__lt=now).delete()
        PendingImport.objects.filter(user=user, kind=kind).delete()
        return PendingImport.objects.create(
            token=secrets.token_urlsafe(32), kind=kind, gemeente_id=user.gemeente_id, user=user, payload=payload,
            summary=summary, fingerprint=current_fingerprint, expires_at=now + LIFETIME)


def peek(user: User, kind: str, token: str) -> PendingImport:
    """The staged import for the preview page (not locked)."""
    return _check(PendingImport.objects.filter(token=token or "").first(), user, kind)


def claim(user: User, kind: str, token: str, current_fingerprint) -> PendingImport:
    """Lock, check and remove the staged import; call inside ``transaction.atomic()``.

    ``current_fingerprint`` is a function of the PendingImport (its payload may say which part of the data
    it replaces) that returns the fingerprint of the data as it is now."""
    pending = _check(PendingImport.objects.select_for_update().filter(token=token or "").first(), user, kind)
    if current_fingerprint(pending) != pending.fingerprint:
        pending.delete()
        raise PendingImportError(_("De gegevens zijn veranderd sinds het bestand werd ingelezen. Er is niets "
                                   "veranderd; lees het bestand opnieuw in en bekijk het overzicht opnieuw."))
    pending.delete()
    return pending


def discard(user: User, kind: str, token: str) -> None:
    PendingImport.objects.filter(token=token or "", user=user, kind=kind).delete()


def _check(pending: PendingImport | None, user: User, kind: str) -> PendingImport:
    if pending is None or pending.kind != kind:
        raise PendingImportError(_("Dit overzicht bestaat niet (meer): het is al bevestigd of afgebroken. Lees "
                                   "het bestand opnieuw in."))
    if pending.user_id != user.pk or pending.gemeente_id != user.gemeente_id:
        raise PendingImportError(_("Dit overzicht is van een andere gebruiker; alleen wie het bestand inlas, kan "
                                   "het bevestigen."))
    if pending.expires_at < timezone.now():
        pending.delete()
        raise PendingImportError(_("Dit overzicht is verlopen (na een uur). Er is niets veranderd; lees het "
                                   "bestand opnieuw in."))
    return pending
