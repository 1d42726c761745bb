"""RenderedArticles -> the EPUB's article bodies: split when large, links and images rewritten.

The HTML stage links within the book as `#<slug>` / `#<slug>-<id>` and names images
`images/<hash>.<ext>`; in the EPUB every article is its own file (or several), so each
link becomes `<file>.xhtml#id` through a map of every id to the file that holds it.
Anything a reading system would reject (a dangling fragment, a relative link to a file
that is not in the book, a script) is repaired here and reported, never passed on.
"""

from __future__ import annotations

import html
import logging
import posixpath
import re
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from . import cellnumbers, cjk
from .config import Config
from .epubnav import language_family
from .model import Book, Problem, RenderedArticle

log = logging.getLogger(__name__)

XHTML = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
XLINK = "http://www.w3.org/1999/xlink"
MATHML = "http://www.w3.org/1998/Math/MathML"
SVG = "http://www.w3.org/2000/svg"
WRAP_OPEN = f'<div xmlns="{XHTML}" xmlns:epub="{EPUB_NS}" xmlns:xlink="{XLINK}">'
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:", "ftp:")
DROP = ("script", "iframe", "object", "embed", "frame", "frameset", "base", "form")
MEDIA_SRC = ("audio", "video", "source", "track", "input")
# "describe it" in the article's language, for the alt text a warning asks for
DESCRIBE = {"zh-Hans": "描述", "zh-Hant": "描述", "ja": "説明", "en": "description"}


@dataclass(frozen=True)
class Part:
    href: str  # "text/<slug>.xhtml", then "text/<slug>_2.xhtml", …
    body: str  # serialized XHTML fragment
    properties: str  # manifest properties: "mathml", "svg"


@dataclass(frozen=True)
class Prepared:
    slug: str
    title: str
    subtitle: str
    authors: tuple[str, ...]
    date: datetime | None  # None: the article has no date of its own
    tags: tuple[str, ...]
    lang: str
    parts: tuple[Part, ...]
    image_names: frozenset[str]
    all_alt: bool

    @property
    def href(self) -> str:
        return self.parts[0].href


def prepare(book: Book, config: Config, images: dict, problems: list[Problem]) -> list[Prepared]:
    """Every article's parts, with links resolved across the whole book."""
    limit = max(config.epub.split_kb, 1) * 1024
    split = [
        (r, _split(_footnotes(_parse(r, config, problems), r.lang), limit)) for r in book.rendered
    ]
    targets = _targets(split)
    return [_finish(r, parts, targets, images, problems, book.notes) for r, parts in split]


def article_href(slug: str, n: int) -> str:
    # `_` never occurs in a slug, so `a_2` cannot clash with an article called `a-2`.
    return f"text/{slug}.xhtml" if n == 0 else f"text/{slug}_{n + 1}.xhtml"


def _parse(r: RenderedArticle, config: Config, problems: list[Problem]) -> etree._Element:
    xhtml = r.xhtml
    if config.epub.writing_mode == "vertical":
        from . import typography

        if hasattr(typography, "for_vertical"):
            xhtml = typography.for_vertical(xhtml, r.lang)
    text = f"{WRAP_OPEN}{xhtml}</div>"
    try:
        return etree.fromstring(text.encode("utf-8"), _parser(False))
    except etree.XMLSyntaxError as exc:
        problems.append(Problem(r.article.rel, f"article body is not well-formed XHTML ({exc})"))
        root = etree.fromstring(text.encode("utf-8"), _parser(True))
        return root if root is not None else etree.fromstring(f"{WRAP_OPEN}</div>".encode())


def _parser(recover: bool) -> etree.XMLParser:
    return etree.XMLParser(
        recover=recover, resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
    )


# What a screen reader says for a footnote's back link, whose only text is "↩︎" (read as
# "leftwards arrow with hook", or not at all).
BACK_LINK = {
    "zh-hans": "返回正文",
    "zh-hant": "返回正文",
    "ja": "本文へ戻る",
    "ko": "본문으로 돌아가기",
    "en": "Back to text",
}


def _footnotes(root: etree._Element, lang: str) -> etree._Element:
    """Python-Markdown's note list -> EPUB 3 footnotes that readers can show in a popup.

    Apple Books, KOReader and Kobo pop up an `<aside epub:type="footnote">` when its
    `noteref` is tapped; a reader that cannot still shows the aside in place, numbered.
    """
    for block in root.iterfind(f".//{{{XHTML}}}div[@class='footnote']"):
        for ol in block.findall(f"{{{XHTML}}}ol"):
            for n, li in enumerate(ol.findall(f"{{{XHTML}}}li"), start=1):
                ol.addprevious(_footnote(li, n, BACK_LINK[language_family(lang)]))
            block.remove(ol)
    for a in root.iterfind(f".//{{{XHTML}}}a[@class='footnote-ref']"):
        a.set(f"{{{EPUB_NS}}}type", "noteref")
        a.set("role", "doc-noteref")
    return root


