"""Benchmark: the public catalogue search with 20,000 activities on PostgreSQL, 50 concurrent users.

    .venv/bin/python benchmarks/kwaliteit_search_load.py [--activities 20000] [--users 50] [--seconds 30]
        [--rounds 3] [--think 1,5] [--workers 4] [--reuse-db] [--keep-db] [--no-append]

Target (product issue): with 20,000 activities on PostgreSQL, 50 concurrent users searching with mixed filters:
p95 <= 50 ms for the API search (GET /api/v1/activities/) and <= 150 ms for the finder page (GET /activiteiten/),
for a bounded run of a few minutes; recorded with the ratio against a minimal Django view that returns the same
number of rows (the framework's floor), measured in the same run.

What it does, all on 127.0.0.1 and bounded (timeouts on every request, phase and subprocess):

1. PostgreSQL database samen_bench_search (dropped and made again unless --reuse-db), a temporary SAMEN_DATA_DIR,
   `samen migrate`, `samen demo` (Hilversum with its demo catalogue), then --activities generated activities
   written with bulk_create (places at the demo postcodes, so spread over the wijken as the postcode table is;
   interests, target groups, times of day, cost and access mixed; weekly, fortnightly, monthly, daily and one-off
   schedules) and their planned dates (Occurrence rows, from kwaliteit.schedule, written with COPY); ANALYZE.
2. `samen serve --workers N` (gunicorn gthread, 4 threads a worker, as shipped) with a settings module of this
   benchmark's own (written to the temporary directory, never in the product): the product's settings and URLs
   plus one extra URL, /bench/floor/?n=N, a minimal Django view that returns N rows of the activity table as JSON
   through the same middleware. Before that, in a subprocess: how long one process takes to build the search index
   (kwaliteit.services.search_index, built again after every change to the catalogue) and how much memory it holds.
3. Phases, driven by one asyncio loop with the signals benchmark's minimal HTTP/1.1 client (vinden_signals_load):
   - users: --users virtual users; each sends a search, waits for the answer, thinks (exponential, mean --think
     seconds; each think time in turn: 1 s is a resident clicking through quickly, 5 s one who reads the list)
     and searches again. The API search, the finder page and the floor (20 rows: a page of either) take turns,
     --rounds rounds of --seconds / --rounds each, so that other load on the shared machine falls on all of them
     alike; percentiles over all rounds.
   - capacity: the same users without thinking (closed loop, back to back) for --closed-seconds each: the most
     this machine serves; with 50 clients back to back the latency is set by throughput (Little's law).
   Filters are mixed like residents would: near a postcode (30%) or in a wijk, a weekday or date, a part of the
   day, one or two interests, an age group, free only, accessible only, a word, sometimes the second page.
   Each client address sends at most 100 requests (the API's anonymous rate limit is 120 a minute per address).
4. Prints a Markdown section and writes it into benchmarks/RESULTS.md (replacing an earlier one of the same
   title) unless --no-append; drops the database unless --keep-db.

Not part of the test suite (pytest only collects test_*.py under src/ and tests/).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vinden_signals_load as load  # noqa: E402 -- the signals benchmark's client, server and machine helpers

REPO = load.REPO
SAMEN = load.SAMEN
RESULTS = load.RESULTS
HOST = load.HOST
DB_NAME = "samen_bench_search"
TITLE = "## Kwaliteit: searching 20,000 activities with 50 users (PostgreSQL)"
WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
INTERESTS = ["eating", "walking", "games", "music", "creative", "sports", "faith", "learning", "digital",
             "volunteering", "nature", "conversation"]
GROUPS = ["youth", "65plus", "75plus", "newcomers", "carers", "lgbti", "parents"]
WORDS = ["koffie", "wandel", "eten", "koor", "taal", "digi", "bridge", "buurt", "samen", "yoga"]
TITLES = ["Koffieochtend", "Wandelgroep", "Samen eten", "Buurtkoor", "Taalcafé", "Digicafé", "Bridgeclub",
          "Spelletjesmiddag", "Schilderclub", "Stoelyoga", "Moestuin", "Buurtborrel", "Mantelzorgcafé",
          "Jongerenavond", "Gespreksgroep", "Fietsmaatjes", "Breicafé", "Filmmiddag", "Repaircafé", "Voorleesuur"]


# --------------------------------------------------------------------------------------------------------------
# Data: runs inside Django (`python benchmarks/kwaliteit_search_load.py --populate N`, in a subprocess)
# --------------------------------------------------------------------------------------------------------------

def populate(n: int, seed: int) -> dict:
    """Write n activities and their planned dates for the demo gemeente; returns counts."""
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from samen.core.models import Gemeente, Organisation, PostcodeRange
    from samen.kwaliteit import schedule
    from samen.kwaliteit.models import Activity, Location
    from samen.kwaliteit.vocabulary import part_of_day

    rng = random.Random(seed)  # noqa: S311 -- test data
    gemeente = Gemeente.objects.get(code="GM0402")
    organisations = list(Organisation.objects.filter(gemeente=gemeente))
    ranges = list(PostcodeRange.objects.filter(buurt__wijk__gemeente=gemeente).select_related("buurt"))
    now, today = timezone.now(), timezone.localdate()
    t0 = time.perf_counter()
    with transaction.atomic():
        places = [Location(gemeente=gemeente, name=f"Plek {i} {r.buurt.name}"[:150], street=r.street or "Straat",
                           house_number=r.number_from, postcode=r.postcode, city="Hilversum", buurt=r.buurt)
                  for i, r in enumerate(rng.choice(ranges) for _ in range(max(50, n // 12)))]
        Location.objects.bulk_create(places, batch_size=2000)
        activities = []
        for _ in range(n):
            place = rng.choice(places) if rng.random() < 0.95 else None
            kind = rng.choices(["weekly", "fortnightly", "monthly", "daily", "once"], [55, 15, 15, 2, 13])[0]
            days = ",".join(sorted(rng.sample(["MO", "TU", "WE", "TH", "FR", "SA", "SU"], rng.choice([1, 1, 1, 2])),
                                   key=["MO", "TU", "WE", "TH", "FR", "SA", "SU"].index))
            rrule = {"weekly": f"FREQ=WEEKLY;BYDAY={days}", "fortnightly": f"FREQ=WEEKLY;INTERVAL=2;BYDAY={days[:2]}",
                     "monthly": f"FREQ=MONTHLY;BYDAY={rng.choice([1, 2, 3, -1])}{days[:2]}", "daily": "FREQ=DAILY",
                     "once": ""}[kind]
            start_date = today + dt.timedelta(days=rng.randint(0, 180)) if kind == "once" else \
                today - dt.timedelta(days=rng.randint(0, 365))
            start = dt.time(rng.randint(9, 20), rng.choice([0, 30]))
            end = dt.time(min(23, start.hour + rng.randint(1, 3)), start.minute)
            cost = rng.choices(["free", "donation", "amount"], [55, 20, 25])[0]
            stale = rng.random()
            status = Activity.Status.PUBLISHED if rng.random() < 0.97 else Activity.Status.WITHDRAWN
            title = f"{rng.choice(TITLES)} {place.buurt.name if place else 'online'}"
            activities.append(Activity(
                gemeente=gemeente, organisation=rng.choice(organisations), status=status, title=title,
                description=f"{title}: elkaar ontmoeten, samen iets doen. Iedereen is welkom, ook als u nieuw bent.",
                location=place, online=place is None, online_url="" if place else "https://example.org/samen",
                buurt=place.buurt if place else None, wijk=place.buurt.wijk if place else None,
                start_date=start_date, start_time=start, end_time=end, rrule=rrule,
                valid_until=today + dt.timedelta(days=rng.randint(30, 365)) if rrule and rng.random() < 0.2 else None,
                part_of_day=part_of_day(start), cost_type=cost,
                cost_amount=round(rng.uniform(1.5, 15), 2) if cost == "amount" else None,
                registration_required=rng.random() < 0.3, capacity=rng.choice([None, None, 12, 20, 40]),
                wheelchair_accessible=rng.random() < 0.6, hearing_loop=rng.random() < 0.2,
                near_public_transport=rng.random() < 0.5,
                target_groups=["everyone"] if rng.random() < 0.55 else rng.sample(GROUPS, rng.choice([1, 2])),
                loneliness_kinds=rng.sample(["social", "emotional", "existential"], rng.choice([1, 2])),
                interests=rng.sample(INTERESTS, rng.choice([1, 1, 2, 3])), languages=["nl"],
                theme_week=rng.random() < 0.03, published_at=now,
                confirmed_at=now - dt.timedelta(days=rng.randint(0, 240) if stale < 0.95 else rng.randint(280, 400))))
        Activity.objects.bulk_create(activities, batch_size=2000)
        occurrences = 0
        with connection.cursor() as cursor, cursor.cursor.copy(
                "COPY kwaliteit_occurrence (activity_id, date, weekday, start_time, end_time) FROM STDIN") as copy:
            for activity in activities:
                if activity.status != Activity.Status.PUBLISHED:
                    continue
                for day in schedule.occurrences(activity, today):
                    copy.write_row((activity.pk, day, day.weekday(), activity.start_time, activity.end_time))
                    occurrences += 1
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would: index-only scans need the visibility map
    return {"activities": n, "places": len(places), "occurrences": occurrences,
            "seconds": time.perf_counter() - t0}


def index_build() -> dict:
    """Build the demo gemeente's search index three times (as a worker does after a change); the best time."""
    import django

    django.setup()
    from django.utils import timezone

    from samen.core.models import Gemeente
    from samen.kwaliteit.services import search_index

    gemeente = Gemeente.objects.get(code="GM0402")
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        index = search_index.build(gemeente, timezone.localdate())
        times.append(time.perf_counter() - t0)
    arrays = sum(v.nbytes for v in vars(index).values() if hasattr(v, "nbytes"))
    text = sum(sys.getsizeof(t) for t in index.text)
    return {"seconds": min(times), "activities": index.size, "horizon_days": len(index.days),
            "mib": (arrays + text) / 2**20}


