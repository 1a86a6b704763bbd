"""Exports a trained checkpoint to ONNX (opset 11, static 1x3x320x320 input, BatchNorm folded) and
checks it in Debian's OpenCV 4.6 DNN (/usr/bin/python3 with python3-opencv) against PyTorch at the
input sizes Blindspot uses.

Usage: export.py --checkpoint runs/v2/last.pt --out blindspot-plates-v2.onnx
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from model import PlateNet  # noqa: E402

SIZES = [(320, 320), (640, 384), (960, 544), (1440, 832)]


def inline_identities(path: str) -> None:
    """PyTorch's exporter shares equal constant tensors through Identity nodes (here: the fixed
    upsampling weights); OpenCV 4.6 cannot import an Identity of an initializer, so give each its
    own copy."""
    import onnx
    from onnx import numpy_helper

    m = onnx.load(path)
    inits = {i.name: i for i in m.graph.initializer}
    for node in list(m.graph.node):
        if node.op_type == "Identity" and node.input[0] in inits:
            copy = numpy_helper.from_array(numpy_helper.to_array(inits[node.input[0]]), node.output[0])
            m.graph.initializer.append(copy)
            m.graph.node.remove(node)
    onnx.checker.check_model(m)
    onnx.save(m, path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", help="train.py's last.pt (omit to export untrained weights, for tests)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--size-gain", type=float, default=1.0,
                    help="scale every predicted box by this factor (folded into the scale head's bias)")
    ap.add_argument("--last-weights", action="store_true",
                    help="export the last step's weights of a run trained with --ema, not their average")
    ap.add_argument("--opencv-python", default="/usr/bin/python3", help="a Python with Debian's cv2 4.6")
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    state = torch.load(args.checkpoint, map_location="cpu") if args.checkpoint else {}
    model = PlateNet(state.get("width", 1.0))  # checkpoints before --width are all 1.0
    if state:  # a run trained with --ema exports its averaged weights unless told otherwise
        model.load_state_dict(state["ema"] if "ema" in state and not args.last_weights else state["model"])
    model.eval()
    with torch.no_grad():  # log-size outputs: adding log(gain) multiplies box width and height by gain
        model.scale.bias.add_(float(np.log(args.size_gain)))
    dummy = torch.zeros(1, 3, 320, 320)
    torch.onnx.export(model, dummy, args.out, opset_version=11, input_names=["input"],
                      output_names=["heatmap", "scale", "shift"], do_constant_folding=True)
    inline_identities(args.out)
    data = open(args.out, "rb").read()
    print(f"{args.out}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}")

    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        ref = {}
        for w, h in SIZES:
            x = rng.uniform(0, 1, (1, 3, h, w)).astype(np.float32)
            with torch.no_grad():
                outs = model(torch.from_numpy(x))
            ref[f"x_{w}x{h}"] = x
            for name, o in zip(["heatmap", "scale", "offset"], outs):
                ref[f"{name}_{w}x{h}"] = o.numpy()
        np.savez(os.path.join(tmp, "ref.npz"), **ref)
        subprocess.run([args.opencv_python, os.path.join(HERE, "check_opencv.py"), args.out, os.path.join(tmp, "ref.npz")],
                       check=True)


if __name__ == "__main__":
    main()
