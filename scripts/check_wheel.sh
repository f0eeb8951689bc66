#!/usr/bin/env bash
# Build the wheel, install it (not editable) into a fresh venv, and check that it works as a new
# user's install would: HOME an empty folder, no data folder, no cache, no network. It must
# recommend for a profile (with wages and growth, from the bundled catalog) and code a job title.
#
#   bash scripts/check_wheel.sh          # dependencies taken from the project venv (fast)
#   bash scripts/check_wheel.sh --full   # dependencies installed from the registries as well
#
# The first recommend exports the model and embeds the catalog into the empty HOME's cache, so
# this takes a few minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${PASSIONFINDER_VENV:-.venv}"
PY="$VENV/bin/python"
FULL=0
[ "${1:-}" = "--full" ] && FULL=1
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
start=$(date +%s)

"$PY" -m pip wheel --quiet --no-deps --no-build-isolation -w "$WORK/dist" .
WHEEL="$(ls "$WORK"/dist/passionfinder-*.whl)"
"$PY" - "$WHEEL" <<'PYEOF'
import json, sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
manifest = json.loads(zipfile.ZipFile(sys.argv[1]).read("passionfinder/bundle/manifest.json"))
missing = [f"passionfinder/bundle/{name}" for name in manifest["tables"]
           if f"passionfinder/bundle/{name}" not in names]
assert not missing, f"the wheel lacks {missing}"
print(f"wheel {sys.argv[1].rsplit('/', 1)[-1]}: bundle of {len(manifest['tables'])} tables")
PYEOF

"$PY" -m venv "$WORK/venv"
if [ "$FULL" = 1 ]; then
  "$WORK/venv/bin/python" -m pip install --quiet "$WHEEL"
else
  "$WORK/venv/bin/python" -m pip install --quiet --no-deps "$WHEEL"
  # the dependencies of the project venv, without its editable passionfinder (.pth files
  # in a folder added this way are not run, so the editable hook stays off)
  site="$("$WORK/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  "$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' > "$site/project_deps.pth"
fi

mkdir -p "$WORK/home" "$WORK/run"
cd "$WORK/run"
# env -i: no PASSIONFINDER_DATA, no PASSIONFINDER_CACHE, no XDG folders; unshare -rn: no network
net=""
if unshare -rn true 2>/dev/null; then net="unshare -rn"; fi
env -i PATH=/usr/bin:/bin HOME="$WORK/home" LANG=C.UTF-8 HF_HUB_OFFLINE=1 \
  $net "$WORK/venv/bin/python" - "$WORK" <<'PYEOF'
import socket, sys

def refuse(*args, **kwargs):
    raise OSError("network access during the wheel check")

socket.socket.connect = refuse  # also without unshare: any connection attempt fails loudly

import passionfinder as pf

assert pf.__file__.startswith(sys.argv[1] + "/venv/"), pf.__file__
finder = pf.PassionFinder()
print(repr(finder))
assert finder.catalog.source == "bundled catalog", finder.catalog.source
recs = finder.recommend("I love fixing old bikes", k=5)
facts = [finder.catalog[rec.onet_soc_code] for rec in recs]
for rec, occ in zip(recs, facts):
    print(f"{rec.rank}. {rec.title}: median wage {occ.wage_median}, growth {occ.growth_pct}%")
assert facts[0].wage_median is not None and facts[0].growth_pct is not None
assert sum(o.wage_median is not None and o.growth_pct is not None for o in facts) >= 4
assert "Data: bundled catalog." in recs.attribution
money = finder.recommend(pf.Profile(interests="I love fixing old bikes",
                                    values=["financial security"]), k=3)
detail = money[0].values[0].detail
print("financial security:", detail)
assert "median wage $" in detail and "growth" in detail, detail
best = finder.classify("rn").best
print("classify('rn') ->", best.onet_soc_code, best.title)
assert best.onet_soc_code == "29-1141.00", best
PYEOF
echo "wheel check passed in $(( $(date +%s) - start )) s"
