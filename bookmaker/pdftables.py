"""Print HTML tables -> the same tables, a wide one set in smaller type so it fits the page.

print.css lets a cell break anywhere rather than run into the margin, and WeasyPrint's
table layout then narrows every column to that: a table of fourteen columns of figures
came out with `2010` printed as `201` over `0`. A book designer sets such a table a size
or two smaller instead. The width a table needs is estimated from its text (the longest
run no line may break in each column, in em of the table's type) and the type is made
just small enough for it, never below MIN_EM; past that, cells break as before.

A table that fits (as set, or at its smaller size) is marked `whole`: print.css then lets
its cells break only where text may break, so WeasyPrint widens the column of
`2024-01-15`, `3.12.1`, `¥18,000` and wraps the Chinese beside it instead of printing
`2024-01-` over `15`. A run longer than LONGEST_EM (a path) keeps the table breaking
anywhere, or it would push the table past the margin.
"""

from __future__ import annotations

import re

from lxml import etree

from .pagesizes import PageSize
from .xhtml import local_name, text_content

TABLE_EM = 0.82  # print.css `.article table { font-size }`, of the body's size
MIN_EM = 0.6  # of the body's size: 6.3 pt on A5, still read on paper
MM_PER_PT = 25.4 / 72
CELL_PADDING_EM = 0.8  # print.css: 0.4em each side
SLACK = 0.95  # the estimate is rough: keep a little room
LONGEST_EM = 12.0  # a longer run (a URL, a path) breaks whatever the size: it sets none
# widths in em, as Noto Serif CJK and DejaVu Sans Mono draw them (rounded up)
NARROW = 0.3  # i l . , : ; ' | ! ( ) [ ] space
LATIN = 0.58  # digits, most letters, signs
CJK = 1.0
UNBREAKABLE = re.compile(r"[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+")
NARROW_CHARS = set("iljtfr.,:;'|!()[] ")


def fit_wide(root: etree._Element, size: PageSize) -> None:
    """Each table too wide for the text block gets the font size that makes it fit."""
    available = size.text_width / (size.font_size * MM_PER_PT) * SLACK
    for table in root.iter():
        if not isinstance(table.tag, str) or local_name(table) != "table":
            continue
        need = needed_em(table)
        em = TABLE_EM
        if need * TABLE_EM > available:
            em = max(MIN_EM, available / need)
            style = table.get("style", "")
            table.set("style", f"{style}; font-size: {em:.3f}rem".lstrip("; "))
        if need * em <= available and not _has_long_run(table):
            classes = table.get("class", "").split()
            table.set("class", " ".join([*classes, "whole"]))


def needed_em(table: etree._Element) -> float:
    """Sum over the columns of the widest run a line cannot break, in em, with padding."""
    widths: dict[int, float] = {}
    for row in table.iter():
        if not isinstance(row.tag, str) or local_name(row) != "tr":
            continue
        column = 0
        for cell in row:
            if not isinstance(cell.tag, str) or local_name(cell) not in ("td", "th"):
                continue
            span = _span(cell)
            if span == 1:
                widths[column] = max(widths.get(column, 0.0), _min_width(text_content(cell)))
            column += span
    return sum(w + CELL_PADDING_EM for w in widths.values())


def _has_long_run(table: etree._Element) -> bool:
    """Whether some cell holds a run no line may break that is wider than LONGEST_EM."""
    return any(
        _run_width(run) > LONGEST_EM
        for cell in table.iter()
        if isinstance(cell.tag, str) and local_name(cell) in ("td", "th")
        for run in UNBREAKABLE.findall(text_content(cell))
    )


def _run_width(run: str) -> float:
    return sum(NARROW if c in NARROW_CHARS else LATIN for c in run)


def _span(cell) -> int:
    try:
        return max(1, int(cell.get("colspan", "1")))
    except ValueError:
        return 1


def _min_width(text: str) -> float:
    """The widest piece of text no line break may split: a word, a number, two Han."""
    widest = CJK * 2 if re.search(r"[\u2e80-\u9fff]{2}", text) else 0.0
    for run in UNBREAKABLE.findall(text):
        width = _run_width(run)
        if width <= LONGEST_EM:
            widest = max(widest, width)
    return widest
