"""Benchmark: POST /api/v1/signals/ under load on PostgreSQL: throughput, latency, exactly-once and a kill test.

    .venv/bin/python benchmarks/vinden_signals_load.py [--signals 20000] [--clients 200] [--keys 200]
        [--workers N --threads T] [--sweep 2x4,4x4,4x2] [--kill-signals 2000] [--no-append] [--keep-db]

Target (product issue): on PostgreSQL, 200 concurrent clients submit 20,000 signals through the API, a tenth of them
retried with the same idempotency key: every signal that received a 201 exists exactly once, none exists twice, and
p95 latency is <= 100 ms. Killing the server in the middle leaves no half-stored signal.

What it does, all on 127.0.0.1 and all bounded (timeouts on every request, phase and subprocess):

1. Creates a fresh PostgreSQL database samen_bench_<random> (trust auth, as postgres), a temporary SAMEN_DATA_DIR,
   runs `samen migrate`, `samen demo`, `samen apikey PostNL` and issues --keys API keys of PostNL (one per client
   by default: the API throttles each key, ADR 22).
2. Starts `samen serve --workers N --threads T` (gunicorn gthread) in its own process group. First a sweep over
   worker and thread counts (--sweep, a shorter run each, measured in turns); without --workers the main run uses
   the configuration with the best open-loop p95.
3. Phases, each with --clients keep-alive connections driven by one asyncio loop with a minimal HTTP/1.1 client
   (a few dozen microseconds of client CPU per request, so the client adds little to the measured latency):
   - floor: GET /healthz (one query through the same middleware stack), as many requests as signals;
   - signals: --signals POSTs, each with its own Idempotency-Key; a tenth of the keys is sent twice: half of those
     at the same moment from another client ("concurrent"), half again after the first answer ("later");
   - paced: open-loop Poisson arrivals at fixed rates (fractions of the measured capacity), latency counted from
     the scheduled moment (no coordinated omission): at which rate is p95 <= 100 ms on this machine;
   - kill: a burst of --kill-signals POSTs; half-way the gunicorn master and workers get SIGKILL (process group);
     the database is checked for half-stored signals, the server restarted and every unanswered request retried
     with its idempotency key.
   Every signal is sent with one of the --keys API keys (a retry with the same key as its first send: the
   idempotency scope is the key). The API limits each key to 600 requests a minute (ApiKeyRateThrottle, in the
   database cache shared by all workers); with 200 keys no key comes near it. Each client address still sends at
   most 100 requests (then the client reconnects from the next 127.x.y.z address), as 200 real clients would
   come from many addresses. A probe at the end sends 700 signals with one fresh key in a row.
4. Verifies exactly-once directly in PostgreSQL (psycopg). Each signal's description carries the run id and its
   idempotency key, so every row is traced back to the requests that produced it.
5. Sends the outbox the run filled (`samen send_notifications`, console backend to /dev/null) and times it.
6. Prints a Markdown section and appends it to benchmarks/RESULTS.md (unless --no-append); drops the database.

Not part of the test suite (pytest only collects test_*.py under src/ and tests/).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import datetime as dt
import importlib.metadata
import json
import math
import os
import platform
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parents[1]
SAMEN = REPO / ".venv" / "bin" / "samen"
POSTCODES_CSV = REPO / "src" / "samen" / "core" / "demo" / "postcodes_hilversum_demo.csv"
RESULTS = REPO / "benchmarks" / "RESULTS.md"
HOST = "127.0.0.1"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REQUEST_TIMEOUT = 30.0  # seconds, per request
PER_ADDRESS = 100  # requests per client address (real clients come from many addresses)
PROBE_SIGNALS = 700  # the throttle probe: more than the 600 a minute a key may send
GUNICORN_KEEPALIVE = 2.0  # gunicorn's default keep-alive; an idle connection older than this is reopened
TEXTS = ["Buurvrouw komt al weken de deur niet uit.", "Meneer zit elke dag alleen op het bankje.",
         "Mevrouw zei dat niemand meer langskomt.", "Post stapelt zich op achter de deur.",
         "Na het overlijden van zijn vrouw ziet hij niemand meer.", "Zegt dat de dagen lang zijn."]


# --------------------------------------------------------------------------------------------------------------
# Machine, database and server
# --------------------------------------------------------------------------------------------------------------

def machine() -> dict:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) // 1024
    return {"nproc": os.cpu_count(), "cpu": cpu, "mem_mib": mem, "python": platform.python_version(),
            "django": importlib.metadata.version("django"), "gunicorn": importlib.metadata.version("gunicorn"),
            "psycopg": importlib.metadata.version("psycopg"), "kernel": platform.release()}


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs."""
    parts = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = parts[3] + (parts[4] if len(parts) > 4 else 0)
    return sum(parts) - idle, sum(parts)


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


CLK_TCK = os.sysconf("SC_CLK_TCK")


def _proc_stat(pid: int | str) -> tuple[str, list[str]]:
    """(command name, the fields after it) of /proc/<pid>/stat."""
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.index("(") + 1:text.rindex(")")], text[text.rindex(")") + 2:].split()


def postgres_cpu() -> float:
    """CPU seconds of all PostgreSQL processes: the live ones, plus what the postmaster collected from the backends
    that have exited (cutime/cstime). The same machine's other databases are included."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            name, fields = _proc_stat(entry.name)
            if name != "postgres" and not name.startswith("postgres"):
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
            if fields[1] == "1" or _proc_stat(fields[1])[0] != "postgres":  # the postmaster: + its reaped children
                total += int(fields[13]) + int(fields[14])
    return total / CLK_TCK


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Database:
    def __init__(self, name: str):
        self.name = name
        self.url = f"postgres://postgres@127.0.0.1:5432/{name}"
        self.created = False

    def create(self):
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))
        self.created = True

    def drop(self):
        if not self.created:
            return
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name)))
        self.created = False

    def connect(self):
        return psycopg.connect(self.url.replace("postgres://", "postgresql://"), autocommit=True, connect_timeout=10)

    def version(self) -> str:
        with self.connect() as conn:
            return conn.execute("SHOW server_version").fetchone()[0]

    def other_sessions(self) -> int:
        with self.connect() as conn:
            return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                "AND pid <> pg_backend_pid()").fetchone()[0]


class Server:
    """`samen serve` in its own session (process group), stdout/stderr (access log) to a file."""

    def __init__(self, env: dict, workdir: Path, name: str = "serve"):
        self.env = env
        self.workdir = workdir
        self.name = name
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.workers = 0
        self.starts = 0
        self.log_path: Path | None = None
        self._log = None

    def start(self, workers: int, threads: int = 4, timeout: float = 120.0):
        """`samen serve --workers N --threads T`."""
        self.stop()
        self.workers, self.port = workers, free_port()
        self.starts += 1
        self.log_path = self.workdir / f"{self.name}-{self.starts}.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 -- closed in stop()
        self.threads = threads
        command = [str(SAMEN), "serve", "--host", HOST, "--port", str(self.port), "--workers", str(workers),
                   "--threads", str(threads)]
        self.proc = subprocess.Popen(  # noqa: S603 -- fixed arguments
            command,
            env=self.env, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, cwd=self.workdir)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"samen serve exited with {self.proc.returncode}; see {self.log_path}")
            booted = self.log_path.read_bytes().count(b"Booting worker")
            if booted >= workers and _healthz(self.port):
                time.sleep(1.0)  # let the last worker finish importing the app
                return
            time.sleep(0.25)
        raise RuntimeError(f"samen serve did not answer within {timeout:.0f} s; see {self.log_path}")

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path and self.log_path.exists() else 0

    def pids(self) -> list[int]:
        """The processes of the server's process group (master and workers), from /proc."""
        if self.proc is None:
            return []
        out = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                fields = stat[stat.rindex(")") + 2:].split()
                if int(fields[2]) == self.proc.pid and fields[0] not in ("Z", "X"):
                    out.append(int(entry.name))
        return out

    def cpu(self) -> float:
        """CPU seconds of the server's processes (master and workers) so far."""
        total = 0
        for pid in self.pids():
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = _proc_stat(pid)[1]
                total += int(fields[11]) + int(fields[12])
        return total / CLK_TCK

    def kill(self, timeout: float = 15.0) -> int:
        """SIGKILL the whole process group; wait until every process is gone. Returns the number killed."""
        victims = self.pids()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=timeout)
        deadline = time.monotonic() + timeout
        while self.pids() and time.monotonic() < deadline:
            time.sleep(0.05)
        if self.pids():
            raise RuntimeError("server processes survived SIGKILL")
        self._close()
        return len(victims)

    def stop(self, timeout: float = 20.0):
        if self.proc is None:
            return
        if self.proc.poll() is None or self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=timeout)
            deadline = time.monotonic() + 5
            while self.pids() and time.monotonic() < deadline:
                time.sleep(0.1)
            if self.pids() or self.proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.proc.wait(timeout=10)
        self._close()

    def _close(self):
        if self._log:
            self._log.close()
            self._log = None
        self.proc = None if self.proc is None or self.proc.poll() is not None else self.proc

    def worker_times(self, start: int, end: int) -> dict[str, list[int]]:
        """The access log's in-worker request times (ms) between two log offsets, by path."""
        out: dict[str, list[int]] = defaultdict(list)
        if not self.log_path:
            return out
        with open(self.log_path, "rb") as fh:
            fh.seek(start)
            chunk = fh.read(max(0, end - start)).decode(errors="replace")
        for match in ACCESS_LINE.finditer(chunk):
            out[match.group(2)].append(int(match.group(4)))
        return out


