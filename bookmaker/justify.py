"""Justified CJK lines for the PDF: a patch of WeasyPrint 70's `justify_line`.

WeasyPrint stretches only U+0020 and U+00A0 when it justifies, so a line of Chinese, which
has no spaces, stays ragged, and a mixed line pours all its slack into the few Latin word
spaces. On lines that hold CJK we spread the slack evenly over the gaps between
characters instead: inside a text box as Pango letter-spacing on the characters before
each gap (which Pango keeps when WeasyPrint re-creates the layout to draw it), and
between boxes by moving the following boxes. Nothing is inserted into the text, so text
copied out of the PDF reads as written, and nothing of this reaches the EPUB.

The patch depends on WeasyPrint internals, so `install()` refuses any version but the
one it was written and tested against (pinned in pyproject.toml).
"""

from __future__ import annotations

import logging
import re

from . import hyphenation
from .cjk import CJK, CLOSING, HL_SPACE, OPENING, STOPS, WJ, ZWSP, profile_for

log = logging.getLogger(__name__)

SUPPORTED = "70.0"
_CJK = re.compile(f"[{CJK}]")
# Characters that take no gap after them: joiners, combining marks, variation selectors.
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060-\u206f\ufe00-\ufe0f\u0300-\u036f]")
_JOINED = "—…"  # a gap inside —— or …… would break the line drawn through them
_SPACES = " \u00a0" + HL_SPACE
# Text extraction (poppler's pdftotext: a new word when the gap between two glyphs exceeds
# 0.1 of the font size; other extractors alike) reads a wider gap between two Han as a
# space, so gaps between characters stay below CAP em while gaps beside a space may take
# up to SOFT_MAX em more (measured with pdftotext on loose lines: tests/test_justify.py).
CAP = 0.09
SOFT_MAX = 0.35

# Marks with a blank half that the font's `halt` feature removes (zh-Hans and ja faces).
_SQUEEZABLE = OPENING + CLOSING + STOPS
_ENDING = CLOSING + STOPS

_installed = False
_squeezing = False  # a loose line is being laid out again with its punctuation halved


def install() -> bool:
    """Patch WeasyPrint so lines holding CJK justify between characters. Idempotent.

    Returns False (and logs a warning) when the WeasyPrint version is not the pinned one.
    """
    global _installed
    if _installed:
        return True
    import weasyprint
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    if weasyprint.__version__ != SUPPORTED:
        log.warning(
            "WeasyPrint %s is not %s: Chinese lines in the PDF will not be justified "
            "(install weasyprint==%s)", weasyprint.__version__, SUPPORTED, SUPPORTED,
        )  # fmt: skip
        return False
    original_justify = inline.justify_line
    original_set_text = line_break.Layout.set_text
    original_strip = inline.remove_last_whitespace
    original_trailing = inline.trailing_whitespace_size
    original_split = inline.split_inline_box

    def justify_line(context, line, extra_width):
        if not _justify_cjk(context, line, extra_width, inline, line_break):
            original_justify(context, line, extra_width)
            _true_word_spacing(context, line, line_break)

    def set_text(self, text, justify=False):
        original_set_text(self, text, justify)
        if self.style["word_break"] == "break-all":
            _wrap_anywhere(self)
        _apply_halts(self)
        spacing = getattr(self, "bookmaker_spacing", None)
        if spacing and justify:
            _apply_spacing(self, spacing, line_break)

    def remove_last_whitespace(context, line):
        _strip_quarter_space(context, line, inline)
        last = _last_text(line)
        original_strip(context, line)
        _keep_halts(context, line, last, line_break)
        _trim_edges(context, line, line_break)

    def split_inline_box(context, box, *args):
        from weasyprint.formatting_structure import boxes

        if not isinstance(box, boxes.LineBox) or _squeezing:
            return original_split(context, box, *args)
        lists = args[5:10]  # absolute, fixed, placeholders, floats, line children
        before = [len(items) for items in lists]
        result = original_split(context, box, *args)
        result = _squeeze_if_loose(original_split, result, (context, box, *args), before)
        result[0].bookmaker_first = args[3] is None  # no skip stack: the block's first line
        return result

    def trailing_whitespace_size(context, box):
        return original_trailing(context, box) + _quarter_space_width(box)

    inline.justify_line = justify_line
    inline.trailing_whitespace_size = trailing_whitespace_size
    line_break.Layout.set_text = set_text
    inline.remove_last_whitespace = remove_last_whitespace
    inline.split_inline_box = split_inline_box
    hyphenation.install(line_break)
    _installed = True
    return True


