#!/usr/bin/env bash
# Installs what the tests need (system packages, .venv with the test extras) and runs
# the whole suite: ruff, then pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh --test
[[ -x .venv/bin/python ]] || python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q -e '.[test]'
.venv/bin/ruff check bookmaker tests bench
.venv/bin/python -m pytest "$@"
