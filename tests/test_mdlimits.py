"""Pathological Markdown (issue 9): deep nesting, unmatched brackets and huge lines are bounded
before Python-Markdown and WeasyPrint see them, and nothing the author wrote is lost."""

from __future__ import annotations

import logging

import pytest
from render_util import NS, article, context, parse, render, text

from bookmaker import markdown, mdlimits, sanitize


def _depth(xhtml: str) -> int:
    return max(len(list(el.iterancestors())) for el in parse(xhtml).iter())


def _warnings(r) -> list[str]:
    return [p.message for p in r.problems if p.level == "warning"]


def test_an_800_deep_list_is_flattened_with_one_plain_warning(caplog):
    body = "".join("  " * i + "- 层\n" for i in range(800)) + "\nLIST-END\n"
    with caplog.at_level(logging.WARNING):
        r = render(body, body_line=5)
    assert "LIST-END" in text(r.xhtml) and text(r.xhtml).count("层") == 800
    assert [p.level for p in r.problems] == ["warning"]
    assert r.problems[0].message.startswith("nesting too deep (399 levels)")
    assert r.problems[0].line == 5 + 66  # the first line deeper than 32 levels
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]  # no traceback
    assert _depth(r.xhtml) <= 2 * mdlimits.MAX_DEPTH + 2


def test_a_3000_deep_quote_keeps_its_text():
    # libxml2 silently dropped everything below 256 levels, text included
    r = render(">" * 3000 + " 深处 QUOTE-KEEP\n\n之后 AFTER-KEEP\n")
    assert "QUOTE-KEEP" in text(r.xhtml) and "AFTER-KEEP" in text(r.xhtml)
    assert _depth(r.xhtml) <= mdlimits.MAX_DEPTH + 2
    assert _warnings(r) == ["nesting too deep (3000 levels); deeper levels flattened to 32"]


def test_5000_nested_divs_keep_their_text_and_are_reported():
    r = render("<div>" * 5000 + "DIV-KEEP" + "</div>" * 5000 + "\n\n之后 AFTER-KEEP\n")
    assert "DIV-KEEP" in text(r.xhtml) and "AFTER-KEEP" in text(r.xhtml)
    assert _depth(r.xhtml) <= sanitize.MAX_DEPTH + 1
    assert _warnings(r) == ["HTML nested too deep (5000 levels); deeper levels flattened to 100"]


def test_flatten_deep_leaves_ordinary_html_alone_and_keeps_text_in_order():
    html = "<ul>" + "<li>x</li>" * 500 + "</ul><p>a<b>b</b></p>"
    assert sanitize.flatten_deep(html) == (html, 0)
    deep = "<div>" * 5 + "t" + "<span>u</span>" + "</div>" * 5
    flat, deepest = sanitize.flatten_deep(deep, limit=3)
    assert deepest == 6 and flat == "<div>" * 3 + "tu" + "</div>" * 3


def test_unmatched_brackets_are_escaped_and_links_still_work():
    body = (
        "[" * 5000 + "*" * 100 + " [链接](https://example.com/) 之后\n\n[普通](https://a.example/)"
    )
    r = render(body)
    root = parse(r.xhtml)
    hrefs = [a.get("href") for a in root.iterfind(".//h:a", NS)]
    assert hrefs == ["https://example.com/", "https://a.example/"]
    assert text(r.xhtml).count("[") == 5000  # shown as the author wrote them
    assert "\\" not in text(r.xhtml)


def test_escape_unmatched_touches_nothing_below_the_limit_or_in_code():
    normal = "[a](b) [c [d](e) (f\n\n" + "[" * 64
    assert mdlimits.escape_unmatched(normal) == normal
    code = "`" + "[" * 100 + "`"
    assert mdlimits.escape_unmatched(code) == code
    many = "(" * 100 + "\n\n[x](y)"
    assert mdlimits.escape_unmatched(many) == "\\(" * 100 + "\n\n[x](y)"


