#!/usr/bin/env bash
# README command 1: install everything, create and migrate the embedded SQLite database, load the
# Hilversum demo data and serve Samen on http://127.0.0.1:8000, printing the demo logins.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export SAMEN_REQUIRE_2FA="${SAMEN_REQUIRE_2FA:-false}"  # the local demo lets a newcomer log in at once
.venv/bin/samen migrate --noinput -v0
.venv/bin/samen demo
echo
echo "Open http://${SAMEN_HOST:-127.0.0.1}:${SAMEN_PORT:-8000}/inloggen/ and log in with one of the users above."
exec .venv/bin/samen serve --host "${SAMEN_HOST:-127.0.0.1}" --port "${SAMEN_PORT:-8000}"
