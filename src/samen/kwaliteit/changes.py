"""Knowing that the catalogue changed, whoever changed it.

Each server process keeps the public search's index in memory (kwaliteit.services.search_index). It is
valid for one *token*: the single ``CatalogueVersion`` row, which database triggers set to a new random
number on every INSERT, UPDATE or DELETE of the tables the search reads (activities, planned dates, places,
organisations). Triggers, not Django signals: bulk_create, queryset.update(), the admin, a migration
and plain SQL change the catalogue too, and none of those send signals.

A random number rather than a counter: a rolled-back transaction (every test) would otherwise hand out
the same counter values again for different data.

``install()`` (re)makes the row and the triggers; it runs after every ``migrate`` (and ``flush``) from
the app's post_migrate handler, because rebuilding a table (SQLite does that for many ALTERs) drops its
triggers. test_search_index checks they are there.
"""

from __future__ import annotations

import secrets

from django.core import checks
from django.db import DatabaseError, connections

TOKEN_TABLE = "kwaliteit_catalogueversion"


def watched_tables() -> list[str]:
    from samen.core.models import Organisation
    from samen.kwaliteit.models import Activity, Location, Occurrence

    return [model._meta.db_table for model in (Activity, Occurrence, Location, Organisation)]


def token(using: str = "default") -> int | None:
    """The current token; None when there is none to trust (no row, or a database without our triggers):
    then nothing may be cached."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {TOKEN_TABLE} WHERE id = 1")  # noqa: S608 -- a constant
        row = cursor.fetchone()
    return row[0] if row else None


def install(using: str = "default") -> None:
    """Make the token row and the triggers, idempotently."""
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if TOKEN_TABLE not in tables:
        return  # migrations not this far yet
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {TOKEN_TABLE} WHERE id = 1")  # noqa: S608
        if cursor.fetchone() is None:
            cursor.execute(f"INSERT INTO {TOKEN_TABLE} (id, token) VALUES (1, %s)",  # noqa: S608
                           [secrets.randbits(62)])
        for statement in _trigger_sql(connection.vendor, [t for t in watched_tables() if t in tables]):
            cursor.execute(statement)


def triggers_present(using: str = "default") -> set[str]:
    """The watched tables that have the change trigger (for the tests and the system check)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT DISTINCT event_object_table FROM information_schema.triggers "
                           "WHERE trigger_name = 'samen_catalogue_changed'")
            return {row[0] for row in cursor.fetchall()}
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' "
                           "AND name LIKE 'samen_catalogue_changed_%'")
            found: dict[str, int] = {}
            for table, _name in cursor.fetchall():
                found[table] = found.get(table, 0) + 1
            return {table for table, n in found.items() if n == 3}  # insert, update and delete
    return set()


def _trigger_sql(vendor: str, tables: list[str]) -> list[str]:
    if vendor == "postgresql":
        out = ["""
            CREATE OR REPLACE FUNCTION samen_catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE kwaliteit_catalogueversion SET token = floor(random() * 4611686018427387903)::bigint
                WHERE id = 1;
                RETURN NULL;
            END $$"""]
        for table in tables:  # once per statement: a bulk write of thousands of rows changes the token once
            out.append(f"DROP TRIGGER IF EXISTS samen_catalogue_changed ON {table}")
            out.append(f"CREATE TRIGGER samen_catalogue_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                       f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION samen_catalogue_changed()")
        return out
    if vendor == "sqlite":  # SQLite has row triggers only
        return [f"CREATE TRIGGER IF NOT EXISTS samen_catalogue_changed_{event.lower()}_{table} AFTER {event} "  # noqa: S608
                f"ON {table} BEGIN UPDATE {TOKEN_TABLE} SET token = random() WHERE id = 1; END"
                for table in tables for event in ("INSERT", "UPDATE", "DELETE")]  # table names from the models
    return []


@checks.register(checks.Tags.database)
def check_triggers(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    """`samen check --database default` (and migrate) warns when a watched table lost its trigger: the search
    would then miss changes made to that table until the server restarts."""
    out = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor not in ("postgresql", "sqlite"):
            continue
        try:
            if TOKEN_TABLE not in connection.introspection.table_names():
                continue  # not migrated this far yet
            missing = sorted(set(watched_tables()) - triggers_present(alias))
        except DatabaseError:
            continue
        if missing:
            out.append(checks.Warning(
                f"The catalogue's change triggers are missing on {', '.join(missing)}.",
                hint="Run `samen migrate` (it makes them again); until then the public search may show "
                     "an old catalogue.", id="kwaliteit.W001"))
    return out
