"""A font face + the characters a book uses -> a small OTF/TTF holding only those glyphs.

HarfBuzz's subsetter (uharfbuzz) does a 20 MB CJK collection face in well under a second;
fontTools is the fallback and takes many seconds for the same job. The OpenType features
CJK typesetting relies on are kept: `halt`/`palt` (punctuation compression), `vert`/`vrt2`
(vertical forms), `locl` (regional glyph shapes), `fwid`/`hwid` (full/half-width forms).
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

log = logging.getLogger(__name__)

KEEP_FEATURES = (
    "ccmp", "locl", "kern", "liga", "halt", "palt", "vhal", "vpal", "vert", "vrt2", "vkrn",
    "fwid", "hwid", "pwid", "chws", "vchw", "ruby", "mark", "mkmk",
)  # fmt: skip


def subset(path: Path, index: int, text: str) -> bytes:
    """Face `index` of `path` keeping the glyphs of every character in `text`."""
    codepoints = sorted({ord(c) for c in text})
    with path.open("rb") as f:
        if f.read(4) in (b"wOFF", b"wOF2"):  # HarfBuzz reads only bare sfnt files
            return _subset_fonttools(path, index, codepoints)
    try:
        return _subset_harfbuzz(path, index, codepoints)
    except ImportError:  # pragma: no cover - uharfbuzz is a dependency
        log.info("uharfbuzz missing: subsetting %s with fontTools (slow)", path.name)
        return _subset_fonttools(path, index, codepoints)


def _subset_harfbuzz(path: Path, index: int, codepoints: list[int]) -> bytes:
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(path)), index)
    if face.glyph_count == 0:
        raise ValueError(f"{path.name} holds no font face {index}")
    plan = hb.SubsetInput()
    plan.unicode_set.update(codepoints)
    plan.layout_feature_tag_set.update(int.from_bytes(t.encode(), "big") for t in KEEP_FEATURES)
    # Hints matter little at e-reader resolutions and are a fifth of a CJK subset;
    # flat charstrings deflate better in the zip than subroutinized ones.
    plan.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.DESUBROUTINIZE
    result = hb.subset(face, plan)
    if result is None:
        raise ValueError(f"{path}: HarfBuzz could not subset face {index}")
    return bytes(result.blob.data)


def _subset_fonttools(path: Path, index: int, codepoints: list[int]) -> bytes:
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    options = ft_subset.Options()
    options.layout_features = list(KEEP_FEATURES)
    options.name_IDs = ["*"]
    font = TTFont(str(path), fontNumber=index, lazy=False)
    font.flavor = None  # a WOFF read in is written out as a plain OTF/TTF
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def font_suffix(data: bytes) -> tuple[str, str]:
    """(file suffix, media type) of an sfnt: CFF outlines are OTF, glyf outlines TTF."""
    if data[:4] == b"OTTO":
        return ".otf", "font/otf"
    return ".ttf", "font/ttf"
