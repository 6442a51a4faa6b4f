#!/usr/bin/env bash
# README command 2: install everything (Chromium for the browser tests included) and run the whole
# test suite: lint, migration check, then pytest on SQLite and on PostgreSQL.
# PostgreSQL is expected on 127.0.0.1:5432 (user postgres, trust auth; override with
# SAMEN_TEST_POSTGRES_URL). Under CI=true an unreachable PostgreSQL fails the run; elsewhere that
# run is skipped with a warning.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --browser --test

export SAMEN_DATA_DIR="${SAMEN_DATA_DIR:-$(mktemp -d)}"
export DJANGO_ALLOW_ASYNC_UNSAFE=true  # Playwright's sync API runs an event loop beside the ORM in tests
unset DATABASE_URL SAMEN_ENV SECRET_KEY

echo "==> ruff"
.venv/bin/ruff check .
echo "==> migrations are up to date"
.venv/bin/samen makemigrations --check --dry-run -v1

echo "==> tests on SQLite"
.venv/bin/pytest "$@"

PG_URL="${SAMEN_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/samen}"
if .venv/bin/python -c "
import sys, psycopg, dj_database_url
c = dj_database_url.parse(sys.argv[1])
psycopg.connect(host=c['HOST'], port=c['PORT'] or 5432, user=c['USER'], password=c['PASSWORD'] or None,
                dbname='postgres', connect_timeout=5).close()" "$PG_URL" 2>/dev/null; then
  echo "==> tests on PostgreSQL"
  DATABASE_URL="$PG_URL" .venv/bin/pytest --create-db "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL at $PG_URL is not reachable; under CI=true that fails the run." >&2
  exit 1
else
  echo "WARNING: PostgreSQL at $PG_URL is not reachable: the PostgreSQL run was skipped." >&2
fi
