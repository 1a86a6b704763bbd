"""Measures plate detectors on the real plate photos of validation-boxes.json the way Blindspot runs
them: Debian's OpenCV 4.6 DNN, the frame letterboxed into the model's input (long side 1440 for fully
convolutional models, as AnonymizeOptions.plateDetectionLongSide; smaller photos enlarged toward 1440,
as plateEnlargementLongSide, by at most 2x, as plateDetectionMaxEnlargement), the shim's decoders, NMS
IoU 0.3 and the manifest's score threshold.
Also times one forward at 320x320 and 640x384 (2 threads).

Usage: /usr/bin/python3 evaluate.py [--models DIR] [--assets DIR] [--ids a,b] [--long-side 1440]
                                    [--enlarge-to 1440] [--max-enlargement 2] [--json OUT]

A plate counts as found when a detection overlaps it with IoU >= 0.3, or when the detection grown
by Blindspot's plate margin (15% per side) covers >= 80% of it (the plate is then blurred). Other
detections are false positives (FP: on the plate photos; FP neg: on face photos; FP sign: on
bikes.mp4 frames with signs, text and lights but no plate); the unreadable bikes.mp4 plates are
reported apart from the target, and so are the held-out plates (found of all, and false positives
on their photos), which are there to choose among retrained models.
"""

import argparse
import json
import math
import os
import subprocess
import sys
import time
from typing import NamedTuple

import cv2
import numpy as np

from verifier_patch import patch

HERE = os.path.dirname(os.path.abspath(__file__))


class Sizing(NamedTuple):
    """How Blindspot scales a frame for the plate detector (DNNDetector.inputSize)."""
    long_side: int  # larger frames are shrunk to it
    enlarge_to: int  # smaller frames are enlarged toward it (at most long_side) ...
    max_enlargement: float  # ... by at most this factor

    def fit(self, w, h):
        if max(w, h) > self.long_side:
            return self.long_side / max(w, h)
        return min(self.max_enlargement, max(1.0, min(self.enlarge_to, self.long_side) / max(w, h)))


def input_size(entry, w, h, sizing):
    inp = entry["input"]
    multiple = inp.get("multiple_of")
    if not multiple:
        return inp["width"], inp["height"], False
    fit = sizing.fit(w, h)
    up = lambda v: max(multiple, int(math.ceil(v / multiple)) * multiple)  # noqa: E731
    return up(w * fit), up(h * fit), True


def detector_fit(entry, image, sizing):
    """The factor by which the detector's input scales `image` (1 where the network's input is
    stretched to a fixed size instead)."""
    w, h, letterbox = input_size(entry, image.shape[1], image.shape[0], sizing)
    return min(w / image.shape[1], h / image.shape[0], sizing.max_enlargement) if letterbox else 1.0


