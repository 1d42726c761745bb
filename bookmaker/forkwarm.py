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

Then the fork server renders a page like the body's with the book's own stylesheets, when
`pdfchunks.start_server` left one for it (`render_warmup`): the faces it opens and the
stylesheets it parses (kept by `_keep_stylesheets`) are there in every part forked after.
A 4-page part: 0.33 s -> 0.25 s.
"""

from __future__ import annotations

import logging
import re

import pyphen
from weasyprint.text.ffi import ffi

from . import pdfchunks

log = logging.getLogger(__name__)

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
    _keep_stylesheets()


def _keep_stylesheets() -> None:
    """Each stylesheet parsed once in this process (and in the fork server: for every part).

    Every part parsed the same four stylesheets again, ~40 ms. tinycss2's parse of a whole
    sheet is kept by its text; the parse of each of its rules' blocks, and WeasyPrint's
    check of their declarations (with its compiled selectors), by the rule's own objects,
    which the kept sheet hands out again. Blocks from anywhere else (a `style` attribute)
    are parsed as before.
    """
    import tinycss2
    from weasyprint import css

    if getattr(tinycss2.parse_stylesheet_bytes, "bookmaker", False):
        return
    sheets: dict = {}
    ours: dict[int, object] = {}  # id -> a rule's prelude or content: kept alive, so unique
    blocks: dict[int, list] = {}
    checked: dict[tuple, list] = {}

    def keep(parse):
        def parse_sheet(*args, **kwargs):
            key = (parse.__name__, args, tuple(sorted(kwargs.items())))
            if key not in sheets:
                sheets[key] = parsed = parse(*args, **kwargs)
                rules = parsed[0] if isinstance(parsed, tuple) else parsed
                for rule in rules:
                    for part in (getattr(rule, "prelude", None), getattr(rule, "content", None)):
                        if isinstance(part, list):
                            ours[id(part)] = part
            return sheets[key]

        parse_sheet.bookmaker = True
        return parse_sheet

    parse_blocks, check = tinycss2.parse_blocks_contents, css.preprocess_declarations

    def parse_blocks_contents(input, *args, **kwargs):
        if ours.get(id(input)) is not input or args or kwargs:
            return parse_blocks(input, *args, **kwargs)
        if id(input) not in blocks:
            blocks[id(input)] = parse_blocks(input)
            ours[id(blocks[id(input)])] = blocks[id(input)]
        return blocks[id(input)]

    def preprocess_declarations(base_url, declarations, prelude=None):
        if ours.get(id(declarations)) is not declarations or (
            prelude is not None and ours.get(id(prelude)) is not prelude
        ):
            return check(base_url, declarations, prelude)
        key = (base_url, id(declarations), id(prelude))
        if key not in checked:
            checked[key] = list(check(base_url, declarations, prelude))
        return iter(checked[key])

    tinycss2.parse_stylesheet_bytes = keep(tinycss2.parse_stylesheet_bytes)
    tinycss2.parse_stylesheet = keep(tinycss2.parse_stylesheet)
    tinycss2.parse_blocks_contents = parse_blocks_contents
    css.preprocess_declarations = preprocess_declarations


def warm() -> None:
    # Only a head start: an exception here would stop the fork server, and every part with it.
    try:
        pyphen.Pyphen(lang="en")  # parsed into pyphen's own cache, `hdcache`
        for name in TYPES:
            ffi.typeof(name)
    except Exception as exc:  # another pyphen or WeasyPrint: the parts load what they need
        log.debug("fork server warm-up incomplete: %r", exc)
    install()


def render_warmup() -> None:
    """Render the page `pdfchunks.start_server` left in the environment, if any (its output
    goes nowhere); like `warm`, never raises."""
    try:
        job = pdfchunks.warmup_from_environment()
        if job is not None:
            result = pdfchunks.render_job(job, limits=False)
            if result.error:
                log.debug("fork server warm-up page failed: %s", result.error)
    except Exception as exc:
        log.debug("fork server warm-up page failed: %r", exc)


warm()
render_warmup()
pdfchunks.preloaded()  # the last module the fork server preloads
