"""Scores trained plate models on a synthetic validation set that no training run saw, to choose
among runs of one recipe without looking at the real plate photos or the evaluation videos.

Runs of one recipe differ a lot on the real sets (README, "What helped"), and the real plates are
test material. A set generate.py makes with a seed no training set uses, and without the vehicle
photos, is neither: each model runs on its 256x256 crops at their own size, decoded as the
manifest decodes blindspot-plates-v2 (every run of this recipe has its outputs) at its score
threshold, and a plate counts as found by evaluate.py's rule. Recall of plates 30-130 px wide
ranks runs roughly as the evaluation sets' readable plates do; it says nothing about the
motion-blurred photo plate, and its false positives nothing about the photos' (README).

Usage: /usr/bin/python3 validate.py --data data/validation MODEL.onnx [MODEL.onnx ...] [--json OUT]
(recipe.sh validate RUN... exports the runs and generates the set first.)
"""

import argparse
import json
import os

import cv2
import numpy as np

import evaluate

HERE = os.path.dirname(os.path.abspath(__file__))
BANDS = ((0, 30), (30, 130), (130, float("inf")))  # plate width in the crop, pixels


def band_name(low, high):
    return f"<{high}" if low == 0 else f">={low}" if high == float("inf") else f"{low}-{high}"


def manifest_entry(onnx_path):
    """blindspot-plates-v2's manifest entry, pointed at another file of the same network."""
    manifest = json.load(open(os.path.join(HERE, "..", "manifest.json")))
    entry = next(m for m in manifest["models"] if m["id"] == "blindspot-plates-v2")
    return entry | {"files": [{"role": "model", "name": os.path.abspath(onnx_path)}]}


def score(model, images, boxes):
    """Plates found and all plates per width band, and detections that match no plate."""
    found, total, false_positives = np.zeros(len(BANDS)), np.zeros(len(BANDS)), 0
    sizing = evaluate.Sizing(images.shape[2], images.shape[2], 1.0)  # the crop at its own size
    for image, corners in zip(images, boxes):
        plates = [[x0, y0, x1 - x0, y1 - y0] for x0, y0, x1, y1 in corners]  # generate.py's boxes as x, y, w, h
        hits, unmatched = evaluate.match_plates(model.detect(np.ascontiguousarray(image), sizing), plates)
        for plate, hit in zip(plates, hits):
            band = next(k for k, (low, high) in enumerate(BANDS) if low <= plate[2] < high)
            total[band] += 1
            found[band] += bool(hit)
        false_positives += unmatched
    return found, total, false_positives


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="a generate.py set (images.npy, boxes.json)")
    ap.add_argument("models", nargs="+", help="exported ONNX files (export.py)")
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args()
    cv2.setNumThreads(2)
    images = np.load(os.path.join(args.data, "images.npy"), mmap_mode="r")
    boxes = json.load(open(os.path.join(args.data, "boxes.json")))
    results = {}
    print(f"{'model':<40} " + " ".join(f"{band_name(*b):>8}" for b in BANDS) + f" {'FP/crop':>8}")
    for path in args.models:
        found, total, false_positives = score(evaluate.Model(manifest_entry(path), HERE), images, boxes)
        recall = found / np.maximum(total, 1)
        results[path] = {"recall": {band_name(*b): round(float(r), 4) for b, r in zip(BANDS, recall)},
                         "plates": {band_name(*b): int(t) for b, t in zip(BANDS, total)},
                         "false_positives_per_crop": round(false_positives / len(images), 4)}
        print(f"{path[-40:]:<40} " + " ".join(f"{100 * r:7.1f}%" for r in recall) + f" {false_positives / len(images):8.3f}",
              flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
