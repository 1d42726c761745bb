"""Rendered (maybe broken, maybe hostile) HTML -> a clean tree of allowed XHTML elements.

Articles come from people we do not know. An allowlist decides what stays: elements,
attributes and link schemes; obsolete presentational tags become classes; an iframe or a
video becomes a visible link to its source; text that only looks like a tag stays text.
"""

from __future__ import annotations

import re
from itertools import takewhile

import lxml.html
from lxml import etree

from . import embeds, mdsource
from .xhtml import xml_safe

BLOCK = frozenset(
    "address article aside blockquote details dl div figure figcaption footer h1 h2 h3 h4 h5"
    " h6 header hr nav ol p pre section table ul".split()
)
PHRASING_ONLY = frozenset("p h1 h2 h3 h4 h5 h6 span em strong b i a code small sub sup".split())
ALLOWED = frozenset(
    (
        "a abbr address article aside b bdi bdo blockquote br caption cite code col colgroup"
        " dd del details dfn div dl dt em figcaption figure footer h1 h2 h3 h4 h5 h6 header hr"
        " i img ins kbd li mark nav ol p pre q rp rt ruby s samp section small span strong sub"
        " summary sup table tbody td tfoot th thead time tr u ul var wbr"
    ).split()
)
RENAMED = {  # obsolete or unsupported -> (element, class)
    "center": ("div", "center"),
    "font": ("span", ""),
    "big": ("span", "big"),
    "tt": ("code", ""),
    "strike": ("s", ""),
    "acronym": ("abbr", ""),
    "xmp": ("pre", ""),
    "listing": ("pre", ""),
    "plaintext": ("pre", ""),
    "dir": ("ul", ""),
    "menu": ("ul", ""),
    "blink": ("span", ""),
    "marquee": ("span", ""),
    "nobr": ("span", ""),
    "main": ("div", ""),
    "rb": ("span", ""),
    "rtc": ("span", ""),
    "hgroup": ("div", ""),
}
# Removed with everything inside.
DROPPED = frozenset(
    "script style template head title meta base link svg math input button select textarea"
    " option optgroup datalist param source track map area noembed noframes portal frame"
    " frameset applet".split()
)
# Replaced by a visible link to their source (when they have one), then their fallback
# content (which e-readers, having no plugins and no scripts, should show) kept.
EMBEDS = frozenset("iframe embed object video audio canvas noscript dialog".split())
UNWRAPPED = frozenset("html body form label fieldset legend picture".split())
KNOWN = ALLOWED | set(RENAMED) | DROPPED | EMBEDS | UNWRAPPED | {"p", "br"}

