"""The books' file names: ASCII, from the config, the title or the project's folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookmaker.config import BookConfig, Config, OutputConfig
from bookmaker.naming import book_stem


@pytest.mark.parametrize(
    ("folder", "title", "name", "stem"),
    [
        ("my-blog", "Notes from the Road", "", "notes-from-the-road"),
        ("my-blog", "我的 Hugo 站", "", "hugo"),
        ("my-blog", "技术随笔", "", "my-blog"),  # was book-<hash>: the folder says more
        ("my-blog", "技术随笔", "ji-shu", "ji-shu"),
        ("jk", "小舟周刊", "", "jk"),  # was book-<hash>: a short folder name is still its name
        ("ai", "AI 周刊", "", "ai"),  # the folder's, not the title's stray letters
        ("my-blog", "AI 周刊", "", "my-blog"),
        ("zhangsan.github.io", "", "", "zhangsan-github-io"),
    ],
)
def test_the_book_is_named_by_config_title_or_folder(folder, title, name, stem):
    config = Config(base=Path("/home/u") / folder, book=BookConfig(title=title),
                    output=OutputConfig(name=name))  # fmt: skip
    assert book_stem(config) == stem


def test_with_no_ascii_name_anywhere_two_books_still_get_two_names():
    def stem(title: str) -> str:
        return book_stem(Config(base=Path("/home/u/博客"), book=BookConfig(title=title)))

    assert stem("技术随笔").startswith("book-") and stem("技术随笔") != stem("读书笔记")
    assert stem("技术随笔") == stem("技术随笔")


def test_a_site_titled_in_its_own_config_names_the_book(make_project, tmp_path):
    from bookmaker.build import output_path
    from bookmaker.config import load

    files = {"_config.yml": "title: Test Book\n", "_posts/2024-01-01-a.md": "# A\n"}
    project = make_project(files, root=tmp_path / "b3")  # was book-<hash>: "b3" is too short
    assert output_path(load(None, project), ".epub").name == "test-book.epub"
