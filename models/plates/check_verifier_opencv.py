"""Runs an exported plate verifier in this Python's cv2 (Debian's OpenCV 4.6), as Blindspot's shim
does, on reference patches, and compares its scores with PyTorch's.

Usage: /usr/bin/python3 check_verifier_opencv.py VERIFIER.onnx REF.npz
"""

import sys
import time

import cv2
import numpy as np


def main() -> None:
    model, ref_path = sys.argv[1:3]
    ref = np.load(ref_path)
    net = cv2.dnn.readNet(model)
    net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
    got = []
    for x in ref["x"]:
        net.setInput(x[None])
        got.append(float(net.forward().ravel()[0]))
    worst = float(np.abs(np.array(got) - ref["scores"]).max())
    times = []
    for _ in range(20):
        t = time.perf_counter()
        net.forward()
        times.append((time.perf_counter() - t) * 1000)
    print(f"OpenCV {cv2.__version__}: {len(got)} patches, largest difference from PyTorch {worst:.2e}, "
          f"median {np.median(times):.2f} ms per patch ({cv2.getNumThreads()} threads)")
    assert worst < 1e-4, f"OpenCV and PyTorch differ by up to {worst}"


if __name__ == "__main__":
    main()
