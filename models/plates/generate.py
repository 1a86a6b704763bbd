"""Generates the synthetic plate training set: rendered plates and hard negatives composited onto
real backgrounds, with perspective, scale, blur, noise, night lighting, occlusion and compression.

Usage (recipe.sh passes the background archives it fetched):
    generate.py --opencv-doc DEB --scikit-image WHL --out DIR [--count N] [--size S] [--seed K] [--workers W]

Writes DIR/images.npy (count x S x S x 3 BGR uint8), DIR/boxes.json (per image a list of plate
boxes [x0, y0, x1, y1] in pixels), DIR/meta.json and DIR/preview.jpg. Deterministic for a seed, for
any number of workers, on any x86-64 CPU with AVX2 (reproducible.py).
Background photos never include the plate photos used for validation or the evaluation videos.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import multiprocessing
import os
import subprocess
import sys
import tarfile
import time
import zipfile

import reproducible  # noqa: F401  (first: it pins the libraries' CPU code paths as they load)

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import negatives_objects  # noqa: E402
import plates_render as pr  # noqa: E402

# Photos that are validation/test material elsewhere in the project (plate photos, face photos,
# evaluation videos): never used as training backgrounds.
EXCLUDED = ("licenseplate", "messi", "astronaut", "vtest", "bikes", "car_image", "test_image", "photo.jpg", "test.jpg")
# Photos with vehicles whose real plates show, unlabelled (found with mine.py: the trained model fired
# on them; black_car and white_car are heavily motion-blurred plates). Unlabelled, they teach a model
# that a plate is background; they stay by default only because blindspot-plates-v2 was trained with
# them and this recipe describes it (README, "What helped").
VEHICLE_PHOTOS = ("black_car", "white_car", "bus_det", "opencv_bus_res", "pexels_double_decker_bus", "camshift_result",
                  "meanshift_result", "motion_original", "opticalflow_lk", "matbasicimageforcomputer", "scenetext01",
                  "person_multi_det")
IMAGE_EXT = (".jpg", ".jpeg", ".png")


def _decode(data: bytes):
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if img is None or min(img.shape[:2]) < 160:
        return None
    scale = 1024 / max(img.shape[:2])
    if scale < 1:
        img = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return img


def _wanted(name: str, size: int, vehicle_photos: bool) -> bool:
    base = os.path.basename(name).lower()
    left_out = EXCLUDED if vehicle_photos else EXCLUDED + VEHICLE_PHOTOS
    return base.endswith(IMAGE_EXT) and size >= 20000 and not any(x in base for x in left_out)


def load_backgrounds(deb: str, whl: str, vehicle_photos: bool = True, limit: int | None = None
                     ) -> list[tuple[str, np.ndarray]]:
    """The background photos as (archive path, image), sorted by path; only the first `limit` of the
    .deb's when given (a quick check, same_bytes.py)."""
    images: list[tuple[str, np.ndarray]] = []
    tar_bytes = subprocess.run(["dpkg-deb", "--fsys-tarfile", deb], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as t:
        for m in t.getmembers():
            if m.isfile() and _wanted(m.name, m.size, vehicle_photos):
                img = _decode(t.extractfile(m).read())
                if img is not None:
                    images.append((m.name, img))
                if limit is not None and len(images) == limit:
                    break
    if limit is None:
        with zipfile.ZipFile(whl) as z:
            for info in z.infolist():
                if info.filename.startswith("skimage/data/") and _wanted(info.filename, info.file_size, vehicle_photos):
                    img = _decode(z.read(info.filename))
                    if img is not None:
                        images.append((info.filename, img))
    images.sort(key=lambda p: p[0])  # archive order is stable, but make it explicit
    return images


# ---- composition ----------------------------------------------------------------------------------

def background(rng, bgs, s):
    src = bgs[int(rng.integers(len(bgs)))]
    short = min(src.shape[:2])
    scale = rng.uniform(s, min(3 * s, max(s, short) * 1.5)) / short
    img = cv2.resize(src, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    y = int(rng.integers(0, img.shape[0] - s + 1))
    x = int(rng.integers(0, img.shape[1] - s + 1))
    return vary(rng, img[y:y + s, x:x + s], s)


def zoomed_background(zoom_rng, rng, bgs, s):
    """A crop enlarged 1.2-2.5x with bilinear interpolation, as Blindspot enlarges frames smaller than
    the plate detector's input: the soft, magnified texture (teeth, highlights, chrome) the plain
    background crops, mostly shrunk, never show."""
    src = bgs[int(zoom_rng.integers(len(bgs)))]
    h, w = src.shape[:2]
    zoom = math.exp(zoom_rng.uniform(math.log(1.2), math.log(2.5)))
    side = min(h, w, int(round(s / zoom)))  # source pixels per crop
    y = int(zoom_rng.integers(0, h - side + 1))
    x = int(zoom_rng.integers(0, w - side + 1))
    img = cv2.resize(src[y:y + side, x:x + side], (s, s), interpolation=cv2.INTER_LINEAR)
    return vary(rng, img, s)


def mined_background(rng, bgs, mined, s):
    """A crop holding a place where the last model fired (mine.py), at about the size it fired at:
    a hard negative of real photo texture."""
    index, (x0, y0, x1, y1), seen_at = mined[int(rng.integers(len(mined)))]
    src = bgs[index]
    h, w = src.shape[:2]
    side = min(h, w, int(round(s / (seen_at * math.exp(rng.uniform(-0.35, 0.35))))))  # source pixels per crop
    ox = _origin(rng, x0, x1, side, w)
    oy = _origin(rng, y0, y1, side, h)
    crop = src[oy:oy + side, ox:ox + side]
    img = cv2.resize(crop, (s, s), interpolation=cv2.INTER_AREA if side > s else cv2.INTER_LINEAR)
    return vary(rng, img, s)


def _origin(rng, lo, hi, side, limit):
    """Where a window of `side` pixels starts so that it holds [lo, hi] (or is centred on it, when it
    cannot), inside [0, limit)."""
    first, last = max(0.0, hi - side), min(lo, limit - side)
    start = rng.uniform(first, last) if first <= last else (lo + hi - side) / 2
    return int(np.clip(round(start), 0, limit - side))


def vary(rng, img, s):
    """Mirror, exposure, colour cast and, sometimes, synthetic clutter on a background crop."""
    img = img.astype(np.float32)
    if rng.random() < 0.5:
        img = img[:, ::-1]
    img = img * rng.uniform(0.6, 1.2) + rng.uniform(-25, 25, 3)
    if rng.random() < 0.15:  # synthetic clutter: random bars and blocks
        for _ in range(int(rng.integers(3, 12))):
            x0, y0 = rng.integers(0, s, 2)
            w, h = rng.integers(4, s // 2, 2)
            cv2.rectangle(img, (int(x0), int(y0)), (int(x0 + w), int(y0 + h)), rng.uniform(0, 255, 3).tolist(), -1)
    return np.ascontiguousarray(img)


def quad(rng, cx, cy, w, h):
    """The four corners of a w x h rectangle centred at (cx, cy), rotated and seen in perspective."""
    pts = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]], np.float32)
    yaw = rng.uniform(0.7, 1.0) if rng.random() < 0.5 else 1.0
    if rng.random() < 0.5:
        pts[[1, 2], 1] *= yaw  # right edge shorter
    else:
        pts[[0, 3], 1] *= yaw
    if rng.random() < 0.4:
        pitch = rng.uniform(0.85, 1.0)
        pts[[0, 1] if rng.random() < 0.5 else [2, 3], 0] *= pitch
    if rng.random() < 0.3:  # shear, as from a camera off to the side and above
        pts[:, 0] += pts[:, 1] * rng.uniform(-0.3, 0.3)
    angle = math.radians(float(np.clip(rng.normal(0, 4), -15, 15)))
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]], np.float32)
    pts = pts @ rot.T
    pts += rng.normal(0, 0.02, pts.shape).astype(np.float32) * np.array([w, h], np.float32)
    return pts + np.array([cx, cy], np.float32)


