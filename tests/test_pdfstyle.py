"""What the HTML stage emits, as it comes out on the printed page; PDF/A and PDF/UA variants.

One small book, rendered once in parts as PDF/A-3b, carries every case: positions of
words come from `pdftotext -bbox`, so a test fails when something is set on the wrong line
or in the wrong place, whatever the CSS that did it.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pdf_util import fonts, make_article, make_book, paragraphs, text_of

from bookmaker import mathrender, pdf, pdfdoc
from bookmaker.config import Config, PdfConfig
from bookmaker.errors import ConfigError
from bookmaker.layouts import load_layout
from bookmaker.model import Image
from bookmaker.pagesizes import page_size
from bookmaker.xhtml import MATHML_NS

WIDE = "长" * 90  # one run without spaces: every full line of it spans the text block


def _formula(project: Path, tex: str, name: str) -> Image:
    svg = mathrender.render(mathrender.Formula(tex, False)).svg
    path = project / "math" / f"{name}.svg"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(svg)
    return Image(f"images/{name}.svg", path, "image/svg+xml", 20, 10)


def _book(project: Path):
    w = _formula(project, "w", "w")
    styled = (
        f'<p>对甲方 <math xmlns="{MATHML_NS}" display="inline" alttext="w"'
        ' altimg="images/w.svg"><mi>w</mi></math> 求偏导数 然后继续</p>'
        f"<p>{WIDE}</p>"
        '<div class="center">居中文字</div>'
        '<p class="align-right">靠右文字</p>'
        '<p>空的<span class="x"/>元素之后 <a id="sty-1-empty"/>文字还在</p>'
        '<div class="highlight"><pre><code><span class="k">return</span> value</code></pre></div>'
        '<p>去<a href="#sty-2-no-such-heading">第二篇的某节</a>。</p>'
    )
    articles = [
        make_article("sty-1", "样式", styled, 1, 1, images=(w,)),
        make_article("sty-2", "第二篇", paragraphs(6), 2, 1),
    ]
    return make_book([("一章", articles)])


@pytest.fixture(scope="module")
def styled(tmp_path_factory):
    project = tmp_path_factory.mktemp("styled")
    config = Config(base=project, pdf=PdfConfig(chunk_pages=1, variant="pdf/a-3b"))
    written = pdf.write(_book(project), config, load_layout(project), project / "s.pdf")
    return written.paths[0]


def _words(pdf_path: Path) -> list[tuple[int, str, float, float, float, float]]:
    """(page index, word, xMin, yMin, xMax, yMax) for every word pdftotext finds."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf_path), "-"], capture_output=True, check=True
    ).stdout.decode()
    out = []
    for page, body in enumerate(html.split("<page ")[1:]):
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<',
            body,
        ):
            x0, y0, x1, y1 = map(float, m.groups()[:4])
            out.append((page, m[5], x0, y0, x1, y1))
    return out


def _word(words, text):
    found = [w for w in words if w[1] == text]
    assert found, f"{text!r} not in the PDF"
    return found[0]


def _full_line(words):
    """A line of WIDE that is not its first (indented) line: the text block's edges."""
    runs = [w for w in words if set(w[1]) == {"长"}]
    return runs[1]


def test_inline_formula_stays_in_its_line(styled):
    words = _words(styled)
    before, after = _word(words, "对甲方"), _word(words, "求偏导数")
    assert before[0] == after[0]
    assert abs(before[3] - after[3]) < 1, "the formula broke the line"
    gap = after[2] - before[4]
    assert 5 < gap < 30, gap  # room for a formula about one letter wide, not a whole line


def test_formula_is_sized_in_em_and_dropped_to_the_baseline(tmp_path):
    image = _formula(tmp_path, r"y_i", "y")
    style = pdfdoc.math_box(image.source.as_uri())
    width, height, drop = map(float, re.findall(r"(-?[\d.]+)em", style))
    assert 0.5 < width < 2 and 0.8 < height < 2
    assert drop < 0  # the subscript hangs below the baseline


def test_centred_and_right_aligned_blocks(styled):
    words = _words(styled)
    full = _full_line(words)
    centre = _word(words, "居中文字")
    right = _word(words, "靠右文字")
    assert abs((centre[2] + centre[4]) / 2 - (full[2] + full[4]) / 2) < 2
    assert abs(right[4] - full[4]) < 2


