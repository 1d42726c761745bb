"""A folder of books -> CatalogBooks: their files and the metadata read from the files themselves.

Metadata comes from the books (the EPUB's OPF, the PDF's document info), never from the
project, so any folder of EPUBs and PDFs can be served or catalogued.
"""

from __future__ import annotations

import html
import io
import logging
import posixpath
import re
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from lxml import etree

from .model import Problem
from .naming import ascii_slug, short_hash

log = logging.getLogger(__name__)

# Longest suffix first: `x.kepub.epub` is a KEPUB, not an EPUB called `x.kepub`.
FORMATS: tuple[tuple[str, str, str], ...] = (
    (".kepub.epub", "kepub", "application/kepub+zip"),
    (".epub", "epub", "application/epub+zip"),
    (".pdf", "pdf", "application/pdf"),
)
FORMAT_LABELS = {"epub": "EPUB", "kepub": "KEPUB", "pdf": "PDF"}
FORMAT_ORDER = {"epub": 0, "kepub": 1, "pdf": 2}

NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
MAX_COVER_BYTES = 20 * 1024 * 1024  # a bigger "cover" is not one; never inflate it
MAX_OPF_BYTES = 5 * 1024 * 1024
THUMB_BOX = (180, 270)  # fits a phone row and an e-ink list; about 8 KB as JPEG
UUID_NS = uuid.UUID("2f4b7f0e-8a43-4c59-9a8e-3f4c0a1d5e27")  # ids for books without a URI id
_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@dataclass(frozen=True)
class BookFile:
    path: Path
    name: str  # the file name in the folder (also its URL path, percent-encoded)
    format: str  # "epub" | "kepub" | "pdf"
    media_type: str
    size: int
    mtime_ns: int

    @property
    def suffix(self) -> str:
        return next(s for s, f, _ in FORMATS if f == self.format)

    @property
    def etag(self) -> str:
        # Strong: a rebuilt book always gets a new mtime or size (atomic rename).
        return f'"{self.size:x}-{self.mtime_ns:x}"'


@dataclass(frozen=True)
class Cover:
    data: bytes
    media_type: str
    ext: str  # ".jpg", ".png", …


@dataclass(frozen=True)
class CatalogBook:
    key: str  # ASCII and URL-safe: names the cover and thumbnail files
    title: str
    language: str
    identifier: str  # an IRI: the Atom entry id
    modified: datetime  # aware, UTC
    files: tuple[BookFile, ...]
    author: str = ""
    description: str = ""
    cover: Cover | None = None
    thumbnail: bytes | None = None  # JPEG

    def file(self, fmt: str) -> BookFile | None:
        return next((f for f in self.files if f.format == fmt), None)


@dataclass(frozen=True)
class Catalog:
    folder: Path
    books: tuple[CatalogBook, ...]
    problems: tuple[Problem, ...] = ()
    name: str = ""  # the project's [book] title, when there is one

    @property
    def updated(self) -> datetime:
        return max((b.modified for b in self.books), default=datetime(1970, 1, 1, tzinfo=UTC))

    @property
    def title(self) -> str:
        """The configured name; one book: its title; one author: the author; else "Books"."""
        if self.name:
            return self.name
        if len(self.books) == 1:
            return self.books[0].title
        authors = {b.author for b in self.books}
        if len(authors) == 1 and "" not in authors:
            return authors.pop()
        generic = {"", "build", "dist", "out", "output"}  # says nothing to a reader
        return "Books" if self.folder.name.lower() in generic else self.folder.name

    @property
    def language(self) -> str:
        """The language most books share: the download page is written in it."""
        langs = [b.language for b in self.books if b.language]
        # On a tie the newest book (listed first) wins: stable, and usually the one wanted.
        return max(dict.fromkeys(langs), key=langs.count) if langs else "en"


def scan(folder: Path, name: str = "") -> Catalog:
    """Every book in `folder` (not its subfolders), newest first."""
    groups: dict[str, list[BookFile]] = {}
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        found = _book_file(path)
        if found:
            stem, book_file = found
            groups.setdefault(stem, []).append(book_file)
    books, problems = [], []
    for stem, files in groups.items():
        book, problem = _book(stem, sorted(files, key=lambda f: FORMAT_ORDER[f.format]))
        books.append(book)
        if problem:
            problems.append(problem)
    books.sort(key=lambda b: (-b.modified.timestamp(), b.key))
    return Catalog(folder, _unique_keys(books), tuple(problems), name)


def _book_file(path: Path) -> tuple[str, BookFile] | None:
    name = path.name
    if name.startswith(".") or not path.is_file() or path.is_symlink():
        return None  # hidden, temporary (atomic writes) or pointing who knows where
    for suffix, fmt, media_type in FORMATS:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            st = path.stat()
            stem = name[: -len(suffix)]
            return stem, BookFile(path, name, fmt, media_type, st.st_size, st.st_mtime_ns)
    return None