ACCESS_LINE = re.compile(r'"(GET|POST) (\S+)" (\d{3}) \S+ (\d+)ms')


def _healthz(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=2) as s:
            s.sendall(f"GET /healthz HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n\r\n".encode())
            return s.recv(32).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def run_samen(env: dict, *args: str, timeout: float) -> str:
    done = subprocess.run([str(SAMEN), *args], env=env, capture_output=True, text=True,  # noqa: S603
                          timeout=timeout, stdin=subprocess.DEVNULL, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"samen {' '.join(args)} failed ({done.returncode}):\n{done.stdout[-2000:]}"
                           f"\n{done.stderr[-4000:]}")
    return done.stdout


# --------------------------------------------------------------------------------------------------------------
# The load generator
# --------------------------------------------------------------------------------------------------------------

@dataclass
class Job:
    """One HTTP request. Signal jobs with the same key are a first send and its retries."""

    phase: str
    method: str
    path: str
    key: str = ""
    body: bytes = b""
    has_postcode: bool = False
    kind: str = "first"  # first, concurrent (same moment, other client), later (after the first's answer), retry
    later: Job | None = None  # the retry to send after this job's answer
    api_key: str = ""  # '' = the run's default key
    delay: float = 0.0  # how long after the answer the retry is queued (open loop)
    t_sched: float = 0.0
    t_start: float = 0.0
    t_end: float = 0.0
    status: int = 0
    sid: int | None = None
    replayed: bool = False
    error: str = ""  # '' = answered; else connect_refused, reset, timeout, not_sent, ...
    stale_retries: int = 0

    @property
    def latency(self) -> float:
        return self.t_end - self.t_start

    @property
    def latency_open(self) -> float:
        return self.t_end - self.t_sched


class Addresses:
    """Client source addresses 127.<octet>.a.b: the loopback answers for all of 127.0.0.0/8."""

    def __init__(self, octet: int):
        self.octet, self.n = octet, 0

    def next(self) -> str:
        a, b = divmod(self.n, 254)
        if a > 255:
            raise RuntimeError("out of client addresses")
        self.n += 1
        return f"127.{self.octet}.{a}.{b + 1}"


class Client:
    def __init__(self, port: int, addresses: Addresses, per_address: int = PER_ADDRESS):
        self.port, self.addresses, self.per_address = port, addresses, per_address
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.address, self.on_address, self.last_used, self.connects = "", per_address, 0.0, 0

    async def connect(self):
        self.close()
        if self.on_address >= self.per_address:
            self.address, self.on_address = self.addresses.next(), 0
        self.reader, self.writer = await asyncio.wait_for(
            asyncio.open_connection(HOST, self.port, local_addr=(self.address, 0)), REQUEST_TIMEOUT)
        self.connects += 1

    def close(self):
        if self.writer is not None:
            self.writer.transport.abort()
        self.reader = self.writer = None

    async def exchange(self, payload: bytes) -> tuple[int, dict, bytes]:
        self.writer.write(payload)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            for _ in range(100_000):
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                parts.append(chunk[:-2])
            body = b"".join(parts)
        else:
            body = await self.reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body


@dataclass
class PhaseState:
    total: int
    done: int = 0
    killed: bool = False
    kill_at: float = 0.0
    in_flight_at_kill: int = 0
    in_flight: int = 0
    finished: asyncio.Event = field(default_factory=asyncio.Event)


def request_bytes(job: Job, port: int, api_key: str) -> bytes:
    lines = [f"{job.method} {job.path} HTTP/1.1", f"Host: {HOST}:{port}", "Accept: application/json",
             "User-Agent: samen-bench"]
    if job.method == "POST":
        lines += [f"Authorization: Api-Key {job.api_key or api_key}", "Content-Type: application/json",
                  f"Content-Length: {len(job.body)}"]
        if job.key:
            lines.append(f"Idempotency-Key: {job.key}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + job.body


async def perform(client: Client, job: Job, port: int, api_key: str, state: PhaseState):
    payload = request_bytes(job, port, api_key)
    job.t_start = time.perf_counter()
    state.in_flight += 1
    try:
        for attempt in range(2):
            fresh = False
            try:
                if client.writer is None or client.on_address >= client.per_address or \
                        job.t_start - client.last_used > GUNICORN_KEEPALIVE * 0.75:
                    await client.connect()
                    fresh = True
                client.on_address += 1
                status, headers, body = await asyncio.wait_for(client.exchange(payload), REQUEST_TIMEOUT)
            except ConnectionRefusedError:
                client.close()
                job.error = "connect_refused"
                return
            except (asyncio.IncompleteReadError, ConnectionResetError, BrokenPipeError) as exc:
                client.close()
                nothing = not isinstance(exc, asyncio.IncompleteReadError) or not exc.partial
                # A keep-alive connection the server closed just as we reused it: resend once on a new one
                # (safe: the request carries its idempotency key, or is a GET).
                if attempt == 0 and not fresh and nothing and not state.killed:
                    job.stale_retries += 1
                    continue
                job.error = "reset_or_eof"
                return
            except TimeoutError:
                client.close()
                job.error = "timeout"
                return
            except OSError as exc:
                client.close()
                job.error = f"oserror:{exc.errno}"
                return
            job.t_end = time.perf_counter()
            client.last_used = job.t_end
            job.status = status
            job.replayed = headers.get("idempotent-replayed") == "true"
            if job.method == "POST" and status == 201:
                with contextlib.suppress(ValueError, KeyError, TypeError):
                    job.sid = int(json.loads(body)["id"])
            return
    finally:
        state.in_flight -= 1
        if not job.t_end:
            job.t_end = time.perf_counter()


async def run_phase(jobs: list[Job], *, clients: int, port: int, api_key: str, octet: int,
                    rate: float = 0.0, seed: int = 0, kill_after: int = 0, on_kill=None,
                    timeout: float = 3600.0, per_address: int = PER_ADDRESS, probe=None) -> dict:
    """Drive the jobs through `clients` connections. rate == 0: closed loop (every client sends its next request as
    soon as it has an answer); rate > 0: open loop, Poisson arrivals at `rate` a second. Retries hanging on a job
    (job.later) are queued after its answer. kill_after > 0: call on_kill() once that many answers are in."""
    queue: asyncio.Queue = asyncio.Queue()
    firsts = list(jobs)
    total = len(firsts) + sum(1 for j in firsts if j.later is not None)
    state = PhaseState(total=total)
    addresses = Addresses(octet)
    loop = asyncio.get_running_loop()
    pending_timers = []

    def enqueue(job: Job):
        if state.killed:
            job.error, job.t_sched = "not_sent", time.perf_counter()
            finish(job)
            return
        job.t_sched = time.perf_counter()
        queue.put_nowait(job)

    def finish(job: Job):
        state.done += 1
        if job.later is not None:
            if job.status and not state.killed:
                if job.delay > 0:
                    pending_timers.append(loop.call_later(job.delay, enqueue, job.later))
                else:
                    enqueue(job.later)
            else:
                job.later.error = "not_sent"
                finish(job.later)
        if kill_after and not state.killed and state.done >= kill_after:
            state.killed, state.kill_at, state.in_flight_at_kill = True, time.perf_counter(), state.in_flight
            on_kill()
        if state.done >= state.total:
            state.finished.set()

    async def worker():
        client = Client(port, addresses, per_address)
        try:
            while True:
                job = await queue.get()
                if job is None:
                    return
                if state.killed and not job.t_start:
                    job.error = "not_sent"
                    finish(job)
                    continue
                await perform(client, job, port, api_key, state)
                finish(job)
        finally:
            client.close()

    async def scheduler():
        rng = random.Random(seed)  # noqa: S311 -- arrival times, not secrets
        t = time.perf_counter()
        for job in firsts:
            if state.killed:
                job.error = "not_sent"
                finish(job)
                continue
            if rate > 0 and job.kind != "concurrent":  # a concurrent twin goes at the same moment as its first
                t += rng.expovariate(rate)
                await asyncio.sleep(max(0.0, t - time.perf_counter()))
            enqueue(job)

    samples = []

    async def sampler():
        """Every 2 s: (time, answers so far, probe()), for the figures over the course of the phase."""
        while True:
            samples.append((time.perf_counter(), state.done, *probe()))
            await asyncio.sleep(2.0)

    busy0, own0, load0 = cpu_times(), own_cpu(), loadavg()
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(worker()) for _ in range(clients)]
    sched = asyncio.create_task(scheduler())
    sampling = asyncio.create_task(sampler()) if probe else None
    try:
        await asyncio.wait_for(state.finished.wait(), timeout)
    finally:
        if sampling:
            sampling.cancel()
            samples.append((time.perf_counter(), state.done, *probe()))
        for timer in pending_timers:
            timer.cancel()
        sched.cancel()
        for _ in tasks:
            queue.put_nowait(None)
        done, still = await asyncio.wait(tasks, timeout=REQUEST_TIMEOUT + 5)
        for task in still:
            task.cancel()
    wall = time.perf_counter() - t0
    busy1 = cpu_times()
    used = (busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1])
    return {"wall": wall, "cpu_busy": used, "client_cpu": own_cpu() - own0, "load_start": load0,
            "load_end": loadavg(), "killed": state.killed, "kill_at": state.kill_at - t0 if state.killed else None,
            "in_flight_at_kill": state.in_flight_at_kill, "samples": samples}


