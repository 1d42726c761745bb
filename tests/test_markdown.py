"""The HTML stage as a whole: Markdown as blogs write it -> a well-formed XHTML fragment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from render_util import NS, FakeStore, article, context, parse, render, site, text

from bookmaker import markdown
from bookmaker.model import Image


def test_output_is_a_well_formed_fragment_without_namespace_declarations():
    r = render("段落 *一* 与 **二**\n\n---\n\n换行  \n之后")
    root = parse(r.xhtml)
    assert root.find("h:p/h:em", NS).text == "一"
    assert "xmlns" not in r.xhtml
    assert "<hr/>" in r.xhtml and "<br/>" in r.xhtml


def test_soft_line_breaks_stay_newlines_for_the_typography_pass():
    r = render("第一行\n第二行")
    assert parse(r.xhtml).find("h:p", NS).text == "第一行\n第二行"


def test_no_smart_quotes():
    r = render('他说"你好"，it\'s fine')
    assert '他说"你好"，it\'s fine' in text(r.xhtml)


def test_tables_footnotes_deflists_abbr_strikethrough_tasks():
    body = (
        "| a | b |\n|:-|-:|\n| 1 | 2 |\n\n"
        "脚注[^n]\n\n[^n]: 说明\n\n"
        "术语\n:   定义\n\n"
        "HTML 很好\n\n*[HTML]: HyperText Markup Language\n\n"
        "~~删掉~~\n\n- [x] 完成\n- [ ] 未完成\n"
    )
    root = parse(render(body).xhtml)
    assert root.find(".//h:td", NS).get("class") == "align-left"
    assert root.find(".//h:td[2]", NS).get("class") == "align-right"
    assert root.find(".//h:dl/h:dd", NS) is not None
    assert root.find(".//h:abbr", NS).get("title") == "HyperText Markup Language"
    assert root.find(".//h:del", NS).text == "删掉"
    boxes = [s.text for s in root.iterfind(".//h:span[@class='task-box']", NS)]
    assert boxes == ["☑", "☐"]
    assert root.find(".//h:input", NS) is None


def test_an_escaped_pipe_in_a_table_cells_code_shows_as_a_pipe():
    body = "| 命令 | 说明 |\n|---|---|\n| `ps aux \\| grep go` | a \\| b |\n"
    cells = [c.text for c in parse(render(body).xhtml).iterfind(".//h:td/h:code", NS)]
    assert cells == ["ps aux | grep go"]  # (as GitHub, Hugo, Hexo and kramdown show it)


def test_footnote_ids_are_prefixed_and_their_links_follow():
    r = render("正文[^1]\n\n[^1]: 注", slug="my-post")
    root = parse(r.xhtml)
    ref = root.find(".//h:sup", NS)
    assert ref.get("id") == "my-post-fnref-1"
    assert ref.find("h:a", NS).get("href") == "#my-post-fn-1"
    note = root.find(".//h:li", NS)
    assert note.get("id") == "my-post-fn-1"
    assert note.find(".//h:a", NS).get("href") == "#my-post-fnref-1"


def test_every_id_is_prefixed_and_unique():
    body = '## 同名\n\n## 同名\n\n<p id="x">a</p><p id="x">b</p>\n\n[跳](#x)'
    r = render(body, slug="s")
    ids = [e.get("id") for e in parse(r.xhtml).iter() if e.get("id")]
    assert all(i.startswith("s-") for i in ids)
    assert len(ids) == len(set(ids))
    assert parse(r.xhtml).find(".//h:a", NS).get("href") == "#s-x"


def test_cjk_headings_get_stable_ids_and_are_listed():
    first = render("## 为什么\n\n### 细节\n\n#### 更细\n\n##### 不列")
    again = render("前言\n\n## 为什么\n\n### 细节\n\n#### 更细\n\n##### 不列")
    assert [h.level for h in first.headings] == [2, 3, 4]
    assert first.headings[0].text == "为什么"
    assert first.headings[0].id.startswith("post-") and len(first.headings[0].id) > 6
    assert first.headings == again.headings


def test_fenced_code_in_lists_and_tilde_fences_are_highlighted_with_classes():
    body = "- 步骤\n\n    ```python\n    def f(): pass\n    ```\n\n~~~js\nlet y\n~~~\n"
    r = render(body)
    root = parse(r.xhtml)
    codes = root.findall(".//h:pre/h:code", NS)
    assert len(codes) == 2
    assert root.find(".//h:li//h:pre", NS) is not None
    assert "style=" not in r.xhtml and "<script" not in r.xhtml
    assert root.find(".//h:span[@class='k']", NS) is not None  # Pygments token class


def test_code_keeps_blog_syntax_and_angle_brackets():
    body = "```\n{% if a %}{{ b }} <pending> $x$\n```\n\n`{{ c }}` and `<tag>`"
    r = render(body)
    shown = text(r.xhtml)
    assert "{% if a %}{{ b }} <pending> $x$" in shown
    assert "{{ c }}" in shown and "<tag>" in shown
    assert not r.problems


def test_image_alone_becomes_a_figure_with_caption():
    ctx = context(store=FakeStore(("a.png",)))
    r = render('![一只猫](a.png "窗台上的猫")', ctx)
    fig = parse(r.xhtml).find("h:figure", NS)
    assert fig.find("h:img", NS).get("src") == r.images[0].name
    assert fig.find("h:figcaption", NS).text == "窗台上的猫"
    assert not r.problems


def test_inline_image_stays_inline():
    ctx = context(store=FakeStore(("a.png",)))
    r = render("文字 ![图](a.png) 文字", ctx)
    assert parse(r.xhtml).find("h:p/h:img", NS) is not None


def test_missing_image_warns_with_line_and_shows_alt_text():
    r = render("第一段\n\n![丢失的图](nope.png)", body_line=7)
    assert [(p.level, p.line) for p in r.problems] == [("warning", 9)]
    assert "[图片：丢失的图]" in text(r.xhtml)
    assert r.images == ()


def test_remote_image_without_opt_in_is_a_placeholder_with_the_url():
    r = render("![远程图](https://example.com/a.png)")
    fig = parse(r.xhtml).find("h:figure", NS)
    assert "远程图" in "".join(fig.itertext())
    assert fig.find(".//h:a", NS).get("href") == "https://example.com/a.png"


def test_image_words_follow_the_language():
    r = render("![x](nope.png)", lang="ja")
    assert "[画像：x]" in text(r.xhtml)
    r = render("![x](nope.png)", lang="en")
    assert "[Image: x]" in text(r.xhtml)


def test_lang_is_the_articles_or_the_books():
    assert render("a", lang="ja").lang == "ja"
    a = article("a")
    assert markdown.render(a, context((a,), language="zh-TW")).lang == "zh-TW"


def test_kramdown_toc_and_attribute_lists_are_consumed():
    body = "* TOC\n{:toc}\n\n段落\n{: .note}\n\n{:.lead #intro}\n\n正文"
    r = render(body)
    shown = text(r.xhtml)
    assert "{:" not in shown and "TOC" not in shown
    assert parse(r.xhtml).find("h:p[@class='note']", NS) is not None


@pytest.mark.parametrize(
    ("quote", "attributes"),
    [("", "{: .table-striped }"), ("> ", "{: .table-striped }"), ("", "{.striped}")],
)
def test_an_attribute_line_under_a_table_adds_no_row(quote, attributes):
    # Chirpy's and Minimal Mistakes' `{: .table-striped }`, Hugo's `{.striped}`
    rows = "".join(f"{quote}{line}\n" for line in ("| 名称 | 值 |", "|---|---|", "| a | 1 |"))
    body = f"{rows}{quote}{attributes}\n\n后文。\n"
    root = parse(render(body).xhtml)
    cells = [["".join(c.itertext()) for c in tr] for tr in root.iterfind(".//h:tr", NS)]
    assert cells == [["名称", "值"], ["a", "1"]]
    assert "{" not in text(render(body).xhtml)


def test_identical_input_gives_identical_output():
    body = "## 标题\n\n$E=mc^2$ 与脚注[^1]\n\n[^1]: 注"
    assert render(body).xhtml == render(body).xhtml


def test_bad_input_never_raises(tmp_path: Path):
    hostile = "<div><p><table><td>x</div>\x00\x07 $$ \\frac{ $$ {% if %} {{< x >}} \ue000M9\ue001"
    r = render(hostile)
    parse(r.xhtml)
    assert all(p.level == "warning" for p in r.problems)


@pytest.mark.parametrize(
    "body",
    [
        "<p>unclosed <b>bold <i>both",
        "</div></div>stray closers",
        "<ul><li>a<li>b</ol>",
        "<table><tr><td>1<td>2</table>",
        "a < b > c && d",
        "<p>一<div>二</div>三</p>",
        "<<>><</>",
        "<a href='#x'><a href='#y'>nested</a></a>",
    ],
)
def test_malformed_html_comes_out_well_formed(body):
    parse(render(body).xhtml)


ALPHABET = "ab 汉字\n\n`$*_#>-=<>/{}%[]()!\\:|~^\"'"


@given(st.text(alphabet=ALPHABET, max_size=120))
@settings(max_examples=150, deadline=None)
def test_fuzz_segments_and_render(body):
    from bookmaker import mdsource

    assert "".join(s.text for s in mdsource.segments(body)) == body
    r = render(body)
    parse(r.xhtml)
    assert all(p.level == "warning" for p in r.problems)


def test_a_body_with_h1_sections_sits_below_the_article_title():
    """The article's title is the book's <h1>: `# 新闻` in a newsletter's body is a section."""
    root = parse(render("导读。\n\n# 新闻\n\n## 第一条\n\n内容。\n\n###### 最深").xhtml)
    levels = [(el.tag.split("}")[1], "".join(el.itertext())) for el in root.iter() if
              el.tag.split("}")[1] in ("h1", "h2", "h3", "h4", "h5", "h6")]  # fmt: skip
    assert levels == [("h2", "新闻"), ("h3", "第一条"), ("h6", "最深")]
    r = render("## 小节\n\n内容。")
    assert "<h2" in r.xhtml and r.headings[0].level == 2  # no <h1>: nothing moves


