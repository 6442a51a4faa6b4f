"""Where a signal goes: postcode (and house number) -> buurt -> wijk -> the wijk's zorgnetwerk, cached.

Every signal with a postcode needs this lookup (two queries). The answer changes only when the postcode table,
a buurt, a wijk or a zorgnetwerk changes, so it is kept for a short while (``TTL``) in the per-process
``routes`` cache (settings.CACHES), one entry per municipality and postcode: the postcode's ranges with their
buurt, wijk and network; the house number is matched in Python, exactly as ``geography.locate`` does.

Invalidation: every key carries a version token kept in the database (core.CacheVersion, the one store every
worker of every server shares; samen.core.cacheversion). A save or delete of a postcode range (a postcode
import replaces the table: that deletes the old rows), a buurt, a wijk or a zorgnetwerk (and of a user or a
user's wijken: who is told of a wijk's signals is cached the same way, in ``notifications``) writes a new token
once its transaction commits, and every process stops using its cached routes at its next lookup. A postcode
that is not in the table is not cached, so the first import into an empty table needs no invalidation
either. What no signal reports (a bulk update in a shell) is stale for at most ``TTL`` seconds.
"""

from __future__ import annotations

from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from samen.core import cacheversion
from samen.core.models import PostcodeRange

VERSION_NAME = "vinden.routes"
TTL = 60  # seconds

Route = tuple  # (buurt, wijk, network) or (None, None, None) for the central queue
NOWHERE = (None, None, None)


def version() -> str:
    return cacheversion.token(VERSION_NAME)


def invalidate() -> None:
    """A new version token: every process's cached routes are ignored from its next lookup on."""
    cacheversion.bump(VERSION_NAME)


def _ranges(gemeente_id: int, postcode: str) -> list[tuple]:
    """[(number_from, number_to, parity, buurt with its wijk, network or None)] of the postcode, in the table's
    order; [] for a postcode the municipality's table does not know (not cached)."""
    from samen.samenwerken.models import Zorgnetwerk

    key = f"route:{version()}:{gemeente_id}:{postcode}"
    entry = caches["routes"].get(key)
    if entry is not None:
        return entry
    ranges = list(PostcodeRange.objects.filter(postcode=postcode, buurt__wijk__gemeente=gemeente_id)
                  .select_related("buurt__wijk"))
    if not ranges:
        return []
    networks = {wijk_id: Zorgnetwerk.objects.filter(gemeente=gemeente_id, wijk=wijk_id).order_by("pk").first()
                for wijk_id in {r.buurt.wijk_id for r in ranges}}
    entry = [(r.number_from, r.number_to, r.parity, r.buurt, networks[r.buurt.wijk_id]) for r in ranges]
    caches["routes"].set(key, entry, TTL)
    return entry


def _contains(number_from: int, number_to: int, parity: str, number: int) -> bool:
    """PostcodeRange.contains, without building a model instance."""
    if not number_from <= number <= number_to:
        return False
    if parity == PostcodeRange.Parity.EVEN:
        return number % 2 == 0
    if parity == PostcodeRange.Parity.ODD:
        return number % 2 == 1
    return True


def place(gemeente, postcode: str, house_number: int | None) -> Route:
    """(buurt, wijk, network) of a cleaned postcode and house number; NOWHERE for the central queue. Without a
    house number the postcode must lie in one buurt (as in ``geography.locate``)."""
    if not postcode:
        return NOWHERE
    ranges = _ranges(gemeente.pk, postcode)
    if house_number is not None:
        for number_from, number_to, parity, buurt, network in ranges:
            if _contains(number_from, number_to, parity, house_number):
                return buurt, buurt.wijk, network
        return NOWHERE
    buurten = {buurt.pk: (buurt, network) for _from, _to, _parity, buurt, network in ranges}
    if len(buurten) == 1:
        buurt, network = next(iter(buurten.values()))
        return buurt, buurt.wijk, network
    return NOWHERE


class _Invalidation:
    """The on-commit hook of one transaction: a postcode import deletes thousands of rows, one new token is enough."""

    def __init__(self):
        self.done = False

    def __call__(self):
        self.done = True
        invalidate()


def _changed(sender, using="default", **kwargs) -> None:
    """A routing table changed: a new version token once the transaction commits (once per transaction)."""
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(isinstance(hook, _Invalidation) and not hook.done
                                          for _sids, hook, *_rest in connection.run_on_commit):
        return
    transaction.on_commit(_Invalidation(), using=using)


def _user_changed(sender, update_fields=None, **kwargs) -> None:
    """A user's role, address or activity may decide who is told of a signal; a login (last_login) does not."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    _changed(sender, **kwargs)


def connect() -> None:
    from django.contrib.auth import get_user_model

    for model in ("core.PostcodeRange", "core.Buurt", "core.Wijk", "samenwerken.Zorgnetwerk"):
        uid = f"samen-vinden-routes-{model}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
    # Who is told of a wijk's signals (notifications._network_people) is cached under the same token.
    user = get_user_model()
    post_save.connect(_user_changed, sender=user, dispatch_uid="samen-vinden-routes-user-save")
    post_delete.connect(_changed, sender=user, dispatch_uid="samen-vinden-routes-user-delete")
    m2m_changed.connect(_changed, sender=user.wijken.through, dispatch_uid="samen-vinden-routes-user-wijken")
