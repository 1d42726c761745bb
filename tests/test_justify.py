"""PDF justification (justify.py) and CJK line rules, checked on WeasyPrint's line boxes."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

weasyprint = pytest.importorskip("weasyprint")

from bookmaker import justify, typography  # noqa: E402
from bookmaker.config import TypographyConfig  # noqa: E402

LAYOUT = Path(__file__).resolve().parent.parent / "layouts" / "default"
PAGE = "@page { size: A5; margin: 18mm 16mm } body { font-size: 10.5pt; margin: 0 }"
# Real-looking mixed prose (written for these tests), long enough for many full lines.
PROSE = (
    '10月23日上午,一位研究员在推特上发文说:"我和团队都受到了影响"。这条消息...很快传开了'
    "--不到一小时,评论区就变成了招聘会。他在Meta工作了十年,主导过围棋AI项目,现任FAIR研究"
    "科学家总监(Research Scientist Director)。罗兰・巴特说过'作者已死',好～的。"
    "结果不到一小时,OpenAI、xAI 等公司的人都在评论区喊话:“快来加入我们!”这次重组裁减了约"
    "600名员工,比例约为3.14%。《书名》(注释)“引号”「括号」【方括号】,继续写下去就好。"
)
PURE = "纯中文的段落没有拉丁字母，" * 6 + "每一行都两端对齐，字距只加一点点，"
PURE += "复制出来的文字不应夹带空格。"
NO_START = set("，。、；：？！）」』】》…·～")
NO_END = set("（「『【《“‘")
HAN = re.compile(r"[\u4e00-\u9fff]")


def _render(paragraphs: list[str]):
    return _render_html(
        "".join(typography.apply(f"<p>{p}</p>", "zh-CN", TypographyConfig())[0] for p in paragraphs)
    )


def _render_html(body: str, names=("base.css", "typography-print.css"), house: str = ""):
    """Like the book: the style sheets' @font-face rules loaded ("bookmaker Latin", the Latin
    italics), which WeasyPrint skips without a font configuration."""
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    justify.install()
    html = weasyprint.HTML(string=f'<html lang="zh-CN"><body class="{house}">{body}</body></html>')
    sheets = [weasyprint.CSS(string=PAGE, font_config=fonts)]
    sheets += [weasyprint.CSS(filename=str(LAYOUT / n), font_config=fonts) for n in names]
    return html.render(stylesheets=sheets, font_config=fonts)


def _lines(box):
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.LineBox):
        yield box
        return
    for child in getattr(box, "children", []):
        yield from _lines(child)


def _texts(box):
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box
        return
    for child in getattr(box, "children", []):
        yield from _texts(child)


def _paragraphs(document):
    """[(right edge of the column, [(visible text, right edge of the line), …]), …]; a
    line's right edge as drawn (its text boxes' Pango layouts), not as the boxes say."""
    out = []
    for box in _blocks(document):
        rows = []
        for line in _lines(box):
            texts = [t for t in _texts(line) if t.text]
            visible = "".join(t.text for t in texts).replace("\u2060", "")
            rows.append((visible.strip(), max(t.position_x + _drawn_width(t) for t in texts)))
        out.append((box.content_box_x() + box.width, rows))
    return out


@pytest.fixture(scope="module")
def document():
    return _render([PROSE, PROSE[40:] + PROSE[:40], "短段落，只有几个字就结束了。", PURE])


@pytest.fixture(scope="module")
def paragraphs(document):
    return _paragraphs(document)


def test_install_is_idempotent_and_pinned():
    assert justify.install() is True
    assert justify.install() is True
    assert weasyprint.__version__ == justify.SUPPORTED


def test_full_lines_end_at_the_right_margin(paragraphs):
    checked = 0
    for right, rows in paragraphs:
        for _text, end in rows[:-1]:
            assert abs(right - end) * 0.75 < 0.5  # CSS px → pt
            checked += 1
    assert checked >= 10


def test_last_lines_are_not_stretched(paragraphs):
    for right, rows in paragraphs:
        assert right - rows[-1][1] > 5


def test_no_line_starts_or_ends_with_forbidden_punctuation(paragraphs):
    for _right, rows in paragraphs:
        for text, _end in rows:
            assert text[0] not in NO_START, text
            assert text[-1] not in NO_END, text


def test_last_line_never_holds_a_single_han(paragraphs):
    for _right, rows in paragraphs:
        assert len(HAN.findall(rows[-1][0])) >= 2, rows[-1][0]


def test_latin_word_spaces_are_not_stretched_on_cjk_lines(document):
    for line in _lines(document.pages[0]._page_box):
        texts = [t for t in _texts(line) if t.text]
        if HAN.search("".join(t.text for t in texts)):
            assert all(t.justification_spacing == 0 for t in texts)


def test_two_em_dash_is_two_em_wide():
    justify.install()
    html = weasyprint.HTML(
        string='<html lang="zh-CN"><body><p style="text-indent:0;text-align:left">'
        '字<span class="dash">——</span>字</p></body></html>'
    )
    sheets = [weasyprint.CSS(filename=str(LAYOUT / "base.css"))]
    sheets.append(weasyprint.CSS(string="body { font-size: 20px }"))
    doc = html.render(stylesheets=sheets)
    dash = next(t for t in _texts(doc.pages[0]._page_box) if t.text == "——")
    assert dash.width == pytest.approx(40, abs=0.5)


def test_copied_text_has_no_inserted_spaces(document, tmp_path):
    pdf = tmp_path / "j.pdf"
    document.write_pdf(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "这条消息……很快传开了——不到一小时" in flat
    # Lines of Chinese get less than 0.1 em between characters, below the gap at which
    # text extraction guesses a word space: the copied paragraph reads as written.
    start = text.index("纯中文")
    assert " " not in text[start : text.index("夹带空格")]


# -- loose lines, line edges, compression ------------------------------------------------

# Mixed prose in which a long Latin word is pushed to the next line: the line before it
# has much slack, more than 0.1 em per gap between characters.
LOOSE = [
    "我在 Go 和 Rust 里都试过这个办法，结果在 Python 里又遇到了 ModuleNotFoundError 这个错误。",
    "这几天用 Go 和 Rust 各写了一遍，后来才发现 ModuleNotFoundError 是路径的问题。",
    "他说用 Vim 或 Emacs 都可以，我最后选了 VisualStudioCode 这个编辑器，一直用到现在。",
]
HAN_GAP = re.compile(r"[\u4e00-\u9fff，。][ \u2005][\u4e00-\u9fff，。]")


def test_share_keeps_gaps_between_characters_below_a_tenth_of_an_em():
    sizes, soft = [10.0] * 6, [False, False, False, False, True, True]
    even = justify.share(3.0, sizes, soft)  # 0.05 em each: spread evenly
    assert even == pytest.approx([0.5] * 6)
    loose = justify.share(8.0, sizes, soft)  # 0.13 em each would be read as spaces
    assert loose[:4] == pytest.approx([justify.CAP * 10] * 4)
    assert sum(loose) == pytest.approx(8.0) and loose[4] == loose[5] > 2
    very = justify.share(30.0, sizes, soft)  # a gap beside a space grows only so far
    assert very[4] == pytest.approx(justify.SOFT_MAX * 10) and sum(very) == pytest.approx(30)
    tight_only = justify.share(12.0, sizes, [False] * 6)  # no space to take the rest
    assert tight_only == pytest.approx([2.0] * 6)


def test_loose_lines_are_flush_and_copy_without_spaces_between_han(tmp_path):
    document = _render(LOOSE)
    for right, rows in _paragraphs(document):
        for _text, end in rows[:-1]:
            assert abs(right - end) * 0.75 < 0.5
    pdf = tmp_path / "loose.pdf"
    document.write_pdf(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "ModuleNot" in text and not HAN_GAP.search(text), text


def test_quarter_space_never_shows_at_a_line_edge():
    # Han runs of every length before a Latin word: some line ends right at the boundary.
    document = _render([f"{'汉' * n}排版 Typesetting 与 1234567 之间" * 3 for n in range(20, 32)])
    at_boundary = 0
    for right, rows in _paragraphs(document):
        for k, (text, end) in enumerate(rows):
            assert not text.startswith(("\u2005", " ")) and not text.endswith(("\u2005", " "))
            if k < len(rows) - 1:
                assert abs(right - end) * 0.75 < 0.5, text
                nxt = rows[k + 1][0]
                at_boundary += bool(HAN.match(text[-1]) and re.match("[A-Za-z0-9]", nxt))
    assert at_boundary >= 3


def _line_widths(html: str, size: int = 20) -> dict[str, float]:
    justify.install()
    doc = weasyprint.HTML(string=f'<html lang="zh-CN"><body>{html}</body></html>').render(
        stylesheets=[
            weasyprint.CSS(filename=str(LAYOUT / "base.css")),
            weasyprint.CSS(string=f"body {{ font-size: {size}px }} p {{ text-indent: 0 }}"),
        ]
    )
    out = {}
    for line in _lines(doc.pages[0]._page_box):
        texts = [t for t in _texts(line) if t.text]
        key = "".join(t.text for t in texts)
        out[key] = max(t.position_x + t.width for t in texts) - texts[0].position_x
    return out


@pytest.mark.parametrize("pair", ["。」", "，“", "）（", "」。", "、「"])
def test_two_adjacent_marks_take_one_and_a_half_em(pair):
    source, _ = typography.apply(f"<p>字{pair}字</p>", "zh-CN", TypographyConfig())
    assert 'class="pc"' in source
    widths = _line_widths(source.replace("<p>", '<p style="text-align:left">'))
    ((text, width),) = widths.items()
    assert text.replace("\u2060", "") == f"字{pair}字"
    assert width == pytest.approx(3.5 * 20, abs=0.5)  # 字 + 1.5 em + 字


def test_traditional_chinese_marks_are_not_compressed():
    source, _ = typography.apply("<p>字。」字</p>", "zh-TW", TypographyConfig())
    html = source.replace("<p>", '<p lang="zh-TW" style="text-align:left">')
    ((_text, width),) = _line_widths(html).items()
    assert width == pytest.approx(4 * 20, abs=0.5)


# -- line breaks: no near-empty justified lines, Latin names hyphenated where they meet ----

# From a real article: a compression span, a quotation mark (no break on either side of
# it for Pango) and a quarter-em space before a Latin word, which used to end the first
# line after two characters, the rest of the line spread across the whole width.
SHORT_LINE = '问题是，"尽可能贴近"是什么意思？最常用的定义是均方误差 MSE：'


def _short_lines(paragraphs) -> list[str]:
    """Lines other than a paragraph's last holding under a third of its fullest line."""
    out = []
    for _right, rows in paragraphs:
        full = max(len(text) for text, _end in rows)
        out += [text for text, _end in rows[:-1] if len(text) < full / 3]
    return out


