"""Print HTML code blocks -> the same code, set so that a wrapped line reads as one line.

Two things: each line's indentation is joined to the code it indents, and in a block with
a line too long for the page every line is a block whose wrapped part hangs under the
line's code (`hang_long_lines`).

WeasyPrint 70 lays out a highlighted line token by token; when a token (a long string,
say) does not fit, it goes back to the last break between tokens, and in `pre-wrap` text
the first one is after the line's indentation. The printed line then shows its indent
alone, an empty line, and the code below it starting at the left edge. A WORD JOINER after
the indentation takes that break away (UAX #14 keeps spaces and a joiner together); the
joiner draws nothing and is not in the text copied out of the PDF.
"""

from __future__ import annotations

import re

from lxml import etree

from .xhtml import local_name

WORD_JOINER = "\u2060"
INDENT = re.compile(r"[ \t]*")


def join_indents(root: etree._Element) -> None:
    """Every `pre` under root: a joiner after each line's indentation."""
    for pre in root.iter():
        if isinstance(pre.tag, str) and local_name(pre) == "pre":
            _walk(pre, _State(), inside=True)


class _State:
    """Where the walk through a `pre`'s text stands: at a line's start, after its indent."""

    def __init__(self) -> None:
        self.at_start = True
        self.indented = False


def _walk(el, state: _State, inside: bool) -> None:
    if "linenos" not in (el.get("class") or "").split():  # a line's number is no indent
        el.text = _joined(el.text, state)
    for child in el:
        if isinstance(child.tag, str):
            _walk(child, state, inside=False)
        else:
            child.tail = _joined(child.tail, state)
    if not inside:
        el.tail = _joined(el.tail, state)


def _joined(text: str | None, state: _State) -> str | None:
    if not text:
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if i:
            state.at_start, state.indented = True, False
        if not state.at_start:
            continue
        indent = INDENT.match(line).group()
        if len(indent) < len(line):
            if indent or state.indented:
                lines[i] = indent + WORD_JOINER + line[len(indent) :]
            state.at_start = False
        elif indent:
            state.indented = True
    return "\n".join(lines)


# -- wrapped lines hang under their own start ----------------------------------------------

MM_PER_PT = 25.4 / 72
CODE_EM = 0.78  # print.css: `.article pre` and `.highlight pre`, of the body's size
MONO_ADVANCE = 0.602  # DejaVu Sans Mono's advance, in em
HANG = 2  # columns a wrapped line's continuation sits in from the line's own start
WIDE = re.compile("[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]")


def hang_long_lines(root: etree._Element, text_width_mm: float, font_size_pt: float) -> None:
    """A `pre` with a line too long for the page: each of its lines becomes a block whose
    wrapped continuation starts a little in from where the line's code starts, not at the
    left edge of the box, where it read as a line of its own, dedented."""
    column = font_size_pt * MM_PER_PT * CODE_EM * MONO_ADVANCE
    columns = text_width_mm / column - 4  # the box's padding and rule
    for pre in list(root.iter()):
        if isinstance(pre.tag, str) and local_name(pre) == "pre":
            lines = _lines(pre)
            if any(_columns(line) > columns for line in lines):
                _rebuild(pre, lines)


def _runs(el, chain=()):
    """(text, the elements from the pre down to it) for every piece of text, in order."""
    if el.text:
        yield el.text, chain
    for child in el:
        if isinstance(child.tag, str):
            yield from _runs(child, (*chain, child))
        if child.tail:
            yield child.tail, chain


def _lines(pre) -> list[list[tuple[str, tuple]]]:
    lines: list[list[tuple[str, tuple]]] = [[]]
    for text, chain in _runs(pre):
        for i, piece in enumerate(text.split("\n")):
            if i:
                lines.append([])
            if piece:
                lines[-1].append((piece, chain))
    if not lines[-1]:
        lines.pop()  # the newline that ends the code
    return lines


def _plain(line, numbers: bool = True) -> str:
    return "".join(
        t for t, chain in line if numbers or not any(_is_number(e) for e in chain)
    ).replace(WORD_JOINER, "")


def _is_number(el) -> bool:
    return "linenos" in (el.get("class") or "").split()


def _columns(line) -> int:
    text = _plain(line).expandtabs(8)
    return len(text) + len(WIDE.findall(text))


def _rebuild(pre, lines) -> None:
    host = pre
    if len(pre) == 1 and not (pre.text or "").strip() and local_name(pre[0]) == "code":
        host = pre[0]  # the `code` inside keeps its language and classes
        lines = [[(t, chain[1:]) for t, chain in line] for line in lines]
    for child in list(host):
        host.remove(child)
    host.text = None
    for line in lines:
        code = _plain(line, numbers=False)
        number = len(_plain(line)) - len(code)
        indent = len(INDENT.match(code).group().expandtabs(8)) + number
        span = etree.SubElement(host, host.tag.replace(local_name(host), "span"))
        span.set("class", "code-line" if line else "code-line empty")
        hang = indent + HANG
        span.set("style", f"padding-left: {hang}ch; text-indent: -{hang}ch")
        for text, chain in line:
            _append(span, text, chain)


def _append(parent, text: str, chain: tuple) -> None:
    for el in chain:
        copy = etree.SubElement(parent, el.tag, dict(el.attrib))
        parent = copy
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text
