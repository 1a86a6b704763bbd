"""Finds the places in the training backgrounds where a trained plate model fires: hard negatives that
are real photo texture rather than rendered signs. generate.py --mined shows them to the next model
more often, so that it learns what the last one took for a plate.

Usage (recipe.sh passes the background archives and the model):
    mine.py --opencv-doc DEB --scikit-image WHL --model ONNX --out FILE [--threshold 0.3]

Each background photo (as generate.py loads it, long side at most 1024 px) is seen by the model at
several sizes, the way Blindspot sees frames smaller and larger than its detection size. Every
detection over the threshold is written to FILE's "places" as [background, x0, y0, x1, y1, scale,
score]: the background's archive path, the box in its pixels, and the scale the model saw the photo
at (the box was that many times larger in the model's input). The backgrounds are generate.py's
(no validation photo); looking at where a model fires here is also how the photos with real,
unlabelled plates among them (generate.VEHICLE_PHOTOS) were found.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import cv2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evaluate  # noqa: E402
import generate  # noqa: E402

# Long sides the model sees each background at: shrunk, native, and enlarged as Blindspot enlarges
# small frames (up to its 1440 px detection size, by at most 2x).
LONG_SIDES = (512, 768, 1024, 1440, 2048)

# The committed model's manifest entry gives the input layout and decoder, the same for every
# candidate of this network.
MANIFEST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "manifest.json")
NETWORK = "blindspot-plates-v2"


def candidate(path: str, threshold: float) -> evaluate.Model:
    """A trained model file of the committed network, run as Blindspot runs it, down to `threshold`."""
    committed = next(m for m in json.load(open(MANIFEST))["models"] if m["id"] == NETWORK)
    entry = committed | {"files": [{"role": "model", "name": os.path.abspath(path)}], "score_threshold": threshold}
    return evaluate.Model(entry, "/")


def sightings(model: evaluate.Model, image):
    """The model's detections on `image` seen at each of LONG_SIDES: (box x, y, w, h in the image's
    pixels, the scale it was seen at, score)."""
    for long_side in LONG_SIDES:
        scale = long_side / max(image.shape[:2])
        for box, score in model.detect(image, evaluate.Sizing(long_side, long_side, max_enlargement=scale)):
            yield box, scale, score


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--opencv-doc", required=True, help="opencv-doc .deb (backgrounds)")
    ap.add_argument("--scikit-image", required=True, help="scikit-image wheel (backgrounds)")
    ap.add_argument("--model", required=True, help="the trained plate model (ONNX) to mine with")
    ap.add_argument("--out", required=True)
    ap.add_argument("--threshold", type=float, default=0.3,
                    help="lowest score kept: under the 0.4 Blindspot uses, to catch near misses too")
    args = ap.parse_args()
    cv2.setNumThreads(os.cpu_count() or 1)
    started = time.time()
    backgrounds = generate.load_backgrounds(args.opencv_doc, args.scikit_image)
    model = candidate(args.model, args.threshold)
    mined = []
    for name, image in backgrounds:
        for (x, y, w, h), scale, score in sightings(model, image):
            mined.append([name, round(x, 1), round(y, 1), round(x + w, 1), round(y + h, 1),
                          round(scale, 3), round(score, 3)])
    with open(args.out, "w") as f:
        json.dump({"model": os.path.basename(args.model), "threshold": args.threshold,
                   "backgrounds": len(backgrounds), "places": mined}, f)
    print(f"{len(mined)} detections in {len({m[0] for m in mined})} of {len(backgrounds)} backgrounds, "
          f"{time.time() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
