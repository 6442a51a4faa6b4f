"""Serve Samen with gunicorn (a production-grade WSGI server); whitenoise serves the static files.

Gunicorn's settings, from weakest to strongest: Samen's defaults below, then ``GUNICORN_CMD_ARGS`` (any
gunicorn option, e.g. ``GUNICORN_CMD_ARGS="--threads 8 --timeout 120"``), then this command's own options
(``--host``, ``--port``, ``--workers``, ``--threads``).

Gunicorn's control socket (``gunicornc``, since gunicorn 25) is off: its default path is one per user
(``$XDG_RUNTIME_DIR/gunicorn.ctl``), so a second ``samen serve`` on the same host would take it over from the
first. Samen does not use it; ``GUNICORN_CMD_ARGS="--control-socket PATH"`` gives an instance its own.
"""

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from gunicorn.app.base import BaseApplication

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000
DEFAULT_THREADS = 4


def default_workers() -> int:
    """Two per core, at least 2 and at most 4: 4 on the usual 2-core machine. A request is mostly Python (one
    core per process at a time, the GIL) and partly waiting for the database, which the threads cover."""
    return max(2, min(4, 2 * (os.cpu_count() or 1)))


def gunicorn_defaults() -> dict:
    return {
        "bind": [f"{DEFAULT_HOST}:{DEFAULT_PORT}"],
        "workers": default_workers(),
        "threads": DEFAULT_THREADS,
        "worker_class": "gthread",
        "accesslog": "-",
        "access_log_format": '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms',  # path without query: no personal data
        "timeout": 60,
        "forwarded_allow_ips": "127.0.0.1",
        "control_socket_disable": True,  # several instances on one host (see the module's docstring)
    }


class _Gunicorn(BaseApplication):
    def __init__(self, defaults: dict, explicit: dict):
        self.defaults, self.explicit, self.env_error = defaults, explicit, False
        super().__init__()
        if self.env_error:
            raise CommandError("GUNICORN_CMD_ARGS holds an option gunicorn does not know (see above).")

    def load_config(self):
        for key, value in self.defaults.items():
            self.cfg.set(key, value)
        parser = self.cfg.parser()
        try:
            from_env = parser.parse_args(self.cfg.get_cmd_args_from_env())
        except SystemExit:  # argparse has printed what is wrong; BaseApplication would exit without a word
            self.env_error = True
            return
        for key, value in vars(from_env).items():
            if value is not None and key not in ("args", "config"):
                self.cfg.set(key.lower(), value)
        if "--control-socket" in self.cfg.get_cmd_args_from_env():  # asked for a socket of its own
            self.cfg.set("control_socket_disable", False)
        for key, value in self.explicit.items():
            self.cfg.set(key, value)

    def load(self):
        # Imported here, after collectstatic: whitenoise indexes the static files when the app is built.
        from samen.wsgi import application

        return application


def build(host=None, port=None, workers=None, threads=None) -> _Gunicorn:
    """The gunicorn application with its settings resolved (defaults < GUNICORN_CMD_ARGS < options)."""
    explicit = {}
    if host is not None or port is not None:
        explicit["bind"] = [f"{host or DEFAULT_HOST}:{port or DEFAULT_PORT}"]
    if workers is not None:
        explicit["workers"] = workers
    if threads is not None:
        explicit["threads"] = threads
    return _Gunicorn(gunicorn_defaults(), explicit)


def _positive(value: str) -> int:
    import argparse

    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


class Command(BaseCommand):
    help = ("Serve the application with gunicorn on --host:--port (static files included). Other gunicorn "
            "options: GUNICORN_CMD_ARGS.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default=None, help=f"default {DEFAULT_HOST}")
        parser.add_argument("--port", type=int, default=None, help=f"default {DEFAULT_PORT}")
        parser.add_argument("--workers", type=_positive, default=None,
                            help=f"gunicorn worker processes (default {default_workers()} here: 2 per core, 2-4)")
        parser.add_argument("--threads", type=_positive, default=None,
                            help=f"threads per worker (default {DEFAULT_THREADS})")

    def handle(self, *args, host, port, workers, threads, **options):
        app = build(host, port, workers, threads)
        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
        call_command("collectstatic", interactive=False, verbosity=0)
        address = app.cfg.bind[0]
        self.stdout.write(f"Samen serves on http://{address}/ with {app.cfg.workers} workers × {app.cfg.threads} "
                          "threads (stop with Ctrl+C)")
        app.run()
