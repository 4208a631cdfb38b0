#!/usr/bin/env bash
# Creates target/pyenv, a Python virtual environment with the tools analysts read copydesk's
# exports with (pandas, pyarrow, DuckDB), for contrib/checks/readback.py. Not committed; CI runs
# this from .ci/run. Re-running it with the environment in place does nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."

venv=target/pyenv
requirements="pandas==2.2.3 pyarrow==19.0.1 duckdb==1.2.2"
stamp="$venv/.requirements"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$requirements" ]; then
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check $requirements
echo "$requirements" > "$stamp"
echo "pyenv: $requirements installed in $venv"
