"""BookMeta -> a generated cover image (PNG bytes): title, subtitle, author, years.

Used when the book has no configured cover; both backends share it. The design is plain
and typographic: a dark field holding the title in the book's bold CJK face, a vermilion
rule, and the author and years on paper below (grey, for a grayscale book). Same meta and
fonts, same bytes.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .fonts import BOLD, REGULAR, body_family, find_face
from .model import BookMeta

log = logging.getLogger(__name__)

INK = (35, 49, 63)
PAPER = (243, 238, 227)
PAPER_DIM = (196, 188, 172)
ACCENT = (181, 68, 46)
GREY = (110, 106, 98)
FIELD = 0.64  # share of the height the dark field takes

# Marks that must not start a line (clreq) and must not end one.
NO_START = set("，。、；：？！）」』】》〉〕〗”’…‥・·%,.;:?!)]}")
NO_END = set("（「『【《〈〔〖“‘([{")
TOKEN = re.compile(r"[A-Za-z0-9][\w'’\-.]*|\s+|.", re.UNICODE)


def render_cover(
    meta: BookMeta,
    width: int = 1600,
    height: int = 2560,
    font_dirs: tuple[Path, ...] = (),
    grayscale: bool = False,
) -> bytes:
    """The cover as PNG bytes; in shades of grey, as every other picture, for `--grayscale`."""
    image = Image.new("RGB", (width, height), PAPER)
    draw = ImageDraw.Draw(image)
    field_h = int(height * FIELD)
    draw.rectangle((0, 0, width, field_h), fill=INK)
    family = body_family(meta.language)
    bold = _font(family, BOLD, font_dirs)
    regular = _font(family, REGULAR, font_dirs)
    margin = width // 10
    box = width - 2 * margin
    _title_block(draw, meta, bold, regular, margin, box, field_h, width)
    _foot_block(draw, meta, regular, margin, box, field_h, height, width)
    if grayscale:
        image = image.convert("L")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=6)
    return out.getvalue()


def _title_block(draw, meta, bold, regular, margin, box, field_h, width) -> None:
    size = width // 10 if len(meta.title) <= 10 else width // 13
    title_font = bold(size)
    lines = wrap(meta.title or " ", title_font, box)[:5]
    sub_size = width // 28
    sub_font = regular(sub_size)
    sub_lines = wrap(meta.subtitle, sub_font, box)[:3] if meta.subtitle else []
    leading, sub_leading, gap = int(size * 1.3), int(sub_size * 1.5), size
    block = leading * len(lines) + gap + sub_leading * len(sub_lines)
    y = max(margin, (field_h - block) // 2)
    for line in lines:
        draw.text((margin, y), line, font=title_font, fill=PAPER)
        y += leading
    rule_y = y + gap // 3
    draw.rectangle((margin, rule_y, margin + width // 8, rule_y + width // 200), fill=ACCENT)
    y += gap
    for line in sub_lines:
        draw.text((margin, y), line, font=sub_font, fill=PAPER_DIM)
        y += sub_leading


def _foot_block(draw, meta, regular, margin, box, field_h, height, width) -> None:
    y = field_h + (height - field_h) // 4
    if meta.author:
        author_font = regular(width // 20)
        for line in wrap(meta.author, author_font, box)[:2]:
            draw.text((margin, y), line, font=author_font, fill=INK)
            y += int(width // 20 * 1.4)
    years = year_range(meta)
    if years:
        draw.text(
            (margin, height - margin - width // 30), years, font=regular(width // 30), fill=GREY
        )


def year_range(meta: BookMeta) -> str:
    """ "2019 – 2025", or one year, or "" when the book has no dates."""
    first, last = meta.first_date, meta.last_date
    if not first or not last:
        return ""
    return str(first.year) if first.year == last.year else f"{first.year} – {last.year}"


def wrap(text: str, font, max_width: int) -> list[str]:
    """Lines of `text` no wider than `max_width`: CJK breaks anywhere, Latin at spaces."""
    lines: list[str] = []
    line = ""
    for token in TOKEN.findall(" ".join(text.split())):
        candidate = line + token
        if not line or font.getlength(candidate) <= max_width or token in NO_START:
            line = candidate
            continue
        carry = line[-1] if line[-1] in NO_END else ""
        lines.append((line[:-1] if carry else line).rstrip())
        line = (carry + token).lstrip()
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _font(family: str, weight: int, font_dirs: tuple[Path, ...]):
    """A function size -> PIL font of `family` at `weight`, or Pillow's own when missing."""
    face = find_face(family, weight, font_dirs)
    if face is None:
        log.warning("no %s font found for the cover: CJK text may not show", family)
        return lambda size: ImageFont.load_default(size)
    return lambda size: ImageFont.truetype(str(face.path), size, index=face.index)
