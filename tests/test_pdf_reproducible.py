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


@pytest.mark.slow
def test_the_same_project_in_another_folder_gives_the_same_pdf(make_project, run_cli, tmp_path):
    # WeasyPrint names each picture after its URL: a checkout elsewhere (another CI runner,
    # a moved folder) made other bytes although nothing in the book had changed.
    import io
    import shutil

    from PIL import Image as PILImage

    photo = io.BytesIO()
    PILImage.new("RGB", (640, 400), (40, 90, 160)).save(photo, "JPEG", quality=80)
    article = "---\ntitle: 图\ndate: 2024-01-01\n---\n\n城南的图。\n\n![湖](lake.jpg)\n"
    first = make_project(
        {"content/2024-01-01-a.md": article, "content/lake.jpg": photo.getvalue()},
        root=tmp_path / "one" / "blog",
    )
    second = tmp_path / "elsewhere" / "blog"  # the same name: a book without a title takes it
    shutil.copytree(first, second)
    books = []
    for project in (first, second):
        status, _, err = run_cli(project, "pdf", "-q", "-o", "book.pdf")
        assert status == 0, err
        books.append((project / "book.pdf").read_bytes())
    assert books[0] == books[1]