class Model:
    def __init__(self, entry, directory):
        self.entry = entry
        files = {f["role"]: os.path.join(directory, f["name"]) for f in entry["files"]}
        self.model, self.config = files["model"], files.get("config", "")
        self.nets = {}

    def net(self, w, h):
        if (w, h) not in self.nets:  # one network per input size, as the shim
            net = cv2.dnn.readNet(self.model, self.config)
            net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
            self.nets[(w, h)] = net
        return self.nets[(w, h)]

    def forward(self, image, w, h, letterbox, max_enlargement):
        e = self.entry
        if letterbox:
            fit = min(w / image.shape[1], h / image.shape[0], max_enlargement)
            tw, th = max(1, int(image.shape[1] * fit + 0.5)), max(1, int(image.shape[0] * fit + 0.5))
            padded = np.zeros((h, w, 3), np.uint8)
            padded[:th, :tw] = cv2.resize(image, (tw, th), interpolation=cv2.INTER_AREA if fit < 1 else cv2.INTER_LINEAR)
            back_x, back_y, src = image.shape[1] / tw, image.shape[0] / th, padded
        else:
            back_x, back_y, src = image.shape[1] / w, image.shape[0] / h, image
        inp = e["input"]
        blob = cv2.dnn.blobFromImage(src, inp["scale"], (w, h), tuple(inp["mean"]), inp["channels"].lower() == "rgb", False)
        net = self.net(w, h)
        net.setInput(blob)
        outs = net.forward(list(net.getUnconnectedOutLayersNames()))
        return outs, back_x, back_y

    def detect(self, image, sizing, threshold=None):
        e = self.entry
        thr = threshold if threshold is not None else e.get("score_threshold", 0.5)
        w, h, letterbox = input_size(e, image.shape[1], image.shape[0], sizing)
        outs, bx, by = self.forward(image, w, h, letterbox, sizing.max_enlargement)
        boxes, scores = [], []
        if e["architecture"] == "centerface":
            heat = next(o for o in outs if o.shape[1] == 1)[0, 0]
            two = [o for o in outs if o.shape[1] == 2]
            scale, offset = two[0][0], two[1][0]
            for r, c in zip(*np.nonzero(heat > thr)):
                sh, sw = math.exp(scale[0, r, c]) * 4, math.exp(scale[1, r, c]) * 4
                cx, cy = (c + offset[1, r, c] + 0.5) * 4, (r + offset[0, r, c] + 0.5) * 4
                x0, y0 = max(0.0, cx - sw / 2), max(0.0, cy - sh / 2)
                x1, y1 = min(w, x0 + sw), min(h, y0 + sh)
                if x1 > x0 and y1 > y0:
                    boxes.append([x0, y0, x1 - x0, y1 - y0])
                    scores.append(float(heat[r, c]))
        else:
            rows = outs[0].reshape(-1, 7)
            cls = e.get("class_id")
            for row in rows:
                if row[2] <= thr or (cls is not None and int(row[1]) != cls):
                    continue
                x0, y0, x1, y1 = row[3] * w, row[4] * h, row[5] * w, row[6] * h
                if x1 > x0 and y1 > y0:
                    boxes.append([x0, y0, x1 - x0, y1 - y0])
                    scores.append(float(row[2]))
        keep = cv2.dnn.NMSBoxes(boxes, scores, thr, 0.3) if boxes else []
        found = []
        for i in np.array(keep).flatten():
            x, y, bw, bh = boxes[i]
            x0 = float(np.clip(x * bx, 0, image.shape[1]))
            y0 = float(np.clip(y * by, 0, image.shape[0]))
            x1 = float(np.clip((x + bw) * bx, 0, image.shape[1]))
            y1 = float(np.clip((y + bh) * by, 0, image.shape[0]))
            if x1 > x0 and y1 > y0:
                found.append(([x0, y0, x1 - x0, y1 - y0], scores[i]))
        return found


class Verifier:
    """A plate verifier (verifier_patch.py) as Blindspot runs it on the detector's boxes: a box it
    scores under its threshold becomes a weak box, which the tracker redacts only when it recurs, so
    on a single photo it is dropped."""

    def __init__(self, path, threshold):
        self.threshold = threshold
        self.net = cv2.dnn.readNet(path)
        self.net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)

    def score(self, image, box):
        x, y, w, h = box
        self.net.setInput(cv2.dnn.blobFromImage(patch(image, (x, y, x + w, y + h)), 1 / 255))
        return float(self.net.forward().ravel()[0])

    def keep(self, image, detections, fit=1.0):
        """The detections (boxes in `image`'s pixels) the verifier passes. The shim cuts its patches
        out of the image the detector saw, the frame scaled by `fit`, and so does this."""
        if fit != 1.0:
            size = (max(1, int(image.shape[1] * fit + 0.5)), max(1, int(image.shape[0] * fit + 0.5)))
            image = cv2.resize(image, size, interpolation=cv2.INTER_AREA if fit < 1 else cv2.INTER_LINEAR)
        return [(box, score) for box, score in detections
                if self.score(image, [v * fit for v in box]) >= self.threshold]


def iou(a, b):
    ix = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / max(1e-9, a[2] * a[3] + b[2] * b[3] - inter)


