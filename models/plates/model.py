"""The Blindspot plate detector: a small fully convolutional CenterNet with CenterFace-style outputs.

Input: 1x3xHxW BGR, pixel / 255 (H, W multiples of 32). Outputs, all at stride 4, in this order:
  heatmap 1x1xH/4xW/4 (sigmoid), scale 1x2xH/4xW/4 (log(h/4), log(w/4)), offset 1x2xH/4xW/4 (dy, dx in
  cells, centre = (cell + offset + 0.5) * 4) -- exactly what Blindspot's CenterFace decoder reads.
Depthwise-separable blocks throughout. Only Conv (BatchNorm folded at export), ReLU, Add, ConvTranspose (fixed nearest-neighbour 2x
upsampling) and Sigmoid: plain ops that OpenCV 4.6's ONNX importer runs at any input size.
"""

from __future__ import annotations

import torch
from torch import nn


def cbr(cin, cout, k=3, s=1, groups=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU(inplace=True))


class DW(nn.Module):
    """Depthwise 3x3 + pointwise 1x1; a residual connection when the shape is unchanged."""

    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.body = nn.Sequential(cbr(cin, cin, 3, stride, groups=cin), cbr(cin, cout, 1))
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.body(x)
        return x + y if self.residual else y


class Up2(nn.Module):
    """Nearest-neighbour 2x upsampling as a fixed depthwise ConvTranspose (exports as one plain op)."""

    def __init__(self, channels):
        super().__init__()
        self.up = nn.ConvTranspose2d(channels, channels, 2, 2, groups=channels, bias=False)
        nn.init.ones_(self.up.weight)
        self.up.weight.requires_grad_(False)

    def forward(self, x):
        return self.up(x)


class PlateNet(nn.Module):
    def __init__(self, width=1.0):
        super().__init__()
        c = [int(v * width) for v in (16, 24, 48, 96, 160)]
        f = 64
        self.stem = cbr(3, c[0], 3, 2)                                   # /2
        self.s4 = nn.Sequential(DW(c[0], c[1], 2), DW(c[1], c[1]))     # /4
        self.s8 = nn.Sequential(DW(c[1], c[2], 2), DW(c[2], c[2]))     # /8
        self.s16 = nn.Sequential(DW(c[2], c[3], 2), DW(c[3], c[3]), DW(c[3], c[3]))  # /16
        self.s32 = nn.Sequential(DW(c[3], c[4], 2), DW(c[4], c[4]))    # /32
        self.l32, self.l16, self.l8 = cbr(c[4], f, 1), cbr(c[3], f, 1), cbr(c[2], f, 1)
        self.l4 = cbr(c[1], 32, 1)
        self.up32, self.up16, self.up8 = Up2(f), Up2(f), Up2(32)
        self.m16, self.m8 = DW(f, f), DW(f, f)
        self.r8 = cbr(f, 32, 1)
        self.m4 = DW(32, 32)
        self.head = DW(32, 32)
        self.heat = nn.Conv2d(32, 1, 1)
        self.scale = nn.Conv2d(32, 2, 1)
        self.offset = nn.Conv2d(32, 2, 1)
        nn.init.constant_(self.heat.bias, -4.6)  # start at p = 0.01 (focal-loss prior)

    def forward(self, x):
        x4 = self.s4(self.stem(x))
        x8 = self.s8(x4)
        x16 = self.s16(x8)
        x32 = self.s32(x16)
        p16 = self.m16(self.l16(x16) + self.up32(self.l32(x32)))
        p8 = self.m8(self.l8(x8) + self.up16(p16))
        p4 = self.m4(self.l4(x4) + self.up8(self.r8(p8)))
        h = self.head(p4)
        # Important: the decoder tells scale from offset by order (both have 2 channels).
        return torch.sigmoid(self.heat(h)), self.scale(h), self.offset(h)


class PlateVerifier(nn.Module):
    """Second opinion on one detector box: plate or not, from the 1x3x48x96 context patch around it
    (verifier_patch.py; BGR / 255). Six plain 3x3 convolutions down to 3x6 cells, then one linear
    layer over all of them, so that where a thing sits in the patch counts (the box is its centre).
    Output: 1x1, the probability of a plate."""

    def __init__(self):
        super().__init__()
        layers = []
        for cin, cout, stride in ((3, 16, 2), (16, 32, 2), (32, 32, 1), (32, 64, 2), (64, 64, 1), (64, 96, 2)):
            layers += [nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(96 * 3 * 6, 1)

    def forward(self, x):
        return torch.sigmoid(self.head(torch.flatten(self.features(x), 1)))


class VerifierMean(nn.Module):
    """Several verifiers trained apart, averaged: each run of one recipe misjudges some real plates,
    and rarely the same ones (README, "A verifier on the detector's boxes")."""

    def __init__(self, verifiers):
        super().__init__()
        self.members = nn.ModuleList(verifiers)

    def forward(self, x):
        return sum(member(x) for member in self.members) / len(self.members)
