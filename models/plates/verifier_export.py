"""Exports trained plate verifiers as one ONNX file that averages their scores (model.VerifierMean;
opset 11, static 1x3x48x96 input, BatchNorm folded as export.py folds it) and checks it in Debian's
OpenCV 4.6 against PyTorch.

Usage: verifier_export.py --runs runs/verifier-s1 runs/verifier-s2 --out blindspot-plate-verifier-v1.onnx
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

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from export import fold_batch_norms, inline_identities  # noqa: E402
from model import PlateVerifier, VerifierMean  # noqa: E402
from verifier_patch import PATCH_HEIGHT, PATCH_WIDTH  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", nargs="+", required=True, help="verifier_train.py output folders")
    ap.add_argument("--out", required=True)
    ap.add_argument("--opencv-python", default="/usr/bin/python3", help="a Python with Debian's cv2 4.6")
    args = ap.parse_args()
    torch.set_num_threads(1)
    members = []
    for run in args.runs:
        member = PlateVerifier()
        member.load_state_dict(torch.load(os.path.join(run, "last.pt"), map_location="cpu", weights_only=True)["model"])
        members.append(member)
    model = VerifierMean(members).eval()
    reference = copy.deepcopy(model)  # unfolded: OpenCV's scores are checked against it
    fold_batch_norms(model)
    torch.onnx.export(model, torch.zeros(1, 3, PATCH_HEIGHT, PATCH_WIDTH), args.out, opset_version=11,
                      input_names=["patch"], output_names=["plate"], do_constant_folding=True)
    inline_identities(args.out)
    data = open(args.out, "rb").read()
    print(f"{args.out}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}")
    x = np.random.default_rng(0).uniform(0, 1, (32, 3, PATCH_HEIGHT, PATCH_WIDTH)).astype(np.float32)
    with torch.no_grad():
        scores = reference(torch.from_numpy(x)).squeeze(1).numpy()
    with tempfile.TemporaryDirectory() as tmp:
        np.savez(os.path.join(tmp, "ref.npz"), x=x, scores=scores)
        subprocess.run([args.opencv_python, os.path.join(HERE, "check_verifier_opencv.py"), args.out,
                        os.path.join(tmp, "ref.npz")], check=True, env=reproducible.unpinned_environment())


if __name__ == "__main__":
    main()
