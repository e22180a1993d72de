#!/usr/bin/env bash
# Install what the portal needs on a Debian machine: system packages when missing,
# a virtual environment in .venv with the project and its test tools, compiled catalogues.
# Usage: scripts/bootstrap.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/.."

WITH_TESTS=0
[[ "${1:-}" == "--test" ]] && WITH_TESTS=1

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# Debian packages: CJK fonts (pages and PDFs), the PDF stack WeasyPrint needs
# (Pango, HarfBuzz's subsetter for fast font embedding), poppler for PDF checks,
# pg_dump/pg_restore for backups on PostgreSQL, and Chromium for browser tests.
SYSTEM_PACKAGES=(python3 python3-venv python3-dev fonts-noto-cjk fonts-wqy-microhei
                 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils)
[[ $WITH_TESTS -eq 1 ]] && SYSTEM_PACKAGES+=(chromium)

missing=()
for package in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
command -v pg_dump >/dev/null || missing+=(postgresql-client)  # any version's will do
if ((${#missing[@]})); then
  echo "==> Installing system packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  echo "==> Creating the virtual environment in .venv"
  "$PYTHON" -m venv .venv
fi
extras=""
[[ $WITH_TESTS -eq 1 ]] && extras="[test]"
echo "==> Installing Python packages"
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".${extras}"

echo "==> Compiling translations"
.venv/bin/python -c "from portal.catalogues import compile_all; compile_all()"

echo "==> Building the document fonts (PDFs embed them faster than the whole system fonts; about a minute, once)"
.venv/bin/flask --app wsgi agreements build-font
