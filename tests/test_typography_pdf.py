"""The typography CSS: what both books and each medium rely on (EPUB rules on the CSS text)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

LAYOUT = Path(__file__).resolve().parent.parent / "layouts" / "default"
BASE = (LAYOUT / "base.css").read_text(encoding="utf-8")
PRINT = (LAYOUT / "typography-print.css").read_text(encoding="utf-8")
VERTICAL = (LAYOUT / "vertical.css").read_text(encoding="utf-8")


def _without_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


@pytest.mark.parametrize("css", [BASE, VERTICAL], ids=["base.css", "vertical.css"])
def test_epub_css_avoids_functions_old_readers_reject(css):
    assert not re.search(r"\b(var|calc|min|max|clamp)\(", _without_comments(css))


def test_cjk_families_are_named_never_generic_alone():
    css = _without_comments(BASE)
    for family in ("Noto Serif CJK SC", "Noto Serif CJK TC", "Noto Serif CJK JP",
                   "Noto Sans CJK SC", "Songti SC", "SimSun", "PingFang SC",
                   "Microsoft YaHei", "LXGW WenKai", "KaiTi"):  # fmt: skip
        assert f'"{family}"' in css
    for decl in re.findall(r"font-family:([^;]+);", css):
        assert decl.strip() not in ("serif", "sans-serif")


def test_latin_face_is_limited_so_cjk_punctuation_stays_with_the_cjk_font():
    ranges = re.findall(r"unicode-range:([^;]+);", BASE)
    assert ranges
    for r in ranges:
        for cp in (0x201C, 0x201D, 0x2018, 0x2019, 0x2026, 0x2014, 0x00B7):
            for lo, hi in re.findall(r"U\+([0-9A-F]+)(?:-([0-9A-F]+))?", r):
                assert not int(lo, 16) <= cp <= int(hi or lo, 16)


def test_emphasis_dots_for_epub_with_prefixes_and_not_italic():
    block = re.search(r"em\.dots \{(.*?)\}", BASE, re.S).group(1)
    for prop in ("text-emphasis: filled dot", "-webkit-text-emphasis: filled dot",
                 "-epub-text-emphasis: filled dot", "text-emphasis-position: under right",
                 "font-style: normal"):  # fmt: skip
        assert prop in block


def test_print_dots_are_drawn_without_current_color():
    block = re.search(r"span\.ed \{(.*?)\}", PRINT, re.S).group(1)
    assert "radial-gradient" in block and "currentColor" not in block


def test_indent_and_paragraph_spacing_are_exclusive():
    assert re.search(r"\np \{\s*margin: 0;\s*text-indent: 2em;", BASE)
    no_indent = re.search(r"body\.no-indent p \{(.*?)\}", BASE, re.S).group(1)
    assert "text-indent: 0" in no_indent and "margin: 0 0 0.8em 0" in no_indent


def test_dash_compression_and_tc_rules():
    assert re.search(r"span\.dash \{[^}]*font-variant-east-asian: full-width", BASE)
    assert re.search(r"span\.pc \{[^}]*\"halt\"", BASE)
    assert 'quotes: "「" "」" "『" "』"' in BASE
    assert re.search(r"span\.pc:lang\(zh-Hant\)[^{]*\{\s*font-feature-settings: normal", BASE)
    assert "hanging-punctuation: none" in BASE


def test_headings_in_hei_and_sized_within_range():
    sizes = dict(re.findall(r"\n(h[3-4]) \{ font-size: ([0-9.]+)em", BASE))
    assert all(1.1 <= float(v) <= 1.2 for v in sizes.values()) and sizes
    assert re.search(r"h1, h2, h3, h4, h5, h6 \{\s*font-family: \"Noto Sans CJK SC\"", BASE)


def test_ruby_native_in_epub_positioned_in_print():
    assert "ruby-position: over" in BASE
    assert re.search(r"ruby > rt \{\s*display: table-header-group", PRINT)
    assert re.search(r"rp \{\s*display: none", PRINT)


def test_vertical_writing_with_prefixes_and_upright_numbers():
    for prop in ("writing-mode: vertical-rl", "-webkit-writing-mode: vertical-rl",
                 "-epub-writing-mode: vertical-rl", "text-combine-upright: all",
                 "-webkit-text-combine: horizontal"):  # fmt: skip
        assert prop in VERTICAL


def test_chapter_numbers_read_in_chinese():
    weasyprint = pytest.importorskip("weasyprint")
    from weasyprint.css.counters import CounterStyle

    styles = CounterStyle()  # WeasyPrint applies @counter-style only through this object
    html = "".join(f'<p class="chapter-number" style="counter-reset: chapter {n}"></p>'
                   for n in (1, 10, 12, 20, 99, 100))  # fmt: skip
    sheets = [weasyprint.CSS(string=BASE, counter_style=styles)]
    doc = weasyprint.HTML(string=f"<html lang='zh-CN'><body>{html}</body></html>").render(
        stylesheets=sheets, counter_style=styles
    )
    shown = [line.children[0].children[0].text for page in doc.pages
             for line in _line_boxes(page._page_box)]  # fmt: skip
    assert shown == ["第一章", "第十章", "第十二章", "第二十章", "第九十九章", "第100章"]


def _line_boxes(box):
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.LineBox):
        yield box
    for child in getattr(box, "children", []):
        if not isinstance(box, boxes.LineBox):
            yield from _line_boxes(child)


def test_print_hyphen_comes_from_the_latin_face():
    assert re.search(r':lang\(en\) \{\s*hyphenate-character: "-"', PRINT)


EPUB = (LAYOUT / "epub.css").read_text(encoding="utf-8")


def test_trim_in_epub_css_and_its_off_switch():
    css = _without_comments(EPUB)
    assert re.search(r"\np, li, dd, blockquote \{\s*text-spacing-trim: normal;", css)
    off = re.search(r"body\.no-trim p, [^{]*\{\s*text-spacing-trim: space-all;", css)
    assert off
    assert re.search(r"body\.no-trim \{\s*--bm-trim: off;", PRINT)  # read by justify.py


# -- rendered with WeasyPrint: what the PDF shows ----------------------------------------


def _render(body: str, extra: str = ""):
    weasyprint = pytest.importorskip("weasyprint")
    from bookmaker import justify

    justify.install()
    sheets = [weasyprint.CSS(string=BASE), weasyprint.CSS(string=PRINT)]
    sheets.append(weasyprint.CSS(string="body { font-size: 20px } p { text-indent: 0 }" + extra))
    html = f'<html lang="zh-CN"><body>{body}</body></html>'
    return weasyprint.HTML(string=html).render(stylesheets=sheets)


def _texts(box):
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box
    for child in getattr(box, "children", []):
        yield from _texts(child)


def test_strong_and_headings_are_drawn_in_a_real_bold_face(tmp_path):
    import subprocess

    document = _render("<h2>标题</h2><p>正文里有<strong>加粗的字</strong>。</p>")
    pdf = tmp_path / "bold.pdf"
    document.write_pdf(pdf)
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "Noto-Sans-CJK-SC-Bold" in out  # headings in Hei, bold
    assert "Noto-Serif-CJK-SC-Bold" in out  # <strong> in the body's Song, bold


def test_ruby_annotation_sits_above_its_base_in_print():
    document = _render("<p>这是<ruby>篆<rp>(</rp><rt>zhuàn</rt><rp>)</rp></ruby>书。</p>")
    texts = {t.text: t for t in _texts(document.pages[0]._page_box)}
    base, note = texts["篆"], texts["zhuàn"]
    # The annotation's baseline is above the top of the base's ideograph (0.88 em above
    # its baseline in Noto CJK): set over it, not inline beside it.
    assert note.position_y + note.baseline <= base.position_y + base.baseline - 0.88 * 20
    assert abs((note.position_x + note.width / 2) - (base.position_x + base.width / 2)) < 1
    assert "(" not in texts and ")" not in texts  # <rp> only for readers without ruby


NUMBERS = "我们在2024年写了50%的代码，圆周率取3.14就够了，版本号是1.2.3。"


def test_numbers_stay_whole_across_line_breaks():
    from bookmaker import typography
    from bookmaker.config import TypographyConfig

    source = typography.apply(f"<p>{NUMBERS * 2}</p>", "zh-CN", TypographyConfig())[0]
    body = "".join(f'<div style="width: {6 + q / 4}em">{source}</div>' for q in range(40))
    document = _render(body)
    from weasyprint.formatting_structure import boxes

    def lines(box):
        if isinstance(box, boxes.LineBox):
            yield "".join(t.text for t in _texts(box)).strip()
        else:
            for child in getattr(box, "children", []):
                yield from lines(child)

    rows = [r for page in document.pages for r in lines(page._page_box)]
    assert len(rows) > 200
    for a, b in itertools.pairwise(rows):
        joined = a[-1:] + b[:1]
        assert not re.fullmatch(r"[0-9.%][0-9.%]", joined), (a, b)
