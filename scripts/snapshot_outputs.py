"""Save the output of many profiles, and compare two saved runs: the check that a change to
how results are computed leaves the results alone.

The profiles: the 80 labelled ones (data/eval_profiles.jsonl), both sides of the negation and
fairness pairs, every answered row of the sample survey, and two one-field profiles (about
700 in all); saved is ``to_dict()`` of one ``recommend_many`` (k = 10) and of 40 single
``recommend`` calls (k = 3, no diversity). Two runs match when codes, order and every text
are identical and scores agree to 1e-5.

Run:  python scripts/snapshot_outputs.py save before.json   (before the change)
      python scripts/snapshot_outputs.py save after.json    (after it)
      python scripts/snapshot_outputs.py compare before.json after.json
"""

from __future__ import annotations

import csv
import json
import math
import sys
import warnings
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data"
TOLERANCE = 1e-5


def profiles() -> list[dict[str, Any]]:
    import passionfinder as pf

    found: list[Any] = []
    for line in (DATA / "eval_profiles.jsonl").read_text().splitlines():
        d = json.loads(line)
        found.append({k: d.get(k) for k in ("interests", "strengths", "values")})
    for line in (DATA / "negation_pairs.jsonl").read_text().splitlines():
        d = json.loads(line)
        found += [d.get("base"), d.get("variant")]
    for line in (DATA / "fairness_pairs.jsonl").read_text().splitlines():
        d = json.loads(line)
        found += [d.get("a"), d.get("b")]
    with open(DATA / "sample_survey.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            found.append({k: row[k] or None for k in ("interests", "strengths", "values")})
    found += [{"values": ["independence", "good pay"]},
              {"strengths": ["patient", "good with my hands"]}]

    def usable(p: Any) -> bool:
        try:
            pf.Profile(**p)
        except (TypeError, ValueError):
            return False
        return True

    return [p for p in found if isinstance(p, dict) and usable(p)]


def save(path: str) -> None:
    import passionfinder as pf

    warnings.simplefilter("ignore", pf.PassionfinderWarning)
    people = profiles()
    finder = pf.PassionFinder()
    many = [r.to_dict() for r in finder.recommend_many(people, k=10)]
    single = [finder.recommend(p, k=3, diversity=0.0).to_dict() for p in people[:40]]
    Path(path).write_text(json.dumps({"many": many, "single": single}))
    print(f"saved {len(people)} profiles to {path}")


def differences(a: Any, b: Any, where: str = "") -> list[str]:
    if isinstance(a, float) or isinstance(b, float):
        ok = a is not None and b is not None and math.isclose(a, b, abs_tol=TOLERANCE)
        return [] if ok else [f"{where}: {a!r} != {b!r}"]
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            return [f"{where}: keys {list(a)} != {list(b)}"]
        return [d for k in a for d in differences(a[k], b[k], f"{where}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items != {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True))
                for d in differences(x, y, f"{where}[{i}]")]
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


def compare(before: str, after: str) -> int:
    a, b = (json.loads(Path(p).read_text()) for p in (before, after))
    found = differences(a, b)
    n = sum(len(r["recommendations"]) for part in ("many", "single") for r in a[part])
    print(f"{len(a['many'])} + {len(a['single'])} runs, {n} recommendations compared: "
          f"{len(found)} differences")
    for line in found[:20]:
        print("  " + line)
    return 1 if found else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "save":
        save(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(__doc__)
