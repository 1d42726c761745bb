"""Lists as blogs write them (CommonMark: 2- and 3-space nesting, a new marker starts a new
list) come out of bookmaker with the structure markdown-it, the CommonMark reference, gives."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lhtml
from render_util import article, context, parse, render, site

from bookmaker import markdown, mdlists

markdown_it = pytest.importorskip("markdown_it")
ORACLE = markdown_it.MarkdownIt("commonmark").enable("table")

CASES = {
    "nested bullets, then an ordered list": (
        "- 一级\n  - 二级\n    - 三级\n- 回到一级\n\n1. 第一\n   - 子项\n2. 第二\n"
    ),
    "3 spaces under ordered items": "1. 第一步\n   1. 细节\n   2. 细节二\n2. 第二步\n",
    "10. with its 4-space content column": "8. 八\n9. 九\n10. 十\n    - 十之下\n11. 十一\n",
    "paragraphs around and inside items": (
        "前言一段。\n\n- 第一项\n  续行文字\n- 第二项\n\n  第二段落\n- 第三项\n\n结尾一段。\n"
    ),
    "lazy continuation line": "- 第一项\n懒惰续行\n- 第二项\n",
    "fenced code inside items": (
        "1. 安装：\n\n   ```bash\n   pip install x\n     indented\n   ```\n"
        "2. 运行：\n   ```\n   run --it\n   ```\n3. 完成\n"
    ),
    "fenced code with a blank line, 2-space item": (
        "- a\n  ```py\n  def f():\n      return 1\n\n  print(f())\n  ```\n- b\n"
    ),
    "indented code inside an item": "- 代码：\n\n      code line\n        deeper\n\n- 之后\n",
    "blockquote inside an item": "- 引用：\n  > 名言一句\n  > 第二行\n- 下一项\n",
    "task list": "- [ ] 待办\n- [x] 完成\n  - [ ] 子任务\n",
    "list right after a paragraph": "段落文字\n- 列表一\n- 列表二\n",
    "ordered list right after a paragraph": "段落文字\n1. 列表一\n2. 列表二\n",
    "a number that cannot interrupt a paragraph": "价格是\n2024. 年\n",
    "list inside a blockquote": "> 引用里的列表：\n> - 一\n>   - 二\n> - 三\n",
    "bullet character changes": "- a\n- b\n* c\n* d\n+ e\n",
    "ordered delimiter changes": "1. a\n2. b\n1) c\n2) d\n",
    "ordered list starting at 3": "3. three\n4. four\n",
    "loose list": "- a\n\n- b\n\n- c\n",
    "4-space nesting (Python-Markdown, pandoc)": (
        "- a\n    - b\n        - c\n- d\n\n1. x\n    1. y\n2. z\n"
    ),
    "Chinese with Latin words and inline code": (
        "- 使用 Python 3.11\n  - 安装 `pip`\n  - 运行 **bookmaker**\n- 完成 done\n"
    ),
    "second paragraph in a nested item": "- a\n  - b\n\n    more b\n  - c\n- d\n",
    "a number inside an item's paragraph": "- a\n  2. b\n- c\n",
    "heading right after a list": "- a\n- b\n# 标题\n- c\n",
    "fence right after a list": "- a\n- b\n```\ncode\n```\n",
    "over-indented line is text": "- a\n      - b\n",
    "lazy line in a quoted list": "> - a\nb\n",
    "empty item": "- a\n-\n- c\n",
    "thematic break between lists": "- a\n* * *\n- b\n",
    "HTML block is left alone": "<div>\n- not a list\n</div>\n\n- a\n",
    "ordered list nested 2 spaces": "- 项目\n  1. 一\n  2. 二\n- 项目二\n",
    "three list types in one item": "- a\n  - b\n  * c\n  1. d\n",
    "type change inside a quote": "> - a\n> 1. b\n",
    "table inside an item": "- a\n\n  | x | y |\n  |---|---|\n  | 1 | 2 |\n",
    "paragraph then nested list": "- a\n  para line\n  - nested\n",
    "tab indentation": "- a\n\t- b\n- c\n",
    "code block between numbered steps": "1. 第一步\n\n```\ncode\n```\n\n2. 第二步\n",
    "paragraphs and a sublist in a numbered item": "1. 第一\n\n   段落\n\n   - 子\n2. 第二\n",
    "Jekyll 4-space stars": "* 一\n    * 二\n        * 三\n* 四\n",
    "unindented fence closes the item": "- a\n```\nx\n```\n",
}


# --- list structure, as a reader sees it ---------------------------------------------------


def _shape(el) -> tuple:
    """The lists under `el`: (tag, start, items), each item (its own text, its lists)."""
    out = []
    for child in el:
        if not isinstance(child.tag, str):
            continue
        tag = etree.QName(child).localname
        if tag in ("ul", "ol"):
            start = child.get("start") if tag == "ol" else None
            items = tuple(_item(li) for li in child if etree.QName(li).localname == "li")
            out.append((tag, None if start == "1" else start, items))
        elif tag in ("blockquote", "div", "li"):
            out.extend(_shape(child))
    return tuple(out)


def _item(li) -> tuple:
    parts = [li.text or ""]

    def walk(el):
        for child in el:
            if not isinstance(child.tag, str):
                continue
            tag = etree.QName(child).localname
            if tag in ("ul", "ol"):
                continue
            if tag == "input":  # markdown-it leaves `[ ]` as text; bookmaker draws a box
                parts.append("[x]" if child.get("checked") is not None else "[ ]")
            parts.append(child.text or "")
            walk(child)
            parts.append(child.tail or "")

    walk(li)
    text = "".join(parts).replace("☐", "[ ]").replace("☑", "[x]")
    return ("".join(text.split()), _shape(li))  # layout whitespace differs, words do not


def ours(source: str) -> tuple:
    return _shape(parse(render(source).xhtml))


def commonmark(source: str) -> tuple:
    return _shape(lhtml.fromstring("<div>" + ORACLE.render(source) + "</div>"))


@pytest.mark.parametrize("source", CASES.values(), ids=list(CASES))
def test_lists_have_the_structure_commonmark_gives(source):
    assert ours(source) == commonmark(source)


def test_the_brief_example_nests_and_keeps_the_two_lists_apart():
    source = CASES["nested bullets, then an ordered list"]
    three = ("三级", ())
    two = ("二级", (("ul", None, (three,)),))
    assert ours(source) == (
        ("ul", None, (("一级", (("ul", None, (two,)),)), ("回到一级", ()))),
        ("ol", None, (("第一", (("ul", None, (("子项", ()),)),)), ("第二", ()))),
    )


# --- generated nested lists ---------------------------------------------------------------

WORDS = st.sampled_from(["第一", "项目", "Python 库", "排版 CJK", "读书笔记", "v2.0 版本"])
MARKERS = st.sampled_from(["-", "*", "+", "1.", "1)", "3.", "10."])


@st.composite
def lists(draw, depth: int = 0, indent: int = 0) -> list[str]:
    """Lines of one list at `indent`, items nested at their content column (CommonMark)."""
    marker = draw(MARKERS)
    loose = draw(st.booleans())
    lines: list[str] = []
    for n in range(draw(st.integers(1, 3))):
        mark = marker if not marker[0].isdigit() else f"{int(marker[:-1]) + n}{marker[-1]}"
        gap = " " * draw(st.integers(1, 4))
        lines.append(" " * indent + mark + gap + draw(WORDS))
        content = indent + len(mark) + len(gap)
        lines += _inside_item(draw, " " * content)
        if depth < 3 and draw(st.booleans()):
            lines.extend(draw(lists(depth + 1, content)))
        if loose:
            lines.append("")
    return lines


def _inside_item(draw, pad: str) -> list[str]:
    """What may follow an item's first line at its content column (or lazily, not)."""
    kind = draw(st.sampled_from(["", "line", "para", "fence", "tab", "quote", "lazy"]))
    return {
        "": [],
        "line": [pad + draw(WORDS)],
        "para": ["", pad + draw(WORDS)],
        "fence": [pad + "```", pad + "code - x", "", pad + "  1. y", pad + "```"],
        "tab": [pad + "~~~", pad + "\tz", pad + "~~~"],
        "quote": [pad + "> " + draw(WORDS), pad + "> - q"],
        "lazy": [draw(WORDS)],
    }[kind]