# --------------------------------------------------------------------------------------------------------------
# The benchmark's own settings and URLs (the floor view), written to the temporary directory
# --------------------------------------------------------------------------------------------------------------

SETTINGS_MODULE = """\
from samen.conf.settings import *  # noqa: F403 -- the product's settings, one URLconf added
ROOT_URLCONF = "bench_search_urls"
"""
URLS_MODULE = '''\
"""The product's URLs plus the floor: a minimal view returning n rows of the activity table."""
from django.http import JsonResponse
from django.urls import path

from samen.kwaliteit.models import Activity
from samen.urls import urlpatterns as product


def floor(request):
    n = max(1, min(200, int(request.GET.get("n", "20"))))
    rows = Activity.objects.order_by("pk").values_list("pk", "title")[:n]
    return JsonResponse({"results": [{"id": pk, "title": title} for pk, title in rows]})


urlpatterns = [path("bench/floor/", floor), *product]
'''


# --------------------------------------------------------------------------------------------------------------
# Queries residents would send
# --------------------------------------------------------------------------------------------------------------

class Queries:
    def __init__(self, seed: int, postcodes: list[str], wijken: list[str]):
        self.rng = random.Random(seed)  # noqa: S311 -- test data
        self.postcodes, self.wijken = postcodes, wijken
        self.today = dt.date.today()

    def params(self, finder: bool) -> list[tuple[str, str]]:
        rng, out = self.rng, []
        if rng.random() < 0.3:
            postcode = rng.choice(self.postcodes)
            out.append(("postcode", postcode if rng.random() < 0.6 else f"{postcode[:4]} {postcode[4:]}"))
        elif rng.random() < 0.35:
            out.append(("wijk", rng.choice(self.wijken)))
        if rng.random() < 0.25:
            if rng.random() < 0.6:
                weekday = rng.randrange(7)
                out.append(("day", str(weekday) if finder else WEEKDAYS[weekday]))
            else:
                day = (self.today + dt.timedelta(days=rng.randint(0, 14))).isoformat()
                out.append(("date" if finder else "day", day))
        if rng.random() < 0.2:
            out.append(("part", rng.choice(["morning", "afternoon", "evening"])))
        if rng.random() < 0.45:
            out += [("interest", code) for code in rng.sample(INTERESTS, rng.choice([1, 1, 2]))]
        if rng.random() < 0.2:
            out.append(("target_group", rng.choice(GROUPS)))
        if rng.random() < 0.2:
            out.append(("free", "on" if finder else "true"))
        if rng.random() < 0.15:
            out.append(("accessible", "on" if finder else "true"))
        if rng.random() < 0.1:
            out.append(("q", rng.choice(WORDS)))
        if len(out) <= 1 and rng.random() < 0.2:
            out.append(("pagina" if finder else "page", "2"))
        return out

    def path(self, endpoint: str) -> str:
        if endpoint == "api":
            return "/api/v1/activities/?" + urlencode(self.params(False))
        if endpoint == "finder":
            params = self.params(True)
            return "/activiteiten/" + ("?" + urlencode(params) if params else "")
        return "/bench/floor/?n=20"


