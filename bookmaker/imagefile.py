"""JPEG/PNG/GIF bytes -> checked complete, metadata cut out, without decoding a single pixel.

A file that passes through into a book must be whole (half a JPEG shows as grey), but
decoding it just to find out cost more than everything else a pass-through does. The file
structure says as much: a JPEG's segments up to its scan data and an end-of-image marker
after it; every PNG chunk with its CRC, from IHDR through IDAT to IEND; every GIF block
complete. What this cannot see (a deliberately damaged compressed stream behind a valid
checksum) a reader would show as damaged as the source is; nothing worse.
"""

from __future__ import annotations

import re
import zlib

# JPEG segments kept when passing through: JFIF and Adobe (colour transform); all other
# APPn (EXIF, XMP, ICC, MPF, IPTC, vendor blobs) and comments are metadata.
JPEG_KEEP_APP = {0xE0, 0xEE}
# Start-of-frame markers (the ones that carry the picture's size): C0-CF but DHT, JPG, DAC.
JPEG_FRAMES = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM, RSTn: markers without a length
_JPEG_MARKER = re.compile(rb"\xff([^\x00\xd0-\xd7\xff])")  # in scan data: not 00, RSTn, fill
# PNG chunks that draw the picture; text, time, EXIF, ICC and private chunks are dropped.
PNG_KEEP = {
    b"IHDR",
    b"PLTE",
    b"IDAT",
    b"IEND",
    b"tRNS",
    b"gAMA",
    b"cHRM",
    b"sRGB",
    b"sBIT",
    b"pHYs",
    b"bKGD",
    b"acTL",
    b"fcTL",
    b"fdAT",
}


class Incomplete(ValueError):
    """The file is cut short or damaged; imageproc reports it as `not an image (or truncated)`."""


def passthrough_bytes(data: bytes, fmt: str) -> bytes:
    """`data` checked whole, without its metadata (pixels untouched); Incomplete otherwise."""
    if fmt == "JPEG":
        return _jpeg(data)
    if fmt == "PNG":
        return _png(data)
    if fmt == "GIF":
        _check_gif(data)
        return data
    raise Incomplete(f"no structure check for {fmt}")


def _jpeg(data: bytes) -> bytes:
    out, i, framed = [data[:2]], 2, False
    while i + 4 <= len(data) and data[i] == 0xFF:
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
        elif marker in JPEG_STANDALONE:
            out.append(data[i : i + 2])
            i += 2
        elif marker == 0xDA:
            if not framed:
                raise Incomplete("JPEG scan without a frame header")
            return b"".join(out) + _jpeg_scans(data, i)
        else:
            length = int.from_bytes(data[i + 2 : i + 4], "big")
            if marker in (0xD8, 0xD9) or length < 2 or i + 2 + length > len(data):
                raise Incomplete("JPEG segment cut short")
            framed = framed or marker in JPEG_FRAMES
            if not ((0xE0 <= marker <= 0xEF and marker not in JPEG_KEEP_APP) or marker == 0xFE):
                out.append(data[i : i + 2 + length])
            i += 2 + length
    raise Incomplete("JPEG without image data")


def _jpeg_scans(data: bytes, start: int) -> bytes:
    """From the first scan to the end-of-image marker; bytes after it are not the picture.

    Entropy-coded data holds no marker (an FF there is followed by 00 or a restart marker),
    so the next marker ends a scan: the end of the image, or a segment (tables, another
    scan of a progressive JPEG) stepped over by its length, whatever bytes it holds.
    """
    i = start
    while (m := _JPEG_MARKER.search(data, i)) is not None:
        if m.group(1) == b"\xd9":
            return data[start : m.end()]
        length_at = m.end()
        length = int.from_bytes(data[length_at : length_at + 2], "big")
        if length < 2 or length_at + length > len(data):
            break
        i = length_at + length
    raise Incomplete("JPEG without its end (truncated)")


def _png(data: bytes) -> bytes:
    view = memoryview(data)
    out, kinds, i = [data[:8]], [], 8
    while i + 12 <= len(data):
        length = int.from_bytes(data[i : i + 4], "big")
        end = i + 12 + length
        if end > len(data):
            raise Incomplete("PNG chunk cut short")
        kind = data[i + 4 : i + 8]
        if zlib.crc32(view[i + 4 : end - 4]) != int.from_bytes(data[end - 4 : end], "big"):
            raise Incomplete(f"PNG chunk {kind!r} damaged")
        if kind in PNG_KEEP:
            out.append(data[i:end])
        kinds.append(kind)
        i = end
        if kind == b"IEND":
            break  # anything after the end is not part of the picture
    if kinds[:1] != [b"IHDR"] or b"IDAT" not in kinds or kinds[-1] != b"IEND":
        raise Incomplete("PNG without its header, data or end (truncated)")
    return b"".join(out)


def _check_gif(data: bytes) -> None:
    """Every block complete. A missing trailer after whole images is forgiven: some old
    encoders never wrote one and every viewer shows those files."""
    if len(data) < 13:
        raise Incomplete("GIF header cut short")
    i = 13 + _colour_table(data[10])
    images = 0
    while i < len(data):
        block = data[i]
        if block == 0x3B:  # trailer
            break
        if block == 0x21:  # extension: label, then sub-blocks
            i = _sub_blocks(data, i + 2)
        elif block == 0x2C and i + 10 <= len(data):  # image: descriptor, table, LZW size, data
            i = _sub_blocks(data, i + 11 + _colour_table(data[i + 9]))
            images += 1
        else:
            raise Incomplete("GIF block cut short or unknown")
    if not images:
        raise Incomplete("GIF without an image")


def _colour_table(flags: int) -> int:
    return 3 << ((flags & 7) + 1) if flags & 0x80 else 0


def _sub_blocks(data: bytes, i: int) -> int:
    """The offset after a chain of sub-blocks (each: a size byte, then that many bytes)."""
    while i < len(data):
        size = data[i]
        i += 1 + size
        if size == 0:
            return i
    raise Incomplete("GIF data cut short")
