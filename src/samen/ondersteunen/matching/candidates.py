"""Reading the candidates of the matching, and keeping them per catalogue version.

The candidates are the municipality's running activities (``kwaliteit.services.catalogue.running_activities``:
approved, not withdrawn, not over), with their planned weekdays, place, organiser and interventions. They
change a few times a day and are read for every match, so each server process keeps them as numpy
columns (``engine.Columns``), valid for one catalogue token (``kwaliteit.changes``: database triggers change
it on every write to activities, planned dates, places and organisations) plus core's cache version
``matching.catalogue`` (``catalogue_changed()``, for writes the triggers do not see), the last change of the
gemeente's interventions (their recognition), the number and highest id of the activity-intervention links (the
triggers watch neither table) and one day. The
freshness limit (hidden when not confirmed for the gemeente's months) moves with the
clock and is applied per match, the same definition as ``public_activities``.

What changes with every referral (places taken, the local evidence) is kept apart, per version of the
referrals (``matching.live``).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from django.db import connection, models
from django.db.models import Max, OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from samen.core import cacheversion
from samen.core.models import Gemeente, Wijk
from samen.kwaliteit import changes, geometry
from samen.kwaliteit.models import Activity, Intervention, Occurrence
from samen.kwaliteit.services.catalogue import hidden_before, running_activities
from samen.ondersteunen.matching import engine, live

CACHE_NAME = "matching.catalogue"
TAKEN = live.TAKEN

FIELDS = ("pk", "title", "organisation_id", "organisation__name", "wijk_id", "buurt_id", "buurt__name",
          "location__name", "location__latitude", "location__longitude", "online", "start_date", "rrule",
          "part_of_day", "cost_type", "cost_amount", "wheelchair_accessible", "hearing_loop",
          "near_public_transport", "target_groups", "loneliness_kinds", "interests", "languages", "capacity",
          "confirmed_at")


@dataclass(frozen=True, eq=False)
class Catalogue:
    gemeente_id: int
    key: tuple
    columns: engine.Columns
    centres: dict[int, tuple[float, float]]  # wijk id -> (lon, lat) of its boundary's centroid
    wijken: dict[int, str]


def read(gemeente: Gemeente, today: dt.date) -> list[engine.Candidate]:
    """The candidate rows, straight from the database (also the benchmark's floor)."""
    activities = running_activities(gemeente, today)
    rows = list(activities.values_list(*FIELDS))
    slots: dict[int, set[tuple[int, str]]] = {}
    parts = {row[0]: row[13] for row in rows}
    for activity_id, weekday in (Occurrence.objects.filter(activity__in=activities, date__gte=today)
                                 .values_list("activity_id", "weekday").distinct()):
        slots.setdefault(activity_id, set()).add((weekday, parts.get(activity_id) or "morning"))
    through = Activity.interventions.through
    refs: dict[int, list[engine.InterventionRef]] = {}
    for activity_id, pk, name, recognition in (
            through.objects.filter(activity__in=activities)
            .values_list("activity_id", "intervention_id", "intervention__name", "intervention__recognition")
            .order_by("intervention_id")):
        refs.setdefault(activity_id, []).append(engine.InterventionRef(pk, name, recognition))
    wijken = dict(_wijk_names(gemeente).items())
    out = []
    for (pk, title, org_id, org_name, wijk_id, buurt_id, buurt_name, place, lat, lon, online, start, rrule,
         part, cost_type, amount, wheelchair, loop, transport, groups, kinds, interests, languages, capacity,
         confirmed) in rows:
        when = slots.get(pk)
        if when is None and not rrule and part:  # a one-off without planned dates: its own day
            when = {(start.weekday(), part)}
        out.append(engine.Candidate(
            id=pk, title=title, organisation_id=org_id, organisation=org_name or "", wijk_id=wijk_id,
            wijk=wijken.get(wijk_id, ""), buurt_id=buurt_id, buurt=buurt_name or "", place=place or "",
            lat=float(lat) if lat is not None else None, lon=float(lon) if lon is not None else None,
            online=online, slots=frozenset(when or ()), cost_type=cost_type, cost_amount=amount,
            wheelchair=wheelchair, hearing_loop=loop, near_transport=transport,
            target_groups=frozenset(groups or ()), loneliness_kinds=frozenset(kinds or ()),
            interests=frozenset(interests or ()), languages=frozenset(languages or ()), capacity=capacity,
            interventions=tuple(refs.get(pk, ())), confirmed=confirmed.timestamp() if confirmed else float("-inf")))
    return out


def _wijk_names(gemeente) -> dict[int, str]:
    return {w.pk: w.display_name for w in Wijk.objects.filter(gemeente=gemeente).only(
        "pk", "official_name", "policy_name")}


def _centres(gemeente) -> dict[int, tuple[float, float]]:
    out = {}
    for pk, boundary in Wijk.objects.filter(gemeente=gemeente).values_list("pk", "boundary"):
        point = geometry.centroid(boundary)
        if point is not None:
            out[pk] = point
    return out


_catalogues: dict[int, Catalogue] = {}
_lock = threading.Lock()


KEY_FIELDS = ("m_catalogue_token", "m_catalogue_version", "m_interventions_changed", "m_links_count", "m_links_last")


def key_annotations(gemeente_ref: str) -> dict:
    """The parts of the cache key as annotations of a query whose ``gemeente_ref`` is the gemeente id, so a
    match reads them in its one combined query (``service``): the catalogue token (``kwaliteit.changes``),
    core's cache version ``matching.catalogue``, the last change of the gemeente's interventions and the number
    and the highest id of the activity-intervention links (the catalogue's triggers do not watch that table: a
    link added raises the highest id, one removed lowers the number)."""
    from samen.core.models import CacheVersion

    links = Activity.interventions.through._meta.db_table
    return {
        "m_catalogue_token": RawSQL(f"SELECT token FROM {changes.TOKEN_TABLE} WHERE id = 1", (),  # noqa: S611,S608
                                    output_field=models.BigIntegerField()),
        "m_catalogue_version": Subquery(CacheVersion.objects.filter(name=CACHE_NAME).values("token")[:1]),
        "m_interventions_changed": Subquery(
            Intervention.objects.filter(gemeente_id=OuterRef(gemeente_ref)).order_by().values("gemeente_id")
            .annotate(last=Max("updated_at")).values("last")[:1]),
        "m_links_count": RawSQL(f"SELECT COUNT(*) FROM {links}", (), output_field=models.BigIntegerField()),  # noqa: S608,S611
        "m_links_last": RawSQL(f"SELECT MAX(id) FROM {links}", (), output_field=models.BigIntegerField()),  # noqa: S608,S611
    }


def key_from(token, version, changed, links_count, links_last, today: dt.date) -> tuple | None:
    """What the cached candidates are valid for: the catalogue token (None: nothing may be cached), core's
    cache version of the matching, the day, the last change of the gemeente's interventions (their
    recognition) and the activity-intervention links (the catalogue's triggers watch neither table)."""
    if token is None or connection.vendor not in ("postgresql", "sqlite"):
        return None
    if version is None:  # made on first use
        version = cacheversion.token(CACHE_NAME)
    return (token, version, today, changed, links_count, links_last)


def _key(gemeente, today) -> tuple | None:
    """The key read on its own (one query), for callers outside a match."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return None
    row = Gemeente.objects.filter(pk=gemeente.pk).annotate(**key_annotations("pk")).values_list(*KEY_FIELDS).first()
    return key_from(*row, today) if row else None


_READ = object()


def catalogue(gemeente: Gemeente, today: dt.date | None = None, key=_READ) -> Catalogue:
    """The gemeente's candidates as columns, built again when the catalogue changed (or the day did).
    ``key``: from ``key_from`` when the caller read it already (else it is read here)."""
    today = today or timezone.localdate()
    if key is _READ:
        key = _key(gemeente, today)
    current = _catalogues.get(gemeente.pk)
    if key is not None and current is not None and current.key == key:
        return current
    with _lock:
        current = _catalogues.get(gemeente.pk)
        if key is not None and current is not None and current.key == key:
            return current
        built = Catalogue(gemeente.pk, key, engine.build(read(gemeente, today)), _centres(gemeente),
                          _wijk_names(gemeente))
        if key is not None:
            _catalogues[gemeente.pk] = built
        return built


def forget() -> None:
    """Drop this process's cached candidates and live counts (tests; the next match reads them again)."""
    _catalogues.clear()
    live.forget()


def catalogue_changed() -> None:
    """Tell every process the candidates changed in a way the catalogue triggers do not see (interventions)."""
    cacheversion.bump(CACHE_NAME)


def live_counts(gemeente: Gemeente) -> engine.Live:
    """The live figures counted now (``live.count``; a match uses ``live.counts``, kept per referral version)."""
    return live.count(gemeente)


def fresh_since(gemeente: Gemeente, now: dt.datetime | None = None) -> float:
    return hidden_before(gemeente, now or timezone.now()).timestamp()