ENDPOINTS = {"api": "`GET /api/v1/activities/` (mixed filters)", "finder": "`GET /activiteiten/` (mixed filters)",
             "floor": "floor: minimal view, 20 rows (a page of the API and of the finder)"}


# --------------------------------------------------------------------------------------------------------------
# Virtual users
# --------------------------------------------------------------------------------------------------------------

async def run_users(port: int, queries: Queries, endpoint: str, *, users: int, seconds: float, think: float,
                    octet: int, seed: int) -> dict:
    """`users` users search, read the answer and think (exponential, mean `think` s; 0 = back to back) until the
    time is up. Returns latencies (ms), statuses, errors and the wall time."""
    addresses = load.Addresses(octet)
    rng = random.Random(seed)  # noqa: S311
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors: Counter = Counter()
    loads = [load.loadavg()]

    async def user(index: int):
        client = load.Client(port, addresses, load.PER_ADDRESS)
        await asyncio.sleep(rng.uniform(0, min(1.0, think or 0.2)))  # do not all start at the same instant
        try:
            while time.perf_counter() < deadline:
                path = queries.path(endpoint)
                payload = (f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: text/html,application/json\r\n"
                           "User-Agent: samen-bench\r\n\r\n").encode()
                start = time.perf_counter()
                try:
                    if client.writer is None or client.on_address >= client.per_address or \
                            start - client.last_used > load.GUNICORN_KEEPALIVE * 0.75:
                        await client.connect()
                    client.on_address += 1
                    status, _headers, _body = await asyncio.wait_for(client.exchange(payload), load.REQUEST_TIMEOUT)
                except (OSError, asyncio.IncompleteReadError, TimeoutError) as exc:
                    client.close()
                    errors[type(exc).__name__] += 1
                    continue
                end = time.perf_counter()
                client.last_used = end
                latencies.append((end - start) * 1000)
                statuses[status] += 1
                if think:  # never past the end: the phase lasts `seconds`, whatever the draw
                    await asyncio.sleep(max(0.0, min(rng.expovariate(1 / think), deadline - time.perf_counter())))
        finally:
            client.close()

    async def sampler():
        while True:
            await asyncio.sleep(5)
            loads.append(load.loadavg())

    busy0, own0 = load.cpu_times(), load.own_cpu()
    t0 = time.perf_counter()
    sampling = asyncio.create_task(sampler())
    await asyncio.wait_for(asyncio.gather(*(user(i) for i in range(users))), seconds + load.REQUEST_TIMEOUT + 10)
    sampling.cancel()
    wall = time.perf_counter() - t0
    busy1 = load.cpu_times()
    loads.append(load.loadavg())
    return {"latencies": latencies, "statuses": statuses, "errors": errors, "wall": wall, "loads": loads,
            "cpu_busy": (busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1]), "client_cpu": load.own_cpu() - own0}


