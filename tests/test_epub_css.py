"""What the EPUB's and the print stylesheets do to particular elements (matched with
cssselect2, the selector engine WeasyPrint uses, so `:lang()` follows the lang attributes)."""

from __future__ import annotations

import re
from pathlib import Path

import cssselect2
import tinycss2
from lxml import etree

LAYOUT = Path(__file__).parent.parent / "layouts/default"
EPUB_CSS = LAYOUT / "epub.css"
XHTML = """<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-CN"><body>
<p id="zh">调用 <code>numpy.linalg.eigvals</code> 即可。</p>
<section lang="en"><p id="en">Call <code>numpy.linalg.eigvals</code> here.</p></section>
<section lang="ja"><li id="ja"><code>numpy.linalg.eigvals</code> を呼ぶ。</li></section>
</body></html>"""


def _declared(
    element_id: str, prop: str, css: Path | tuple[Path, ...] = EPUB_CSS, xhtml: str = XHTML
) -> str | None:
    """The value `prop` gets from `css` (several sheets: in that order) for the element
    #element_id, or else for the `code` inside it (declarations in cascade order:
    specificity, then source order)."""
    matcher = cssselect2.Matcher()
    sheets = css if isinstance(css, tuple) else (css,)
    text = "\n".join(sheet.read_text() for sheet in sheets)
    sheet = tinycss2.parse_stylesheet(text, skip_whitespace=True, skip_comments=True)
    for rule in sheet:
        if rule.type != "qualified-rule":
            continue
        decls = tinycss2.parse_declaration_list(rule.content, skip_whitespace=True)
        found = {
            d.name: tinycss2.serialize(d.value).strip() for d in decls if d.type == "declaration"
        }
        for selector in cssselect2.compile_selector_list(rule.prelude):
            matcher.add_selector(selector, found)
    wrapper = cssselect2.ElementWrapper.from_xml_root(etree.fromstring(xhtml))
    elements = list(wrapper.iter_subtree())
    target = next((e for e in elements if e.id == element_id), None)
    if target.local_name in ("p", "li"):
        target = next(e for e in target.iter_subtree() if e.local_name == "code")
    value = None
    for match in sorted(matcher.match(target), key=lambda m: (m[0], m[1])):
        value = match[3].get(prop, value)
    return value


def test_inline_code_breaks_anywhere_only_in_chinese_and_japanese_text():
    assert _declared("zh", "word-break") == "break-all"
    assert _declared("ja", "word-break") == "break-all"
    assert _declared("en", "word-break") is None  # English keeps identifiers whole
    assert _declared("en", "overflow-wrap") == "break-word"  # unless wider than the page


def test_print_too_breaks_inline_code_anywhere_only_in_chinese_and_japanese_text():
    css = LAYOUT / "typography-print.css"
    assert _declared("zh", "word-break", css) == "break-all"
    assert _declared("ja", "word-break", css) == "break-all"
    assert _declared("en", "word-break", css) is None


MIXED = """<html xmlns="http://www.w3.org/1999/xhtml" lang="{book}"><body>
<section lang="{article}"><h2 id="h">标题</h2><q id="q">引文</q><blockquote id="b">引</blockquote>
</section></body></html>"""


def test_an_article_in_another_chinese_script_keeps_its_own_faces_and_quotes():
    """A zh-Hans article in a zh-Hant book (or the reverse) must not take the book's
    language's faces: the glyph shapes differ (Traditional centred punctuation, 户 vs 戶…)."""
    base = LAYOUT / "base.css"
    hans_in_hant = MIXED.format(book="zh-Hant", article="zh-Hans")
    hant_in_hans = MIXED.format(book="zh-Hans", article="zh-Hant")
    assert "CJK SC" in _declared("h", "font-family", base, hans_in_hant)
    assert "CJK TC" in _declared("h", "font-family", base, hant_in_hans)
    assert "「" not in _declared("q", "quotes", base, hans_in_hant)
    assert "「" in _declared("q", "quotes", base, hant_in_hans)
    assert "TC" not in _declared("b", "font-family", base, hans_in_hant)
    printed = LAYOUT / "print.css"
    assert "CJK SC" in _declared("h", "font-family", printed, hans_in_hant)
    assert "CJK TC" in _declared("h", "font-family", printed, hant_in_hans)


