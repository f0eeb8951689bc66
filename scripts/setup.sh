#!/usr/bin/env bash
# Create .venv (or reuse it) and install passionfinder with everything the tests and examples need.
# torch is installed first as the CPU build, so pip never resolves a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${PASSIONFINDER_VENV:-.venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
. "$VENV/bin/activate"
python -m pip install --quiet --upgrade pip
if ! python -c "import torch" 2>/dev/null; then
  # The project's machines carry a local CPU wheel of torch 2.13.0. On a machine of your own,
  # install a CPU build of torch first (see README) and this step is skipped.
  python -m pip install --quiet torch==2.13.0
fi
python -m pip install --quiet -e ".[dev]"
echo "passionfinder installed in $VENV"
