"""Hard negatives drawn from what blindspot-plates-v2 mistakes for plates in the package photos:
teeth in a smile, car badges and chrome lettering, dot-matrix destination displays, and small
specular highlights (a bright streak on dark paint or glass). Each looks like a plate at some
scale: a light strip broken by dark vertical gaps, or a bright elongated blob.

Same contract as plates_render's negatives: take a numpy Generator, return an RGBA uint8 array
drawn at roughly 100 px height, which generate.py warps, scales and degrades.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

import plates_render as pr

BADGE_WORDS = ["GTI", "TDI", "AMG", "4MATIC", "Hybrid", "quattro", "Sport", "xDrive", "RS", "Turbo", "Limited",
               "V6", "e-tron", "EV", "Touring", "2.0", "Diesel", "SE", "GT", "Passat", "Golf", "Polo"]
DISPLAY_WORDS = ["OPERA", "CENTRO", "STATION", "HBF", "NOT IN SERVICE", "DEPOT", "AIRPORT", "CITY", "ZOO",
                 "LOS CARMENES", "HOSPITAL", "MARKET", "PARK", "SCHOOL"]


def _skin(rng):
    tone = rng.uniform(0.25, 1.0)
    return tuple(int(v) for v in np.array([230, 190, 160]) * tone + np.array([10, 5, 0]) * (1 - tone))


def neg_smile(rng):
    """A mouth with its teeth showing, on a patch of skin: a pale strip cut by dark gaps."""
    w, h = int(rng.integers(180, 260)), int(rng.integers(90, 130))
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.ellipse((0, 0, w - 1, h - 1), fill=_skin(rng) + (255,))
    lip = tuple(int(v) for v in np.array([150, 60, 60]) * rng.uniform(0.5, 1.1))
    mx0, mx1, my0, my1 = w * 0.15, w * 0.85, h * 0.25, h * 0.8
    d.ellipse((mx0, my0, mx1, my1), fill=lip + (255,))
    ix0, ix1, iy0, iy1 = mx0 + w * 0.05, mx1 - w * 0.05, my0 + h * 0.08, my1 - h * 0.1
    d.ellipse((ix0, iy0, ix1, iy1), fill=(40, 15, 15, 255))
    teeth = int(rng.integers(6, 12))
    shade = rng.uniform(190, 250)
    gap = tuple(int(v) for v in (90 + rng.uniform(-30, 30), 70, 60))
    rows = [(iy0 + 2, iy0 + (iy1 - iy0) * rng.uniform(0.4, 0.55))]
    if rng.random() < 0.5:  # the lower row too
        rows.append((iy0 + (iy1 - iy0) * 0.6, iy1 - (iy1 - iy0) * 0.12))
    for top, bottom in rows:
        step = (ix1 - ix0 - 8) / teeth
        for k in range(teeth):
            x = ix0 + 4 + k * step
            edge = abs(k - (teeth - 1) / 2) / teeth  # teeth shrink and darken toward the corners
            colour = tuple(int(shade * (1 - 0.35 * edge) * c) for c in (1.0, 0.97, 0.88))
            d.rounded_rectangle((x, top + edge * 8, x + step - max(1, step * 0.12), bottom - edge * 8),
                                radius=max(1, int(step * 0.25)), fill=colour + (255,), outline=gap + (255,))
    return np.asarray(img.filter(ImageFilter.GaussianBlur(0.8))).copy()


def _chrome(h, rng):
    """A vertical metallic gradient, h rows of RGB: bright, dark band, bright."""
    t = np.linspace(0, 1, h)
    v = 150 + 90 * np.cos(t * np.pi * rng.uniform(1.5, 3.0) + rng.uniform(0, np.pi))
    return np.clip(np.stack([v, v, v * rng.uniform(0.95, 1.05)], axis=1), 0, 255)


def neg_badge(rng):
    """A car maker's badge (a ring with a star, rings, an oval with letters) or chrome model lettering,
    as metal alone: the background photo shows through as the car's paint (a painted panel around it
    would be a plate-like rectangle)."""
    if rng.random() < 0.5:  # lettering: chrome text on paint
        word = pr._pick(rng, BADGE_WORDS)
        font = pr._pick(rng, pr.LATIN_FONTS)
        t = pr._text_image(word, font, (255, 255, 255))
        h = 100
        w = int(t.width / t.height * h * rng.uniform(0.8, 1.2)) + 40
        img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        mask = Image.new("L", (w, h), 0)
        glyphs = t.resize((w - 40, h - 30)).getchannel("A")
        mask.paste(glyphs, (20, 15))
        metal = Image.fromarray(np.repeat(_chrome(h, rng)[:, None, :], w, axis=1).astype(np.uint8), "RGB")
        img.paste(metal, (0, 0), mask)
        img.putalpha(mask)
        return np.asarray(img).copy()
    s = 140
    img = Image.new("RGBA", (int(s * 1.4), s), (0, 0, 0, 0))
    metal = Image.fromarray(np.repeat(_chrome(s, rng)[:, None, :], img.width, axis=1).astype(np.uint8), "RGB")
    mask = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(mask)
    cx, cy, r = img.width / 2, s / 2, s * 0.4
    kind = int(rng.integers(3))
    if kind == 0:  # a ring with a three-pointed star
        d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=255, width=int(r * 0.15))
        for a in (90, 210, 330):
            x, y = cx + r * np.cos(np.radians(a)), cy - r * np.sin(np.radians(a))
            d.polygon([(x, y), (cx + r * 0.1 * np.cos(np.radians(a + 90)), cy - r * 0.1 * np.sin(np.radians(a + 90))),
                       (cx - r * 0.1 * np.cos(np.radians(a + 90)), cy + r * 0.1 * np.sin(np.radians(a + 90)))], fill=255)
    elif kind == 1:  # interlocking rings
        for k in range(4):
            x = cx + (k - 1.5) * r * 0.55
            d.ellipse((x - r * 0.35, cy - r * 0.35, x + r * 0.35, cy + r * 0.35), outline=255, width=int(r * 0.08))
    else:  # an oval with letters
        d.ellipse((cx - r * 1.3, cy - r * 0.7, cx + r * 1.3, cy + r * 0.7), outline=255, width=int(r * 0.1))
        letters = pr._text_image(pr._rand_str(rng, pr.LETTERS, int(rng.integers(2, 5))), pr.LATIN_FONTS[0], (255, 255, 255))
        glyphs = letters.resize((int(r * 1.6), int(r * 0.7))).getchannel("A")
        mask.paste(glyphs, (int(cx - r * 0.8), int(cy - r * 0.35)), glyphs)
    img.paste(metal, (0, 0), mask)
    img.putalpha(mask)
    return np.asarray(img).copy()


def neg_dot_matrix(rng):
    """A bus or tram destination display: route number and words as lit dots on a dark panel."""
    text = f"{int(rng.integers(1, 999))} {pr._pick(rng, DISPLAY_WORDS)}" if rng.random() < 0.7 else pr._pick(rng, DISPLAY_WORDS)
    rows = int(rng.integers(7, 17))
    glyphs = pr._text_image(text, pr.LATIN_FONTS[2], (255, 255, 255))
    cols = max(8, int(glyphs.width / glyphs.height * rows))
    grid = np.asarray(glyphs.resize((cols, rows), Image.BILINEAR).getchannel("A")) > 100
    pitch = 6
    w, h = cols * pitch + 12, rows * pitch + 12
    img = Image.new("RGBA", (w, h), (15, 15, 15, 255))
    d = ImageDraw.Draw(img)
    lit = pr._pick(rng, [(255, 170, 20), (255, 200, 60), (120, 255, 80), (240, 240, 240), (255, 80, 30)])
    for r, c in zip(*np.nonzero(grid)):
        x, y = 6 + c * pitch, 6 + r * pitch
        d.ellipse((x, y, x + pitch - 2, y + pitch - 2), fill=lit + (255,))
    return np.asarray(img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.2)))).copy()


def neg_highlight(rng):
    """A specular highlight: one to three bright, soft, elongated streaks (sun on chrome, paint or glass)."""
    w, h = int(rng.integers(120, 260)), int(rng.integers(30, 70))
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    tint = tuple(int(v) for v in np.array([255, 250, 235]) * rng.uniform(0.8, 1.0))
    for _ in range(int(rng.integers(1, 4))):
        sw, sh = w * rng.uniform(0.3, 0.9), h * rng.uniform(0.25, 0.6)
        x, y = rng.uniform(0, w - sw), rng.uniform(0, h - sh)
        d.ellipse((x, y, x + sw, y + sh), fill=tint + (255,))
    arr = np.asarray(img.filter(ImageFilter.GaussianBlur(h * rng.uniform(0.05, 0.15)))).copy()
    return arr


OBJECT_NEGATIVE_MAKERS = [(neg_smile, 0.3), (neg_badge, 0.25), (neg_dot_matrix, 0.2), (neg_highlight, 0.25)]


def random_object_negative(rng) -> np.ndarray:
    makers, weights = zip(*OBJECT_NEGATIVE_MAKERS)
    return makers[int(rng.choice(len(makers), p=np.array(weights) / sum(weights)))](rng)
