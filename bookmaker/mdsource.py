"""Markdown source -> code and prose segments, so blog syntax is expanded only in prose.

Fenced blocks (``` and ~~~, also inside lists and quotes), indented code blocks outside
lists, inline code spans and raw `<pre>`/`<code>` elements are code; the rest is prose.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

# A list item's marker, as CommonMark and Python-Markdown (sane_lists) read it; one spelling
# for every module that must step over one.
LIST_MARKER = r"(?:[-*+]|\d{1,9}[.)])"
FENCE_OPEN = re.compile(rf"^[ \t>]*(?:{LIST_MARKER}[ \t]+)?(`{{3,}}|~{{3,}})(.*)$")
LIST_ITEM = re.compile(rf"^[ \t]{{0,3}}{LIST_MARKER}[ \t]")
INDENTED = re.compile(r"^(?: {4}|\t)")
BLANK = re.compile(r"^[ \t]*$")
PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n)")
INLINE_CODE = re.compile(
    r"(?<![`\\])(`+)(?!`).+?(?<!`)\1(?!`)"
    r"|<pre[\s>].*?</pre\s*>|<code[\s>].*?</code\s*>",
    re.S | re.I,
)


@dataclass(frozen=True)
class Segment:
    code: bool
    text: str
    offset: int  # where `text` starts in the source, for line numbers


def segments(source: str) -> list[Segment]:
    """`source` cut into alternating prose and code pieces whose texts join back to it."""
    out: list[Segment] = []
    for block in _blocks(source):
        if block.code:
            out.append(block)
        else:
            out.extend(_inline(block))
    return _merge(out)


def map_prose(source: str, fn: Callable[[str, int], str]) -> str:
    """`source` with every prose segment replaced by `fn(text, offset)`."""
    return "".join(fn(s.text, s.offset) if not s.code else s.text for s in segments(source))


def line_at(source: str, offset: int) -> int:
    """1-based line of `offset` in `source`."""
    return source.count("\n", 0, offset) + 1


def _blocks(source: str) -> list[Segment]:
    lines = source.splitlines(keepends=True)
    kinds = _classify(lines)
    out: list[Segment] = []
    offset = 0
    for is_code, group in itertools.groupby(zip(lines, kinds, strict=True), key=lambda x: x[1]):
        text = "".join(line for line, _ in group)
        out.append(Segment(is_code, text, offset))
        offset += len(text)
    return out


def _classify(lines: list[str]) -> list[bool]:
    """For each line: is it inside a code block?"""
    kinds: list[bool] = []
    fence: str | None = None
    in_list = False
    prev_blank = True
    prev_indented_code = False
    for line in lines:
        text = line.rstrip("\n")
        if fence is not None:
            kinds.append(True)
            if _closes(text, fence):
                fence = None
            continue
        m = FENCE_OPEN.match(text)
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence = m.group(1)
            kinds.append(True)
            prev_blank = prev_indented_code = False
            continue
        blank = bool(BLANK.match(text))
        if LIST_ITEM.match(text):
            in_list = True
        elif not blank and prev_blank and not INDENTED.match(text):
            in_list = False
        code = (
            not blank
            and not in_list
            and INDENTED.match(text) is not None
            and (prev_blank or prev_indented_code)
        )
        kinds.append(code or (blank and prev_indented_code))
        prev_indented_code = code or (blank and prev_indented_code)
        prev_blank = blank
    return kinds


def _closes(text: str, fence: str) -> bool:
    stripped = text.lstrip(" \t>")
    run = len(stripped) - len(stripped.lstrip(fence[0]))
    return run >= len(fence) and not stripped[run:].strip()


def _inline(block: Segment) -> list[Segment]:
    out: list[Segment] = []
    base = block.offset
    # Inline code never spans a blank line, so search each paragraph on its own.
    for part in PARAGRAPH_BREAK.split(block.text):
        pos = 0
        for m in INLINE_CODE.finditer(part):
            out.append(Segment(False, part[pos : m.start()], base + pos))
            out.append(Segment(True, m.group(0), base + m.start()))
            pos = m.end()
        out.append(Segment(False, part[pos:], base + pos))
        base += len(part)
    return out


def _merge(parts: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for code, group in itertools.groupby((p for p in parts if p.text), key=lambda p: p.code):
        run = list(group)
        out.append(Segment(code, "".join(p.text for p in run), run[0].offset))
    return out