def _book(stem: str, files: list[BookFile]) -> tuple[CatalogBook, Problem | None]:
    meta: dict = {}
    problem = None
    source = next((f for f in files if f.format in ("epub", "kepub")), None) or files[0]
    try:
        meta = read_epub(source.path) if source.format != "pdf" else read_pdf(source.path)
    except Exception as exc:  # any broken book: list it by name, say what was wrong
        problem = Problem(source.name, f"cannot read the book's metadata: {exc}", "warning")
        log.debug("metadata of %s", source.path, exc_info=True)
    newest = max(f.mtime_ns for f in files) / 1e9
    modified = meta.get("modified") or datetime.fromtimestamp(newest, UTC)
    cover = meta.get("cover")
    book = CatalogBook(
        key=_key(stem),
        title=meta.get("title") or stem,
        language=meta.get("language") or "",
        identifier=_iri(meta.get("identifier") or "", stem),
        modified=modified.astimezone(UTC).replace(microsecond=0),
        files=tuple(files),
        author=meta.get("author") or "",
        description=meta.get("description") or "",
        cover=cover,
        thumbnail=thumbnail(cover.data) if cover else None,
    )
    return book, problem


def _key(stem: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,80}", stem):
        return stem
    return f"{ascii_slug(stem, 'book')}-{short_hash(stem, 8)}"


def _unique_keys(books: list[CatalogBook]) -> tuple[CatalogBook, ...]:
    from dataclasses import replace

    seen: set[str] = set()
    out = []
    for b in books:
        key, n = b.key, 2
        while key in seen:
            key, n = f"{b.key}-{n}", n + 1
        seen.add(key)
        out.append(b if key == b.key else replace(b, key=key))
    return tuple(out)


def _iri(identifier: str, stem: str) -> str:
    """Atom ids must be IRIs: `urn:isbn:…` stays, a bare `12345` becomes a stable urn:uuid."""
    identifier = identifier.strip()
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", identifier):
        return identifier
    return f"urn:uuid:{uuid.uuid5(UUID_NS, identifier or stem)}"


# --- EPUB --------------------------------------------------------------------------------


def read_epub(path: Path) -> dict:
    """title, author, language, identifier, modified, description, cover from the OPF."""
    with zipfile.ZipFile(path) as z:
        container = etree.fromstring(_member(z, "META-INF/container.xml", MAX_OPF_BYTES), _XML)
        opf_name = container.xpath("string(//c:rootfile/@full-path)", namespaces=NS)
        opf = etree.fromstring(_member(z, opf_name, MAX_OPF_BYTES), _XML)
        meta = _opf_metadata(opf)
        meta["cover"] = _epub_cover(z, opf, posixpath.dirname(opf_name))
    return meta


def _member(z: zipfile.ZipFile, name: str, limit: int) -> bytes:
    info = z.getinfo(name)
    if info.file_size > limit:
        raise ValueError(f"{name} is {info.file_size} bytes, more than a book part can be")
    return z.read(info)


def _opf_metadata(opf) -> dict:
    def first_raw(expr: str) -> str:
        return opf.xpath(f"string(({expr})[1])", namespaces=NS)

    def first(expr: str) -> str:
        return " ".join(first_raw(expr).split())

    uid = opf.get("unique-identifier", "")
    ids = opf.xpath("//opf:metadata/dc:identifier[@id=$uid]", namespaces=NS, uid=uid)
    identifier = " ".join(ids[0].xpath("string()").split()) if ids else ""
    creators = opf.xpath("//opf:metadata/dc:creator/text()", namespaces=NS)
    creators = [" ".join(c.split()) for c in creators]
    modified = first("//opf:metadata/opf:meta[@property='dcterms:modified']")
    return {
        "title": first("//opf:metadata/dc:title"),
        "author": ", ".join(c for c in creators if c),
        "language": first("//opf:metadata/dc:language"),
        "identifier": identifier or first("//opf:metadata/dc:identifier"),
        "modified": _parse_date(modified or first("//opf:metadata/dc:date")),
        "description": _plain(first_raw("//opf:metadata/dc:description")),
    }


def _plain(text: str) -> str:
    """Descriptions are often escaped HTML: keep the words only."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", text)).split())


def _parse_date(text: str) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _epub_cover(z: zipfile.ZipFile, opf, base: str) -> Cover | None:
    items = opf.xpath("//opf:manifest/opf:item", namespaces=NS)
    cover_id = opf.xpath("string(//opf:metadata/opf:meta[@name='cover']/@content)", namespaces=NS)
    item = next((i for i in items if "cover-image" in i.get("properties", "").split()), None)
    if item is None:  # EPUB 2: <meta name="cover" content="item id">
        item = next((i for i in items if cover_id and i.get("id") == cover_id), None)
    if item is None or not item.get("media-type", "").startswith("image/"):
        return None
    name = posixpath.normpath(posixpath.join(base, item.get("href", "")))
    media_type = item.get("media-type")
    try:
        data = _member(z, name, MAX_COVER_BYTES)
    except (KeyError, ValueError):
        return None
    ext = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif"}.get(media_type)
    return Cover(data, media_type, ext) if ext else None


def thumbnail(data: bytes) -> bytes | None:
    """A small JPEG of a cover image; None when the image cannot be read."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            im.draft("RGB", THUMB_BOX)  # JPEG: decode at a reduced size, much faster
            im = im.convert("RGB")
            im.thumbnail(THUMB_BOX)
            out = io.BytesIO()
            im.save(out, "JPEG", quality=78, optimize=True)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError):
        return None


