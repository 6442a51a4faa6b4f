"""`samen serve` runs gunicorn (not runserver) and serves the static files itself."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samen.core.management.commands import serve
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
    environment["GUNICORN_CMD_ARGS"] = "--threads 3 --timeout 90"
    server = subprocess.Popen([SAMEN, "serve", "--port", str(port), "--workers", "1", "--threads", "2"],
                              env=environment,
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
        _status, _headers, page = _get(f"http://127.0.0.1:{port}/inloggen/")
        stylesheet = page.decode().split('href="/static/vendor/utrecht/')[1].split('"')[0]
        css_status, css_headers, css = _get(f"http://127.0.0.1:{port}/static/vendor/utrecht/{stylesheet}")
        assert css_status == 200 and b".utrecht-button" in css
        assert "max-age" in css_headers.get("Cache-Control", "")
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/ with 1 workers × 2 threads" in output, output


@pytest.fixture
def no_gunicorn_env(monkeypatch):
    monkeypatch.delenv("GUNICORN_CMD_ARGS", raising=False)
    return monkeypatch


def test_the_defaults_suit_a_small_machine(no_gunicorn_env):
    no_gunicorn_env.setattr(serve.os, "cpu_count", lambda: 2)
    cfg = serve.build().cfg
    assert (cfg.workers, cfg.threads, cfg.worker_class_str) == (4, serve.DEFAULT_THREADS, "gthread")
    assert cfg.bind == ["127.0.0.1:8000"] and cfg.accesslog == "-" and cfg.timeout == 60
    no_gunicorn_env.setattr(serve.os, "cpu_count", lambda: 1)
    assert serve.build().cfg.workers == 2
    no_gunicorn_env.setattr(serve.os, "cpu_count", lambda: 16)
    assert serve.build().cfg.workers == 4


def test_several_instances_on_one_host_share_no_control_socket(no_gunicorn_env):
    assert serve.build().cfg.control_socket_disable is True
    no_gunicorn_env.setenv("GUNICORN_CMD_ARGS", "--control-socket /run/samen/a.ctl")
    cfg = serve.build().cfg
    assert cfg.control_socket == "/run/samen/a.ctl" and cfg.control_socket_disable is False


def test_gunicorn_cmd_args_is_honoured(no_gunicorn_env):
    no_gunicorn_env.setenv("GUNICORN_CMD_ARGS", "--threads 8 --workers 3 --timeout 120 --bind 0.0.0.0:9000")
    cfg = serve.build().cfg
    assert (cfg.workers, cfg.threads, cfg.timeout, cfg.bind) == (3, 8, 120, ["0.0.0.0:9000"])
    assert cfg.worker_class_str == "gthread" and cfg.accesslog == "-"  # Samen's other settings stay


def test_the_commands_own_options_win(no_gunicorn_env):
    no_gunicorn_env.setenv("GUNICORN_CMD_ARGS", "--threads 8 --workers 3")
    cfg = serve.build(host="0.0.0.0", workers=2, threads=1).cfg
    assert (cfg.workers, cfg.threads, cfg.bind) == (2, 1, ["0.0.0.0:8000"])
    assert serve.build(port=8123).cfg.bind == ["127.0.0.1:8123"]


def test_a_wrong_gunicorn_cmd_args_is_one_clear_error(no_gunicorn_env, capsys):
    no_gunicorn_env.setenv("GUNICORN_CMD_ARGS", "--no-such-option")
    with pytest.raises(CommandError, match="GUNICORN_CMD_ARGS"):
        serve.build()


def test_the_command_passes_threads_and_workers_on(no_gunicorn_env, capsys):
    ran = []
    no_gunicorn_env.setattr(serve, "call_command", lambda *args, **kwargs: None)  # no collectstatic
    no_gunicorn_env.setattr(serve._Gunicorn, "run", lambda app: ran.append(app.cfg))
    call_command("serve", "--workers", "3", "--threads", "2", "--port", "8765")
    assert (ran[0].workers, ran[0].threads, ran[0].bind) == (3, 2, ["127.0.0.1:8765"])
    assert "http://127.0.0.1:8765/ with 3 workers × 2 threads" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("serve", "--threads", "0")
