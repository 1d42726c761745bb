"""The printed page's geometry: the text block is the page area the margins leave (no
user-agent body margin), mirrored on facing pages, and the running heads and folios line up
with its outer edge."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pdf_util import make_article, make_book, paragraphs

from bookmaker import pdf
from bookmaker.config import Config, PdfConfig
from bookmaker.layouts import load_layout
from bookmaker.pagesizes import page_size

PT_PER_MM = 72 / 25.4
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">')


def _lines(path: Path, page: int) -> list[tuple[float, float, float]]:
    """(top, left, right) of each text line of `page`, in pt."""
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(path), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    lines: dict[float, list[float]] = {}
    for m in WORD.finditer(out):
        x0, y, x1 = float(m[1]), round(float(m[2]), 1), float(m[3])
        lo, hi = lines.get(y, [x0, x1])
        lines[y] = [min(lo, x0), max(hi, x1)]
    return sorted((y, lo, hi) for y, (lo, hi) in lines.items())


@pytest.mark.slow
def test_text_block_fills_the_margins_and_heads_line_up_with_it(tmp_path):
    book = make_book([("一章", [make_article("geo-1", "版心", paragraphs(40), 1, 1)])])
    target = tmp_path / "geo.pdf"
    config = Config(base=tmp_path, pdf=PdfConfig(chunk_pages=0))
    pdf.write(book, config, load_layout(tmp_path), target)
    size = page_size("A5")
    width = size.width * PT_PER_MM
    inner, outer = size.inner * PT_PER_MM, size.outer * PT_PER_MM
    checked = 0
    for page in range(1, len(pikepdf.open(target).pages) + 1):
        lines = _lines(target, page)
        body = [line for line in lines if line[0] > size.top * PT_PER_MM]
        heads = [line for line in lines if line[0] < size.top * PT_PER_MM]
        if len(body) < 8 or not heads:
            continue  # openers, blank pages, the end of the book
        left_page = round(heads[0][1], 1) == round(outer, 1)
        first, last = (outer, width - inner) if left_page else (inner, width - outer)
        # Most lines of a paragraph start at the left edge and run to the right edge.
        assert min(lo for _, lo, _ in body) == pytest.approx(first, abs=0.5), page
        assert max(hi for _, _, hi in body) == pytest.approx(last, abs=0.5), page
        # The head sits on the outer edge of the text block: left on a verso, right on a recto.
        assert (heads[0][1] if left_page else heads[0][2]) == pytest.approx(
            outer if left_page else width - outer, abs=0.5
        )
        checked += 1
    assert checked >= 4


@pytest.mark.slow
def test_latin_italics_come_from_a_real_italic_face(tmp_path):
    """Never a slanted CJK face: DejaVu Serif Italic (fonts-dejavu-extra) draws `<em>` in
    English text, its commas and spaces included."""
    from pdf_util import fonts

    text = '<p lang="en">The word means <em>comfortable, pleasant, just right</em>.</p>'
    book = make_book([("一章", [make_article("it-1", "斜体", paragraphs(1) + text, 1, 1)])])
    target = tmp_path / "it.pdf"
    pdf.write(
        book, Config(base=tmp_path, pdf=PdfConfig(chunk_pages=0)), load_layout(tmp_path), target
    )
    names = [f["name"] for f in fonts(target)]
    assert any(n.endswith("Latin-Italic") for n in names), names
    assert not any("CJK" in n and "Oblique" in n and "Mono" not in n for n in names), names


@pytest.mark.slow
def test_the_title_page_is_centred_on_the_text_block(tmp_path):
    from dataclasses import replace

    book = make_book([("一章", [make_article("tp-1", "一篇", paragraphs(2), 1, 1)])])
    meta = replace(book.meta, subtitle="一个程序员的博客文集", publisher="某某出版社")
    target = tmp_path / "tp.pdf"
    config = Config(base=tmp_path, pdf=PdfConfig(chunk_pages=0))
    pdf.write(replace(book, meta=meta), config, load_layout(tmp_path), target)
    size = page_size("A5")
    centre = (size.inner + size.text_width / 2) * PT_PER_MM  # the title page is a recto
    lines = _lines(target, 3)  # cover, its blank back, the title page
    assert len(lines) == 4  # title, subtitle, author, publisher
    for _, lo, hi in lines:
        assert (lo + hi) / 2 == pytest.approx(centre, abs=1)


@pytest.mark.slow
def test_a_long_title_in_the_contents_wraps_clear_of_the_page_numbers(tmp_path):
    long = "一个非常非常长的标题：从铅字到数字排版，一个书籍设计师二十年来的见闻与思考"
    articles = [make_article(f"toc-{i}", t, paragraphs(1), i + 1, 1)
                for i, t in enumerate(("短标题", long, "另一篇"))]  # fmt: skip
    target = tmp_path / "toc.pdf"
    config = Config(base=tmp_path, pdf=PdfConfig(chunk_pages=0))
    pdf.write(make_book([("一章", articles)]), config, load_layout(tmp_path), target)
    out = subprocess.run(
        ["pdftotext", "-f", "5", "-l", "5", "-bbox", str(target), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    words = [(float(m[1]), float(m[3]), w) for m, w in
             ((m, m.string[m.end():].split("<", 1)[0]) for m in WORD.finditer(out))]  # fmt: skip
    numbers = [(x0, x1) for x0, x1, w in words if w.isdigit()]
    text = [x1 for x0, x1, w in words if not w.isdigit() and set(w) != {"."} and w != "目录"]
    assert len(numbers) == 4  # the chapter's and its three articles'
    assert max(x1 for _, x1 in numbers) - min(x1 for _, x1 in numbers) < 0.5  # one column
    assert max(text) < min(x0 for x0, _ in numbers) - 5, "a title ran under the numbers"
