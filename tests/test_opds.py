"""OPDS feed, OpenSearch, OPDS 2.0 JSON and the static `catalog` command, on small real books.

`make_epub` and `make_pdf` are used by test_serve.py and test_send.py too.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from bookmaker import catalog as cat
from bookmaker import opds

SCHEMA = Path(__file__).parent / "data" / "opds" / "opds.rng"
NS = {"a": opds.ATOM, "dc": opds.DC, "os": opds.OPENSEARCH}

OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid"
         xml:lang="{lang}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="uid">{identifier}</dc:identifier>
    <dc:title>{title}</dc:title>
    <dc:creator>{author}</dc:creator>
    <dc:language>{lang}</dc:language>
    <dc:description>{description}</dc:description>
    <meta property="dcterms:modified">{modified}</meta>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="c1" href="text/c1.xhtml" media-type="application/xhtml+xml"/>
    {cover_item}
    {extra_item}
  </manifest>
  <spine><itemref idref="c1"/></spine>
</package>
"""
CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""
XHTML = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title>t</title></head><body>{body}</body></html>
"""


def cover_png(color=(180, 30, 30), size=(600, 900)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def make_epub(
    path: Path,
    title: str = "山中来信",
    author: str = "王小明",
    lang: str = "zh-CN",
    identifier: str = "urn:uuid:11111111-2222-3333-4444-555555555555",
    description: str = "一本关于 Python 与山的书。",
    modified: str = "2025-10-23T08:00:00Z",
    cover: bytes | None = b"png",
    padding: int = 0,
) -> Path:
    """A small valid EPUB 3; `padding` bytes of incompressible data make it as big as wanted."""
    cover = cover_png() if cover == b"png" else cover
    cover_item = (
        '<item id="cover" href="images/cover.png" media-type="image/png" properties="cover-image"/>'
        if cover
        else ""
    )
    extra = '<item id="pad" href="pad.bin" media-type="application/octet-stream"/>'
    opf = OPF.format(
        title=title,
        author=author,
        lang=lang,
        identifier=identifier,
        description=description,
        modified=modified,
        cover_item=cover_item,
        extra_item=extra if padding else "",
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        z.writestr("META-INF/container.xml", CONTAINER, zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/content.opf", opf, zipfile.ZIP_DEFLATED)
        nav = '<nav epub:type="toc"><ol><li><a href="text/c1.xhtml">一</a></li></ol></nav>'
        z.writestr("OEBPS/nav.xhtml", XHTML.format(body=nav), zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/text/c1.xhtml", XHTML.format(body="<p>你好</p>"), zipfile.ZIP_DEFLATED)
        if cover:
            z.writestr("OEBPS/images/cover.png", cover)
        if padding:
            import random

            rng = random.Random(7)  # deterministic, incompressible
            z.writestr("OEBPS/pad.bin", rng.randbytes(padding))
    return path


def make_pdf(path: Path, title: str = "山中来信", author: str = "王小明", lang: str = "zh-CN"):
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(420, 595))
    pdf.docinfo["/Title"] = title
    pdf.docinfo["/Author"] = author
    pdf.docinfo["/ModDate"] = "D:20251023080000Z"
    pdf.Root.Lang = pikepdf.String(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.save(path, deterministic_id=True)
    return path


def validate(data: bytes):
    """Well-formed Atom that validates against the OPDS 1.2 schema; returns the tree."""
    root = etree.fromstring(data)
    assert root.tag == f"{{{opds.ATOM}}}feed"
    assert root.nsmap[None] == opds.ATOM  # Atom is the default namespace
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    assert schema.validate(root), schema.error_log.filter_from_errors()
    return root


@pytest.fixture
def shelf(tmp_path: Path) -> Path:
    folder = tmp_path / "build"
    make_epub(folder / "shan-zhong.epub")
    make_epub(folder / "shan-zhong.kepub.epub")
    make_pdf(folder / "shan-zhong.pdf")
    make_epub(
        folder / "notes.epub",
        title="Field Notes",
        author="Ann Lee",
        lang="en",
        identifier="12345",
        description="<p>Walks &amp; <b>talks</b></p>",
        modified="2024-01-02T03:04:05Z",
        cover=None,
    )
    return folder


def test_scan_reads_metadata_from_the_files(shelf):
    c = cat.scan(shelf)
    assert [b.title for b in c.books] == ["山中来信", "Field Notes"]  # newest first
    book = c.books[0]
    assert (book.author, book.language) == ("王小明", "zh-CN")
    assert book.identifier == "urn:uuid:11111111-2222-3333-4444-555555555555"
    assert [f.format for f in book.files] == ["epub", "kepub", "pdf"]
    assert book.cover and book.cover.media_type == "image/png"
    assert book.thumbnail[:2] == b"\xff\xd8"  # a JPEG
    notes = c.books[1]
    assert notes.description == "Walks & talks"  # HTML in the OPF reduced to words
    assert notes.identifier.startswith("urn:uuid:")  # a bare id is not an IRI
    assert notes.cover is None and notes.thumbnail is None


def test_pdf_only_book_gets_title_and_language_from_the_pdf(tmp_path):
    make_pdf(tmp_path / "b.pdf", title="Print Only", author="Z", lang="ja")
    (book,) = cat.scan(tmp_path).books
    assert (book.title, book.author, book.language) == ("Print Only", "Z", "ja")
    assert book.modified.isoformat() == "2025-10-23T08:00:00+00:00"


def test_broken_epub_is_listed_by_name_with_a_warning(tmp_path):
    (tmp_path / "broken.epub").write_bytes(b"not a zip")
    c = cat.scan(tmp_path)
    assert [b.title for b in c.books] == ["broken"]
    assert c.problems[0].path == "broken.epub" and c.problems[0].level == "warning"


def test_feed_validates_and_carries_every_link(shelf):
    c = cat.scan(shelf)
    urls = cat.Urls(base="/", feed="opds", page="", server=True)
    root = validate(opds.feed(c, urls))
    rels = root.xpath("a:link/@rel", namespaces=NS)
    assert {"self", "start", "search"} <= set(rels)
    entry = root.xpath("a:entry", namespaces=NS)[0]
    assert entry.findtext(f"{{{opds.ATOM}}}id") == c.books[0].identifier
    assert entry.xpath("string(dc:language)", namespaces=NS) == "zh-CN"
    assert entry.xpath("string(a:author/a:name)", namespaces=NS) == "王小明"
    assert entry.xpath("string(a:summary)", namespaces=NS) == "一本关于 Python 与山的书。"
    acq = entry.xpath("a:link[@rel=$r]", namespaces=NS, r=opds.ACQUISITION)
    assert [(a.get("href"), a.get("type")) for a in acq] == [
        ("/shan-zhong.epub", "application/epub+zip"),
        ("/shan-zhong.kepub.epub", "application/kepub+zip"),
        ("/shan-zhong.pdf", "application/pdf"),
    ]
    assert acq[0].get("length") == str((shelf / "shan-zhong.epub").stat().st_size)
    assert entry.xpath("a:link[@rel=$r]/@href", namespaces=NS, r=opds.IMAGE)
    assert entry.xpath("a:link[@rel=$r]/@type", namespaces=NS, r=opds.THUMBNAIL) == ["image/jpeg"]


def test_schema_rejects_an_entry_without_acquisition_link(shelf):
    """The schema is not a rubber stamp: it catches what an OPDS client would miss."""
    data = opds.feed(cat.scan(shelf), cat.Urls())
    root = etree.fromstring(data)
    for link in root.xpath("//a:link[@rel=$r]", namespaces=NS, r=opds.ACQUISITION):
        link.getparent().remove(link)
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    assert not schema.validate(root)


def test_schema_accepts_uris_with_r_and_t(shelf):
    """The official schema's URI pattern choked on the letters r and t; ours must not."""
    root = etree.fromstring(opds.feed(cat.scan(shelf), cat.Urls(base="http://tretter.art/r/t/")))
    validate(etree.tostring(root))


