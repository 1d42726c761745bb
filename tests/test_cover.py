"""The generated cover: size, determinism, text wrapping."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from PIL import Image, ImageFont

from bookmaker.cover import render_cover, wrap, year_range
from bookmaker.fonts import find_face
from bookmaker.model import BookMeta


def meta(**values) -> BookMeta:
    base = {
        "title": "山中笔记：一个程序员的十年",
        "language": "zh-CN",
        "identifier": "urn:uuid:x",
        "modified": datetime(2025, 1, 1, tzinfo=UTC),
        "subtitle": "博客文选",
        "author": "林小山",
        "first_date": datetime(2019, 3, 1, tzinfo=UTC),
        "last_date": datetime(2025, 10, 1, tzinfo=UTC),
    }
    return BookMeta(**{**base, **values})


def test_cover_is_a_1600_by_2560_png_and_the_same_every_time():
    first = render_cover(meta())
    assert first == render_cover(meta())
    with Image.open(io.BytesIO(first)) as im:
        assert im.format == "PNG" and im.size == (1600, 2560)
    assert render_cover(meta(title="另一本书")) != first


def test_a_grayscale_cover_is_the_same_cover_in_grey_every_time():
    """`--grayscale` greyed every picture but the cover: dark blue with a vermilion rule."""
    grey = render_cover(meta(), grayscale=True)
    assert grey == render_cover(meta(), grayscale=True)
    with Image.open(io.BytesIO(grey)) as im, Image.open(io.BytesIO(render_cover(meta()))) as rgb:
        assert im.mode == "L" and im.size == (1600, 2560)
        assert im.tobytes() == rgb.convert("L").tobytes()


def test_title_is_drawn_in_the_upper_field():
    with Image.open(io.BytesIO(render_cover(meta(subtitle="", author="")))) as im:
        field = im.crop((0, 0, 1600, 1600)).convert("L")
        assert field.getextrema()[1] > 200  # light title text on the dark field


def test_years_read_as_a_range_or_one_year():
    assert year_range(meta()) == "2019 – 2025"
    assert year_range(meta(first_date=datetime(2025, 1, 1, tzinfo=UTC))) == "2025"
    assert year_range(meta(first_date=None, last_date=None)) == ""


def test_wrap_keeps_lines_narrow_and_never_starts_a_line_with_closing_punctuation():
    face = find_face("Noto Serif CJK SC", 700)
    font = ImageFont.truetype(str(face.path), 100, index=face.index) if face else None
    if font is None:
        font = ImageFont.load_default(100)
    text = "一个程序员的十年笔记，从 Python 到 Rust。再写一句很长的话，看看怎么换行。"
    lines = wrap(text, font, 700)
    assert len(lines) > 2
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert line[0] not in "，。、）」”"
        assert font.getlength(line) <= 700 + font.getlength("，")
    assert "Python" in "".join(lines).replace(" ", "") and not any(
        line.endswith("Pyt") for line in lines
    )
