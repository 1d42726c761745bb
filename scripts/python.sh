#!/usr/bin/env bash
# Prints the first Python >= 3.11 on PATH (bookmaker needs tomllib and 3.11's typing).
# Ubuntu 22.04's python3 is 3.10; its python3.11 package (universe) is what we want there.
for candidate in python3 python3.13 python3.12 python3.11; do
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if "$path" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "$path"
    exit 0
  fi
done
exit 1