def test_no_justified_line_holds_only_a_few_characters():
    # Column widths a quarter em apart, so that in some the first line ends at the space.
    source = typography.apply(f"<p>{SHORT_LINE}</p>", "zh-CN", TypographyConfig())[0]
    assert 'class="pc"' in source and "\u2005" in source
    columns = "".join(f'<div style="width: {20 + q / 4}em">{source}</div>' for q in range(0, 48))
    document = _render_html(columns)
    paragraphs = _paragraphs(document)
    assert len(paragraphs) == 48
    assert _short_lines(paragraphs) == []
    for right, rows in paragraphs:
        assert len(rows) == 2
        assert abs(right - rows[0][1]) * 0.75 < 0.5


HYPHENATED = re.compile(r"([A-Za-z]+)-$")


def test_latin_names_hyphenate_where_their_parts_meet():
    from bookmaker.hyphenation import camel_points

    assert camel_points("WeasyPrint") == [5]
    assert camel_points("ModuleNotFoundError") == [6, 9, 14]
    assert camel_points("HTMLParser") == [4] and camel_points("HTTPS") == []
    prose = "其中夹杂着 Python 与 WeasyPrint 和 ModuleNotFoundError 这样的名字，"
    prose += "还有 typesetting 一词。"
    source = typography.apply(f"<p>{prose}</p>", "zh-CN", TypographyConfig())[0]
    columns = "".join(f'<div style="width: {8 + q / 4}em">{source}</div>' for q in range(0, 40))
    pieces = set()
    for right, rows in _paragraphs(_render_html(columns)):
        for text, end in rows[:-1]:
            if m := HYPHENATED.search(text):
                pieces.add(m.group(1))
            if HAN.search(text):  # a line of one Latin word has no gap to widen
                assert abs(right - end) * 0.75 < 0.5, text
    assert {"Weasy", "Module", "ModuleNot"} <= pieces
    assert pieces <= {"Weasy", "Module", "ModuleNot", "ModuleNotFound", "type", "typeset"}


