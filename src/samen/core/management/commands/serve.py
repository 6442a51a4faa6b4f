"""Serve Samen with gunicorn (a production-grade WSGI server); whitenoise serves the static files."""

import multiprocessing

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        # Imported here, after collectstatic: whitenoise indexes the static files when the app is built.
        from samen.wsgi import application

        return application


class Command(BaseCommand):
    help = "Serve the application with gunicorn on --host:--port (static files included)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=min(4, multiprocessing.cpu_count() * 2 + 1))

    def handle(self, *args, host, port, workers, **options):
        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Samen serves on http://{host}:{port}/ (stop with Ctrl+C)")
        _Gunicorn({
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": 4,
            "worker_class": "gthread",
            "accesslog": "-",
            "access_log_format": '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms',  # path without query: no personal data
            "timeout": 60,
            "forwarded_allow_ips": "127.0.0.1",
        }).run()