@st.composite
def documents(draw) -> str:
    parts = [draw(lists())]
    for _ in range(draw(st.integers(0, 2))):
        between = draw(st.sampled_from([[], [""], ["", "段落", ""], ["段落"]]))
        parts.append([*between, *draw(lists())])
    return "\n".join(line for part in parts for line in part) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_nested_lists_have_the_structure_commonmark_gives(source):
    assert ours(source) == commonmark(source)


# --- what must not change -----------------------------------------------------------------

FOUR_SPACE = [
    "- a\n    - b\n        - c\n- d\n",
    "1. 第一\n    1. 细节\n    2. 细节二\n2. 第二\n",
    "* 一\n\n    段落\n\n    * 二\n\n* 三\n",
    "- a\n\n    ```py\n    x = 1\n      y = 2\n    ```\n\n- b\n",
    "- a\n\n        code in an item\n\n- b\n",
    "- a\n\n    > 引用\n\n- b\n",
    "- [ ] 待办\n    - [x] 完成\n",
    "段落\n\n- a\n- b\n\n段落二\n",
]


@pytest.mark.parametrize("source", FOUR_SPACE)
def test_four_space_nesting_renders_exactly_as_before(source, monkeypatch):
    after = render(source).xhtml
    monkeypatch.setattr(mdlists, "normalise", lambda text: text)
    assert render(source).xhtml == after


