"""Math: protected from Markdown, MathML for EPUB with an SVG rendering for the PDF."""

from __future__ import annotations

import pytest
from lxml import etree
from render_util import NS, FakeStore, context, parse, render, site, text

from bookmaker import mathrender


def test_inline_and_display_math_become_mathml_with_an_svg():
    store = FakeStore()
    r = render(
        r"质能 $E=mc^2$ 方程" + "\n\n$$\n\\frac{a}{b}\n$$\n\n行内 \\(x_1\\) 与 \\[y\\]",
        context(store=store),
    )
    maths = parse(r.xhtml).findall(".//m:math", NS)
    assert [m.get("display") for m in maths] == ["inline", "block", "inline", "block"]
    assert maths[0].get("alttext") == "E=mc^2"
    names = {i.name for i in r.images}
    assert all(m.get("altimg") in names for m in maths)
    assert all(i.media_type == "image/svg+xml" for i in r.images)
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML"' in r.xhtml
    assert parse(r.xhtml).find("h:div[@class='math-display']/m:math", NS) is not None


def test_double_dollars_in_a_line_of_text_are_inline_as_kramdown_reads_them():
    source = "质能方程 $$E=mc^2$$ 很有名。\n\n$$a+b$$\n\n> $$c$$"
    _, found = mathrender.protect(source, kramdown=True)  # Jekyll
    assert [f.display for f in found] == [False, True, True]
    _, found = mathrender.protect(source)  # MathJax and KaTeX: always set apart
    assert [f.display for f in found] == [True, True, True]


def test_svg_draws_glyphs_as_paths_not_text():
    store = FakeStore()
    render(r"$\sum_{i=1}^n i^2$", context(store=store))
    svg = etree.fromstring(store.generated[0])
    assert svg.find(".//{http://www.w3.org/2000/svg}text") is None
    assert svg.find(".//{http://www.w3.org/2000/svg}path") is not None


def test_markdown_syntax_inside_math_is_left_alone():
    r = render("$$\na_1 * b_2 * c\n===\n$$\n\n$a_1 * b_2$ 和 $c_3$")
    assert parse(r.xhtml).find(".//h:h1", NS) is None
    assert parse(r.xhtml).find(".//h:em", NS) is None
    alts = [m.get("alttext") for m in parse(r.xhtml).iterfind(".//m:math", NS)]
    assert alts == ["a_1 * b_2 * c\n===", "a_1 * b_2", "c_3"]


def test_prices_are_not_math():
    r = render("苹果 $5 and 梨 $6，共 $11。US$ 3 或 $ 4 $")
    assert parse(r.xhtml).find(".//m:math", NS) is None
    assert "$5 and 梨 $6，共 $11" in text(r.xhtml)


def test_escaped_dollar_is_a_dollar():
    r = render(r"价格 \$5，和 \$x\$")
    assert parse(r.xhtml).find(".//m:math", NS) is None
    assert "价格 $5，和 $x$" in text(r.xhtml)


def test_math_in_code_is_code():
    r = render("`$x$`\n\n```\n$$y$$\n```")
    assert parse(r.xhtml).find(".//m:math", NS) is None


def test_tex_error_warns_and_keeps_the_source_as_code():
    r = render("前\n\n$$\\frac{a}{$$")
    code = parse(r.xhtml).find(".//h:code[@class='math-error']", NS)
    assert code is not None and code.text == "\\frac{a}{"
    assert r.problems[0].level == "warning" and r.problems[0].line == 7


@pytest.mark.parametrize(
    ("tex", "why"),
    [
        ("\\frac{1}{0", "a { without its }"),
        ("x^{2}}", "a } without its {"),
        ("\\sqtr{2}", "unknown command \\sqtr"),
    ],
)
def test_tex_the_converter_would_guess_at_is_an_error(tex, why):
    # latex2mathml closes open groups and prints unknown commands as their names: the book
    # would show 1/0 for a typo, quietly. The author gets the warning and the source instead.
    r = render(f"前\n\n$${tex}$$")
    assert parse(r.xhtml).find(".//m:math", NS) is None
    code = parse(r.xhtml).find(".//h:code[@class='math-error']", NS)
    assert code is not None and code.text == tex
    assert why in r.problems[0].message and r.problems[0].line == 7


def test_escaped_braces_and_line_breaks_are_not_groups():
    r = render("$$\\{a\\} \\\\ \\left\\{ x \\right.$$")
    assert parse(r.xhtml).find(".//m:math", NS) is not None and not r.problems


def test_protect_returns_formulas_in_order():
    source, found = mathrender.protect("a $x$ b $$y$$ c")
    assert [f.tex for f in found] == ["x", "y"] and [f.display for f in found] == [False, True]
    assert "$" not in source


ALIGNED = "\\begin{aligned} f(x) &= 1 \\\\ &= 2 \\end{aligned}"


@pytest.mark.parametrize(
    "tex",
    [
        ALIGNED,
        "\\begin{align*} a &= b \\\\ c &= d \\end{align*}",
        "\\begin{alignedat}{2} a &= b & c &= d \\\\ e &= f & g &= h \\end{alignedat}",
        "\\begin{gathered} a = b \\\\ c = d \\end{gathered}",
        "\\begin{split} a &= b \\\\ &= c \\end{split}",
        "\\begin{eqnarray} a &=& b \\nonumber \\\\ c &=& d \\end{eqnarray}",
        "f(x) = \\begin{cases} 1 & x > 0 \\\\ 0 & \\text{otherwise} \\end{cases}",
        "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}",
        "\\left\\{ \\begin{aligned}[t] a &= b \\\\[4pt] c &= d \\label{eq} \\end{aligned} \\right.",
    ],
)
def test_aligned_rows_are_a_table_in_the_article_and_a_drawing_for_the_pdf(tex):
    # latex2mathml printed `aligned`'s `&` as a character, unescaped: the MathML did not
    # parse, and the whole article came out as only its title.
    store = FakeStore()
    r = render(f"前文。\n\n$$\n{tex}\n$$\n\n后文。", context(store=store))
    root = parse(r.xhtml)
    assert text(r.xhtml).startswith("前文。") and text(r.xhtml).endswith("后文。")
    table = root.find(".//m:math/m:mrow//m:mtable", NS)
    assert table is not None and len(table.findall("m:mtr", NS)) == 2
    assert [mi for mi in root.iterfind(".//m:mi", NS) if mi.text == "&"] == []
    assert root.find(".//m:math", NS).get("alttext") == tex
    assert not r.problems and len(store.generated) == 1


