"""Punctuation rules of the typography pass: quotes, ellipses, dashes, full-width marks.

Each rule is a compiled pattern and its replacement, applied by `typography.rewrite` to one
text node with a few characters of its neighbours as context (lookarounds only ever read
the context; a match that would change it is left alone).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .cjk import (
    CJK,
    CLOSING,
    HALF_TO_FULL,
    HAN,
    LATIN_ALNUM,
    NAME_SEPARATORS,
    QUOTES,
    STOPS,
    WJ,
)

Rule = tuple[re.Pattern, str | Callable[[re.Match], str]]


ELLIPSIS: list[Rule] = [
    (re.compile(f"(?<=[{CJK}])(?:\\.{{3,}}|。{{3,}}|…+)|(?:\\.{{3,}}|。{{3,}}|…+)(?=[{CJK}])"),
     "……"),
    (re.compile("…{3,}"), "……"),
]  # fmt: skip

DASH: list[Rule] = [
    (re.compile(f"(?<=[{CJK}])\\s*(?:-{{2,3}}|—+)\\s*|\\s*(?:-{{2,3}}|—+)\\s*(?=[{CJK}])"),
     "——"),
]  # fmt: skip


def _full(m: re.Match) -> str:
    return HALF_TO_FULL[m.group(1)]


def _parens(m: re.Match) -> str:
    return f"（{m.group(1)}）"


_BLOCK_END = "(?=[ \\t\\n]*\\Z)"
FULLWIDTH: list[Rule] = [
    # After Han (a typed space after the mark goes too): 你好,世界 → 你好，世界
    (re.compile(f"(?<=[{HAN}])([,;:?!])[ \\t]*(?=\\S)"), _full),
    # After a Latin word or a number, when Chinese follows: 用Python,然后 → 用Python，然后
    (re.compile(f"(?<=[{LATIN_ALNUM}])([,;:?!])[ \\t]*(?=[{HAN}])"), _full),
    (re.compile(f"(?<=[{HAN}])(\\.)(?=[{HAN}{CLOSING}])"), _full),
    # A stop after Han at the end of the paragraph.
    (re.compile(f"(?<=[{HAN}])([.?!;:])(?=[{CLOSING}]*{_BLOCK_END})"), _full),
    # Parentheses holding Chinese, or set between Han: 大学(CMU)的 → 大学（CMU）的
    (re.compile(f"\\(([^()\\n]*[{HAN}][^()\\n]*)\\)"), _parens),
    (re.compile(f"(?<=[{HAN}])\\(([^()\\n]*)\\)(?=[{HAN}{STOPS}{CLOSING}]|{_BLOCK_END})"),
     _parens),
    # After a full-width bracket (not a curly quote: English shares those).
    (re.compile("(?<=[）」』》】〕])([,.;:?!])(?=\\s|\\Z|[^\\x00-\\x7f])"), _full),
]  # fmt: skip

NAME_SEPARATOR: list[Rule] = [
    (re.compile(f"(?<=[{HAN}])[{NAME_SEPARATORS}](?=[{HAN}])"), "·"),
]

# No joiner inside ——: UAX 14 (LB17) already forbids a break between two em dashes, and
# Noto CJK draws —— as one ligature whose text a joiner inside would lose on copying
# from the PDF. Between two … the joiner is harmless and older engines need it.
JOINERS: list[Rule] = [
    (re.compile("……"), f"…{WJ}…"),
    (re.compile("(?<=.)(?=[·～])", re.S), WJ),
]
STRICT_JOINERS: list[Rule] = [
    (re.compile(f"(?<=[^\\s{WJ}])(?=——|…{WJ}…)"), WJ),
]


def quote_chars(style: str) -> tuple[str, str, str, str]:
    """(open, close, nested open, nested close) of a quote style."""
    return QUOTES[style]


def straight_quotes(text: str, style: str) -> dict[int, str]:
    """Positions of straight quotes in `text` that become paired quotes, and their new mark.

    `text` is a whole paragraph. Double quotes pair in order and become Chinese quotes when
    the pair holds or touches CJK; a single quote between Latin letters is an apostrophe.
    """
    o1, c1, o2, c2 = quote_chars(style)
    out: dict[int, str] = {}
    for mark, (op, cl) in (('"', (o1, c1)), ("'", (o2, c2))):
        spots = [i for i, ch in enumerate(text) if ch == mark and not _apostrophe(text, i)]
        for a, b in zip(spots[::2], spots[1::2], strict=False):
            if _chinese_pair(text, a, b):
                out[a], out[b] = op, cl
    return out


def _apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isascii() and before.isalnum() and after.isascii() and after.isalpha()


_CJK_CHAR = re.compile(f"[{CJK}]")


def _chinese_pair(text: str, a: int, b: int) -> bool:
    """A pair is Chinese when it holds CJK or touches it from outside."""
    outside = text[max(0, a - 1) : a] + text[b + 1 : b + 2]
    return bool(_CJK_CHAR.search(text, a, b) or _CJK_CHAR.search(outside))


def nest_quotes(text: str, style: str) -> dict[int, str]:
    """Restyle paired quotes to `style`, alternating primary and nested marks by depth."""
    o1, c1, o2, c2 = quote_chars(style)
    out: dict[int, str] = {}
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch in "“「『" or (ch == "‘" and not _apostrophe(text, i)):
            out[i] = o2 if len(stack) % 2 else o1
            stack.append(i)
        elif ch in "”」』" or (ch == "’" and not _apostrophe(text, i) and stack):
            if not stack:
                continue
            stack.pop()
            out[i] = c2 if len(stack) % 2 else c1
    for i in stack:  # unmatched openers: leave them as the author typed them
        del out[i]
    return out