# --------------------------------------------------------------------------------------------------------------
# Work lists
# --------------------------------------------------------------------------------------------------------------

def load_addresses() -> list[tuple[str, int, int, str]]:
    with open(POSTCODES_CSV, newline="", encoding="utf-8") as fh:
        return [(r["postcode"], int(r["huisnummer_van"]), int(r["huisnummer_tot"]), r["pariteit"] or "all")
                for r in csv.DictReader(fh)]


class Signals:
    """Signal bodies: 10% without an address (central queue), 40% postcode only, 50% postcode and house number."""

    def __init__(self, run_id: str, seed: int):
        self.run_id = run_id
        self.addresses = load_addresses()
        self.rng = random.Random(seed)  # noqa: S311 -- test data, not secrets
        self.keys: list[str] = []  # API keys to spread the signals over ([] = the run's default key)

    def body(self, key: str) -> tuple[bytes, bool]:
        rng = self.rng
        data = {"description": f"samen-bench {self.run_id} {key} {rng.choice(TEXTS)}"}
        r = rng.random()
        if r >= 0.1:
            postcode, low, high, parity = rng.choice(self.addresses)
            data["postcode"] = postcode if rng.random() < 0.7 else f"{postcode[:4]} {postcode[4:].lower()}"
            if r >= 0.5:
                numbers = [n for n in range(low, high + 1)
                           if parity == "all" or (n % 2 == 1) == (parity in ("odd", "oneven"))]
                data["house_number"] = rng.choice(numbers)
        return json.dumps(data).encode(), "postcode" in data

    def jobs(self, phase: str, n: int, replay_fraction: float, later_delay: tuple[float, float] = (0.0, 0.0)):
        """n first sends; replay_fraction of the keys sent again: half concurrently, half after the answer."""
        out = []
        for _ in range(n):
            key = str(uuid.uuid4())
            body, has_postcode = self.body(key)
            api_key = self.rng.choice(self.keys) if self.keys else ""
            job = Job(phase, "POST", "/api/v1/signals/", key=key, body=body, has_postcode=has_postcode,
                      api_key=api_key)
            out.append(job)
            if self.rng.random() < replay_fraction:
                twin = Job(phase, "POST", "/api/v1/signals/", key=key, body=body, has_postcode=has_postcode,
                           api_key=api_key)
                if self.rng.random() < 0.5:
                    twin.kind = "concurrent"
                    out.append(twin)  # next in the queue: another client picks it up at the same moment
                else:
                    twin.kind = "later"
                    job.later, job.delay = twin, self.rng.uniform(*later_delay)
        return out


def healthz_jobs(phase: str, n: int) -> list[Job]:
    return [Job(phase, "GET", "/healthz") for _ in range(n)]


def flatten(jobs: list[Job]) -> list[Job]:
    out = []
    for job in jobs:
        out.append(job)
        if job.later is not None:
            out.append(job.later)
    return out


# --------------------------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------------------------

def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = max(0, math.ceil(p / 100 * len(sorted_values)) - 1)
    return sorted_values[k]


def summarise(name: str, jobs: list[Job], meta: dict, *, open_loop: bool = False, server: Server | None = None,
              log_window: tuple[int, int] | None = None) -> dict:
    everything = flatten(jobs)
    answered = [j for j in everything if not j.error]
    lat = sorted((j.latency_open if open_loop else j.latency) * 1000 for j in answered)
    statuses = Counter(j.status for j in answered)
    errors = Counter(j.error for j in everything if j.error)
    out = {"name": name, "requests": len(everything), "answered": len(answered), "statuses": dict(statuses),
           "errors": dict(errors), "stale_retries": sum(j.stale_retries for j in everything),
           "throughput": len(answered) / meta["wall"] if meta["wall"] else 0.0, **meta}
    for p in (50, 90, 95, 99):
        out[f"p{p}"] = percentile(lat, p)
    out["max"] = lat[-1] if lat else float("nan")
    n = max(1, len(answered))
    for name in ("server_cpu", "pg_cpu", "client_cpu"):
        if name in meta:
            out[f"{name}_ms"] = meta[name] / n * 1000
    out["mean"] = sum(lat) / len(lat) if lat else float("nan")
    if server is not None and log_window is not None:
        times = sorted(t for ts in server.worker_times(*log_window).values() for t in ts)
        out["worker_p50"], out["worker_p95"] = percentile(times, 50), percentile(times, 95)
        out["worker_times"] = times
    return out


def slices(jobs: list[Job], samples: list[tuple], n: int = 5, open_loop: bool = False) -> list[dict]:
    """The phase cut in n equal stretches of time: throughput, p95 and CPU per answer in each (is it drifting?)."""
    if len(samples) < n + 1:
        return []
    answered = [j for j in flatten(jobs) if not j.error]
    step = (len(samples) - 1) / n
    out = []
    for i in range(n):
        a, b = samples[round(i * step)], samples[round((i + 1) * step)]
        inside = sorted((j.latency_open if open_loop else j.latency) * 1000 for j in answered if a[0] <= j.t_end < b[0])
        k = max(1, len(inside))
        out.append({"from": a[0] - samples[0][0], "to": b[0] - samples[0][0], "answers": len(inside),
                    "throughput": len(inside) / max(1e-9, b[0] - a[0]), "p95": percentile(inside, 95),
                    "server_cpu_ms": (b[2] - a[2]) / k * 1000, "pg_cpu_ms": (b[3] - a[3]) / k * 1000})
    return out


