"""Two app servers on one PostgreSQL database (issue 10): `samen serve` twice, on ports of their own.

A change written once is seen by the other server's public search at once (the search index's database token),
the public form's limit counts the posts to both servers together (atomic counters in the database), and
`samen jobs run` started on both at the same moment sends each e-mail once and runs the nightly job once
(the outbox's claims and the jobs' leases). PostgreSQL only: SQLite is one file on one machine."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from samen.core import outbox
from samen.core.models import JobRun, OutboxMessage
from samen.core.tests.test_settings_and_cli import SAMEN

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="several servers share a PostgreSQL database"),
]

PORTS = (8120, 8121)


def _environment(tmp_path: Path) -> dict:
    settings = connection.settings_dict
    url = f"postgres://{settings['USER'] or 'postgres'}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    environment = {key: value for key, value in os.environ.items() if key not in ("GUNICORN_CMD_ARGS",)}
    (tmp_path / "mail").mkdir()
    environment.update({
        "DATABASE_URL": f"{url}/{settings['NAME']}",  # the test database, which this test commits into
        "SAMEN_DATA_DIR": str(tmp_path / "data"),
        "EMAIL_URL": f"file://{tmp_path / 'mail'}",
        "SAMEN_PUBLIC_URL": "https://samen.example.nl",
    })
    return environment


def _wait_until_up(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):  # noqa: S310
                return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise AssertionError(f"samen serve on {port} did not start") from None
            time.sleep(0.3)


@pytest.fixture
def servers(tmp_path, hilversum):
    environment = _environment(tmp_path)
    # Each server collects its static files into a folder of its own, as two hosts would (two collectstatic
    # runs into one folder race): the database is what they share.
    started = [subprocess.Popen([SAMEN, "serve", "--port", str(port), "--workers", "1", "--threads", "2"],
                                env={**environment, "SAMEN_DATA_DIR": str(tmp_path / f"data-{port}")},
                                stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
               for port in PORTS]
    try:
        for port, server in zip(PORTS, started, strict=True):
            _wait_until_up(port, server)
        yield environment
    finally:
        for server in started:
            server.terminate()
        for server in started:
            server.wait(30)


def _search(port: int, title: str) -> set[int]:
    query = urllib.parse.urlencode({"q": title, "page_size": 200})
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/activities/?{query}", timeout=30) as answer:  # noqa: S310
        return {item["id"] for item in json.load(answer)["results"]}


def _post_concern(port: int, number: int) -> int:
    """The public form as a browser fills it in: the page (for the CSRF cookie and token), then the post."""
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}/zorgen-om-iemand/"
    page = browser.open(base, timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "postcode": "1211BJ", "house_number": str(number),
                                   "description": "twee servers"}).encode()
    request = urllib.request.Request(base, data=data, headers={"Referer": base})  # noqa: S310
    try:
        return browser.open(request, timeout=30).status
    except urllib.error.HTTPError as refused:
        return refused.code


def test_two_servers_on_one_database(servers, hilversum, tmp_path):
    from samen.kwaliteit.models import Activity
    from samen.kwaliteit.services.catalogue import public_activities
    from samen.vinden.models import Signal

    a, b = PORTS
    # 1. a change written elsewhere is seen by both servers' search at once
    activity = public_activities(hilversum).order_by("pk").first()
    assert activity.pk in _search(a, activity.title) and activity.pk in _search(b, activity.title)
    Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.WITHDRAWN)
    assert activity.pk not in _search(b, activity.title) and activity.pk not in _search(a, activity.title)
    Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.PUBLISHED)
    assert activity.pk in _search(b, activity.title)

    # 2. the public form's five an hour per address count the posts to both servers together
    before = Signal.objects.count()
    statuses = [_post_concern(port, number) for number, port in enumerate((a, b, a, b, a, b, a), start=1)]
    assert statuses == [200] * 5 + [429] * 2
    assert Signal.objects.count() - before == 5

    # 3. `samen jobs run` on two machines at the same moment: each e-mail once, the nightly job once
    OutboxMessage.objects.filter(sent_at__isnull=True).update(next_attempt_at=None)  # the demo's, put aside
    for n in range(120):
        outbox.enqueue(kind="test.two_servers", subject=f"Twee servers {n}", body="b",
                       recipients=[f"iemand{n}@voorbeeld.invalid"])
    runs = [subprocess.Popen([SAMEN, "jobs", "run"], env=servers, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    for run in runs:
        _out, errors = run.communicate(timeout=300)
        assert run.returncode == 0, errors
    written = "".join(path.read_text() for path in (tmp_path / "mail").iterdir())
    subjects = re.findall(r"^Subject: (Twee servers \d+)$", written, flags=re.MULTILINE)
    assert len(subjects) == 120 and len(set(subjects)) == 120, "every e-mail once, none twice"
    assert not OutboxMessage.objects.filter(kind="test.two_servers", sent_at__isnull=True).exists()
    assert JobRun.objects.filter(job="catalogue_refresh").count() == 1, "the nightly job ran on one machine"
    assert set(JobRun.objects.filter(job="catalogue_refresh").values_list("ok", flat=True)) == {True}
