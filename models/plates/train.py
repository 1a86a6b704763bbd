"""Trains the plate detector on the set generate.py made (CPU, one thread; for a seed, the same bytes
on any x86-64 CPU with AVX2: reproducible.py).

Usage: train.py --data DIR --out DIR [--steps N] [--batch B] [--seed K]

CenterNet targets at stride 4: an elliptical Gaussian per plate on the heatmap (penalty-reduced focal
loss), and log-size and centre-offset regression on every cell near the centre (L1 weighted by the
Gaussian), so that any cell above the threshold decodes to the whole plate and NMS merges them.
Writes OUT/last.pt (weights + step) every 250 steps and OUT/train.log. With --ema the checkpoint also
holds a moving average of the weights, which export.py then exports instead of the last step's.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import sys
import time

import reproducible  # first: it pins the libraries' CPU code paths as they load

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import PlateNet  # noqa: E402

STRIDE = 4


def targets(boxes_per_image, size):
    """Heatmap, regression targets (log h/4, log w/4, dy, dx) and regression weights for a batch."""
    n, g = len(boxes_per_image), size // STRIDE
    heat = np.zeros((n, 1, g, g), np.float32)
    reg = np.zeros((n, 4, g, g), np.float32)
    weight = np.zeros((n, 1, g, g), np.float32)
    rows = np.arange(g, dtype=np.float32)[:, None]
    cols = np.arange(g, dtype=np.float32)[None, :]
    for i, boxes in enumerate(boxes_per_image):
        for x0, y0, x1, y1 in boxes:
            w, h = x1 - x0, y1 - y0
            cx, cy = (x0 + x1) / 2 / STRIDE, (y0 + y1) / 2 / STRIDE
            ci, ri = min(g - 1, int(cx)), min(g - 1, int(cy))
            sx = max(0.6, 0.15 * w / STRIDE)
            sy = max(0.6, 0.15 * h / STRIDE)
            gauss = np.exp(-((cols - ci) ** 2 / (2 * sx * sx) + (rows - ri) ** 2 / (2 * sy * sy)))
            heat[i, 0] = np.maximum(heat[i, 0], gauss)
            near = (gauss > 0.3) & (gauss >= weight[i, 0])
            near[ri, ci] = True
            reg[i, 0][near] = math.log(max(h, 2) / STRIDE)
            reg[i, 1][near] = math.log(max(w, 2) / STRIDE)
            reg[i, 2][near] = (cy - 0.5 - rows.repeat(g, 1))[near]
            reg[i, 3][near] = (cx - 0.5 - cols.repeat(g, 0))[near]
            weight[i, 0][near] = np.maximum(gauss[near], weight[i, 0][near])
            heat[i, 0, ri, ci] = 1.0
    return torch.from_numpy(heat), torch.from_numpy(reg), torch.from_numpy(weight)


def crop(rng, image, boxes, out):
    """A random out x out crop that cuts as few plates as possible; plates cut to under 40% of their
    area are dropped, the rest are clipped."""
    size = image.shape[0]
    best = None
    for _ in range(4):
        ox, oy = (int(v) for v in rng.integers(0, size - out + 1, 2))
        cut = sum(1 for b in boxes if (b[0] < ox or b[1] < oy or b[2] > ox + out or b[3] > oy + out)
                  and (b[2] > ox and b[3] > oy and b[0] < ox + out and b[1] < oy + out))
        if best is None or cut < best[0]:
            best = (cut, ox, oy)
    _, ox, oy = best
    kept = []
    for x0, y0, x1, y1 in boxes:
        cx0, cy0 = max(x0 - ox, 0), max(y0 - oy, 0)
        cx1, cy1 = min(x1 - ox, out), min(y1 - oy, out)
        if cx1 - cx0 < 4 or cy1 - cy0 < 3:
            continue
        if (cx1 - cx0) * (cy1 - cy0) >= 0.4 * (x1 - x0) * (y1 - y0):
            kept.append([cx0, cy0, cx1, cy1])
    return image[oy:oy + out, ox:ox + out], kept


def focal_loss(pred, gt):
    pred = pred.clamp(1e-4, 1 - 1e-4)
    pos = gt.eq(1).float()
    neg = 1 - pos
    pos_loss = torch.log(pred) * (1 - pred) ** 2 * pos
    neg_loss = torch.log(1 - pred) * pred ** 2 * (1 - gt) ** 4 * neg
    num = pos.sum().clamp(min=1)
    return -(pos_loss.sum() + neg_loss.sum()) / num


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int, default=6000)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--crop", type=int, default=192, help="training crop (multiple of 32)")
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--init", help="start from these weights (a train.py checkpoint) instead of random ones")
    ap.add_argument("--width", type=float, default=1.0, help="channel multiplier of the backbone (model.PlateNet)")
    ap.add_argument("--threads", type=int, default=1, help="CPU threads (one repeats a run exactly)")
    ap.add_argument("--ema", type=float, default=0.0,
                    help="decay of a moving average of the weights (e.g. 0.999), ramped in over the warm-up; 0: none")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    reproducible.check(torch)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    images = np.load(os.path.join(args.data, "images.npy"), mmap_mode="r")
    with open(os.path.join(args.data, "boxes.json")) as f:
        all_boxes = json.load(f)
    n, size = images.shape[0], images.shape[1]
    os.makedirs(args.out, exist_ok=True)
    model = PlateNet(args.width).to(memory_format=torch.channels_last)  # 2x faster convolutions on the CPU
    params = [p for p in model.parameters() if p.requires_grad]
    # Fused: the unfused update's torch.sqrt is not correctly rounded, and rounds differently on other
    # CPUs whatever reproducible.py pins; the fused kernel's gives the same bytes everywhere.
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=1e-4, fused=True)
    warmup = min(300, args.steps // 10)

    def lr_at(step):
        if step < warmup:
            return args.lr * (step + 1) / warmup
        t = (step - warmup) / max(1, args.steps - warmup)
        return args.lr * 0.5 * (1 + math.cos(math.pi * t))

    if args.init:
        model.load_state_dict(torch.load(args.init, map_location="cpu")["model"])
    # The average smooths over the last steps' noise, so that where a run stops matters less.
    ema = copy.deepcopy(model).eval() if args.ema > 0 else None

    def ema_update(step):
        decay = args.ema * (1 - math.exp(-(step + 1) / warmup))  # early weights are soon forgotten
        with torch.no_grad():
            for avg, now in zip(ema.state_dict().values(), model.state_dict().values()):
                if avg.dtype.is_floating_point:
                    avg.mul_(decay).add_(now, alpha=1 - decay)
                else:  # BatchNorm's batch counter
                    avg.copy_(now)

    start_step = 0
    ckpt = os.path.join(args.out, "last.pt")
    if os.path.exists(ckpt):  # resume
        state = torch.load(ckpt)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        if ema is not None:
            ema.load_state_dict(state["ema"])
        start_step = state["step"]
        rng = np.random.default_rng([args.seed, start_step])
    log = open(os.path.join(args.out, "train.log"), "a")
    started = time.time()
    order = rng.permutation(n)
    model.train()
    running = None
    for step in range(start_step, args.steps):
        k = (step * args.batch) % n
        if k + args.batch > n:
            order = rng.permutation(n)
        idx = np.sort(order[k:k + args.batch] if k + args.batch <= n else order[:args.batch])
        batch = [crop(rng, images[i], all_boxes[i], args.crop) for i in idx]
        x = torch.from_numpy(np.stack([b[0] for b in batch])).permute(0, 3, 1, 2).float().div_(255)
        x = x.contiguous(memory_format=torch.channels_last)
        heat_t, reg_t, w_t = targets([b[1] for b in batch], args.crop)
        for group in opt.param_groups:
            group["lr"] = lr_at(step)
        heat, scale, offset = model(x)
        l_heat = focal_loss(heat, heat_t)
        wsum = w_t.sum().clamp(min=1)
        l_scale = ((scale - reg_t[:, :2]).abs() * w_t).sum() / wsum
        l_off = ((offset - reg_t[:, 2:]).abs() * w_t).sum() / wsum
        loss = l_heat + l_scale + l_off
        opt.zero_grad()
        loss.backward()
        opt.step()
        if ema is not None:
            ema_update(step)
        vals = np.array([loss.item(), l_heat.item(), l_scale.item(), l_off.item()])
        running = vals if running is None else 0.98 * running + 0.02 * vals
        if (step + 1) % 50 == 0 or step == start_step:
            line = (f"step {step + 1}/{args.steps} loss {running[0]:.3f} heat {running[1]:.3f} scale {running[2]:.3f} "
                    f"offset {running[3]:.3f} lr {lr_at(step):.5f} {time.time() - started:.0f} s")
            print(line, flush=True)
            log.write(line + "\n")
            log.flush()
        if (step + 1) % 250 == 0 or step + 1 == args.steps:
            state = {"model": model.state_dict(), "opt": opt.state_dict(), "step": step + 1, "width": args.width}
            if ema is not None:
                state["ema"] = ema.state_dict()
            torch.save(state, ckpt + ".tmp")
            os.replace(ckpt + ".tmp", ckpt)
    log.write(f"done in {time.time() - started:.0f} s\n")


if __name__ == "__main__":
    main()