def summary(parts: list[dict]) -> dict:
    latencies = sorted(x for p in parts for x in p["latencies"])
    wall = sum(p["wall"] for p in parts)
    out = {"requests": len(latencies), "wall": wall, "throughput": len(latencies) / wall if wall else 0.0,
           "statuses": sum((p["statuses"] for p in parts), Counter()),
           "errors": sum((p["errors"] for p in parts), Counter()),
           "cpu_busy": sum(p["cpu_busy"] * p["wall"] for p in parts) / max(1e-9, wall),
           "worker": sorted(x for p in parts for x in p.get("worker", [])),
           "server_cpu": sum(p.get("server_cpu", 0.0) for p in parts),
           "pg_cpu": sum(p.get("pg_cpu", 0.0) for p in parts),
           "loads": [x for p in parts for x in p["loads"]], "round_p95": [
               load.percentile(sorted(p["latencies"]), 95) for p in parts]}
    for q in (50, 95, 99):
        out[f"p{q}"] = load.percentile(latencies, q)
    out["max"] = latencies[-1] if latencies else float("nan")
    out["mean"] = sum(latencies) / len(latencies) if latencies else float("nan")
    out["worker_p50"], out["worker_p95"] = load.percentile(out["worker"], 50), load.percentile(out["worker"], 95)
    n = max(1, len(latencies))
    out["server_cpu_ms"], out["pg_cpu_ms"] = out["server_cpu"] / n * 1000, out["pg_cpu"] / n * 1000
    return out


