"""PNG files -> their compressed pixels straight into the PDF (a WeasyPrint 70 patch).

WeasyPrint 70 decodes every PNG it draws and encodes it again with Pillow, only to take
the IDAT chunks back out of the new file: about a tenth of a body part's rendering time
on a book with a few photos saved as PNG. A PDF Flate stream with a PNG predictor reads
a PNG's IDAT data as it is, so for the common case (8 bits per channel, gray or RGB,
not interlaced, no alpha to split off) the file's own chunks go in unchanged. Everything
else takes WeasyPrint's own path.
"""

from __future__ import annotations

import struct

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# (Pillow mode, PNG colour type) pairs whose samples PDF reads as WeasyPrint declares them
PASS_THROUGH = {("RGB", 2), ("L", 0)}


def install() -> None:
    """Patch WeasyPrint's RasterImage (idempotent; in the worker that renders)."""
    from weasyprint.images import RasterImage

    original = RasterImage.__dict__["_get_png_data"].__func__
    if getattr(original, "bookmaker", False):
        return

    def _get_png_data(pillow_image):
        data = idat_data(pillow_image)
        return data if data is not None else original(pillow_image)

    _get_png_data.bookmaker = True
    RasterImage._get_png_data = staticmethod(_get_png_data)


def idat_data(pillow_image) -> bytes | None:
    """The PNG file's IDAT data when PDF can use it unchanged, else None."""
    fp = getattr(pillow_image, "fp", None)
    if pillow_image.format != "PNG" or not getattr(pillow_image, "tile", None):
        return None  # not a PNG, or already decoded (converted, split): pixels changed
    if not hasattr(fp, "getvalue"):
        return None
    return png_chunks(fp.getvalue(), pillow_image.mode)


def png_chunks(data: bytes, mode: str) -> bytes | None:
    """Concatenated IDAT chunks of an 8-bit, non-interlaced gray or RGB PNG; else None."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    depth, colour, _, _, interlace = data[24:29]
    if depth != 8 or interlace or (mode, colour) not in PASS_THROUGH:
        return None
    out, pos = [], 8
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            out.append(data[pos + 8 : pos + 8 + length])
        elif kind == b"IEND":
            break
        pos += 12 + length
    return b"".join(out) or None
