"""EPUB article XHTML -> Kobo's kepub markup: every sentence in a numbered `koboSpan`.

Kobo's reader highlights, bookmarks and paginates by these spans. Its own splitter knows
only `.!?`; Chinese and Japanese sentences end in `。！？；…`, so we split on those too
(keeping closing quotes and brackets with the sentence they close).
"""

from __future__ import annotations

from lxml import etree

XHTML = "http://www.w3.org/1999/xhtml"
# Not reading text, or (rp) elements whose content may only be text.
SKIP = {"script", "style", "math", "svg", "head", "title", "rp", "rt", "option", "textarea"}
# A paragraph-like element starts a new span number (`kobo.N.M`: N paragraph, M sentence).
BLOCKS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "pre",
    "blockquote", "figcaption", "caption", "div", "section", "header", "footer", "aside",
}  # fmt: skip
END_MARKS = set("。！？；!?…")
CLOSERS = set("”’」』）》〉】)\"'")


def sentences(text: str) -> list[str]:
    """`text` cut into sentences; joined again they give `text` back unchanged."""
    out, start, i, n = [], 0, 0, len(text)
    while i < n:
        c = text[i]
        ends = c in END_MARKS or (c == "." and (i + 1 == n or text[i + 1].isspace()))
        i += 1
        if not ends:
            continue
        while i < n and (text[i] in END_MARKS or text[i] in CLOSERS or text[i].isspace()):
            i += 1  # the rest of the mark run, closing quotes, and the space after
        out.append(text[start:i])
        start = i
    if start < n:
        out.append(text[start:])
    return out


def koboize(xhtml: str) -> str:
    """A whole XHTML document with Kobo spans and the `book-columns` wrapper Kobo expects."""
    root = etree.fromstring(xhtml.encode("utf-8"))
    body = root.find(f"{{{XHTML}}}body")
    if body is None:
        return xhtml
    counter = {"para": 0, "sent": 0}
    _walk(body, counter)
    _wrap_body(body)
    return etree.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>").join(
        ['<?xml version="1.0" encoding="utf-8"?>\n', "\n"]
    )


def _walk(el: etree._Element, counter: dict) -> None:
    name = etree.QName(el).localname
    if name in SKIP or etree.QName(el).namespace != XHTML:
        return
    if name in BLOCKS:
        counter["para"] += 1
        counter["sent"] = 0
    children = list(el)  # before our own spans go in
    if el.text and el.text.strip():
        spans = _spans(el.text, counter)
        el.text = None
        for i, span in enumerate(spans):
            el.insert(i, span)
    for child in children:
        if not isinstance(child.tag, str):
            continue
        _walk(child, counter)
        if child.tail and child.tail.strip():
            spans = _spans(child.tail, counter)
            child.tail = None
            for span in reversed(spans):
                child.addnext(span)


def _spans(text: str, counter: dict) -> list[etree._Element]:
    spans = []
    for sentence in sentences(text):
        counter["sent"] += 1
        span = etree.Element(
            f"{{{XHTML}}}span",
            {"class": "koboSpan", "id": f"kobo.{max(counter['para'], 1)}.{counter['sent']}"},
        )
        span.text = sentence
        spans.append(span)
    return spans


def _wrap_body(body: etree._Element) -> None:
    columns = etree.Element(f"{{{XHTML}}}div", id="book-columns")
    inner = etree.SubElement(columns, f"{{{XHTML}}}div", id="book-inner")
    inner.text, body.text = body.text, None
    for child in list(body):
        inner.append(child)
    body.append(columns)
