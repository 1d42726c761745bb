"""Markdown source -> source Python-Markdown converts in bounded depth and time, and notes.

Python-Markdown recurses once per nested list or quote level (a few hundred levels raise
RecursionError), rescans the rest of a paragraph for every `[` (quadratic on thousands of
unmatched brackets), and WeasyPrint lays out a paragraph in time that grows with the
square of its length. Articles we did not write can do all three; these passes bound
them before anything else sees the text, changing nothing in an ordinary article.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from . import mdsource
from .mdsource import LIST_MARKER

MAX_DEPTH = 32  # nested quote and list levels kept; HTML allows ~100 elements (sanitize)
MAX_LINE = 20_000  # characters: no real paragraph is this long
PIECE = 4_000  # a line longer than MAX_LINE is cut into paragraphs of about this size
MAX_UNMATCHED = 64  # unmatched `[` or `(` in one paragraph before they are escaped
TAB = 4  # Python-Markdown's tab_length: one list level per four columns

PREFIX = re.compile(r"[ \t>]*")
FENCE = re.compile(rf"^[ \t>]*(?:{LIST_MARKER}[ \t]+)?(`{{3,}}|~{{3,}})")
LIST_MARK = re.compile(rf"{LIST_MARKER}[ \t]+")
# Where a long line may be cut: after a sentence end, else after a space.
SENTENCE_END = re.compile(r"[。！？!?.…][」』”’)）]*\s*")
SPACE = re.compile(r"\s+")
TAG = re.compile(r"<[^<>]*>")
TAG_OPEN = re.compile(r"<[^<>]*$")  # a cut here would split an HTML tag


@dataclass
class Bounded:
    """The bounded source and what was changed: (0-based line in the input, message)."""

    text: str
    notes: list[tuple[int, str]] = field(default_factory=list)


def bound_lines(source: str) -> Bounded:
    """Flatten nesting deeper than MAX_DEPTH and cut lines longer than MAX_LINE."""
    out = Bounded(source)
    lines = source.split("\n")
    in_code = _code_lines(lines)
    deepest, first_deep = 0, -1
    for i, line in enumerate(lines):
        if in_code[i]:
            continue
        depth = _depth(line)
        if depth > MAX_DEPTH:
            deepest = max(deepest, depth)
            first_deep = i if first_deep < 0 else first_deep
            lines[i] = _flatten(line)
        if len(lines[i]) > MAX_LINE and _text_length(lines[i]) > MAX_LINE:
            out.notes.append((i, _cut_note(len(lines[i]))))
            lines[i] = _cut(lines[i])
    if deepest:
        note = f"nesting too deep ({deepest} levels); deeper levels flattened to {MAX_DEPTH}"
        out.notes.insert(0, (first_deep, note))
    out.text = "\n".join(lines)
    return out


def _code_lines(lines: list[str]) -> list[bool]:
    """Inside a fenced code block? (Indented code is left to the depth count: 4 columns.)"""
    flags, fence = [], ""
    for line in lines:
        if fence:
            flags.append(True)
            stripped = line.lstrip(" \t>")
            if stripped.startswith(fence) and not stripped.lstrip(fence[0]).strip():
                fence = ""
            continue
        m = FENCE.match(line)
        fence = m.group(1) if m else ""
        flags.append(bool(m))
    return flags


def _depth(line: str) -> int:
    prefix = PREFIX.match(line).group(0)
    quotes = prefix.count(">")
    columns = len(prefix.expandtabs(TAB)) - quotes
    # one space after each `>` belongs to the marker; the rest is list indentation
    return quotes + max(0, columns - quotes) // TAB


def _flatten(line: str) -> str:
    """The line at MAX_DEPTH: its extra quote markers and indentation removed."""
    prefix = PREFIX.match(line).group(0)
    quotes = min(prefix.count(">"), MAX_DEPTH)
    levels = min(_depth(line) - prefix.count(">"), MAX_DEPTH - quotes)
    return "> " * quotes + " " * (TAB * levels) + line[len(prefix) :]


def _text_length(line: str) -> int:
    """Characters of text: a table row's cells or HTML tags do not make a long paragraph."""
    if line.lstrip(" \t>").startswith("|"):
        return 0
    return len(line) - sum(len(m) for m in TAG.findall(line))


def _cut_note(length: int) -> str:
    return f"a line of {length:,} characters: cut into paragraphs of about {PIECE:,} to print it"


def _cut(line: str) -> str:
    """`line` as paragraphs of at most ~PIECE characters, each under the line's prefix."""
    prefix = PREFIX.match(line).group(0)
    marker = LIST_MARK.match(line, len(prefix))
    lead = len(prefix) + (marker.end() - marker.start() if marker else 0)
    follow = ("> " * prefix.count(">")) + " " * max(0, lead - 2 * prefix.count(">"))
    pieces, rest = [line[:lead]], line[lead:]
    while len(rest) > PIECE:
        at = _cut_at(rest)
        pieces[-1] += rest[:at].rstrip()
        pieces.append(follow)
        rest = rest[at:].lstrip()
    pieces[-1] += rest
    return ("\n" + follow.rstrip() + "\n").join(pieces)


def _cut_at(text: str) -> int:
    """Where to end a piece of `text`: a sentence end, else a space, else PIECE characters."""
    window = text[PIECE // 2 : PIECE]
    for pattern in (SENTENCE_END, SPACE):
        ends = [m.end() for m in pattern.finditer(window)]
        ends = [e for e in ends if not TAG_OPEN.search(window[:e])]
        if ends:
            return PIECE // 2 + ends[-1]
    at = PIECE
    while at > PIECE // 2 and TAG_OPEN.search(text[:at][-200:]):
        at -= 1
    return at


# ---- brackets ---------------------------------------------------------------------------


def escape_unmatched(source: str) -> str:
    """Unmatched `[` and `(` escaped in a paragraph that has more than MAX_UNMATCHED.

    Python-Markdown looks for the closing bracket of every `[` (and the closing parenthesis
    after every `](`) to the end of the paragraph. An unmatched one can never open a link,
    so escaping it changes nothing a reader sees; below the limit nothing is touched.
    Run after math is protected: `\\[` and `\\(` would otherwise open formulas.
    """
    if source.count("[") + source.count("(") <= MAX_UNMATCHED:
        return source
    escape: list[int] = []
    stacks: dict[str, list[int]] = {"[": [], "(": []}
    for seg in mdsource.segments(source):
        if seg.code:
            continue
        for m in re.finditer(r"\\.|[\[\]()]|\n[ \t]*\n", seg.text, re.S):
            _bracket(m.group(0), seg.offset + m.start(), stacks, escape)
    _paragraph_end(stacks, escape)
    cuts = [0, *sorted(escape), len(source)]
    return "\\".join(source[a:b] for a, b in itertools.pairwise(cuts))


CLOSING = {"]": "[", ")": "("}


def _bracket(token: str, at: int, stacks: dict[str, list[int]], escape: list[int]) -> None:
    if token in stacks:
        stacks[token].append(at)
    elif token in CLOSING:
        if stacks[CLOSING[token]]:
            stacks[CLOSING[token]].pop()
    elif token[0] == "\n":
        _paragraph_end(stacks, escape)


def _paragraph_end(stacks: dict[str, list[int]], escape: list[int]) -> None:
    for stack in stacks.values():
        if len(stack) > MAX_UNMATCHED:
            escape.extend(stack)
        stack.clear()
