"""Rebuild the catalog bundled with passionfinder (src/passionfinder/bundle/) from the official files.

    python scripts/build_bundle.py              # from ../shared/data (or $PASSIONFINDER_DATA)
    python scripts/build_bundle.py --data DIR   # from another data folder
    python scripts/build_bundle.py --check      # rebuild in a temp folder, compare; exit 1 if it differs

The data folder holds the O*NET text release (onet/db_30_2_text/ or the official zip), the job
families and the BLS tables (see docs/data.md). The output is deterministic: the same sources
and the same pandas/pyarrow versions give the same bytes; tests/test_bundle.py checks it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from passionfinder._bundle import MANIFEST, write_release  # noqa: E402
from passionfinder._catalog import attribution_for  # noqa: E402
from passionfinder._release import open_release  # noqa: E402

BUNDLE = REPO / "src" / "passionfinder" / "bundle"
#: Provenance of the files the bundle is built from (see ../shared/data/README.md).
NOTES = (
    "Skills and Knowledge hold the O*NET 30.1 (December 2025) values in the official text "
    "layout; every other O*NET table is from the 30.2 text release.",
    "BLS OEWS and Employment Projections data are in the U.S. public domain.",
    "SOC join rule: an O*NET-SOC code such as 11-1011.03 takes the BLS row of the SOC 2018 "
    "detailed occupation 11-1011 (its first 7 characters); codes without a BLS row have no "
    "wage or projection data (missing, never zero).",
)


def default_data() -> Path:
    env = os.environ.get("PASSIONFINDER_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def build(data: Path, out: Path) -> dict:
    release = open_release(data)
    return write_release(release, out, versions=release.versions(),
                         attribution=attribution_for(release.onet_release), notes=NOTES)


def differences(a: Path, b: Path) -> list[str]:
    names = sorted({p.name for p in a.glob("*.parquet")} | {p.name for p in b.glob("*.parquet")}
                   | {MANIFEST})
    return [n for n in names if not (a / n).is_file() or not (b / n).is_file()
            or (a / n).read_bytes() != (b / n).read_bytes()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="the data folder "
                        "(default: $PASSIONFINDER_DATA, else ../shared/data)")
    parser.add_argument("--out", type=Path, default=BUNDLE, help="where to write "
                        "(default: src/passionfinder/bundle)")
    parser.add_argument("--check", action="store_true",
                        help="rebuild into a temp folder and compare with --out instead of writing")
    args = parser.parse_args()
    data = args.data or default_data()
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            build(data, Path(tmp))
            diff = differences(Path(tmp), args.out)
        if diff:
            print(f"The bundle in {args.out} differs from a rebuild from {data}: {diff}")
            return 1
        print(f"The bundle in {args.out} rebuilds identically from {data}.")
        return 0
    manifest = build(data, args.out)
    size = sum(p.stat().st_size for p in args.out.iterdir() if p.name != "__init__.py")
    print(f"Bundle written to {args.out}: {len(manifest['tables'])} tables, "
          f"{size / 1e6:.2f} MB, fingerprint {manifest['fingerprint']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
