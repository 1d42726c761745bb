"""A note's Obsidian syntax -> Markdown Python-Markdown reads, as Obsidian shows the note.

For plain folders and vaults only (blog generators print these as typed): `%%comments%%`
are left out, since they are the writer's private notes. Code is never touched.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import mdsource

COMMENT = "%%"


@dataclass(frozen=True)
class Expanded:
    text: str
    notes: tuple[tuple[int, str], ...] = ()  # (0-based line of the source, warning)


def expand(source: str) -> Expanded:
    """`source` as Obsidian shows it: comments out."""
    text, unclosed = _without_comments(source)
    if unclosed is None:
        return Expanded(text)
    message = (
        "`%%` opens a comment that is never closed: the rest of the note is left out, "
        "as Obsidian hides it"
    )
    return Expanded(text, ((mdsource.line_at(source, unclosed) - 1, message),))


def _without_comments(source: str) -> tuple[str, int | None]:
    """`source` without its `%%…%%` comments (inline or over lines, with any code inside
    them), and where a comment that is never closed opens."""
    if COMMENT not in source:
        return source, None
    kept: list[str] = []
    opened: int | None = None
    for segment in mdsource.segments(source):
        if segment.code:
            if opened is None:
                kept.append(segment.text)
            continue
        text, pos = segment.text, 0
        while pos <= len(text):
            at = text.find(COMMENT, pos)
            if opened is None:
                kept.append(text[pos:] if at < 0 else text[pos:at])
                opened = None if at < 0 else segment.offset + at
            elif at >= 0:
                opened = None
            if at < 0:
                break
            pos = at + len(COMMENT)
    return "".join(kept), opened
