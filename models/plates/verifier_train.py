"""Trains one plate verifier (model.PlateVerifier) on verifier_data.py's patches (CPU, one thread; for
a seed, the same bytes on any x86-64 CPU with AVX2: reproducible.py).

Usage: verifier_train.py --patches FILE --out DIR [--steps 3000] [--seed K] [--degraded 0.35]

Each step: 64 plates and 64 negatives drawn at random (a tenth of each kept apart to report on),
jittered as a detector's boxes jitter (scale 0.85-1.2, shift up to 12% of the patch, brightness and
contrast), and --degraded of them, of both kinds alike, smeared, blurred, shrunk and compressed, so
that blur tells the verifier nothing: Blindspot must still find blurred plates. Binary cross-entropy,
AdamW, one-cycle learning rate. Writes OUT/last.pt and OUT/train.log.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time

import reproducible  # first: it pins the libraries' CPU code paths as they load

import cv2
import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import PlateVerifier  # noqa: E402
from verifier_patch import PATCH_HEIGHT, PATCH_WIDTH  # noqa: E402

HALF_BATCH = 64


def motion_kernel(rng, length: int) -> np.ndarray:
    kernel = np.zeros((length, length), np.float32)
    angle, centre = rng.uniform(0, math.pi), (length - 1) / 2
    for t in np.linspace(-centre, centre, 2 * length):
        kernel[int(round(centre + t * math.sin(angle))), int(round(centre + t * math.cos(angle)))] = 1
    return kernel / kernel.sum()


def degrade(rng, patch: np.ndarray) -> np.ndarray:
    """A smear up to half a plate's width (a plate fills about half the patch), defocus, a lower
    resolution, JPEG: each with its own chance."""
    if rng.random() < 0.35:
        patch = cv2.filter2D(patch, -1, motion_kernel(rng, int(rng.integers(3, 26))))
    if rng.random() < 0.2:
        patch = cv2.GaussianBlur(patch, (0, 0), rng.uniform(1, 4))
    if rng.random() < 0.3:
        f = rng.uniform(0.25, 0.7)
        small = cv2.resize(patch, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        patch = cv2.resize(small, (PATCH_WIDTH, PATCH_HEIGHT), interpolation=cv2.INTER_LINEAR)
    if rng.random() < 0.3:
        quality = int(rng.integers(10, 50))
        patch = cv2.imdecode(cv2.imencode(".jpg", patch, [cv2.IMWRITE_JPEG_QUALITY, quality])[1], cv2.IMREAD_COLOR)
    return patch


def jitter(x: torch.Tensor) -> torch.Tensor:
    """N x 3 x H x W in 0..1: moved and scaled as detector boxes are, lighter or darker."""
    n = x.shape[0]
    scale = torch.exp(torch.empty(n).uniform_(math.log(0.85), math.log(1.2)))
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0] = scale * torch.empty(n).uniform_(0.9, 1.1)
    theta[:, 1, 1] = scale * torch.empty(n).uniform_(0.9, 1.1)
    theta[:, :, 2] = torch.empty(n, 2).uniform_(-0.12, 0.12)
    x = F.grid_sample(x, F.affine_grid(theta, list(x.shape), align_corners=False), align_corners=False)
    x = x * torch.empty(n, 1, 1, 1).uniform_(0.6, 1.4) + torch.empty(n, 1, 1, 1).uniform_(-0.15, 0.15)
    return x.clamp(0, 1)


def as_input(patches: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(patches).permute(0, 3, 1, 2).float() / 255


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--patches", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--degraded", type=float, default=0.35, help="share of patches degraded (each kind alike)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    cv2.setNumThreads(1)
    reproducible.check(torch)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    os.makedirs(args.out, exist_ok=True)
    log = open(os.path.join(args.out, "train.log"), "a")

    def say(text):
        print(text, flush=True)
        log.write(text + "\n")
        log.flush()

    data = np.load(args.patches)
    plates, negatives = data["plates"], data["negatives"]
    plate_order, negative_order = rng.permutation(len(plates)), rng.permutation(len(negatives))
    held_plates, train_plates = np.split(plate_order, [len(plates) // 10])
    held_negatives, train_negatives = np.split(negative_order, [len(negatives) // 10])
    say(f"{len(plates)} plates, {len(negatives)} negatives; seed {args.seed}, {args.steps} steps, degraded {args.degraded}")

    net = PlateVerifier().to(memory_format=torch.channels_last)
    optimizer = torch.optim.AdamW(net.parameters(), args.lr, weight_decay=1e-4, fused=True)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, args.lr, total_steps=args.steps, pct_start=0.05)
    labels = torch.cat([torch.ones(HALF_BATCH), torch.zeros(HALF_BATCH)])
    started = time.time()
    for step in range(args.steps):
        batch = np.concatenate([plates[rng.choice(train_plates, HALF_BATCH)],
                                negatives[rng.choice(train_negatives, HALF_BATCH)]])
        batch = np.stack([degrade(rng, p) if rng.random() < args.degraded else p for p in batch])
        x = jitter(as_input(batch)).contiguous(memory_format=torch.channels_last)
        loss = F.binary_cross_entropy(net(x).squeeze(1), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        if step % 500 == 0 or step == args.steps - 1:
            say(f"step {step} loss {loss.item():.4f} {time.time() - started:.0f} s")
    net.eval()
    with torch.no_grad():
        def scores(patches):
            return torch.cat([net(as_input(patches[i:i + 512])).squeeze(1) for i in range(0, len(patches), 512)]).numpy()
        plate_scores, negative_scores = scores(plates[held_plates]), scores(negatives[held_negatives])
    for threshold in (0.02, 0.05, 0.1, 0.2):
        say(f"held out, threshold {threshold}: plates kept {np.mean(plate_scores >= threshold):.4f}, "
            f"negatives turned down {np.mean(negative_scores < threshold):.4f}")
    torch.save({"model": net.state_dict(), "step": args.steps}, os.path.join(args.out, "last.pt"))
    say(f"done in {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