# -- the gaps of a line -----------------------------------------------------------------


def _text_boxes(box, boxes_mod, out: list) -> list:
    if isinstance(box, boxes_mod.TextBox):
        out.append(box)
    elif isinstance(box, (boxes_mod.LineBox, boxes_mod.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                _text_boxes(child, boxes_mod, out)
    return out


def _gap_after(char: str, following: str) -> bool:
    """Whether justification may open a gap between `char` and `following`."""
    if not following or _ZERO_WIDTH.match(char):
        return False
    if char in _JOINED and following in (WJ, char):
        return False
    if _ZERO_WIDTH.match(following) and following != WJ:
        return False
    if char in _SPACES or following in _SPACES:
        return True
    return bool(_CJK.match(char) or _CJK.match(following))


def _gaps(text: str, following: str) -> list[tuple[int, bool]]:
    """(i, soft) for each gap after text[i] (`following` comes after the box); a soft gap
    is one beside a space, where text extraction already sees a word break."""
    rest = text + following
    out = []
    for i, a in enumerate(text):
        b = rest[i + 1 : i + 2]
        if b in (WJ, ZWSP):  # look through a joiner or break to the next visible character
            after = rest[i + 2 : i + 3]
            if a in _JOINED and after == a:
                continue
            b = after
        if _gap_after(a, b):
            out.append((i, a in _SPACES or b in _SPACES))
    return out


def _justify_cjk(context, line, extra_width, inline, line_break) -> bool:
    from weasyprint.formatting_structure import boxes

    texts = _text_boxes(line, boxes, [])
    if not texts or not any(_CJK.search(b.text) for b in texts):
        return False
    plan = []
    for k, box in enumerate(texts):
        following = next((b.text for b in texts[k + 1 :] if b.text), "")
        plan.append(_gaps(box.text, following))
    sizes = [box.style["font_size"] for box, gaps in zip(texts, plan, strict=True) for _ in gaps]
    if not sizes:
        return False
    soft = [s for gaps in plan for _, s in gaps]
    widths = iter(share(extra_width, sizes, soft))
    shifts = {}
    for box, gaps in zip(texts, plan, strict=True):
        amounts = [(i, next(widths)) for i, _ in gaps]
        shifts[id(box)] = _space_box(context, box, amounts, line_break, box is texts[-1])
    _move(line, shifts, 0, boxes)
    return True


def share(extra: float, sizes: list[float], soft: list[bool]) -> list[float]:
    """How much of `extra` each gap gets (`sizes`: its font size; `soft`: beside a space).

    Evenly, as long as no gap between two characters grows past CAP em: beyond that, text
    extraction (pdftotext starts a new word at 0.1 em) would read spaces into the Chinese.
    A loose line (a long Latin word pushed to the next) then gives the rest to the gaps
    beside spaces, up to SOFT_MAX em each, and only what is left goes over CAP again.
    """
    n = len(sizes)
    unit = extra / n
    hard = [z for z, s in zip(sizes, soft, strict=True) if not s]
    if len(hard) == n or all(unit <= CAP * z for z in hard):
        return [unit] * n
    rest = extra - CAP * sum(hard)
    soft_sizes = [z for z, s in zip(sizes, soft, strict=True) if s]
    soft_unit = rest / len(soft_sizes)
    over = 0.0
    if hard and any(soft_unit > SOFT_MAX * z for z in soft_sizes):
        over = (rest - SOFT_MAX * sum(soft_sizes)) / len(hard)
    return [
        (min(soft_unit, SOFT_MAX * z) if over else soft_unit) if s else CAP * z + over
        for z, s in zip(sizes, soft, strict=True)
    ]


def _space_box(context, box, amounts: list[tuple[int, float]], line_break, end: bool) -> float:
    """Give `box` letter-spacing after the characters in `amounts` (index, width); return
    how far the boxes after it move (its growth, plus the gap after its last character)."""
    if not amounts:
        return 0.0
    # Pango puts letter-spacing after a character only when another follows in the same
    # layout: the gap after the box's last character is a shift of the boxes after it.
    last = len(box.text) - 1
    inside = [(i, w) for i, w in amounts if i < last]
    if inside:
        spacing = _per_char(box.text, dict(inside))
        box.width = _fit(context, box, spacing, sum(w for _, w in inside), end, line_break)
    return sum(w for _, w in amounts)


def _fit(context, box, spacing: list[tuple[int, float]], grow: float, end: bool, line_break):
    """Lay `box` out with `spacing` (letter-spacing per character) and return its width,
    made to grow by `grow` (measured, not assumed).

    Pango's growth differs from the letter-spacing asked for: it drops half a character's
    spacing at each edge of the text, and a spaced character becomes a run of its own
    whose font Pango picks again. A space inside Latin italics is the Latin face's, alone
    it is the CJK face's, 0.06 em narrower ("bookmaker Latin" covers letters only): a
    line ending in italics with a space in them ended 0.65 pt short, and scaling all the
    spacing to make up for it overshot by up to 17 pt. So the difference is measured and
    put on the box's spaces (gaps beside a space are soft); at the line's end, lacking
    spaces, on every gap, since the line must be flush. Elsewhere the boxes after move by
    the full amount anyway, and what is not made up lands at this box's end (growing the
    gaps between characters could push them past CAP).
    """
    target = box.width + grow
    spaces = [k for k, (i, _) in enumerate(spacing) if box.text[i] in _SPACES]
    adjust = spaces or (list(range(len(spacing))) if end else [])

    def attempt(extra: float) -> float:
        wanted = [(i, w + extra if k in adjust else w) for k, (i, w) in enumerate(spacing)]
        return _relayout(context, box, _byte_ranges(box.text, wanted), line_break) - target

    _extra, miss = _solve(box, attempt, 0.0, len(adjust))
    return target + miss


def _solve(box, attempt, start: float, slope: float) -> tuple[float, float]:
    """(x, miss): the x near `start` at which `attempt(x)` (lay `box` out, return how far
    its width misses the wanted one) is within 0.01 px of 0, by secant steps: the width is
    linear in the spacing (Pango's edges take half of it, a changed font a fixed amount);
    `slope` is a first guess of its rate. Leaves `box.pango_layout` as the best attempt's."""
    tried = [(start, attempt(start), box.pango_layout)]
    for _ in range(3):
        x, miss, _layout = tried[-1]
        if abs(miss) <= 0.01 or slope <= 0.1:
            break
        nxt = x - miss / slope
        tried.append((nxt, attempt(nxt), box.pango_layout))
        slope = (tried[-1][1] - miss) / (nxt - x)
    x, miss, box.pango_layout = min(tried, key=lambda t: abs(t[1]))
    return x, miss


def _true_word_spacing(context, line, line_break) -> None:
    """Make the spaces WeasyPrint widened on a line without CJK draw as wide as it counted.

    WeasyPrint justifies by letter-spacing each space and assumes the text grows by just
    that. A spaced space is a run of its own, set in another face than the Latin one
    around it when that face covers letters only ("bookmaker Latin" italics: 0.06 em
    narrower), so a justified line of italics was drawn short of the margin by 0.65 pt a
    space while its box said flush. Measure each widened box as it will be drawn and
    correct its spacing until it fills the width WeasyPrint gave it (in the styles where a
    probe shows the face changing: measuring every box cost a third more layout time).
    """
    from weasyprint.formatting_structure import boxes

    for box in _text_boxes(line, boxes, []):
        spacing, count = box.justification_spacing, box.text.count(" ") + box.text.count("\xa0")
        if not spacing or not count or not _spacing_changes_face(context, box.style, line_break):
            continue
        target = box.width

        def attempt(value: float, box=box, target=target) -> float:
            return _relayout(context, box, [], line_break, justification=value) - target

        box.justification_spacing, _miss = _solve(box, attempt, spacing, count)


_PROBES = ("a b", "1 2")  # spaces between Latin letters, between digits


def _spacing_changes_face(context, style, line_break) -> bool:
    """Whether a letter-spaced space in `style` grows by other than its spacing (it is set
    in another face alone than beside letters or digits); probed once per style and
    document, since the faces come from the document's @font-face rules."""
    cache = context.__dict__.setdefault("bookmaker_space_faces", {})
    key = line_break._font_style_cache_key(style)
    if key not in cache:
        cache[key] = any(_space_growth(context, style, text, line_break) for text in _PROBES)
    return cache[key]


def _space_growth(context, style, text: str, line_break) -> bool:
    widths = []
    for ranges in ([], [(1, 2, 1.0)]):
        layout = line_break.create_layout(text, style, context, None, 0)
        layout.bookmaker_spacing = ranges
        layout.set_text(text, justify=True)
        widths.append(line_break.line_size(layout.get_first_line()[0], style)[0])
        layout.deactivate()
    return abs(widths[1] - widths[0] - 1.0) > 0.01


def _per_char(text: str, gaps: dict[int, float]) -> list[tuple[int, float]]:
    """Letter-spacing per character for the gaps wanted after characters.

    Pango gives each spaced character half its letter-spacing on either side, so the gap
    between two characters is the mean of theirs. A wide gap beside a space is therefore
    put on the space itself (both its sides are soft), and the character before keeps
    the gap it shares with its other neighbour; a Latin letter before a space gets none.
    """
    out = dict(gaps)
    for i, width in gaps.items():
        if text[i + 1] in _SPACES and text[i] not in _SPACES:
            keep = min(width, gaps.get(i - 1, 0.0)) if text[i - 1 : i] not in _SPACES else 0.0
            out[i] = keep
            out[i + 1] = out.get(i + 1, 0.0) + width - keep
    last = len(text) - 1
    if last - 1 in gaps and last not in out:  # its left half is the last gap's other half
        out[last] = out[last - 1]
    return sorted(out.items())


def _relayout(context, box, ranges, line_break, halts=None, justification=None) -> float:
    if halts is None:
        halts = _halts_of(box)
    if justification is None:
        justification = box.justification_spacing
    layout = line_break.create_layout(box.text, box.style, context, None, justification)
    layout.bookmaker_halt = halts
    layout.bookmaker_spacing = ranges
    layout.set_text(box.text, justify=True)
    width, _ = line_break.line_size(layout.get_first_line()[0], box.style)
    layout.deactivate()
    box.pango_layout = layout
    return width


def _byte_ranges(text: str, amounts: list[tuple[int, float]]) -> list[tuple[int, int, float]]:
    offsets = [0]
    for ch in text:
        offsets.append(offsets[-1] + len(ch.encode()))
    return [(offsets[i], offsets[i + 1], width) for i, width in amounts if width]


def _wrap_anywhere(layout) -> None:
    """`word-break: break-all` breaks between any two characters, spaces or not.

    WeasyPrint 70 breaks such text anywhere only when nothing fits at all; inline code
    with a space in it (`<div class="card">`) broke at the space and went to the next
    line whole, leaving a loose Chinese line behind (typography-print.css sets it on
    code in Chinese and Japanese text).
    """
    from weasyprint.text.constants import PANGO_WRAP_MODE
    from weasyprint.text.ffi import pango

    pango.pango_layout_set_wrap(layout.layout, PANGO_WRAP_MODE["WRAP_CHAR"])


def _apply_spacing(layout, ranges, line_break) -> None:
    from weasyprint.text.ffi import TO_UNITS, ffi, pango

    attrs = pango.pango_layout_get_attributes(layout.layout)
    if attrs == ffi.NULL:
        attrs = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    for start, end, width in ranges:
        attr = pango.pango_attr_letter_spacing_new(round(width * TO_UNITS))
        attr.start_index, attr.end_index = start, end
        pango.pango_attr_list_change(attrs, attr)
    pango.pango_layout_set_attributes(layout.layout, attrs)


def _move(box, shifts: dict, x_advance: float, boxes) -> float:
    """Shift every box right by the growth of the boxes before it (like add_word_spacing)."""
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        return x_advance + shifts.get(id(box), 0.0)
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        start = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _move(child, shifts, x_advance, boxes)
        box.width += x_advance - start
        return x_advance
    box.translate(x_advance, 0)
    return x_advance


def _quarter_space_width(box) -> float:
    """Width of the quarter-em spaces ending `box`'s last text, which a line end drops.

    Pango lets them hang past the line (they are spaces), so a text box ending in one
    "fits"; WeasyPrint counts only U+0020 as trailing white space and, seeing the box
    overflow, broke the line at an earlier box instead: `问题` alone on a full-width line.
    """
    from weasyprint.formatting_structure import boxes

    while isinstance(box, (boxes.InlineBox, boxes.LineBox)) and box.children:
        box = box.children[-1]
    if not isinstance(box, boxes.TextBox):
        return 0.0
    text = box.text.rstrip(" ")
    count = len(text) - len(text.rstrip(HL_SPACE))
    return count * box.style["font_size"] / 4  # U+2005 is a quarter em by definition


def _strip_quarter_space(context, line, inline) -> None:
    """A quarter-em Han–Latin space that ended up at a line end is dropped, like a space."""
    from weasyprint.formatting_structure import boxes

    box = line
    while isinstance(box, (boxes.LineBox, boxes.InlineBox)) and box.children:
        box = box.children[-1]
    if isinstance(box, boxes.TextBox) and box.text.endswith(HL_SPACE):
        box.text = box.text.rstrip(HL_SPACE + " ") + " "  # WeasyPrint then strips the space


# -- punctuation set half-width: squeezing loose lines, trimming line edges ---------------


def _compresses(style) -> bool:
    """Whether the text's profile sets punctuation half-width (zh-Hans, ja; not zh-Hant,
    whose marks sit centred in their em)."""
    return profile_for(style["lang"] or "").compression


def _squeezes(style) -> bool:
    """Whether a loose line may set its marks half-width: a compressing profile, and
    [typography] compression not turned off (the `--bm-compression` property
    body.no-compression sets: who wants full-width marks wants them in loose lines too)."""
    return _compresses(style) and not _off(style, "__bm_compression")


def _off(style, name: str) -> bool:
    try:
        value = style[name]
    except KeyError:
        return False
    return bool(value) and getattr(value[0], "value", None) == "off"


def _trimming(style) -> bool:
    """[typography] trim, read from the `--bm-trim` property body.no-trim sets."""
    return not _off(style, "__bm_trim")


def _halts_of(box) -> frozenset:
    return getattr(getattr(box, "pango_layout", None), "bookmaker_halt", None) or frozenset()


def _apply_halts(layout) -> None:
    """The `halt` feature on the characters of `layout.bookmaker_halt` (while a loose line
    is squeezed: on every mark that has a blank half), kept when the layout is re-created."""
    from weasyprint.text.ffi import ffi, pango

    text = layout.text
    if _squeezing and _squeezes(layout.style):
        layout.bookmaker_halt = frozenset(i for i, c in enumerate(text) if c in _SQUEEZABLE)
    halts = getattr(layout, "bookmaker_halt", None)
    if not halts:
        return
    attrs = pango.pango_layout_get_attributes(layout.layout)
    if attrs == ffi.NULL:
        attrs = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    marks = [(i, 1.0) for i in sorted(halts) if i < len(text) and text[i] in _SQUEEZABLE]
    for start, end, _ in _byte_ranges(text, marks):
        attr = pango.pango_attr_font_features_new(b"halt 1")
        attr.start_index, attr.end_index = start, end
        pango.pango_attr_list_insert(attrs, attr)
    pango.pango_layout_set_attributes(layout.layout, attrs)


def _squeeze_if_loose(split, result, call, before: list[int]):
    """Lay a loose justified line out again with its punctuation half-width.

    A line is loose when its slack would open gaps wider than CAP between characters:
    typically the line before a paragraph's last, whose last characters (bound by the
    orphan rule, or a Han with the marks that may not start a line) did not fit. Chinese
    typesetters then squeeze the line's punctuation so that it takes them in; the squeezed
    layout is kept only when the line holds more text, and the paragraph ends sooner.
    """
    global _squeezing
    from weasyprint.formatting_structure import boxes

    line, resume_at, preserved = result[:3]
    max_x = call[3]
    if resume_at is None or preserved or line.style["text_align_all"] != "justify":
        return result
    texts = [t for t in _text_boxes(line, boxes, []) if t.text]
    text = "".join(t.text for t in texts)
    if not texts or not _CJK.search(text) or not _squeezes(line.style):
        return result
    gaps = max(1, len(_gaps(text, "")))
    slack = max_x - max(t.position_x + t.width for t in texts)
    if slack <= CAP * line.style["font_size"] * gaps:
        return result
    lists = call[7:12]
    kept = [list(items) for items in lists]
    for items, n in zip(lists, before, strict=True):
        del items[n:]
    _squeezing = True
    try:
        squeezed = split(*call)
    finally:
        _squeezing = False
    more = [t for t in _text_boxes(squeezed[0], boxes, []) if t.text]
    if len("".join(t.text for t in more).rstrip(" ")) > len(text.rstrip(" ")):
        log.debug("squeezed a loose line: %s", text)
        return squeezed
    for items, old in zip(lists, kept, strict=True):
        items[:] = old
    return result


_INVISIBLE = " \u200b\u2060"


def _trim_edges(context, line, line_break) -> None:
    """GB/T 15834 §5.1.10: a mark ending a line is set half-width, and an opening bracket
    starting a line (not a paragraph's first) loses its blank half; the line is justified
    after this, so it stays flush."""
    from weasyprint.formatting_structure import boxes

    if line.style["text_align_all"] not in ("justify", "start", "left") or not _trimming(
        line.style
    ):
        return
    texts = [t for t in _text_boxes(line, boxes, []) if t.text.strip(_INVISIBLE)]
    if not texts:
        return
    first, last = texts[0], texts[-1]
    start = len(first.text) - len(first.text.lstrip(_INVISIBLE))
    if not getattr(line, "bookmaker_first", True) and first.text[start] in OPENING:
        _halve(context, line, first, start, line_break)
    end = len(last.text.rstrip(_INVISIBLE)) - 1
    if last.text[end] in _ENDING:
        _halve(context, line, last, end, line_break)


def _halve(context, line, box, index: int, line_break) -> None:
    from weasyprint.formatting_structure import boxes

    halts = _halts_of(box)
    features = box.style["font_feature_settings"]
    halted = features != "normal" and ("halt", 1) in features  # span.pc: already half
    if index in halts or halted or not _compresses(box.style):
        return
    width = _relayout(context, box, [], line_break, halts | {index})
    shrink = box.width - width
    box.width = width
    if shrink > 0:
        _move(line, {id(box): -shrink}, 0.0, boxes)


def _last_text(line):
    from weasyprint.formatting_structure import boxes

    box = line
    while isinstance(box, (boxes.LineBox, boxes.InlineBox)) and box.children:
        box = box.children[-1]
    return box if isinstance(box, boxes.TextBox) else None


def _keep_halts(context, line, box, line_break) -> None:
    """WeasyPrint measures a line's last box again without its trailing space, from a
    fresh layout that lacks the squeezed marks: measure it with them."""
    from weasyprint.formatting_structure import boxes

    halts = _halts_of(box) if box is not None else None
    if not halts or not box.text:
        return
    width = _relayout(context, box, [], line_break, halts)
    grow = width - box.width
    box.width = width
    if grow:
        _move(line, {id(box): grow}, 0.0, boxes)