def test_a_1mb_line_is_cut_into_paragraphs_with_everything_kept():
    line = "长行。" * 150_000 + "END-KEEP"
    r = render("开头\n\n" + line + "\n", body_line=7)
    paragraphs = parse(r.xhtml).findall("h:p", NS)
    assert len(paragraphs) > 100
    assert max(len(p.text or "") for p in paragraphs) <= mdlimits.PIECE + 10
    assert "".join(p.text or "" for p in paragraphs[1:]) == line
    assert [(p.line, p.message) for p in r.problems] == [
        (9, "a line of 450,008 characters: cut into paragraphs of about 4,000 to print it")
    ]


def test_a_long_line_in_a_quote_stays_in_the_quote():
    r = render("> " + "字" * 30_000 + "\n")
    root = parse(r.xhtml)
    assert len(root.findall("h:blockquote", NS)) == 1
    assert len(root.findall("h:blockquote/h:p", NS)) >= 8


def test_a_long_table_row_or_html_line_is_not_cut():
    row = "|" + "列|" * 12_000
    table = row + "\n|" + "-|" * 12_000 + "\n" + row + "\n"
    assert mdlimits.bound_lines(table).notes == []
    html = "<span>x</span>" * 3000
    assert mdlimits.bound_lines(html).notes == []


def test_fenced_code_is_never_flattened():
    code = "```\n" + " " * 400 + "deep code\n```\n"
    assert mdlimits.bound_lines(code).text == code


def test_an_unforeseen_recursion_error_is_one_plain_problem_and_the_next_article_renders(
    monkeypatch, caplog
):
    def boom(work):
        raise RecursionError("maximum recursion depth exceeded")

    a = article("正文")
    ctx = context((a,))
    monkeypatch.setattr(markdown, "_tree", boom)
    with caplog.at_level(logging.WARNING):
        r = markdown.render(a, ctx)
    assert [str(p) for p in r.problems] == [
        "content/post.md: error: nesting too deep to render; left out"
    ]
    assert not caplog.records
    monkeypatch.undo()
    assert "正文" in text(markdown.render(a, ctx).xhtml)


def test_a_huge_formula_that_fails_is_named_shortly():
    r = render("$$" + "\\frac{" * 3000 + "$$\n")
    (problem,) = r.problems
    assert problem.message.startswith("cannot render math `\\frac{\\frac{")
    assert len(problem.message) < 300


@pytest.mark.parametrize("mark", ["*", "_", "~~"])
def test_a_huge_run_of_emphasis_marks_keeps_the_article_with_a_warning_at_its_line(mark):
    """5,000 `*`, `a`, 5,000 `*` nested thousands of elements: a RecursionError, and the
    whole article was left out ("nesting too deep to render")."""
    run = mark * (5000 // len(mark))
    r = render(f"前文 BEFORE\n\n{run}a{run} 中\n\n后文 AFTER\n", body_line=5)
    assert [(p.level, p.line) for p in r.problems] == [("warning", 7)]
    assert r.problems[0].message == (
        "2 run(s) of more than 32 emphasis marks kept as written, not nested that deep "
        f"(the first: 5,000 `{mark[0]}`)"
    )
    assert f"{run}a{run} 中" in text(r.xhtml)
    assert "BEFORE" in text(r.xhtml) and "AFTER" in text(r.xhtml)


def test_emphasis_rules_and_code_are_left_alone():
    ordinary = "***粗斜*** ~~删~~ __粗__ 姓名：________\n\n" + "*" * 40 + "\n"
    code = "`" + "*" * 40 + "` and\n\n```\n" + "~" * 40 + "\n```\n"
    for body in (ordinary, code):
        assert mdlimits.bound_lines(body) == mdlimits.Bounded(body)


def test_a_cut_long_line_of_escaped_marks_loses_none():
    r = render("*" * 12_000 + "a" + "*" * 12_000 + "\n")
    assert text(r.xhtml).count("*") == 24_000 and "\\" not in text(r.xhtml)
    assert "a line of 24,001 characters" in r.problems[1].message