def test_an_empty_element_does_not_swallow_what_follows(styled):
    import tinyhtml5

    book = _book(Path("/nonexistent"))
    assets = pdfdoc.Assets(())
    article = pdfdoc.blocks(book, assets, True, page_size("A5"))[1]
    html = pdfdoc.body_html(load_layout(Path("/nonexistent")), book, assets, "", [article])
    tree = tinyhtml5.parse(html, namespace_html_elements=False)
    span = tree.find(".//span[@class='x']")
    anchor = tree.find(".//a[@id='sty-1-empty']")
    assert span is not None and not span.text and not len(span)
    assert anchor is not None and not anchor.text and not len(anchor)
    assert "文字还在" in text_of(styled)


def test_highlighted_code_uses_the_code_stylesheet(styled):
    names = {r["name"].split("+")[-1] for r in fonts(styled)}
    assert "DejaVu-Sans-Mono-Bold" in names  # `.highlight .k` keywords are bold


def test_link_to_a_missing_fragment_goes_to_the_article(styled):
    with pikepdf.open(styled) as doc:
        index = {p.objgen: i for i, p in enumerate(doc.pages)}
        with doc.open_outline() as o:
            first, second = (index[c.destination[0].objgen] for c in o.root[0].children)
        dests = [
            index[a.Dest[0].objgen]
            for p in doc.pages[first:second]  # the body, not the contents' links
            for a in p.obj.get("/Annots", [])
            if "/Dest" in a
        ]
    assert dests == [second]


def test_pdf_a_3b_structure(styled):
    """veraPDF is not available here: the parts of PDF/A-3b a merge could break are checked."""
    with pikepdf.open(styled) as doc:
        with doc.open_metadata() as xmp:
            assert xmp["pdfaid:part"] == "3" and xmp["pdfaid:conformance"] == "B"
            assert xmp["dc:title"] == str(doc.docinfo.Title) == "测试之书"
        intents = doc.Root.OutputIntents
        assert str(intents[0].S) == "/GTS_PDFA1" and "/DestOutputProfile" in intents[0]
        assert "/ID" in doc.trailer
        for page in doc.pages:
            for annot in page.obj.get("/Annots", []):
                assert int(annot.get("/F", 0)) & 4, "annotations must be printable"
    assert all(r["emb"] == "yes" for r in fonts(styled))
    # a device colour needs an output intent of its kind: the text stays in sRGB
    with pikepdf.open(styled) as doc:
        for page in doc.pages:
            for operands, _ in pikepdf.parse_content_stream(page, "cs"):
                assert str(operands[0]) != "/DeviceCMYK"


def test_pdf_ua_is_refused_with_the_reason(tmp_path):
    book = make_book([("一章", [make_article("a", "文章", paragraphs(1))])])
    config = Config(base=tmp_path, pdf=PdfConfig(variant="pdf/ua-1"))
    with pytest.raises(ConfigError, match=r"not supported.*tag structure.*pdf/a-3b"):
        pdf.write(book, config, load_layout(tmp_path), tmp_path / "ua.pdf")
    assert not (tmp_path / "ua.pdf").exists()


def test_images_go_to_the_images_stage_in_one_batch(tmp_path, monkeypatch):
    from bookmaker import images

    calls = []

    def batch(found, config, max_px):
        found = tuple(found)
        calls.append((len(found), max_px))
        return {i.name: i.source for i in found}

    monkeypatch.setattr(images, "pdf_renditions", batch)
    pics = tuple(_formula(tmp_path, f"x_{i}", f"x{i}") for i in range(3))
    book = make_book([("一章", [make_article("a", "文章", paragraphs(1), images=pics)])])
    ctx = pdf._Context.create(book, Config(base=tmp_path), load_layout(tmp_path))
    assert calls == [(3, int((148 - 19.2 - 14.8) / 25.4 * 300))]
    assert set(ctx.assets.images) == {p.name for p in pics}


