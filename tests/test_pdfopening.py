"""A post that opens with a tall picture: its title is printed on the picture's page."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

from pdf_util import make_article, make_book, page_texts
from PIL import Image as PILImage

from bookmaker import pdf, pdfopening
from bookmaker.config import Config, PdfConfig
from bookmaker.layouts import load_layout
from bookmaker.model import Image
from bookmaker.pagesizes import SIZES


def _portrait(project: Path) -> Image:
    path = project / "img" / "portrait.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    PILImage.new("RGB", (1200, 2000), (150, 90, 60)).save(path)
    return Image("images/0123abcd.png", path, "image/png", 1200, 2000)


def _pages_with_pictures(path: Path) -> list[int]:
    out = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return [int(line.split()[0]) for line in out.splitlines()[2:]]


def test_a_photo_post_keeps_its_title_and_its_picture_on_one_page(tmp_path):
    img = _portrait(tmp_path)
    figure = (
        '<figure><img src="images/0123abcd.png" alt="雨后"/><figcaption>雨后</figcaption></figure>'
    )
    first = make_article("rain", "第一张照片", figure, 1, 8, images=(img,))
    second = make_article("walk", "第二张照片", figure + "<p>江边。</p>", 5, 8, images=(img,))
    third = make_article("dusk", "第三张照片", figure, 9, 8, images=(img,))
    third = replace(third, article=replace(third.article, subtitle="黄昏的江边，一个人走了很久"))
    book = make_book([("2024年8月", [first, second, third])])
    config = Config(base=tmp_path, pdf=PdfConfig(chunk_pages=0))
    path = pdf.write(book, config, load_layout(tmp_path), tmp_path / "p.pdf").paths[0]
    texts = page_texts(path)
    pictures = _pages_with_pictures(path)
    for title in ("第一张照片", "第二张照片", "黄昏的江边"):
        page = next(i for i, t in enumerate(texts, 1) if title in t and "目录" not in t)
        assert page in pictures, f"{title} is on page {page}, its picture on {pictures}"


def test_the_room_left_is_less_under_a_chapter_opener_and_grows_with_the_page():
    for size in SIZES.values():
        css = pdfopening.css(size).splitlines()
        alone, under_opener, subtitled, subtitled_opener = (
            float(line.rsplit(": ", 1)[1][:-5]) for line in css
        )
        assert 0.3 * alone < under_opener < alone
        # an article's subtitle under its title leaves less room still
        assert subtitled < alone and subtitled_opener < under_opener
    assert pdfopening.css(SIZES["A4"]) != pdfopening.css(SIZES["A5"])
