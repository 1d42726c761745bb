"""Running heads and page numbers -> a stamp on every body page, from a few specimen pages.

Rendering one stamp page per body page with WeasyPrint costs ~5 ms a page (16 margin boxes
each): 15 s of CPU for a 3,000-page book. The heads repeat (book title, a few dozen chapter
titles) and a page number is a row of digits, so WeasyPrint renders only specimens, laid
out by print.css as before: each distinct head on each side, and on each side the folio
"0123456789" and the folio "0". A page's stamp is then its head's specimen plus the
digits specimen's text object with its glyphs replaced by the page number's, moved as
the margin box's alignment moves it (found from the two folio specimens). When the
specimens are not what this expects (a folio drawn in two fonts, kerned digits), the
caller renders every stamp page as before.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import pikepdf
from pikepdf import Dictionary, Name, Pdf

log = logging.getLogger(__name__)

DIGITS = "0123456789"
# One text object of WeasyPrint 70's, as it draws a margin box's line of text.
TEXT = re.compile(
    rb"BT\n1 0 0 -1 (?P<x>[-\d.]+) (?P<y>[-\d.]+) Tm\n(?P<font>/\S+) (?P<size>[\d.]+) Tf\n"
    rb"\[(?P<glyphs>[^\]]*)\] TJ\nET"
)
GLYPH = re.compile(rb"<([0-9a-f]{4})>0")


@dataclass(frozen=True)
class Specimens:
    """Where each specimen is in the specimen document: page indexes from 0."""

    pages: tuple[dict, ...]  # {"head", "folio", "lang"} per specimen page, to render
    heads: dict  # (head, lang, right) -> page index
    digits: dict  # right -> page index of the folio "0123456789"
    zero: dict  # right -> page index of the folio "0"


def plan(stamps: list[dict]) -> Specimens:
    """The specimens the body's stamps need; page n of the body (from 1) is right when odd."""
    pages: list[dict] = []

    def put(head: str, folio: str, right: bool, lang: str = "") -> int:
        if (len(pages) % 2 == 0) != right:  # a specimen document's first page is a right one
            pages.append({"head": "", "folio": ""})
        pages.append({"head": head, "folio": folio, "lang": lang})
        return len(pages) - 1

    digits = {right: put("", DIGITS, right) for right in (True, False)}
    zero = {right: put("", "0", right) for right in (True, False)}
    heads: dict = {}
    for n, stamp in enumerate(stamps, start=1):
        key = (stamp["head"], stamp.get("lang", ""), n % 2 == 1)
        if stamp["head"] and key not in heads:
            heads[key] = put(stamp["head"], "", key[2], key[1])
    return Specimens(tuple(pages), heads, digits, zero)


def stamp(book: Pdf, first_body: int, stamps: list[dict], specimens: Specimens, path) -> bool:
    """Stamp every body page from the rendered specimens; False if they cannot be used."""
    source = Pdf.open(path)
    folios = {right: _Folio.read(source, specimens, right) for right in (True, False)}
    if None in folios.values():
        log.debug("pdf: folio specimens not as expected: rendering every stamp page")
        return False
    heads: dict = {}
    pages = list(book.pages)  # once: `book.pages[i]` walks the page tree on every call
    for n, s in enumerate(stamps, start=1):
        right = n % 2 == 1
        head = None  # a blank page gets a stamp too: with --bleed it draws the crop marks
        if s["head"]:
            key = (s["head"], s.get("lang", ""), right)
            if key not in heads:
                heads[key] = _form(book, source.pages[specimens.heads[key]])
            head = heads[key]
        page = pages[first_body + n - 1]
        _overlay(page, folios[right].form(book, s["folio"], head, page.mediabox))
    return True


def _form(book: Pdf, page: pikepdf.Page):
    form = page.as_form_xobject()
    form.BBox = page.mediabox  # not the trim box (qpdf's default): crop marks show
    return book.copy_foreign(form)


class _Folio:
    """The digits specimen of one side: its content as a template, its font's widths."""

    def __init__(self, template: bytes, match, resources, widths: dict, gids: list, shift):
        self.template, self.match, self.resources = template, match, resources
        self.widths, self.gids, self.shift = widths, gids, shift
        self.copied = None
        self.size = float(match["size"])

    @classmethod
    def read(cls, source: Pdf, specimens: Specimens, right: bool) -> _Folio | None:
        page = source.pages[specimens.digits[right]]
        one = _text(source.pages[specimens.zero[right]])
        template = page.obj.Contents.read_bytes() if "/Contents" in page.obj else b""
        matches = list(TEXT.finditer(template))
        if len(matches) != 1 or one is None:
            return None
        m = matches[0]
        gids = GLYPH.findall(m["glyphs"])
        font = page.obj.Resources.get("/Font", {}).get(m["font"].decode())
        if len(gids) != len(DIGITS) or GLYPH.sub(b"", m["glyphs"]).strip() or font is None:
            return None
        widths = _widths(font.DescendantFonts[0])
        if any(int(g, 16) not in widths for g in gids):
            return None
        folio = cls(template, m, page.obj.Resources, widths, gids, 0.0)
        full, single = folio.width(DIGITS), folio.width("0")
        # How far the text moves per unit of width lost: 0 left-aligned, 1/2 centred, 1 right.
        folio.shift = (float(one["x"]) - float(m["x"])) / (full - single)
        return folio

    def width(self, number: str) -> float:
        return sum(self.widths[int(self.gids[int(d)], 16)] for d in number) * self.size / 1000

    def form(self, book: Pdf, number: str, head, mediabox):
        x = float(self.match["x"]) + self.shift * (self.width(DIGITS) - self.width(number))
        glyphs = b"".join(b"<" + self.gids[int(d)] + b">0" for d in number)
        m = self.match
        text = b"BT\n1 0 0 -1 %b %b Tm\n%b %b Tf\n[%b] TJ\nET" % (
            f"{x:f}".encode(),
            m["y"],
            m["font"],
            m["size"],
            glyphs,
        )
        if self.copied is None:
            self.copied = book.copy_foreign(self.resources)
        resources = Dictionary({k: v for k, v in self.copied.items() if k != "/XObject"})
        xobjects = Dictionary(dict(self.copied.get("/XObject", Dictionary()).items()))
        body = self.template.replace(self.match[0], text if number else b"", 1)
        if head is not None:  # its specimen draws the crop marks too: drawn twice, harmless
            xobjects.BmHead = head
            body = b"q /BmHead Do Q\n" + body
        resources.XObject = xobjects
        form = book.make_stream(body)
        form.Type, form.Subtype = Name.XObject, Name.Form
        form.BBox, form.Resources = mediabox, resources
        return form


def _text(page: pikepdf.Page):
    data = page.obj.Contents.read_bytes() if "/Contents" in page.obj else b""
    matches = list(TEXT.finditer(data))
    return matches[0] if len(matches) == 1 else None


def _widths(descendant) -> dict[int, float]:
    """Glyph id -> advance in 1/1000 em, from a CID font's /W array."""
    out: dict[int, float] = {}
    w = list(descendant.get("/W", []))
    i = 0
    while i < len(w):
        first, nxt = int(w[i]), w[i + 1]
        if isinstance(nxt, pikepdf.Array):
            out.update((first + j, float(v)) for j, v in enumerate(nxt))
            i += 2
        else:
            out.update((g, float(w[i + 2])) for g in range(first, int(nxt) + 1))
            i += 3
    return out


def _overlay(page: pikepdf.Page, form) -> None:
    from .pdfmerge import overlay  # pdfmerge imports nothing of ours: no cycle, but lazy

    overlay(page, form)
