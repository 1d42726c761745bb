#!/usr/bin/env bash
# Installs everything bookmaker needs and builds the bundled sample collection:
#   system packages, a virtual environment in .venv, bookmaker itself,
#   then `bookmaker build` -> build/*.epub and build/*.pdf.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
[[ -x .venv/bin/python ]] || python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q -e .
.venv/bin/bookmaker build
ls -l build/
