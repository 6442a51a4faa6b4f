"""`samen serve` runs gunicorn (not runserver) and serves the static files itself."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request

from samen.core.tests.test_settings_and_cli import SAMEN, run_samen


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (a local test server)
        return response.status, dict(response.headers), response.read()


def test_serve_runs_gunicorn_with_static_files(tmp_path):
    data = {"SAMEN_DATA_DIR": str(tmp_path)}
    assert run_samen("migrate", "-v0", **data).returncode == 0
    port = _free_port()
    import os

    environment = {**os.environ, **data}
    environment.pop("DATABASE_URL", None)
    server = subprocess.Popen([SAMEN, "serve", "--port", str(port), "--workers", "1"], env=environment,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, headers, body = _get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError("samen serve did not start") from None
                time.sleep(0.3)
        assert status == 200 and b"ok" in body
        assert headers["Server"] == "gunicorn"
        _status, _headers, page = _get(f"http://127.0.0.1:{port}/")
        stylesheet = page.decode().split('href="/static/vendor/utrecht/')[1].split('"')[0]
        css_status, css_headers, css = _get(f"http://127.0.0.1:{port}/static/vendor/utrecht/{stylesheet}")
        assert css_status == 200 and b".utrecht-button" in css
        assert "max-age" in css_headers.get("Cache-Control", "")
    finally:
        server.terminate()
        server.wait(timeout=30)