def _footnote(li: etree._Element, number: int, back_label: str) -> etree._Element:
    aside = etree.Element(f"{{{XHTML}}}aside", {"class": "footnote"})
    if li.get("id"):
        aside.set("id", li.get("id"))
    aside.set(f"{{{EPUB_NS}}}type", "footnote")
    aside.set("role", "doc-footnote")
    first = li[0] if len(li) and _local(li[0]) == "p" and not (li.text or "").strip() else None
    if first is None:  # loose text or a list first: give the number a paragraph of its own
        first = etree.Element(f"{{{XHTML}}}p")
        first.text, li.text = li.text, None
        aside.append(first)
    label = etree.Element(f"{{{XHTML}}}span", {"class": "footnote-label"})
    label.text = f"{number}."
    label.tail = " " + (first.text or "").lstrip()
    first.text = None
    first.insert(0, label)
    aside.extend(list(li))
    aside.tail = "\n"
    for back in aside.iterfind(f".//{{{XHTML}}}a[@class='footnote-backref']"):
        back.set("role", "doc-backlink")
        back.set("aria-label", back_label)
    return aside


def _split(root: etree._Element, limit: int) -> list[list[etree._Element]]:
    """Top-level elements in parts of about `limit` bytes, each starting at a heading."""
    children = list(root)
    lead = root.text or ""
    if lead.strip():  # bare text before the first element: keep it in a paragraph
        p = etree.Element(f"{{{XHTML}}}p")
        p.text = lead
        children.insert(0, p)
    sizes = [len(etree.tostring(c)) for c in children]
    if sum(sizes) <= limit:
        return [children]
    level = _split_level(children)
    sections: list[tuple[list[etree._Element], int]] = [([], 0)]
    for child, size in zip(children, sizes, strict=True):
        if _local(child) == level and sections[-1][0]:
            sections.append(([], 0))
        sections[-1][0].append(child)
        sections[-1] = (sections[-1][0], sections[-1][1] + size)
    parts: list[list[etree._Element]] = [[]]
    filled = 0
    for elements, size in sections:
        if parts[-1] and filled + size > limit:
            parts.append([])
            filled = 0
        parts[-1].extend(elements)
        filled += size
    return parts


def _split_level(children: list[etree._Element]) -> str:
    present = {_local(c) for c in children}
    return next((h for h in ("h1", "h2", "h3", "h4") if h in present), "h2")


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _targets(split) -> dict[str, str]:
    """Every id in the book -> the file that holds it (the slug itself: the title)."""
    targets: dict[str, str] = {}
    for r, parts in split:
        slug = r.article.slug
        targets[slug] = article_href(slug, 0)
        for n, elements in enumerate(parts):
            for el in elements:
                for node in el.iter():
                    if isinstance(node.tag, str) and node.get("id"):
                        targets.setdefault(node.get("id"), article_href(slug, n))
    return targets


def _finish(r: RenderedArticle, parts, targets, images, problems, notes: bool) -> Prepared:
    a = r.article
    state = {"names": set(), "all_alt": True, "notes": notes}
    finished = []
    for n, elements in enumerate(parts):
        href = article_href(a.slug, n)
        holder = etree.fromstring(f"{WRAP_OPEN}</div>".encode())
        holder.extend(elements)
        _repair(holder, href, r, targets, images, problems, state)
        finished.append(Part(href, _serialize(holder), _properties(holder)))
    return Prepared(
        slug=a.slug,
        title=a.title.strip() or a.slug,
        subtitle=a.subtitle,
        authors=a.authors,
        date=a.date if a.dated else None,
        tags=a.tags,
        lang=r.lang,
        parts=tuple(finished),
        image_names=frozenset(state["names"]),
        all_alt=state["all_alt"],
    )


def _repair(holder, href, r: RenderedArticle, targets, images, problems, state) -> None:
    def warn(message: str, line: int | None = None) -> None:
        problems.append(Problem(r.article.rel, message, "warning", line))

    unlabelled = list(r.unlabelled)  # taken in document order, as the images come

    for el in list(holder.iter()):
        if not isinstance(el.tag, str):
            continue
        name = _local(el)
        if name in DROP and etree.QName(el).namespace == XHTML:
            warn(f"<{name}> left out of the EPUB (reading systems do not run it)")
            _remove(el)
        elif name == "a" and el.get("href") is not None:
            _link(el, href, targets, warn)
        elif name == "img":
            _image(el, href, images, warn, state)
            if el.getparent() is not None and not _labelled(el):
                describe = DESCRIBE[cjk.profile_for(r.lang).name]
                _no_alt(el, unlabelled, warn, describe, state["notes"])
        elif name in MEDIA_SRC and el.get("src"):
            warn(f"<{name} src={el.get('src')!r}> left out of the EPUB")
            _remove(el)
        elif name == "math" and el.get("altimg"):
            _altimg(el, href, images, state)
        elif name == "figcaption":
            _caption_echo(el)
        elif name == "details":
            el.set("open", "open")  # nothing can be clicked on e-ink: show what it holds
        elif name == "table" and "table-scroll" not in (el.getparent().get("class") or ""):
            cellnumbers.keep_whole(el)
            _wrap_table(el)


