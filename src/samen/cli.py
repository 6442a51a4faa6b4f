"""The `samen` command: Samen's own commands (serve, demo, token, ...) and every Django management
command passed through (`samen migrate`, `samen makemigrations --check`, ...).

A configuration error is printed as one clear line, not a traceback.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samen.conf.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["samen", *argv[1:]])
    except ImproperlyConfigured as exc:
        print(f"samen: configuration error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        from django.db.utils import OperationalError

        if isinstance(exc, OperationalError):
            print(f"samen: the database cannot be reached: {str(exc).strip()}", file=sys.stderr)
            return 2
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