def test_code_is_monospace_in_traditional_chinese_and_japanese_books():
    """`:lang(zh-TW)` on every element used to outrank `code`'s own face: code in a
    Taiwanese or Japanese book was set in Ming like the text around it."""
    epub = (LAYOUT / "base.css", LAYOUT / "code.css", EPUB_CSS)
    printed = (LAYOUT / "base.css", LAYOUT / "typography-print.css", LAYOUT / "print.css")
    for lang in ("zh-TW", "zh-Hant", "zh-HK", "ja", "zh-CN"):
        book = XHTML.replace('lang="zh-CN"', f'lang="{lang}"')
        for sheets in (epub, printed):
            assert "Mono" in _declared("zh", "font-family", sheets, book), (lang, sheets[-1])


def test_lines_a_fence_marks_get_a_background_in_both_books():
    from render_util import render

    fragment = render('```python hl_lines="2"\na = 1\nb = 2\n```').xhtml
    marked = fragment.replace('class="hll"', 'class="hll" id="marked"', 1)
    xhtml = f'<html xmlns="http://www.w3.org/1999/xhtml"><body>{marked}</body></html>'
    code_css = LAYOUT / "code.css"  # in the EPUB's and the PDF's style sheets alike
    shown = _declared("marked", "background-color", code_css, xhtml)
    assert shown is not None and shown != "transparent"


def test_table_cells_are_not_justified_unless_the_author_aligned_them():
    """In a narrow cell on a phone, a justified Chinese line read `一 切 / 正 常`."""
    table = (
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-CN"><body><table><tr>'
        '<td id="plain">一切正常</td><td id="centred" class="align-center">居中</td>'
        "</tr></table></body></html>"
    )
    assert _declared("plain", "text-align", EPUB_CSS, table) == "left"
    assert _declared("centred", "text-align", EPUB_CSS, table) == "center"


def test_an_english_quotation_keeps_the_latin_face():
    base = LAYOUT / "base.css"
    english = MIXED.format(book="zh-CN", article="en")
    assert "Latin" in _declared("b", "font-family", base, english)
    assert "WenKai" in _declared(
        "b", "font-family", base, MIXED.format(book="zh-CN", article="zh-CN")
    )


def test_aligned_formulas_and_mislabelled_code_look_as_written():
    """MathML Core ignores `columnalign` (rows of `aligned` sat apart); Pygments' error
    token drew a red box round what it could not read in the language named."""
    m = "http://www.w3.org/1998/Math/MathML"
    doc = (
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-CN"><body>'
        f'<math xmlns="{m}"><mtable><mtr><mtd id="l" columnalign="left"/>'
        '<mtd id="r" columnalign="right"/></mtr></mtable></math>'
        '<div class="highlight"><pre><span id="err" class="err">#</span></pre></div></body></html>'
    )
    assert _declared("l", "text-align", EPUB_CSS, doc) == "left"
    assert _declared("r", "text-align", EPUB_CSS, doc) == "right"
    assert _declared("err", "border", LAYOUT / "code.css", doc) == "0"


VERTICAL = (LAYOUT / "base.css", EPUB_CSS, LAYOUT / "vertical.css")
BOXES = """<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-CN"><body>
<div class="callout callout-note" id="note"><p class="callout-title">注意</p></div>
<div class="callout callout-warning" id="warning"><p class="callout-title">警告</p></div>
<blockquote id="quote">引</blockquote>
<figure><img id="figure-img" src="a.png" alt=""/><figcaption>图</figcaption></figure>
<div><img id="block-img" class="block" src="b.png" alt=""/></div>
</body></html>"""


