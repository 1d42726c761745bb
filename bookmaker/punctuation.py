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
    FW_MARKS,
    HALF_TO_FULL,
    HAN,
    LATIN_ALNUM,
    NAME_SEPARATORS,
    OPENING,
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
    # A whole run of dashes, never part of one: — is itself CJK, so `—— @某人` matched as
    # `—` before a CJK `—`, then `— ` after one, and came out four dashes long.
    (re.compile(f"(?<=[{CJK}])(?<![—-])\\s*(?:-{{2,3}}|—+)(?![—-])\\s*"
                f"|(?<![—-])\\s*(?:-{{2,3}}|—+)(?![—-])\\s*(?=[{CJK}])"),
     "——"),
]  # fmt: skip


def _full(m: re.Match) -> str:
    return HALF_TO_FULL[m.group(1)]


def _parens(m: re.Match) -> str:
    return f"（{m.group(1)}）"


_BLOCK_END = "(?=[ \\t\\n]*\\Z)"
# What may follow a sentence-final `.` in Chinese: the end of the block, a line break
# (`<br/>` or a soft break), Chinese text or a full-width bracket, possibly after a space.
_CHINESE_END = f"(?=[ \\t]*(?:\\n|\\Z|[{HAN}{OPENING}])|[{CLOSING}])"


_LATIN_CHAR = re.compile(f"[{LATIN_ALNUM}]")


def _latin_stop(m: re.Match) -> str:
    """`iPhone.然后` ends a sentence; `U.S.的`, `e.g.的`, `v1.2.的` and `A.的` do not."""
    s, start = m.string, m.start()
    while start > 0 and _LATIN_CHAR.match(s, start - 1):
        start -= 1
    if m.start() - start < 2 or s[start - 1 : start] == ".":
        return m.group()
    return "。"


FULLWIDTH: list[Rule] = [
    # After Han, wherever it stands (end of paragraph, before a break, before Latin):
    # 你好,世界 → 你好，世界 ; 缺点也很明显: → 缺点也很明显：
    (re.compile(f"(?<=[{HAN}])([,;:?!])"), _full),
    (re.compile(f"(?<=[{HAN}])[ \\t]+([,;:?!])(?=[ \\t]|\\n|\\Z|[{CJK}])"), _full),
    # After a Latin word or a number, when Chinese follows: 用Python,然后 → 用Python，然后
    (re.compile(f"(?<=[{LATIN_ALNUM}])([,;:?!])[ \\t]*(?=[{HAN}])"), _full),
    # A stop after Han ends a Chinese sentence; 3.14 and config.toml have no Han before.
    (re.compile(f"(?<=[{HAN}])(\\.){_CHINESE_END}"), _full),
    (re.compile(f"(?<=[{HAN}])([.?!;:])(?=[{CLOSING}]*{_BLOCK_END})"), _full),
    (re.compile(f"(?<=[{LATIN_ALNUM}])\\.(?=[{HAN}])"), _latin_stop),
    # After a Chinese quotation or bracket, when Chinese text or the end follows.
    (re.compile(f"(?<=[{HAN}][{CLOSING}])([,.;:?!])(?=[ \\t]*(?:\\n|\\Z|[{CJK}]))"), _full),
    # The second of ?! !? !! ??: 真的?! → 真的？！
    (re.compile("(?<=[？！])([?!])"), _full),
    # Parentheses holding Chinese, or set between Han: 大学(CMU)的 → 大学（CMU）的
    (re.compile(f"\\(([^()\\n]*[{HAN}][^()\\n]*)\\)"), _parens),
    (re.compile(f"(?<=[{HAN}])\\(([^()\\n]*)\\)(?=[{HAN}{STOPS}{CLOSING}]|{_BLOCK_END})"),
     _parens),
    # After a full-width bracket (not a curly quote: English shares those).
    (re.compile("(?<=[）」』》】〕])([,.;:?!])(?=\\s|\\Z|[^\\x00-\\x7f])"), _full),
    # A soft line break after a full-width mark is no space: 明显：⏎Python → 明显：Python
    (re.compile(f"(?<=[{FW_MARKS}])[ \\t]*\\n[ \\t]*(?=\\S)"), ""),
]  # fmt: skip

# English text (an English article): `---` an em dash, a spaced `--` an en dash (a bare one
# is left alone: `--force` in prose), `...` an ellipsis.
ENGLISH: list[Rule] = [
    (re.compile("(?<=\\S)---(?=\\S)|(?<= )---(?= )"), "—"),
    (re.compile("(?<= )--(?= )"), "–"),
    (re.compile("(?<!\\.)\\.{3}(?!\\.)"), "…"),
]

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

    `text` is a whole paragraph. Quotes pair in order: a pair that holds or stands beside
    CJK (`推荐 "Clean Code" 这本书`) takes `style`'s marks, any other pair English curly
    quotes (`He said "yes".`); a single quote between Latin letters is an apostrophe (’).
    """
    o1, c1, o2, c2 = quote_chars(style)
    e1, f1, e2, f2 = quote_chars("curly")
    out: dict[int, str] = {}
    for mark, chinese, english in (('"', (o1, c1), (e1, f1)), ("'", (o2, c2), (e2, f2))):
        spots = [i for i, ch in enumerate(text) if ch == mark and not _apostrophe(text, i)]
        for a, b in zip(spots[::2], spots[1::2], strict=False):
            out[a], out[b] = chinese if _chinese_pair(text, a, b) else english
    out.update((i, "’") for i, ch in enumerate(text) if ch == "'" and _apostrophe(text, i))
    return out


def _apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isascii() and before.isalnum() and after.isascii() and after.isalpha()


_CJK_CHAR = re.compile(f"[{CJK}]")


def _chinese_pair(text: str, a: int, b: int) -> bool:
    """A pair is Chinese when it holds CJK or has CJK beside it, spaces between or not."""
    outside = text[:a].rstrip(" \t")[-1:] + text[b + 1 :].lstrip(" \t")[:1]
    return bool(_CJK_CHAR.search(text, a + 1, b) or _CJK_CHAR.search(outside))


def nest_quotes(text: str, style: str) -> dict[int, str]:
    """Restyle paired Chinese quotes to `style`, alternating primary and nested marks by
    depth. A pair around English (no CJK in or beside it: `He wrote “hello” in C.`) is
    English and keeps its marks, as does a 『』 the author set outside any quotation: it
    marks a title or a term there (『三体』), not a nested quotation.
    """
    o1, c1, o2, c2 = quote_chars(style)
    pairs: list[tuple[int, int]] = []
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch in "“「『" or (ch == "‘" and not _apostrophe(text, i)):
            stack.append(i)
        elif stack and (ch in "”」』" or (ch == "’" and not _apostrophe(text, i))):
            pairs.append((stack.pop(), i))
    # unmatched openers are left as the author typed them
    kept = {a for a, b in pairs if not _chinese_pair(text, a, b)}
    kept |= {a for a, b in pairs if text[a] == "『" and not _enclosed(a, pairs, kept)}
    out: dict[int, str] = {}
    for a, b in pairs:
        if a in kept:
            continue
        depth = _enclosed(a, pairs, kept)
        out[a], out[b] = (o2, c2) if depth % 2 else (o1, c1)
    return out


def _enclosed(at: int, pairs: list[tuple[int, int]], kept: set[int]) -> int:
    """How many restyled pairs hold the quote at `at`."""
    return sum(1 for a, b in pairs if a < at < b and a not in kept)