@pytest.mark.parametrize("marker", ["[TOC]", "[toc]", "@[toc](目录)", "@[TOC](这里是目录)"])
def test_typora_and_csdn_toc_markers_become_the_articles_contents(marker):
    r = render(f"{marker}\n\n## 一\n\n内容\n\n## 二")
    toc = parse(r.xhtml).find("h:div[@class='toc']", NS)
    assert [a.text for a in toc.iter(f"{{{NS['h']}}}a")] == ["一", "二"]
    assert not r.problems and "toc" not in text(r.xhtml).lower()


@pytest.mark.parametrize(
    ("html", "width"),
    [
        ('<img src="a.png" alt="图" style="zoom:50%;" />', "5"),  # Typora; the picture is 10 px
        ('<img src="a.png" alt="图" style="width: 300px">', "300"),
        ('<img src="a.png" alt="图" width="100" style="zoom: 25%">', "25"),
        ('<img src="a.png" alt="图" width="100" style="width:60px">', "60"),  # as a browser
        ('<img src="a.png" alt="图" style="border: 0">', None),
    ],
)
def test_a_pictures_size_from_its_style_is_kept_as_its_width(html, width):
    r = render(html, context(store=FakeStore(present=("a.png",))))
    img = parse(r.xhtml).find(".//h:img", NS)
    assert img.get("width") == width
    assert "zoom" not in r.xhtml and "style" not in r.xhtml