def covers(det, gt, margin=0.15):
    x0, y0 = det[0] - det[2] * margin, det[1] - det[3] * margin
    x1, y1 = det[0] + det[2] * (1 + margin), det[1] + det[3] * (1 + margin)
    ix = max(0, min(x1, gt[0] + gt[2]) - max(x0, gt[0]))
    iy = max(0, min(y1, gt[1] + gt[3]) - max(y0, gt[1]))
    return ix * iy / max(1e-9, gt[2] * gt[3])


def matches(det, gt):
    return iou(det, gt) >= 0.3 or covers(det, gt) >= 0.8


def load(assets, item):
    path = os.path.join(assets, item["file"])
    if "frame" in item:
        cap = cv2.VideoCapture(path)
        cap.set(cv2.CAP_PROP_POS_FRAMES, item["frame"])
        ok, img = cap.read()
        if not ok:  # fall back to ffmpeg (frame-exact)
            raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-vf", f"select=eq(n\\,{item['frame']})", "-vsync", "0",
                                  "-frames:v", "1", "-f", "image2pipe", "-vcodec", "png", "-"], capture_output=True).stdout
            img = cv2.imdecode(np.frombuffer(raw, np.uint8), cv2.IMREAD_COLOR)
        return img
    if path.endswith(".webp"):
        img = cv2.imread(path)
        if img is None:
            raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "image2pipe", "-vcodec", "png", "-"], capture_output=True).stdout
            img = cv2.imdecode(np.frombuffer(raw, np.uint8), cv2.IMREAD_COLOR)
        return img
    return cv2.imread(path)


class Photos(NamedTuple):
    """The photos of validation-boxes.json, loaded."""
    target: list  # (item, image): the plate photos of the recall target
    held_out: list  # (item, image): plates kept apart for choosing among retrained models
    negatives: list  # face photos, no plate
    sign_frames: list  # bikes.mp4 frames with signs, text and lights, no plate


def load_photos(assets):
    truth = json.load(open(os.path.join(HERE, "validation-boxes.json")))
    signs = truth["sign_frames"]
    return Photos(target=[(item, load(assets, item)) for item in truth["images"]],
                  held_out=[(item, load(assets, item)) for item in truth["held_out"]["images"]],
                  negatives=[cv2.imread(os.path.join(assets, name)) for name in truth["negatives"]],
                  sign_frames=[load(assets, {"file": signs["file"], "frame": k}) for k in signs["frames"]])


def match_plates(detections, plates):
    """For each plate box (x, y, w, h), the indices of the detections ([(box, score)]) that match it,
    and how many detections match no plate."""
    hits = [[i for i, (box, _) in enumerate(detections) if matches(box, plate)] for plate in plates]
    return hits, len(detections) - len(set().union(*hits))


def score_plates(detect, images, verbose_label=None):
    """Legible and unreadable plates found on (item, image) pairs, detections that match no plate,
    and each plate's best score."""
    found = total = fps = small = small_total = 0
    detail = []
    for item, img in images:
        dets = detect(img)
        hits, unmatched = match_plates(dets, [p["box"] for p in item["plates"]])
        for p, hit in zip(item["plates"], hits):
            if p["legible"]:
                total += 1
                found += bool(hit)
            else:
                small_total += 1
                small += bool(hit)
            detail.append({"file": item["file"], "box": p["box"], "found": bool(hit),
                           "score": max((dets[i][1] for i in hit), default=0.0)})
        fps += unmatched
        if verbose_label:
            print(f"  {verbose_label} {item['file']}: {[(list(map(round, d)), round(s, 2)) for d, s in dets]}")
    return found, total, small, small_total, fps, detail


