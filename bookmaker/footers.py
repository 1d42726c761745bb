"""Articles -> the same articles without the footer a newsletter repeats at the end of each,
and with the opening it repeats at the start of each printed once, in the first.

An e-mail ends with "在浏览器中阅读 · 退订", "forward it to a friend", links to the archive
and the sponsor: the reader of one e-mail needs them, the reader of a book of a hundred gets
them a hundred times, and links to `{{ unsubscribe_url }}` lead nowhere. The last paragraphs
that several articles end with word for word (wherever their links point), and that link
somewhere, are such a footer; an end mark without a link (`（完）`) is the author's own.
A weekly also opens every issue alike ("这里记录每周值得分享的科技内容…本杂志[开源](…)"): the
book's reader reads that once, in the first issue that has it.
"""

from __future__ import annotations

import functools
import logging
import re
from collections import Counter
from dataclasses import replace

from .model import Article

log = logging.getLogger(__name__)

MIN_ARTICLES = 3  # two alike may be chance; three are a habit
MAX_BLOCKS = 6
MAX_CHARS = 800  # a footer is a few lines: more than that is text, even if repeated
MAX_SHARE = 2  # … and the smaller part of its issue: at most half of it
# Where a link points is left out of the comparison: each issue's "read online" has its own.
_TARGET = re.compile(r"\]\([^)]*\)|<[a-z]+:[^>]*>|(?:https?:|mailto:)[^\s)>]+|href=\"[^\"]*\"")
LINK = "](…)"
# … but a picture is what it shows: issues that each end with a picture of their own differ.
_PICTURE = re.compile(r"(!\[[^\]]*\]\([^)]*\))")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A heading or a quotation is the author's writing: a footer never reaches back that far.
_TEXT = re.compile(r"^ {0,3}(?:#|>)")
_RULE = re.compile(r"^ {0,3}([-*_])(?: *\1){2,} *$")
# A licence or copyright line is the author's word on what a reader may do with the text
# (CC BY asks that it travel with every copy), and a source line says whose text it is (a
# translation's 原文链接, each to its own original): they stay, with whatever comes before.
_LICENCE = re.compile(
    r"licen[cs]e|copyright|©|creative ?commons|\bCC[ -]?(?:BY|0)\b|知识共享|创作共用|"
    r"许可协议|授权协议|版权|著作权|保留所有权利|转载|轉載|授權|ライセンス|著作権|転載|"
    r"原文|原作者|译者|譯者|译自|出处|出處|来源|來源|参考|參考|元記事|出典|参照|"
    r"translated from|originally (?:published|posted)|\bsource\s*[:：]",
    re.IGNORECASE,
)
_UNSUBSCRIBE = re.compile(r"unsubscribe|退订|取消订阅|退訂|配信停止", re.IGNORECASE)


def strip(articles: list[tuple[Article, bool]], newest: bool = False) -> list[tuple[Article, bool]]:
    """(article, dated) pairs, oldest first, each without the footer it shares with others and
    the opening it shares but the first to be read (the newest, with `newest`)."""
    tails = [_tails(a.body) for a, _ in articles]
    counts = Counter(t for found in tails for t, _ in found)
    cut: Counter[str] = Counter()
    out = []
    for (article, dated), found in zip(articles, tails, strict=True):
        shared = [
            (t, start)
            for t, start in found
            if counts[t] >= MIN_ARTICLES and _linked(t) and not _licensed(t)
        ]
        if not shared:
            out.append((article, dated))
            continue
        tail, start = shared[-1]  # the longest
        cut[next((b for b in tail if not _RULE.match(b)), tail[0])] += 1
        out.append((replace(article, body=_before(article.body, start)), dated))
    for first, n in sorted(cut.items()):
        log.info(
            "%d articles end with the same footer (%s): left out of the book", n, _shown(first)
        )
    if newest:
        return _openings(out[::-1])[::-1]
    return _openings(out)


def _openings(articles: list[tuple[Article, bool]]) -> list[tuple[Article, bool]]:
    """Each article without the opening paragraphs it shares with others, but the first."""
    heads = [_heads(a.body) for a, _ in articles]
    counts = Counter(h for found in heads for h, _ in found)
    printed: Counter[tuple[str, ...]] = Counter()
    out = []
    for (article, dated), found in zip(articles, heads, strict=True):
        shared = [(h, end) for h, end in found if counts[h] >= MIN_ARTICLES and _linked(h)]
        if not shared:
            out.append((article, dated))
            continue
        head, end = shared[-1]
        printed[head] += 1
        if printed[head] == 1:  # the first issue keeps it: the reader learns it once
            out.append((article, dated))
            continue
        lines = article.body.split("\n")
        # (blanked, not removed: later lines keep their numbers for warnings)
        body = "\n".join([""] * end + lines[end:])
        out.append((replace(article, body=body), dated))
    for head, n in sorted(printed.items()):
        log.info(
            "%d articles open with the same paragraphs (%s): printed once, in the first",
            n,
            _shown(head[0]),
        )
    return out