# --------------------------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------------------------

class Bench:
    def __init__(self, args):
        self.args = args
        self.db = load.Database(DB_NAME)
        self.workdir = Path(tempfile.mkdtemp(prefix="samen_bench_search_"))
        (self.workdir / "bench_search_settings.py").write_text(SETTINGS_MODULE, encoding="utf-8")
        (self.workdir / "bench_search_urls.py").write_text(URLS_MODULE, encoding="utf-8")
        self.data_dir = Path(args.data_dir) if args.data_dir else self.workdir / "data"
        self.env = {**os.environ, "DATABASE_URL": self.db.url, "SAMEN_DATA_DIR": str(self.data_dir),
                    "SAMEN_ENV": "development", "PYTHONUNBUFFERED": "1",
                    "PYTHONPATH": os.pathsep.join([str(self.workdir), os.environ.get("PYTHONPATH", "")]).rstrip(
                        os.pathsep)}
        for name in ("GUNICORN_CMD_ARGS", "EMAIL_URL", "DJANGO_SETTINGS_MODULE"):
            self.env.pop(name, None)
        self.server = load.Server({**self.env, "DJANGO_SETTINGS_MODULE": "bench_search_settings"}, self.workdir,
                                  name="search")
        self._octet = 19
        self.report: dict = {"argv": " ".join(sys.argv[1:])}

    def log(self, message: str):
        print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)

    def cleanup(self):
        with contextlib.suppress(Exception):
            self.server.stop()
        if not self.args.keep_db:
            try:
                self.db.drop()
            except Exception as exc:  # noqa: BLE001 -- report and go on cleaning up
                print(f"could not drop {self.db.name}: {exc}", file=sys.stderr)
        shutil.rmtree(self.workdir, ignore_errors=True)

    def setup(self):
        a = self.args
        self.report["machine"] = load.machine()
        self.report["date"] = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
        self.report["load_before"] = load.loadavg()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if a.reuse_db and self._exists():
            self.db.created = True
            self.log(f"reusing database {DB_NAME}")
        else:
            self.db.created = True
            self.db.drop()
            self.db.create()
            t = time.perf_counter()
            load.run_samen(self.env, "migrate", "-v0", timeout=a.command_timeout)
            load.run_samen(self.env, "demo", timeout=a.command_timeout)
            self.log(f"migrate + demo in {time.perf_counter() - t:.0f} s; generating {a.activities:,} activities")
            done = subprocess.run(  # noqa: S603 -- fixed arguments
                [sys.executable, __file__, "--populate", str(a.activities), "--seed", str(a.seed)],
                env={**self.env, "DJANGO_SETTINGS_MODULE": "samen.conf.settings"}, capture_output=True, text=True,
                timeout=a.command_timeout, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"populate failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
            self.report["populate"] = json.loads(done.stdout.strip().splitlines()[-1])
            self.log(f"populated: {self.report['populate']}")
        load.run_samen(self.env, "collectstatic", "--noinput", "-v0", timeout=a.command_timeout)
        done = subprocess.run(  # noqa: S603 -- fixed arguments
            [sys.executable, __file__, "--index-build"],
            env={**self.env, "DJANGO_SETTINGS_MODULE": "samen.conf.settings"}, capture_output=True, text=True,
            timeout=a.command_timeout, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"index build failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
        self.report["index"] = json.loads(done.stdout.strip().splitlines()[-1])
        self.log(f"search index: {self.report['index']}")
        self.report["pg"] = self.db.version()
        with self.db.connect() as conn:
            self.report["counts"] = {
                "activities": conn.execute("SELECT count(*) FROM kwaliteit_activity").fetchone()[0],
                "published": conn.execute("SELECT count(*) FROM kwaliteit_activity WHERE status = 'published'")
                .fetchone()[0],
                "occurrences": conn.execute("SELECT count(*) FROM kwaliteit_occurrence").fetchone()[0]}
            self.postcodes = [r[0] for r in conn.execute("SELECT DISTINCT postcode FROM core_postcoderange")]
            self.wijken = [r[0] for r in conn.execute("SELECT code FROM core_wijk ORDER BY code")]
        self.log(f"database: {self.report['counts']}")

    def _exists(self) -> bool:
        with load.psycopg.connect(load.PG_ADMIN, autocommit=True, connect_timeout=10) as conn:
            return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,)).fetchone())

    def next_octet(self) -> int:
        self._octet += 1
        if self._octet > 255:
            raise RuntimeError("out of client address ranges")
        return self._octet

    def phase(self, endpoint: str, seconds: float, think: float, queries: Queries) -> dict:
        a = self.args
        start = self.server.log_size()
        server_cpu, pg_cpu = self.server.cpu(), load.postgres_cpu()
        part = asyncio.run(run_users(self.server.port, queries, endpoint, users=a.users, seconds=seconds,
                                     think=think, octet=self.next_octet(), seed=a.seed + self._octet))
        part["server_cpu"], part["pg_cpu"] = self.server.cpu() - server_cpu, load.postgres_cpu() - pg_cpu
        time.sleep(0.3)  # the access log line is written after the response
        prefix = {"api": "/api/v1/activities/", "finder": "/activiteiten/"}.get(endpoint, "/bench/floor/")
        part["worker"] = [t for path, times in self.server.worker_times(start, self.server.log_size()).items()
                          if path.startswith(prefix) for t in times]
        lat = sorted(part["latencies"])
        self.log(f"{endpoint} ({'think ' + str(think) + ' s' if think else 'back to back'}): {len(lat)} answers in "
                 f"{part['wall']:.1f} s, p50 {load.fmt_ms(load.percentile(lat, 50))}, p95 "
                 f"{load.fmt_ms(load.percentile(lat, 95))}, statuses {dict(part['statuses'])}, errors "
                 f"{dict(part['errors'])}, cpu {part['cpu_busy']:.0%}, load {load.loadavg()}")
        return part

    def run(self):
        a = self.args
        self.setup()
        if a.setup_only:
            return
        self.server.start(a.workers)
        queries = Queries(a.seed, self.postcodes, self.wijken)
        for endpoint in ENDPOINTS:  # warm-up: imports, the map's first render, caches, connections
            self.phase(endpoint, a.warmup_seconds, a.think[0], queries)
        self.report["configs"] = [self.measure("as shipped", queries)]
        self.report["load_after"] = load.loadavg()
        self.server.stop()
        text = markdown(self.report, a)
        print(text)
        if not a.no_append:
            write_section(text)

    def measure(self, name: str, queries: Queries) -> dict:
        """Users with each think time (the endpoints taking turns, in rounds), then back to back."""
        a, config = self.args, {"name": name, "users": {}}
        self.log(f"--- {name}")
        for think in a.think:
            users = {e: [] for e in ENDPOINTS}
            for r in range(a.rounds):
                order = list(ENDPOINTS)[r % len(ENDPOINTS):] + list(ENDPOINTS)[:r % len(ENDPOINTS)]
                for endpoint in order:
                    users[endpoint].append(self.phase(endpoint, a.seconds / a.rounds, think, queries))
            config["users"][think] = {e: summary(parts) for e, parts in users.items()}
        closed = {e: [self.phase(e, a.closed_seconds, 0.0, queries)] for e in ENDPOINTS} if a.closed_seconds else {}
        config["closed"] = {e: summary(parts) for e, parts in closed.items()}
        return config


