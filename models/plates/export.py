"""Exports a trained checkpoint to ONNX (opset 11, static 1x3x320x320 input, BatchNorm folded) and
checks it in Debian's OpenCV 4.6 DNN (/usr/bin/python3 with python3-opencv) against PyTorch at the
input sizes Blindspot uses.

Usage: export.py --checkpoint runs/v2/last.pt --out blindspot-plates-v2.onnx
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import os
import subprocess
import sys
import tempfile

import reproducible  # first: it pins the libraries' CPU code paths as they load

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from model import PlateNet  # noqa: E402

SIZES = [(320, 320), (640, 384), (960, 544), (1440, 832)]


def fold_batch_norms(model: nn.Module) -> None:
    """Folds each BatchNorm of an eval-mode model into the convolution before it, in float64.

    The exporter would fold them itself with PyTorch's sqrt, which is not correctly rounded and
    rounds differently on other CPUs: the file's weights then differed in their last bits. NumPy's
    float64 sqrt is exact, so this folding writes the same bytes everywhere."""
    def f64(tensor):
        return tensor.detach().double().numpy()

    for block in [m for m in model.modules() if isinstance(m, nn.Sequential)]:
        layers = list(block.children())
        for i, (conv, norm) in enumerate(zip(layers, layers[1:])):
            if not (isinstance(conv, nn.Conv2d) and isinstance(norm, nn.BatchNorm2d)):
                continue
            gain = f64(norm.weight) / np.sqrt(f64(norm.running_var) + norm.eps)
            bias = f64(conv.bias) if conv.bias is not None else 0.0
            folded = nn.Conv2d(conv.in_channels, conv.out_channels, conv.kernel_size, conv.stride, conv.padding,
                               groups=conv.groups, bias=True)
            with torch.no_grad():
                folded.weight.copy_(torch.from_numpy((f64(conv.weight) * gain[:, None, None, None]).astype(np.float32)))
                folded.bias.copy_(torch.from_numpy(((bias - f64(norm.running_mean)) * gain + f64(norm.bias))
                                                   .astype(np.float32)))
            block[i], block[i + 1] = folded, nn.Identity()


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
    reference = copy.deepcopy(model)  # unfolded: OpenCV's outputs are checked against it
    fold_batch_norms(model)
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
                outs = reference(torch.from_numpy(x))
            ref[f"x_{w}x{h}"] = x
            for name, o in zip(["heatmap", "scale", "offset"], outs):
                ref[f"{name}_{w}x{h}"] = o.numpy()
        np.savez(os.path.join(tmp, "ref.npz"), **ref)
        subprocess.run([args.opencv_python, os.path.join(HERE, "check_opencv.py"), args.out, os.path.join(tmp, "ref.npz")],
                       check=True, env=reproducible.unpinned_environment())


if __name__ == "__main__":
    main()
