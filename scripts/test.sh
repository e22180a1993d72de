#!/usr/bin/env bash
# Set up everything and run the whole test suite: on SQLite, then again on PostgreSQL when
# PORTAL_TEST_POSTGRES_URL names a reachable server (each run in a schema of its own).
# Extra arguments go to pytest, e.g. scripts/test.sh -k login
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --test

export PORTAL_CHROMIUM="${PORTAL_CHROMIUM:-$(command -v chromium || true)}"
status=0

echo "==> Lint (ruff)"
.venv/bin/ruff check . || status=1

echo "==> Tests on SQLite"
env -u PORTAL_TEST_POSTGRES_URL .venv/bin/pytest "$@" || status=1

if [[ -n "${PORTAL_TEST_POSTGRES_URL:-}" ]]; then
  echo "==> Tests on PostgreSQL (${PORTAL_TEST_POSTGRES_URL})"
  .venv/bin/pytest "$@" || status=1
fi
exit $status
