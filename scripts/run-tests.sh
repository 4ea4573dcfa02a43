#!/usr/bin/env bash
# The whole suite, as `make test` runs it. Under CI=true, a PostgreSQL server that cannot be
# reached or a Chromium that cannot start is a failure; elsewhere it is skipped, loudly.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
PY=$VENV/bin/python
export SECRET_KEY=${SECRET_KEY:-tests-only-not-a-secret}
PG_URL=${RELAIS_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
CI=${CI:-}
skip_or_fail() {
  if [ "$CI" = "true" ]; then
    echo "ÉCHEC (CI) : $1" >&2
    exit 1
  fi
  echo "" >&2
  echo "!!!!!!!! IGNORÉ : $1 !!!!!!!!" >&2
  echo "" >&2
}

echo "== ruff (lint + format) =="
$VENV/bin/ruff check .
$VENV/bin/ruff format --check .

echo "== migrations à jour =="
DJANGO_SETTINGS_MODULE=relais.test_settings $PY manage.py makemigrations --check --dry-run

# Chromium for the browser tests: Debian's package, installed when missing and root.
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "== installation de chromium (apt) =="
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 \
    || (apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1) \
    || true
fi
# PDF rendering needs Pango, real fonts and HarfBuzz's subsetter (WeasyPrint).
bash scripts/pdf-libraries.sh

PYTEST_ARGS=(-p no:randomly)
# One test process per core (pytest-xdist; each gets its own test database):
# PYTEST_WORKERS=0 runs them in one process.
WORKERS=${PYTEST_WORKERS:-$(nproc 2>/dev/null || echo 1)}
if [ "$WORKERS" -gt 1 ]; then PYTEST_ARGS+=(-n "$WORKERS"); fi

echo "== tests sur SQLite =="
$PY -m pytest -m "not browser" "${PYTEST_ARGS[@]}" "$@"

echo "== tests sur PostgreSQL =="
if $PY scripts/check_postgres.py "$PG_URL"; then
  DATABASE_URL="$PG_URL" $PY -m pytest -m "not browser" "${PYTEST_ARGS[@]}" "$@"
else
  skip_or_fail "PostgreSQL injoignable sur $PG_URL — installez et démarrez postgresql (apt install postgresql), ou définissez RELAIS_TEST_PG_URL"
fi

echo "== tests dans le navigateur (Chromium) =="
if $PY scripts/check_chromium.py; then
  $PY -m pytest -m browser "$@"
else
  skip_or_fail "Chromium ne démarre pas — installez-le : apt install chromium (chemin attendu : /usr/bin/chromium)"
fi
