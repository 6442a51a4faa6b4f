"""Benchmark: the explained matching of one resident against 20,000 activities and 2,000 volunteer roles.

    .venv/bin/python benchmarks/bench_matching.py [--db sqlite,postgres] [--activities 20000] [--volunteering 2000]
        [--runs 300] [--no-append]

Target (issue 12): matching one resident against 20,000 activities and 2,000 volunteers takes <= 20 ms median and
<= 50 ms p95, on SQLite and on PostgreSQL, with the floor (fetching the same candidate rows without ranking)
measured in the same run.

What it does, per database, in a subprocess of its own (a temporary SAMEN_DATA_DIR; for PostgreSQL the database
samen_matching_bench on 127.0.0.1, dropped and made again):

1. `migrate`; one gemeente with 10 wijken (square boundaries) and 60 buurten, 400 places with coordinates, 20,000
   activities and 2,000 volunteer roles (activities with the interest "volunteering"), mixed like the catalogue
   benchmark's (interests, target groups, days and parts of the day, cost, access, capacity, languages), eight
   weekly planned dates each, 40 interventions applied by one activity in twenty, 3,000 earlier referrals to 600
   activities (places taken and six-week answers: the local evidence), and one resident's trajectory with a
   strengths profile (wheelchair and money barriers, Tuesday and Thursday, three interests, wants to volunteer).
2. Measures, back to back, --runs times each (after 5 warm-up calls):
   - **floor**: fetching the same candidate rows without ranking (``matching.candidates.read``: the activities,
     their planned weekdays and interventions, as the cache build reads them);
   - **match**: ``matching.service.matches`` as the page and the API call it, the caches warm: one SELECT (the
     policy check on the trajectory, the profile, the weights, the catalogue's key and the referrals' version),
     the ranking of all 22,000 candidates, the explanation of the top 50, the access-log INSERT; the statements
     of one warm match are counted;
   - **live counts**: counting the live figures again (what a match pays once after a referral changed);
   - **round trip**: one trivial statement (``SELECT 1``), the cost of a round trip on this machine;
   - **rank only**: ``engine.rank`` on the warm columns (no database);
   - **cold**: the cache built again (after a catalogue change), a few times.
3. Prints a Markdown section and writes it into benchmarks/RESULTS.md (replacing an earlier one of the same title
   for the same database) unless --no-append.

Not part of the test suite (pytest only collects test_*.py under src/ and tests/).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
TITLE = "## Ondersteunen: matching one resident against the catalogue"
PG_DB = "samen_matching_bench"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"

INTERESTS = ["eating", "walking", "games", "music", "creative", "sports", "faith", "learning", "digital", "nature",
             "conversation"]
GROUPS = ["youth", "65plus", "75plus", "newcomers", "carers", "lgbti", "parents"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# --- inside Django (a subprocess) -------------------------------------------------------------------------------
def populate(n: int, volunteering: int, seed: int) -> dict:
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from samen.core.models import Buurt, Gemeente, Organisation, Resident, User, Wijk
    from samen.core.roles import Role
    from samen.kwaliteit.models import Activity, Intervention, Location, Occurrence
    from samen.kwaliteit.vocabulary import part_of_day
    from samen.ondersteunen.models import Profile, Referral, Trajectory

    rng = random.Random(seed)  # noqa: S311 -- test data
    t0 = time.perf_counter()
    now, today = timezone.now(), timezone.localdate()
    with transaction.atomic():
        gemeente = Gemeente.objects.create(code="GM0402", name="Hilversum", min_cell_size=10)
        wijken = []
        for i in range(10):
            x, y = 5.10 + (i % 5) * 0.03, 52.20 + (i // 5) * 0.03
            square = {"type": "Polygon", "coordinates": [[[x, y], [x + 0.03, y], [x + 0.03, y + 0.03],
                                                          [x, y + 0.03], [x, y]]]}
            wijken.append(Wijk.objects.create(gemeente=gemeente, code=f"WK0402{i:02d}", official_name=f"Wijk {i}",
                                              boundary=square))
        buurten = [Buurt.objects.create(wijk=wijken[i % 10], code=f"BU0402{i % 10:02d}{i // 10:02d}",
                                        name=f"Buurt {i}") for i in range(60)]
        organisations = [Organisation.objects.create(gemeente=gemeente, name=f"Organisatie {i}") for i in range(60)]
        places = []
        for i in range(400):
            buurt = rng.choice(buurten)
            wijk_index = wijken.index(buurt.wijk)
            x, y = 5.10 + (wijk_index % 5) * 0.03, 52.20 + (wijk_index // 5) * 0.03
            places.append(Location(gemeente=gemeente, name=f"Plek {i}", street="Straat", house_number=i + 1,
                                   postcode="1211AA", city="Hilversum", buurt=buurt,
                                   latitude=round(y + rng.random() * 0.03, 6),
                                   longitude=round(x + rng.random() * 0.03, 6)))
        Location.objects.bulk_create(places)
        activities = []
        for i in range(n + volunteering):
            place = rng.choice(places) if rng.random() < 0.93 else None
            days = sorted(rng.sample(range(7), rng.choice([1, 1, 1, 2])))
            start = dt.time(rng.randint(9, 20), rng.choice([0, 30]))
            cost = rng.choices(["free", "donation", "amount"], [55, 20, 25])[0]
            interests = rng.sample(INTERESTS, rng.choice([1, 1, 2, 3]))
            if i >= n:
                interests = ["volunteering", *interests[:1]]
            activities.append(Activity(
                gemeente=gemeente, organisation=rng.choice(organisations), status=Activity.Status.PUBLISHED,
                title=f"{'Vrijwilliger bij' if i >= n else 'Activiteit'} {i}", description="Samen iets doen.",
                location=place, online=place is None, buurt=place.buurt if place else None,
                wijk=place.buurt.wijk if place else None, start_date=today - dt.timedelta(days=rng.randint(0, 365)),
                start_time=start, end_time=None, rrule="FREQ=WEEKLY;BYDAY=" + ",".join(DAYS[d] for d in days),
                part_of_day=part_of_day(start), cost_type=cost,
                cost_amount=round(rng.uniform(1.5, 15), 2) if cost == "amount" else None,
                capacity=rng.choice([None, None, 12, 20, 40]), wheelchair_accessible=rng.random() < 0.6,
                hearing_loop=rng.random() < 0.2, near_public_transport=rng.random() < 0.5,
                target_groups=["everyone"] if rng.random() < 0.55 else rng.sample(GROUPS, rng.choice([1, 2])),
                loneliness_kinds=rng.sample(["social", "emotional", "existential"], rng.choice([1, 2])),
                interests=interests, languages=["nl"] if rng.random() < 0.9 else ["ar"], published_at=now,
                confirmed_at=now - dt.timedelta(days=rng.randint(0, 240))))
        Activity.objects.bulk_create(activities, batch_size=2000)
        rows = []
        for activity in activities:
            weekdays = [DAYS.index(code) for code in activity.rrule.split("=")[-1].split(",")]
            for week in range(8):
                for weekday in weekdays:
                    day = today + dt.timedelta(days=(weekday - today.weekday()) % 7 + 7 * week)
                    rows.append(Occurrence(activity=activity, date=day, weekday=weekday,
                                           start_time=activity.start_time))
        Occurrence.objects.bulk_create(rows, batch_size=5000)
        interventions = [Intervention.objects.create(gemeente=gemeente, name=f"Methode {i}",
                                                     recognition=rng.choice(["none", "described", "founded", "first",
                                                                             "good", "strong"]))
                         for i in range(40)]
        through = Activity.interventions.through
        through.objects.bulk_create([through(activity_id=a.pk, intervention_id=rng.choice(interventions).pk)
                                     for a in activities if rng.random() < 0.05], batch_size=5000)
        worker = User.objects.create(username="sociaalwerker", gemeente=gemeente, role=Role.SOCIAAL_WERKER)
        worker.wijken.set(wijken)
        residents = Resident.objects.bulk_create([Resident(gemeente=gemeente, buurt=rng.choice(buurten),
                                                           birth_year=rng.randint(1930, 2000)) for _ in range(1001)])
        trajectories = Trajectory.objects.bulk_create([
            Trajectory(gemeente=gemeente, resident=r, worker=worker, wijk=r.buurt.wijk, first_contact_due=today)
            for r in residents])
        referred = rng.sample(activities, min(600, len(activities)))
        referrals = []
        for _ in range(3000):
            activity = rng.choice(referred)
            went = rng.random() < 0.7
            referrals.append(Referral(
                gemeente=gemeente, trajectory=rng.choice(trajectories[1:]), kind="activity", activity=activity,
                organisation_id=activity.organisation_id,
                status=rng.choice(["bevestigd", "eerste_keer", "blijft_komen", "gestopt", "afgewezen"]),
                first_visit_on=today - dt.timedelta(days=60) if went else None,
                still_going_6w=(rng.random() < 0.65) if went else None))
        Referral.objects.bulk_create(referrals, batch_size=2000)
        Profile.objects.create(trajectory=trajectories[0], interests=["conversation", "walking", "music"],
                               availability=["1:morning", "1:afternoon", "3:morning"],
                               barriers=["wheelchair", "money"], wants_to_volunteer=True,
                               loneliness_kinds=["social"], languages=["nl"])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {"activities": n, "volunteering": volunteering, "occurrences": len(rows), "referrals": len(referrals),
            "seconds": round(time.perf_counter() - t0, 1)}


def measure(runs: int) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from samen.core.models import Gemeente, User
    from samen.ondersteunen.matching import candidates, engine, service
    from samen.ondersteunen.models import Trajectory

    gemeente = Gemeente.objects.get(code="GM0402")
    user = User.objects.get(username="sociaalwerker")
    trajectory = Trajectory.objects.select_related("resident__buurt", "gemeente").get(profile__isnull=False)
    today = timezone.localdate()

    def timed(fn, n):
        for _ in range(5):
            fn()
        out = []
        for _ in range(n):
            t = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t) * 1000)
        return out

    from django.test.utils import CaptureQueriesContext

    floor = timed(lambda: candidates.read(gemeente, today), max(20, runs // 5))
    result = service.matches(user, trajectory)
    match = timed(lambda: service.matches(user, trajectory), runs)
    with CaptureQueriesContext(connection) as queries:
        service.matches(user, trajectory)
    statements = [q["sql"].split()[0] for q in queries.captured_queries]

    def trivial():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    round_trip = timed(trivial, runs)
    catalogue = candidates.catalogue(gemeente)
    need = service.need_for(trajectory, catalogue)
    live = candidates.live_counts(gemeente)
    rank = timed(lambda: engine.rank(catalogue.columns, need, live=live, min_cell=10), runs)
    live_q = timed(lambda: candidates.live_counts(gemeente), runs)

    def cold():
        candidates.forget()
        candidates.catalogue(gemeente)

    cold_ms = timed(cold, 5)

    def stats(values):
        return {"median": round(statistics.median(values), 2), "p95": round(_pct(values, 0.95), 2),
                "max": round(max(values), 2), "n": len(values)}

    return {"vendor": connection.vendor, "version": (f"{connection.pg_version // 10000}.{connection.pg_version % 100}"
                                                 if connection.vendor == "postgresql"
                                                 else __import__("sqlite3").sqlite_version),
            "candidates": catalogue.columns.size, "suggested": result.total, "excluded": result.excluded,
            "floor": stats(floor), "match": stats(match), "rank": stats(rank), "live": stats(live_q),
            "cold": stats(cold_ms), "round_trip": stats(round_trip), "statements": statements,
            "top": [s.sentence for s in result.suggestions[:2]]}


# --- the driver ---------------------------------------------------------------------------------------------------
def run(vendor: str, a) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix="bench-matching-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(SAMEN_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="samen.conf.settings",
               DJANGO_ALLOW_ASYNC_UNSAFE="true", PYTHONPATH=str(ROOT / "src"))
    if vendor == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}"')
            conn.execute(f'CREATE DATABASE "{PG_DB}"')
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
    samen = str(Path(sys.executable).with_name("samen"))
    try:
        subprocess.run([samen, "migrate", "-v0"], env=env, check=True, timeout=900)  # noqa: S603 -- our own CLI
        me = [sys.executable, __file__]
        populate_cmd = [*me, "--populate", str(a.activities), str(a.volunteering)]
        made = json.loads(subprocess.run(populate_cmd, env=env, check=True, timeout=1800,  # noqa: S603 -- this script
                                         stdout=subprocess.PIPE, text=True).stdout)
        got = json.loads(subprocess.run([*me, "--measure", str(a.runs)], env=env, check=True,  # noqa: S603
                                        timeout=1800, stdout=subprocess.PIPE, text=True).stdout)
        return {**got, "made": made}
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        if vendor == "postgres":
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}"')


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()
    return (f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, load average "
            f"{load[0]:.1f} / {load[1]:.1f} (1 / 5 min) at the start")


def markdown(results: list[dict], a) -> str:
    lines = [TITLE, "",
             f"`benchmarks/bench_matching.py --activities {a.activities} --volunteering {a.volunteering} "
             f"--runs {a.runs}`, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {machine()} (a machine shared "
             "with other engineers' work).", "",
             "| database | candidates | floor: read the rows (median / p95) | **match** (median / p95) | "
             "statements per warm match | rank only | live counts counted again | one round trip (`SELECT 1`) | "
             "cold: cache built again (median) | floor / match (median) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        f, m, k, q, c, t = r["floor"], r["match"], r["rank"], r["live"], r["cold"], r["round_trip"]
        lines.append(
            f"| {r['vendor']} {r['version']} | {r['candidates']:,} ({r['made']['occurrences']:,} dates, "
            f"{r['made']['referrals']:,} referrals) | {f['median']} / {f['p95']} ms | **{m['median']} / {m['p95']} ms**"
            f" | {len(r['statements'])} ({', '.join(r['statements'])}) | {k['median']} / {k['p95']} ms | "
            f"{q['median']} / {q['p95']} ms | {t['median']} / {t['p95']} ms | {c['median']} ms | "
            f"{f['median'] / m['median']:.0f} (the match is {f['median'] / m['median']:.0f}× faster) |")
    lines += ["", "| target | result |", "| --- | --- |"]
    for r in results:
        m = r["match"]
        ok = m["median"] <= 20 and m["p95"] <= 50
        lines.append(f"| {r['vendor']}: median ≤ 20 ms, p95 ≤ 50 ms | {'met' if ok else 'NOT met'}: "
                     f"{m['median']} / {m['p95']} ms (floor {r['floor']['median']} ms) |")
    lines += ["", "The floor is what reading the same candidate rows costs (activities with place, organiser, planned "
              "weekdays and interventions, as values, no model instances); every match would cost at least that "
              "without the per-process cache. With the caches (the candidates valid for the catalogue token, core's"
              " cache version `matching.catalogue`, the interventions' last change and the day; the live counts for"
              " the referrals' version `matching.referrals`, which triggers on the referral table change) a warm "
              "match is one SELECT (policy check, profile, weights and all versions at once) and the access-log "
              "INSERT (in BEGIN/COMMIT: accesslog.record's bulk_create); the ranking is a few numpy operations "
              "over all candidates and the explanation of the 50 shown. After a catalogue change the first match "
              "in each process pays the cold build; after a referral change it pays the live counts once.", "",
              f"Top suggestion in the run: \"{results[0]['top'][0] if results and results[0]['top'] else ''}\"", ""]
    return "\n".join(lines) + "\n"


def write_section(text: str):
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    start = current.find(TITLE)
    if start < 0:
        RESULTS.write_text(current.rstrip("\n") + "\n\n" + text, encoding="utf-8")
        return
    end = current.find("\n## ", start + len(TITLE))
    rest = current[end + 1:] if end >= 0 else ""
    RESULTS.write_text(current[:start] + text + ("\n" + rest if rest else ""), encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--activities", type=int, default=20000)
    parser.add_argument("--volunteering", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--no-append", action="store_true")
    parser.add_argument("--populate", nargs=2, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    a = parser.parse_args(argv)
    if a.populate:
        print(json.dumps(populate(a.populate[0], a.populate[1], a.seed)))
        return 0
    if a.measure:
        print(json.dumps(measure(a.measure)))
        return 0
    results = []
    for vendor in a.db.split(","):
        t = time.perf_counter()
        results.append(run(vendor.strip(), a))
        print(f"{vendor}: done in {time.perf_counter() - t:.0f} s: {json.dumps(results[-1])}", file=sys.stderr)
    text = markdown(results, a)
    print(text)
    if not a.no_append:
        write_section(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
