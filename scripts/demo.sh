#!/usr/bin/env bash
# Set up everything, fill the database with demo data and serve the portal on
# http://127.0.0.1:${PORT:-5000} with its background worker (Ctrl-C stops both). The output
# ends with the address and the demo logins.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-5000}
# QR codes on agreements and links in e-mails point where the demo is served.
export PORTAL_BASE_URL="${PORTAL_BASE_URL:-http://127.0.0.1:${PORT}}"
bash scripts/bootstrap.sh
export FLASK_APP=wsgi
logins=$(.venv/bin/flask seed-demo)
echo "==> Starting the background worker (match recomputes, PDFs, e-mail)"
.venv/bin/huey_consumer portal.worker.huey --workers 1 --logfile instance/worker.log >/dev/null 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT
echo
echo "==> The portal: http://127.0.0.1:${PORT}"
echo "$logins"
echo
# Flask's own banner would repeat the address below the logins; requests are still logged.
.venv/bin/flask run --host 127.0.0.1 --port "$PORT" 2>&1 \
  | grep --line-buffered -v -E "^ \* (Serving|Debug mode|Running on)|Press CTRL\+C|development server" \
  || true
