"""The EPUB's package documents: the OPF (metadata, manifest, spine), the NCX, words per language.

The nav document and the in-book contents page are Jinja2 templates of the layout; they
and the NCX are fed the same NavPoint tree, so every reader shows the same structure.
We write the OPF ourselves rather than through ebooklib: its writer invents a random
identifier, stamps local time as UTC, adds a page list that counts footnotes as pages and
deflates every image, and each of those must be the other way round here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from lxml import etree

from .model import BookMeta

OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
NCX_NS = "http://www.daisy.org/z3986/2005/ncx/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

MONTHS = (
    "January February March April May June July August September October November December"
).split()

# Words the book itself prints, by language family.
LABELS = {
    "zh-hans": {"contents": "目录", "cover": "封面", "start": "正文", "title": "书名页"},
    "zh-hant": {"contents": "目錄", "cover": "封面", "start": "正文", "title": "書名頁"},
    "ja": {"contents": "目次", "cover": "表紙", "start": "本文", "title": "扉"},
    "ko": {"contents": "차례", "cover": "표지", "start": "본문", "title": "속표지"},
    "en": {"contents": "Contents", "cover": "Cover", "start": "Start", "title": "Title page"},
}


@dataclass(frozen=True)
class NavPoint:
    title: str
    href: str  # relative to the package folder: "text/a.xhtml"
    children: tuple[NavPoint, ...] = ()
    lang: str = ""  # the title's language, when not the book's (cjk.own_language)


@dataclass(frozen=True)
class ManifestItem:
    id: str
    href: str  # relative to the package folder
    media_type: str
    properties: str = ""


@dataclass(frozen=True)
class Package:
    meta: BookMeta
    items: tuple[ManifestItem, ...]
    spine: tuple[str, ...]  # item ids in reading order, all linear
    accessibility: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rtl: bool = False


def language_family(lang: str) -> str:
    tag = lang.lower()
    if tag.startswith("zh"):
        traditional = ("zh-hant", "zh-tw", "zh-hk", "zh-mo")
        return "zh-hant" if tag.startswith(traditional) else "zh-hans"
    return tag.split("-")[0] if tag.split("-")[0] in LABELS else "en"


def label(lang: str, key: str) -> str:
    return LABELS[language_family(lang)][key]


def format_date(when: datetime, lang: str) -> str:
    """`2025年10月23日` for Chinese and Japanese, `October 23, 2025` otherwise."""
    family = language_family(lang)
    if family in ("zh-hans", "zh-hant", "ja"):
        return f"{when.year}年{when.month}月{when.day}日"
    if family == "ko":
        return f"{when.year}년 {when.month}월 {when.day}일"
    return f"{MONTHS[when.month - 1]} {when.day}, {when.year}"


def utc_stamp(when: datetime) -> str:
    """dcterms:modified wants UTC to the second: `2025-10-23T06:00:00Z`."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def depth(points: tuple[NavPoint, ...]) -> int:
    return max((1 + depth(p.children) for p in points), default=0)


def opf(package: Package) -> bytes:
    root = etree.Element(
        f"{{{OPF_NS}}}package",
        nsmap={None: OPF_NS},
        version="3.0",
        attrib={"unique-identifier": "book-id", XML_LANG: package.meta.language},
    )
    _metadata(root, package)
    manifest = etree.SubElement(root, f"{{{OPF_NS}}}manifest")
    for item in package.items:
        attrs = {"id": item.id, "href": item.href, "media-type": item.media_type}
        if item.properties:
            attrs["properties"] = item.properties
        etree.SubElement(manifest, f"{{{OPF_NS}}}item", attrs)
    spine = etree.SubElement(root, f"{{{OPF_NS}}}spine", toc="ncx")
    if package.rtl:
        spine.set("page-progression-direction", "rtl")
    for idref in package.spine:
        etree.SubElement(spine, f"{{{OPF_NS}}}itemref", idref=idref)
    return _serialize(root)


def _metadata(root: etree._Element, package: Package) -> None:
    meta = package.meta
    md = etree.SubElement(root, f"{{{OPF_NS}}}metadata", nsmap={"dc": DC_NS})

    def dc(name: str, text: str, **attrs) -> None:
        el = etree.SubElement(md, f"{{{DC_NS}}}{name}", attrs)
        el.text = text

    def prop(name: str, text: str, refines: str = "", **attrs) -> None:
        if refines:
            attrs["refines"] = refines
        el = etree.SubElement(md, f"{{{OPF_NS}}}meta", attrs, property=name)
        el.text = text

    dc("identifier", meta.identifier, id="book-id")
    dc("title", meta.title.strip() or "Untitled", id="title")
    prop("title-type", "main", "#title")
    if meta.subtitle:
        dc("title", meta.subtitle, id="subtitle")
        prop("title-type", "subtitle", "#subtitle")
    if meta.author:
        dc("creator", meta.author, id="creator")
        prop("file-as", meta.author_file_as or meta.author, "#creator")
        prop("role", "aut", "#creator", scheme="marc:relators")
    dc("language", meta.language)
    if meta.last_date:
        dc("date", meta.last_date.date().isoformat())
    for subject in meta.subjects:
        dc("subject", subject)
    for name in ("description", "publisher", "rights"):
        if getattr(meta, name):
            dc(name, getattr(meta, name))
    prop("dcterms:modified", utc_stamp(meta.modified))
    for name, values in package.accessibility.items():
        for value in values:
            prop(f"schema:{name}", value)
    # EPUB 2 readers (older Kindles) find the cover only through this.
    etree.SubElement(md, f"{{{OPF_NS}}}meta", name="cover", content="cover-image")


def ncx(meta: BookMeta, points: tuple[NavPoint, ...]) -> bytes:
    root = etree.Element(
        f"{{{NCX_NS}}}ncx", nsmap={None: NCX_NS}, version="2005-1", attrib={XML_LANG: meta.language}
    )
    head = etree.SubElement(root, f"{{{NCX_NS}}}head")
    values = (("uid", meta.identifier), ("depth", str(max(1, depth(points)))))
    for name, value in (*values, ("totalPageCount", "0"), ("maxPageNumber", "0")):
        etree.SubElement(head, f"{{{NCX_NS}}}meta", name=f"dtb:{name}", content=value)
    title = etree.SubElement(etree.SubElement(root, f"{{{NCX_NS}}}docTitle"), f"{{{NCX_NS}}}text")
    title.text = meta.title or "Untitled"
    nav_map = etree.SubElement(root, f"{{{NCX_NS}}}navMap")
    _nav_points(nav_map, points, [0])
    return _serialize(root)


def _nav_points(parent: etree._Element, points: tuple[NavPoint, ...], counter: list[int]) -> None:
    for p in points:
        counter[0] += 1
        n = counter[0]
        el = etree.SubElement(parent, f"{{{NCX_NS}}}navPoint", id=f"navpoint-{n}", playOrder=str(n))
        text = etree.SubElement(etree.SubElement(el, f"{{{NCX_NS}}}navLabel"), f"{{{NCX_NS}}}text")
        text.text = p.title
        etree.SubElement(el, f"{{{NCX_NS}}}content", src=p.href)
        _nav_points(el, p.children, counter)


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


CONTAINER = b"""<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""
