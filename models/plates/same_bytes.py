"""Prints a hash of what each step of the recipe computes, on a small scale, so that two CPUs can be
compared: `recipe.sh same-bytes` runs it here and under QEMU's emulation of other CPUs and compares
the lines (README, "Same bytes on any CPU").

Usage: same_bytes.py --opencv-doc DEB --scikit-image WHL

Generation: 4 background photos, 40 rendered plates, 30 negatives (10 of them object negatives),
40 crops composed with cut plates, moving plates, enlarged backgrounds and camera blur, then one
low-bitrate H.264 round trip of 10 (FFmpeg runs as its own process, so natively under QEMU's user mode).
Training: 3 steps of train.py on those crops. Export: export.py on that checkpoint (the file's
bytes).
"""

import argparse
import hashlib
import json
import os
import sys
import tempfile

import reproducible  # first: it pins the libraries' CPU code paths as they load

import numpy as np
import torch

import export
import generate
import negatives_objects
import plates_render
import train


def report(step: str, value: str) -> None:
    print(f"same-bytes {step} {value}", flush=True)  # recipe.sh compares these lines only


def digest(*arrays) -> str:
    h = hashlib.sha256()
    for a in arrays:
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()[:16]


def weights_digest(checkpoint: str) -> str:
    state = torch.load(checkpoint, map_location="cpu", weights_only=True)["model"]
    return digest(*[t.numpy() for t in state.values()])


def run_script(main, argv) -> None:
    """Runs a recipe script's main() in this process, so that an emulator runs it too."""
    saved, sys.argv = sys.argv, argv
    try:
        main()
    finally:
        sys.argv = saved


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--opencv-doc", required=True)
    ap.add_argument("--scikit-image", required=True)
    args = ap.parse_args()
    torch.set_num_threads(1)
    print(f"PyTorch runs its {torch.backends.cpu.get_cpu_capability()} kernels", flush=True)

    backgrounds = [image for _, image in generate.load_backgrounds(args.opencv_doc, args.scikit_image, limit=4)]
    report("backgrounds", digest(*backgrounds))
    rng = np.random.default_rng([1, 0, 1])
    plates = [plates_render.random_plate(rng) for _ in range(40)]
    negatives = [plates_render.random_negative(rng) for _ in range(20)]
    object_rng = np.random.default_rng([1, 0, 2])
    negatives += [negatives_objects.random_object_negative(object_rng) for _ in range(10)]
    report("rendering", digest(*plates, *negatives))
    rng = np.random.default_rng([1, 50])  # seeded as generate.compose_chunk seeds a chunk's generators
    zoom_rng, blur_rng = np.random.default_rng([1, 50, 1]), np.random.default_rng([1, 50, 2])
    crops, boxes = [], []
    for _ in range(40):
        crop, b = generate.compose(rng, backgrounds, 256, plates, negatives, 240, 240, cut_plates=0.2,
                                   moving_plates=0.2, zoom_rng=zoom_rng, zoomed_backgrounds=0.3,
                                   blur_rng=blur_rng, camera_blurred=0.3)
        crops.append(crop)
        boxes.append(generate.stored(b))
    report("composition", digest(*crops))
    report("boxes", hashlib.sha256(json.dumps(boxes).encode()).hexdigest()[:16])
    crops[:10] = generate.h264(np.stack(crops[:10]), 38)
    report("h264", digest(*crops[:10]))

    with tempfile.TemporaryDirectory() as work:
        data, run = os.path.join(work, "data"), os.path.join(work, "run")
        os.makedirs(data)
        np.save(os.path.join(data, "images.npy"), np.stack(crops))
        with open(os.path.join(data, "boxes.json"), "w") as f:
            json.dump(boxes, f)
        run_script(train.main, ["train.py", "--data", data, "--out", run, "--steps", "3", "--batch", "8",
                                "--crop", "256", "--seed", "1"])
        report("training", weights_digest(os.path.join(run, "last.pt")))
        onnx = os.path.join(work, "model.onnx")
        run_script(export.main, ["export.py", "--checkpoint", os.path.join(run, "last.pt"), "--out", onnx,
                                 "--size-gain", "1.2"])
        with open(onnx, "rb") as f:
            report("export", hashlib.sha256(f.read()).hexdigest()[:16])


if __name__ == "__main__":
    main()
