"""Catalog -> OPDS 1.2 acquisition feed (Atom), OpenSearch description, OPDS 2.0 JSON.

KOReader, Thorium, Librera and most OPDS readers only understand 1.2 Atom; the JSON
edition is for the newer readers that ask for it.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from lxml import etree
from lxml.builder import ElementMaker

from .catalog import FORMAT_LABELS, UUID_NS, Catalog, CatalogBook, Urls

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/terms/"
OPDS = "http://opds-spec.org/2010/catalog"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
ACQUISITION = "http://opds-spec.org/acquisition"
IMAGE = "http://opds-spec.org/image"
THUMBNAIL = "http://opds-spec.org/image/thumbnail"
ACQUISITION_FEED = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPENSEARCH_TYPE = "application/opensearchdescription+xml"
OPDS_JSON = "application/opds+json"
PAGE_SIZE = 100  # KOReader and others page through longer feeds with `next`

A = ElementMaker(namespace=ATOM, nsmap={None: ATOM, "dc": DC, "opds": OPDS, "os": OPENSEARCH})
D = ElementMaker(namespace=DC)
OS = ElementMaker(namespace=OPENSEARCH)


def feed(
    catalog: Catalog,
    urls: Urls,
    page: int = 1,
    books: tuple[CatalogBook, ...] | None = None,
    self_href: str | None = None,
) -> bytes:
    """One page of the acquisition feed; `books` (a search's hits) replaces the catalog's."""
    chosen = catalog.books if books is None else books
    pages = max(1, -(-len(chosen) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = chosen[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    root = A.feed(
        A.id(feed_id(catalog)),
        A.title(catalog.title),
        A.updated(_date(catalog.updated)),
        A.author(A.name(catalog.title)),
        *_feed_links(urls, page, pages, self_href),
        OS.totalResults(str(len(chosen))),
        OS.itemsPerPage(str(PAGE_SIZE)),
        OS.startIndex(str((page - 1) * PAGE_SIZE + 1)),
        *(entry(b, urls) for b in shown),
    )
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def feed_id(catalog: Catalog) -> str:
    return f"urn:uuid:{uuid.uuid5(UUID_NS, 'feed|' + catalog.title)}"


def _feed_links(urls: Urls, page: int, pages: int, self_href: str | None) -> list:
    links = [
        _link("self", self_href or urls.feed_page(page), ACQUISITION_FEED),
        _link("start", urls.feed_page(1), ACQUISITION_FEED),
    ]
    if urls.server:
        links.append(_link("search", f"{urls.base}opds/search.xml", OPENSEARCH_TYPE))
    if pages > 1 and self_href is None:
        links.append(_link("first", urls.feed_page(1), ACQUISITION_FEED))
        links.append(_link("last", urls.feed_page(pages), ACQUISITION_FEED))
    if page > 1 and self_href is None:
        links.append(_link("previous", urls.feed_page(page - 1), ACQUISITION_FEED))
    if page < pages and self_href is None:
        links.append(_link("next", urls.feed_page(page + 1), ACQUISITION_FEED))
    links.append(_link("alternate", urls.base + urls.page or "./", "text/html"))
    links.append(_link("alternate", urls.base + urls.feed_json, OPDS_JSON))
    return links


def entry(book: CatalogBook, urls: Urls):
    parts = [A.title(book.title), A.id(book.identifier), A.updated(_date(book.modified))]
    if book.author:
        parts.append(A.author(A.name(book.author)))
    if book.language:
        parts.append(D.language(book.language))
    parts.append(D.issued(book.modified.date().isoformat()))
    if book.description:
        parts.append(A.summary(book.description, type="text"))
    if book.cover:
        parts.append(_link(IMAGE, urls.cover(book), book.cover.media_type))
    if book.thumbnail:
        parts.append(_link(THUMBNAIL, urls.thumb(book), "image/jpeg"))
    # Atom wants an `alternate` link when an entry has no content: the book on the page.
    parts.append(_link("alternate", urls.anchor(book), "text/html"))
    for f in book.files:
        link = _link(ACQUISITION, urls.book(f), f.media_type, title=FORMAT_LABELS[f.format])
        link.set("length", str(f.size))
        parts.append(link)
    return A.entry(*parts)


def _link(rel: str, href: str, media_type: str, **extra: str):
    return A.link(rel=rel, href=href, type=media_type, **extra)


def _date(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def search(catalog: Catalog, query: str) -> tuple[CatalogBook, ...]:
    """Books whose title, author or description hold every word of `query` (any case)."""
    words = query.casefold().split()
    hits = []
    for b in catalog.books:
        text = f"{b.title}\n{b.author}\n{b.description}".casefold()
        if all(w in text for w in words):
            hits.append(b)
    return tuple(hits)


def opensearch_description(catalog: Catalog, template: str) -> bytes:
    """`template` is absolute (`http://host:port/opds/search?q={searchTerms}`): clients need it."""
    E = ElementMaker(namespace=OPENSEARCH, nsmap={None: OPENSEARCH})
    root = E.OpenSearchDescription(
        E.ShortName(catalog.title[:16]),
        E.Description(f"Search {catalog.title}"),
        E.InputEncoding("UTF-8"),
        E.OutputEncoding("UTF-8"),
        E.Url(type=ACQUISITION_FEED, template=template),
    )
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def feed_json(catalog: Catalog, urls: Urls) -> bytes:
    """OPDS 2.0: the same books as a JSON feed."""
    data = {
        "metadata": {
            "title": catalog.title,
            "modified": _date(catalog.updated),
            "numberOfItems": len(catalog.books),
        },
        "links": [
            {"rel": "self", "href": urls.base + urls.feed_json, "type": OPDS_JSON},
            {"rel": "alternate", "href": urls.feed_page(1), "type": ACQUISITION_FEED},
        ],
        "publications": [_publication(b, urls) for b in catalog.books],
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def _publication(book: CatalogBook, urls: Urls) -> dict:
    meta = {
        "@type": "http://schema.org/Book",
        "title": book.title,
        "identifier": book.identifier,
        "modified": _date(book.modified),
    }
    if book.author:
        meta["author"] = book.author
    if book.language:
        meta["language"] = book.language
    if book.description:
        meta["description"] = book.description
    links = [
        {"rel": ACQUISITION, "href": urls.book(f), "type": f.media_type, "length": f.size}
        for f in book.files
    ]
    images = []
    if book.cover:
        images.append({"href": urls.cover(book), "type": book.cover.media_type})
    if book.thumbnail:
        images.append({"href": urls.thumb(book), "type": "image/jpeg"})
    pub = {"metadata": meta, "links": links}
    if images:
        pub["images"] = images
    return pub
