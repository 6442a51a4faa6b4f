"""The live figures of the matching (places taken, the local evidence), kept per version of the referrals.

They change with every referral, not with the catalogue, so they have a version of their own: core's cache
version ``matching.referrals`` (``core.CacheVersion``), which database triggers on the referral table set to a
new random token on every INSERT, UPDATE or DELETE, in the same transaction as the write. Triggers, not the
``referral.changed`` event: bulk_create, queryset.update(), the retention job's deletes, the admin and plain
SQL change referrals too, and an event after commit would leave a window in which a process counts the new
rows under the old token.

Each process keeps the last counts per gemeente with the token they were counted under. The match reads the
token first (in its one combined query, ``service``) and counts only when it differs; a count made after the
token was read can only be newer than the token says, so the next match (which sees the newer token) counts
again. A rolled-back write leaves the old token (random, so never handed out twice). No token (the row or the
triggers missing, another database): nothing is kept, every match counts.

``install()`` (re)makes the row and the triggers; it runs after every ``migrate`` and ``flush`` (the app's
post_migrate handler), because SQLite drops a table's triggers when it rebuilds the table.
"""

from __future__ import annotations

import threading

from django.db import connections
from django.db.models import Count, Q

from samen.ondersteunen.matching import engine
from samen.ondersteunen.workflow import ReferralStatus

NAME = "matching.referrals"
TRIGGER = "samen_matching_referrals_changed"
TAKEN = (ReferralStatus.BEVESTIGD, ReferralStatus.EERSTE_KEER, ReferralStatus.BLIJFT_KOMEN)

_kept: dict[int, tuple[str, engine.Live]] = {}
_lock = threading.Lock()


def count(gemeente) -> engine.Live:
    """Per activity: places taken (referrals confirmed or going), and of those who went the six-week answers
    (``went``) and how many still go (``still``). One grouped query, nothing kept."""
    from samen.ondersteunen.models import Referral

    went_q = Q(first_visit_on__isnull=False, still_going_6w__isnull=False)
    taken, went, still = {}, {}, {}
    for activity_id, n_taken, n_went, n_still in (
            Referral.objects.filter(gemeente=gemeente, activity__isnull=False)
            .values("activity_id")
            .annotate(t=Count("id", filter=Q(status__in=TAKEN)), w=Count("id", filter=went_q),
                      s=Count("id", filter=went_q & Q(still_going_6w=True)))
            .values_list("activity_id", "t", "w", "s")):
        if n_taken:
            taken[activity_id] = n_taken
        if n_went:
            went[activity_id], still[activity_id] = n_went, n_still
    return engine.Live(taken, went, still)


def counts(gemeente, version: str | None) -> engine.Live:
    """The live figures valid for ``version`` (the token read before this call): kept ones when counted under
    the same token, else counted again (and kept, unless there is no token)."""
    if version is not None:
        kept = _kept.get(gemeente.pk)
        if kept is not None and kept[0] == version:
            return kept[1]
    live = count(gemeente)
    if version is not None:
        with _lock:
            _kept[gemeente.pk] = (version, live)
    return live


def forget() -> None:
    _kept.clear()


def install(using: str = "default") -> None:
    """Make the token row and the triggers on the referral table, idempotently."""
    import uuid

    from samen.core.models import CacheVersion
    from samen.ondersteunen.models import Referral

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    referrals, versions = Referral._meta.db_table, CacheVersion._meta.db_table
    if referrals not in tables or versions not in tables:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {versions} WHERE name = %s", [NAME])  # noqa: S608 -- table from the model
        if cursor.fetchone() is None:
            cursor.execute(f"INSERT INTO {versions} (name, token) VALUES (%s, %s)",  # noqa: S608
                           [NAME, uuid.uuid4().hex])
        for statement in _trigger_sql(connection.vendor, referrals, versions):
            cursor.execute(statement)


def triggers_present(using: str = "default") -> bool:
    """Whether the referral table has all its change triggers (tests)."""
    from samen.ondersteunen.models import Referral

    connection = connections[using]
    table = Referral._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_name = %s "
                           "AND event_object_table = %s", [TRIGGER, table])
            return cursor.fetchone()[0] >= 3  # one row per event: insert, update, delete
        if connection.vendor == "sqlite":
            cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s "
                           "AND name LIKE %s", [table, f"{TRIGGER}_%"])
            return cursor.fetchone()[0] == 3
    return False


def _trigger_sql(vendor: str, table: str, versions: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"""CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE {versions} SET token = md5(random()::text || clock_timestamp()::text) WHERE name = '{NAME}';
                RETURN NULL;
            END $$""",  # noqa: S608 -- names from the models and constants
            f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}",
            # once per statement: a bulk write of thousands of referrals changes the token once
            f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()",
        ]
    if vendor == "sqlite":  # row triggers only
        return [f"CREATE TRIGGER IF NOT EXISTS {TRIGGER}_{event.lower()} AFTER {event} ON {table} "  # noqa: S608
                f"BEGIN UPDATE {versions} SET token = lower(hex(randomblob(16))) WHERE name = '{NAME}'; END"
                for event in ("INSERT", "UPDATE", "DELETE")]
    return []
