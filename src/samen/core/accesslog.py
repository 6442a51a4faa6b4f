"""Writing the AVG access log: who did what with which resident record, when, and why.

Only identifiers go in: the record's type and id, the actor, the action, the purpose and the route
name. Never a name, address or any other content of the record.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time

from django.apps import apps
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from samen.core import registry
from samen.core.models import AccessAction, AccessLogEntry, Purpose


def _actor_fields(actor, channel: str | None):
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor, actor.get_username()
    return None, channel or "anoniem"


_COLUMNS = ("gemeente", "at", "actor", "actor_label", "action", "record_type", "record_id", "purpose", "route")
_BATCH = 500  # rows per INSERT (9 parameters each: inside SQLite's and PostgreSQL's limits)


def record(*, actor, action: AccessAction, records: Iterable[models.Model], purpose: Purpose,
           route: str = "", channel: str | None = None) -> int:
    """Append one entry per record. Returns the number of entries written.

    Written as plain multi-row INSERTs, not through ``bulk_create``: a list page logs every resident it
    shows (a caseload some eighty entries), and building that many model instances and compiling their
    insert cost more than the page's own queries. The values go through each field's own conversion for
    the database, so the rows are what ``bulk_create`` would write (a test compares them)."""
    user, label = _actor_fields(actor, channel)
    fields = [AccessLogEntry._meta.get_field(name) for name in _COLUMNS]
    at, actor_id = fields[1].get_db_prep_save(timezone.now(), connection), user.pk if user is not None else None
    fixed = (label, str(action), str(purpose), route[:100])  # str(): the choice's value, not an enum member
    rows = [(obj.gemeente_id, at, actor_id, fixed[0], fixed[1], obj._meta.label_lower, str(obj.pk), *fixed[2:])
            for obj in records]
    if not rows:
        return 0
    quote = connection.ops.quote_name
    head = (f"INSERT INTO {quote(AccessLogEntry._meta.db_table)} "  # noqa: S608 - names from the model, values bound
            f"({', '.join(quote(f.column) for f in fields)}) VALUES ")
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _BATCH):
            chunk = rows[start:start + _BATCH]
            cursor.execute(head + ", ".join([one] * len(chunk)), [value for row in chunk for value in row])
    return len(rows)


def filter_access_log(entries, filters: dict):
    """The entries that match a filter form (actor, record, action, dates): for the screen and the API."""
    if filters.get("actor"):
        # by user name (as stored), or by a person's first or last name as the screen shows them
        who = filters["actor"].strip()
        by_name = Q()
        for word in who.replace(".", " ").split():
            by_name &= Q(actor__first_name__istartswith=word) | Q(actor__last_name__icontains=word)
        entries = entries.filter(Q(actor_label__iexact=who) | by_name)
    if filters.get("record_id"):
        entries = entries.filter(record_id=filters["record_id"].strip())
    if filters.get("action"):
        entries = entries.filter(action=filters["action"])
    if filters.get("purpose"):
        entries = entries.filter(purpose=filters["purpose"])
    tz = timezone.get_current_timezone()
    if filters.get("date_from"):
        entries = entries.filter(at__gte=datetime.combine(filters["date_from"], time.min, tz))
    if filters.get("date_to"):
        entries = entries.filter(at__lte=datetime.combine(filters["date_to"], time.max, tz))
    return entries


# --- Reading the log as sentences --------------------------------------------------------------------
# "Sociaal werker J. Jansen bekeek inwoner #28, voor: triage in het zorgnetwerk": people by their name and
# role (not their user name), records by their kind (not "core.resident"), screens by their menu label
# (not a route name). Only what the entry itself holds, and the actor's account, is used.

_VERBS = {
    AccessAction.VIEW: gettext_lazy("bekeek"),
    AccessAction.CREATE: gettext_lazy("legde vast:"),
    AccessAction.CHANGE: gettext_lazy("wijzigde"),
    AccessAction.EXPORT: gettext_lazy("exporteerde"),
    AccessAction.DELETE: gettext_lazy("verwijderde"),
}


def person_name(user) -> str:
    """'J. Jansen': the initial of the first name and the last name; the user name only if neither is known."""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if first and last:
        return f"{first[0]}. {last}"
    return first or last or user.get_username()


def actor_description(entry: AccessLogEntry) -> str:
    if entry.actor is not None:
        role = entry.actor.get_role_display() if getattr(entry.actor, "role", "") else ""
        return f"{role} {person_name(entry.actor)}".strip()
    label = entry.actor_label or ""
    if label in ("", "anoniem", gettext("anoniem")):
        return gettext("Een inwoner (zonder inloggen)")
    if " " not in label and ("_" in label or ":" in label):  # a job or command, not a name
        return gettext("Een taak van Samen")
    return label  # an organisation's name (a signal through its API key)


def record_description(entry: AccessLogEntry) -> str:
    try:
        kind = apps.get_model(entry.record_type)._meta.verbose_name
    except (LookupError, ValueError):
        kind = gettext("gegeven")
    return f"{kind} #{entry.record_id}"


def screen_label(route: str) -> str:
    """The menu label of the screen a route name belongs to ('core:resident_detail' -> 'Inwoners'), found
    among the registered menu entries of the same namespace and subject; '' when there is none."""
    if not route or ":" not in route:
        return ""
    namespace, name = route.split(":", 1)
    if namespace == "api":
        return gettext("de API")
    if namespace == "command":
        return gettext("een beheeropdracht")
    entries = list(registry.menu)
    exact = next((e for e in entries if e.url_name == route), None)
    if exact is not None:
        return str(exact.label)
    subject = name.split("_")[0]
    same = next((e for e in entries if e.url_name.startswith(f"{namespace}:{subject}")), None)
    return str(same.label) if same is not None else ""


def sentence(entry: AccessLogEntry) -> str:
    text = gettext("%(who)s %(verb)s %(record)s, voor: %(purpose)s") % {
        "who": actor_description(entry), "verb": _VERBS.get(entry.action, entry.action),
        "record": record_description(entry), "purpose": entry.get_purpose_display()}
    return text[:1].upper() + text[1:]
