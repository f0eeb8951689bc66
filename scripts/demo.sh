#!/usr/bin/env bash
# Set up, then run the main job end to end: load the O*NET catalog, build the index on first
# use, and print recommendations for a few people.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. "${PASSIONFINDER_VENV:-.venv}/bin/activate"
. scripts/data.sh
python -c "import passionfinder as pf; pf.load_catalog()" 2>/dev/null || python -c "import passionfinder as pf; pf.fetch_onet()"
python examples/quickstart.py
