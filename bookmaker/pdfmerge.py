"""Rendered PDF parts -> one book: pages in order, folios stamped, links, outline, labels.

Works on files WeasyPrint wrote (pikepdf, which merges ~6x faster than pypdf). The page
plan (`paginate`) decides where blank versos go and which chunk pages must move sideways
because a chunk that starts mid-chapter turned out to start on the other side of a leaf.
"""

from __future__ import annotations

import logging
import mmap
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, String

from . import ctrlc
from .pdfchunks import PageInfo
from .pdfdoc import ANCHOR_URL

log = logging.getLogger(__name__)

PT_PER_PX = 0.75
# The second /ID qpdf writes when told to write a fixed one (`static_id`): see `save`.
QPDF_STATIC_ID = b"<31415926535897932384626433832795>"


@dataclass(frozen=True)
class Slot:
    """One body page: a page of a rendered part, or a blank verso put in by us."""

    part: int  # index into the body parts, -1 for an inserted blank
    page: int  # index inside that part
    shift: int  # -1: laid out as recto, sits on a verso; +1: the reverse; 0: as laid out
    blank: bool


@dataclass(frozen=True)
class Pagination:
    slots: tuple[Slot, ...]
    anchors: dict  # id -> (body page index from 0, x px, y px)


def paginate(parts: list[tuple[PageInfo, ...]], openers: set[str], shift_px: float) -> Pagination:
    """Body page order for the parts' pages; page 1 is a right-hand page.

    WeasyPrint's own blank pages are dropped: a part laid out from a guessed side put them
    where its guess needed them. A blank verso goes in wherever a page holding an opener
    (an anchor in `openers`) would otherwise fall on a left-hand page, and after the last
    page when the body would end on a right-hand one (the front matter is even too).
    """
    slots: list[Slot] = []
    anchors: dict = {}
    for index, pages in enumerate(parts):
        for i, info in enumerate(pages):
            if info.blank:
                continue
            if len(slots) % 2 == 1 and any(a in openers for a, _, _ in info.anchors):
                slots.append(Slot(-1, 0, 0, True))
            right = len(slots) % 2 == 0
            shift = 0 if info.right == right else (1 if right else -1)
            for name, x, y in info.anchors:
                anchors.setdefault(name, (len(slots), x + shift * shift_px, y))
            slots.append(Slot(index, i, shift, False))
    if len(slots) % 2:  # a printed book ends on a verso: the last leaf's back stays blank
        slots.append(Slot(-1, 0, 0, True))
    return Pagination(tuple(slots), anchors)


def page_selection(parts: list[Path], pagination: Pagination) -> list[str]:
    """qpdf's `--pages` arguments for the parts' pages the body keeps, in order."""
    selection: list[str] = []
    for index, path in enumerate(parts):
        pages = [slot.page + 1 for slot in pagination.slots if slot.part == index]
        if pages:
            selection += [str(path), _ranges(pages)]
    return selection


def copy_pages(selection: list[str], into: str) -> None:
    """The selected pages into one file, by qpdf (which holds the GIL until it is done).

    pikepdf reads every stream it copies from another Pdf into memory (the 440 MB of
    pictures of a 1,000-article book); qpdf's own page merge reads them from the parts as
    it writes, and the book made from its file keeps them on disk until it is saved.
    """
    ctrlc.quiet_in_worker()  # (a process of its own: the build says "interrupted")
    pikepdf.Job(
        ["qpdf", "--empty", "--stream-data=preserve", "--pages", *selection, "--", into]
    ).run()


def assemble_body(merged: Path | None, pagination: Pagination, shift_pt: float) -> Pdf:
    """The body from `copy_pages`'s file: blank versos put in, pages moved sideways.

    The front matter comes later. `merged` is None when no part kept a page.
    """
    if merged is None:
        return Pdf.new()
    book = Pdf.open(merged)
    if "/ID" in book.trailer:  # random; without it the book's is made from its content
        del book.trailer["/ID"]
    template = book.pages[0]
    for i, slot in enumerate(pagination.slots):
        if slot.blank:
            book.pages.insert(i, _blank_page(book, template))
        elif slot.shift:
            _shift(book.pages[i], slot.shift * shift_pt)
    return book


