"""Renders synthetic licence plates and plate-like hard negatives as RGBA images.

Every function takes a numpy Generator and returns an RGBA uint8 array (alpha marks the object's
outline: rounded plate corners, round signs). Plates are drawn flat and clean, at roughly 100 px
height; generate.py warps, scales and degrades them. The formats are approximations of the real
ones (proportions, colours, character sets, one- and two-line layouts), not replicas.
"""

from __future__ import annotations

import functools

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIRS = "/usr/share/fonts/truetype"
LATIN_FONTS = [
    "dejavu/DejaVuSans-Bold.ttf",
    "dejavu/DejaVuSansCondensed-Bold.ttf",
    "dejavu/DejaVuSansMono-Bold.ttf",
    "dejavu/DejaVuSans.ttf",
    "dejavu/DejaVuSansCondensed.ttf",
    "dejavu/DejaVuSerifCondensed-Bold.ttf",
]
CJK_FONT = "wqy/wqy-zenhei.ttc"

LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
DIGITS = "0123456789"
CYRILLIC = "ABEKMHOPCTYX"  # Latin look-alikes of the Cyrillic plate letters
CYRILLIC_REAL = "АВЕКМНОРСТУХ"
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
KANA = "あいうえかきくけこさすせそたちつてとなにぬねのはひふほまみむめもやゆよらりるれろわ"
JP_REGIONS = ["品川", "練馬", "横浜", "大阪", "名古屋", "札幌", "福岡", "神戸", "京都", "足立", "湘南", "多摩"]
US_STATES = ["CALIFORNIA", "TEXAS", "NEW YORK", "FLORIDA", "OHIO", "ILLINOIS", "ARIZONA", "GEORGIA",
             "NEVADA", "OREGON", "WASHINGTON", "MICHIGAN", "VIRGINIA", "COLORADO", "UTAH", "IOWA"]
US_SLOGANS = ["Sunshine State", "Land of Lincoln", "Grand Canyon State", "Empire State", "dmv.ca.gov",
              "Peach State", "Great Lakes", "Evergreen State", "Life Elevated", "Battle Born", ""]
EU_CODES = ["D", "F", "NL", "I", "E", "PL", "B", "A", "CZ", "S", "P", "DK", "FIN", "IRL", "GR", "SK", "L", "H", "RO"]
IN_STATES = ["MH", "DL", "KA", "TN", "UP", "GJ", "RJ", "KL", "WB", "HR", "AP", "TS"]
WORDS = ["open", "pharmacy", "Cafe", "Bakery", "parking", "exit", "Hotel", "market", "sale", "Pizza",
         "Main St", "Station", "taxi", "bus stop", "school", "Police", "bank", "Books", "shoes", "Kebab",
         "welcome", "stop", "one way", "no entry", "Center", "garage", "wash", "Service", "fresh", "coffee"]
CJK_SIGN = "中华人民银行超市饭店药房停车场出口入口酒店商店便利店美食城市广场大道路街北京上海东南西北"


@functools.lru_cache(maxsize=64)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(f"{FONT_DIRS}/{path}", size)


def _pick(rng: np.random.Generator, items):
    return items[int(rng.integers(len(items)))]


def _rand_str(rng, alphabet, n):
    return "".join(_pick(rng, alphabet) for _ in range(n))


def _text_image(text: str, font_path: str, colour, size: int = 96) -> Image.Image:
    """The text, tightly cropped, as an RGBA image."""
    font = _font(font_path, size)
    left, top, right, bottom = font.getbbox(text)
    img = Image.new("RGBA", (max(1, right - left + 4), max(1, bottom - top + 4)), (0, 0, 0, 0))
    ImageDraw.Draw(img).text((2 - left, 2 - top), text, font=font, fill=tuple(colour) + (255,))
    return img


