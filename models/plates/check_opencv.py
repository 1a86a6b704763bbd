"""Runs an exported plate model in this Python's cv2 (Debian's OpenCV 4.6) at each reference input
size, one cv::dnn::Net per size as Blindspot does, and compares the outputs with PyTorch's.

Usage: /usr/bin/python3 check_opencv.py MODEL.onnx REF.npz
"""

import sys
import time

import cv2
import numpy as np


def main() -> None:
    model, ref_path = sys.argv[1:3]
    ref = np.load(ref_path)
    sizes = sorted({k.split("_", 1)[1] for k in ref.files if k.startswith("x_")})
    worst = 0.0
    for size in sizes:
        net = cv2.dnn.readNet(model)
        net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
        names = list(net.getUnconnectedOutLayersNames())
        net.setInput(ref[f"x_{size}"])
        outs = net.forward(names)
        # The decoder reads heatmap (1 channel), then scale, then offset (2 channels each), in this order.
        channels = [o.shape[1] for o in outs]
        assert channels == [1, 2, 2], f"output order {names} has channels {channels}"
        for name, got in zip(["heatmap", "scale", "offset"], outs):
            want = ref[f"{name}_{size}"]
            assert got.shape == want.shape, f"{name} at {size}: {got.shape} != {want.shape}"
            worst = max(worst, float(np.abs(got - want).max()))
        times = []
        for _ in range(5):
            t = time.perf_counter()
            net.forward(names)
            times.append((time.perf_counter() - t) * 1000)
        print(f"OpenCV {cv2.__version__} {size}: outputs {names} match PyTorch, median {np.median(times):.1f} ms "
              f"({cv2.getNumThreads()} threads)")
    assert worst < 1e-3, f"OpenCV and PyTorch differ by up to {worst}"
    print(f"largest difference {worst:.2e}")


if __name__ == "__main__":
    main()
