"""Markdown source -> source Python-Markdown converts in bounded depth and time, and notes.

Python-Markdown recurses once per nested list or quote level and per pair of emphasis
marks a run opens (a few hundred levels raise RecursionError), rescans the rest of a
paragraph for every `[` (quadratic on thousands of unmatched brackets), and WeasyPrint
lays out a paragraph in time that grows with the square of its length. Articles we did
not write can do all of these; these passes bound them before anything else sees the
text, changing nothing in an ordinary article.
"""

from __future__ import annotations

import bisect
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
MAX_MARKS = 32  # `*`, `_` or `~` in one run; emphasis needs three at most (`***`, `~~`)

PREFIX = re.compile(r"[ \t>]*")
FENCE = re.compile(rf"^[ \t>]*(?:{LIST_MARKER}[ \t]+)?(`{{3,}}|~{{3,}})")
LIST_MARK = re.compile(rf"{LIST_MARKER}[ \t]+")
# Where a long line may be cut: after a sentence end, else after a space.
SENTENCE_END = re.compile(r"[。！？!?.…][」』”’)）]*\s*")
SPACE = re.compile(r"\s+")
TAG = re.compile(r"<[^<>]*>")
TAG_OPEN = re.compile(r"<[^<>]*$")  # a cut here would split an HTML tag
LONG_RUN = re.compile(rf"([*_~])\1{{{MAX_MARKS},}}")
RULE = re.compile(r"^[ \t>]*([*_-])(?:[ \t]*\1){2,}[ \t]*$", re.M)  # a thematic break
FENCE_LIKE = re.compile(mdsource.FENCE_OPEN.pattern, re.M)


@dataclass
class Bounded:
    """The bounded source and what was changed: (0-based line in the input, message)."""

    text: str
    notes: list[tuple[int, str]] = field(default_factory=list)


def bound_lines(source: str) -> Bounded:
    """Flatten nesting deeper than MAX_DEPTH, cut lines longer than MAX_LINE and escape
    runs of more than MAX_MARKS emphasis marks."""
    out = escape_long_runs(source)
    lines, written = out.text.split("\n"), source.split("\n")  # (escapes do not print)
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
        if len(written[i]) > MAX_LINE and _text_length(written[i]) > MAX_LINE:
            out.notes.append((i, _cut_note(len(written[i]))))
            lines[i] = _cut(lines[i])
    if deepest:
        note = f"nesting too deep ({deepest} levels); deeper levels flattened to {MAX_DEPTH}"
        out.notes.insert(0, (first_deep, note))
    out.text = "\n".join(lines)
    return out


def escape_long_runs(source: str) -> Bounded:
    """Runs of more than MAX_MARKS `*`, `_` or `~` in prose escaped: they read as written.

    Python-Markdown nests an element for each pair of marks a run opens and a run closes:
    `*` x 5000, `a`, `*` x 5000 is thousands of levels, a RecursionError that left the whole
    article out. Such a run with nothing to close it is already shown as written; a rule
    (`*****` alone on its line) and code are left alone.
    """
    out = Bounded(source)
    if not LONG_RUN.search(source):
        return out
    fence_like: list[tuple[int, str]] = []  # (offset in `source`, run)
    text = _not_fences(source, fence_like)
    rules = [m.span() for m in RULE.finditer(text)]
    in_prose: list[tuple[int, str]] = []  # (offset in `text`, run)

    def escape(segment: str, offset: int) -> str:
        def one(m: re.Match) -> str:
            at = offset + m.start()
            rule = bisect.bisect_right(rules, (at, len(text))) - 1
            if rule >= 0 and at < rules[rule][1]:
                return m.group(0)
            in_prose.append((at, m.group(0)))
            return _escaped(m.group(0))

        return LONG_RUN.sub(one, segment)

    out.text = mdsource.map_prose(text, escape)
    firsts = [
        (t.count("\n", 0, f[0][0]), f[0][1])
        for t, f in ((source, fence_like), (text, in_prose))
        if f
    ]
    if firsts:
        line, run = min(firsts, key=lambda f: f[0])  # escapes add no lines: both count alike
        count = len(fence_like) + len(in_prose)
        note = (
            f"{count} run(s) of more than {MAX_MARKS} emphasis marks kept as written, "
            f"not nested that deep (the first: {len(run):,} `{run[0]}`)"
        )
        out.notes.append((line, note))
    return out


def _escaped(run: str) -> str:
    return "".join("\\" + c for c in run)


def _not_fences(source: str, found: list[tuple[int, str]]) -> str:
    """`source` with the runs escaped on lines that only look like a code fence.

    `~~~…~~~a~~~…` opens no code block for Python-Markdown (a fence's language has no
    `~`), but would for `mdsource`, which would then take the rest for code.
    """

    def escape(m: re.Match) -> str:
        fence, rest = m.group(1), m.group(2)
        if fence[0] not in rest or not LONG_RUN.search(m.group(0)):
            return m.group(0)
        found.extend((m.start() + r.start(), r.group(0)) for r in LONG_RUN.finditer(m.group(0)))
        return LONG_RUN.sub(lambda r: _escaped(r.group(0)), m.group(0))

    return FENCE_LIKE.sub(escape, source)


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
    return at - (text[at - 1] == "\\")  # never between a backslash and what it escapes


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
