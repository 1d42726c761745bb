"""Printed code blocks: a wrapped highlighted line keeps its indent on its first line."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from pdf_util import make_article, make_book, text_of

from bookmaker import pdf, pdfcode
from bookmaker.config import Config, PdfConfig
from bookmaker.layouts import load_layout
from bookmaker.xhtml import parse_fragment, serialize_fragment

WJ = pdfcode.WORD_JOINER
# Pygments' Go lexer: the indent in a token of its own, the string in another
LINE = (
    '<span class="w">    </span><span class="nx">fmt</span><span class="p">.</span>'
    '<span class="nx">Println</span><span class="p">(</span><span class="s">"第 {0} 行：'
    '排版测试 line number {0} with a fairly long string that will need to wrap somewhere"'
    '</span><span class="p">)</span>\n'
)


def _joined(xhtml: str) -> str:
    root = parse_fragment(xhtml)
    pdfcode.join_indents(root)
    return serialize_fragment(root)


def test_a_joiner_follows_each_indent_in_text_or_in_tokens():
    out = _joined("<pre><code>if x:\n    y()\n\tz()\n\nw</code></pre><p>  a</p>")
    assert f"if x:\n    {WJ}y()\n\t{WJ}z()\n\nw" in out
    assert "<p>  a</p>" in out  # only code
    out = _joined('<pre><code><span class="w">  </span><span class="n">a</span>\n</code></pre>')
    assert f'<span class="w">  </span><span class="n">{WJ}a</span>' in out


def test_an_unindented_or_blank_line_is_left_alone():
    out = _joined("<pre>a\n   \nb <i>c</i>\n</pre>")
    assert WJ not in out


def test_a_wrapped_highlighted_line_keeps_its_indent(tmp_path):
    code = "".join(LINE.format(i) for i in range(8, 16))
    xhtml = f'<div class="highlight"><pre><code>{code}</code></pre></div>'
    book = make_book([("一章", [make_article("code", "代码", xhtml)])])
    config = Config(base=tmp_path, pdf=PdfConfig(chunk_pages=0))
    written = pdf.write(book, config, load_layout(tmp_path), tmp_path / "c.pdf")
    path = written.paths[0]
    lines = [x.x0 for x in _lines(path) if x.text.startswith("fmt.Println")]
    wrapped = [x.x0 for x in _lines(path) if x.text.startswith("long") or x.text.startswith("10")]
    assert len(lines) == 8, "a line lost its indent or was cut before fmt"
    assert wrapped and min(lines) > max(wrapped) + 5  # indented, as the source is
    assert WJ not in text_of(path)  # copied code is the code


class _Line:
    def __init__(self, text: str, x0: float) -> None:
        self.text, self.x0 = text, x0


def _lines(path: Path) -> list[_Line]:
    html = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    out = []
    for m in re.finditer(r'<line xMin="([\d.]+)"[^>]*>(.*?)</line>', html, re.S):
        words = re.findall(r">([^<]+)</word>", m[2])
        out.append(_Line(" ".join(words), float(m[1])))
    return out
