"""Blog boxes of every dialect come out as one box: a titled `div.callout`."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from epubcheck_util import needs_epubcheck, problems
from lxml import etree
from pdf_util import make_article, make_book, page_texts
from render_util import NS, article, boxes, context, parse, render, site

from bookmaker import markdown, pdf
from bookmaker.config import Config, PdfConfig
from bookmaker.layouts import load_layout


def test_github_alerts_are_boxes_titled_in_the_articles_language():
    kinds = ("NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION")
    r = render("\n\n".join(f"> [!{kind}]\n> 第{n}条。" for n, kind in enumerate(kinds)))
    assert boxes(r.xhtml) == [
        ("callout callout-note", "注意", "第0条。"),
        ("callout callout-tip", "提示", "第1条。"),
        ("callout callout-important", "重要", "第2条。"),
        ("callout callout-warning", "警告", "第3条。"),
        ("callout callout-caution", "小心", "第4条。"),
    ]
    assert "[!" not in r.xhtml and "blockquote" not in r.xhtml and not r.problems


def test_an_obsidian_title_is_the_boxs_title_not_its_first_words():
    r = render("> [!note] 核心观点\n> 程序员需要理解…\n>\n> 第二段。")
    assert boxes(r.xhtml) == [("callout callout-note", "核心观点", "程序员需要理解…第二段。")]


def test_fold_marks_are_ignored_and_a_title_keeps_its_markup():
    r = render("> [!tip]- **折叠**的标题\n> 正文\n\n> [!faq]+\n> 问")
    assert boxes(r.xhtml) == [
        ("callout callout-tip", "折叠的标题", "正文"),
        ("callout callout-question", "问题", "问"),
    ]
    title = parse(r.xhtml).find(".//h:p[@class='callout-title']", NS)
    assert title.find("h:strong", NS).text == "折叠"


def test_an_unknown_kind_is_a_note_and_a_title_alone_is_a_box():
    assert boxes(render("> [!recipe] 番茄炒蛋").xhtml) == [("callout callout-note", "番茄炒蛋", "")]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-CN", ["注意", "提示", "警告"]),
        ("zh-TW", ["注意", "提示", "警告"]),
        ("ja", ["注意", "ヒント", "警告"]),
        ("en", ["Note", "Tip", "Warning"]),
    ],
)
def test_a_title_left_out_is_the_kinds_word(language, words):
    a = article("> [!NOTE]\n> a\n\n> [!TIP]\n> b\n\n> [!WARNING]\n> c")
    r = markdown.render(a, context((a,), language=language))
    assert [title for _, title, _ in boxes(r.xhtml)] == words


def test_an_articles_own_language_names_its_boxes():
    r = render("> [!info]\n> 本文", lang="zh-Hant")
    assert boxes(r.xhtml) == [("callout callout-info", "資訊", "本文")]


def test_a_box_in_a_list_item_and_a_quote_in_a_box():
    r = render("- 步骤\n\n  > [!warning] 先备份\n  > 数据\n  >\n  > > 原话")
    assert boxes(r.xhtml) == [("callout callout-warning", "先备份", "数据原话")]
    box = parse(r.xhtml).find(".//h:li/h:div", NS)
    assert box.find("h:blockquote/h:p", NS).text == "原话"


def test_a_plain_quote_stays_a_quotation():
    r = render("> 其实地上本没有路。\n> [!note] 不在开头")
    assert boxes(r.xhtml) == []
    assert parse(r.xhtml).find("h:blockquote", NS) is not None


def test_chirpys_prompts_are_three_boxes():
    source = (
        "> 记得备份。\n{: .prompt-tip }\n\n> 版本 2.0 起。\n{: .prompt-info }\n\n"
        "> 会删除数据。\n{: .prompt-danger }\n\n> 小心。\n{: .prompt-warning }"
    )
    a = article(source)
    r = markdown.render(a, context((a,), site("jekyll")))
    assert boxes(r.xhtml) == [
        ("callout callout-tip", "提示", "记得备份。"),
        ("callout callout-info", "信息", "版本2.0起。"),
        ("callout callout-danger", "危险", "会删除数据。"),
        ("callout callout-warning", "警告", "小心。"),
    ]
    assert "prompt-" not in r.xhtml


def test_minimal_mistakes_notices_are_boxes():
    source = (
        "一段说明。\n{: .notice--info}\n\n普通提醒。\n{: .notice}\n\n"
        '<div class="notice--danger wide">原始 HTML 的提醒</div>'
    )
    a = article(source)
    r = markdown.render(a, context((a,), site("jekyll")))
    assert boxes(r.xhtml) == [
        ("callout callout-info", "信息", "一段说明。"),
        ("callout callout-note", "注意", "普通提醒。"),
        ("callout callout-danger", "危险", "原始HTML的提醒"),
    ]
    assert "notice" not in r.xhtml


BOOK = """\
---
title: 框
date: 2024-10-02
---

