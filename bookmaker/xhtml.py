"""XHTML fragments <-> lxml trees: the one way the HTML stage and its readers parse and write.

A fragment is the body of one article: well-formed XML whose elements are XHTML without a
namespace declaration (`<p>…</p>`), MathML carrying its own `xmlns`.
"""

from __future__ import annotations

import re

from lxml import etree

XHTML_NS = "http://www.w3.org/1999/xhtml"
MATHML_NS = "http://www.w3.org/1998/Math/MathML"

# Elements that have no content in HTML. Every other element is written with an end tag,
# because an HTML parser (WeasyPrint's) reads `<a id="x"/>` as an open `<a>`.
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())

# Characters XML 1.0 cannot hold at all; they come from pasted text and broken encodings.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

_OPEN_WRAPPER = f'<div xmlns="{XHTML_NS}">'


def xml_safe(text: str) -> str:
    return XML_ILLEGAL.sub("", text)


def parse_fragment(xhtml: str) -> etree._Element:
    """A fragment -> a `<div>` in the XHTML namespace holding it (raises XMLSyntaxError)."""
    return etree.fromstring(_OPEN_WRAPPER + xhtml + "</div>")


def serialize_fragment(container: etree._Element) -> str:
    """The content of `container` (text and children) as a fragment, without the container.

    Works for a tree in the XHTML namespace (from `parse_fragment`) and for a tree without
    namespaces (built by the HTML stage); both come out as plain `<p>…</p>`.
    """
    close_non_void(container)
    text = etree.tostring(container, encoding="unicode")
    if text.endswith("/>"):  # an empty container
        return ""
    start = text.index(">") + 1
    end = text.rindex("</")
    return text[start:end]


def close_non_void(root: etree._Element) -> None:
    """Give every empty non-void element an explicit end tag when serialised."""
    for el in root.iter():
        if not isinstance(el.tag, str) or el.text is not None or len(el):
            continue
        if local_name(el) not in VOID and namespace(el) in ("", XHTML_NS):
            el.text = ""


def local_name(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def namespace(el: etree._Element) -> str:
    return etree.QName(el).namespace or "" if isinstance(el.tag, str) else ""


def text_content(el: etree._Element) -> str:
    """All text inside `el` (not its tail), as a reader would see it."""
    return "".join(el.itertext())


def remove_keeping_tail(el: etree._Element) -> None:
    """Remove `el`; the text after it belongs to its parent and stays."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)