def draw_fit(img: Image.Image, text: str, font_path: str, box, colour, keep_aspect: float = 0.0):
    """Draws `text` stretched into box = (x0, y0, x1, y1); keep_aspect > 0 limits the stretch."""
    if not text.strip():
        return
    x0, y0, x1, y1 = [int(round(v)) for v in box]
    w, h = max(1, x1 - x0), max(1, y1 - y0)
    t = _text_image(text, font_path, colour)
    if keep_aspect > 0:
        natural = t.width / t.height
        target = w / h
        if target > natural * keep_aspect:  # too wide: narrow it and centre
            nw = int(h * natural * keep_aspect)
            x0 += (w - nw) // 2
            w = max(1, nw)
    t = t.resize((w, h), Image.LANCZOS)
    img.alpha_composite(t, (x0, y0))


def _canvas(w, h, colour, radius_frac=0.06):
    img = Image.new("RGBA", (w, h), tuple(colour) + (255,))
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, w - 1, h - 1), radius=int(h * radius_frac), fill=255)
    return img, mask


def _border(img, colour, width, inset=0, radius_frac=0.06):
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((inset, inset, img.width - 1 - inset, img.height - 1 - inset),
                        radius=int(img.height * radius_frac), outline=tuple(colour) + (255,), width=width)


def _latin_font(rng):
    return _pick(rng, LATIN_FONTS[:3] if rng.random() < 0.8 else LATIN_FONTS)