def paste(img, rgba, dst, rng, brightness=1.0, smear=None):
    """Warps rgba onto img (float32 BGR) at the quad dst; returns the pasted alpha mask (full size).
    smear (length px, angle degrees) motion-blurs the pasted object alone, colour and alpha together,
    as a vehicle moving past the camera smears over a background that stays sharp."""
    s = img.shape[0]
    reach = int(smear[0]) // 2 + 1 if smear else 0
    tw = max(4, int(np.ptp(dst[:, 0]) * 2))
    th = max(2, int(round(rgba.shape[0] * tw / rgba.shape[1])))
    if tw < rgba.shape[1]:
        rgba = cv2.resize(rgba, (tw, th), interpolation=cv2.INTER_AREA)
    h0, w0 = rgba.shape[:2]
    x0, y0 = max(0, int(dst[:, 0].min()) - 1 - reach), max(0, int(dst[:, 1].min()) - 1 - reach)
    x1, y1 = min(s, int(dst[:, 0].max()) + 2 + reach), min(s, int(dst[:, 1].max()) + 2 + reach)
    alpha = np.zeros((s, s), np.float32)
    if x1 <= x0 or y1 <= y0:
        return alpha
    src = np.array([[0, 0], [w0, 0], [w0, h0], [0, h0]], np.float32)
    m = cv2.getPerspectiveTransform(src, (dst - np.array([x0, y0], np.float32)).astype(np.float32))
    warped = cv2.warpPerspective(rgba, m, (x1 - x0, y1 - y0), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                                 borderValue=0)
    a = warped[..., 3:4].astype(np.float32) / 255
    rgb = warped[..., 2::-1].astype(np.float32) * brightness  # RGBA -> BGR
    premultiplied = rgb * a
    if smear:  # blur premultiplied colour, so that the smear fades into the background, not into black
        kernel = motion_kernel(*smear)
        premultiplied = cv2.filter2D(premultiplied, -1, kernel, borderType=cv2.BORDER_CONSTANT)
        a = cv2.filter2D(a, -1, kernel, borderType=cv2.BORDER_CONSTANT)[..., None]
    roi = img[y0:y1, x0:x1]
    roi *= 1 - a
    roi += premultiplied
    alpha[y0:y1, x0:x1] = a[..., 0]
    return alpha