> [!note] 核心观点
> 程序员需要理解。

> 记得备份。
{: .prompt-tip }

{{< admonition warning "先看这里" >}}
小心：

```bash
rm -rf build
```
{{< /admonition >}}

{{< details summary="展开" >}}
隐藏的内容
{{< /details >}}

```mermaid
graph TD
A-->B
```
"""


@pytest.mark.slow
@needs_epubcheck
def test_boxes_make_a_valid_epub(make_project, run_cli):
    project = make_project(
        {
            "hugo.toml": 'title = "测试"\nlanguageCode = "zh-CN"\n',
            "static/.keep": "",
            "content/posts/boxes.md": BOOK,
            "bookmaker.toml": '[book]\ntitle = "测试"\nauthor = "某人"\n',
        }
    )
    _status, _out, err = run_cli(project, "epub", "-o", "book.epub")
    book = project / "book.epub"
    assert book.is_file(), err
    assert problems(book) == []
    with zipfile.ZipFile(book) as z:
        name = next(n for n in z.namelist() if n.endswith(".xhtml") and "boxes" in n)
        root = etree.fromstring(z.read(name))

    def words(xpath: str) -> list[str]:
        # typography's word joiner (a paragraph's last character never alone on a line) and
        # quarter-em space (between Han and Latin) as plain text
        found = root.xpath(xpath, namespaces=NS)
        return ["".join(el.itertext()).replace("\u2060", "").replace("\u2005", " ") for el in found]

    assert words("//h:div[contains(@class, 'callout')]/h:p[1]") == ["核心观点", "提示", "先看这里"]
    assert words("//h:details[@open]/h:summary") == ["展开"]
    assert words("//h:p[@class='diagram-note']") == ["Mermaid 图表（源码）："]


WIDE = "长" * 90  # one run without spaces: its full lines span the block that holds it


def _printed(tmp_path, articles) -> Path:
    config = Config(base=tmp_path, pdf=PdfConfig(chunk_pages=0))
    target = tmp_path / "boxes.pdf"
    pdf.write(make_book([("一章", articles)]), config, load_layout(tmp_path), target)
    return target


FRAMED = (
    f'<p>{WIDE}</p><div class="callout callout-note"><p class="callout-title">标题</p>'
    f"<p>{WIDE}</p></div>"
)


def _fold(n: int):
    """An article one line longer than the one before, then a fold: one of them puts its
    summary last on a page (an article starts on a new page)."""
    summary = f"<summary>摘要 S{n:02}</summary><p>内容 C{n:02}</p>"
    body = "<p>短句。</p>" * (12 + n) + f'<details open="open">{summary}</details>'
    return make_article(f"f{n}", "折叠", body, n + 2)


@pytest.mark.slow
def test_a_printed_box_is_framed_and_a_summary_stays_with_what_it_folds(tmp_path):
    target = _printed(tmp_path, [make_article("box", "框", FRAMED), *map(_fold, range(16))])
    pages = page_texts(target)
    for n in range(16):
        assert [f"S{n:02}" in t for t in pages] == [f"C{n:02}" in t for t in pages], n
    run = subprocess.run(["pdftotext", "-bbox", str(target), "-"], capture_output=True)
    words = run.stdout.decode()
    starts = [float(x) for x in re.findall(r'xMin="([\d.]+)"[^>]*>长+<', words)]
    outside, inside = starts[1], starts[-2]  # second lines: no indent
    assert inside - outside > 8  # the rule and the padding


@pytest.mark.slow
def test_a_long_printed_box_breaks_where_the_page_ends_a_short_one_moves_whole(tmp_path):
    """Every box was kept on one page: a long one jumped to the next page, left half a
    page blank behind it, and broke there anyway."""
    root = parse(render("> [!NOTE]\n> 短。\n\n> [!TIP]\n> " + "很长的一句话。" * 60).xhtml)
    short, long_ = root.iterfind(".//h:div", NS)
    assert short.get("data-short") and not long_.get("data-short")
    opening = "<p>开头。</p>" * 6
    paragraphs = "".join(f"<p>第{n}段，框里很长的内容。</p>" for n in range(40))
    box = f'<div class="callout callout-tip"><p class="callout-title">提示</p>{paragraphs}</div>'
    pages = page_texts(_printed(tmp_path, [make_article("long", "长框", opening + box)]))
    first = next(i for i, t in enumerate(pages) if "开头" in t)
    assert "提示" in pages[first] and "第0段" in pages[first]  # the box starts where the text ends