def pool(name: str, parts: list[tuple[list[Job], dict]], open_loop: bool) -> dict:
    """One summary for several runs of the same phase (the sweep's rounds): percentiles over all requests."""
    jobs = [j for part_jobs, _ in parts for j in part_jobs]
    wall = sum(p["wall"] for _, p in parts)
    meta = {"wall": wall, "cpu_busy": sum(p["cpu_busy"] * p["wall"] for _, p in parts) / max(1e-9, wall),
            "client_cpu": sum(p["client_cpu"] for _, p in parts), "load_start": parts[0][1]["load_start"],
            "load_end": parts[-1][1]["load_end"], "server_cpu": sum(p.get("server_cpu", 0.0) for _, p in parts),
            "pg_cpu": sum(p.get("pg_cpu", 0.0) for _, p in parts)}
    out = summarise(name, jobs, meta, open_loop=open_loop)
    times = sorted(t for _, p in parts for t in p.get("worker_times", []))
    out["worker_p50"], out["worker_p95"] = percentile(times, 50), percentile(times, 95)
    out["round_p95"] = [p["p95"] for _, p in parts]
    return out


def fmt_ms(v: float) -> str:
    if v != v:  # NaN
        return "-"
    return f"{v:,.0f} ms" if v >= 10 else f"{v:.1f} ms"


# --------------------------------------------------------------------------------------------------------------
# Exactly-once, read from the database
# --------------------------------------------------------------------------------------------------------------

def stored_signals(db: Database, run_id: str) -> dict[str, list[dict]]:
    """Signals of this run by idempotency key (from the description), with their intake events, idempotency
    records and resident link."""
    query = """
        SELECT s.id, s.description, s.resident_id,
               (SELECT count(*) FROM vinden_signalevent e WHERE e.signal_id = s.id AND e.to_status = 'new'),
               (SELECT count(*) FROM vinden_signalevent e WHERE e.signal_id = s.id),
               (SELECT array_agg(r.key) FROM vinden_idempotencyrecord r WHERE r.signal_id = s.id)
        FROM vinden_signal s WHERE s.description LIKE %s ORDER BY s.id"""
    out: dict[str, list[dict]] = defaultdict(list)
    with db.connect() as conn:
        for sid, description, resident, intake, events, keys in conn.execute(query, (f"samen-bench {run_id} %",)):
            key = description.split(" ", 3)[2]
            out[key].append({"id": sid, "resident": resident, "intake": intake, "events": events,
                             "idem_keys": keys or []})
    return out


def check_exactly_once(db: Database, run_id: str, scopes: list[str], jobs: list[Job], *,
                       allow_unconfirmed: bool = False,
                       watermarks: dict | None = None) -> dict:
    """Every key that got a 201 has exactly one signal, with the id every 201 for that key returned; no signal is
    stored twice; every signal is whole (intake event, idempotency record, resident where the body had a postcode).
    allow_unconfirmed: a key without any 201 may have one signal (committed, but the answer was lost)."""
    stored = stored_signals(db, run_id)
    by_key: dict[str, list[Job]] = defaultdict(list)
    for job in flatten(jobs):
        if job.key:
            by_key[job.key].append(job)
    r = Counter()
    for key, sent in by_key.items():
        ids = {j.sid for j in sent if j.status == 201}
        rows = stored.get(key, [])
        r["keys"] += 1
        if ids:
            r["keys_201"] += 1
            if len(ids) > 1:
                r["keys_with_different_ids"] += 1
            if len(rows) == 1 and rows[0]["id"] in ids:
                r["exactly_once"] += 1
            elif not rows:
                r["confirmed_but_missing"] += 1
            elif len(rows) > 1:
                r["stored_twice_or_more"] += 1
            else:
                r["id_mismatch"] += 1
        else:
            if len(rows) == 1:
                r["stored_without_201"] += 1
            elif len(rows) > 1:
                r["stored_twice_or_more"] += 1
        answered = [j for j in sent if j.status == 201]
        if len(answered) > 1:
            r["replayed_keys"] += 1
            if len(ids) == 1:
                r["replays_same_id"] += 1
            if sum(1 for j in answered if not j.replayed) > 1:
                r["replays_created_twice"] += 1
        for row in rows:
            r["rows"] += 1
            if row["intake"] != 1:
                r["rows_without_one_intake_event"] += 1
            if row["idem_keys"] != [key]:
                r["rows_without_their_idempotency_record"] += 1
            if sent[0].has_postcode and row["resident"] is None:
                r["rows_with_postcode_without_resident"] += 1
            if not sent[0].has_postcode and row["resident"] is not None:
                r["rows_without_postcode_with_resident"] += 1
    with db.connect() as conn:
        r["idempotency_duplicates"] = conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM vinden_idempotencyrecord GROUP BY scope, key HAVING count(*) > 1) d"
        ).fetchone()[0]
        r["signals_with_two_idempotency_records"] = conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM vinden_idempotencyrecord GROUP BY signal_id HAVING count(*) > 1) d"
        ).fetchone()[0]
        r["idempotency_records_of_keys"] = conn.execute(
            "SELECT count(*) FROM vinden_idempotencyrecord WHERE scope = ANY(%s) AND key = ANY(%s)",
            (scopes, list(by_key))).fetchone()[0]
        if watermarks:
            r["orphan_residents"] = conn.execute(
                "SELECT count(*) FROM core_resident p WHERE p.id > %s AND NOT EXISTS "
                "(SELECT 1 FROM vinden_signal s WHERE s.resident_id = p.id)", (watermarks["resident"],)).fetchone()[0]
            r["signals_without_intake_event"] = conn.execute(
                "SELECT count(*) FROM vinden_signal s WHERE s.id > %s AND NOT EXISTS (SELECT 1 FROM "
                "vinden_signalevent e WHERE e.signal_id = s.id AND e.to_status = 'new')",
                (watermarks["signal"],)).fetchone()[0]
            access = conn.execute("SELECT count(*) FROM core_accesslogentry WHERE id > %s AND route = %s",
                                  (watermarks["access"], "vinden:organisation")).fetchone()[0]
            with_resident = conn.execute("SELECT count(*) FROM vinden_signal WHERE id > %s AND resident_id IS NOT "
                                         "NULL", (watermarks["signal"],)).fetchone()[0]
            r["access_log_entries_minus_signals_with_resident"] = access - with_resident
    bad = ["keys_with_different_ids", "confirmed_but_missing", "stored_twice_or_more", "id_mismatch",
           "replays_created_twice", "rows_without_one_intake_event", "rows_without_their_idempotency_record",
           "rows_with_postcode_without_resident", "rows_without_postcode_with_resident", "idempotency_duplicates",
           "signals_with_two_idempotency_records", "orphan_residents", "signals_without_intake_event",
           "access_log_entries_minus_signals_with_resident"]
    if not allow_unconfirmed:
        bad.append("stored_without_201")
    r = dict(r)
    r["ok"] = not any(r.get(name) for name in bad) and r.get("replays_same_id", 0) == r.get("replayed_keys", 0)
    return r


def watermarks(db: Database) -> dict:
    with db.connect() as conn:
        return {name: conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]  # noqa: S608
                for name, table in (("signal", "vinden_signal"), ("resident", "core_resident"),
                                    ("access", "core_accesslogentry"))}


# --------------------------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------------------------