def _ranges(pages: list[int]) -> str:
    """qpdf's page ranges for ascending page numbers: [1, 2, 3, 5] -> "1-3,5"."""
    runs: list[list[int]] = []
    for n in pages:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def prepend_front(book: Pdf, front: Path) -> int:
    """The front matter before the body, and a blank verso when it ends on a recto.

    Returns the index of the body's first page. Links and outline entries point at page
    objects, so whatever was made of the body before keeps its targets.
    """
    source = Pdf.open(front)
    for key, value in source.Root.items():  # PDF/A's XMP metadata and output intents, /Lang
        if key not in ("/Type", "/Pages", "/Outlines", "/PageLabels"):
            owned = value if value.is_indirect else source.make_indirect(value)
            book.Root[key] = book.copy_foreign(owned)
    for i, page in enumerate(source.pages):
        book.pages.insert(i, page)
    count = len(source.pages)
    if count % 2:
        book.pages.insert(count, _blank_page(book, book.pages[count - 1]))
    return count + count % 2


def _blank_page(pdf: Pdf, like) -> pikepdf.Page:
    page = Dictionary(Type=Name.Page, Resources=Dictionary(), Contents=pdf.make_stream(b""))
    for box in ("/MediaBox", "/TrimBox", "/BleedBox"):
        if box in like.obj:
            page[box] = Array([float(v) for v in like.obj[box]])
    return pikepdf.Page(page)


def _shift(page: pikepdf.Page, dx: float) -> None:
    """Move a page's content sideways: its inner and outer margins swap."""
    page.contents_add(pdf_bytes(f"q 1 0 0 1 {dx:.3f} 0 cm\n"), prepend=True)
    page.contents_add(b"\nQ", prepend=False)
    for annot in page.obj.get("/Annots", []):
        r = [float(v) for v in annot.Rect]
        annot.Rect = Array([r[0] + dx, r[1], r[2] + dx, r[3]])


def pdf_bytes(text: str) -> bytes:
    return text.encode("ascii")


def stamp_pages(book: Pdf, first_body: int, folios: list[Path]) -> None:
    """Overlay the body pages, in order, with the pages of the rendered stamp documents."""
    pages = iter(list(book.pages)[first_body:])  # (`pages[i]` walks the page tree)
    for path in folios:
        stamps = Pdf.open(path)
        for stamp in stamps.pages:
            form = stamp.as_form_xobject()
            form.BBox = stamp.mediabox  # not the trim box (qpdf's default): crop marks show
            overlay(next(pages), book.copy_foreign(form))


def overlay(page: pikepdf.Page, form) -> None:
    # pikepdf's add_overlay picks a random resource name: the same book must give the
    # same bytes, so the stamp gets a fixed one. Stamp and page share their coordinates.
    # WeasyPrint shares one resource dictionary between all pages of a document: the page
    # gets its own (shallow) copy before the stamp is added to it.
    shared = page.obj.get("/Resources", Dictionary())
    resources = Dictionary({k: v for k, v in shared.items() if k != "/XObject"})
    xobjects = Dictionary(dict(shared.get("/XObject", Dictionary()).items()))
    xobjects.BmFolio = form
    resources.XObject = xobjects
    page.obj.Resources = resources
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"\nQ\nq /BmFolio Do Q\n", prepend=False)


# ---- links, outline, labels -------------------------------------------------------------


def link(
    book: Pdf, first_body: int, anchors: dict, articles: frozenset = frozenset(), pages=None
) -> int:
    """In-book links (`ANCHOR_URL#id`) -> GoTo destinations; returns how many were dropped.

    A link to an id the book does not have (`#<slug>-<fragment>` where the fragment was
    renamed or never existed) goes to its article, `#<slug>`, one of `articles`.
    `pages`: the pages whose links to turn (all of them by default).
    """
    dropped = 0
    # Listed once: pikepdf's `pages[i]` walks the page tree on every call (0.1 ms; a third
    # of a second for the contents of a 1,000-article book). The list itself takes ~1 ms.
    body = [page.obj for page in book.pages][first_body:]
    for page in book.pages if pages is None else pages:
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        keep = Array()
        for annot in annots:
            uri = str(annot.get("/A", {}).get("/URI", "")) if "/A" in annot else ""
            if not uri.startswith(ANCHOR_URL):
                keep.append(annot)
                continue
            target = anchors.get(_anchor(uri[len(ANCHOR_URL) :], anchors, articles))
            if target is None:
                dropped += 1
                continue
            del annot["/A"]
            annot.Dest = destination(body, target)
            keep.append(annot)
        page.obj.Annots = keep
    return dropped


