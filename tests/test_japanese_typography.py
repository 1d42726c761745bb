"""Japanese text set as a Japanese reader expects: 傍点 over the line, not the Chinese 着重号;
furigana written in plain text as ruby, its base on the line."""

from __future__ import annotations

from pathlib import Path

import cssselect2
import pytest
import tinycss2
from lxml import etree
from render_util import NS, article, context, parse

from bookmaker import markdown

LAYOUT = Path(__file__).resolve().parent.parent / "layouts" / "default"
PAGE = (
    '<html xmlns="http://www.w3.org/1999/xhtml" lang="{lang}"><body><p>'
    '<em class="dots"><span class="ed">重</span><span class="ed">要</span></em></p></body></html>'
)


def cascaded(css_files: tuple[str, ...], lang: str, prop: str) -> str:
    """The value of `prop` on the emphasis in a `lang` page, as the cascade gives it (the
    EPUB's reading system has no other source of it)."""
    matcher = cssselect2.Matcher()
    for name in css_files:
        css = (LAYOUT / name).read_text(encoding="utf-8")
        for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
            if rule.type != "qualified-rule":
                continue
            decls = tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True)
            values = {d.lower_name: tinycss2.serialize(d.value).strip() for d in decls
                      if d.type == "declaration"}  # fmt: skip
            for selector in cssselect2.compile_selector_list(rule.prelude):
                matcher.add_selector(selector, values)
    root = cssselect2.ElementWrapper.from_xml_root(etree.fromstring(PAGE.format(lang=lang)))
    em = next(root.query_all("em"))
    # the winner: the most specific, then the last written (the matcher counts in order)
    found = [(spec, order, values[prop]) for spec, order, _, values in matcher.match(em)
             if prop in values]  # fmt: skip
    return max(found)[2]


@pytest.mark.parametrize("prop", ["text-emphasis-position", "-webkit-text-emphasis-position"])
def test_japanese_emphasis_dots_are_over_the_line_in_the_epub(prop):
    assert cascaded(("base.css",), "ja", prop) == "over right"
    assert cascaded(("base.css",), "zh-CN", prop) == "under right"
    # vertical: to the right of the column, as before
    assert cascaded(("base.css", "vertical.css"), "ja", prop) == "over right"


def test_japanese_emphasis_marks_are_sesame_dots_in_the_epub():
    assert cascaded(("base.css",), "ja", "-webkit-text-emphasis-style") == "filled sesame"
    assert cascaded(("base.css",), "zh-CN", "-webkit-text-emphasis") == "filled dot"


def test_japanese_emphasis_dots_are_drawn_over_the_characters_in_the_pdf():
    weasyprint = pytest.importorskip("weasyprint")
    sheets = [weasyprint.CSS(filename=str(LAYOUT / n)) for n in ("base.css",
              "typography-print.css")]  # fmt: skip

    def dot_room(lang: str) -> tuple[float, float]:
        html = PAGE.format(lang=lang)
        page = weasyprint.HTML(string=html).render(stylesheets=sheets).pages[0]
        span = next(b for b in _boxes(page._page_box) if b.element_tag == "span")
        return span.padding_top, span.padding_bottom

    top, bottom = dot_room("ja")
    assert top > 0 and bottom == 0  # the dot is drawn in the room above the character
    top, bottom = dot_room("zh-CN")
    assert top == 0 and bottom > 0


def _boxes(box):
    yield box
    for child in getattr(box, "children", []):
        yield from _boxes(child)


def rubies(body: str, language: str = "ja") -> tuple[list[tuple[str, str]], str]:
    """Each ruby of the rendered article as (base, reading), and the article's text."""
    a = article(body)
    root = parse(markdown.render(a, context((a,), language=language)).xhtml)
    found = [
        (r.text, "".join(r.find("h:rt", NS).itertext())) for r in root.iterfind(".//h:ruby", NS)
    ]
    return found, "".join(t for t in root.itertext())


def test_japanese_ruby_notations_are_ruby():
    found, shown = rubies(
        "｜憂鬱《ゆううつ》な日。薔薇《ばら》の花。{紫陽花|あじさい}と{漢字|かん|じ}。\n\n"
        "| 表 | 説明 |\n|---|---|\n| 林檎《りんご》 | 果物 |\n\n`｜コード《こーど》`"
    )
    assert found == [
        ("憂鬱", "ゆううつ"), ("薔薇", "ばら"), ("紫陽花", "あじさい"), ("漢", "かん"),
        ("字", "じ"), ("林檎", "りんご"),
    ]  # fmt: skip
    # a reader without ruby shows the reading in brackets; code is left as typed
    assert "憂鬱（ゆううつ）な日" in shown and "｜コード《こーど》" in shown
    assert "｜" not in shown.replace("｜コード", "")


def test_what_is_no_ruby_notation_stays_as_written():
    # 《》 around other text than a reading after kanji; Chinese: book titles, a separator
    _, shown = rubies("雑誌《週刊少年ジャンプ》と《ONE PIECE》。")
    assert "雑誌《週刊少年ジャンプ》と《ONE PIECE》" in shown
    found, shown = rubies("书单｜推荐《三体》。读了《红楼梦》。", language="zh-CN")
    assert not found and "书单｜推荐《三体》。读了《红楼梦》。" in shown


def test_a_ruby_base_stands_on_the_line_in_the_pdf():
    weasyprint = pytest.importorskip("weasyprint")
    from weasyprint.formatting_structure import boxes

    sheets = [weasyprint.CSS(filename=str(LAYOUT / n)) for n in ("base.css",
              "typography-print.css")]  # fmt: skip
    html = '<html lang="ja"><body><p>の花<ruby>薔薇<rt>ばら</rt></ruby>が咲いた</p></body></html>'
    page = weasyprint.HTML(string=html).render(stylesheets=sheets).pages[0]
    texts = {b.text: b for b in _boxes(page._page_box) if isinstance(b, boxes.TextBox)}
    baseline = {t: round(b.position_y + b.baseline, 1) for t, b in texts.items()}
    assert baseline["薔薇"] == baseline["の花"] == baseline["が咲いた"]
    assert texts["ばら"].position_y < texts["薔薇"].position_y  # the reading over its base


def test_a_code_blocks_file_name_is_never_alone_at_the_foot_of_a_page():
    # Zenn and Qiita name the file over most code blocks (```ruby:app.rb)
    weasyprint = pytest.importorskip("weasyprint")
    from weasyprint.formatting_structure import boxes

    sheets = [weasyprint.CSS(filename=str(LAYOUT / n)) for n in ("code.css", "print.css")]
    sheets.append(weasyprint.CSS(string="@page { size: 60mm 40mm; margin: 0 }"))
    for spacer in range(60, 150, 4):  # (every place the foot of the page may fall)
        html = (
            f'<html lang="ja"><body><div class="article"><div style="height: {spacer}px"></div>'
            '<div class="highlight"><span class="filename">app.rb</span>'
            '<pre><code>puts "こんにちは"</code></pre></div></div></body></html>'
        )
        pages = weasyprint.HTML(string=html).render(stylesheets=sheets).pages
        where = {
            b.text: n
            for n, page in enumerate(pages)
            for b in _boxes(page._page_box)
            if isinstance(b, boxes.TextBox)
        }
        assert where["app.rb"] == where['puts "こんにちは"'], spacer