def test_feed_pages_above_100_books(tmp_path):
    for i in range(205):
        make_epub(
            tmp_path / f"b{i:03}.epub", title=f"Book {i}", identifier=f"urn:x:{i}", cover=None
        )
    c = cat.scan(tmp_path)
    urls = cat.Urls(base="/", feed="opds", page="", server=True)
    first = validate(opds.feed(c, urls, 1))
    assert len(first.xpath("a:entry", namespaces=NS)) == 100
    assert first.xpath("string(a:link[@rel='next']/@href)", namespaces=NS) == "/opds?page=2"
    assert not first.xpath("a:link[@rel='previous']", namespaces=NS)
    last = validate(opds.feed(c, urls, 3))
    assert len(last.xpath("a:entry", namespaces=NS)) == 5
    assert last.xpath("string(a:link[@rel='previous']/@href)", namespaces=NS) == "/opds?page=2"
    assert not last.xpath("a:link[@rel='next']", namespaces=NS)
    assert last.xpath("string(os:totalResults)", namespaces=NS) == "205"


def test_search_matches_every_word_in_any_case(shelf):
    c = cat.scan(shelf)
    assert [b.title for b in opds.search(c, "field ANN")] == ["Field Notes"]
    assert [b.title for b in opds.search(c, "python 山")] == ["山中来信"]
    assert opds.search(c, "nothing-like-this") == ()