QUOTED = '她想在加载页面的时候放一个"有点可爱"的小动画。她说不要，"GIF 太糊了"。'


def _print_source(prose: str) -> str:
    root = typography.parse(typography.apply(f"<p>{prose}</p>", "zh-CN", TypographyConfig())[0])
    typography.quote_breaks(root)
    return typography.serialize(root)


def test_break_opportunities_beside_curly_quotes_only_in_print():
    epub = typography.apply(f"<p>{QUOTED}</p>", "zh-CN", TypographyConfig())[0]
    assert "\u200b" not in epub
    source = _print_source(QUOTED)
    assert source.count("\u200b") == 3  # 个|“  ”|的  ，|“ (not before “GIF: a quote's inside)
    again = typography.parse(source)
    typography.quote_breaks(again)
    assert typography.serialize(again) == source
    code = typography.parse("<p>字<code>a“b”c</code>“字”字</p><pre>字“字”字</pre>")
    typography.quote_breaks(code)
    expected = "<p>字<code>a“b”c</code>“字”\u200b字</p><pre>字“字”字</pre>"  # c“: Latin
    assert typography.serialize(code) == expected


def test_lines_break_before_an_opening_quote_and_copy_clean(tmp_path):
    source = _print_source(QUOTED)
    columns = "".join(f'<div style="width: {10 + q / 2}em">{source}</div>' for q in range(0, 24))
    document = _render_html(columns)
    starts = [text[0] for _right, rows in _paragraphs(document) for text, _end in rows[1:]]
    assert "“" in starts  # a line may begin with the quote instead of leaving 个 behind
    pdf = tmp_path / "q.pdf"
    document.write_pdf(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "\u200b" not in text and "“有点可爱”" in re.sub(r"\s+", "", text)


CODE_ITEMS = (
    '<ul><li>一个自己写的 HTML 模板函数，在字符串里拼 <code>&lt;div class="card"&gt;</code>，'
    "升级后行为没变，但我顺手换成了 Jinja2</li>"
    "<li>用 <code>pip-tools</code> 或者类似的工具锁定依赖，"
    "而不是手写 <code>requirements.txt</code>，"
    "这样每次构建都一样。</li></ul>"
)


def _slack(body: str, sheets, house: str = "") -> list[tuple[str, float]]:
    """(text, slack in em) of every justified line, as WeasyPrint hands it to justify."""
    from weasyprint.layout import inline

    seen = []
    justify.install()  # first: the spy must wrap (and later restore) the patched function
    justify_line = inline.justify_line

    def spy(context, line, extra):
        texts = [t for t in _texts(line) if t.text]
        seen.append(("".join(t.text for t in texts), extra / texts[0].style["font_size"]))
        justify_line(context, line, extra)

    justify.install()
    inline.justify_line = spy
    try:
        _render_html(body, sheets, house)
    finally:
        inline.justify_line = justify_line
    return seen


def test_inline_code_breaks_instead_of_leaving_a_loose_line():
    source = typography.apply(CODE_ITEMS, "zh-CN", TypographyConfig())[0]
    columns = "".join(f'<div style="width: {20 + q / 4}em">{source}</div>' for q in range(48))
    # With the print book's own style sheets: code in its monospaced face, at its size.
    sheets = ("base.css", "code.css", "typography-print.css", "print.css")
    lines = _slack(f'<div class="article">{columns}</div>', sheets)
    assert len(lines) > 100
    # More slack than 0.09 em for each of a line's ~25 gaps: copied text would read spaces.
    # (Only the lines that end where a code span starts: this is about code.)
    before_code = [(t, em) for t, em in lines if "里拼" in t[-8:] or "手写" in t[-8:]]
    assert len(before_code) > 20
    loose = [(text, round(em, 2)) for text, em in before_code if em > 2.5]
    assert loose == []


# -- squeezing loose lines, trimming punctuation at line edges ----------------------------

# Paragraphs whose last characters cannot come alone (orphan rule, marks that may not
# start a line): without squeezing, the line before them often keeps 2-3 em of slack.
ENDINGS = [
    "老师听完这些话，笑着说：“你们做程序的人什么都能联想到代码。”",
    "前几年参加过两次线上的分享，讲的都是“怎么读别人写的老代码”。",
    "这些文字如果放在某个在线平台上，大概早就随着平台一起消失了。",
]


def _char_width(box, index: int) -> float:
    """Advance of box.text[index] as drawn: with the marks the line set half-width, without
    the justification's letter-spacing."""
    from weasyprint.text import line_break

    def width(n: int) -> float:
        layout = line_break.create_layout(box.text[:n], box.style, None, None, 0)
        layout.bookmaker_halt = justify._halts_of(box)
        layout.set_text(box.text[:n])
        return line_break.line_size(layout.get_first_line()[0], box.style)[0]

    return width(index + 1) - width(index)


def _edges(document):
    """(line is its paragraph's first, first text box, last text box, line, paragraph right)."""
    out = []
    for box in _blocks(document):
        right = box.content_box_x() + box.width
        rows = list(_lines(box))
        for k, line in enumerate(rows):
            texts = [t for t in _texts(line) if t.text.strip(" \u200b\u2060")]
            out.append((k == 0, k == len(rows) - 1, texts[0], texts[-1], right))
    return out


def _columns(prose: str, widths) -> str:
    source = _print_source(prose)
    return "".join(f'<div style="width: {w}em">{source}</div>' for w in widths)


def _loose(lines) -> list:
    # Slack per gap between characters: above 0.1 em text extraction reads spaces.
    return [(t, round(em, 2)) for t, em in lines if em / max(1, len(t) - 1) > 0.1]


def test_loose_lines_squeeze_their_punctuation_instead_of_spreading(monkeypatch):
    widths = [12 + q / 4 for q in range(64)]
    body = "".join(_columns(p, widths) for p in ENDINGS)
    sheets = ("base.css", "typography-print.css")
    lines = _slack(body, sheets)
    with monkeypatch.context() as m:  # the same columns without squeezing
        m.setattr(justify, "_squeeze_if_loose", lambda split, result, *_: result)
        spread = _slack(body, sheets)
    assert len(lines) < len(spread)  # squeezed lines took the next line's characters
    # What stays loose has no mark left to squeeze, or too few (narrow columns).
    assert len(_loose(lines)) <= len(_loose(spread)) * 0.6, _loose(lines)
    document = _render_html(body)
    for right, rows in _paragraphs(document):
        for _text, end in rows[:-1]:
            assert abs(right - end) * 0.75 < 0.5
        assert len(HAN.findall(rows[-1][0])) >= 2 or len(rows) == 1
        for text, _end in rows:
            assert text[0] not in NO_START and text[-1] not in NO_END, text


def test_compression_off_keeps_loose_lines_full_width():
    # [typography] compression = false asks for full-width marks: the squeeze is compression
    # too, so the book lays out as if it did not exist (trim has its own switch).
    widths = [12 + q / 4 for q in range(64)]
    body = "".join(_columns(p, widths) for p in ENDINGS)
    sheets = ("base.css", "typography-print.css")
    kept = _slack(body, sheets, house="no-compression")
    squeezed = _slack(body, sheets)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(justify, "_squeeze_if_loose", lambda split, result, *_: result)
        spread = _slack(body, sheets, house="no-compression")
    assert len(squeezed) < len(kept)
    assert kept == spread


def _trimmed_lines(house: str):
    prose = "我们在这里写一些句子，看看行末的标点（还有行首的括号）“引号”怎么排，" * 5
    columns = _columns(prose + "完。", [20 + q / 3 for q in range(24)])
    document = _render_html(columns, house=house)
    ends, starts = [], []
    for first, last, head, tail, right in _edges(document):
        end = len(tail.text.rstrip(" \u200b\u2060")) - 1
        size = tail.style["font_size"]
        if (
            not last
            and tail.text[end] in "，。）”"
            and "halt" not in str(tail.style["font_feature_settings"])
        ):
            ends.append((_char_width(tail, end) / size, right - tail.position_x - tail.width))
        start = len(head.text) - len(head.text.lstrip(" \u200b\u2060"))
        if not first and head.text[start] in "（“":
            starts.append(_char_width(head, start) / size)
    return ends, starts


def test_trim_sets_line_end_marks_and_line_start_brackets_half_width():
    ends, starts = _trimmed_lines("")
    assert len(ends) > 10 and len(starts) > 3
    assert all(w == pytest.approx(0.5, abs=0.01) for w, _ in ends), ends
    assert all(abs(gap) * 0.75 < 0.5 for _, gap in ends)  # still flush with the margin
    assert all(w == pytest.approx(0.5, abs=0.01) for w in starts), starts


def test_no_trim_keeps_full_width_marks_at_line_edges():
    ends, starts = _trimmed_lines("no-trim")
    assert len(ends) > 10 and len(starts) > 3
    assert all(w == pytest.approx(1.0, abs=0.01) for w, _ in ends), ends
    assert all(w == pytest.approx(1.0, abs=0.01) for w in starts), starts


# -- Latin italics: the spaces are set in another face once they are spaced ----------------

# A Chinese gloss in English prose, its meanings in italics (written for these tests): lines
# with Han end inside the italics, hyphenated or not, and lines of italics alone.
ITALIC = (
    "<p><strong>巴适</strong> (bāshì) is the word here for <em>cosy, fitting, altogether "
    "fine and pleasantly unhurried</em>; <strong>将就</strong> is <em>making do, "
    "contentedly, with whatever happens to be available</em>, and <strong>折腾</strong> is "
    "<em>fussing with something interminably</em>, happily.</p>"
)


def _drawn_width(box) -> float:
    """Advance of a text box as draw_text sets it (its Pango layout, re-created with the
    justification), up to its last visible character: what the PDF shows, not box.width."""
    from weasyprint.text.ffi import FROM_UNITS, ffi

    layout = box.pango_layout
    layout.reactivate(box.style)
    try:
        end = len(layout.text.rstrip(" \u2005\u200b\u2060").encode())  # blank: no ink
        total, runs = 0, layout.get_first_line()[0].runs
        while runs != ffi.NULL:
            run = ffi.cast("PangoGlyphItem *", runs.data)
            glyphs = run.glyphs
            for k in range(glyphs.num_glyphs):
                if run.item.offset + glyphs.log_clusters[k] < end:
                    total += glyphs.glyphs[k].geometry.width
            runs = runs.next
        return total * FROM_UNITS
    finally:
        layout.deactivate()


@pytest.fixture(scope="module")
def italic_lines():
    """(text, holds Han, ends in italics with a space, pt short of the margin as drawn, pt
    short by the boxes) for every line but a paragraph's last."""
    columns = "".join(f'<div style="width: {10 + q / 4}em">{ITALIC}</div>' for q in range(48))
    out = []
    sheets = ("base.css", "typography-print.css", "print.css")
    for block in _blocks(_render_html(f'<div lang="en">{columns}</div>', sheets)):
        right = block.content_box_x() + block.width
        for line in list(_lines(block))[:-1]:
            texts = [t for t in _texts(line) if t.text]
            text, last = "".join(t.text for t in texts), texts[-1]
            drawn = max(t.position_x + _drawn_width(t) for t in texts)
            italic = last.style["font_style"] == "italic" and " " in last.text
            short = ((right - drawn) * 0.75, (right - last.position_x - last.width) * 0.75)
            out.append((text, bool(HAN.search(text)), italic, *short))
    return out


def test_cjk_lines_ending_in_latin_italics_end_at_the_margin(italic_lines):
    # Issue 4: a line of the sample book ending in italics ("… comfortable, pleas-") was
    # 0.65 pt short: the space in the italics, once letter-spaced, is a Pango run of its
    # own, set in the CJK face instead of the Latin one, 0.06 em narrower.
    lines = [line for line in italic_lines if line[1]]
    assert len(lines) > 100 and sum(italic for _, _, italic, _, _ in lines) > 10
    assert any(text.endswith("-") for text, _, italic, _, _ in lines if italic)
    for text, _han, _italic, drawn, by_boxes in lines:
        assert abs(drawn) < 0.5 and abs(by_boxes) < 0.5, text


def test_latin_lines_of_italics_are_drawn_to_the_margin(italic_lines):
    # WeasyPrint's own justification letter-spaces the spaces too: its boxes said flush
    # while the italics were drawn short by 0.65 pt a space.
    lines = [line for line in italic_lines if not line[1]]
    assert len(lines) > 50
    for text, _han, _italic, drawn, by_boxes in lines:
        assert abs(drawn) < 0.5 and abs(by_boxes) < 0.5, text


def _blocks(document) -> list:
    """The paragraphs of `document` (block boxes holding line boxes)."""
    from weasyprint.formatting_structure import boxes

    out = []

    def walk(box):
        if isinstance(box, boxes.BlockBox) and box.element_tag == "p":
            out.append(box)
            return
        for child in getattr(box, "children", []):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return out


# -- a long address written as text --------------------------------------------------------

ADDRESSES = (
    "这是第一期周刊。本杂志开源，欢迎投稿，投稿邮箱是 someone.longname@example-weekly.com，"
    "也可以在仓库提交问题。仓库地址是 https://github.com/example/weekly/blob/master/docs/a.md，"
    "欢迎提交改动。"
)


def test_a_long_address_in_text_breaks_instead_of_leaving_a_loose_line():
    """An e-mail address or a URL that is no link (a Jekyll post's) is unbreakable: the
    Chinese line before it was spread across the width (本 杂 志 开 源)."""
    source = typography.apply(f"<p>{ADDRESSES}</p>", "zh-CN", TypographyConfig())[0]
    columns = "".join(f'<div style="width: {18 + q / 2}em">{source}</div>' for q in range(16))
    lines = _slack(f'<div class="article">{columns}</div>', ("base.css", "typography-print.css"))
    assert len(lines) > 40
    loose = [(text, round(em, 2)) for text, em in lines if em > 2.5]
    assert loose == []
