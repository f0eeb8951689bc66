#!/usr/bin/env bash
# Point passionfinder at the O*NET release: ../shared/data when it is there (development, CI),
# otherwise whatever PASSIONFINDER_DATA or the per-user data folder holds (scripts/demo.sh
# downloads the official release there when it is missing).
if [ -z "${PASSIONFINDER_DATA:-}" ] && [ -d "$(dirname "$0")/../../shared/data" ]; then
  PASSIONFINDER_DATA="$(cd "$(dirname "$0")/../../shared/data" && pwd)"
  export PASSIONFINDER_DATA
fi
export HF_HUB_OFFLINE=1
