"""The same book built twice, a few seconds apart, gives the same PDF bytes: nothing of the
clock gets in (fontTools stamps the fonts it subsets, the colour emoji among them, with the
time unless SOURCE_DATE_EPOCH says otherwise)."""

from __future__ import annotations

import time

import pytest
from pdf_util import fonts, make_article, make_book, paragraphs

from bookmaker import pdf
from bookmaker.config import Config, PdfConfig
from bookmaker.layouts import load_layout


@pytest.mark.slow
def test_two_builds_seconds_apart_are_byte_identical(tmp_path):
    text = paragraphs(3) + "<p>今天很开心 😀 🎉，也有 ✓ 和 ♥。</p>"
    book = make_book([("一章", [make_article("e", "表情", text, 1, 1)])])
    layout = load_layout(tmp_path)
    out = []
    for n in range(2):
        if n:
            time.sleep(2.1)  # the timestamps fontTools writes count seconds
        config = Config(base=tmp_path, pdf=PdfConfig(chunk_pages=1)).override(
            "output", cache_dir=f"cache-{n}"
        )
        out.append(pdf.write(book, config, layout, tmp_path / f"{n}.pdf").paths[0].read_bytes())
    assert any("Emoji" in f["name"] for f in fonts(tmp_path / "0.pdf"))  # the colour face
    assert out[0] == out[1]
