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
    justify.install()
    body = "".join(
        typography.apply(f"<p>{p}</p>", "zh-CN", TypographyConfig())[0] for p in paragraphs
    )
    html = weasyprint.HTML(string=f'<html lang="zh-CN"><body>{body}</body></html>')
    sheets = [weasyprint.CSS(string=PAGE)] + [
        weasyprint.CSS(filename=str(LAYOUT / n)) for n in ("base.css", "typography-print.css")
    ]
    return html.render(stylesheets=sheets)


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
    """[(right edge of the column, [(visible text, right edge of the line), …]), …]."""
    from weasyprint.formatting_structure import boxes

    out = []

    def walk(box):
        if isinstance(box, boxes.BlockBox) and box.element_tag == "p":
            rows = []
            for line in _lines(box):
                texts = [t for t in _texts(line) if t.text]
                visible = "".join(t.text for t in texts).replace("\u2060", "")
                rows.append((visible.strip(), max(t.position_x + t.width for t in texts)))
            out.append((box.content_box_x() + box.width, rows))
            return
        for child in getattr(box, "children", []):
            walk(child)

    walk(document.pages[0]._page_box)
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
