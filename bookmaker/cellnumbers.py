"""EPUB table cells -> the same cells, a date or a range in them kept on one line.

Chromium-based and WebKit readers break a line after a hyphen or a slash even between
digits, so a narrow column of a Chinese blog's table showed `2024-` over `01-15` and
`10-` over `01`. Such a run is wrapped in `span.num` (epub.css: white-space: nowrap);
the column widens to it and the Chinese beside it wraps. Runs longer than MAX_CHARS (a
path, a URL) are left to break: they would push the table off a phone's screen.
"""

from __future__ import annotations

import re

from lxml import etree

XHTML = "http://www.w3.org/1999/xhtml"
MAX_CHARS = 16
RUN = re.compile(r"[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+")
# a digit each side of a hyphen, slash or en dash: 2024-01-15, 10-01, 3/4, 9–12
BREAKS_INSIDE = re.compile(r"\d[-/–]\d")
CELLS = ("td", "th")
SKIP = ("code", "pre", "a", "math")  # their own breaking rules, as span.url and span.num


def keep_whole(table: etree._Element) -> None:
    """Wrap each short number run of the table's cells in span.num."""
    for cell in table.iter(f"{{{XHTML}}}td", f"{{{XHTML}}}th"):
        _wrap_in(cell)


def _wrap_in(el: etree._Element) -> None:
    for child in list(el):
        if isinstance(child.tag, str) and not _skipped(child):
            _wrap_in(child)
        _wrap_tail(child)
    head, spans = _split(el.text or "")
    if spans:
        el.text = head
        for n, span in enumerate(spans):
            el.insert(n, span)


def _skipped(el: etree._Element) -> bool:
    name = etree.QName(el).localname
    return name in SKIP or (name == "span" and el.get("class") in ("url", "num"))


def _wrap_tail(el: etree._Element) -> None:
    head, spans = _split(el.tail or "")
    if spans:
        el.tail = head
        for span in reversed(spans):
            el.addnext(span)


def _split(text: str) -> tuple[str, list[etree._Element]]:
    """The text before the first number run, and a span for each run (its tail the rest)."""
    pieces = [
        m
        for m in RUN.finditer(text)
        if len(m.group()) <= MAX_CHARS and BREAKS_INSIDE.search(m.group())
    ]
    if not pieces:
        return text, []
    spans = []
    for i, m in enumerate(pieces):
        span = etree.Element(f"{{{XHTML}}}span", {"class": "num"})
        span.text = m.group()
        end = pieces[i + 1].start() if i + 1 < len(pieces) else len(text)
        span.tail = text[m.end() : end] or None
        spans.append(span)
    return text[: pieces[0].start()], spans
