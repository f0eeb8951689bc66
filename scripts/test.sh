#!/usr/bin/env bash
# Set up, then run the whole test suite (slow tests included, as in CI).
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -m "not slow"` for the quick tier.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. "${PASSIONFINDER_VENV:-.venv}/bin/activate"
. scripts/data.sh
python -m pytest "$@"
