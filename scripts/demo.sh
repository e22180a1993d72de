#!/usr/bin/env bash
# Set up everything, fill the database with demo data, print the logins and serve the
# portal on http://127.0.0.1:5000 with its background worker (Ctrl-C stops both).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export FLASK_APP=wsgi
.venv/bin/flask seed-demo
echo "==> Starting the background worker (match recomputes)"
.venv/bin/huey_consumer portal.worker.huey --workers 1 --logfile instance/worker.log >/dev/null 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT
echo "==> Serving on http://127.0.0.1:${PORT:-5000} (sign in with a login above)"
.venv/bin/flask run --host 127.0.0.1 --port "${PORT:-5000}"
