"""A finished PDF -> findings: fonts, missing glyphs, outline, language, size, picture dpi.

A print shop rejects a PDF with fonts not embedded; a reader that finds no /Lang reads
Chinese aloud as English; a character drawn with glyph 0 (.notdef) prints as an empty box.
The glyph check reads each font's ToUnicode map (which characters each glyph id stands
for): a character mapped to glyph 0, or to a glyph the embedded program lacks, is missing.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pikepdf

from . import pdfdpi
from .check import Findings, language_problem

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
CMAP_CHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
CMAP_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])")
# Paper sizes in PDF points (1/72 in), portrait, for naming the page size.
PAPER = {"A4": (595, 842), "A5": (420, 595), "B5": (499, 709), "16K": (524, 737),
         "32K": (369, 524), "6x9in": (432, 648), "letter": (612, 792)}  # fmt: skip
MM = 25.4 / 72
LOW_DPI = 150  # below it a photograph prints soft; print shops ask for 300


def check_pdf(path: Path, found: Findings) -> None:
    try:
        doc = pikepdf.open(path)
    except (pikepdf.PdfError, OSError) as exc:
        found.error(f"not a readable PDF ({exc})")
        return
    with doc:
        _check_language(doc, found)
        _check_outline(doc, found)
        _check_pages(doc, found)
        _check_fonts(doc, found)
        _check_pictures(doc, found)


def _check_language(doc: pikepdf.Pdf, found: Findings) -> None:
    lang = doc.Root.get("/Lang")
    if lang is None:
        found.warning("no /Lang in the catalog: screen readers and search guess the language")
        return
    problem = language_problem(str(lang))
    if problem:
        getattr(found, problem[0])(problem[1])


def _check_outline(doc: pikepdf.Pdf, found: Findings) -> None:
    outlines = doc.Root.get("/Outlines")
    if outlines is None or outlines.get("/First") is None:
        found.warning("no outline (bookmarks): readers cannot jump to chapters")


def _check_pages(doc: pikepdf.Pdf, found: Findings) -> None:
    sizes = Counter(_size(page) for page in doc.pages)
    if not sizes:
        found.error("the PDF has no pages")
        return
    (w, h), _ = sizes.most_common(1)[0]
    found.note(f"{len(doc.pages)} pages, {_name(w, h)} ({w * MM:.0f} × {h * MM:.0f} mm)")
    if len(sizes) > 1:
        others = ", ".join(_name(*s) for s in sizes if s != (w, h))
        found.warning(f"pages of different sizes: {others} besides {_name(w, h)}")


def _check_pictures(doc: pikepdf.Pdf, found: Findings) -> None:
    low = [p for p in pdfdpi.pictures(doc) if p.dpi < LOW_DPI]
    if low:
        where = ", ".join(
            f"PDF page {p.page} ({p.width_px}×{p.height_px} px, {p.dpi:.0f} dpi)" for p in low[:5]
        )
        more = f" and {len(low) - 5} more" if len(low) > 5 else ""
        found.warning(
            f"{len(low)} picture(s) print below {LOW_DPI} dpi, soft on paper (a print shop"
            f" asks for 300): {where}{more}"
        )


def _size(page: pikepdf.Page) -> tuple[int, int]:
    box = page.obj.get("/TrimBox") or page.mediabox
    x0, y0, x1, y1 = (float(v) for v in box)
    return round(abs(x1 - x0)), round(abs(y1 - y0))


def _name(w: int, h: int) -> str:
    for name, (pw, ph) in PAPER.items():
        if abs(min(w, h) - pw) <= 2 and abs(max(w, h) - ph) <= 2:
            return name
    return f"{w} × {h} pt"


def _check_fonts(doc: pikepdf.Pdf, found: Findings) -> None:
    missing: set[str] = set()
    for font in fonts_in(doc):
        name = str(font.get("/BaseFont", "unnamed")).lstrip("/")
        if font.get("/Subtype") == "/Type3":
            continue  # drawn by the PDF itself, nothing to embed
        program = font_program(font)
        if program is None:
            found.error(f"font {name} is not embedded: printers and other machines substitute it")
            continue
        if not SUBSET_TAG.match(name):
            found.warning(f"font {name} is embedded whole, not subset: the file is larger")
        missing |= _missing_in(font, program)
    if missing:
        chars = "".join(sorted(missing))
        found.error(f"{len(missing)} character(s) print as empty boxes (no glyph): {chars[:40]}")


def fonts_in(doc: pikepdf.Pdf):
    """Every font used by a page or by a form XObject drawn on it, once."""
    seen: set[tuple[int, int]] = set()
    for page in doc.pages:
        yield from _resource_fonts(page.obj.get("/Resources"), seen)


def _resource_fonts(resources, seen):
    if resources is None:
        return
    for font in (resources.get("/Font") or {}).values():
        if font.objgen not in seen:
            seen.add(font.objgen)
            yield font
    for xobj in (resources.get("/XObject") or {}).values():
        if xobj.objgen not in seen:
            seen.add(xobj.objgen)
            yield from _resource_fonts(xobj.get("/Resources"), seen)


def font_program(font) -> bytes | None:
    """The embedded font file of a simple or composite font, or None."""
    desc = font.DescendantFonts[0] if "/DescendantFonts" in font else font
    fd = desc.get("/FontDescriptor")
    if fd is None:
        return None
    for key in FONT_FILES:
        if key in fd:
            return fd[key].read_bytes()
    return None


def _missing_in(font, program: bytes) -> set[str]:
    if "/DescendantFonts" not in font:
        return set()  # simple fonts: codes are not glyph ids, so glyph 0 is not visible here
    count = _glyph_count(program)
    out = set()
    for gid, chars in to_unicode(font).items():
        if gid == 0 or (count is not None and gid >= count):
            out |= {ch for ch in chars if not ch.isspace()}
    return out


def _glyph_count(program: bytes) -> int | None:
    from fontTools.ttLib import TTFont

    try:
        if program[:4] in (b"OTTO", b"\x00\x01\x00\x00", b"true"):
            return len(TTFont(io.BytesIO(program), lazy=True).getGlyphOrder())
        from fontTools.cffLib import CFFFontSet

        cff = CFFFontSet()
        cff.decompile(io.BytesIO(program), None)
        return len(cff[cff.fontNames[0]].CharStrings.charStrings)
    except Exception:  # a font we cannot parse: only glyph 0 counts as missing
        return None


def to_unicode(font) -> dict[int, str]:
    """glyph id (character code) -> text, from the font's ToUnicode CMap."""
    if "/ToUnicode" not in font:
        return {}
    data = font.ToUnicode.read_bytes()
    out: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in CMAP_CHAR.findall(block):
            out[int(src, 16)] = _utf16(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in CMAP_RANGE.findall(block):
            if dst.startswith(b"["):
                continue  # per-code arrays are rare and never hide glyph 0
            first = _utf16(dst.strip(b"<>"))
            for k, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[code] = first[:-1] + chr(ord(first[-1]) + k) if first else ""
    return out


def _utf16(hexbytes: bytes) -> str:
    try:
        return bytes.fromhex(hexbytes.decode()).decode("utf-16-be")
    except (ValueError, UnicodeDecodeError):
        return ""
