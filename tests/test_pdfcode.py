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
    wrapped = [x.x0 for x in _lines(path) if re.match(r"(long|\d+ with|with) ", x.text)]
    assert len(lines) == 8, "a line lost its indent or was cut before fmt"
    assert max(lines) - min(lines) < 0.5, "a line lost its indent"
    # the wrapped part hangs two columns in from the line's code, not at the box's edge
    assert len(wrapped) == 8 and all(x > lines[0] + 5 for x in wrapped), (lines, wrapped)
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


def test_a_block_with_a_long_line_has_each_line_in_a_block_of_its_own():
    code = (
        '<pre><code class="language-go"><span class="linenos">1</span>a\n'
        '<span class="hll"><span class="linenos">2</span>    <span class="s">"x\ny"</span>\n'
        "</span>\n" + "z" * 200 + "\n</code></pre>"
    )
    root = parse_fragment(code)
    pdfcode.hang_long_lines(root, 114, 10.5)
    out = serialize_fragment(root)
    spans = root.findall(".//{*}span[@class]")
    lines = [s for s in spans if s.get("class").startswith("code-line")]
    assert len(lines) == 5  # 1, 2, the string's second line, the empty line, the long line
    assert [s.get("class") for s in lines][3] == "code-line empty"
    # the hang: the line's indent (after its number) and two columns more
    assert lines[1].get("style") == "padding-left: 7ch; text-indent: -7ch"
    assert 'class="language-go"' in out and out.count('class="s"') == 2  # split, kept
    assert "".join(lines[1].itertext()) == '2    "x'


def test_a_block_that_fits_is_left_as_it_is():
    code = "<pre><code>short\n    line\n</code></pre>"
    root = parse_fragment(code)
    pdfcode.hang_long_lines(root, 114, 10.5)
    assert serialize_fragment(root) == serialize_fragment(parse_fragment(code))