def _anchor(name: str, anchors: dict, articles: frozenset) -> str:
    """`name` if the book has it, else the longest article slug it starts with."""
    if name in anchors:
        return name
    cut = name.rfind("-")
    while cut > 0:
        if name[:cut] in articles:
            return name[:cut]
        cut = name.rfind("-", 0, cut)
    return name


def destination(body: list, target) -> Array:
    """A GoTo destination for `target` = (page index in `body`, x, y in CSS px)."""
    index, x, y = target
    page = body[index]
    height = float(page.MediaBox[3])
    return Array([page, Name.XYZ, x * PT_PER_PX, height - y * PT_PER_PX, 0])


def outline(book: Pdf, first_body: int, tree: list, anchors: dict) -> None:
    """`tree` = [(title, anchor id, children)] -> the PDF outline (bookmarks)."""
    with book.open_outline() as root:
        root.root.clear()
        root.root.extend(_items(book, first_body, tree, anchors))


def _items(book, first_body, tree, anchors) -> list:
    items = []
    for title, anchor, children in tree:
        target = anchors.get(anchor)
        if target is None:
            continue
        item = pikepdf.OutlineItem(title, first_body + target[0])
        item.children.extend(_items(book, first_body, children, anchors))
        items.append(item)
    return items


def page_labels(book: Pdf, first_body: int) -> None:
    """Front matter i, ii, …; the body 1, 2, … as printed: viewers show the book's numbers."""
    nums = Array([0, Dictionary(S=Name.r)]) if first_body else Array()
    nums.extend([first_body, Dictionary(S=Name.D, St=1)])
    book.Root.PageLabels = Dictionary(Nums=nums)


def facing_pages(book: Pdf) -> None:
    """Viewers that honour it open the book as it lies on a desk: the cover alone, then
    each verso beside its recto, so a spread (and a running head's side) can be judged."""
    book.Root.PageLayout = Name.TwoPageRight


def metadata(book: Pdf, meta, producer: str) -> None:
    created = _pdf_date(meta.first_date or meta.modified)
    modified = _pdf_date(meta.modified)
    with book.open_metadata(set_pikepdf_as_editor=False) as xmp:
        xmp["dc:title"] = meta.title
        if meta.author:
            xmp["dc:creator"] = [meta.author]
        xmp["dc:language"] = [meta.language]
        if meta.description:
            xmp["dc:description"] = meta.description
        if meta.subjects:
            xmp["dc:subject"] = list(meta.subjects)
            xmp["pdf:Keywords"] = ", ".join(meta.subjects)
        xmp["xmp:CreatorTool"] = producer
        xmp["pdf:Producer"] = producer
        xmp["xmp:CreateDate"] = (meta.first_date or meta.modified).isoformat()
        xmp["xmp:ModifyDate"] = meta.modified.isoformat()
        xmp["xmp:MetadataDate"] = meta.modified.isoformat()
    info = book.docinfo
    info.Title = String(meta.title)
    if meta.author:
        info.Author = String(meta.author)
    if meta.subjects:
        info.Keywords = String(", ".join(meta.subjects))
    if meta.description:
        info.Subject = String(meta.description)
    info.Creator = String(producer)
    info.Producer = String(producer)
    info.CreationDate = String(created)
    info.ModDate = String(modified)
    book.Root.Lang = String(meta.language)


def _pdf_date(dt) -> str:
    offset = dt.strftime("%z") or "+0000"
    return dt.strftime("D:%Y%m%d%H%M%S") + f"{offset[:3]}'{offset[3:]}'"


def save(book: Pdf, out: Path, ident: bytes, min_version: str) -> None:
    """Write `book` to `out` with the /ID [ident ident] (16 bytes that name its content).

    qpdf's own deterministic /ID is an MD5 of the whole file as it is written: half a
    second of a 440 MB book, alone at the very end of the build. qpdf keeps the first /ID
    it is given and, told to (`static_id`), writes a fixed second one; that one is then
    overwritten in place, the same length, in the cross-reference dictionary at the end.
    """
    book.trailer.ID = Array([String(ident), String(ident)])
    book.save(
        out,
        min_version=min_version,
        static_id=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    with open(out, "r+b") as f, mmap.mmap(f.fileno(), 0) as data:
        at = data.rfind(QPDF_STATIC_ID)
        if at >= 0:  # (another qpdf's fixed /ID would stay: valid, and the same every time)
            data[at : at + len(QPDF_STATIC_ID)] = b"<" + ident.hex().encode() + b">"