def _link(el, href: str, targets: dict[str, str], warn) -> None:
    ref = el.get("href").strip()
    if ref.startswith("#"):
        target = targets.get(ref[1:])
        if target is None:
            warn(f"link to {ref}: no such place in the book; kept as text")
            del el.attrib["href"]
        elif target != href:
            el.set("href", posixpath.relpath(target, posixpath.dirname(href)) + ref)
        return
    if SCHEME.match(ref) and ref.lower().startswith(SAFE_SCHEMES):
        return
    warn(f"link to {ref!r} does not lead anywhere in the book; kept as text")
    del el.attrib["href"]


def _image(el, href: str, images: dict, warn, state) -> None:
    src = (el.get("src") or "").strip()
    if el.get("alt") is None:
        el.set("alt", "")
    if src in images:
        el.set("src", posixpath.relpath(src, posixpath.dirname(href)))
        state["names"].add(src)
        if not _labelled(el):
            state["all_alt"] = False
        return
    warn(f"image {src!r} is not in the book; its text alternative is shown instead")
    span = etree.Element(f"{{{XHTML}}}span", {"class": "missing-image"})
    span.text = el.get("alt") or ""
    span.tail = el.tail
    el.getparent().replace(el, span)


def _caption_echo(caption) -> None:
    """A caption that only repeats its picture's alt text (`![湖](a.jpg)` alone in a
    paragraph) is hidden from screen readers, which read the alt text already: else every
    such picture is read twice."""
    figure = caption.getparent()
    alts = {_plain(img.get("alt", "")) for img in figure.iter(f"{{{XHTML}}}img")}
    if _plain("".join(caption.itertext())) in alts - {""}:
        caption.set("aria-hidden", "true")


def _plain(text: str) -> str:
    # Typography's joiners and spaces between Han and Latin are no difference to a listener.
    return "".join(text.replace("\u2060", "").split())


def _labelled(img) -> bool:
    """Alt text, or marked decorative (a post's cover picture): nothing a reader misses."""
    return bool(img.get("alt", "").strip()) or img.get("role") == "presentation"


def _no_alt(el, unlabelled: list, warn, describe: str, notes: bool) -> None:
    """Say which image a screen reader will skip: its source as written, and its line.

    By the HTML stage's record: a shrunk or converted picture is a file named by its
    hash here, which the author never wrote and which is nowhere in the article.
    """
    name = posixpath.basename(el.get("src"))
    at = next((k for k, u in enumerate(unlabelled) if posixpath.basename(u[0]) == name), None)
    shown, line = name, None
    if at is not None:
        _, written, line = unlabelled.pop(at)
        shown = "(a data: URI)" if written.lower().startswith("data:") else _file_name(written)
    # (only notes are read with Obsidian's embeds: a blog's author would not know them)
    embed = f", or ![[…|{describe}]] for an Obsidian embed" if notes else ""
    warn(
        f"image {shown} has no text alternative (alt text): screen readers skip it; "
        f"describe it: ![{describe}](…){embed}",
        line,
    )


def _file_name(written: str) -> str:
    """`../../img/a.png?v=2` -> `a.png`: how an author finds the image in the article."""
    path = written.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    return posixpath.basename(path) or written


def _altimg(el, href: str, images: dict, state) -> None:
    src = el.get("altimg")
    if src in images:
        el.set("altimg", posixpath.relpath(src, posixpath.dirname(href)))
        state["names"].add(src)
    else:
        del el.attrib["altimg"]


def _wrap_table(table) -> None:
    wrapper = etree.Element(f"{{{XHTML}}}div", {"class": "table-scroll"})
    table.addprevious(wrapper)
    wrapper.tail, table.tail = table.tail, None
    wrapper.append(table)


def _remove(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail or ""
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


def _properties(holder) -> str:
    props = []
    if holder.find(f".//{{{MATHML}}}math") is not None:
        props.append("mathml")
    if holder.find(f".//{{{SVG}}}svg") is not None:
        props.append("svg")
    return " ".join(props)


def _serialize(holder) -> str:
    text = etree.tostring(holder, encoding="unicode")
    # Drop the wrapper: its namespaces are declared again on the page's <html>.
    start = text.index(">") + 1
    return "" if text.endswith("/>") and text.count("<") == 1 else text[start : -len("</div>")]


TAG = re.compile(r"<[^>]*>")
SHOWN_ATTR = re.compile(r'\b(?:alt|title|aria-label)="([^"]*)"')


def visible_text(xhtml: str) -> set[str]:
    """Characters a reader may see in a document: its text and its alt/title attributes."""
    chars = set(html.unescape(TAG.sub("", xhtml)))
    for value in SHOWN_ATTR.findall(xhtml):
        chars.update(html.unescape(value))
    return chars
