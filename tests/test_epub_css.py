"""What the EPUB's and the print stylesheets do to particular elements (matched with
cssselect2, the selector engine WeasyPrint uses, so `:lang()` follows the lang attributes)."""

from __future__ import annotations

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


def _declared(element_id: str, prop: str, css: Path = EPUB_CSS) -> str | None:
    """The last value `prop` gets from `css` for the `code` inside #element_id."""
    matcher = cssselect2.Matcher()
    sheet = tinycss2.parse_stylesheet(css.read_text(), skip_whitespace=True, skip_comments=True)
    for rule in sheet:
        if rule.type != "qualified-rule":
            continue
        decls = tinycss2.parse_declaration_list(rule.content, skip_whitespace=True)
        found = {
            d.name: tinycss2.serialize(d.value).strip() for d in decls if d.type == "declaration"
        }
        for selector in cssselect2.compile_selector_list(rule.prelude):
            matcher.add_selector(selector, found)
    root = etree.fromstring(XHTML)
    wrapper = cssselect2.ElementWrapper.from_xml_root(root)
    value = None
    for element in wrapper.iter_subtree():
        if element.local_name == "code" and element.parent.id == element_id:
            for match in sorted(matcher.match(element), key=lambda m: (m[0], m[1])):
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
