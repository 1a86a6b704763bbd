"""Measures the YOLOv8n plate models found in PyPI packages on the same real plate photos, with the
same rules as evaluate.py (found: IoU >= 0.3, or covered >= 80% with Blindspot's 15% plate margin;
every other box a false positive), so that Blindspot's own detector is compared on equal terms.

They run in PyTorch through Ultralytics' own predictor (OpenCV 4.6 cannot run their graph as it
ships), at the input sizes and confidences given. Nothing here is part of Blindspot: the models
carry Ultralytics (AGPL-3.0) terms and are only measured. `recipe.sh compare-yolo` installs what it
needs and runs it.

Usage: python evaluate_yolo.py --weights NAME=FILE.pt [--weights ...] [--sizes 640,960,1280]
                               [--confidences 0.25] [--assets DIR] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os

from ultralytics import YOLO

import evaluate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weights", action="append", required=True, help="NAME=FILE.pt (repeatable)")
    ap.add_argument("--sizes", default="640,960,1280", help="Ultralytics imgsz values")
    ap.add_argument("--confidences", default="0.25", help="confidence thresholds (0.25: Ultralytics' default)")
    ap.add_argument("--assets", default=os.path.expanduser("~/.cache/blindspot/assets"))
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args()
    photos = evaluate.load_photos(args.assets)
    results = []
    print(f"{'model':<16} {'imgsz':>5} {'conf':>5} {'legible':>8} {'FP':>3} {'FP neg':>6} {'FP sign':>7}")
    for spec in args.weights:
        name, path = spec.split("=", 1)
        model = YOLO(path)
        for size in map(int, args.sizes.split(",")):
            for confidence in map(float, args.confidences.split(",")):
                def detect(image, size=size, confidence=confidence):
                    result = model.predict(image, imgsz=size, conf=confidence, verbose=False)[0]
                    return [([x0, y0, x1 - x0, y1 - y0], score)
                            for (x0, y0, x1, y1), score in zip(result.boxes.xyxy.tolist(), result.boxes.conf.tolist())]
                row = {"model": name, "imgsz": size, "conf": confidence} | evaluate.count(detect, photos)
                results.append(row)
                print(f"{name:<16} {size:>5} {confidence:>5} {row['legible_found']:>6}/{row['legible']} "
                      f"{row['false_positives']:>3} {row['negative_photo_fps']:>6} {row['sign_frame_fps']:>7}", flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