@pytest.mark.parametrize(
    "html",
    [
        '<img src="a.png" alt="图" width="50%">',
        '<img src="a.png" alt="图" style="width:50%" height="100">',
        '<img src="a.png" alt="图" width="300" style="width: 50 %;">',  # the style wins
    ],
)
def test_a_pictures_share_of_the_text_width_is_kept_as_a_style(html):
    """`width="50%"` is no valid HTML5 attribute (EPUBCheck refuses it): bookmaker writes the
    share as a style, which e-readers and the PDF (pdfdoc keeps it) both follow."""
    r = render(html, context(store=FakeStore(present=("a.png",))))
    img = parse(r.xhtml).find(".//h:img", NS)
    assert img.get("style") == "width: 50%; height: auto"
    assert img.get("width") is None and img.get("height") is None
    assert "data-" not in r.xhtml


@pytest.mark.parametrize("kind", ["plain", "hugo", "hexo"])
def test_markdown_inside_html_after_a_blank_line_as_commonmark_reads_it(kind):
    """GitHub, Typora, Goldmark and marked read the list inside `<details>` as a list."""
    source = "<details><summary>展开</summary>\n\n- 第一项\n- 第二项\n\n</details>\n"
    root = parse(render(source, context(the_site=site(kind))).xhtml)
    details = root.find(".//h:details", NS)
    assert details.find("h:summary", NS).text == "展开"
    assert [li.text for li in details.iterfind(".//h:li", NS)] == ["第一项", "第二项"]
    tight = render("<div>\n*raw*\n</div>\n", context(the_site=site(kind))).xhtml
    assert "*raw*" in tight  # no blank line: the HTML block goes on, as in CommonMark