def test_display_rows_of_the_pdf_drawing_stand_one_above_the_other():
    def height(tex: str) -> float:
        svg = mathrender.render(mathrender.Formula(tex, display=True)).svg
        return float(etree.fromstring(svg).get("height"))

    assert height(ALIGNED) > 1.8 * height("f(x) = 1")
    assert height("\\begin{gathered} a \\\\ b \\end{gathered}") > 1.8 * height("a")
    assert height("\\begin{eqnarray} a &=& b \\\\ c &=& d \\end{eqnarray}") > 1.8 * height("a")


def test_gathered_and_eqnarray_cells_are_in_display_style_as_in_tex():
    r = render("$$\\begin{gathered} \\frac{a}{b} \\\\ c \\end{gathered}$$")
    cells = parse(r.xhtml).findall(".//m:mtd", NS)
    assert [c.find(".//m:mstyle", NS).get("displaystyle") for c in cells] == ["true", "true"]


def test_text_with_markup_characters_is_well_formed_mathml_and_a_drawing():
    store = FakeStore()
    r = render("$$\\text{a<b} + \\text{R&D} + x \\& y$$", context(store=store))
    root = parse(r.xhtml)
    assert [t.text for t in root.iterfind(".//m:mtext", NS)] == ["a<b", "R&D"]
    assert "&" in [mi.text for mi in root.iterfind(".//m:mi", NS)]
    assert not r.problems and len(store.generated) == 1


@pytest.mark.parametrize(
    ("tex", "why"),
    [
        ("\\begin{CD} A @>>> B \\end{CD}", "unknown environment CD"),
        ("a & b", "an `&` outside an environment that aligns"),
        ("\\begin{aligned} a &= b", "MissingEndError"),
    ],
)
def test_a_formula_the_converter_cannot_do_is_its_tex_and_the_article_stays(tex, why):
    r = render(f"前文。\n\n$${tex}$$\n\n后文。")
    code = parse(r.xhtml).find(".//h:code[@class='math-error']", NS)
    assert code is not None and code.text == tex
    assert text(r.xhtml).startswith("前文。") and text(r.xhtml).endswith("后文。")
    assert [(p.level, p.line) for p in r.problems] == [("warning", 7)]
    assert why in r.problems[0].message


def test_mathml_that_does_not_parse_never_reaches_the_book(monkeypatch):
    # Whatever a converter writes: the formula falls back to its TeX, never the article.
    monkeypatch.setattr(mathrender, "_mathml", lambda *_: "<math><mi>&</mi></math>")
    mathrender.render.cache_clear()
    try:
        r = render("前文 $x+1$ 后文。")
    finally:
        mathrender.render.cache_clear()
    assert parse(r.xhtml).find(".//h:code[@class='math-error']", NS).text == "x+1"
    assert text(r.xhtml) == "前文 x+1 后文。"
    assert r.problems[0].level == "warning" and "cannot render math `x+1`" in r.problems[0].message


HUGO_ESCAPED = (
    "损失 \\\\(L(\\theta)=\\frac{1}{n}\\sum \\\\{x\\_i\\\\}\\\\) 很小。\n\n"
    "\\\\[\n\\begin{aligned} a &= b \\\\\\\\ &= c \\end{aligned}\n\\\\]\n"
)


@pytest.mark.parametrize("kind", ["hugo", "hexo"])
def test_hugo_escaped_delimiters_are_math_as_the_theme_shows_them(kind):
    # Goldmark (and Hexo's marked) leave `\(` of `\\(` for the theme's MathJax or KaTeX, and
    # between them every backslash escape is undone: `\\{` is `\{`, `\_` is `_`.
    r = render(HUGO_ESCAPED, context(the_site=site(kind)))
    maths = parse(r.xhtml).findall(".//m:math", NS)
    assert [m.get("display") for m in maths] == ["inline", "block"]
    assert maths[0].get("alttext") == "L(\\theta)=\\frac{1}{n}\\sum \\{x_i\\}"
    assert len(maths[1].findall(".//m:mtr", NS)) == 2
    assert "\\" not in text(r.xhtml) and text(r.xhtml).startswith("损失 ")
    assert not r.problems


@pytest.mark.parametrize("kind", ["plain", "jekyll"])
def test_escaped_delimiters_are_a_backslash_and_a_bracket_on_other_sites(kind):
    r = render(HUGO_ESCAPED, context(the_site=site(kind)))
    assert parse(r.xhtml).find(".//m:math", NS) is None
    assert "\\(L(\\theta)=\\frac{1}{n}" in text(r.xhtml)


def test_a_hugo_formula_that_cannot_be_drawn_names_its_line():
    r = render("前\n\n后 \\\\(\\sqtr{2}\\\\)", context(the_site=site("hugo")))
    assert parse(r.xhtml).find(".//h:code[@class='math-error']", NS).text == "\\sqtr{2}"
    assert [(p.line, p.level) for p in r.problems] == [(7, "warning")]
