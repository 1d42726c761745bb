"""An article's opening lines -> the date written under its title, and the body without it.

Newsletters exported without front matter put the date in the text: Substack2Markdown writes
`# Title`, `## Subtitle`, `**Mar 03, 2023**`, `**Likes:** 12`; a weekly writes `*2024年3月1日*`
under its heading. That line is the article's date; the book prints the date in the
article's head, so the line (and the exporter's like count) is not printed again. The
`## Subtitle` between the title and that date is the article's subtitle, printed under its
title, not a first section.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo

from . import dates

MONTHS = {
    m[:3].lower(): n
    for n, m in enumerate(
        "January February March April May June July August September October November "
        "December".split(),
        1,
    )
}
OPENING_LINES = 6  # the title, a subtitle or two, then the date
OPENING_SPLIT = 64
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]")
_DECORATION = re.compile(r"^[\s*_]+|[\s*_]+$")
# "Published:", "发布于", "日期：" before the date; Substack's "Mar 03, 2023" and "3 Mar 2023"
_LABEL = re.compile(r"^(?:published|posted|date|发布于|发表于|发布时间|日期)\s*[:：]?\s*", re.I)
_MONTH_FIRST = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})$")
_TITLE = re.compile(r"^ {0,3}#[ \t]")
_SUBTITLE = re.compile(r"^ {0,3}##[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_LIKES = re.compile(r"^\s*\*\*Likes:\*\*\s*\d*\s*$")  # Substack2Markdown's like count


def find(body: str, tz: tzinfo) -> tuple[datetime, str] | None:
    """(the date under the title, the body with that line blanked), or None."""
    lines = body.split("\n", OPENING_SPLIT)  # (the rest, however long, is not split)
    seen = 0
    for i, line in enumerate(lines[:OPENING_SPLIT]):
        if not line.strip():
            continue
        seen += 1
        if seen > OPENING_LINES:
            return None
        if _HEADING.match(line):
            continue
        when = _date(line, tz)
        if when is None:
            return None
        blank = {i} | _likes_after(lines, i)
        return when, "\n".join("" if j in blank else text for j, text in enumerate(lines))
    return None


def _date(line: str, tz: tzinfo) -> datetime | None:
    text = _LABEL.sub("", _DECORATION.sub("", line))
    english = _MONTH_FIRST.match(text) or _DAY_FIRST.match(text)
    if english:
        first, second, year = english.groups()
        month, day = (first, second) if first.isalpha() else (second, first)
        number = MONTHS.get(month[:3].lower())
        try:
            return datetime(int(year), number, int(day), tzinfo=tz) if number else None
        except ValueError:
            return None
    if not re.match(r"^\d{4}\s*[-/.年]", text):  # (a paragraph is no date)
        return None
    try:
        return dates.parse(text, tz)
    except ValueError:
        return None


def _likes_after(lines: list[str], i: int) -> set[int]:
    for j in range(i + 1, min(i + 4, len(lines))):
        if _LIKES.match(lines[j]):
            return {j}
        if lines[j].strip():
            break
    return set()


def subtitle(body: str, tz: tzinfo) -> tuple[str, str]:
    """(the `## Subtitle` between the opening `# Title` and the date line under it, the body
    with its line blanked), or ("", body): Substack2Markdown's opening, where the heading
    is the post's subtitle, not a section of the text."""
    lines = body.split("\n", OPENING_SPLIT)
    filled = [i for i, line in enumerate(lines[:OPENING_SPLIT]) if line.strip()][:3]
    if len(filled) < 3 or not _TITLE.match(lines[filled[0]]):
        return "", body
    found = _SUBTITLE.match(lines[filled[1]])
    if not found or not found[1].strip() or _date(lines[filled[2]], tz) is None:
        return "", body
    lines[filled[1]] = ""
    return found[1].strip(), "\n".join(lines)