# --- PDF ---------------------------------------------------------------------------------


def read_pdf(path: Path) -> dict:
    import pikepdf
    from pikepdf.models.metadata import decode_pdf_date

    with pikepdf.open(path) as pdf:
        info = pdf.docinfo
        text = {k: str(info.get(f"/{k}", "")).strip() for k in ("Title", "Author", "Subject")}
        modified = None
        raw = str(info.get("/ModDate", "") or info.get("/CreationDate", ""))
        if raw:
            try:
                modified = decode_pdf_date(raw)
            except ValueError:
                modified = None
        lang = str(pdf.Root.get("/Lang", "")).strip()
        with pdf.open_metadata() as xmp:
            identifier = str(xmp.get("dc:identifier", "") or "")
    return {
        "title": text["Title"],
        "author": text["Author"],
        "description": text["Subject"],
        "language": lang,
        "identifier": identifier,
        "modified": modified if modified and modified.tzinfo else None,
    }


_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def download_name(title: str, suffix: str, stem: str = "book") -> str:
    """The book's title as a file name any system accepts: `中文书名.epub`."""
    clean = " ".join(_UNSAFE_NAME.sub(" ", title).split())[:120].strip(". ")
    return (clean or stem) + suffix


def human_size(size: int) -> str:
    """`2.3 MB`: decimal units, as phones and e-readers show them."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"


@dataclass(frozen=True)
class Urls:
    """Where things are, as links: the server's paths or the static files' relative names.

    `base` is "" (relative: the static catalog), "/" or "/TOKEN/" (the server), or a full
    URL ending in "/" (`catalog --base-url`).
    """

    base: str = ""
    feed: str = "opds.xml"
    feed_json: str = "opds.json"
    page: str = "index.html"
    server: bool = False  # a server answers searches and `?page=`; static files cannot

    def book(self, f: BookFile) -> str:
        return self.base + quote(f.name)

    def cover(self, b: CatalogBook) -> str:
        return f"{self.base}covers/{b.key}{b.cover.ext}" if b.cover else ""

    def thumb(self, b: CatalogBook) -> str:
        return f"{self.base}thumbs/{b.key}.jpg" if b.thumbnail else ""

    def feed_page(self, n: int) -> str:
        if n <= 1:
            return self.base + self.feed
        if self.server:
            return f"{self.base}{self.feed}?page={n}"
        stem, dot, ext = self.feed.rpartition(".")
        return f"{self.base}{stem}-{n}{dot}{ext}"

    def anchor(self, b: CatalogBook) -> str:
        return f"{self.base}{self.page}#{b.key}"


def publish(folder: Path, base: Path, base_url: str = "", name: str = "") -> tuple[Path, ...]:
    """`bookmaker catalog`: the feed, the page and the thumbnails as files beside the books."""
    from . import downloadpage, opds, qr
    from .atomic import write_bytes
    from .errors import BookmakerError

    catalog = scan(folder, name)
    if not catalog.books:
        raise BookmakerError(f"no books in {folder}: run `bookmaker build` first")
    for p in catalog.problems:
        log.warning("%s", p)
    prefix = base_url.rstrip("/") + "/" if base_url else ""
    urls = Urls(base=prefix)
    files: dict[str, bytes] = {}
    pages = max(1, -(-len(catalog.books) // opds.PAGE_SIZE))
    for n in range(1, pages + 1):
        files[urls.feed_page(n)[len(prefix) :]] = opds.feed(catalog, urls, n)
    files[urls.feed_json] = opds.feed_json(catalog, urls)
    if prefix:
        files["qr.svg"] = qr.svg(prefix)
    qr_href = prefix + "qr.svg" if prefix else ""
    page = downloadpage.render(catalog, urls, base, prefix + urls.feed, qr_href)
    files[urls.page] = page.encode("utf-8")
    for b in catalog.books:
        if b.thumbnail:
            files[f"thumbs/{b.key}.jpg"] = b.thumbnail
        if b.cover:
            files[f"covers/{b.key}{b.cover.ext}"] = b.cover.data
    for name, data in files.items():
        write_bytes(folder / name, data)
    return tuple(folder / name for name in files)
