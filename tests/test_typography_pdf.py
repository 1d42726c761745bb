"""The typography CSS: what both books and each medium rely on (EPUB rules on the CSS text)."""

from __future__ import annotations

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
    assert re.search(r":lang\(zh-Hant\) span\.pc[^{]*\{\s*font-feature-settings: normal", BASE)
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
