"""A Japanese article (front-matter `lang: ja`) in a Chinese book stays Japanese: its
quotes in 「」 and its kanji as written, whatever the book does to its Chinese."""

from __future__ import annotations

import zipfile

import pytest

JAPANESE = """
    ---
    title: 東京の週末
    date: 2024-02-05
    lang: ja
    ---
    週末は東京を歩きました。友達は「ここのラーメンは本当に美味しい」と言いました。彼は"また来よう"と笑いました。
    """
CHINESE = """
    ---
    title: 台北的咖啡廳
    date: 2024-02-01
    ---
    這個週末我們去了一家咖啡廳。老闆說:"豆子都是自己烘的。"
    """


def epub(make_project, run_cli, typography: str) -> zipfile.ZipFile:
    project = make_project({
        "_config.yml": "title: 阿明的部落格\nlang: zh-TW\n",
        "_posts/2024-02-05-tokyo.md": JAPANESE,
        "_posts/2024-02-01-cafe.md": CHINESE,
        "bookmaker.toml": f"[typography]\n{typography}\n",
    })  # fmt: skip
    assert run_cli(project, "epub", "-o", "book.epub")[0] == 0
    return zipfile.ZipFile(project / "book.epub")


def text(book: zipfile.ZipFile, name: str) -> str:
    return book.read(f"EPUB/text/{name}.xhtml").decode().replace("\u2060", "")


@pytest.mark.parametrize("setting", ['convert = "t2s"', 'convert = "s2t"'])
def test_converting_the_chinese_leaves_a_japanese_article_as_written(
    make_project, run_cli, setting
):
    with epub(make_project, run_cli, setting) as book:
        tokyo, nav = text(book, "tokyo"), book.read("EPUB/nav.xhtml").decode()
    assert "週末は東京を歩きました。友達は「ここのラーメンは本当に美味しい」" in tokyo
    assert "彼は「また来よう」と笑いました" in tokyo
    assert 'lang="ja" xml:lang="ja">東京の週末</a>' in nav  # Japanese glyphs in the contents


def test_a_chinese_books_curly_quotes_leave_a_japanese_articles_corner_brackets(
    make_project, run_cli
):
    with epub(make_project, run_cli, 'quotes = "curly"') as book:
        tokyo, cafe = text(book, "tokyo"), text(book, "cafe")
    assert "友達は「ここのラーメンは本当に美味しい」と言いました。彼は「また来よう」" in tokyo
    assert "“豆子都是自己烘的" in cafe