def test_markdown_inside_html_in_kramdown_only_where_asked():
    jekyll = context(the_site=site("jekyll"))
    blank = '<div class="notice--info">\n\n**注意**\n\n</div>\n'
    assert "**注意**" in render(blank, jekyll).xhtml  # kramdown's default
    asked = '<div class="notice--info" markdown="1">\n**注意**\n</div>\n'
    assert "<strong>注意</strong>" in render(asked, jekyll).xhtml
    option = '{::options parse_block_html="true" /}\n\n<div>\n**注意**\n</div>\n'
    out = render(option, jekyll).xhtml
    assert "<strong>注意</strong>" in out and "options" not in out


def test_a_destination_in_angle_brackets_may_hold_spaces():
    """CommonMark's `](<my diagram.png>)`: Typora writes it for a file name with spaces."""
    store = FakeStore(present=("assets/my diagram.png", "/assets/图 1.jpg"))
    r = render(
        "![图表](<assets/my diagram.png>)\n\n![二](</assets/图 1.jpg>)", context(store=store)
    )
    assert len(parse(r.xhtml).findall(".//h:img", NS)) == 2 and not r.problems
    assert "&lt;pending&gt;" in render("a <pending> b", context()).xhtml  # still text


def test_a_picture_too_big_for_a_line_of_text_gets_a_line_of_its_own():
    """Typora pastes pictures after the words (`截图：![](x.png)`): in the line, the words
    were justified across the full width. A badge stays in its line."""

    class Sized(FakeStore):
        def resolve(self, ref, article, line=None):
            width, height = {"big.png": (800, 600), "badge.svg": (90, 20)}[ref]
            return Image(f"images/{ref}", Path("/f") / ref, "image/png", width, height)

    r = render(
        "截图：![猫](big.png) 徽章 ![b](badge.svg) <img src='big.png' width='48' alt='小'>",
        context(store=Sized()),
    )
    root = parse(r.xhtml)
    # the paragraph is cut at the picture; the words after it go on, unindented
    assert [el.tag.split("}")[1] for el in root] == ["p", "figure", "p"]
    assert root[0].text == "截图：" and root[2].get("class") == "continued"
    assert [i.get("alt") for i in root[2].iter(f"{{{NS['h']}}}img")] == ["b", "小"]  # small
    item = render("- 列表 ![猫](big.png) 后", context(store=Sized())).xhtml
    assert 'class="block"' in item  # in a list item: a block, the item kept whole


RUST = "#[tokio::main]\nfn main() {}"
PYTHON = "#[not a heading]\ndef f(): pass"


@pytest.mark.parametrize(
    ("info", "code", "token"),
    [
        ("rust,linenos", RUST, "k"),  # mdBook, Hugo: the first word is the language
        ("rust,ignore", RUST, "k"),
        ("shell script", "#[not a heading]\nexport A=1", "nb"),
        ("js:title=app.js", "#[not a heading]\nconst a = 1;", "kd"),  # Gatsby
        ("python {linenos=table}", PYTHON, "k"),  # Hugo
        (" python", PYTHON, "k"),  # CommonMark: spaces before the language
        ("{.python}", PYTHON, "k"),  # pandoc
    ],
)
def test_every_fence_commonmark_opens_is_code_highlighted_by_its_first_word(info, code, token):
    # superfences took these lines for text: the backticks printed, `#[tokio::main]` became
    # a heading and every later fence opened where the last one should have closed.
    body = f"前文 *一*\n\n```{info}\n{code}\n```\n\n中间 *二*\n\n```\n# 不是标题\n```\n\n后文 *三*"
    r = render(body)
    root = parse(r.xhtml)
    codes = root.findall(".//h:pre/h:code", NS)
    assert len(codes) == 2
    first, last = code.split("\n")
    assert first in "".join(codes[0].itertext()) and last in "".join(codes[0].itertext())
    assert "".join(codes[1].itertext()) == "# 不是标题\n"
    assert codes[0].find(f".//h:span[@class='{token}']", NS) is not None
    assert [em.text for em in root.iterfind(".//h:em", NS)] == ["一", "二", "三"]
    assert root.find(".//h:h2", NS) is None and "```" not in text(r.xhtml)


