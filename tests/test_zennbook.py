"""A Zenn book (`books/<slug>/` of a zenn-cli repository) made in its folder: chapters in order."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pikepdf
import pytest
from pdf_util import make_article, make_book, page_texts
from PIL import Image

from bookmaker import pdf
from bookmaker.config import Config
from bookmaker.layouts import load_layout

CONFIG = """
    title: "実践Rust非同期プログラミング"
    summary: "Tokioを使った非同期処理を基礎から解説する本です。"
    topics: ["rust", "tokio"]
    published: true
    price: 0 # 有料の場合200〜5000
    chapters:
      - intro
      - setup
      - tokio-basics
    """


def _png(size=(500, 700), colour=(30, 60, 120)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def _chapter(title: str, body: str, free: bool = True) -> str:
    return f'---\ntitle: "{title}"\nfree: {str(free).lower()}\n---\n\n{body}\n'


@pytest.fixture
def zenn_book(make_project):
    repo = make_project({
        "package.json": json.dumps({"dependencies": {"zenn-cli": "^0.1.150"}}),
        "articles/abc123def45678.md": '---\ntitle: "記事"\npublished_at: 2023-05-01\n---\n本文',
        "images/rust-book/install.png": _png((80, 50), (0, 0, 0)),
        "books/rust-async/config.yaml": CONFIG,
        "books/rust-async/cover.png": _png(),
        # (alphabetically: intro, memo, setup, tokio-basics; the book's order is its own)
        "books/rust-async/tokio-basics.md": _chapter(
            "Tokioの基礎", "`async fn`は`Future`を返します。[はじめに](intro)に戻る。", False
        ),
        "books/rust-async/intro.md": _chapter(
            "はじめに",
            "次は「[環境構築](setup)」です。\n"
            "[Tokioの基礎](https://zenn.dev/taro/books/rust-async/viewer/tokio-basics)へも。",
        ),
        "books/rust-async/setup.md": _chapter(
            "環境構築",
            "![インストール画面](/images/rust-book/install.png)\n\n[次へ](./tokio-basics)",
        ),
        "books/rust-async/memo.md": _chapter("メモ", "章にしていないメモ。"),
    })  # fmt: skip
    return repo / "books" / "rust-async"


def test_a_zenn_books_folder_lists_its_chapters_in_its_order(zenn_book, run_cli):
    status, out, _ = run_cli(zenn_book, "list", "-v")
    assert status == 0
    assert "Found: Zenn book (" in out
    assert "Book: 実践Rust非同期プログラミング (1 chapter(s), 3 article(s))" in out
    names = re.findall(r"(\S+)\.md\n", out)
    assert names == ["intro", "setup", "tokio-basics"]
    assert "memo.md: not a chapter of the book (not in config.yaml's chapters)" in out
    assert "2023" not in out and "1970" not in out  # no dates: the book orders its chapters


def test_numbered_chapter_files_are_in_number_order(make_project, run_cli):
    book = make_project({
        "books/go-test/config.yaml": 'title: "Goのテスト"\nsummary: "入門"\nprice: 0\n',
        "books/go-test/10.end.md": _chapter("おわりに", "終わり。"),
        "books/go-test/2.table.md": _chapter("テーブル駆動テスト", "表。"),
        "books/go-test/1.intro.md": _chapter("はじめに", "始め。"),
    }) / "books" / "go-test"  # fmt: skip
    status, out, _ = run_cli(book, "list", "-v")
    assert status == 0
    assert re.findall(r"(\S+)\.md\n", out) == ["1.intro", "2.table", "10.end"]
    assert "url=/books/go-test/viewer/table" in out  # zenn.dev's chapter name: no number


def test_a_chapter_the_config_names_without_a_file_is_an_error(zenn_book, run_cli):
    (zenn_book / "setup.md").unlink()
    status, _, err = run_cli(zenn_book, "list")
    assert status == 1
    assert "config.yaml: error: `chapters` names setup, but there is no setup.md" in err


def test_a_zenn_books_epub_has_its_title_summary_cover_links_and_pictures(zenn_book, run_cli):
    status, _, err = run_cli(zenn_book, "epub", "--strict", "-o", "build/book.epub")
    assert status == 0, err
    with zipfile.ZipFile(zenn_book / "build" / "book.epub") as z:
        files = {n: z.read(n) for n in z.namelist()}
    opf = files["EPUB/content.opf"].decode()
    assert '<dc:title id="title">実践Rust非同期プログラミング</dc:title>' in opf
    assert "<dc:description>Tokioを使った非同期処理を基礎から解説する本です。" in opf
    assert "<dc:language>ja</dc:language>" in opf
    spine = re.findall(r'<itemref idref="i-text_([\w-]+)"', opf)
    assert spine == ["intro", "setup", "tokio-basics"]
    cover = Image.open(io.BytesIO(files["EPUB/images/cover.png"]))
    assert cover.size == (500, 700) and cover.getpixel((5, 5)) == (30, 60, 120)
    intro = files["EPUB/text/intro.xhtml"].decode()
    assert 'href="setup.xhtml#setup"' in intro
    assert 'href="tokio-basics.xhtml#tokio-basics"' in intro  # zenn.dev's own address of it
    setup = files["EPUB/text/setup.xhtml"].decode()
    assert 'href="tokio-basics.xhtml#tokio-basics"' in setup
    assert re.search(r'<img [^>]*src="\.\./images/[0-9a-f]+\.png"', setup)
    title_page = files["EPUB/title.xhtml"].decode().split("<body", 1)[1]
    assert not re.search(r"\d{4}年|\b20\d\d\b", title_page)  # no date a book never had


def _long(n: int) -> str:
    return "".join(f"<p>{'非同期処理の説明が続きます。' * 12}第{i}段落。</p>" for i in range(n))


def _heads(path) -> list[str]:
    """The first line of every page: its running head, when it has one."""
    return [next((s.strip() for s in t.split("\n") if s.strip()), "") for t in page_texts(path)]


@pytest.mark.slow
def test_a_book_of_untitled_chapters_heads_its_right_pages_with_the_articles_title(tmp_path):
    book = make_book(
        [("", [make_article("intro", "はじめに", _long(12), lang="ja"),
               make_article("setup", "環境構築", _long(12), 2, lang="ja")])],
        title="実践Rust", language="ja",
    )  # fmt: skip
    written = pdf.write(book, Config(base=tmp_path), load_layout(tmp_path), tmp_path / "b.pdf")
    heads = _heads(written.paths[0])
    intro, setup = heads.index("はじめに"), heads.index("環境構築")  # (first pages: titles)
    assert "はじめに" in heads[intro + 1 : setup]  # the pages each article runs over
    assert "環境構築" in heads[setup + 1 :]


@pytest.mark.slow
def test_a_japanese_articles_running_head_in_a_chinese_book_keeps_japanese_glyphs(tmp_path):
    # 直, 骨 and 複 are drawn differently in Chinese and Japanese faces
    book = make_book(
        [("", [make_article("zh", "中文", _long(3)),
               make_article("ja", "直骨複の記事", _long(14), 2, lang="ja")])],
    )  # fmt: skip
    written = pdf.write(book, Config(base=tmp_path), load_layout(tmp_path), tmp_path / "b.pdf")
    heads = _heads(written.paths[0])
    first = heads.index("直骨複の記事")
    at = heads.index("直骨複の記事", first + 1)  # a page the article runs over: its head
    with pikepdf.open(written.paths[0]) as doc:
        faces = [str(f.get("/BaseFont")) for f in _fonts(doc.pages[at].obj)]
    assert any("Sans-CJK-JP" in f for f in faces), faces


def _fonts(obj, seen=None):
    """Every font a page draws with, its stamps' form XObjects included."""
    seen = set() if seen is None else seen
    resources = obj.get("/Resources") or {}
    yield from (resources.get("/Font") or {}).values()
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.objgen not in seen:
            seen.add(xobject.objgen)
            yield from _fonts(xobject, seen)


def test_the_repositorys_root_says_where_its_books_are_made(zenn_book, run_cli):
    status, out, _ = run_cli(zenn_book.parent.parent, "list")
    assert status == 0
    assert "Zenn repository (" in out and "a book is made in its folder: books/rust-async" in out
    assert "1 article(s)" in out  # its articles, not the book's chapters


def test_a_zenn_books_file_is_named_by_its_slug(zenn_book, run_cli):
    status, _, err = run_cli(zenn_book, "epub")
    assert status == 0, err
    assert [p.name for p in (zenn_book / "build").iterdir()] == ["rust-async.epub"]  # not rust
