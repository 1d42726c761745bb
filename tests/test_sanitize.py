"""Raw HTML in articles: hostile or broken input -> safe, valid XHTML (issue 9 item 4)."""

from __future__ import annotations

import pytest
from render_util import NS, parse, render, text

from bookmaker import sanitize


def xhtml_of(body: str) -> str:
    return render(body).xhtml


def test_script_and_style_blocks_are_removed_with_one_warning():
    r = render("前\n\n<script>alert('x')</script>\n<style>p{color:red}</style>\n\n后")
    assert "alert" not in r.xhtml and "color" not in r.xhtml
    assert [p.message for p in r.problems] == ["removed unsafe HTML: script, style"]
    assert r.problems[0].line == 7  # body_line 5 + 2


@pytest.mark.parametrize(
    ("body", "removed", "line"),
    [
        ("说明 file: 协议\n\n[链接](file:///etc/passwd)\n", "file: links", 7),
        ('说明 javascript: 危险\n\n<a href="javascript:alert(1)">点</a>\n', "javascript: links", 7),
        ("见下 javascript: 一节\n\n[点][r]\n\n[r]: javascript:alert(1)\n", "javascript: links", 9),
        ("提到 <script 这个词\n\n<script>alert(1)</script>\n", "script", 7),
        ('说 onclick= 的事\n\n<span onclick="x()">点</span>\n', "on* attributes", 7),
    ],
)
def test_the_warning_names_the_line_of_the_link_not_of_the_word_in_prose(body, removed, line):
    """`file:` in a sentence above the link was taken for where the link was."""
    first = render(body).problems[0]
    assert (first.message, first.line) == (f"removed unsafe HTML: {removed}", line)


def test_event_handlers_and_style_attributes_are_dropped():
    x = xhtml_of('<p onclick="steal()" style="position:fixed">点<img src=x onerror=alert(1)></p>')
    assert "onclick" not in x and "onerror" not in x and "position" not in x and "steal" not in x


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " java\tscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "vbscript:msgbox",
    ],
)
def test_unsafe_link_schemes_lose_their_href(href):
    x = xhtml_of(f'<a href="{href}">点我</a> and [md]({href.strip()})')
    for a in parse(x).iter("{*}a"):
        assert a.get("href") is None
    assert "点我" in text(x)


@pytest.mark.parametrize("href", ["https://a.example/x", "http://b.example", "mailto:a@b.c"])
def test_safe_schemes_stay(href):
    assert parse(xhtml_of(f"[x]({href})")).find(".//h:a", NS).get("href") == href


def test_iframe_becomes_a_visible_link_to_its_source():
    r = render('<iframe src="https://example.com/widget?id=7" width="560"></iframe>')
    a = parse(r.xhtml).find(".//h:a", NS)
    assert a.get("href") == "https://example.com/widget?id=7"
    assert "example.com/widget" in a.text
    assert "<iframe" not in r.xhtml
    assert r.problems == ()  # nothing the author can fix: a book cannot play it


@pytest.mark.parametrize(
    ("player", "page"),
    [
        (
            "//player.bilibili.com/player.html?aid=2&bvid=BV1GJ411x7h7&cid=3&page=1",
            "https://www.bilibili.com/video/BV1GJ411x7h7",
        ),
        (
            "https://www.youtube.com/embed/dQw4w9WgXcQ?si=x",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        ),
        ("https://player.vimeo.com/video/76979871", "https://vimeo.com/76979871"),
        (
            "//music.163.com/outchain/player?type=2&id=1901371647&auto=0&height=66",
            "https://music.163.com/#/song?id=1901371647",
        ),
        ("//example.org/player?v=1", "https://example.org/player?v=1"),
    ],
)
def test_an_embedded_player_links_to_the_page_a_reader_can_open(player, page):
    x = xhtml_of(f'<iframe src="{player}" frameborder="no" allowfullscreen="true"></iframe>')
    assert parse(x).find(".//h:a", NS).get("href") == page


def test_a_video_links_to_its_first_source_and_one_with_nothing_to_link_is_reported():
    r = render('<video controls><source src="https://cdn.example/v.mp4">旧浏览器</video>')
    a = parse(r.xhtml).find(".//h:a", NS)
    assert a.get("href") == "https://cdn.example/v.mp4" and "旧浏览器" in text(r.xhtml)
    assert r.problems == ()
    gone = render('前\n\n<iframe src="file:///etc/passwd"></iframe>')
    assert [p.message for p in gone.problems] == ["removed unsafe HTML: iframe"]


