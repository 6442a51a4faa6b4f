#!/usr/bin/env bash
# Installs everything Samen needs on a fresh Debian machine, idempotently:
#   - system packages (apt-get) that are missing: Pango for WeasyPrint PDFs, and
#     with --browser the Debian Chromium for the browser tests;
#   - a Python 3.11 virtual environment in .venv with Samen and the locked versions of its
#     dependencies (requirements.lock, runtime and test tools, with hashes);
#   - the front-end packages (NL Design System CSS, htmx, axe-core) from the npm registry.
# Usage: scripts/bootstrap.sh [--browser] [--test]
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
want_test=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    --test) want_test=1 ;;
    *) echo "bootstrap: unknown option $arg" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# --- system packages -------------------------------------------------------
need_pkgs=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core gettext; do
  have_pkg "$pkg" || need_pkgs+=("$pkg")
done
if [ "$want_browser" = 1 ]; then
  for pkg in chromium fonts-liberation poppler-utils; do
    have_pkg "$pkg" || need_pkgs+=("$pkg")
  done
fi
command -v node >/dev/null 2>&1 || need_pkgs+=(nodejs npm)
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  say "Installing system packages: ${need_pkgs[*]}"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}"
fi

# --- Python ----------------------------------------------------------------
PY="${SAMEN_PYTHON:-}"
if [ -z "$PY" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && \
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' 2>/dev/null; then
      PY="$candidate"; break
    fi
  done
fi
if [ -z "$PY" ]; then
  echo "bootstrap: Samen needs Python 3.11 (set SAMEN_PYTHON to its path)." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  say "Creating the virtual environment .venv"
  "$PY" -m venv .venv
fi
extras=""
[ "$want_test" = 1 ] && extras="[test]"
stamp=".venv/.installed${extras}"
# The exact versions (with hashes) come from requirements.lock, made with pip-compile from pyproject.toml
# (see README, "Updating the lock file"); Samen itself is then installed on top without resolving again.
# A changed lock or pyproject.toml installs again.
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ requirements.lock -nt "$stamp" ]; then
  say "Installing Samen and its Python dependencies (requirements.lock)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q --require-hashes -r requirements.lock
  .venv/bin/python -m pip install -q --no-deps -e ".${extras}"
  touch "$stamp"
fi

# --- front-end packages ----------------------------------------------------
if [ ! -d frontend/node_modules ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
  say "Installing the front-end packages (NL Design System, htmx, axe-core)"
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
fi

# --- translations ------------------------------------------------------------
po=src/samen/locale/en/LC_MESSAGES/django.po
if [ -f "$po" ] && { [ ! -f "${po%.po}.mo" ] || [ "$po" -nt "${po%.po}.mo" ]; }; then
  say "Compiling the translations"
  (cd src/samen && SAMEN_DATA_DIR="${TMPDIR:-/tmp}/samen-compilemessages" ../../.venv/bin/samen compilemessages -v0)
fi
