#!/usr/bin/env bash
# The quality regression gate: builds the small labelled evaluation set (cached; deterministic for
# its seed) and runs `blindspot eval` on it against eval/gate.json. Exits non-zero when a measured
# leak rate or the over-redacted area is worse than the committed limit.
#
# Usage: scripts/eval-gate.sh [path to the blindspot executable, default .build/debug/blindspot]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

blindspot="${1:-.build/debug/blindspot}"
# -r2: the truth files name the occluded parts of each box ("hidden"); sets cached before lack them.
set_dir="${XDG_CACHE_HOME:-$HOME/.cache}/blindspot/eval-small-seed1-r2"
if [[ ! -f "$set_dir/manifest.json" ]]; then
  scripts/make-eval-set.sh "$set_dir" --size small --seed 1 >/dev/null
fi
"$blindspot" eval "$set_dir" --gate eval/gate.json