def write_section(text: str):
    """Replace this benchmark's section in RESULTS.md (up to the next '## '), or append it."""
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    start = current.find(TITLE)
    if start < 0:
        RESULTS.write_text(current.rstrip("\n") + "\n\n" + text, encoding="utf-8")
        return
    end = current.find("\n## ", start + len(TITLE))
    rest = current[end + 1:] if end >= 0 else ""
    RESULTS.write_text(current[:start] + text + ("\n" + rest if rest else ""), encoding="utf-8")


HEAD = ("| endpoint | answers | throughput | p50 | p95 | p99 | max | in worker p50 / p95 | "
        "CPU per answer: gunicorn + PostgreSQL | statuses | machine CPU busy |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")


def _row(label: str, s: dict, rounds: bool = False) -> str:
    statuses = ", ".join(f"{k}: {v:,}" for k, v in sorted(s["statuses"].items()))
    if s["errors"]:
        statuses += "; errors " + ", ".join(f"{k}: {v:,}" for k, v in sorted(s["errors"].items()))
    p95 = f"**{load.fmt_ms(s['p95'])}**"
    if rounds and len(s["round_p95"]) > 1:
        p95 += " (" + ", ".join(load.fmt_ms(x) for x in s["round_p95"]) + ")"
    return (f"| {label} | {s['requests']:,} | {s['throughput']:,.0f}/s | {load.fmt_ms(s['p50'])} | {p95} | "
            f"{load.fmt_ms(s['p99'])} | {load.fmt_ms(s['max'])} | {load.fmt_ms(s['worker_p50'])} / "
            f"{load.fmt_ms(s['worker_p95'])} | {s['server_cpu_ms']:.1f} + {s['pg_cpu_ms']:.1f} ms | {statuses} | "
            f"{s['cpu_busy']:.0%} |")