class Bench:
    def __init__(self, args):
        self.args = args
        self.run_id = secrets.token_hex(4)
        self.db = Database(f"samen_bench_{self.run_id}")
        self.workdir = Path(tempfile.mkdtemp(prefix="samen_bench_"))
        self.env = {**os.environ, "DATABASE_URL": self.db.url, "SAMEN_DATA_DIR": str(self.workdir / "data"),
                    "SAMEN_ENV": "development", "PYTHONUNBUFFERED": "1"}
        for name in ("GUNICORN_CMD_ARGS", "EMAIL_URL"):
            self.env.pop(name, None)
        self.server = Server(self.env, self.workdir)
        self.servers = [self.server]
        self._octet = 9
        self.signals = Signals(self.run_id, args.seed)
        self.all_jobs: list[Job] = []
        self.api_key = ""
        self.scopes: list[str] = []
        self.probe_key = ""
        self.report: dict = {"run_id": self.run_id, "argv": " ".join(sys.argv[1:])}

    def log(self, message: str):
        print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)

    def cleanup(self):
        for server in self.servers:
            with contextlib.suppress(Exception):
                server.stop()
        if not self.args.keep_db:
            try:
                self.db.drop()
            except Exception as exc:
                print(f"could not drop {self.db.name}: {exc}", file=sys.stderr)
        shutil.rmtree(self.workdir, ignore_errors=True)

    def next_octet(self) -> int:
        """Each phase sends from its own 127.<octet>.x.y addresses: the throttle's counters (one cache for all the
        run's servers) never carry over from one phase to the next."""
        self._octet += 1
        if self._octet > 255:
            raise RuntimeError("out of client address ranges")
        return self._octet

    def phase(self, name: str, jobs: list[Job], *, rate: float = 0.0, open_loop: bool = False, kill_after: int = 0,
              on_kill=None, clients: int | None = None, per_address: int = PER_ADDRESS,
              server: Server | None = None) -> dict:
        srv = server or self.server
        octet = self.next_octet()
        self.all_jobs.extend(jobs)
        start = srv.log_size()
        server_cpu, pg_cpu = srv.cpu(), postgres_cpu()
        meta = asyncio.run(run_phase(jobs, clients=clients or self.args.clients, port=srv.port,
                                     api_key=self.api_key, octet=octet, rate=rate, seed=self.args.seed + octet,
                                     kill_after=kill_after, on_kill=on_kill, timeout=self.args.phase_timeout,
                                     per_address=per_address,
                                     probe=None if kill_after else lambda: (srv.cpu(), postgres_cpu())))
        if not kill_after:
            meta["server_cpu"], meta["pg_cpu"] = srv.cpu() - server_cpu, postgres_cpu() - pg_cpu
        time.sleep(0.3)  # the access log line is written after the response
        window = (start, srv.log_size()) if srv.log_path else None
        summary = summarise(name, jobs, meta, open_loop=open_loop, server=srv, log_window=window)
        summary["slices"] = slices(jobs, meta.get("samples", []), open_loop=open_loop)
        summary["_jobs"], summary["_meta"] = jobs, meta
        self.log(f"{name}: {summary['answered']}/{summary['requests']} answered in {summary['wall']:.1f} s, "
                 f"{summary['throughput']:.0f}/s, p50 {fmt_ms(summary['p50'])}, p95 {fmt_ms(summary['p95'])}, "
                 f"p99 {fmt_ms(summary['p99'])}, max {fmt_ms(summary['max'])}, statuses {summary['statuses']}, "
                 f"errors {summary['errors']}, cpu busy {summary['cpu_busy']:.0%}, load {summary['load_end']}")
        return summary

    def setup(self):
        a = self.args
        self.report["machine"] = machine()
        self.report["date"] = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
        self.report["load_before"] = loadavg()
        self.log(f"database {self.db.name}, data dir {self.workdir}")
        self.db.create()
        self.report["pg"] = self.db.version()
        (self.workdir / "data").mkdir()
        t = time.perf_counter()
        run_samen(self.env, "migrate", "-v0", timeout=a.command_timeout)
        run_samen(self.env, "demo", timeout=a.command_timeout)
        self.report["setup_seconds"] = time.perf_counter() - t
        out = run_samen(self.env, "apikey", "PostNL", timeout=120).strip().splitlines()
        match = [line for line in out if re.fullmatch(r"[0-9a-f]{8}\.[\w-]{20,}", line.strip())]
        if not match:
            raise RuntimeError(f"no API key in the output of samen apikey: {out!r}")
        self.api_key = match[-1].strip()
        issued = run_samen(self.env, "shell", "-c", "from samen.core.models import Organisation\n"
                           "from samen.vinden.services import apikeys\n"
                           "org = Organisation.objects.get(name='PostNL', gemeente__code='GM0402')\n"
                           f"for _ in range({max(0, a.keys - 1) + 1}): print(apikeys.issue(org))",
                           timeout=300).split()
        issued = [k for k in issued if re.fullmatch(r"[0-9a-f]{8}\.[\w-]{20,}", k)]
        self.probe_key, keys = issued[-1], [self.api_key, *issued[:-1]][:max(1, a.keys)]
        self.signals.keys = keys
        self.scopes = [f"key:{k.split('.', 1)[0]}" for k in [*keys, self.probe_key]]
        self.report["cache"] = run_samen(self.env, "shell", "-c", "from django.conf import settings; "
                                         "print(settings.CACHES['throttle']['BACKEND'])",
                                         timeout=120).strip().splitlines()[-1]
        self.log(f"migrate + demo in {self.report['setup_seconds']:.0f} s; {len(keys)} API keys (+1 for the probe); "
                 f"throttle cache {self.report['cache']}")

    def warm_up(self, server: Server | None = None):
        self.phase("warm-up /healthz", healthz_jobs("warm-up", 4 * self.args.clients), server=server)
        self.phase("warm-up signals", self.signals.jobs("warm-up", self.args.clients, 0.0), server=server)

    def sweep(self):
        """All configurations run side by side (idle when not measured) and are measured in turns, a few rounds:
        other load on the shared machine then falls on all of them alike."""
        a, rate = self.args, self.args.sweep_rate
        servers = []
        for i, (n, threads) in enumerate(a.sweep):
            srv = Server(self.env, self.workdir, name=f"sweep{i}")
            self.servers.append(srv)
            srv.start(n, threads)
            self.warm_up(server=srv)
            servers.append(srv)
        runs = [{"closed": [], "paced": []} for _ in a.sweep]
        for r in range(a.sweep_rounds):
            for k in range(len(a.sweep)):
                i = (k + r) % len(a.sweep)
                n, threads = a.sweep[i]
                label = f"sweep round {r + 1}: {n} workers x {threads} threads"
                jobs = self.signals.jobs(f"sweep-{i}", a.sweep_signals // a.sweep_rounds, a.replay_fraction)
                s = self.phase(f"{label}, closed loop", jobs, server=servers[i])
                runs[i]["closed"].append((s["_jobs"], {**s["_meta"], **s}))
                jobs = self.signals.jobs(f"sweep-{i}-paced", int(rate * a.sweep_seconds), a.replay_fraction,
                                         later_delay=(0.5, 2.0))
                s = self.phase(f"{label}, {rate}/s", jobs, rate=rate, open_loop=True, server=servers[i])
                runs[i]["paced"].append((s["_jobs"], {**s["_meta"], **s}))
        for srv in servers:
            srv.stop()
        rows = []
        for (n, threads), run in zip(a.sweep, runs, strict=True):
            row = pool(f"{n}x{threads} closed", run["closed"], open_loop=False)
            row["paced"] = pool(f"{n}x{threads} paced", run["paced"], open_loop=True)
            row["workers"], row["threads"] = n, threads
            rows.append(row)
            self.log(f"sweep {n} workers x {threads} threads: closed loop {row['throughput']:.0f}/s p95 "
                     f"{fmt_ms(row['p95'])}; {rate}/s p95 {fmt_ms(row['paced']['p95'])} (rounds: "
                     f"{', '.join(fmt_ms(x) for x in row['paced']['round_p95'])})")
        self.report["sweep"] = rows
        if not a.workers:
            # Closed-loop p95 is mostly clients / throughput (Little's law); the open-loop p95 at a moderate rate is
            # the latency a client sees. Choose by that among `samen serve` configurations, and by throughput when
            # it is a tie within 10%.
            best = min(r["paced"]["p95"] for r in rows)
            near = [r for r in rows if r["paced"]["p95"] <= best * 1.1]
            chosen = max(near, key=lambda r: r["throughput"])
            a.workers, a.threads = chosen["workers"], chosen["threads"]
            self.log(f"the main run uses {a.workers} workers x {a.threads} threads (best open-loop p95 at {rate}/s)")

    def main_phases(self):
        a = self.args
        self.server.start(a.workers, a.threads)
        self.warm_up()
        self.report["floor"] = self.phase("floor: GET /healthz", healthz_jobs("floor", a.floor_requests or a.signals))
        marks = watermarks(self.db)
        jobs = self.signals.jobs("signals", a.signals, a.replay_fraction)
        self.report["signals"] = self.phase(f"signals: {a.signals:,} POSTs", jobs)
        self.report["signals_check"] = check_exactly_once(self.db, self.run_id, self.scopes, jobs, watermarks=marks)
        self.log(f"exactly-once (signals phase): {self.report['signals_check']}")
        capacity = self.report["signals"]["throughput"]
        rates = a.paced_rates or [max(1, round(capacity * f)) for f in (0.1, 0.25, 0.5)]
        paced = []
        for rate in (r for r in rates if r > 0):
            n = max(1, int(rate * a.paced_seconds))
            jobs = self.signals.jobs(f"paced-{rate}", n, a.replay_fraction, later_delay=(0.5, 2.0))
            s = self.phase(f"paced: {rate}/s", jobs, rate=rate, open_loop=True)
            s["rate"] = rate
            paced.append(s)
            floor = self.phase(f"paced floor: {rate}/s GET /healthz", healthz_jobs("paced-floor", n),
                               rate=rate, open_loop=True)
            s["floor"] = floor
        self.report["paced"] = paced

    def kill_test(self):
        a = self.args
        self.server.start(a.workers, a.threads)
        self.warm_up()
        marks = watermarks(self.db)
        jobs = self.signals.jobs("kill", a.kill_signals, 0.0)
        killed = {}

        def on_kill():
            killed["processes"] = self.server.kill()

        kill_after = max(1, int(a.kill_signals * a.kill_fraction))
        s = self.phase(f"kill: {a.kill_signals:,} POSTs, SIGKILL after {kill_after:,} answers", jobs,
                       kill_after=kill_after, on_kill=on_kill)
        s["processes_killed"] = killed.get("processes", 0)
        deadline = time.monotonic() + 60
        while self.db.other_sessions() and time.monotonic() < deadline:
            time.sleep(0.2)
        s["sessions_left"] = self.db.other_sessions()
        s["check_after_kill"] = check_exactly_once(self.db, self.run_id, self.scopes, jobs, allow_unconfirmed=True,
                                                   watermarks=marks)
        self.log(f"after the kill: {s['check_after_kill']}")
        unanswered = [j for j in jobs if j.status != 201]
        stored_after_kill = {k for k, rows in stored_signals(self.db, self.run_id).items() if rows}
        s["unanswered"] = Counter(j.error or f"status {j.status}" for j in unanswered)
        s["sent_unanswered"] = sum(1 for j in unanswered if j.error != "not_sent")
        self.server.start(a.workers, a.threads)
        retries = [Job("kill-retry", "POST", j.path, key=j.key, body=j.body, has_postcode=j.has_postcode,
                       kind="retry", api_key=j.api_key) for j in unanswered]
        r = self.phase(f"kill: retry {len(retries):,} unanswered", retries)
        s["retry"] = r
        s["retry_replayed"] = sum(1 for j in retries if j.status == 201 and j.replayed)
        s["retry_created"] = sum(1 for j in retries if j.status == 201 and not j.replayed)
        s["retry_replayed_expected"] = sum(1 for j in unanswered if j.key in stored_after_kill)
        rng = random.Random(a.seed)  # noqa: S311
        answered = [j for j in jobs if j.status == 201]
        sample = [Job("kill-replay", "POST", j.path, key=j.key, body=j.body, has_postcode=j.has_postcode,
                      kind="retry", api_key=j.api_key) for j in rng.sample(answered, min(len(answered), a.clients))]
        self.phase(f"kill: replay {len(sample)} answered", sample)
        first_id = {j.key: j.sid for j in answered}
        s["sample_same_id"] = sum(1 for j in sample if j.status == 201 and j.replayed and j.sid == first_id[j.key])
        s["sample"] = len(sample)
        s["check_after_retry"] = check_exactly_once(self.db, self.run_id, self.scopes, jobs + retries + sample,
                                                    watermarks=marks)
        self.log(f"after the retries: {s['check_after_retry']}")
        self.report["kill"] = s

    def throttle_probe(self):
        """PROBE_SIGNALS POSTs in a row with one fresh key, from many addresses: how many does the API refuse?"""
        jobs = self.signals.jobs("throttle", PROBE_SIGNALS, 0.0)
        for job in jobs:
            job.api_key = self.probe_key
        s = self.phase(f"throttle probe: {PROBE_SIGNALS} POSTs with one key", jobs, clients=1, per_address=50)
        self.report["throttle"] = s

    def drain_outbox(self):
        """`samen send_notifications` once over everything the run wrote to the outbox (console backend)."""
        with self.db.connect() as conn:
            waiting = conn.execute("SELECT count(*) FROM vinden_notification WHERE sent_at IS NULL").fetchone()[0]
        t = time.perf_counter()
        done = subprocess.run([str(SAMEN), "send_notifications"], env=self.env, stdout=subprocess.DEVNULL,  # noqa: S603
                              stderr=subprocess.PIPE, text=True, timeout=self.args.command_timeout, check=False)
        seconds = time.perf_counter() - t
        with self.db.connect() as conn:
            left = conn.execute("SELECT count(*) FROM vinden_notification WHERE sent_at IS NULL").fetchone()[0]
            signals = conn.execute("SELECT count(*) FROM vinden_signal").fetchone()[0]
        self.report["outbox"] = {"waiting": waiting, "left": left, "seconds": seconds, "signals": signals,
                                 "returncode": done.returncode}
        self.log(f"outbox: {waiting:,} e-mails for {signals:,} signals sent in {seconds:.1f} s, {left} left, "
                 f"exit {done.returncode} {done.stderr[-300:]}")

    def run(self):
        a = self.args
        self.setup()
        if a.sweep:
            self.sweep()
        a.workers = a.workers or 4
        self.main_phases()
        if a.kill_signals:
            self.kill_test()
        if not a.no_throttle_probe:
            self.throttle_probe()
        self.server.stop()
        self.drain_outbox()
        self.report["final_check"] = check_exactly_once(self.db, self.run_id, self.scopes, self.all_jobs)
        self.log(f"exactly-once over all {len(flatten(self.all_jobs)):,} requests: {self.report['final_check']}")
        self.report["load_after"] = loadavg()
        self.server.stop()
        text = markdown(self.report, a)
        print(text)
        if not a.no_append:
            with open(RESULTS, "a", encoding="utf-8") as fh:
                fh.write("\n" + text)
            self.log(f"appended to {RESULTS}")


# --------------------------------------------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------------------------------------------

def _statuses(s: dict) -> str:
    parts = [f"{k}: {v:,}" for k, v in sorted(s["statuses"].items())]
    parts += [f"{k}: {v:,}" for k, v in sorted(s["errors"].items())]
    return ", ".join(parts) or "-"


def _row(label: str, s: dict) -> str:
    worker = f"{fmt_ms(s.get('worker_p50', float('nan')))} / {fmt_ms(s.get('worker_p95', float('nan')))}"
    cpu = f"{s.get('server_cpu_ms', float('nan')):.1f} + {s.get('pg_cpu_ms', float('nan')):.1f} ms"
    return (f"| {label} | {s['requests']:,} | {s['wall']:.1f} s | {s['throughput']:,.0f}/s | {fmt_ms(s['p50'])} | "
            f"**{fmt_ms(s['p95'])}** | {fmt_ms(s['p99'])} | {fmt_ms(s['max'])} | {worker} | {cpu} | {_statuses(s)} | "
            f"{s['cpu_busy']:.0%} | {s['load_end']} |")


HEAD = ("| phase | requests | wall time | throughput | p50 | p95 | p99 | max | in worker p50 / p95 | "
        "CPU per answer: gunicorn + PostgreSQL | answers | machine CPU busy | load (1/5/15 min) |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")


def _yes(ok: bool) -> str:
    return "met" if ok else "**not met**"


def markdown(r: dict, a) -> str:
    m = r["machine"]
    sig, floor = r["signals"], r["floor"]
    check, final = r["signals_check"], r["final_check"]
    kill = r.get("kill")
    lines = [
        f"## Vinden: {a.signals:,} signals from {a.clients} clients (PostgreSQL)",
        "",
        "Target (product issue): on PostgreSQL, 200 concurrent clients submit 20,000 signals through the API, a "
        "tenth of them retried with the same idempotency key: every signal that received a 201 exists exactly once, "
        "none exists twice, and p95 latency is ≤ 100 ms. Killing the server in the middle leaves no half-stored "
        "signal.",
        "",
        "`benchmarks/vinden_signals_load.py` makes a fresh PostgreSQL database, loads the demo (`samen migrate`, "
        f"`samen demo`, `samen apikey PostNL` and {a.keys} keys more) and starts `samen serve`. It then drives "
        f"`POST /api/v1/signals/` from {a.clients} keep-alive connections (one asyncio loop, a minimal HTTP/1.1 "
        "client). Every signal has its own `Idempotency-Key`. A tenth of the keys is sent twice: half of those at "
        "the same moment from another client, half after the first answer. Bodies: 10% without an address, 40% a "
        "demo postcode only, 50% a postcode with a house number in range. Latency is measured from sending the "
        "request to the last byte of the answer; in the paced (open-loop) rows it is measured from the scheduled "
        "arrival instead. The floor is `GET /healthz` (one query, the same middleware) on the same server with "
        "the same clients. 'In worker' is gunicorn's own request time from the access log: the rest of the "
        "latency is queueing for a worker thread and the GIL. Exactly-once is checked in PostgreSQL. Each "
        "description carries the run id and its key, so every row can be traced to its requests. The signals are "
        f"spread over {a.keys} API keys of PostNL (a retry uses the key of its first send): the API limits each key "
        "to 600 requests a minute, wherever they come from (see the probe below).",
        "",
        "Reproduce: `" + " ".join([".venv/bin/python benchmarks/vinden_signals_load.py", r["argv"]]).strip() + "`",
        "",
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['mem_mib'] / 1024:.0f} GiB memory, Linux {m['kernel']}. "
        f"Python {m['python']}, Django {m['django']}, gunicorn {m['gunicorn']}, psycopg {m['psycopg']}, "
        f"PostgreSQL {r['pg']} on the same machine. Date: {r['date']}. Load average before the run: "
        f"{r['load_before']}, after: {r['load_after']}. Other engineers' test runs may have shared the machine. The "
        "load generator runs on the same 2 cores "
        f"({sig['client_cpu'] / max(1, sig['requests']) * 1e6:.0f} µs of client CPU per signal request).",
        "",
        f"Server: `samen serve --workers {a.workers} --threads {a.threads}` (gunicorn gthread). Django: "
        "`ATOMIC_REQUESTS` (the signals API is exempt: its services open their own transactions), `CONN_MAX_AGE=60` "
        "with health checks. The intake writes its e-mails to the outbox; nothing is mailed in the request.",
        "",
    ]
    if r.get("sweep"):
        lines += [f"Worker count: all configurations run side by side (idle when not measured) and are measured in "
                  f"turns, {a.sweep_rounds} rounds, so that other load on the shared machine falls on all of them "
                  f"alike. Each round: {a.sweep_signals // a.sweep_rounds:,} signals closed loop ({a.clients} "
                  f"clients), then {a.sweep_rate}/s open loop for {a.sweep_seconds:.0f} s. Percentiles over all "
                  "rounds; the open-loop p95 of each round in brackets. The main run uses "
                  f"{a.workers} workers × {a.threads} threads: the best open-loop p95 (throughput decides within "
                  "10%).", "", HEAD]
        for s in r["sweep"]:
            how = f"`samen serve --workers {s['workers']} --threads {s['threads']}`"
            rounds = ", ".join(fmt_ms(x) for x in s["paced"]["round_p95"])
            lines += [_row(f"{how}, closed loop", s), _row(f"{how}, {a.sweep_rate}/s open loop ({rounds})", s["paced"])]
        lines += [""]
    lines += [f"Closed loop: {a.clients} clients, each sends its next request as soon as it has an answer "
              f"({a.workers} workers × {a.threads} threads):", "", HEAD, _row("floor: `GET /healthz`", floor),
              _row("`POST /api/v1/signals/`", sig), ""]
    if sig.get("slices"):
        lines += ["The signals phase in five equal stretches of time (does the cost drift as the tables grow?):", "",
                  "| stretch | answers | throughput | p95 | CPU per answer: gunicorn + PostgreSQL |",
                  "| --- | --- | --- | --- | --- |"]
        lines += [f"| {x['from']:.0f}-{x['to']:.0f} s | {x['answers']:,} | {x['throughput']:,.0f}/s | "
                  f"{fmt_ms(x['p95'])} | {x['server_cpu_ms']:.1f} + {x['pg_cpu_ms']:.1f} ms |" for x in sig["slices"]]
        lines += [""]
    little = a.clients / sig["throughput"] * 1000 if sig["throughput"] else float("nan")
    lines += [f"With {a.clients} clients sending back-to-back, the latency is set by the throughput (Little's law: "
              f"{a.clients} / {sig['throughput']:,.0f} per s = {fmt_ms(little)} mean; measured mean "
              f"{fmt_ms(sig['mean'])}). A p95 of 100 ms with {a.clients} clients sending back-to-back needs about "
              f"{a.clients / 0.1:,.0f} answers a second. Even the floor reaches {floor['throughput']:,.0f}/s "
              "on this machine.", ""]
    if r.get("paced"):
        lines += [f"Paced (open loop): Poisson arrivals at fixed rates for {a.paced_seconds:.0f} s each, "
                  f"{a.clients} connections, latency from the scheduled arrival:", "", HEAD]
        for s in r["paced"]:
            lines.append(_row(f"{s['rate']}/s signals", s))
            lines.append(_row(f"{s['rate']}/s floor `GET /healthz`", s["floor"]))
        lines += [""]
    lines += ["Exactly-once (database, after the closed-loop phase; counts of keys and rows):", "",
              "| check | result |", "| --- | --- |",
              f"| keys sent / keys answered 201 | {check.get('keys', 0):,} / {check.get('keys_201', 0):,} |",
              f"| keys with exactly one signal, the id of their 201 | {check.get('exactly_once', 0):,} |",
              f"| signals stored twice or more / confirmed but missing | {check.get('stored_twice_or_more', 0)} / "
              f"{check.get('confirmed_but_missing', 0)} |",
              f"| retried keys / answered with the same id / created twice | {check.get('replayed_keys', 0):,} / "
              f"{check.get('replays_same_id', 0):,} / {check.get('replays_created_twice', 0)} |",
              f"| signals / idempotency records with these keys | {check.get('rows', 0):,} / "
              f"{check.get('idempotency_records_of_keys', 0):,} |",
              f"| duplicate (scope, key) / signals with two records | {check.get('idempotency_duplicates', 0)} / "
              f"{check.get('signals_with_two_idempotency_records', 0)} |",
              f"| signals without intake event / with postcode but no resident | "
              f"{check.get('rows_without_one_intake_event', 0)} / "
              f"{check.get('rows_with_postcode_without_resident', 0)} |",
              f"| whole run ({final.get('keys', 0):,} keys, every phase) | "
              f"{'all checks pass' if final['ok'] else 'FAILED: ' + json.dumps(final)} |", ""]
    if kill:
        after, retry = kill["check_after_kill"], kill["check_after_retry"]
        half = sum(after.get(n, 0) for n in ("rows_without_one_intake_event", "rows_without_their_idempotency_record",
                                              "rows_with_postcode_without_resident", "orphan_residents",
                                              "signals_without_intake_event",
                                              "access_log_entries_minus_signals_with_resident"))
        lines += [f"Kill test: on a fresh server, {a.kill_signals:,} signals from {a.clients} clients; after "
                  f"{int(a.kill_signals * a.kill_fraction):,} answers the server's process group "
                  f"({kill['processes_killed']} processes) got SIGKILL "
                  f"({kill['in_flight_at_kill']} requests in flight). Database sessions left over: "
                  f"{kill['sessions_left']}.", "",
                  "| check | result |", "| --- | --- |",
                  f"| answered 201 before the kill | {kill['statuses'].get(201, 0):,} |",
                  f"| unanswered (sent and cut off / never sent) | {kill['sent_unanswered']:,} / "
                  f"{kill['unanswered'].get('not_sent', 0):,} |",
                  f"| stored although the answer was lost (committed before the kill) | "
                  f"{after.get('stored_without_201', 0)} |",
                  f"| half-stored signals (no intake event, idempotency record, resident, or access-log entry; "
                  f"residents without a signal) | {half} |",
                  f"| retry after restart: 201 / created / replayed (expected replayed) | "
                  f"{kill['retry']['statuses'].get(201, 0):,} / {kill['retry_created']:,} / "
                  f"{kill['retry_replayed']:,} ({kill['retry_replayed_expected']:,}) |",
                  f"| replay of {kill['sample']} answered keys: same id | {kill['sample_same_id']} |",
                  f"| every key exactly once after the retries | "
                  f"{'yes' if retry['ok'] else 'NO: ' + json.dumps(retry)} |", ""]
    if r.get("throttle"):
        t = r["throttle"]
        lines += [f"Throttle probe: {PROBE_SIGNALS} signals in a row with one fresh key, from a new address every 50: "
                  f"{_statuses(t)}. The machine channel is limited per API key (`ApiKeyRateThrottle`, 600/minute, "
                  f"keyed by the key's prefix), not per address. Cache backend: `{r.get('cache', '?')}`.", ""]
    if r.get("outbox"):
        o = r["outbox"]
        lines += [f"Outbox: the run left {o['waiting']:,} e-mails for {o['signals']:,} signals; one "
                  f"`samen send_notifications` (console backend to /dev/null) sent them in {o['seconds']:.1f} s "
                  f"({o['waiting'] / max(o['seconds'], 1e-9):,.0f}/s), {o['left']} left.", ""]
    kill_ok = bool(kill) and kill["check_after_retry"]["ok"] and kill["check_after_kill"]["ok"]
    lines += ["Targets:", "", "| target | result |", "| --- | --- |",
              f"| every 201 exists exactly once, none twice | {_yes(check['ok'] and final['ok'])}: "
              f"{check.get('exactly_once', 0):,} of {check.get('keys_201', 0):,} keys; whole run "
              f"{'clean' if final['ok'] else 'not clean'} |",
              f"| p95 ≤ 100 ms, {a.clients} clients back-to-back | {_yes(sig['p95'] <= 100)}: p95 "
              f"{fmt_ms(sig['p95'])} at {sig['throughput']:,.0f} signals/s (floor `/healthz`: "
              f"{fmt_ms(floor['p95'])}) |"]
    for s in r.get("paced", []):
        lines.append(f"| p95 ≤ 100 ms at {s['rate']}/s (open loop) | {_yes(s['p95'] <= 100)}: p95 "
                     f"{fmt_ms(s['p95'])} (floor {fmt_ms(s['floor']['p95'])}) |")
    if kill:
        lines.append(f"| kill leaves no half-stored signal; retries store each once | {_yes(kill_ok)} |")
    lines.append(f"| throughput (recorded) | {sig['throughput']:,.0f} signals/s closed loop; floor "
                 f"{floor['throughput']:,.0f}/s |")
    return "\n".join(lines) + "\n"


