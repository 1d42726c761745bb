"""Draws the images of the sample collection into content/assets/, deterministically.

Every random choice comes from a seeded `random.Random`, so running this twice on the same
machine (same Pillow, same fonts) writes byte-identical files. The generated files are
committed; run `.venv/bin/python scripts/make_sample_images.py [OUT_DIR]` to regenerate.

Each image exists to exercise something a real blog throws at bookmaker: a huge camera
JPEG stored sideways with an EXIF orientation tag, a PNG with an alpha channel, an
animated GIF, SVGs with and without a size, a WebP, and a PNG that calls itself `.jpg`.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

OUT = Path(__file__).resolve().parent.parent / "content" / "assets"
CJK_SANS = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
CJK_SERIF = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc")
MONO = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
ORIENTATION = 0x0112  # EXIF tag; 6 = "rotate 90° clockwise to display"

DUSK = {
    "sky": ((22, 34, 74), (120, 92, 140), (246, 164, 96)),
    "sea": ((88, 76, 104), (18, 24, 44)),
    "far": (104, 92, 132),
    "near": (52, 46, 78),
    "sun": (255, 214, 150),
    "dark": (20, 18, 30),
}
MORNING = {
    "sky": ((96, 150, 210), (170, 200, 228), (236, 232, 214)),
    "sea": ((120, 150, 160), (40, 70, 80)),
    "far": (142, 160, 176),
    "near": (70, 96, 88),
    "sun": (255, 250, 230),
    "dark": (36, 48, 44),
}


# --- a photo-like landscape: gradients, ridges, a glow, silhouettes and film grain -------


def gradient(size: tuple[int, int], top, bottom, mid=None) -> Image.Image:
    ramp = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    return ImageOps.colorize(ramp, black=top, white=bottom, mid=mid)


def ridge(rng: random.Random, width: int, base: int, height: int, steps: int) -> list:
    """A mountain outline as a random walk, closed along the bottom of the picture."""
    points, y = [], base - height // 2
    for i in range(steps + 1):
        y = min(base, max(base - height, y + rng.randint(-height // 6, height // 6)))
        points.append((width * i // steps, y))
    return [*points, (width, base), (0, base)]


def glow(size: tuple[int, int], centre, radius: int, colour) -> Image.Image:
    """A soft sun: drawn small and blurred, then scaled up (blurring at full size is slow)."""
    small = (size[0] // 8, size[1] // 8)
    mask = Image.new("L", small, 0)
    cx, cy, r = centre[0] // 8, centre[1] // 8, radius // 8
    ImageDraw.Draw(mask).ellipse((cx - r, cy - r, cx + r, cy + r), fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(r)).resize(size, Image.Resampling.BICUBIC)
    layer = Image.new("RGB", size, colour)
    layer.putalpha(mask)
    return layer


def harbour(draw: ImageDraw.ImageDraw, rng: random.Random, size, horizon: int, colour) -> None:
    """Cranes, a pier and a few boats, as dark silhouettes on the horizon."""
    w, h = size
    draw.rectangle((0, horizon - h // 60, w * 2 // 5, horizon + h // 80), fill=colour)
    for i in range(4):
        x = w // 20 + i * w // 11
        top = horizon - h // 5 - rng.randint(0, h // 16)
        draw.rectangle((x, top, x + w // 160, horizon), fill=colour)
        draw.line((x - w // 40, top, x + w // 12, top + h // 60), fill=colour, width=w // 300)
        draw.line((x + w // 14, top + h // 60, x + w // 14, top + h // 10), fill=colour, width=3)
    for _ in range(5):
        x, y = rng.randint(w // 3, w - w // 8), rng.randint(horizon + h // 30, h - h // 6)
        s = rng.randint(w // 60, w // 25)
        hull = [(x, y), (x + 3 * s, y), (x + 5 * s // 2, y + s // 2), (x + s // 2, y + s // 2)]
        draw.polygon(hull, fill=colour)
        draw.line((x + s, y, x + s, y - 2 * s), fill=colour, width=max(2, s // 10))


def reflections(draw: ImageDraw.ImageDraw, rng: random.Random, size, horizon, x0, colour) -> None:
    """Short bright streaks on the water under the sun."""
    w, h = size
    for _ in range(900):
        y = rng.randint(horizon, h)
        spread = (y - horizon) // 2 + w // 40
        x = x0 + rng.randint(-spread, spread)
        length = rng.randint(w // 200, w // 40)
        draw.line((x, y, x + length, y), fill=colour, width=rng.randint(1, 4))


def grain(size: tuple[int, int], seed: int) -> Image.Image:
    """Film grain from seeded random bytes (Pillow's effect_noise cannot be seeded)."""
    rng = random.Random(seed)
    noise = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
    return noise.filter(ImageFilter.GaussianBlur(0.8)).convert("RGB")


def landscape(size: tuple[int, int], seed: int, palette: dict) -> Image.Image:
    rng = random.Random(seed)
    w, h = size
    horizon = h * 58 // 100
    picture = Image.new("RGB", size)
    picture.paste(gradient((w, horizon), *palette["sky"]), (0, 0))
    picture.paste(gradient((w, h - horizon), *palette["sea"]), (0, horizon))
    sun = (w * 62 // 100, horizon - h // 14)
    light = glow(size, sun, h // 5, palette["sun"])
    picture.paste(light, (0, 0), light)
    draw = ImageDraw.Draw(picture)
    draw.polygon(ridge(rng, w, horizon, h // 5, 40), fill=palette["far"])
    draw.polygon(ridge(rng, w, horizon, h // 9, 90), fill=palette["near"])
    reflections(draw, rng, size, horizon, sun[0], palette["sun"])
    harbour(draw, rng, size, horizon, palette["dark"])
    picture = picture.filter(ImageFilter.GaussianBlur(1.2))
    return Image.blend(picture, grain(size, seed + 1), 0.07)


# --- the individual files ---------------------------------------------------------------


def harbour_photo(out: Path) -> None:
    """3200×2400 as displayed, stored as 2400×3200 with orientation 6, as phones do."""
    upright = landscape((3200, 2400), 2024, DUSK)
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # undone by exif_transpose
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "SampleCam"  # Make
    exif[0x0110] = "Model 15"  # Model
    stored.save(out / "photo-harbour-dusk.jpg", quality=82, exif=exif.tobytes(), optimize=True)


def morning_lake(out: Path) -> None:
    landscape((1200, 800), 7, MORNING).save(out / "lake-morning.jpg", quality=85, optimize=True)


def tea_webp(out: Path) -> None:
    """A cup of tea seen from above, as a lossy WebP."""
    rng = random.Random(11)
    size = (960, 720)
    img = gradient(size, (150, 110, 80), (96, 66, 44))
    draw = ImageDraw.Draw(img)
    for i in range(0, size[1], 24):  # wood grain of the table
        draw.line((0, i + rng.randint(-6, 6), size[0], i), fill=(120, 86, 60), width=3)
    draw.ellipse((300, 180, 700, 580), fill=(236, 234, 226))  # saucer
    draw.ellipse((370, 250, 630, 510), fill=(250, 250, 246))  # cup
    draw.ellipse((395, 275, 605, 485), fill=(176, 140, 54))  # tea
    draw.ellipse((450, 320, 520, 360), fill=(204, 176, 96))  # light on the tea
    draw.arc((600, 340, 700, 420), 270, 90, fill=(250, 250, 246), width=18)  # handle
    img = img.filter(ImageFilter.GaussianBlur(2))
    Image.blend(img, grain(size, 12), 0.05).save(out / "tea-from-above.webp", quality=80, method=6)


def seal_png(out: Path) -> None:
    """A red name seal on a transparent background, with soft (partial alpha) edges."""
    size = 600
    seal = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(seal)
    draw.rounded_rectangle((40, 40, 560, 560), radius=60, fill=(178, 34, 34, 235))
    draw.rounded_rectangle((80, 80, 520, 520), radius=36, outline=(255, 255, 255, 0), width=14)
    font = ImageFont.truetype(str(CJK_SERIF), 190, index=2) if CJK_SERIF.exists() else None
    for text, xy in (("闲", (300, 190)), ("读", (300, 410))):
        draw.text(xy, text, font=font, fill=(0, 0, 0, 0), anchor="mm")
    # Drawn large for clean edges, saved at the size of a scan of a 2 cm seal on a page.
    small = seal.filter(ImageFilter.GaussianBlur(1.5)).resize((280, 280), Image.Resampling.LANCZOS)
    small.save(out / "seal-transparent.png", optimize=True)


def spinner_gif(out: Path) -> None:
    """Twelve frames of a ball bouncing across a shelf: a small looping GIF."""
    frames = []
    for i in range(12):
        frame = Image.new("RGB", (360, 200), (250, 247, 240))
        draw = ImageDraw.Draw(frame)
        draw.rectangle((20, 150, 340, 156), fill=(60, 60, 60))
        x = 30 + i * 26
        y = 134 - (36 - (i % 6 - 3) ** 2 * 4) * 3  # the ball's centre: a bounce every 6 frames
        draw.ellipse((x - 14, 146, x + 14, 154), fill=(200, 196, 188))  # shadow
        draw.ellipse((x - 16, y - 16, x + 16, y + 16), fill=(214, 90, 48))
        frames.append(frame.quantize(colors=16, method=Image.Quantize.MEDIANCUT, dither=0))
    frames[0].save(
        out / "bouncing-ball.gif",
        save_all=True,
        append_images=frames[1:],
        duration=80,
        loop=0,
        optimize=False,
    )


def terminal_png_as_jpg(out: Path) -> None:
    """A terminal screenshot saved as PNG under a .jpg name, as careless blogs do."""
    lines = [
        "$ python3 --version",
        "Python 3.12.4",
        "$ git log --oneline | head -3",
        'a1b2c3d fix: handle "quotes" in <title>',
        "9f8e7d6 feat: add rss feed",
        "4c5d6e7 docs: update README",
        "$ du -sh _posts/",
        "2.3M    _posts/",
    ]
    img = Image.new("RGB", (900, 300), (30, 32, 38))
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(MONO), 22) if MONO.exists() else None
    for i, line in enumerate(lines):
        colour = (130, 210, 140) if line.startswith("$") else (222, 222, 222)
        draw.text((24, 20 + i * 33), line, font=font, fill=colour)
    img.save(out / "terminal-screenshot.jpg", format="PNG", optimize=True)


# SVG text says which faces to try: the reader's own CJK font then a generic family.
PIPELINE_SVG = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="640" height="200" viewBox="0 0 640 200">
  <title>家里的网络：光猫、路由器、NAS 和笔记本</title>
  <style>
    text { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
           font-size: 18px; fill: #222; text-anchor: middle; }
    rect { fill: #f4efe6; stroke: #8a6d3b; stroke-width: 2; rx: 10; }
    line { stroke: #8a6d3b; stroke-width: 3; marker-end: url(#arrow); }
  </style>
  <defs>
    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6"
            orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#8a6d3b"/></marker>
  </defs>
  <rect x="10" y="70" width="120" height="60"/><text x="70" y="106">光猫</text>
  <rect x="180" y="70" width="120" height="60"/><text x="240" y="106">路由器</text>
  <rect x="350" y="20" width="120" height="60"/><text x="410" y="56">NAS</text>
  <rect x="350" y="120" width="120" height="60"/><text x="410" y="156">笔记本</text>
  <rect x="510" y="70" width="120" height="60"/><text x="570" y="106">Wi-Fi 6</text>
  <line x1="130" y1="100" x2="178" y2="100"/>
  <line x1="300" y1="90" x2="348" y2="55"/>
  <line x1="300" y1="110" x2="348" y2="145"/>
  <line x1="300" y1="100" x2="508" y2="100"/>
</svg>
"""

# No width or height, only a viewBox: the renderer has to pick a size itself.
METRO_SVG = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 240">
  <title>Line 2, from the river to the old town</title>
  <path d="M20,200 C120,200 120,60 220,60 S340,120 380,40" fill="none" stroke="#d94f30"
        stroke-width="10" stroke-linecap="round"/>
  <g fill="#fff" stroke="#333" stroke-width="3">
    <circle cx="20" cy="200" r="9"/><circle cx="110" cy="160" r="9"/>
    <circle cx="220" cy="60" r="9"/><circle cx="300" cy="96" r="9"/>
    <circle cx="380" cy="40" r="9"/>
  </g>
  <g font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="14" fill="#333">
    <text x="28" y="226">Riverside</text><text x="120" y="186">Library</text>
    <text x="196" y="40">Old Town</text><text x="290" y="126">Market</text>
    <text x="340" y="22">Hills</text>
  </g>
</svg>
"""


def svgs(out: Path) -> None:
    (out / "home-network.svg").write_text(PIPELINE_SVG, encoding="utf-8")
    (out / "metro-line-2.svg").write_text(METRO_SVG, encoding="utf-8")


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else OUT
    out.mkdir(parents=True, exist_ok=True)
    for make in (
        harbour_photo,
        morning_lake,
        tea_webp,
        seal_png,
        spinner_gif,
        terminal_png_as_jpg,
        svgs,
    ):
        make(out)
    for path in sorted(out.iterdir()):
        print(f"{path.stat().st_size:>9,}  {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