def markdown(r: dict, a) -> str:
    m, configs = r["machine"], r["configs"]
    shipped = configs[0]
    loads = sorted({x for c in configs for t in c["users"].values() for s in t.values() for x in s["loads"]},
                   key=lambda x: float(x.split()[0]))
    thinks = ", ".join(f"{t:g} s" for t in a.think)
    lines = [
        TITLE, "",
        "Target (product issue): with 20,000 activities on PostgreSQL, 50 concurrent users searching with mixed "
        "filters: p95 ≤ 50 ms for the API search and ≤ 150 ms for the finder page, for a bounded run of a few "
        "minutes; the ratio against a minimal Django view returning the same number of rows (the framework's floor) "
        "recorded.", "",
        f"`benchmarks/kwaliteit_search_load.py` loads the demo into PostgreSQL database `{DB_NAME}` and adds "
        f"{a.activities:,} generated activities to the demo's: {r['counts']['activities']:,} in total "
        f"({r['counts']['published']:,} published), "
        "placed at the demo postcodes, so spread over the wijken as the postcode table is; 2% daily, 55% weekly, 15% "
        "fortnightly, 15% monthly, 13% one-off; 5% not confirmed for 9 months and so off the public site; "
        f"{r['counts']['occurrences']:,} planned dates. It starts `samen serve --workers {a.workers}` (gunicorn "
        "gthread, 4 threads a worker) with the product's settings and one URL of the benchmark's own: the floor, a "
        "view that reads N rows of the activity table and returns them as JSON through the same middleware. "
        f"{a.users} virtual users each search, wait for the answer, think (exponential; mean {thinks}) and search "
        "again; latency runs from sending the request to the last byte of the answer. The API, the finder and the "
        f"floor take turns in {a.rounds} rounds of {a.seconds / a.rounds:.0f} s each per think time (p95 per "
        f"round in brackets), after a {a.warmup_seconds:.0f} s warm-up of each. Filters are mixed: near a postcode "
        "(30%) or in a wijk (25%), a weekday or a date (25%), a part of the day (20%), one or two interests (45%), an "
        "age group (20%), free only (20%), accessible only (15%), a word (10%), the second page now and then; about "
        "one search in seven has no filter at all (every public activity, soonest first). 'In worker' is gunicorn's "
        "own request time from its access log; the rest of the latency is waiting for a worker thread and the GIL. "
        "'CPU per answer' counts all PostgreSQL processes on the machine, other engineers' test databases included.",
        "",
        "Each search is answered from the worker's in-memory search index (kwaliteit.services.search_index; only the "
        "page's rows come from PostgreSQL). Building it, as every worker does once after a change to the catalogue: "
        f"{r['index']['seconds']:.2f} s for {r['index']['activities']:,} running activities with "
        f"{r['index']['horizon_days']} days of planned dates, {r['index']['mib']:.0f} MiB per worker "
        "(best of three, one process, before the measured phases; the warm-up lets every worker build it).",
        "",
        f"Reproduce: `{' '.join(['.venv/bin/python benchmarks/kwaliteit_search_load.py', r['argv']]).strip()}`", "",
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['mem_mib'] / 1024:.0f} GiB memory, Linux {m['kernel']}. "
        f"Python {m['python']}, Django {m['django']}, gunicorn {m['gunicorn']}, psycopg {m['psycopg']}, "
        f"PostgreSQL {r['pg']} on the same machine. Date: {r['date']}. The machine is shared with four other "
        "engineers' test runs: `cat /proc/loadavg` (1/5/15 min) before the run: "
        f"{r['load_before']}; during the measured phases (every 5 s) from {loads[0]} to {loads[-1]}; after: "
        f"{r['load_after']}. The load generator runs on the same 2 cores.", ""]
    for config in configs:
        for think, users in config["users"].items():
            offered = a.users / (think + 0.05)
            lines += [f"{a.users} users, mean think time {think:g} s (about {offered:,.0f} searches a second "
                      f"offered), {config['name']}:", "", HEAD]
            lines += [_row(label, users[endpoint], rounds=True) for endpoint, label in ENDPOINTS.items()]
            lines += [""]
        if config["closed"]:
            lines += [f"Capacity, {config['name']}: the same {a.users} users back to back (no think time, "
                      f"{a.closed_seconds:.0f} s each); the latency is then mostly queueing (Little's law: users / "
                      "throughput):", "", HEAD]
            lines += [_row(label, config["closed"][endpoint]) for endpoint, label in ENDPOINTS.items()]
            lines += [""]
    lines += ["Targets (as shipped):", "", "| target | result |", "| --- | --- |"]
    for think, users in shipped["users"].items():
        api, finder, floor = users["api"], users["finder"], users["floor"]
        lines.append(f"| API search p95 ≤ 50 ms, {a.users} users, think {think:g} s | {_yes(api['p95'] <= 50)}: "
                     f"{load.fmt_ms(api['p95'])} (floor: {load.fmt_ms(floor['p95'])}; ratio "
                     f"{_ratio(api['p95'], floor['p95'])}; in worker, median "
                     f"{_ratio(api['worker_p50'], floor['worker_p50'])} the floor's) |")
        lines.append(f"| finder page p95 ≤ 150 ms, {a.users} users, think {think:g} s | "
                     f"{_yes(finder['p95'] <= 150)}: {load.fmt_ms(finder['p95'])} (floor: "
                     f"{load.fmt_ms(floor['p95'])}; ratio {_ratio(finder['p95'], floor['p95'])}; in worker, median "
                     f"{_ratio(finder['worker_p50'], floor['worker_p50'])} the floor's) |")
    for config in configs:
        if config["closed"]:
            c = config["closed"]
            lines.append(f"| capacity, {config['name']} (recorded) | API {c['api']['throughput']:,.0f}/s, finder "
                         f"{c['finder']['throughput']:,.0f}/s, floor {c['floor']['throughput']:,.0f}/s |")
    return "\n".join(lines) + "\n"


