"""XHTML fragment -> the same, with bare URLs in prose made links, as the blog shows them.

GitHub, Goldmark (Hugo's linkify), marked (Hexo), Typora and Obsidian link a bare
`https://…` or `www.…`; kramdown does not, so Jekyll posts are left alone (the caller
decides). A URL ends at a space, at a CJK character or mark (`见https://a.cn。` must not
swallow the sentence), and loses trailing ASCII punctuation and an unbalanced `)`.
"""

from __future__ import annotations

import re

from lxml import etree

URL = re.compile(
    r"(?<![A-Za-z0-9_/.@-])(?:https?://|www\.)"
    r"[^\s<>\"'\u2e80-\u9fff\u3000-\u303f\uff00-\uffef\uac00-\ud7af]+",
    re.I,
)
URL_TEXT = re.compile(r"(?:https?://|www\.)\S+\Z", re.I)
TRAILING = ".,:;!?*_~'\""
NOT_PROSE = frozenset({"a", "code", "pre", "kbd", "samp", "math", "svg", "script", "style"})


def link(root: etree._Element) -> None:
    """Make the bare URLs in `root`'s prose `<a href>`s (in place)."""
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if el.text and not _inside(el, NOT_PROSE) and _has_url(el.text):
            nodes = _split(el.text)
            el.text = nodes[0]
            for i, node in enumerate(nodes[1:]):
                el.insert(i, node)
        if el.tail and _has_url(el.tail) and not _inside(el.getparent(), NOT_PROSE):
            nodes = _split(el.tail)
            el.tail = nodes[0]
            parent, at = el.getparent(), el.getparent().index(el)
            for i, node in enumerate(nodes[1:], start=1):
                parent.insert(at + i, node)


def mark_urls(root: etree._Element) -> None:
    """`class="url"` on each link that shows its own address, so CSS can break it anywhere:
    unbreakable, it left the line before it justified across the full width."""
    for a in root.iter("a"):
        shown = "".join(a.itertext()).strip()
        if len(shown) > 20 and URL_TEXT.match(shown) and not a.get("class"):
            a.set("class", "url")


def _has_url(text: str) -> bool:
    lower = text.lower()
    return ("http" in lower or "www." in lower) and URL.search(text) is not None


def _inside(el: etree._Element | None, names: frozenset[str]) -> bool:
    while el is not None:
        if isinstance(el.tag, str) and etree.QName(el).localname in names:
            return True
        el = el.getparent()
    return False


def _split(text: str) -> list:
    """`a URL b` -> ["a ", <a tail=" b">]: the text before, then each link with its tail."""
    out: list = [""]
    pos = 0
    for m in URL.finditer(text):
        url = _trimmed(m.group(0))
        if "." not in url.split("//", 1)[-1]:
            continue  # `http://` alone, `https://localhost`: not what linkify takes
        before = text[pos : m.start()]
        if len(out) == 1:
            out[0] += before
        else:
            out[-1].tail += before
        a = etree.Element("a", {"href": url if "://" in url else "http://" + url})
        a.text, a.tail = url, ""
        out.append(a)
        pos = m.start() + len(url)
    rest = text[pos:]
    if len(out) == 1:
        out[0] += rest
    else:
        out[-1].tail += rest
    return out


def _trimmed(url: str) -> str:
    while url and (url[-1] in TRAILING or (url[-1] == ")" and url.count(")") > url.count("("))):
        url = url[:-1]
    return url
