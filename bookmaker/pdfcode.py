"""Print HTML code blocks -> the same code, its indentation joined to the line it indents.

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
