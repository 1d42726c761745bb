"""Stamps made from specimens look exactly like stamp pages rendered one by one."""

from __future__ import annotations

import subprocess

import pytest
from pdf_util import make_article, make_book, page_texts, paragraphs

from bookmaker import pdf, pdfstamps
from bookmaker.config import Config, PdfConfig
from bookmaker.layouts import load_layout

CENTRED = """
@page folio:left { @bottom-left { content: none; } @bottom-center { content: string(folio); } }
@page folio:right { @bottom-right { content: none; } @bottom-center { content: string(folio); } }
"""


def _pixels(path, first: int, last: int) -> bytes:
    args = ["pdftoppm", "-gray", "-r", "50", "-f", str(first), "-l", str(last), str(path)]
    return subprocess.run(args, capture_output=True, check=True).stdout


@pytest.mark.slow
@pytest.mark.parametrize("custom", ["", CENTRED], ids=["default", "centred-folios"])
def test_specimen_stamps_equal_stamp_pages(tmp_path, monkeypatch, custom):
    if custom:
        folder = tmp_path / "layouts" / "default"
        folder.mkdir(parents=True)
        (folder / "custom.css").write_text(custom, encoding="utf-8")
    articles = [make_article(f"a{i}", f"第{i}篇", paragraphs(12), i, 1) for i in range(1, 7)]
    book = make_book([("一月", articles[:3]), ("二月", articles[3:])])
    config = Config(base=tmp_path, pdf=PdfConfig(chunk_pages=0))
    layout = load_layout(tmp_path)
    fast = pdf.write(book, config, layout, tmp_path / "fast.pdf").paths[0]
    monkeypatch.setattr(pdfstamps, "stamp", lambda *a: False)  # every stamp page rendered
    slow = pdf.write(book, config, layout, tmp_path / "slow.pdf").paths[0]
    pages = page_texts(fast)
    assert len(pages) > 12 and page_texts(slow) == pages  # heads and numbers, same text
    assert any(p.split()[-1] == "10" for p in pages if p.split())  # two digits too
    assert _pixels(fast, 5, len(pages)) == _pixels(slow, 5, len(pages))
