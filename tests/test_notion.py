"""A Notion export: each database page an article, dated and tagged by its properties,
titled by its name without Notion's id; the property lines never printed."""

from __future__ import annotations

import json
import zipfile

import pytest
from lxml import etree
from render_util import article, boxes, context, site

from bookmaker import front, markdown, notion

ID = "8f3a2b1c9d4e5f60718293a4b5c6d7e1"
PAGE = """
    # Go 并发笔记

    Created: 2023年5月1日 10:00
    Tags: Go, 并发
    Status: 完成

    Go 的 goroutine 非常轻量。
    """


def _articles(run_cli, project):
    status, out, _ = run_cli(project, "list", "--json")
    listing = json.loads(out)
    articles = [a for c in listing["chapters"] for a in c["articles"]]
    return status, articles, listing["problems"], listing["title"]


def test_a_notion_export_s_pages_are_articles_dated_by_their_properties(make_project, run_cli):
    project = make_project({
        f"博客 1a2b3c4d5e6f708192a3b4c5d6e7f809/Go 并发笔记 {ID}.md": PAGE,
        "博客 1a2b3c4d5e6f708192a3b4c5d6e7f809/Reading list 0a1b2c3d4e5f60718293a4b5c6d7e8f9.md": (
            "# Reading list\n\nCreated: May 3, 2023 9:15 PM\nDate: May 2, 2023\n\n在读。\n"
        ),
        "博客 1a2b3c4d5e6f708192a3b4c5d6e7f809.md": "# 博客\n\n[Go 并发笔记](x.md)\n",
        "博客 1a2b3c4d5e6f708192a3b4c5d6e7f809.csv": "Name,Created\n",
    })  # fmt: skip
    status, articles, problems, title = _articles(run_cli, project)
    assert status == 0 and problems == []
    assert title == "博客"  # the export's top page
    assert [(a["title"], a["date"][:16], a["tags"]) for a in articles] == [
        ("Go 并发笔记", "2023-05-01T10:00", ["Go", "并发"]),
        ("Reading list", "2023-05-02T00:00", []),  # `Date` before `Created`
    ]


def test_the_properties_are_not_printed_and_the_title_not_twice(make_project, run_cli):
    project = make_project({f"notes/Go 并发笔记 {ID}.md": PAGE})
    status, _, _ = run_cli(project, "epub", "-o", "book.epub")
    assert status == 0
    with zipfile.ZipFile(project / "book.epub") as z:
        name = next(n for n in z.namelist() if n.startswith("EPUB/text/"))
        root = etree.fromstring(z.read(name))
    words = "".join(root.find(".//{*}div[@class='article-body']").itertext())
    assert "Created" not in words and "Status" not in words and "并发笔记" not in words
    assert "goroutine" in words


def test_a_page_without_properties_is_no_article():
    parsed = front.split("# 博客\n\n正文\n")
    assert notion.read(parsed, f"博客 {ID}") is parsed


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("2023年5月1日 下午 3:05", "2023年5月1日 15:05"),
        ("2023年5月1日 上午 10:00", "2023年5月1日 10:00"),
        ("May 1, 2023 10:00 AM", "2023-05-01 10:00"),
        ("@May 1, 2023 → May 3, 2023", "2023-05-01 00:00"),
        ("2023/05/01", "2023/05/01"),
    ],
)
def test_notion_s_dates(written, read):
    parsed = notion.read(front.split(f"# T\n\nDate: {written}\n\n正文"), f"T {ID}")
    assert parsed.meta["date"] == read and parsed.body == "正文"


def test_a_file_that_is_not_notion_s_is_left_as_it_is():
    parsed = front.split("# 标题\n\nCreated: 2023-05-01\n\n正文")
    assert notion.read(parsed, "标题") is parsed


def test_a_notion_callout_is_a_box_of_its_icon_s_kind():
    body = (
        "正文\n\n<aside>\n💡 这是一个提示，**重要**。\n\n</aside>\n\n<aside>\n⚠️ 注意安全\n</aside>"
        "\n\n<aside>\n🐱 猫\n</aside>\n\n```html\n<aside>\n原样\n</aside>\n```"
    )
    a = article(body)
    r = markdown.render(a, context((a,), site("plain")))
    assert boxes(r.xhtml) == [
        ("callout callout-tip", "提示", "💡这是一个提示，重要。"),
        ("callout callout-warning", "警告", "⚠️注意安全"),
        ("callout callout-note", "注意", "🐱猫"),
    ]
    assert "<aside" not in r.xhtml.split("<pre>")[0] and "**" not in r.xhtml