def _sweep(value: str) -> list[tuple[int, int]]:
    out = []
    for item in value.split(","):
        if item.strip():
            workers, _, threads = item.strip().partition("x")
            out.append((int(workers), int(threads or 4)))
    return out


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--signals", type=int, default=20_000)
    p.add_argument("--clients", type=int, default=200)
    p.add_argument("--keys", type=int, default=200, help="API keys to spread the signals over (default: one per "
                                                          "client of the default 200)")
    p.add_argument("--workers", type=int, default=0,
                   help="gunicorn workers for the main run; 0: the sweep's best open-loop p95 (4 without sweep)")
    p.add_argument("--threads", type=int, default=4, help="threads per worker for the main run (with --workers)")
    p.add_argument("--replay-fraction", type=float, default=0.1)
    p.add_argument("--floor-requests", type=int, default=0, help="GET /healthz requests (default: --signals)")
    p.add_argument("--sweep", type=_sweep, default=_sweep("2x4,3x4,4x4,4x2"),
                   help="configurations to compare first: WxT runs `samen serve --workers W --threads T` (W alone: "
                        "4 threads; default 2x4,3x4,4x4,4x2; '' skips)")
    p.add_argument("--sweep-signals", type=int, default=1800, help="closed-loop signals per configuration (all rounds)")
    p.add_argument("--sweep-rate", type=int, default=20, help="open-loop rate (signals/s) of the sweep")
    p.add_argument("--sweep-seconds", type=float, default=10.0, help="open-loop seconds per configuration and round")
    p.add_argument("--sweep-rounds", type=int, default=3)
    p.add_argument("--paced-rates", type=lambda v: [int(x) for x in v.split(",") if x], default=None,
                   help="open-loop rates (signals/s); default 10, 25 and 50%% of the closed-loop throughput")
    p.add_argument("--paced-seconds", type=float, default=20.0)
    p.add_argument("--kill-signals", type=int, default=2000, help="0 skips the kill test")
    p.add_argument("--kill-fraction", type=float, default=0.5)
    p.add_argument("--no-throttle-probe", action="store_true")
    p.add_argument("--seed", type=int, default=402)
    p.add_argument("--phase-timeout", type=float, default=1800.0)
    p.add_argument("--command-timeout", type=float, default=900.0)
    p.add_argument("--keep-db", action="store_true", help="do not drop the database at the end")
    p.add_argument("--no-append", action="store_true", help="print the section, do not append it to RESULTS.md")
    args = p.parse_args(argv)
    if not (0 < args.clients <= 5000 and 0 < args.signals <= 1_000_000 and 0 <= args.replay_fraction <= 1):
        p.error("out of range: 1-5000 clients, 1-1,000,000 signals, replay fraction 0-1")
    if not (1 <= args.sweep_rounds <= 20 and len(args.sweep) <= 8):
        p.error("out of range: 1-20 sweep rounds, at most 8 sweep configurations")
    if any(not 1 <= w <= 32 or not 1 <= t <= 64 for w, t in args.sweep) or not 0 <= args.workers <= 32:
        p.error("workers: 1-32")
    if not (1 <= args.threads <= 64 and 1 <= args.keys <= 5000):
        p.error("threads: 1-64, keys: 1-5000")
    return args


def run_to_the_end(bench, interrupted: str) -> int:
    """Run a benchmark; on Ctrl+C or SIGTERM say so and still clean up (server, database)."""

    def terminate(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    try:
        bench.run()
    except KeyboardInterrupt:
        print(f"interrupted: {interrupted}", file=sys.stderr)
        return 130
    finally:
        bench.cleanup()
    return 0


def main(argv=None) -> int:
    return run_to_the_end(Bench(parse_args(argv)), "stopping the server and dropping the database")


if __name__ == "__main__":
    sys.exit(main())