def test_opensearch_description_uses_the_opds_media_type(shelf):
    data = opds.opensearch_description(cat.scan(shelf), "http://h/opds/search?q={searchTerms}")
    url = etree.fromstring(data).find(f"{{{opds.OPENSEARCH}}}Url")
    assert url.get("type") == opds.ACQUISITION_FEED
    assert url.get("template") == "http://h/opds/search?q={searchTerms}"


def test_opds2_json_lists_publications(shelf):
    data = json.loads(opds.feed_json(cat.scan(shelf), cat.Urls()))
    pub = data["publications"][0]
    assert pub["metadata"]["title"] == "山中来信"
    assert pub["links"][0] == {
        "rel": opds.ACQUISITION,
        "href": "shan-zhong.epub",
        "type": "application/epub+zip",
        "length": (shelf / "shan-zhong.epub").stat().st_size,
    }
    assert pub["images"][1]["type"] == "image/jpeg"


def test_catalog_command_writes_static_files_beside_the_books(make_project, run_cli):
    project = make_project({"bookmaker.toml": "[book]\ntitle = 'x'\n"})
    make_epub(project / "build" / "shan-zhong.epub")
    make_pdf(project / "build" / "shan-zhong.pdf")
    status, _, err = run_cli(project, "catalog", "--base-url", "https://example.com/books")
    assert status == 0, err
    out = project / "build"
    root = validate((out / "opds.xml").read_bytes())
    hrefs = root.xpath("//a:link[@rel=$r]/@href", namespaces=NS, r=opds.ACQUISITION)
    assert hrefs == [
        "https://example.com/books/shan-zhong.epub",
        "https://example.com/books/shan-zhong.pdf",
    ]
    thumb = root.xpath("string(//a:link[@rel=$r]/@href)", namespaces=NS, r=opds.THUMBNAIL)
    assert (out / thumb.removeprefix("https://example.com/books/")).is_file()
    page = (out / "index.html").read_text(encoding="utf-8")
    assert (
        'lang="zh-CN"' in page
        and "EPUB · " in page
        and "https://example.com/books/opds.xml" in page
    )
    assert json.loads((out / "opds.json").read_text(encoding="utf-8"))["publications"]
    first = (out / "opds.xml").read_bytes()
    assert run_cli(project, "catalog", "--base-url", "https://example.com/books")[0] == 0
    assert (out / "opds.xml").read_bytes() == first  # deterministic


def test_catalog_links_are_relative_without_base_url(make_project, run_cli):
    project = make_project({})
    make_epub(project / "build" / "a.epub")
    assert run_cli(project, "catalog")[0] == 0
    root = validate((project / "build" / "opds.xml").read_bytes())
    assert root.xpath("//a:link[@rel=$r]/@href", namespaces=NS, r=opds.ACQUISITION) == ["a.epub"]


def test_catalog_without_books_is_a_user_error(make_project, run_cli):
    status, _, err = run_cli(make_project({}), "catalog")
    assert status == 2 and "no books in" in err and "bookmaker build" in err
