"""Markdown exported from 语雀: its highlight blocks are boxes, its pictures' editor settings
never printed, its heading anchors the headings' ids."""

from __future__ import annotations

import json

from render_util import NS, FakeStore, article, boxes, context, parse, site

from bookmaker import markdown

CDN = "https://cdn.nlark.com/yuque/0/2023/png/2297658/1687051234567-3f1c2b9a.png"
SETTINGS = "#averageHue=%23f7f6f5&clientId=u1a2b3c4d&from=paste&height=320&originWidth=1200"


def rendered(body: str, present: tuple[str, ...] = ()):
    a = article(body)
    r = markdown.render(a, context((a,), site("plain"), store=FakeStore(present)))
    return r, parse(r.xhtml)


def test_yuque_s_highlight_blocks_are_boxes():
    r, _ = rendered(
        "正文。\n:::tips\n**提示**：热点数据可以永不过期。\n:::\n\n:::warning\n注意内存。\n:::\n"
        "\n:::color3\n彩色块。\n:::"
    )
    assert boxes(r.xhtml) == [
        ("callout callout-tip", "提示", "提示：热点数据可以永不过期。"),
        ("callout callout-warning", "警告", "注意内存。"),
        ("callout callout-note", "注意", "彩色块。"),
    ]
    assert ":::" not in r.xhtml


def test_a_yuque_picture_is_shown_at_its_width_with_no_file_name_for_caption():
    r, root = rendered(f"![image.png]({CDN}{SETTINGS}&width=600)", present=(CDN,))
    img = root.find(".//h:img", NS)
    assert (img.get("width"), img.get("alt")) == ("600", "")
    assert root.find(".//h:figcaption", NS) is None
    assert "averageHue" not in r.xhtml and "image.png" not in r.xhtml


def test_a_yuque_picture_s_title_is_its_caption_and_a_missing_one_keeps_its_line():
    r, root = rendered(f"第一行\n\n![image.png]({CDN}{SETTINGS}&title=%E6%9E%B6%E6%9E%84%E5%9B%BE)")
    assert "averageHue" not in r.xhtml and "架构图" in "".join(root.itertext())
    assert [(p.line, p.message) for p in r.problems] == [(7, f"remote image not fetched: {CDN}")]


def test_yuque_s_anchor_is_the_heading_s_id():
    _, root = rendered('<a name="Uv3xk"></a>\n## 一、缓存穿透\n正文，[见上文](#Uv3xk)。')
    assert [el.tag.split("}")[1] for el in root] == ["h2", "p"]
    assert root[0].get("id") == "post-Uv3xk"
    assert root.find(".//h:a", NS).get("href") == "#post-Uv3xk"


def test_code_keeps_its_colons_and_picture_settings():
    body = f"```md\n:::tips\n![image.png]({CDN}{SETTINGS})\n:::\n```"
    _, root = rendered(body)
    assert "".join(root.find(".//h:pre", NS).itertext()) == body[6:-3]


def test_a_yuque_export_s_documents_are_undated_articles(make_project, run_cli):
    project = make_project({
        "知识库/Redis 缓存设计.md": f"## 一、缓存穿透\n正文\n\n![image.png]({CDN})\n",
        "知识库/MySQL 索引.md": '<a name="Ab12x"></a>\n## B+ 树\n索引的底层结构。\n',
        "知识库/随手记.md": "没有前言，也不是语雀的文档。\n",
    })  # fmt: skip
    status, out, _ = run_cli(project, "list", "--json")
    problems = [(p["path"], p["level"], p["message"][:8]) for p in json.loads(out)["problems"]]
    assert status == 1
    assert problems == [
        ("知识库/MySQL 索引.md", "error", "no date:"),
        ("知识库/Redis 缓存设计.md", "error", "no date:"),
    ]
    status, out, _ = run_cli(project, "list", "--json", "--undated", "end")
    listing = json.loads(out)
    titles = [(a["title"], a["date"]) for c in listing["chapters"] for a in c["articles"]]
    assert status == 0 and titles == [("MySQL 索引", None), ("Redis 缓存设计", None)]