def _code_texts(root) -> list[str]:
    return ["".join(pre.itertext()) for pre in root.iter("{*}pre", "pre")]


@pytest.mark.parametrize(
    "source",
    [
        CASES["fenced code inside items"],
        CASES["fenced code with a blank line, 2-space item"],
        CASES["indented code inside an item"],
        "1. 步骤\n   ```\n   <b>&amp;</b> $x$ {{ y }}\n   \tTAB\n   - not a list\n   ```\n",
    ],
)
def test_code_inside_items_is_unchanged(source):
    oracle = _code_texts(lhtml.fromstring("<div>" + ORACLE.render(source) + "</div>"))
    theirs = [code.expandtabs(4) for code in oracle]  # bookmaker's tabs: 4 columns, as ever
    assert theirs and _code_texts(parse(render(source).xhtml)) == theirs


def test_lines_outside_lists_are_left_as_written():
    source = "# 标题\n\n  缩进的段落\n\n    code\n\n> 引用\n\n- 列表\n  - 子\n\n结尾  \n"
    out = mdlists.normalise(source)
    assert out.startswith("# 标题\n\n  缩进的段落\n\n    code\n\n> 引用\n\n")
    assert out.endswith("\n\n结尾  \n")
    assert mdlists.normalise("没有列表。\n\n  只有段落\n") == "没有列表。\n\n  只有段落\n"


def test_no_separator_reaches_the_book():
    xhtml = render("- a\n* b\n1. c\n1) d\n\n> - e\n> + f\n").xhtml
    assert mdlists.SEPARATOR not in xhtml and "<p></p>" not in xhtml
    assert [el.tag.split("}")[1] for el in parse(xhtml) if el.tag.endswith(("ul", "ol"))] == [
        "ul",
        "ul",
        "ol",
        "ol",
    ]


# --- quotes a blank line parts ------------------------------------------------------------

QUOTES = {
    "two quotes a blank line apart": "> 引用一\n\n> 引用二\n",
    "two blank lines": "> 一\n\n\n> 二\n",
    "one quote, two paragraphs": "> 一\n>\n> 二\n",
    "quotes inside a quote": "> > 内一\n>\n> > 内二\n",
    "quotes inside an item": "- 项\n\n  > 一\n\n  > 二\n",
    "after a lazy line": "> 提示\n懒惰续行\n\n> 信息\n",
    "a paragraph between": "> 一\n\n段落\n\n> 二\n",
}


def _quotes(el) -> tuple:
    """The quotes under `el`, each (its words, the quotes inside it)."""
    out = []
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if etree.QName(child).localname == "blockquote":
            words = "".join(
                t for p in child if etree.QName(p).localname == "p" for t in p.itertext()
            )
            out.append(("".join(words.split()), _quotes(child)))
        else:
            out.extend(_quotes(child))
    return tuple(out)


@pytest.mark.parametrize("source", QUOTES.values(), ids=list(QUOTES))
def test_quotes_are_parted_where_commonmark_parts_them(source):
    oracle = _quotes(lhtml.fromstring("<div>" + ORACLE.render(source) + "</div>"))
    assert _quotes(parse(render(source).xhtml)) == oracle


@pytest.mark.parametrize("kind", ["jekyll", "hugo", "hexo", "plain"])
def test_every_site_shows_two_quotes_as_two(kind):
    a = article("> 引用一\n\n> 引用二\n")
    xhtml = markdown.render(a, context((a,), site(kind))).xhtml
    assert [bq.findtext("{*}p") for bq in parse(xhtml).iter("{*}blockquote")] == [
        "引用一",
        "引用二",
    ]
    assert mdlists.SEPARATOR not in xhtml
