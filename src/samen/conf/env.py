"""The one documented list of environment settings (12-factor).

Every setting Samen reads from the environment is declared here, with its group, default and
help text. ``docs/settings.md`` is generated from this list (``samen settings_doc``) and a test
keeps the two in step. Per-municipality configuration (deadlines, suppression minimum, ...) is
not here: it lives in the database, editable by the beheerder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on", "ja"}
FALSE = {"0", "false", "no", "off", "nee", ""}


@dataclass(frozen=True)
class Setting:
    name: str
    group: str
    help: str
    default: str | None = None
    required_in_production: bool = False
    kind: str = "str"  # str, bool, int, list


SETTINGS: tuple[Setting, ...] = (
    Setting("SAMEN_ENV", "Algemeen", "`development` (default) or `production`. Production mode refuses "
            "unsafe settings and requires the ones marked required.", "development"),
    Setting("SECRET_KEY", "Algemeen", "Django's secret key: 50+ random characters. A fixed development key "
            "is used outside production.", None, required_in_production=True),
    Setting("ALLOWED_HOSTS", "Algemeen", "Comma-separated host names the site answers to.",
            "127.0.0.1,localhost", required_in_production=True, kind="list"),
    Setting("CSRF_TRUSTED_ORIGINS", "Algemeen", "Comma-separated origins (https://samen.example.nl) "
            "trusted for form posts behind a proxy.", "", kind="list"),
    Setting("DATABASE_URL", "Database", "Database URL. Default: an embedded SQLite file in SAMEN_DATA_DIR. "
            "PostgreSQL: `postgres://USER:PASSWORD@HOST:5432/NAME`.", None, required_in_production=True),
    Setting("SAMEN_DATA_DIR", "Database", "Folder for the SQLite database, collected static files "
            "and uploads.", "var"),
    Setting("SAMEN_REQUIRE_2FA", "Beveiliging", "Require a second factor (TOTP) for everyone who can see "
            "personal data. Only the local demo may switch it off; production refuses `false`.", "true",
            kind="bool"),
    Setting("SAMEN_SESSION_IDLE_MINUTES", "Beveiliging", "A session ends after this many minutes "
            "without a request.", "30", kind="int"),
    Setting("SAMEN_LOGIN_FAILURE_LIMIT", "Beveiliging", "Failed logins (per user name and address) "
            "before the account is locked.", "5", kind="int"),
    Setting("SAMEN_LOCKOUT_MINUTES", "Beveiliging", "How long a lock after too many failed logins "
            "lasts.", "30", kind="int"),
    Setting("SAMEN_API_TOKEN_HOURS", "Beveiliging", "Lifetime of an API token made by `samen token`.",
            "720", kind="int"),
    Setting("SAMEN_TRUSTED_PROXIES", "Beveiliging", "How many reverse proxies (load balancer, web server) "
            "stand in front of Samen and add the client's address to X-Forwarded-For. 0: the connection's own "
            "address counts, and X-Forwarded-For is ignored (anyone could send one). Used for the login "
            "lockout and the rate limits of the API and the public forms.", "0", kind="int"),
    Setting("SAMEN_PUBLIC_URL", "Algemeen", "The public address of Samen (`https://samen.example.nl`), without "
            "a path: the links in Samen's e-mails start with it.", "http://127.0.0.1:8000",
            required_in_production=True),
    Setting("EMAIL_URL", "E-mail", "`smtp://user:password@host:587` (or `smtps://...:465`) for outgoing mail; "
            "`file:///path/to/folder` writes each message to a file there (a test or a trial); empty prints mail "
            "to the console (development). Mail is sent by the `outbox` job (`samen jobs run`), never from a "
            "request.", ""),
    Setting("DEFAULT_FROM_EMAIL", "E-mail", "Sender address of Samen's e-mails.", "samen@localhost"),
    Setting("SAMEN_LOG_LEVEL", "Beheer", "Log level of the application log (never holds personal data).",
            "INFO"),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def _raw(name: str) -> str | None:
    if name not in _BY_NAME:
        raise KeyError(f"{name} is not a declared Samen setting (add it to samen/conf/env.py)")
    value = os.environ.get(name)
    return value if value is not None else _BY_NAME[name].default


def is_production() -> bool:
    value = (_raw("SAMEN_ENV") or "").strip().lower()
    if value not in {"development", "production"}:
        raise ImproperlyConfigured(f"SAMEN_ENV must be 'development' or 'production', not {value!r}.")
    return value == "production"


def get_str(name: str) -> str | None:
    value = _raw(name)
    if is_production() and _BY_NAME[name].required_in_production:
        value = os.environ.get(name)  # a development default never stands in for a required setting
    if is_production() and _BY_NAME[name].required_in_production and not (value or "").strip():
        raise ImproperlyConfigured(
            f"{name} is required in production mode (SAMEN_ENV=production). See docs/settings.md."
        )
    return value


def get_bool(name: str) -> bool:
    value = (get_str(name) or "").strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def get_int(name: str, minimum: int = 1) -> int:
    value = (get_str(name) or "").strip()
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def get_list(name: str) -> list[str]:
    return [part.strip() for part in (get_str(name) or "").split(",") if part.strip()]


def markdown_table() -> str:
    """The settings as the Markdown document in docs/settings.md."""
    lines = [
        "# Settings",
        "",
        "Samen reads these settings from the environment and nothing else (generated from "
        "`src/samen/conf/env.py` by `samen settings_doc`; do not edit by hand).",
        "",
    ]
    for group in dict.fromkeys(s.group for s in SETTINGS):
        lines += [f"## {group}", "", "| name | default | required in production | what |", "|---|---|---|---|"]
        for s in (s for s in SETTINGS if s.group == group):
            default = f"`{s.default}`" if s.default not in (None, "") else "—"
            lines.append(f"| `{s.name}` | {default} | {'yes' if s.required_in_production else 'no'} | {s.help} |")
        lines.append("")
    return "\n".join(lines)