def test_vertical_boxes_have_their_rule_where_lines_start_and_space_between():
    """In vertical-rl the lines start at the top: base.css's left rule stood at the boxes'
    end, and their margins above and below ran along the lines, so boxes touched."""
    assert _declared("note", "border-top", VERTICAL, BOXES) == "0.3em solid #999999"
    assert _declared("note", "border-left", VERTICAL, BOXES) == "1px solid #999999"
    assert _declared("note", "margin", VERTICAL, BOXES) == "0 1em"
    assert _declared("warning", "border-top", VERTICAL, BOXES) == "0.3em solid"
    assert _declared("warning", "border-left", VERTICAL, BOXES) == "1px solid #999999"
    assert _declared("quote", "border-top", VERTICAL, BOXES) == "0.2em solid #999999"
    assert _declared("quote", "border-left", VERTICAL, BOXES) == "none"
    # the horizontal book keeps its rule on the left
    assert _declared("note", "border-left", VERTICAL[:2], BOXES) == "0.3em solid #999999"


def test_vertical_pictures_fit_the_column_with_room_for_a_caption():
    """At 800×600 a figure was 563 px in a 498 px column, its caption off the page: a
    picture's height runs along the vertical lines, so it is bounded by the screen's."""
    assert _declared("figure-img", "max-height", VERTICAL, BOXES) == "75vh"
    assert _declared("block-img", "max-height", VERTICAL, BOXES) == "90vh"
    assert _declared("figure-img", "max-height", VERTICAL[:2], BOXES) == "85vh"


def test_pictures_no_taller_than_the_screen_in_a_horizontal_book():
    """A 600×1400 photo stood 800 px tall on a 360×740 phone, its foot cut at the page's
    end; a figure keeps room for its caption."""
    horizontal = VERTICAL[:2]
    assert _declared("block-img", "max-height", horizontal, BOXES) == "95vh"
    assert _declared("figure-img", "max-height", horizontal, BOXES) == "85vh"
    assert _declared("figure-img", "object-fit", horizontal, BOXES) == "contain"


def test_a_drawing_on_a_transparent_ground_keeps_a_white_ground_in_night_mode():
    """A black logo on a transparent PNG vanished on a night-mode black page; a JPEG photo,
    opaque anyway, gets no frame of white."""
    doc = (
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-CN"><body>'
        '<img id="png" src="../images/a.png" alt=""/><img id="gif" src="../images/b.gif" alt=""/>'
        '<img id="svg" src="../images/c.svg" alt=""/><img id="jpg" src="../images/d.jpg" alt=""/>'
        "</body></html>"
    )
    for kind in ("png", "gif", "svg"):
        assert _declared(kind, "background-color", EPUB_CSS, doc) == "#ffffff", kind
    assert _declared("jpg", "background-color", EPUB_CSS, doc) is None


def test_night_mode_keeps_warnings_marked_lines_and_file_names_visible():
    """On a night-mode black page a warning's #333333 rule vanished (it looked milder than a
    tip), night mode's light text sat unreadable on a marked line's light band, and a code
    block's #555 file name all but vanished."""
    doc = (
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-CN"><body>'
        '<div class="callout callout-warning" id="warning"><p>警告</p></div>'
        '<div class="highlight"><span class="filename" id="name">app.js</span>'
        '<pre><code><span class="hll" id="marked">x = 1</span></code></pre></div>'
        "</body></html>"
    )
    sheets = (LAYOUT / "base.css", LAYOUT / "code.css", EPUB_CSS)
    # the shorthand, later than base.css's border-left-color, resets it to the text's colour
    assert _declared("warning", "border-left", sheets, doc) == "0.3em solid"
    assert _declared("marked", "background-color", sheets, doc) == "#fce8a0"
    assert _declared("marked", "color", sheets, doc) == "#000000"
    assert _declared("name", "color", sheets, doc) == "#767676"


