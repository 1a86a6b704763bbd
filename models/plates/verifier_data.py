"""Collects the plate verifier's training patches (verifier_patch.py): synthetic plates, and the places
where the plate detector fires on no plate.

Usage (recipe.sh passes the archives, the set and the detector):
    verifier_data.py --opencv-doc DEB --scikit-image WHL --data DIR --detector ONNX --out FILE
                     [--crops 8000] [--seed 1]

Plates: every plate at least 10 px wide in --crops random crops of a generate.py set. Negatives, what
the verifier must learn to turn down: the detector's boxes at the hysteresis floor (0.24, the
weakest box Blindspot's tracker looks at) that overlap no plate in those crops, each crop seen at its
size and enlarged 2x (as Blindspot enlarges small frames, where false positives multiply); its boxes
on every background photo at five sizes (mine.py's); and a few random plate-shaped windows per photo.
The set should be made --no-vehicle-photos, and the backgrounds are loaded without them, so that no
real plate is ever shown as a negative. The package plate and face photos and the evaluation videos
are never read (generate.EXCLUDED).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

import reproducible  # noqa: F401  first: it pins the libraries' CPU code paths as they load

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evaluate  # noqa: E402
import generate  # noqa: E402
import mine  # noqa: E402
from verifier_patch import patch  # noqa: E402

FLOOR = 0.24  # Blindspot's plate hysteresis floor (AnonymizeOptions): weaker boxes are never seen
MIN_PLATE_WIDTH = 10
RANDOM_WINDOWS_PER_PHOTO = 6


def corners(box):
    x, y, w, h = box
    return [x, y, x + w, y + h]


def on_a_plate(box, plates) -> bool:
    """Whether a detection (x, y, w, h) touches any plate (x0, y0, x1, y1): such boxes are neither
    plates nor clean negatives, so they are left out."""
    return any(evaluate.iou(box, p) > 0.1 or evaluate.covers(box, p) > 0.3
               for p in ([x0, y0, x1 - x0, y1 - y0] for x0, y0, x1, y1 in plates))


def from_crops(model, data, count, rng):
    images = np.load(os.path.join(data, "images.npy"), mmap_mode="r")
    boxes = json.load(open(os.path.join(data, "boxes.json")))
    plates, negatives = [], []
    for k in sorted(rng.choice(len(boxes), count, replace=False)):
        image = np.ascontiguousarray(images[k])
        plates += [patch(image, p) for p in boxes[k] if p[2] - p[0] >= MIN_PLATE_WIDTH]
        for enlargement in (1, 2):
            side = image.shape[1] * enlargement
            for box, _ in model.detect(image, evaluate.Sizing(side, side, enlargement)):
                if not on_a_plate(box, boxes[k]):
                    negatives.append(patch(image, corners(box)))
    return plates, negatives


def from_backgrounds(model, backgrounds, rng):
    fired, random = [], []
    for _, image in backgrounds:
        fired += [patch(image, corners(box)) for box, _, _ in mine.sightings(model, image)]
        h, w = image.shape[:2]
        for _ in range(RANDOM_WINDOWS_PER_PHOTO):
            width = math.exp(rng.uniform(math.log(16), math.log(min(240, w / 2))))
            height = width / rng.uniform(1.8, 5)
            x, y = rng.uniform(0, w - width), rng.uniform(0, h - height)
            random.append(patch(image, [x, y, x + width, y + height]))
    return fired, random


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--opencv-doc", required=True, help="opencv-doc .deb (backgrounds)")
    ap.add_argument("--scikit-image", required=True, help="scikit-image wheel (backgrounds)")
    ap.add_argument("--data", required=True, help="a generate.py set, made with --no-vehicle-photos")
    ap.add_argument("--detector", required=True, help="the plate detector (ONNX) whose boxes the verifier judges")
    ap.add_argument("--out", required=True, help="the patches (.npz)")
    ap.add_argument("--crops", type=int, default=8000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    cv2.setNumThreads(1)  # one thread: the same boxes on every machine
    started = time.time()
    rng = np.random.default_rng(args.seed)
    model = mine.candidate(args.detector, FLOOR)
    plates, crop_negatives = from_crops(model, args.data, args.crops, rng)
    backgrounds = generate.load_backgrounds(args.opencv_doc, args.scikit_image, vehicle_photos=False)
    fired, random = from_backgrounds(model, backgrounds, rng)
    np.savez(args.out, plates=np.array(plates), negatives=np.array(crop_negatives + fired + random))
    print(f"{len(plates)} plates; negatives: {len(crop_negatives)} in crops, {len(fired)} on {len(backgrounds)} "
          f"backgrounds, {len(random)} random; {time.time() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