def vehicle(img, rng, cx, cy, w, h):
    """A simple rear or front of a vehicle around a plate: body, bumper, lights, window."""
    colour = np.array(pr._pick(rng, [(200, 200, 200), (30, 30, 30), (240, 240, 240), (40, 40, 160), (150, 60, 30),
                                      (120, 120, 120), (60, 100, 40), (20, 40, 90), (180, 170, 150)]), np.float32)
    colour = (colour * rng.uniform(0.7, 1.15)).tolist()
    bw, bh = w * rng.uniform(2.6, 5), h * rng.uniform(3, 7)
    x0, x1 = cx - bw / 2, cx + bw / 2
    y0 = cy - bh * rng.uniform(0.55, 0.8)
    y1 = y0 + bh
    pts = lambda *p: np.array(p, np.int32).reshape(-1, 1, 2)  # noqa: E731
    cv2.fillPoly(img, [pts((x0, y1), (x0 + bw * 0.03, y0), (x1 - bw * 0.03, y0), (x1, y1))], colour, cv2.LINE_AA)
    if rng.random() < 0.7:  # rear window
        wy1 = y0 + (cy - y0) * rng.uniform(0.3, 0.6)
        cv2.fillPoly(img, [pts((x0 + bw * 0.1, wy1), (x0 + bw * 0.18, y0 - bh * 0.3), (x1 - bw * 0.18, y0 - bh * 0.3),
                               (x1 - bw * 0.1, wy1))], rng.uniform(10, 70, 3).tolist(), cv2.LINE_AA)
    by = cy + h * rng.uniform(0.6, 1.4)  # bumper line
    cv2.rectangle(img, (int(x0), int(by)), (int(x1), int(by + h * rng.uniform(0.5, 1.5))),
                  (np.array(colour) * rng.uniform(0.3, 0.8)).tolist(), -1)
    light = pr._pick(rng, [(20, 20, 220), (40, 40, 255), (200, 220, 240), (20, 120, 255)])
    lw, lh = bw * rng.uniform(0.1, 0.2), h * rng.uniform(0.6, 1.6)
    ly = cy - h * rng.uniform(0.5, 2.5)
    for lx in (x0 + bw * 0.04, x1 - bw * 0.04 - lw):
        cv2.rectangle(img, (int(lx), int(ly)), (int(lx + lw), int(ly + lh)), light, -1)
    if rng.random() < 0.3:  # a plate holder frame
        m = rng.uniform(0.06, 0.15)
        cv2.rectangle(img, (int(cx - w / 2 - w * m), int(cy - h / 2 - h * m * 2)), (int(cx + w / 2 + w * m),
                      int(cy + h / 2 + h * m * 3)), rng.uniform(0, 60, 3).tolist(), -1)


