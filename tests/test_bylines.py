"""A newsletter exported without front matter is dated by the line under its title (bylines.py)."""

from __future__ import annotations

import zipfile
from datetime import UTC

import pytest

from bookmaker import bylines
from bookmaker import collect as collector
from bookmaker import config as configmod

SUBSTACK = (
    "# {title}\n\n## 写作是思考的延伸\n\n**{day}**\n\n**Likes:** 12\n\n你好，欢迎来到这封信。\n"
)


def test_substack2markdown_posts_are_dated_by_the_line_under_their_title(make_project):
    project = make_project({
        "posts/why-i-write.md": SUBSTACK.format(title="为什么我开始写", day="Mar 03, 2023"),
        "posts/on-reading.md": SUBSTACK.format(title="关于阅读", day="Feb 7, 2023"),
        "posts/weekly.md": "# 第 3 期\n\n*2024年3月1日*\n\n本周的链接。\n",
        "posts/notes.md": "# 随手记\n\n2023年我读了很多书。\n",
    })  # fmt: skip
    col = collector.collect(configmod.load(None, project))
    got = [(a.title, a.date.date().isoformat()) for a in col.articles()]
    assert got == [("关于阅读", "2023-02-07"), ("为什么我开始写", "2023-03-03"),
                   ("第 3 期", "2024-03-01")]  # fmt: skip
    assert "posts/notes.md" in dict(col.skipped)
    first = col.articles()[0]
    assert "Feb 7" not in first.body and "Likes" not in first.body
    # (the lines are blanked, not removed: a problem later names the file's own line)
    assert first.body_line + first.body.split("\n").index("你好，欢迎来到这封信。") == 9


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("**Mar 03, 2023**", "2023-03-03"),
        ("_12 September 2022_", "2022-09-12"),
        ("发布于：2024-03-01", "2024-03-01"),
        ("Published: 2021/5/6", "2021-05-06"),
    ],
)
def test_dates_written_under_a_title(line, day):
    found = bylines.find(f"# 标题\n\n{line}\n\n正文\n", UTC)
    assert found is not None and found[0].date().isoformat() == day


@pytest.mark.parametrize("line", ["2023年我读了很多书。", "Mar 33, 2023", "May I say, 2023"])
def test_text_that_is_no_date_is_text(line):
    assert bylines.find(f"# 标题\n\n{line}\n", UTC) is None


def test_a_date_in_front_matter_wins_and_the_line_stays(make_project):
    project = make_project({"a.md": "---\ndate: 2020-01-01\n---\n# 标题\n\n**Mar 03, 2023**\n"})
    [a] = collector.collect(configmod.load(None, project)).articles()
    assert a.date.year == 2020 and "Mar 03, 2023" in a.body


def test_a_date_on_the_last_line_or_after_a_long_body_is_found():
    assert bylines.find("# 标题\n\n**Mar 03, 2023**", UTC) is not None
    _, body = bylines.find("# 标题\n\n*2024年3月1日*\n" + "正文\n" * 500, UTC)
    assert body.count("正文") == 500 and "2024" not in body


def test_a_substack_subtitle_is_printed_under_the_title_not_as_a_section(make_project, run_cli):
    """Substack2Markdown's `## Subtitle` heads the post in both books, as on Substack; a
    weekly's first section after its date line stays a section."""
    from bookmaker import pdfdoc, render
    from bookmaker.pagesizes import page_size

    project = make_project({
        "posts/why-i-write.md": SUBSTACK.format(title="为什么我开始写", day="Mar 03, 2023"),
        "posts/weekly.md": "# 第 3 期\n\n*2024年3月1日*\n\n## 本周链接\n\n链接。\n",
    })  # fmt: skip
    assert run_cli(project, "epub", "-o", "book.epub")[0] == 0
    with zipfile.ZipFile(project / "book.epub") as book:
        post = book.read("EPUB/text/why-i-write.xhtml").decode()
        weekly = book.read("EPUB/text/weekly.xhtml").decode()
    head, body = post.split("</header>")
    assert '<p class="article-subtitle">写作是思考的延伸</p>' in head
    assert "写作是思考的延伸" not in body and "<h2" not in body
    assert "article-subtitle" not in weekly and "本周链接</h2>" in weekly
    config = configmod.load(None, project)
    built = render.render_book(config, collector.collect(config), workers=1)
    blocks = pdfdoc.blocks(built, pdfdoc.Assets(()), True, page_size("A5"))
    [printed] = [b.html for b in blocks if b.anchor == "why-i-write"]
    head, body = printed.split("</header>")
    assert '<p class="article-subtitle">写作是思考的延伸</p>' in head
    assert "写作是思考的延伸" not in body


def test_a_subtitle_in_front_matter_is_printed_under_the_title(make_project, run_cli):
    project = make_project({
        "_config.yml": "title: 博客\n",
        "_posts/2024-03-01-a.md": "---\ntitle: 标题\n"
        "subtitle: '副标题：一个 \"例子\"'\n---\n正文。\n",
    })  # fmt: skip
    assert run_cli(project, "epub", "-o", "book.epub")[0] == 0
    with zipfile.ZipFile(project / "book.epub") as book:
        [post] = [book.read(n).decode() for n in book.namelist() if n.startswith("EPUB/text/")]
    assert '<p class="article-subtitle">副标题：一个“例子”</p>' in post
