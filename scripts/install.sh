#!/usr/bin/env bash
# Installs everything bookmaker needs and builds the bundled sample collection:
#   system packages, a virtual environment in .venv, bookmaker itself,
#   then `bookmaker build` -> build/*.epub and build/*.pdf.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
if [[ -x .venv/bin/python ]] && ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "note: .venv runs a Python older than 3.11; making it again"
  rm -rf .venv
fi
[[ -x .venv/bin/python ]] || "$(bash scripts/python.sh)" -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q -e .
.venv/bin/bookmaker build
ls -l build/