def _line_starts(pdf_path: Path) -> list[list[float]]:
    """Per page (margins are mirrored), x of every paragraph line, in points."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf_path), "-"], capture_output=True, text=True
    ).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        starts = []
        for x, body in re.findall(r'<line xMin="([\d.]+)".*?>(.*?)</line>', page, re.S):
            text = "".join(re.findall(r">([^<]+)</word>", body))
            if len(text) >= 12:  # a line of a paragraph, not a heading or a page number
                starts.append(float(x))
        if len(starts) > 3:
            pages.append(starts)
    return pages


@pytest.mark.slow
def test_indent_switch_reaches_the_printed_page(tmp_path):
    """`[typography] indent = false`: paragraphs start flush left (the EPUB sets the same class)."""
    from bookmaker.config import TypographyConfig

    book = make_book([("一章", [make_article("ind-1", "缩进", paragraphs(3), 1, 1)])])
    starts = {}
    for indent in (True, False):
        config = Config(
            base=tmp_path, pdf=PdfConfig(chunk_pages=0), typography=TypographyConfig(indent=indent)
        )
        target = tmp_path / f"indent-{indent}.pdf"
        pdf.write(book, config, load_layout(tmp_path), target)
        starts[indent] = _line_starts(target)
    # With indents, the first line of each paragraph starts ~2 em right of the others.
    assert all(max(p) - min(p) > 15 for p in starts[True])
    assert starts[False] and all(max(p) - min(p) < 2 for p in starts[False])


# ---- short Latin words: their span dissolves in print (an inline box less to lay out) ----


def _printed(xhtml: str, keep_latin: bool = False) -> str:
    rendered = make_article("latin", "标题", xhtml)
    return pdfdoc.print_xhtml(rendered, pdfdoc.Assets((), keep_latin=keep_latin), False)[0]


def latin(word: str) -> str:
    return f'<span class="latin" lang="en">{word}</span>'


def test_a_short_latin_word_joins_the_text_around_it():
    out = _printed(f"<p>用 {latin('API')} 和 {latin('Wi-Fi')}，{latin('macOS')}。</p>")
    assert "span" not in out
    assert "用 API 和 Wi-Fi，macOS。" in out


def test_latin_that_print_may_hyphenate_or_style_keeps_its_span():
    long_word = _printed(f"<p>用 {latin('Python')} 写</p>")
    assert latin("Python") in long_word  # 6 letters: hyphenate-limit-chars lets it break
    in_dots = _printed(f'<p><em class="dots">重点 {latin("API")}</em></p>')
    assert latin("API") in in_dots  # em.dots span.latin is styled
    other = _printed('<p>用 <span class="latin" lang="en" id="x">API</span></p>')
    assert 'id="x"' in other
    assert latin("API") in _printed(f"<p>{latin('API')}</p>", keep_latin=True)


def test_a_stylesheet_that_styles_latin_keeps_every_span(tmp_path):
    builtin = [load_layout(tmp_path).find(n) for n in pdf.STYLESHEETS[:4]]
    assert not pdfdoc.latin_styled(builtin)  # the comment naming span.latin does not count
    custom = tmp_path / "custom.css"
    custom.write_text("/* .latin */ span.latin { font-family: 'EB Garamond'; }", encoding="utf-8")
    assert pdfdoc.latin_styled([*builtin, custom])


def test_english_apostrophes_are_not_full_width_in_print(tmp_path):
    """The CJK faces draw ’ full-width, as Chinese wants it: an English article printed
    `didn’ t`, and so did an English phrase in a Chinese one. Both now take the face's
    proportional form, so `didn’t` is barely wider than `didnt`; code keeps its cells."""
    english = "<p>didn’t didnt</p><p><code>it’s its</code></p>"
    chinese = '<p>他说 <span class="latin" lang="en">dont don’t dont</span> 就走了。</p>'
    book = make_book(
        [("一章", [
            make_article("en-1", "English", english, 1, 1, lang="en"),
            make_article("zh-1", "中文", chinese, 2, 1),
        ])]
    )  # fmt: skip
    written = pdf.write(book, Config(base=tmp_path), load_layout(tmp_path), tmp_path / "e.pdf")
    words = _words(written.paths[0])

    def extra(word: str, plain: str) -> float:
        """How much wider `word` is than `plain` (it without ’), in ems."""
        w, p = _word(words, word), _word(words, plain)
        return ((w[4] - w[2]) - (p[4] - p[2])) / (p[5] - p[3])

    assert extra("didn’t", "didnt") < 0.45
    assert extra("don’t", "dont") < 0.45
    assert extra("it’s", "its") > 0.45  # monospace: the mark takes a cell (or more)
