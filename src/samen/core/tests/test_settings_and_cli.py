"""Configuration from the environment: clear one-line errors, a production mode that passes
`check --deploy`, and the `samen` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from knox.auth import TokenAuthentication

from samen.conf import env
from samen.core.models import Organisation, PostcodeRange, User, Wijk
from samen.core.services.demo import load_demo

REPO = Path(__file__).resolve().parents[4]
SAMEN = str(Path(sys.executable).parent / "samen")
PRODUCTION = {
    "SAMEN_ENV": "production",
    "SECRET_KEY": "x" * 20 + "production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "samen.example.nl",
    "SAMEN_PUBLIC_URL": "https://samen.example.nl",
}


def run_samen(*args, **environment):
    cleared = {"DATABASE_URL", "SAMEN_ENV", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in cleared}
    return subprocess.run([SAMEN, *args], capture_output=True, text=True, env={**base, **environment},
                          cwd=REPO, timeout=120)


def test_a_malformed_database_url_gives_one_clear_message():
    result = run_samen("check", DATABASE_URL="postgres//oops")
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unknown_database_scheme_is_refused_clearly():
    result = run_samen("check", DATABASE_URL="mysql://root@127.0.0.1/samen")
    assert result.returncode == 2
    assert "DATABASE_URL must point to PostgreSQL" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_mode_names_a_missing_setting():
    settings = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run_samen("check", **settings, DATABASE_URL="sqlite:////tmp/samen-prod-check.sqlite3")
    assert result.returncode == 2
    assert "SECRET_KEY is required in production mode" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_mode_refuses_to_start_without_second_factor():
    result = run_samen("check", **PRODUCTION, DATABASE_URL="sqlite:////tmp/samen-prod-check.sqlite3",
                       SAMEN_REQUIRE_2FA="false")
    assert result.returncode == 2
    assert "SAMEN_REQUIRE_2FA=false" in result.stderr


def test_production_mode_passes_the_deploy_check_without_warnings():
    result = run_samen("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION,
                       DATABASE_URL="sqlite:////tmp/samen-prod-check.sqlite3")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_unreachable_database_gives_a_clear_message():
    result = run_samen("migrate", DATABASE_URL="postgres://postgres@127.0.0.1:1/samen")
    assert result.returncode == 2
    assert "database cannot be reached" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_number_setting_is_named(monkeypatch):
    monkeypatch.setenv("SAMEN_SESSION_IDLE_MINUTES", "half an hour")
    with pytest.raises(Exception, match="SAMEN_SESSION_IDLE_MINUTES must be a whole number"):
        env.get_int("SAMEN_SESSION_IDLE_MINUTES")


def test_the_settings_document_matches_the_declared_settings():
    documented = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    assert documented.strip() == env.markdown_table().strip(), "run: samen settings_doc"


def test_an_undeclared_setting_cannot_be_read():
    with pytest.raises(KeyError):
        env.get_str("SOMETHING_NOBODY_DECLARED")


@pytest.mark.django_db
def test_demo_loads_idempotently(hilversum):
    counts = (Wijk.objects.count(), Organisation.objects.count(), PostcodeRange.objects.count(),
              User.objects.count())
    load_demo()
    assert (Wijk.objects.count(), Organisation.objects.count(), PostcodeRange.objects.count(),
            User.objects.count()) == counts
    assert Wijk.objects.filter(gemeente=hilversum).count() == 9


@pytest.mark.django_db
def test_token_command_prints_a_working_api_token(hilversum, capsys):
    call_command("token", "regisseur")
    token = capsys.readouterr().out.strip()
    user, _auth = TokenAuthentication().authenticate_credentials(token.encode())
    assert user.username == "regisseur"


@pytest.mark.django_db
def test_token_command_refuses_an_unknown_user(hilversum):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no active user 'nobody'"):
        call_command("token", "nobody")


def test_any_django_command_passes_through():
    result = run_samen("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr


def test_production_mode_requires_allowed_hosts_despite_the_development_default():
    settings = {k: v for k, v in PRODUCTION.items() if k != "ALLOWED_HOSTS"}
    result = run_samen("check", **settings, DATABASE_URL="sqlite:////tmp/samen-prod-check.sqlite3")
    assert result.returncode == 2
    assert "ALLOWED_HOSTS is required in production mode" in result.stderr


def test_the_demo_refuses_to_run_in_production():
    result = run_samen("demo", **PRODUCTION, DATABASE_URL="sqlite:////tmp/samen-prod-check.sqlite3")
    assert result.returncode != 0
    assert "refuses to run in production mode" in result.stderr