def count(detect, photos, verbose_label=None):
    """Plates found by `detect` (image -> [(box x, y, w, h), score]) on `load_photos`' photos: on the
    target photos, legible and small (unreadable) ones and false positives; the same on the held-out
    photos (all their plates together); false positives on the face photos and the sign frames; and
    each plate's best score."""
    found, total, small, small_total, fps, detail = score_plates(detect, photos.target, verbose_label)
    h_found, h_total, h_small, h_small_total, h_fps, h_detail = score_plates(detect, photos.held_out, verbose_label)
    return {"legible_found": found, "legible": total, "false_positives": fps,
            "negative_photo_fps": sum(len(detect(img)) for img in photos.negatives),
            "sign_frame_fps": sum(len(detect(img)) for img in photos.sign_frames),
            "small_found": small, "small": small_total,
            "held_out_found": h_found + h_small, "held_out": h_total + h_small_total, "held_out_fps": h_fps,
            "plates": detail + h_detail}


def timing(model, w, h, runs=15):
    net = model.net(w, h)
    blob = np.random.default_rng(0).uniform(0, 255, (1, 3, h, w)).astype(np.float32) * model.entry["input"]["scale"]
    names = list(net.getUnconnectedOutLayersNames())
    net.setInput(blob)
    net.forward(names)
    times = []
    for _ in range(runs):
        net.setInput(blob)
        t = time.perf_counter()
        net.forward(names)
        times.append((time.perf_counter() - t) * 1000)
    return float(np.median(times))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default=os.environ.get("BLINDSPOT_MODELS", os.path.expanduser("~/.local/share/blindspot/models")))
    ap.add_argument("--assets", default=os.path.expanduser("~/.cache/blindspot/assets"))
    ap.add_argument("--ids", help="comma-separated plate model ids (default: every plate model)")
    ap.add_argument("--long-side", type=int, default=1440, help="larger photos are shrunk to it")
    ap.add_argument("--enlarge-to", type=int, help="smaller photos are enlarged toward it (default: --long-side)")
    ap.add_argument("--max-enlargement", type=float, default=2.0, help="largest enlargement of a smaller photo (1: never)")
    ap.add_argument("--threshold", type=float, help="override every model's score threshold")
    ap.add_argument("--verifier", help="a plate verifier (ONNX) that checks every plate model's boxes")
    ap.add_argument("--verifier-threshold", type=float, default=0.05,
                    help="boxes the verifier scores under this are dropped (default 0.05)")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    sizing = Sizing(args.long_side, args.enlarge_to or args.long_side, args.max_enlargement)
    cv2.setNumThreads(2)
    manifest = json.load(open(os.path.join(args.models, "manifest.json")))
    ids = args.ids.split(",") if args.ids else [m["id"] for m in manifest["models"] if m["task"] == "plate"]
    photos = load_photos(args.assets)
    verifier = Verifier(args.verifier, args.verifier_threshold) if args.verifier else None
    results = {}
    print(f"{'model':<22} {'legible':>8} {'FP':>3} {'FP neg':>6} {'FP sign':>7} {'small':>5} {'held-out':>8} {'FP':>3} "
          f"{'ms 320x320':>10} {'ms 640x384':>10}")
    for mid in ids:
        entry = next(m for m in manifest["models"] if m["id"] == mid)
        model = Model(entry, args.models)
        def detect(image, model=model, entry=entry):
            found = model.detect(image, sizing, args.threshold)
            return verifier.keep(image, found, detector_fit(entry, image, sizing)) if verifier else found

        r = count(detect, photos, mid if args.verbose else None)
        ms320 = timing(model, 320, 320) if entry["input"].get("multiple_of") else timing(model, entry["input"]["width"], entry["input"]["height"])
        ms640 = timing(model, 640, 384) if entry["input"].get("multiple_of") else float("nan")
        plates = r.pop("plates")
        results[mid] = r | {"ms_320x320": round(ms320, 1), "ms_640x384": round(ms640, 1), "plates": plates}
        print(f"{mid:<22} {r['legible_found']:>5}/{r['legible']:<2} {r['false_positives']:>3} {r['negative_photo_fps']:>6} "
              f"{r['sign_frame_fps']:>7} {r['small_found']:>3}/{r['small']:<1} {r['held_out_found']:>6}/{r['held_out']:<1} "
              f"{r['held_out_fps']:>3} {ms320:>10.1f} {ms640:>10.1f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
