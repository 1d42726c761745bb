#!/usr/bin/env bash
# Installs what the tests need (system packages, .venv with the test extras) and runs
# the whole suite: ruff, then pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh --test
if [[ -x .venv/bin/python ]] && ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "note: .venv runs a Python older than 3.11; making it again"
  rm -rf .venv
fi
[[ -x .venv/bin/python ]] || "$(bash scripts/python.sh)" -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q -e '.[test]'
.venv/bin/ruff check bookmaker tests bench
.venv/bin/python -m pytest "$@"
