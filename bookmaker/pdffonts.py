"""Merged chunk PDFs -> one embedded subset per font instead of one per chunk.

Each chunk embeds its own subset of every face it uses (about 11% of a big book's file).
WeasyPrint subsets with glyph ids retained, so one subset holding the union of every
chunk's glyphs serves all of them: the chunks' font dictionaries (their own widths and
ToUnicode maps) stay, and all point at the one font program.
"""

from __future__ import annotations

import logging
import zlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from pikepdf import Array, Pdf

from .fonts import find_face
from .pdfresources import resource_dicts

log = logging.getLogger(__name__)

DROP_TABLES = (
    "BASE",
    "DSIG",
    "EBDT",
    "EBLC",
    "EBSC",
    "GPOS",
    "GSUB",
    "JSTF",
    "LTSH",
    "PCLT",
    "SVG ",
)


@dataclass(frozen=True)
class Face:
    """Where a PDF font name came from: enough to find the font file again."""

    family: str
    weight: int
    index: int
    size: int  # bytes of the font file (a collection's whole file)


def faces_of(document) -> dict[str, Face]:
    """PDF font name -> Face, for the fonts a rendered WeasyPrint document used."""
    from weasyprint.text.ffi import harfbuzz

    out = {}
    for font in document.fonts.values():
        name = font.name.decode("latin-1").lstrip("/")
        blob = harfbuzz.hb_face_reference_blob(font.hb_face)  # the file's length, no copy
        size = harfbuzz.hb_blob_get_length(blob)
        harfbuzz.hb_blob_destroy(blob)
        out[name] = Face(font.family, int(font.weight), int(font.index), size)
    return out


def lazy_font_files() -> None:
    """Stop WeasyPrint 70 holding a copy of the whole font file for every font it draws with.

    Its `Font` copies the face's file into a bytes object when created (a Noto CJK
    collection is 20-27 MB, and a book draws with six to ten fonts), then subsets from the
    HarfBuzz face, which never needs the copy. Made lazy, a 90-page part's worker peaks at
    about half the memory. Read back only if WeasyPrint asks (variable fonts, forms).

    The copy is not even made: reading it brought every page of the mapped font files into
    the worker (~110 MB of a 150-page part's 340, counted again in each worker) and took
    ~45 ms a part. Only while a `Font` is made does the whole-face read come back empty.
    """
    from weasyprint.pdf import fonts as wfonts

    if isinstance(wfonts.Font.__dict__.get("file_content"), property):
        return
    read = wfonts.get_hb_object_data

    def get(font) -> bytes:
        data = font.__dict__.get("_file_content")
        if data is None:
            data = read(font.hb_face)
        return data

    def put(font, data: bytes) -> None:
        font.__dict__["_file_content"] = data

    def no_copy(hb_object, ot_color=None, glyph=None):
        return None if ot_color is None else read(hb_object, ot_color, glyph)

    init = wfonts.Font.__init__

    def __init__(font, *args, **kwargs):
        wfonts.get_hb_object_data = no_copy
        try:
            init(font, *args, **kwargs)
        finally:
            wfonts.get_hb_object_data = read
        font.__dict__.pop("_file_content", None)  # None: read when asked for

    wfonts.Font.file_content = property(get, put)
    wfonts.Font.__init__ = __init__


def share_subsets(pdf: Pdf, faces: dict[str, Face], font_dirs: tuple[Path, ...]) -> int:
    """Give every group of same-named fonts one merged program; returns the bytes saved."""
    saved = 0
    for name, members in _groups(pdf).items():
        programs = {_program(d)[1].objgen for d in members}
        face = faces.get(name)
        if len(programs) < 2 or face is None:
            continue
        before = sum(len(_program(d)[1].read_raw_bytes()) for d in _unique_programs(members))
        data = _merged(face, _glyphs(members), font_dirs)
        if data is None:
            log.debug("pdf: keeping %d copies of %s", len(programs), name)
            continue
        key, first = _program(members[0])
        if (data[:4] == b"OTTO") != (key == "/FontFile3"):
            continue
        stream = pdf.make_stream(data)
        for k, v in first.stream_dict.items():
            if k not in ("/Length", "/Filter", "/DecodeParms", "/Length1"):
                stream[k] = v
        if key == "/FontFile2":
            stream.Length1 = len(data)
        for d in members:
            d.FontDescriptor[key] = stream
            if "/CIDSet" in d.FontDescriptor:
                del d.FontDescriptor["/CIDSet"]  # optional, and no longer exact
        saved += before - len(zlib.compress(data))  # as it will be stored
    return saved


def _groups(pdf: Pdf) -> dict[str, list]:
    groups: dict[str, list] = defaultdict(list)
    seen = set()
    for resources in resource_dicts(pdf):
        for font in (resources.get("/Font") or {}).values():
            for d in font.get("/DescendantFonts", []):
                if d.objgen in seen or "/FontDescriptor" not in d or _program(d)[1] is None:
                    continue
                seen.add(d.objgen)
                groups[str(d.BaseFont).lstrip("/")].append(d)
    return groups


def _program(descendant):
    fd = descendant.FontDescriptor
    for key in ("/FontFile3", "/FontFile2"):
        if key in fd:
            return key, fd[key]
    return None, None


def _unique_programs(members):
    seen = {}
    for d in members:
        seen.setdefault(_program(d)[1].objgen, d)
    return seen.values()


def _glyphs(members) -> set[int]:
    """Glyph ids (= CIDs: WeasyPrint keeps ids) every member uses, from its /W array."""
    gids: set[int] = set()
    for d in members:
        widths = list(d.get("/W", []))
        i = 0
        while i < len(widths):
            first = int(widths[i])
            nxt = widths[i + 1]
            if isinstance(nxt, Array):
                gids.update(range(first, first + len(nxt)))
                i += 2
            else:
                gids.update(range(first, int(nxt) + 1))
                i += 3
    return gids


def _merged(face: Face, gids: set[int], font_dirs: tuple[Path, ...]) -> bytes | None:
    """A subset of the original face with `gids` at their own ids, as WeasyPrint makes it."""
    import uharfbuzz as hb

    found = find_face(face.family, face.weight, font_dirs)
    if found is None or found.index != face.index or found.path.stat().st_size != face.size:
        return None
    source = hb.Face(hb.Blob.from_file_path(str(found.path)), face.index)
    gids = gids | {0}
    first = _subset(hb, source, gids, retain=True)
    if first is None:
        return None
    # Second pass, as WeasyPrint does: drop the empty glyphs after the last one used.
    last = _subset(hb, first, set(range(max(gids) + 1)), retain=False)
    return bytes((last or first).blob.data)


def _subset(hb, face, gids: set[int], retain: bool):
    plan = hb.SubsetInput()
    plan.glyph_set.update(sorted(gids))
    flags = hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
    if retain:
        flags |= hb.SubsetFlags.RETAIN_GIDS
    plan.flags = flags
    plan.drop_table_tag_set.update(int.from_bytes(t.encode(), "big") for t in DROP_TABLES)
    return hb.subset(face, plan)
