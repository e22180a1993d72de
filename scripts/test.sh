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

echo "==> Security lint (bandit: no finding of medium or high severity)"
.venv/bin/bandit --quiet --recursive portal --severity-level medium || status=1

echo "==> Known vulnerabilities in the dependencies (pip-audit)"
# It looks each installed version up on pypi.org's JSON API (with its "vulnerabilities");
# CI reaches only package mirrors, which answer without it.
probe='import json, importlib.metadata as m, urllib.request as u
url = "https://pypi.org/pypi/flask/%s/json" % m.version("flask")
assert "vulnerabilities" in json.load(u.urlopen(url, timeout=10))'
if .venv/bin/python -c "$probe" 2>/dev/null; then
  .venv/bin/pip-audit --skip-editable --progress-spinner off || status=1
else
  echo "skipped: pypi.org's vulnerability data, which pip-audit reads, is not reachable from here"
fi

if [[ -z "${PORTAL_TEST_POSTGRES_URL:-}" ]]; then
  echo "==> Tests on SQLite"
  .venv/bin/pytest "$@" || status=1
  exit $status
fi

# Both databases side by side: the runs share nothing (a temp SQLite file, a PostgreSQL
# schema of their own, ports picked by the system), and together they use both cores.
logs=$(mktemp -d)
echo "==> Tests on SQLite and on PostgreSQL (${PORTAL_TEST_POSTGRES_URL}), side by side"
env -u PORTAL_TEST_POSTGRES_URL .venv/bin/pytest "$@" >"$logs/sqlite.log" 2>&1 &
sqlite_run=$!
.venv/bin/pytest "$@" >"$logs/postgresql.log" 2>&1 &
postgresql_run=$!
wait $sqlite_run || status=1
echo "==> Tests on SQLite"
cat "$logs/sqlite.log"
wait $postgresql_run || status=1
echo "==> Tests on PostgreSQL (${PORTAL_TEST_POSTGRES_URL})"
cat "$logs/postgresql.log"
rm -rf "$logs"
exit $status
