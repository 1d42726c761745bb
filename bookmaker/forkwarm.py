"""What every PDF part would load for itself, loaded once in the fork server (a preload).

Each part renders in a fresh process forked from the fork server (`pdfchunks`), so whatever
a render loads on first use is loaded again by every part. Two such loads made a 4-page
part in a fresh worker take 0.49 s instead of 0.30 s (a 1,000-article book has 18 parts):

- pyphen's English patterns (WeasyPrint hyphenates the Latin spans, `lang="en"`): 40 ms;
- cffi parsing each C type WeasyPrint names: 1.5 ms each, two dozen a part. A dozen of
  them are new in every part: WeasyPrint sizes its arrays in the type
  (`ffi.new(f"hb_codepoint_t[{len(gids)}]", gids)`), and cffi keeps a parse per string.

Importing this module parses the patterns and the fixed types into the caches the forks
inherit, and `install` gives those arrays one type name: `T[n]` filled from n values is the
same array as `T[]` filled from them.
"""

from __future__ import annotations

import logging
import re

import pyphen
from weasyprint.text.ffi import ffi

# The fixed C types a render of a book names (WeasyPrint 70's text and font code).
TYPES = (
    "FcChar8 **", "FcResult *", "PangoFcFontMap *", "PangoLogAttr[]", "PangoRectangle *",
    "char[4]", "char[]", "hb_tag_t[100]", "unsigned int *", "hb_codepoint_t[]",
)  # fmt: skip
_SIZED = re.compile(r"(\w+)\[(\d+)\]")


def install() -> None:
    """Arrays sized by their values get the unsized type cffi has parsed (idempotent)."""
    new = ffi.new
    if getattr(new, "bookmaker", False):
        return

    def sized_by_values(cdecl, init=None):
        if isinstance(cdecl, str) and isinstance(init, (list, tuple)):
            sized = _SIZED.fullmatch(cdecl)
            if sized and int(sized.group(2)) == len(init):
                cdecl = sized.group(1) + "[]"
        return new(cdecl, init)

    sized_by_values.bookmaker = True
    ffi.new = sized_by_values


def warm() -> None:
    # Only a head start: an exception here would stop the fork server, and every part with it.
    try:
        pyphen.Pyphen(lang="en")  # parsed into pyphen's own cache, `hdcache`
        for name in TYPES:
            ffi.typeof(name)
    except Exception as exc:  # another pyphen or WeasyPrint: the parts load what they need
        logging.getLogger(__name__).debug("fork server warm-up incomplete: %r", exc)
    install()


warm()