def motion_kernel(length, angle):
    """A normalised line of the given length (pixels) at the given angle (degrees)."""
    k = max(3, int(length))
    kernel = np.zeros((k, k), np.float32)
    kernel[k // 2, :] = 1
    rot = cv2.getRotationMatrix2D((k / 2 - 0.5, k / 2 - 0.5), float(angle), 1)
    kernel = cv2.warpAffine(kernel, rot, (k, k))
    return kernel / max(kernel.sum(), 1e-6)


def motion_blur(img, rng):
    length = int(rng.integers(3, 12))
    return cv2.filter2D(img, -1, motion_kernel(length, rng.uniform(0, 180)))


def camera_blur(img, boxes, blur_rng):
    """Blurs the whole crop along a line 10-35% as long as its widest plate is wide, as a camera that
    moves during the exposure smears a plate whatever its size (motion_blur's 3-11 px are a small
    part of a plate over ~50 px wide). A crop without a plate takes a plate width drawn as plates are."""
    if boxes:
        widest = max(b[2] - b[0] for b in boxes)
    else:
        widest = math.exp(blur_rng.uniform(math.log(12), math.log(240)))
    length = np.clip(widest * blur_rng.uniform(0.1, 0.35), 3, 64)  # motion_kernel takes whole pixels
    return cv2.filter2D(img, -1, motion_kernel(length, blur_rng.uniform(0, 180)))


def glare(img, rng, strength):
    s = img.shape[0]
    for _ in range(int(rng.integers(1, 4))):
        cx, cy = rng.uniform(0, s, 2)
        r = rng.uniform(4, s / 4)
        yy, xx = np.ogrid[0:s, 0:s]
        g = np.exp(-((xx - cx) ** 2 + ((yy - cy) * rng.uniform(0.7, 1.5)) ** 2) / (2 * r * r))
        img += (g[..., None] * strength * np.array(rng.uniform(0.8, 1.0, 3))).astype(np.float32)


def _iou(a, b):
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / max(1e-6, (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def compose(rng, bgs, s, plates, negatives, max_plate, max_negative, cut_plates=0.0, mined=(), mined_share=0.0,
            moving_plates=0.0, zoom_rng=None, zoomed_backgrounds=0.0, blur_rng=None, camera_blurred=0.0):
    if mined and rng.random() < mined_share:  # no draw without mined places: older sets stay the same
        img = mined_background(rng, bgs, mined, s)
    elif zoomed_backgrounds > 0 and zoom_rng.random() < zoomed_backgrounds:  # its own generator, likewise
        img = zoomed_background(zoom_rng, rng, bgs, s)
    else:
        img = background(rng, bgs, s)
    n_plates = int(rng.choice([0, 1, 2, 3, 4], p=[0.12, 0.45, 0.25, 0.12, 0.06]))
    n_neg = int(rng.choice([0, 1, 2, 3], p=[0.3, 0.3, 0.25, 0.15]))
    items = ["plate"] * n_plates + ["neg"] * n_neg
    rng.shuffle(items)
    boxes, lit = [], np.zeros((s, s), np.float32)
    taken: list[tuple[float, float, float, float]] = []
    placed = []
    for kind in items:  # place everything first, so that no vehicle body covers an earlier plate
        pool = plates if kind == "plate" else negatives
        rgba = pool[int(rng.integers(len(pool)))]
        aspect = rgba.shape[1] / rgba.shape[0]
        w = math.exp(rng.uniform(math.log(12), math.log(max_plate if kind == "plate" else max_negative)))
        h = w / aspect * rng.uniform(0.85, 1.15)
        if h > 0.9 * s:  # a tall sign at the widest sizes: keep it inside the crop
            w, h = w * 0.9 * s / h, 0.9 * s
        cut = kind == "plate" and cut_plates > 0 and rng.random() < cut_plates
        for _ in range(6):
            cx = rng.uniform(w * 0.4, s - w * 0.4)
            cy = rng.uniform(h * 0.4, s - h * 0.4)
            if cut:  # 15-60% of the plate beyond one side of the image, as at a frame's edge
                outside = rng.uniform(0.15, 0.6)
                side = int(rng.integers(4)) if rng.random() < 0.3 else int(rng.integers(2))
                if side == 0: cx = w * (0.5 - outside)
                elif side == 1: cx = s - w * (0.5 - outside)
                elif side == 2: cy = h * (0.5 - outside)
                else: cy = s - h * (0.5 - outside)
            dst = quad(rng, cx, cy, w, h)
            box = (float(dst[:, 0].min()), float(dst[:, 1].min()), float(dst[:, 0].max()), float(dst[:, 1].max()))
            if all(_iou(box, t) < 0.05 for t in taken):
                break
        else:
            continue
        taken.append(box)
        placed.append((kind, rgba, dst, box, cx, cy, w, h))
        if kind == "plate" and rng.random() < 0.45:
            vehicle(img, rng, cx, cy, w, h)
    for kind, rgba, dst, box, cx, cy, w, h in placed:
        brightness = rng.uniform(0.45, 1.15)
        smear = None
        if kind == "plate" and moving_plates > 0 and rng.random() < moving_plates:  # no draw when 0
            # Smeared by 10-50% of its width: a car crossing at 50 km/h moves about a plate's width
            # in a 1/30 s exposure, so night frames smear more than this.
            smear = (w * rng.uniform(0.1, 0.5), rng.uniform(0, 180))
        a = paste(img, rgba, dst, rng, brightness=brightness, smear=smear)
        if kind != "plate":
            continue
        lit = np.maximum(lit, a)
        x0, y0, x1, y1 = [float(np.clip(v, 0, s)) for v in box]
        if x1 - x0 >= 5 and y1 - y0 >= 3:
            boxes.append([x0, y0, x1, y1])
    for kind, rgba, dst, box, cx, cy, w, h in placed:
        if kind == "plate" and rng.random() < 0.08:  # occlusion: a pole, a person, another car
            ow = w * rng.uniform(0.1, 0.4)
            ox = cx + rng.choice([-1, 1]) * w / 2 - ow / 2
            cv2.rectangle(img, (int(ox), int(cy - h)), (int(ox + ow), int(cy + h)), rng.uniform(0, 255, 3).tolist(), -1)

    if rng.random() < 0.12:  # night: dark scene, lit plates, glare from lamps
        f = rng.uniform(0.12, 0.4)
        factor = f + (math.sqrt(f) - f) * lit
        img *= factor[..., None]
        img *= np.array(rng.uniform(0.8, 1.2, 3), np.float32)
        glare(img, rng, rng.uniform(80, 255))
    elif rng.random() < 0.08:
        glare(img, rng, rng.uniform(40, 160))
    if rng.random() < 0.25:
        img = motion_blur(img, rng)
    if camera_blurred > 0 and blur_rng.random() < camera_blurred:  # its own generator: older sets stay the same
        img = camera_blur(img, boxes, blur_rng)
    if rng.random() < 0.15:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.5, 2.0))
    if rng.random() < 0.3:
        f = rng.uniform(0.35, 0.8)
        small = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        img = cv2.resize(small, (s, s), interpolation=cv2.INTER_LINEAR)
    if rng.random() < 0.4:
        img = img + rng.normal(0, rng.uniform(2, 12), img.shape).astype(np.float32)
    out = np.clip(img, 0, 255).astype(np.uint8)
    if rng.random() < 0.4:
        q = int(rng.integers(12, 60))
        out = cv2.imdecode(cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, q])[1], cv2.IMREAD_COLOR)
    if rng.random() < 0.08:  # letterbox padding, as the detector sees a frame of another aspect
        band = int(rng.integers(8, s // 3))
        if rng.random() < 0.5:
            out[s - band:] = 0
            boxes = [[b[0], b[1], b[2], min(b[3], s - band)] for b in boxes if (b[1] + b[3]) / 2 < s - band]
        else:
            out[:, s - band:] = 0
            boxes = [[b[0], b[1], min(b[2], s - band), b[3]] for b in boxes if (b[0] + b[2]) / 2 < s - band]
    return out, boxes


def h264(frames: np.ndarray, crf: int) -> np.ndarray:
    """Round-trips frames through x264 at a low bitrate (blocking, ringing, smeared detail)."""
    n, h, w, _ = frames.shape
    enc = subprocess.run(["ffmpeg", "-v", "error", "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", f"{w}x{h}", "-r", "10",
                          "-i", "-", "-c:v", "libx264", "-preset", "veryfast", "-crf", str(crf), "-threads", "1",
                          "-f", "h264", "-"], input=frames.tobytes(), capture_output=True, check=True).stdout
    dec = subprocess.run(["ffmpeg", "-v", "error", "-threads", "1", "-f", "h264", "-i", "-", "-f", "rawvideo", "-pix_fmt", "bgr24", "-"],
                         input=enc, capture_output=True, check=True).stdout
    return np.frombuffer(dec, np.uint8).reshape(n, h, w, 3)


def load_mined(path, names):
    """mine.py's places on the backgrounds in use, as (background index, box, scale seen at)."""
    index = {name: i for i, name in enumerate(names)}
    places = json.load(open(path))["places"]
    return [(index[name], box, scale) for name, *box, scale, _ in places if name in index]


CHUNK = 50  # samples per random generator and per low-bitrate H.264 round trip


def stored(boxes: list[list[float]]) -> list[list[float]]:
    """A crop's plate boxes as boxes.json stores them (to 0.01 px)."""
    return [[round(v, 2) for v in box] for box in boxes]


# What every worker reads: set in main() before the workers fork, so it is shared, never pickled.
_job: dict = {}


def compose_chunk(start: int) -> list[list[list[float]]]:
    """Composes samples [start, start + CHUNK) into the shared images.npy; returns their boxes."""
    a, bgs, plates, negatives, mined = _job["args"], _job["bgs"], _job["plates"], _job["negatives"], _job["mined"]
    cv2.setNumThreads(1)
    rng = np.random.default_rng([a.seed, start])
    zoom_rng = np.random.default_rng([a.seed, start, 1])
    blur_rng = np.random.default_rng([a.seed, start, 2])
    stop = min(a.count, start + CHUNK)
    frames = np.zeros((stop - start, a.size, a.size, 3), np.uint8)
    boxes = []
    for i in range(stop - start):
        frames[i], b = compose(rng, bgs, a.size, plates, negatives, a.max_plate, a.max_negative, a.cut_plates,
                               mined, a.mined_share, moving_plates=a.moving_plates, zoom_rng=zoom_rng,
                               zoomed_backgrounds=a.zoomed_backgrounds, blur_rng=blur_rng,
                               camera_blurred=a.camera_blurred)
        boxes.append(stored(b))
    if rng.random() < 0.3:
        frames = h264(frames, int(rng.integers(30, 44)))
    images = np.load(_job["path"], mmap_mode="r+")
    images[start:stop] = frames
    images.flush()
    return boxes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--opencv-doc", required=True, help="opencv-doc .deb (backgrounds)")
    ap.add_argument("--scikit-image", required=True, help="scikit-image wheel (backgrounds)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=24000)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--plates", type=int, default=8000, help="rendered plates, each composited several times")
    ap.add_argument("--negatives", type=int, default=3000, help="rendered hard negatives")
    ap.add_argument("--max-plate", type=float, default=240, help="widest plate, pixels (log-uniform from 12)")
    ap.add_argument("--max-negative", type=float, default=240, help="widest hard negative, pixels")
    ap.add_argument("--cut-plates", type=float, default=0.0,
                    help="fraction of plates placed partly outside the crop, as at a frame's edge")
    ap.add_argument("--moving-plates", type=float, default=0.0,
                    help="fraction of plates smeared by their own motion (10-50%% of their width), background sharp")
    ap.add_argument("--no-vehicle-photos", action="store_true",
                    help="leave out the background photos with real, unlabelled plates (VEHICLE_PHOTOS)")
    ap.add_argument("--object-negatives", type=int, default=0,
                    help="rendered negatives of the things v2 mistakes for plates (teeth, car badges, "
                         "dot-matrix displays, highlights), added to --negatives' pool")
    ap.add_argument("--zoomed-backgrounds", type=float, default=0.0,
                    help="fraction of crops whose background photo is enlarged 1.2-2.5x, as Blindspot enlarges "
                         "small frames for the plate detector")
    ap.add_argument("--camera-blurred", type=float, default=0.0,
                    help="fraction of crops blurred whole along a line 10-35%% of their widest plate's width, "
                         "as by a camera moving during the exposure")
    ap.add_argument("--mined", help="places where a trained model fired on the backgrounds (mine.py's output)")
    ap.add_argument("--mined-share", type=float, default=0.3, help="fraction of crops built around a mined place")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="processes composing samples (the output does not depend on it)")
    args = ap.parse_args()
    cv2.setNumThreads(1)
    started = time.time()
    named = load_backgrounds(args.opencv_doc, args.scikit_image, vehicle_photos=not args.no_vehicle_photos)
    bgs = [image for _, image in named]
    mined = load_mined(args.mined, [name for name, _ in named]) if args.mined else []
    print(f"{len(bgs)} background photos, {len(mined)} mined places", flush=True)
    rng = np.random.default_rng([args.seed, 0, 1])
    plates = [pr.random_plate(rng) for _ in range(args.plates)]
    negatives = [pr.random_negative(rng) for _ in range(args.negatives)]
    # Their own generator, drawn after the others: with none, older sets stay the same bytes.
    object_rng = np.random.default_rng([args.seed, 0, 2])
    negatives += [negatives_objects.random_object_negative(object_rng) for _ in range(args.object_negatives)]
    print(f"{len(plates)} plates and {len(negatives)} negatives rendered, {time.time() - started:.0f} s", flush=True)
    os.makedirs(args.out, exist_ok=True)
    s, n = args.size, args.count
    path = os.path.join(args.out, "images.npy")
    images = np.lib.format.open_memmap(path, mode="w+", dtype=np.uint8, shape=(n, s, s, 3))
    del images  # workers write through their own maps
    _job.update(path=path, bgs=bgs, plates=plates, negatives=negatives, mined=mined, args=args)
    all_boxes: list[list[list[float]]] = []
    # Each chunk seeds its own generator, so the set is the same for any number of workers.
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        for start, boxes in zip(range(0, n, CHUNK), pool.imap(compose_chunk, range(0, n, CHUNK))):
            all_boxes.extend(boxes)
            if start % 2000 == 0:
                print(f"{min(n, start + CHUNK)}/{n} samples, {time.time() - started:.0f} s", flush=True)
    images = np.load(path, mmap_mode="r")  # for the preview
    with open(os.path.join(args.out, "boxes.json"), "w") as f:
        json.dump(all_boxes, f)
    plates = sum(len(b) for b in all_boxes)
    meta = {"count": n, "size": s, "seed": args.seed, "plates": plates, "backgrounds": len(bgs), "mined": len(mined),
            "seconds": round(time.time() - started)}
    with open(os.path.join(args.out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    tiles = []
    for i in range(min(n, 48)):
        t = images[i].copy()
        for b in all_boxes[i]:
            cv2.rectangle(t, (int(b[0]), int(b[1])), (int(b[2]), int(b[3])), (0, 255, 0), 1)
        tiles.append(t)
    while len(tiles) % 8:
        tiles.append(np.zeros_like(tiles[0]))
    rows = [np.hstack(tiles[r:r + 8]) for r in range(0, len(tiles), 8)]
    cv2.imwrite(os.path.join(args.out, "preview.jpg"), np.vstack(rows), [cv2.IMWRITE_JPEG_QUALITY, 85])
    print(json.dumps(meta), flush=True)


if __name__ == "__main__":
    main()