def _heads(body: str) -> list[tuple[tuple[str, ...], int]]:
    """(the first k paragraphs, as compared; the line after them), k = 1, 2, … MAX_BLOCKS,
    those of them that link somewhere."""
    lines = body.split("\n")
    most = functools.cache(lambda: _most(lines))  # (as in `_tails`)
    start = 0
    found: list[tuple[tuple[str, ...], int]] = []
    blocks: tuple[str, ...] = ()
    while start < len(lines) and len(blocks) < MAX_BLOCKS:
        while start < len(lines) and not lines[start].strip():
            start += 1
        end = start
        while end < len(lines) and lines[end].strip():
            end += 1
        block = lines[start:end]
        if not block or any(_FENCE.match(line) for line in block) or _TEXT.match(block[0]):
            break
        blocks = (*blocks, _compared(block))
        if sum(map(len, blocks)) > MAX_CHARS:
            break
        if _linked(blocks):
            if sum(map(len, blocks)) > most():
                break
            found.append((blocks, end))
        start = end
    return found


def _tails(body: str) -> list[tuple[tuple[str, ...], int]]:
    """(the last k paragraphs, as compared; the line they start at), k = 1, 2, … MAX_BLOCKS,
    those of them that link somewhere."""
    lines = body.split("\n")
    most = functools.cache(lambda: _most(lines))  # (only for an end that links somewhere)
    end = len(lines)
    found: list[tuple[tuple[str, ...], int]] = []
    blocks: tuple[str, ...] = ()
    while end > 0 and len(blocks) < MAX_BLOCKS:
        while end > 0 and not lines[end - 1].strip():
            end -= 1
        start = end
        while start > 0 and lines[start - 1].strip():
            start -= 1
        block = lines[start:end]
        if not block or any(_FENCE.match(line) for line in block) or _TEXT.match(block[0]):
            break  # (code is never a footer, and a paragraph inside code is no paragraph)
        blocks = (_compared(block), *blocks)
        if sum(map(len, blocks)) > MAX_CHARS:
            break
        if _linked(blocks):  # (only a linked one can be a footer: the others are not kept)
            if sum(map(len, blocks)) > most():
                break
            found.append((blocks, start))
        end = start
    return found


def _most(lines: list[str]) -> int:
    """How many characters (as compared) a footer or an opening may have in this article:
    MAX_CHARS, and never more than its share of the whole.

    Most articles are long enough for MAX_CHARS: their first lines tell, and the rest is not
    compared (a list of 10,000 posts spent 0.5 s comparing whole articles here).
    """
    enough = MAX_SHARE * MAX_CHARS
    size = 0
    for n, line in enumerate(lines, 1):
        size += len(line)
        if size >= 2 * enough:
            if len(_compared(lines[:n])) >= enough:  # (a part compares no longer than all)
                return MAX_CHARS
            break
    return min(MAX_CHARS, len(_compared(lines)) // MAX_SHARE)


def _compared(block: list[str]) -> str:
    parts = _PICTURE.split(" ".join(block))  # (odd parts: pictures, compared as written)
    text = "".join(p if i % 2 else _TARGET.sub(LINK, p) for i, p in enumerate(parts))
    return " ".join(text.split())


def _linked(tail: tuple[str, ...]) -> bool:
    return any(LINK in b or "{{" in b or "*|" in b for b in tail)


def _licensed(tail: tuple[str, ...]) -> bool:
    """A paragraph of it states the text's licence or source (not an e-mail's "© 2024 ·
    Unsubscribe")."""
    return any(_LICENCE.search(b) and not _UNSUBSCRIBE.search(b) for b in tail)


def _before(body: str, start: int) -> str:
    """The body's lines before `start`, without a rule that only set the footer apart."""
    lines = body.split("\n")[:start]
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and _RULE.match(lines[-1]) and (len(lines) < 2 or not lines[-2].strip()):
        lines.pop()
    return "\n".join(lines).rstrip() + "\n"


def _shown(block: str) -> str:
    return f"“{block[:40]}…”" if len(block) > 40 else f"“{block}”"
