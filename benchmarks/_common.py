"""What the benchmarks on the real finder share: where the data and cache are, and writing the
results file."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def finder_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    """--data-home, --cache-home and --out (benchmarks/results/NAME.json)."""
    parser.add_argument("--data-home", default=os.environ.get("PASSIONFINDER_DATA",
                                                              str(ROOT.parent / "shared" / "data")))
    parser.add_argument("--cache-home", default=os.environ.get("PASSIONFINDER_CACHE",
                                                               "/tmp/pfcache"))
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / f"{name}.json"))


def write_results(results: dict[str, Any], out: str | Path) -> None:
    """The results as JSON in ``out`` (its folder made when missing)."""
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1))
    print(f"\nwritten to {path}")