@pytest.mark.parametrize(
    ("info", "title", "numbers", "marked"),
    [
        ("rust,linenos", None, ["1", "2", "3"], []),
        ("python {linenos=table}", None, ["1", "2", "3"], []),
        ("python {linenos=false}", None, [], []),
        ("go {linenos=table,hl_lines=[2],linenostart=7}", None, ["7", "8", "9"], ["8b = 2\n"]),
        ('python hl_lines="2 3"', None, [], ["b = 2\n", "c = 3\n"]),
        ("python {hl_lines=[2]}", None, [], ["b = 2\n"]),
        ("js:title=app.js", "app.js", [], []),
        ('python title="a.py" hl_lines="1"', "a.py", [], ["a = 1\n"]),
    ],
)
def test_a_fences_title_line_numbers_and_marked_lines_are_kept(info, title, numbers, marked):
    root = parse(render(f"```{info}\na = 1\nb = 2\nc = 3\n```").xhtml)
    block = root.find("h:div[@class='highlight']", NS)
    name = block.find("h:span[@class='filename']", NS)
    assert (name.text if name is not None else None) == title
    assert [n.text for n in block.iterfind(".//h:span[@class='linenos']", NS)] == numbers
    lines = block.iterfind(".//h:span[@class='hll']", NS)
    assert ["".join(line.itertext()) for line in lines] == marked


def test_fence_openings_are_read_alike_by_the_segments_and_the_renderer():
    # mdsource's code and the renderer's code are the same lines: `$x$` in a fence stays.
    from bookmaker import mdsource

    body = '```rust,ignore\nlet s = "$x$";\n```\n\n> ```shell script\n> echo $y$\n> ```\n'
    code = "".join(s.text for s in mdsource.segments(body) if s.code)
    assert "$x$" in code and "$y$" in code
    r = render(body)
    assert parse(r.xhtml).find(".//m:math", NS) is None
    shown = ["".join(c.itertext()) for c in parse(r.xhtml).iterfind(".//h:pre/h:code", NS)]
    assert shown == ['let s = "$x$";\n', "echo $y$\n"]


def test_an_italic_line_under_a_picture_is_its_caption():
    """Chirpy documents `![x](a.png)` then `_说明_` on the next line; the book printed a
    line of emphasis dots beside the picture."""
    store = FakeStore(present=("a.png",))
    r = render('![架构图](a.png){: width="300"}\n_图片说明：系统架构_', context(store=store))
    figure = parse(r.xhtml).find("h:figure", NS)
    assert figure.find("h:figcaption", NS).text == "图片说明：系统架构"
    assert figure.find(".//h:em", NS) is None
    same_line = render("![x](a.png) _同一行_", context(store=store)).xhtml
    assert "<figure" not in same_line and "<em>同一行</em>" in same_line
    linked = render("![x](a.png)\n_由 [某人](https://x.org) 拍摄_", context(store=store)).xhtml
    assert '<figcaption>由 <a href="https://x.org">某人</a> 拍摄</figcaption>' in linked
    missing = render("![架构](gone.png)\n_架构图说明_", context(store=store)).xhtml
    assert "架构图说明" in missing  # no picture: its caption line stays, as written


def test_a_table_of_contents_with_no_headings_to_list_is_left_out():
    assert render("[toc]\n\n只有一段。", context()).xhtml == "<p>只有一段。</p>"


def test_footnotes_are_numbered_in_the_order_the_text_refers_to_them():
    """Python-Markdown numbered them in the order of their definitions: `先[^b]后[^a]` with
    a defined first read 先² 后¹; kramdown, Goldmark and marked print 先¹ 后²."""
    xhtml = render("先[^b]后[^a]。\n\n[^a]: 甲\n[^b]: 乙\n", context()).xhtml
    refs = re.findall(r'class="footnote-ref" href="#post-fn-(\w+)">(\d+)<', xhtml)
    assert refs == [("b", "1"), ("a", "2")]
    assert xhtml.index('id="post-fn-b"') < xhtml.index('id="post-fn-a"')
    # in a quote, a box or a list too: Python-Markdown numbers those after the paragraphs
    source = "> 引文[^q]。\n\n正文[^p]，又[^q]。\n\n- 列表[^l]\n\n[^l]: 丙\n[^p]: 乙\n[^q]: 甲\n"
    xhtml = render(source, context()).xhtml
    refs = re.findall(r'class="footnote-ref" href="#post-fn-(\w+)">(\d+)<', xhtml)
    assert refs == [("q", "1"), ("p", "2"), ("q", "1"), ("l", "3")]
    assert re.findall(r'<li id="post-fn-(\w+)"', xhtml) == ["q", "p", "l"]


def test_a_picture_in_a_figure_is_left_as_the_figure_sets_it():
    class Sized(FakeStore):
        def resolve(self, ref, article, line=None):
            return Image(f"images/{ref}", Path("/f") / ref, "image/png", 800, 600)

    source = '<figure><img src="big.png" alt="码头"/><figcaption>说明</figcaption></figure>'
    xhtml = render(source, context(store=Sized())).xhtml
    assert "<figure>" in xhtml and 'class="block"' not in xhtml