GLOBAL_ATTRS = frozenset({"id", "class", "title", "lang", "dir"})
ELEMENT_ATTRS = {
    "a": {"href"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "time": {"datetime"},
    "details": {"open"},
    "bdo": {"dir"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "code": set(),
}
# bookmaker-*: markers links.py turns into in-book links (or drops)
SAFE_SCHEMES = frozenset(
    {"http", "https", "mailto", "bookmaker-post", "bookmaker-link", "bookmaker-ref"}
    | {"bookmaker-note", "bookmaker-postlink", "bookmaker-postpath"}
)
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
TEXT_ALIGN = re.compile(r"text-align\s*:\s*(left|right|center|justify)", re.I)
ALIGN_VALUES = frozenset({"left", "right", "center", "justify"})
TAG_LIKE = re.compile(r"<(?=/?[A-Za-z])|<(?=[?!](?!--))")
# A real tag: a known name, then attributes that look like attributes, then `>`.
REAL_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)"
    r"""((?:\s+[^\s"'>/=<]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*/?>"""
)
AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>")
ATTR = re.compile(r"""([^\s"'>/=<]+)(\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
STYLE_ZOOM = re.compile(r"(?:^|;)\s*zoom\s*:\s*(\d{1,3}(?:\.\d+)?)\s*%", re.I)
STYLE_WIDTH = re.compile(r"(?:^|;)\s*width\s*:\s*(\d{1,5})\s*(px|%)?\s*(?:;|$)", re.I)
# `width="50%"`: a share of the text's width, which HTML5's attribute cannot say (EPUBCheck
# refuses it): kept as `data-percent` for the image stage to write as a style.
PERCENT = re.compile(r"^\s*(\d{1,3}(?:\.\d+)?)\s*%\s*$")
BOOLEAN_ATTRS = frozenset(
    "checked disabled open reversed hidden controls autoplay loop muted async defer"
    " selected readonly required multiple allowfullscreen novalidate nowrap compact".split()
)
_VOIDS = "embed|source|track|param|wbr|area|col|input|img|br|hr|keygen"
_ATTRS = r"""((?:[^>"']|"[^"]*"|'[^']*')*?)"""
VOID_OPEN = re.compile(rf"<({_VOIDS})\b{_ATTRS}\s*/?>", re.I)
VOID_CLOSE = re.compile(rf"</(?:{_VOIDS})\s*>", re.I)
IFRAME_OPEN = re.compile(rf"<iframe\b{_ATTRS}>", re.I)
IFRAME_CLOSE = re.compile(r"</iframe\s*>", re.I)
BLOCK_TAG = re.compile(
    r"<(/?)(p|div|center|table|ul|ol|dl|blockquote|section|article|aside|details|figure)\b"
    r"""(?:[^>"']|"[^"]*"|'[^']*')*>""",
    re.I,
)
INTEGER = re.compile(r"^-?\d{1,6}$")
MAX_DEPTH = 100  # elements; WeasyPrint 70 overflows Python's stack between 130 and 200
ANY_TAG = re.compile(r"""<(/?)([A-Za-z][A-Za-z0-9-]*)(?:[^>"']|"[^"]*"|'[^']*')*?(/?)>""")
VOID = frozenset(_VOIDS.split("|")) | {"keygen"}


def escape_unknown_tags(source: str) -> str:
    """`<pending>`, `</RET>`, `a<b`, `<?php`: text that only looks like HTML, escaped in prose."""

    def prose(text: str, offset: int) -> str:
        return TAG_LIKE.sub(lambda m: "<" if _is_real_tag(text, m.start()) else "&lt;", text)

    return mdsource.map_prose(source, prose)


def close_open_blocks(source: str) -> str:
    """Close block tags an article opens and never closes, at the end of their paragraph.

    Python-Markdown takes everything after an unclosed `<div>` or `<p>` as raw HTML, so a
    single forgotten `</p>` would leave the rest of the article unformatted.
    """
    stacks: dict[str, list[int]] = {}
    for seg in mdsource.segments(source):
        if seg.code:
            continue
        for m in BLOCK_TAG.finditer(seg.text):
            name = m.group(2).lower()
            stack = stacks.setdefault(name, [])
            if not m.group(1):
                stack.append(seg.offset + m.end())
            elif stack:
                stack.pop()
    inserts = sorted((_paragraph_end(source, at), name) for name, st in stacks.items() for at in st)
    for at, name in reversed(inserts):
        source = source[:at] + f"</{name}>" + source[at:]
    return source


def _paragraph_end(source: str, at: int) -> int:
    m = mdsource.PARAGRAPH_BREAK.search(source, at)
    return m.start() if m else len(source.rstrip("\n"))


def _is_real_tag(text: str, at: int) -> bool:
    if AUTOLINK.match(text, at):
        return True  # `<https://x>`, `<a@b.c>`: Markdown makes these links
    if text.endswith("](", 0, at):
        return True  # `![图](<assets/my diagram.png>)`: a destination with spaces in it
    m = REAL_TAG.match(text, at)
    if m is None or m.group(2).lower() not in KNOWN:
        return False
    # `a<b and c>d` is a comparison, not <b> with attributes `and` and `c`.
    return all(v or n.lower() in BOOLEAN_ATTRS for n, v in ATTR.findall(m.group(3)))


def clean(html: str) -> tuple[etree._Element, list[str]]:
    """A `<div>` holding `html` made safe and well-formed, and what was removed (sorted)."""
    html, _ = flatten_deep(html)
    root = lxml.html.fragment_fromstring(_preparse(xml_safe(html)), create_parent="div")
    removed: set[str] = set()
    _clean_children(root, removed)
    _fix_structure(root)
    return root, sorted(removed)


def flatten_deep(html: str, limit: int = MAX_DEPTH) -> tuple[str, int]:
    """`html` without the tags of elements nested deeper than `limit`; the deepest level.

    libxml2 silently drops everything below 256 levels, and layout recursion overflows
    sooner, so the tags go before parsing; their text stays, one level up.
    """
    if html.count("<") <= limit:
        return html, 0
    stack: list[tuple[str, bool]] = []  # (name, kept)
    pieces, pos, deepest = [], 0, 0
    for m in ANY_TAG.finditer(html):
        name = m.group(2).lower()
        if name in VOID or m.group(3):
            continue
        if not m.group(1):
            stack.append((name, len(stack) < limit))
            deepest = max(deepest, len(stack))
            keep = stack[-1][1]
        else:
            keep = _close(stack, name)
        if not keep:
            pieces.append(html[pos : m.start()])
            pos = m.end()
    pieces.append(html[pos:])
    return ("".join(pieces), deepest) if deepest > limit else (html, 0)


def _close(stack: list[tuple[str, bool]], name: str) -> bool:
    """Pop `name` (and what it left open) off `stack`: whether its close tag is kept."""
    # Looking deeper than this is what would make a tag soup quadratic.
    for i in range(len(stack) - 1, max(-1, len(stack) - 2 * MAX_DEPTH - 1), -1):
        if stack[i][0] == name:
            kept = stack[i][1]
            del stack[i:]
            return kept
    return True  # a stray close tag: the parser drops it anyway


def _preparse(html: str) -> str:
    """What libxml2's HTML 4 parser gets wrong: HTML5 void elements, unclosed iframes.

    It reads `<embed>` as an open element that swallows the rest of the article, and an
    unclosed `<iframe>` as text up to the end.
    """
    html = VOID_CLOSE.sub("", html)
    html = VOID_OPEN.sub(lambda m: f"<{m.group(1)}{m.group(2)} />", html)
    html = IFRAME_CLOSE.sub("", html)
    return IFRAME_OPEN.sub(lambda m: m.group(0) + "</iframe>", html) or "<p></p>"


def safe_url(url: str) -> str | None:
    """`url` if its scheme is http, https or mailto, or it has none; else None."""
    compact = URL_NOISE.sub("", url)
    m = SCHEME.match(compact)
    if m is None:
        return url.strip()
    return url.strip() if m.group(1).lower() in SAFE_SCHEMES else None


def _clean_children(el: etree._Element, removed: set[str]) -> None:
    for child in list(el):
        if not isinstance(child.tag, str):  # comments, processing instructions
            _remove(child)
            continue
        tag = child.tag.lower()
        if tag == "input" and child.get("type", "").lower() == "checkbox":
            _checkbox(child)
        elif tag in DROPPED:
            if tag not in ("source", "track", "param"):
                removed.add(tag)
            _remove(child)
        elif tag in EMBEDS:
            src = _embedded(child)  # before its <source> children are dropped
            _clean_children(child, removed)
            if not _embed(child, src) and tag != "noscript":
                removed.add(tag)  # no link to what it showed: it is gone
        elif tag in UNWRAPPED or (tag not in ALLOWED and tag not in RENAMED):
            _clean_children(child, removed)
            _unwrap(child)
        else:
            _clean_element(child, tag, removed)
            _clean_children(child, removed)


def _clean_element(el: etree._Element, tag: str, removed: set[str]) -> None:
    name, cls = RENAMED.get(tag, (tag, ""))
    el.tag = name
    classes = [cls] if cls else []
    attrs = dict(el.attrib)
    el.attrib.clear()
    for key, value in attrs.items():
        key = key.lower()
        if key.startswith("on"):
            removed.add("on* attributes")
        elif key in ("align", "style"):
            align = value if key == "align" else _text_align(value)
            if align and align.lower() in ALIGN_VALUES:
                classes.append(f"align-{align.lower()}")
        elif key == "name" and name == "a" and "id" not in attrs:
            el.set("id", value)
        elif name == "img" and key == "width" and PERCENT.match(value):
            _percent(el, PERCENT.match(value).group(1))
        elif key in GLOBAL_ATTRS or key in ELEMENT_ATTRS.get(name, ()):
            _set_attr(el, key, value, removed)
    if name == "img" and attrs.get("style"):
        _picture_size(el, attrs["style"])  # after `width`: a style wins, as in a browser
    old = [c for c in el.get("class", "").split() if c]
    if classes or old:
        el.set("class", " ".join(dict.fromkeys(old + classes)))


def _picture_size(el: etree._Element, style: str) -> None:
    """The size a picture's style gives, kept where the style cannot be: Typora writes
    `style="zoom:50%;"` when a picture is made smaller, others `width: 300px`. A zoom is of
    the picture's own width, which only the image stage knows: it reads `data-zoom`."""
    m = STYLE_ZOOM.search(style)
    if m and 0 < float(m.group(1)) < 1000:
        el.set("data-zoom", m.group(1))
    m = STYLE_WIDTH.search(style)
    if m and int(m.group(1)) > 0:  # (`width: 0` hides a tracking pixel; nothing to keep)
        if m.group(2) == "%":
            _percent(el, m.group(1))
        else:
            el.attrib.pop("data-percent", None)
            el.set("width", m.group(1))


def _percent(el: etree._Element, share: str) -> None:
    """A picture `share` per cent of the text's width, in place of any width in pixels."""
    if 0 < float(share) <= 100:
        el.attrib.pop("width", None)
        el.set("data-percent", share)


def _set_attr(el: etree._Element, key: str, value: str, removed: set[str]) -> None:
    value = xml_safe(value)
    if key == "href":
        url = safe_url(value)
        if url is None:
            removed.add(f"{SCHEME.match(URL_NOISE.sub('', value)).group(1).lower()}: links")
            return
        value = url
    if key in ("width", "height", "colspan", "rowspan", "start", "span", "value"):
        value = value.strip().removesuffix("px")
        if not INTEGER.match(value):
            return
    if key in ("reversed", "open"):
        value = key
    if key in ("id", "title", "class", "lang"):
        value = value.strip()
        if not value:
            return
    el.set(key, value)


def _text_align(style: str) -> str:
    m = TEXT_ALIGN.search(style)
    return m.group(1) if m else ""


def _checkbox(el: etree._Element) -> None:
    """A task-list checkbox becomes a glyph: readers cannot tick boxes, but they can read."""
    box = etree.Element("span", {"class": "task-box"})
    box.text = "☑" if el.get("checked") is not None else "☐"
    box.tail = el.tail
    el.getparent().replace(el, box)


def _embedded(el: etree._Element) -> str | None:
    """The address of what an embed shows (a player's, a video file's)."""
    src = el.get("src") or el.get("data") or _first_source(el)
    return src.strip() if src and src.strip() else None


def _embed(el: etree._Element, src: str | None) -> bool:
    """An embed -> a link to what it showed (True), followed by its fallback content."""
    url = safe_url(embeds.page_url(src)) if src else None
    made = bool(url and SCHEME.match(url))
    if made:
        link = etree.Element("a", {"class": "embed", "href": url})
        link.text = f"▶ {el.get('title') or url}"
        el.insert(0, link)
        link.tail, el.text = el.text, None
    _unwrap(el)
    return made


def _first_source(el: etree._Element) -> str | None:
    for s in el.iter("source"):
        if s.get("src"):
            return s.get("src")
    return None


def _remove(el: etree._Element) -> None:
    """Remove `el` and its content, keeping the text that follows it."""
    parent = el.getparent()
    _append_text(el, el.tail)
    parent.remove(el)


def _append_text(el: etree._Element, text: str | None) -> None:
    """Add `text` right where `el` stands in its parent (used before removing `el`)."""
    if not text:
        return
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + text
    else:
        parent = el.getparent()
        parent.text = (parent.text or "") + text


def _unwrap(el: etree._Element) -> None:
    """Replace `el` by its content."""
    parent = el.getparent()
    index = parent.index(el)
    _append_text(el, el.text)
    children = list(el)
    if children:
        children[-1].tail = (children[-1].tail or "") + (el.tail or "")
    else:
        _append_text(el, el.tail)
    el.tail = None
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    parent.remove(el)


def _fix_structure(root: etree._Element) -> None:
    """Make the tree valid where HTML parsers are lenient: blocks in `<p>`, `<a>` in `<a>`."""
    for a in list(root.iter("a")):
        if any(anc.tag == "a" for anc in a.iterancestors()):
            _unwrap(a)
    for fc in list(root.iter("figcaption")):
        if fc.getparent().tag != "figure":
            fc.tag = "p"
    for el in list(root.iter("div")):
        if any(anc.tag in PHRASING_ONLY and anc.tag != "p" for anc in el.iterancestors()):
            el.tag = "span"
    for p in list(root.iter("p", "h1", "h2", "h3", "h4", "h5", "h6")):
        if p.getparent() is not None and any(c.tag in BLOCK for c in p.iter() if c is not p):
            _split(p)
    for p in list(root.iter("p")):
        if len(p) == 0 and not (p.text or "").strip() and p.getparent() is not None:
            _remove(p)
    for span in list(root.iter("span")):  # Pygments opens every block with an empty one
        if not span.attrib and len(span) == 0 and not span.text:
            _remove(span)


def _split(p: etree._Element) -> None:
    """`<p>a<div>b</div>c</p>` -> `<p>a</p><div>b</div><p>c</p>`."""
    for block in [c for c in p.iter() if c is not p and c.tag in BLOCK]:
        if any(a.tag in BLOCK for a in takewhile(lambda a: a is not p, block.iterancestors())):
            continue  # it goes with the block holding it (a figure's caption)
        while block.getparent() is not p:  # lift it out of inline wrappers first
            _lift(block)
    parent = p.getparent()
    index = parent.index(p)
    pieces: list[etree._Element] = []
    current = _like(p)
    current.text = p.text
    for child in list(p):
        if child.tag in BLOCK:
            pieces.extend([current, child])
            current = _like(p)
            current.text, child.tail = child.tail, None
        else:
            current.append(child)
    pieces.append(current)
    kept = [x for x in pieces if _keeps(x)] or [current]
    kept[-1].tail = p.tail
    for later in kept[1:]:
        later.attrib.pop("id", None)  # the id stays with the first piece only
    parent.remove(p)
    for offset, piece in enumerate(kept):
        parent.insert(index + offset, piece)


def _lift(block: etree._Element) -> None:
    """Move `block` out of its inline parent, splitting that parent in two."""
    parent = block.getparent()
    after = _like(parent)
    after.text = block.tail
    block.tail = None
    for sib in list(block.itersiblings()):
        after.append(sib)
    grand = parent.getparent()
    i = grand.index(parent)
    grand.insert(i + 1, block)
    grand.insert(i + 2, after)
    after.attrib.pop("id", None)
    after.tail, parent.tail = parent.tail, None


def _like(el: etree._Element) -> etree._Element:
    return etree.Element(el.tag, dict(el.attrib))


def _keeps(el: etree._Element) -> bool:
    if el.tag in BLOCK and el.tag != "p":
        return True
    return len(el) > 0 or bool((el.text or "").strip())