def _ratio(value: float, floor: float) -> str:
    return f"{value / floor:.1f}×" if floor and floor == floor and value == value else "-"


def _yes(ok: bool) -> str:
    return "met" if ok else "**not met**"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--activities", type=int, default=20_000)
    p.add_argument("--users", type=int, default=50)
    p.add_argument("--seconds", type=float, default=30.0,
                   help="measured seconds per endpoint and think time, over all rounds")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--think", type=lambda v: [float(x) for x in v.split(",") if x], default=[1.0, 5.0],
                   help="mean think times between a user's searches, comma-separated (s; default 1,5)")
    p.add_argument("--closed-seconds", type=float, default=10.0, help="back-to-back seconds per endpoint (0: skip)")
    p.add_argument("--warmup-seconds", type=float, default=8.0)
    p.add_argument("--workers", type=int, default=4, help="gunicorn workers (samen serve's default on 2 cores)")
    p.add_argument("--seed", type=int, default=402)
    p.add_argument("--command-timeout", type=float, default=1200.0)
    p.add_argument("--data-dir", default="", help="SAMEN_DATA_DIR (default: a temporary directory)")
    p.add_argument("--reuse-db", action="store_true", help=f"use {DB_NAME} as it is, if it exists")
    p.add_argument("--keep-db", action="store_true", help="do not drop the database at the end")
    p.add_argument("--setup-only", action="store_true", help="make the database and stop (implies --keep-db)")
    p.add_argument("--no-append", action="store_true", help="print the section, do not write it to RESULTS.md")
    p.add_argument("--populate", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--index-build", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if not (1 <= args.users <= 1000 and 0 < args.activities <= 200_000 and 1 <= args.rounds <= 10
            and 1 <= args.seconds <= 1800 and 1 <= args.workers <= 16 and args.think
            and all(t >= 0 for t in args.think)):
        p.error("out of range: 1-1000 users, 1-200,000 activities, 1-10 rounds, 1-1800 s, 1-16 workers")
    if args.setup_only:
        args.keep_db = True
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.populate:
        print(json.dumps(populate(args.populate, args.seed)))
        return 0
    if args.index_build:
        print(json.dumps(index_build()))
        return 0
    return load.run_to_the_end(Bench(args), "stopping the server")


if __name__ == "__main__":
    sys.exit(main())
