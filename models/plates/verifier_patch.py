"""The context patch the plate verifier sees around a detector box.

The verifier judges a box by its surroundings as much as by its contents (teeth sit in a face, a
plate on a bumper), so the patch is twice the box's width, or four times its height where that is
wider, and half as tall as it is wide, centred on the box: a 4:1 plate fills half its width, a 2:1
plate half its height. The window is cut out of the frame, resized (area averaging when shrinking,
bilinear when enlarging) and placed on black where it runs off the frame: plain integer crops and
one resize, so that Blindspot's C++ shim can repeat it with the same OpenCV calls.
"""

from __future__ import annotations

import cv2
import numpy as np

PATCH_WIDTH, PATCH_HEIGHT = 96, 48


def window(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) -> the context window (x, y, width, height), in frame pixels."""
    x0, y0, x1, y1 = box
    width = max(2 * (x1 - x0), 4 * (y1 - y0), 1.0)
    height = width / 2
    return (x0 + x1) / 2 - width / 2, (y0 + y1) / 2 - height / 2, width, height


def patch(frame: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """The PATCH_HEIGHT x PATCH_WIDTH x 3 uint8 patch of `frame` (BGR) around `box`."""
    wx, wy, ww, wh = window(box)
    scale = PATCH_WIDTH / ww
    out = np.zeros((PATCH_HEIGHT, PATCH_WIDTH, 3), np.uint8)
    # The part of the window inside the frame, in whole frame pixels ...
    sx0, sy0 = max(0, int(round(wx))), max(0, int(round(wy)))
    sx1, sy1 = min(frame.shape[1], int(round(wx + ww))), min(frame.shape[0], int(round(wy + wh)))
    # ... and where it lands in the patch.
    dx0, dy0 = max(0, int(round((sx0 - wx) * scale))), max(0, int(round((sy0 - wy) * scale)))
    dx1 = min(PATCH_WIDTH, int(round((sx1 - wx) * scale)))
    dy1 = min(PATCH_HEIGHT, int(round((sy1 - wy) * scale)))
    if sx1 <= sx0 or sy1 <= sy0 or dx1 <= dx0 or dy1 <= dy0:
        return out
    shrinking = (dx1 - dx0) < (sx1 - sx0)
    out[dy0:dy1, dx0:dx1] = cv2.resize(frame[sy0:sy1, sx0:sx1], (dx1 - dx0, dy1 - dy0),
                                       interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR)
    return out