@pytest.mark.parametrize(
    "html",
    [
        '<object data="x.swf"></object>',
        '<embed src="javascript:alert(1)">',
        '<form action="https://evil.example"><input name="pw"><button>Go</button></form>',
        '<meta http-equiv="refresh" content="0;url=https://evil.example">',
        '<base href="https://evil.example/">',
        '<link rel="stylesheet" href="https://evil.example/x.css">',
        '<svg onload="alert(1)"><script>alert(2)</script></svg>',
    ],
)
def test_dangerous_elements_are_gone(html):
    x = xhtml_of("文字\n\n" + html + "\n\n后文")
    for word in ("object", "embed", "form", "input", "meta", "base", "link", "svg", "script"):
        assert f"<{word}" not in x
    assert "evil" not in x and "alert" not in x
    assert "后文" in text(x)


def test_obsolete_tags_are_converted():
    x = xhtml_of(
        '<center>居中</center>\n\n<font color="red">红</font> <big>大</big> <tt>等宽</tt>'
        " <u>下划</u> <strike>删</strike>"
    )
    root = parse(x)
    assert root.find("h:div[@class='center']", NS).text == "居中"
    assert root.find(".//h:code", NS).text == "等宽"
    assert root.find(".//h:u", NS).text == "下划"
    assert root.find(".//h:s", NS).text == "删"
    assert root.find(".//h:span[@class='big']", NS).text == "大"
    assert "font" not in x and "color" not in x


def test_align_attributes_become_classes():
    x = xhtml_of('<p align="center">中</p>\n\n<table align="right"><tr><td>1</td></tr></table>')
    assert "align=" not in x
    root = parse(x)
    assert root.find("h:p", NS).get("class") == "align-center"


@pytest.mark.parametrize(
    "body,shown",
    [
        ("按 <RET> 确认", "按 <RET> 确认"),
        ("状态 <pending> 中", "状态 <pending> 中"),
        ("if a<b and c>d", "if a<b and c>d"),
        ("<?php echo 1; ?>", "<?php echo 1; ?>"),
        ("Vec<String>", "Vec<String>"),
    ],
)
def test_text_that_only_looks_like_a_tag_is_kept(body, shown):
    assert shown in text(xhtml_of(body))


def test_ruby_and_details_are_kept():
    x = xhtml_of(
        "<ruby>汉<rp>(</rp><rt>hàn</rt><rp>)</rp></ruby>\n\n"
        "<details><summary>展开</summary>\n内容\n</details>"
    )
    root = parse(x)
    assert root.find(".//h:ruby/h:rt", NS).text == "hàn"
    assert root.find(".//h:details/h:summary", NS).text == "展开"


def test_blocks_inside_paragraphs_are_lifted_out():
    x = xhtml_of("<p>前<em>强<div>块</div>调</em>后</p>")
    root = parse(x)
    for p in root.iter("{*}p"):
        assert p.find(".//h:div", NS) is None
    assert text(x).replace("\n", "") == "前强块调后"


def test_figure_is_never_inside_a_paragraph():
    x = xhtml_of('<p>图：<figure><img src="https://x.example/a.png" alt="a"></figure></p>')
    for p in parse(x).iter("{*}p"):
        assert p.find(".//h:figure", NS) is None


def test_a_figure_lifted_out_of_a_paragraph_keeps_its_caption():
    # A shortcode's figure in a quote or a box: Markdown puts the line in a paragraph.
    r = render(
        '> 文\n>\n> <figure><img src="a.png" alt="a"/><figcaption>图注</figcaption></figure>'
    )
    figure = parse(r.xhtml).find(".//h:figure", NS)
    assert figure.find("h:figcaption", NS).text == "图注"
    assert len(parse(r.xhtml).findall(".//h:figure", NS)) == 1


def test_safe_url():
    assert sanitize.safe_url("  https://x.example/a ") == "https://x.example/a"
    assert sanitize.safe_url("../a.md#b") == "../a.md#b"
    assert sanitize.safe_url("java\nscript:x") is None
    assert sanitize.safe_url("\x01javascript:x") is None


def test_an_unclosed_block_does_not_swallow_the_rest_of_the_article():
    x = xhtml_of("<p>没有闭合的段落\n\n## 后面的标题\n\n*强调*\n\n<div>也没闭合")
    root = parse(x)
    assert root.find(".//h:h2", NS) is not None
    assert root.find(".//h:em", NS) is not None


def test_embed_and_unclosed_iframe_do_not_swallow_what_follows():
    x = xhtml_of('<embed src="a.swf">\n\n后面一\n\n<iframe src="https://v.example/1">\n\n后面二')
    assert "后面一" in text(x) and "后面二" in text(x)
    assert parse(x).find(".//h:a", NS).get("href") == "https://v.example/1"


def test_noscript_and_video_fallback_content_is_shown():
    x = xhtml_of(
        '<noscript><p>无脚本</p></noscript>\n\n<video src="https://v.example/a.mp4">'
        '<a href="https://v.example/a.mp4">下载</a></video>'
    )
    assert "无脚本" in text(x) and "下载" in text(x)
    assert "<video" not in x and "<noscript" not in x


def test_autolinks_survive():
    x = xhtml_of("<https://a.example/x> 和 <me@b.example>")
    assert parse(x).find(".//h:a", NS).get("href") == "https://a.example/x"
