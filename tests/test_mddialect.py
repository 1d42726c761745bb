"""Each site's Markdown read as its own renderer reads it: CommonMark's headings and line
breaks beside kramdown's, a vault's highlights and line breaks."""

from __future__ import annotations

import json

import pytest
from render_util import NS, article, context, parse, site

from bookmaker import config as configmod
from bookmaker import markdown
from bookmaker import site as sitemod
from bookmaker.render import render_article

COMMONMARK = ["plain", "hugo", "hexo"]


def rendered(body: str, kind: str = "plain", **kw):
    a = article(body)
    r = markdown.render(a, context((a,), site(kind, **kw)))
    return parse(r.xhtml), r


@pytest.mark.parametrize("kind", COMMONMARK)
def test_a_hash_without_a_space_is_text_not_a_heading(kind):
    root, _ = rendered(
        "#标签1 #标签2 今天跑步。\n#不是标题\n\n##也不是\n\n- #列表\n\n## 是标题", kind
    )
    assert [el.tag.split("}")[1] for el in root] == ["p", "p", "ul", "h2"]
    assert root[0].text == "#标签1 #标签2 今天跑步。\n#不是标题"
    assert (root[1].text, root[2][0].text, root[3].text) == ("##也不是", "#列表", "是标题")


def test_kramdown_takes_a_hash_without_a_space_for_a_heading():
    root, _ = rendered("#标题\n\n正文", "jekyll")
    assert (root[0].tag, root[0].text) == (f"{{{NS['h']}}}h2", "标题")


@pytest.mark.parametrize("kind", COMMONMARK)
def test_a_backslash_at_the_end_of_a_line_breaks_it(kind):
    root, _ = rendered("床前明月光，\\\n疑是地上霜。\n\n两个\\\\\n不断\n\n段末\\", kind)
    first, second, last = root.findall("h:p", NS)
    assert (first.text, first[0].tag, first[0].tail) == (
        "床前明月光，",
        f"{{{NS['h']}}}br",
        "\n疑是地上霜。",
    )
    assert (second.text, len(second)) == ("两个\\\n不断", 0)  # `\\` is one backslash
    assert (last.text, len(last)) == ("段末\\", 0)  # CommonMark: nothing left to break


def test_kramdown_prints_a_backslash_at_the_end_of_a_line():
    root, _ = rendered("一\\\n二", "jekyll")
    assert (root[0].text, len(root[0])) == ("一\\\n二", 0)


def test_code_keeps_its_hashes_and_backslashes():
    root, _ = rendered("```sh\n#!/bin/sh\necho a \\\n  b\n```\n\n`#x\\`")
    assert "".join(root.find(".//h:pre", NS).itertext()) == "#!/bin/sh\necho a \\\n  b\n"
    assert root.find("h:p/h:code", NS).text == "#x\\"


def test_notes_highlight_between_double_equals_signs_even_inside_chinese():
    a = article("==重点==，文字==高亮==文字，**==粗==**，a==b and c==d，x == y。`k==v==`")
    r = render_article(context((a,)), a)  # the typography pass and the sanitizer keep it
    root = parse(r.xhtml)
    assert ["".join(m.itertext()) for m in root.iter(f"{{{NS['h']}}}mark")] == [
        "重点",
        "高亮",
        "粗",
    ]
    assert root.find("h:p/h:strong/h:mark", NS) is not None
    assert "a==b and c==d，x == y。" in "".join(root.itertext())
    assert root.find("h:p/h:code", NS).text == "k==v=="


@pytest.mark.parametrize("kind", ["jekyll", "hugo", "hexo"])
def test_blogs_print_double_equals_signs_as_typed(kind):
    root, _ = rendered("==重点==", kind)
    assert (root[0].text, len(root[0])) == ("==重点==", 0)


PLUGINS = ("container", "ins", "mark", "sub", "sup", "toc")


def test_a_hexo_sites_markdown_it_plugins_read_their_syntax():
    """hexo-renderer-markdown-it with markdown-it-mark, -ins, -sup, -sub, -container and a
    toc plugin: their syntax is what the blog shows, not the characters typed."""
    root, r = rendered(
        "[[toc]]\n\n## 一\n\n有==高亮==，++插入++，19^th^，H~2~O，~~删除~~。\n\n"
        ":::tip\n提示的话。\n:::\n\n::: warning 注意事项\n不要这样。\n:::\n\n"
        "```\n::: tip\n[[toc]]\n```",
        "hexo",
        markdown_it=PLUGINS,
    )
    toc = root.find("h:div[@class='toc']", NS)
    assert [a.text for a in toc.iter(f"{{{NS['h']}}}a")] == ["一"]
    p = root.find("h:p", NS)
    shown = {el.tag.split("}")[1]: el.text for el in p}
    assert shown == {"mark": "高亮", "ins": "插入", "sup": "th", "sub": "2", "del": "删除"}
    boxes = [
        (div.get("class"), div.findtext("h:p[@class='callout-title']", namespaces=NS))
        for div in root.iterfind("h:div[@class]", NS)
        if "callout" in div.get("class")
    ]
    assert boxes == [("callout callout-tip", "提示"), ("callout callout-warning", "注意事项")]
    assert root.findtext(".//h:pre/h:code", namespaces=NS) == "::: tip\n[[toc]]\n"
    assert not r.problems


def test_without_the_plugins_their_syntax_stays_as_typed():
    source = "有==高亮==，++插入++，19^th^，H~2~O。\n\n:::tip\n提示\n:::"
    root, _ = rendered(source, "hexo")
    assert "".join(root.itertext()).split() == source.split()


def test_a_hexo_site_names_its_markdown_it_plugins(make_project):
    project = make_project({
        "_config.yml": "title: 博客\nmarkdown:\n  plugins:\n    - markdown-it-sup\n"
        "    - name: markdown-it-container\n",
        "package.json": json.dumps({"dependencies": {
            "hexo-renderer-markdown-it": "^7", "markdown-it-mark": "^3", "hexo": "^7",
            "markdown-it-toc-done-right": "^4",
        }}),
        "source/_posts/a.md": "---\ntitle: 甲\ndate: 2021-05-01\n---\n正文",
    })  # fmt: skip
    found = sitemod.detect(configmod.load(None, project))
    assert found.markdown_it == ("container", "mark", "sup", "toc")
    (project / "package.json").write_text('{"dependencies": {"markdown-it-mark": "^3"}}')
    assert sitemod.detect(configmod.load(None, project)).markdown_it == ()  # marked renders
