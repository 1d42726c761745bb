"""Bare URLs in prose are links, as GitHub, Hugo, Hexo, Typora and Obsidian show them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from render_util import NS, context, parse, render, site


def _links(source: str, kind: str = "hugo") -> list[tuple[str, str]]:
    root = parse(render(source, context(the_site=site(kind))).xhtml)
    return [(a.get("href"), "".join(a.itertext())) for a in root.iter(f"{{{NS['h']}}}a")]


def test_a_bare_url_ends_where_the_chinese_sentence_goes_on():
    source = "官网：https://go.dev。见https://example.com/a_(b)获取，或 www.python.org."
    assert _links(source) == [
        ("https://go.dev", "https://go.dev"),
        ("https://example.com/a_(b)", "https://example.com/a_(b)"),
        ("http://www.python.org", "www.python.org"),
    ]


def test_brackets_and_query_strings():
    source = "链接（https://example.com/p?a=1&b=2）和 (https://x.org/y)."
    assert [href for href, _ in _links(source)] == [
        "https://example.com/p?a=1&b=2",
        "https://x.org/y",
    ]


def test_code_and_written_links_stay_as_they_are():
    source = "`https://in.code` [已链接](https://x.org) <https://y.org> http:// 与 a@www.b.com"
    assert _links(source) == [("https://x.org", "已链接"), ("https://y.org", "https://y.org")]


@pytest.mark.parametrize("kind", ["plain", "hexo"])
def test_other_sites_link_them_too(kind):
    assert _links("见 https://go.dev 。", kind) == [("https://go.dev", "https://go.dev")]


def test_a_jekyll_post_keeps_them_as_text_as_kramdown_does():
    assert _links("官网：https://go.dev。", "jekyll") == []


def test_a_link_showing_its_long_address_may_break_anywhere():
    """Unbreakable, it pushed itself to the next line and left the words before it
    justified across the full width (`一 个 长 长 的 URL：`)."""
    source = "见 https://example.com/docs/reference/configuration/advanced 与 [文档](https://x.org/a/b/c/d/e/f)"
    root = parse(render(source, context(the_site=site("hugo"))).xhtml)
    classes = [a.get("class") for a in root.iter(f"{{{NS['h']}}}a")]
    assert classes == ["url", None]
    css = (Path(__file__).parent.parent / "layouts/default/base.css").read_text()
    assert re.search(r"a\.url,\s*span\.url \{[^}]*word-break: break-all", css)


def test_a_url_after_a_link_code_or_math_in_the_same_paragraph():
    """Text after an element that is not prose (a link, code) was never looked at."""
    source = (
        "运行 `hugo server` 后打开 https://gohugo.io/start 看看，"
        "见[官网](https://a.org)与 https://b.org/x 。"
    )
    assert [href for href, _ in _links(source)] == [
        "https://gohugo.io/start",
        "https://a.org",
        "https://b.org/x",
    ]