def _finish(img: Image.Image, mask: Image.Image, rng) -> np.ndarray:
    """Screws, dirt and emboss shading, then RGBA with the plate's outline as alpha."""
    w, h = img.size
    d = ImageDraw.Draw(img)
    if rng.random() < 0.4:  # screws or rivets
        r = max(2, h // 22)
        ys = [h * 0.18] if rng.random() < 0.5 else [h * 0.5]
        for x in (w * 0.22, w * 0.78):
            for y in ys:
                d.ellipse((x - r, y - r, x + r, y + r), fill=(150, 150, 150, 255), outline=(80, 80, 80, 255))
    arr = np.asarray(img).astype(np.float32)
    if rng.random() < 0.5:  # embossed characters: a soft light/dark offset copy
        gray = arr[..., :3].mean(axis=2)
        shade = np.roll(gray, (2, 2), axis=(0, 1)) - gray
        arr[..., :3] += (shade[..., None] * rng.uniform(0.05, 0.2))
    if rng.random() < 0.35:  # dirt and wear: low-frequency blotches
        small = rng.normal(0, 1, (max(2, h // 16), max(2, w // 16))).astype(np.float32)
        blot = np.asarray(Image.fromarray(small).resize((w, h), Image.BICUBIC))
        arr[..., :3] *= (1 - 0.12 * np.clip(blot, 0, 3))[..., None]
    if rng.random() < 0.3:  # a vertical lighting gradient over the plate
        g = np.linspace(rng.uniform(0.7, 1.1), rng.uniform(0.7, 1.1), h, dtype=np.float32)
        arr[..., :3] *= g[:, None, None]
    arr[..., 3] = np.asarray(mask)
    return np.clip(arr, 0, 255).astype(np.uint8)


def plate_eu(rng):
    w, h = 520, 112
    bg = (255, 205, 0) if rng.random() < 0.12 else (245, 245, 240)
    img, mask = _canvas(w, h, bg)
    d = ImageDraw.Draw(img)
    band = 46
    d.rectangle((0, 0, band, h), fill=(0, 51, 153, 255))
    cx, cy, rr = band / 2, h * 0.3, h * 0.17
    for k in range(12):
        a = 2 * np.pi * k / 12
        x, y = cx + rr * np.cos(a), cy + rr * np.sin(a)
        d.ellipse((x - 2.5, y - 2.5, x + 2.5, y + 2.5), fill=(255, 204, 0, 255))
    code = _pick(rng, EU_CODES)
    draw_fit(img, code, LATIN_FONTS[0], (6, h * 0.6, band - 6, h * 0.9), (255, 255, 255), keep_aspect=1.2)
    kind = rng.integers(4)
    if kind == 0:
        text = f"{_rand_str(rng, LETTERS, 2)}-{_rand_str(rng, DIGITS, 3)}-{_rand_str(rng, LETTERS, 2)}"
    elif kind == 1:
        text = f"{_rand_str(rng, LETTERS, int(rng.integers(1, 4)))} {_rand_str(rng, LETTERS, 2)} {_rand_str(rng, DIGITS, int(rng.integers(1, 5)))}"
    elif kind == 2:
        text = f"{_rand_str(rng, DIGITS, 1)}{_rand_str(rng, LETTERS, 2)} {_rand_str(rng, DIGITS, 4)}"
    else:
        text = f"{_rand_str(rng, LETTERS, 2)}{_rand_str(rng, DIGITS, 2)} {_rand_str(rng, LETTERS, 3)}"
    draw_fit(img, text, _latin_font(rng), (band + 12, h * 0.14, w - 12, h * 0.86), (15, 15, 15), keep_aspect=1.1)
    _border(img, (20, 20, 20), 3)
    return _finish(img, mask, rng)


def plate_eu_two_line(rng):
    w, h = 280, 200
    img, mask = _canvas(w, h, (245, 245, 240))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, 40, h), fill=(0, 51, 153, 255))
    draw_fit(img, _pick(rng, EU_CODES), LATIN_FONTS[0], (5, h * 0.7, 35, h * 0.9), (255, 255, 255), keep_aspect=1.2)
    font = _latin_font(rng)
    draw_fit(img, _rand_str(rng, LETTERS, int(rng.integers(2, 4))), font, (52, 14, w - 12, h * 0.47), (15, 15, 15), 1.1)
    draw_fit(img, _rand_str(rng, DIGITS, int(rng.integers(2, 5))), font, (52, h * 0.53, w - 12, h - 14), (15, 15, 15), 1.1)
    _border(img, (20, 20, 20), 3)
    return _finish(img, mask, rng)


def plate_cn(rng):
    kind = rng.choice(["blue", "green", "yellow", "yellow2", "black"], p=[0.45, 0.25, 0.15, 0.1, 0.05])
    prov = _pick(rng, PROVINCES)
    letter = _pick(rng, LETTERS)
    if kind == "yellow2":
        w, h = 440, 220
        img, mask = _canvas(w, h, (250, 195, 0))
        draw_fit(img, f"{prov} {letter}", CJK_FONT, (w * 0.25, 14, w * 0.75, h * 0.38), (10, 10, 10))
        draw_fit(img, _rand_str(rng, LETTERS + DIGITS, 5), _latin_font(rng), (20, h * 0.45, w - 20, h - 14), (10, 10, 10))
        _border(img, (10, 10, 10), 4, inset=5)
        return _finish(img, mask, rng)
    w, h = (480, 140) if kind == "green" else (440, 140)
    if kind == "green":
        img, mask = _canvas(w, h, (240, 250, 240))
        arr = np.asarray(img).copy()
        top, bottom = np.array([245, 250, 245]), np.array([rng.integers(60, 130), rng.integers(170, 215), rng.integers(70, 130)])
        t = np.linspace(0, 1, h)[:, None]
        arr[..., :3] = (top * (1 - t) + bottom * t)[:, None, :].astype(np.uint8)
        img = Image.fromarray(arr, "RGBA")
        fg, n = (10, 10, 10), 6
    elif kind == "blue":
        img, mask = _canvas(w, h, (int(rng.integers(0, 30)), int(rng.integers(50, 90)), int(rng.integers(150, 210))))
        fg, n = (250, 250, 250), 5
    elif kind == "yellow":
        img, mask = _canvas(w, h, (250, 195, 0))
        fg, n = (10, 10, 10), 5
    else:
        img, mask = _canvas(w, h, (15, 15, 15))
        fg, n = (250, 250, 250), 5
    draw_fit(img, prov, CJK_FONT, (18, 18, 18 + 50, h - 18), fg)
    draw_fit(img, letter, _latin_font(rng), (76, 18, 124, h - 18), fg)
    ImageDraw.Draw(img).ellipse((130, h / 2 - 5, 140, h / 2 + 5), fill=fg + (255,))
    draw_fit(img, _rand_str(rng, LETTERS + DIGITS * 3, n), _latin_font(rng), (148, 18, w - 18, h - 18), fg)
    _border(img, fg, 3, inset=6)
    return _finish(img, mask, rng)


def plate_us(rng):
    w, h = 300, 150
    dark = rng.random() < 0.15
    if dark:
        base = tuple(int(v) for v in rng.integers(0, 60, 3))
        fg = (int(rng.integers(200, 256)), int(rng.integers(180, 256)), int(rng.integers(100, 256)))
    else:
        base = tuple(int(v) for v in rng.integers(215, 256, 3))
        fg = _pick(rng, [(20, 30, 110), (150, 20, 20), (15, 15, 15), (20, 90, 40)])
    img, mask = _canvas(w, h, base, radius_frac=0.1)
    arr = np.asarray(img).copy().astype(np.float32)
    if not dark and rng.random() < 0.6:  # a pale picture: a few soft colour waves
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        for _ in range(int(rng.integers(1, 4))):
            col = rng.integers(80, 256, 3).astype(np.float32)
            f = rng.uniform(0.005, 0.03)
            wave = 0.5 + 0.5 * np.sin(xx * f + yy * rng.uniform(-0.03, 0.03) + rng.uniform(0, 6))
            a = (wave * rng.uniform(0.1, 0.35))[..., None]
            arr[..., :3] = arr[..., :3] * (1 - a) + col * a
        img = Image.fromarray(arr.clip(0, 255).astype(np.uint8), "RGBA")
    band = fg if rng.random() < 0.5 else _pick(rng, [(20, 30, 110), (150, 20, 20), (200, 120, 0)])
    draw_fit(img, _pick(rng, US_STATES), _pick(rng, LATIN_FONTS), (w * 0.2, 8, w * 0.8, h * 0.24), band, keep_aspect=1.4)
    kind = rng.integers(4)
    if kind == 0:
        text = f"{_rand_str(rng, DIGITS, 1)}{_rand_str(rng, LETTERS, 3)}{_rand_str(rng, DIGITS, 3)}"
    elif kind == 1:
        text = f"{_rand_str(rng, LETTERS, 3)} {_rand_str(rng, DIGITS, 4)}"
    elif kind == 2:
        text = f"{_rand_str(rng, LETTERS, 3)}-{_rand_str(rng, DIGITS, 3)}"
    else:
        text = _rand_str(rng, LETTERS + DIGITS, int(rng.integers(4, 8)))
    draw_fit(img, text, _latin_font(rng), (w * 0.06, h * 0.27, w * 0.94, h * 0.8), fg, keep_aspect=1.3)
    slogan = _pick(rng, US_SLOGANS)
    draw_fit(img, slogan, _pick(rng, LATIN_FONTS), (w * 0.25, h * 0.83, w * 0.75, h * 0.95), band, keep_aspect=1.4)
    if rng.random() < 0.5:
        _border(img, band, 2, inset=3, radius_frac=0.1)
    return _finish(img, mask, rng)


def plate_jp(rng):
    w, h = 330, 165
    kind = rng.choice(["white", "green", "yellow", "black"], p=[0.55, 0.2, 0.2, 0.05])
    bg, fg = {"white": ((245, 245, 240), (20, 90, 50)), "green": ((20, 90, 50), (245, 245, 240)),
              "yellow": ((250, 205, 20), (15, 15, 15)), "black": ((15, 15, 15), (250, 205, 20))}[kind]
    img, mask = _canvas(w, h, bg)
    top = f"{_pick(rng, JP_REGIONS)} {_rand_str(rng, DIGITS, int(rng.integers(2, 4)))}"
    draw_fit(img, top, CJK_FONT, (w * 0.2, 10, w * 0.8, h * 0.36), fg, keep_aspect=1.3)
    draw_fit(img, _pick(rng, KANA), CJK_FONT, (12, h * 0.5, 50, h * 0.8), fg)
    draw_fit(img, f"{_rand_str(rng, DIGITS, 2)}-{_rand_str(rng, DIGITS, 2)}", _latin_font(rng), (58, h * 0.4, w - 12, h - 10), fg)
    _border(img, (60, 60, 60), 2)
    return _finish(img, mask, rng)


def plate_ru(rng):
    w, h = 520, 112
    img, mask = _canvas(w, h, (245, 245, 245))
    font = _latin_font(rng)
    letters = CYRILLIC_REAL if rng.random() < 0.5 else CYRILLIC
    draw_fit(img, _pick(rng, letters), font, (14, h * 0.3, 66, h * 0.86), (10, 10, 10))
    draw_fit(img, _rand_str(rng, DIGITS, 3), font, (72, h * 0.12, 230, h * 0.88), (10, 10, 10))
    draw_fit(img, _rand_str(rng, letters, 2), font, (236, h * 0.3, 360, h * 0.86), (10, 10, 10))
    d = ImageDraw.Draw(img)
    d.line((380, 6, 380, h - 6), fill=(10, 10, 10, 255), width=3)
    draw_fit(img, _rand_str(rng, DIGITS, int(rng.integers(2, 4))), font, (392, 8, w - 12, h * 0.66), (10, 10, 10))
    draw_fit(img, "RUS", LATIN_FONTS[0], (392, h * 0.72, 460, h * 0.92), (10, 10, 10))
    for k, col in enumerate([(255, 255, 255), (0, 57, 166), (213, 43, 30)]):
        d.rectangle((466, h * 0.72 + k * 6, 500, h * 0.72 + k * 6 + 6), fill=col + (255,))
    _border(img, (10, 10, 10), 4)
    return _finish(img, mask, rng)


def plate_in(rng):
    yellow = rng.random() < 0.3
    bg = (250, 205, 20) if yellow else (245, 245, 240)
    font = _latin_font(rng)
    if rng.random() < 0.75:
        w, h = 500, 120
        img, mask = _canvas(w, h, bg)
        text = f"{_pick(rng, IN_STATES)} {_rand_str(rng, DIGITS, 2)} {_rand_str(rng, LETTERS, 2)} {_rand_str(rng, DIGITS, 4)}"
        draw_fit(img, text, font, (14, h * 0.15, w - 14, h * 0.85), (10, 10, 10))
    else:
        w, h = 280, 200
        img, mask = _canvas(w, h, bg)
        draw_fit(img, f"{_pick(rng, IN_STATES)} {_rand_str(rng, DIGITS, 2)}", font, (20, 14, w - 20, h * 0.46), (10, 10, 10))
        draw_fit(img, f"{_rand_str(rng, LETTERS, 2)} {_rand_str(rng, DIGITS, 4)}", font, (14, h * 0.54, w - 14, h - 14), (10, 10, 10))
    _border(img, (10, 10, 10), 3)
    return _finish(img, mask, rng)


def plate_generic(rng):
    """Other single-line plates: random colours and proportions (Middle East, Africa, old formats)."""
    aspect = rng.uniform(2.0, 5.0)
    h = 110
    w = int(h * aspect)
    if rng.random() < 0.6:
        bg, fg = (int(rng.integers(220, 256)),) * 3, (10, 10, 10)
    else:
        bg = tuple(int(v) for v in rng.integers(0, 256, 3))
        fg = (10, 10, 10) if sum(bg) > 380 else (245, 245, 245)
    img, mask = _canvas(w, h, bg)
    n = max(3, min(9, int(aspect * 1.7)))
    text = _rand_str(rng, LETTERS + DIGITS, n)
    if rng.random() < 0.5:
        k = int(rng.integers(1, n))
        text = text[:k] + _pick(rng, [" ", "-", " ", "·"]) + text[k:]
    draw_fit(img, text, _latin_font(rng), (12, h * 0.14, w - 12, h * 0.86), fg, keep_aspect=1.2)
    _border(img, fg, 3)
    return _finish(img, mask, rng)


PLATE_MAKERS = [(plate_eu, 0.22), (plate_eu_two_line, 0.04), (plate_cn, 0.18), (plate_us, 0.2), (plate_jp, 0.09),
                (plate_ru, 0.08), (plate_in, 0.09), (plate_generic, 0.10)]


def random_plate(rng) -> np.ndarray:
    makers, weights = zip(*PLATE_MAKERS)
    return makers[int(rng.choice(len(makers), p=np.array(weights) / sum(weights)))](rng)


# ---- hard negatives -------------------------------------------------------------------------------

def neg_shop_sign(rng):
    """A sign with words (Latin or Chinese) on a coloured panel: shop fronts, street names."""
    cjk = rng.random() < 0.3
    text = "".join(_pick(rng, CJK_SIGN) for _ in range(int(rng.integers(2, 7)))) if cjk else _pick(rng, WORDS)
    if not cjk and rng.random() < 0.3:
        text = text.upper()
    font = CJK_FONT if cjk else _pick(rng, LATIN_FONTS)
    t = _text_image(text, font, (0, 0, 0))
    h = 100
    w = int(max(h * 1.2, t.width / t.height * h * 0.7 + 40))
    bg = tuple(int(v) for v in rng.integers(0, 256, 3))
    fg = (10, 10, 10) if sum(bg) > 380 else (245, 245, 245)
    if rng.random() < 0.2:
        fg = tuple(int(v) for v in rng.integers(0, 256, 3))
    img, mask = _canvas(w, h, bg, radius_frac=rng.uniform(0, 0.2))
    draw_fit(img, text, font, (20, h * 0.15, w - 20, h * 0.85), fg, keep_aspect=1.0)
    return _finish(img, mask, rng)


def neg_text(rng):
    """Loose text or digits with no panel (posters, lorries, house numbers, prices)."""
    kind = rng.integers(3)
    if kind == 0:
        text = _pick(rng, WORDS)
    elif kind == 1:
        text = _rand_str(rng, DIGITS, int(rng.integers(1, 5)))
    else:
        text = f"{_rand_str(rng, DIGITS, int(rng.integers(1, 3)))}.{_rand_str(rng, DIGITS, 2)}"
    colour = tuple(int(v) for v in rng.integers(0, 256, 3))
    font = _pick(rng, LATIN_FONTS)
    t = np.asarray(_text_image(text, font, colour)).copy()
    return t


def neg_round_sign(rng):
    """Speed limits, prohibitions and blue mandatory signs."""
    s = 120
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    kind = rng.integers(3)
    if kind == 0:
        d.ellipse((0, 0, s - 1, s - 1), fill=(200, 20, 20, 255))
        d.ellipse((14, 14, s - 15, s - 15), fill=(245, 245, 245, 255))
        draw_fit(img, _pick(rng, ["20", "30", "40", "50", "60", "70", "80", "90", "100", "120", "3.5t"]),
                 LATIN_FONTS[0], (28, 38, s - 28, s - 38), (10, 10, 10), keep_aspect=1.0)
    elif kind == 1:
        d.ellipse((0, 0, s - 1, s - 1), fill=(20, 60, 170, 255))
        d.polygon([(s * 0.3, s * 0.55), (s * 0.5, s * 0.25), (s * 0.7, s * 0.55)], fill=(245, 245, 245, 255))
        d.rectangle((s * 0.45, s * 0.5, s * 0.55, s * 0.8), fill=(245, 245, 245, 255))
    else:
        d.regular_polygon((s / 2, s / 2, s / 2 - 1), 8, fill=(200, 20, 20, 255))
        draw_fit(img, "STOP", LATIN_FONTS[0], (18, 42, s - 18, s - 42), (245, 245, 245), keep_aspect=1.0)
    return np.asarray(img).copy()


def neg_triangle_or_panel(rng):
    """Warning triangles and rectangular direction/information panels with words and distances."""
    if rng.random() < 0.4:
        s = 120
        img = Image.new("RGBA", (s, int(s * 0.9)), (0, 0, 0, 0))
        d = ImageDraw.Draw(img)
        d.polygon([(0, s * 0.88), (s / 2, 0), (s - 1, s * 0.88)], fill=(200, 20, 20, 255))
        d.polygon([(16, s * 0.8), (s / 2, 22), (s - 17, s * 0.8)], fill=(245, 245, 245, 255))
        d.rectangle((s * 0.47, s * 0.35, s * 0.53, s * 0.62), fill=(10, 10, 10, 255))
        return np.asarray(img).copy()
    w, h = int(rng.integers(160, 320)), int(rng.integers(90, 180))
    bg = _pick(rng, [(20, 60, 170), (20, 110, 60), (245, 245, 245), (250, 200, 20), (120, 70, 30)])
    fg = (10, 10, 10) if sum(bg) > 380 else (245, 245, 245)
    img, mask = _canvas(w, h, bg, radius_frac=0.08)
    lines = int(rng.integers(1, 4))
    for k in range(lines):
        word = _pick(rng, WORDS).title()
        if rng.random() < 0.5:
            word += f" {int(rng.integers(1, 99))} km"
        y0 = 10 + k * (h - 20) / lines
        draw_fit(img, word, _pick(rng, LATIN_FONTS), (12, y0 + 4, w - 12, y0 + (h - 20) / lines - 4), fg, keep_aspect=1.0)
    _border(img, fg, 3, inset=4, radius_frac=0.08)
    return _finish(img, mask, rng)


def neg_lights(rng):
    """A brake light or indicator: a glowing red/amber rounded shape."""
    w, h = int(rng.integers(60, 220)), int(rng.integers(30, 90))
    col = _pick(rng, [(255, 30, 20), (255, 60, 40), (255, 150, 0), (230, 20, 40)])
    img = Image.new("RGBA", (w + 20, h + 20), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((10, 10, w + 9, h + 9), radius=int(min(w, h) * rng.uniform(0.1, 0.5)), fill=col + (255,))
    glow = img.filter(ImageFilter.GaussianBlur(6))
    out = Image.alpha_composite(glow, img)
    arr = np.asarray(out).copy()
    core = arr[..., 3] > 200
    arr[core, :3] = np.clip(arr[core, :3].astype(np.int32) + 60, 0, 255)
    return arr


def neg_digital(rng):
    """Seven-segment-like digits on a dark panel (clocks, price boards, bus destination displays)."""
    w, h = int(rng.integers(160, 360)), 90
    img, mask = _canvas(w, h, (15, 15, 15), radius_frac=0.03)
    col = _pick(rng, [(255, 60, 30), (60, 255, 60), (255, 170, 0)])
    text = _rand_str(rng, DIGITS, int(rng.integers(2, 5)))
    if rng.random() < 0.5:
        text = text[:2] + ":" + text[2:]
    draw_fit(img, text, LATIN_FONTS[2], (12, 12, w - 12, h - 12), col, keep_aspect=1.0)
    return _finish(img, mask, rng)


def neg_texture(rng):
    """A patch of regular street texture: a fence, shutter, tiled floor, brick wall or window grid.
    Shown large, these are what an undertrained model mistakes for a plate in street video."""
    w, h = int(rng.integers(160, 400)), int(rng.integers(70, 220))
    base = tuple(int(v) for v in rng.integers(40, 220, 3))
    line = tuple(int(v) for v in np.clip(np.array(base) + rng.choice([-1, 1]) * rng.integers(40, 120), 0, 255))
    img = Image.new("RGBA", (w, h), base + (255,))
    d = ImageDraw.Draw(img)
    kind = int(rng.integers(4))
    step = int(rng.integers(6, 28))
    width = max(1, int(step * rng.uniform(0.1, 0.5)))
    if kind == 0:  # vertical bars: fence, railings
        for x in range(0, w, step):
            d.rectangle((x, 0, x + width, h), fill=line + (255,))
    elif kind == 1:  # horizontal slats: shutters, blinds
        for y in range(0, h, step):
            d.rectangle((0, y, w, y + width), fill=line + (255,))
    elif kind == 2:  # brick or tile bond
        for row, y in enumerate(range(0, h, step)):
            d.line((0, y, w, y), fill=line + (255,), width=width)
            offset = (step if row % 2 else 0)
            for x in range(offset, w, 2 * step):
                d.line((x, y, x, y + step), fill=line + (255,), width=width)
    else:  # window grid: panes with dark glass
        glass = tuple(int(v) for v in rng.integers(10, 90, 3))
        for y in range(0, h, 2 * step):
            for x in range(0, w, 2 * step):
                d.rectangle((x + width, y + width, x + 2 * step - width, y + 2 * step - width), fill=glass + (255,))
    return np.asarray(img).copy()


NEGATIVE_MAKERS = [(neg_shop_sign, 0.27), (neg_text, 0.17), (neg_round_sign, 0.13), (neg_triangle_or_panel, 0.13),
                   (neg_lights, 0.08), (neg_digital, 0.08), (neg_texture, 0.14)]


def random_negative(rng) -> np.ndarray:
    makers, weights = zip(*NEGATIVE_MAKERS)
    return makers[int(rng.choice(len(makers), p=np.array(weights) / sum(weights)))](rng)