def test_a_vertical_books_code_block_is_horizontal_with_its_file_name():
    """The file name stood on its side above horizontal code, and the block's rule ran down
    the page's full height beside a few lines."""
    doc = (
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-CN"><body>'
        '<div class="highlight" id="block"><span class="filename">app.js</span>'
        "<pre><code>x = 1</code></pre></div></body></html>"
    )
    assert _declared("block", "writing-mode", VERTICAL, doc) == "horizontal-tb"
    assert _declared("block", "-webkit-writing-mode", VERTICAL, doc) == "horizontal-tb"


def test_the_cover_page_is_the_screens_height_so_the_cover_fits_it_whole():
    """With no height to fill, the drawing took the screen's width at the cover's
    proportions: a 1024×768 screen showed the cover's top half."""
    doc = (
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-CN" class="cover" id="page">'
        '<body class="cover" id="body"><div class="cover-image" id="frame"/></body></html>'
    )
    for element in ("page", "body", "frame"):
        assert _declared(element, "height", EPUB_CSS, doc) == "100%", element
    article = doc.replace('class="cover" id="page"', 'id="page"').replace(
        '"cover" id="body"', '"article" id="body"'
    )
    assert _declared("page", "height", EPUB_CSS, article) is None
    assert _declared("body", "height", EPUB_CSS, article) is None


def _luminance(colour: str) -> float:
    hexes = colour.lstrip("#")
    hexes = "".join(c * 2 for c in hexes) if len(hexes) == 3 else hexes
    channels = [int(hexes[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_code_token_reads_on_a_night_mode_page():
    """Keywords, the commonest token, stood at 3:1 on a night-mode black: each token class
    code.css colours is at least 4:1 there, as the EPUB shows it (whitespace and the marked
    lines' band aside)."""
    classes = set()
    for sheet in (LAYOUT / "code.css", EPUB_CSS):
        classes |= {c for c in re.findall(r"\.highlight \.([a-z0-9]+)", sheet.read_text())}
    tokens = "".join(f'<span class="{c}" id="t-{c}">x</span>' for c in sorted(classes - {"w"}))
    doc = (
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-CN"><body><div class="highlight">'
        f"<pre><code>{tokens}</code></pre></div></body></html>"
    )
    sheets = (LAYOUT / "code.css", EPUB_CSS)
    for c in sorted(classes - {"w"}):
        colour = _declared(f"t-{c}", "color", sheets, doc)
        ground = _declared(f"t-{c}", "background-color", sheets, doc)
        if ground not in (None, "transparent"):  # a marked line: dark text on its own band
            continue
        if colour and colour.startswith("#"):
            assert _contrast(colour, "#121212") >= 4.0, (c, colour)


def test_english_apostrophes_and_quotes_are_not_full_width():
    """The CJK faces draw ’ “ ” full-width, as Chinese wants them: an English article read
    `didn’ t` and `“ why ”`. English text takes the proportional forms; code keeps its
    fixed widths, Chinese text its full-width marks."""
    doc = (
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="en" id="en-doc"><body>'
        '<p>I didn’t know <code id="code">it’s</code>.</p>'
        '<section lang="zh-CN"><p id="zh-p">他说“好”，<span class="latin" lang="en" id="phrase">'
        "don’t panic</span>。</p></section></body></html>"
    )
    assert _declared("en-doc", "font-variant-east-asian", EPUB_CSS, doc) == "proportional-width"
    assert _declared("phrase", "font-variant-east-asian", EPUB_CSS, doc) == "proportional-width"
    assert _declared("code", "font-variant-east-asian", EPUB_CSS, doc) == "normal"
    zh = '<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-CN" id="zh-doc"><body/></html>'
    assert _declared("zh-doc", "font-variant-east-asian", EPUB_CSS, zh) is None
