"""An article in another language than the book's keeps its glyph shapes in the contents."""

from __future__ import annotations

import zipfile

import pikepdf
import pytest
from pdf_util import make_article, make_book, page_texts

from bookmaker import epub, pdf
from bookmaker.config import Config
from bookmaker.layouts import load_layout


def mixed_book():
    # 直, 骨 and 複 are drawn differently in Chinese and Japanese faces
    return make_book([
        ("2024年1月", [
            make_article("zh", "直骨复", "<p>中文的段落。</p>", 1),
            make_article("ja", "直骨複の記事", "<p>日本語の段落です。</p>", 2, lang="ja"),
        ]),
    ])  # fmt: skip


def test_the_epubs_contents_name_a_japanese_articles_language(tmp_path):
    book = mixed_book()
    written = epub.write(book, Config(base=tmp_path), load_layout(tmp_path), tmp_path / "b.epub")
    with zipfile.ZipFile(written.paths[0]) as z:
        names = [n for n in z.namelist() if n.endswith(".xhtml")]
        pages = {n: z.read(n).decode() for n in names}
    for name in ("EPUB/contents.xhtml", "EPUB/nav.xhtml"):
        assert 'lang="ja" xml:lang="ja">直骨複の記事</a>' in pages[name]
        assert '.xhtml">直骨复</a>' in pages[name]  # the book's own language: nothing to say
    opener = next(text for n, text in pages.items() if n.startswith("EPUB/chapters/"))
    assert 'lang="ja" xml:lang="ja">直骨複の記事</a>' in opener


@pytest.mark.slow
def test_the_pdfs_contents_set_a_japanese_title_in_a_japanese_face(tmp_path):
    book = mixed_book()
    written = pdf.write(book, Config(base=tmp_path), load_layout(tmp_path), tmp_path / "b.pdf")
    texts = page_texts(written.paths[0])
    at = next(i for i, t in enumerate(texts) if "目录" in t and "直骨複の記事" in t)
    with pikepdf.open(written.paths[0]) as doc:
        fonts = doc.pages[at].Resources.Font
        faces = {str(f.get("/BaseFont")) for f in fonts.values()}
    assert any("CJK-JP" in f for f in faces), faces
