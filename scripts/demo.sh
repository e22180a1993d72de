#!/usr/bin/env bash
# Set up everything, fill the database with demo data, print the logins and serve the
# portal on http://127.0.0.1:5000 (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export FLASK_APP=wsgi
.venv/bin/flask seed-demo
echo "==> Serving on http://127.0.0.1:${PORT:-5000} (sign in with a login above)"
exec .venv/bin/flask run --host 127.0.0.1 --port "${PORT:-5000}"
