"""A fence and the kramdown attribute line under it -> the fence with its file name.

Chirpy (and kramdown) read `{: file="run.sh" }` on the line after a closing fence as the
block's attributes, and the theme shows the file name over the code. The book shows it
as it shows a fence's `title=`; `.nolineno` and the other classes say how the theme
draws the block, which the book decides itself, so the line goes whatever it holds.
"""

from __future__ import annotations

import re

from .mdsource import CODE, FENCE, FENCE_OPEN, line_kinds

IAL_LINE = re.compile(r"^[ \t>]*\{:([^}\n]*)\}[ \t]*$")
FILE = re.compile(r"""(?:^|\s)(?:file|title)=(?:"([^"\n]*)"|'([^'\n]*)'|([^\s"'}]+))""")


def file_titles(source: str) -> str:
    """`source` with each fence's `{: file=… }` line moved onto its opening line."""
    if "{:" not in source:
        return source
    lines = source.splitlines(keepends=True)
    kinds = line_kinds(lines)
    for i, kind in enumerate(kinds):
        if kind != FENCE:
            continue
        end = i + 1
        while end < len(lines) and kinds[end] == CODE:
            end += 1
        if end == i + 1 or end >= len(lines):
            continue  # never closed: the fence runs to the end, no line follows it
        m = IAL_LINE.match(lines[end].rstrip("\r\n"))
        if not m:
            continue
        name = FILE.search(m.group(1))
        if name:
            lines[i] = _titled(lines[i], next(g for g in name.groups() if g is not None))
        lines[end] = ""
    return "".join(lines)


def _titled(line: str, name: str) -> str:
    """The fence's opening line with `title="name"`, unless it has a title of its own."""
    text = line.rstrip("\r\n")
    if "title=" in text or '"' in name or not name.strip():
        return line
    m = FENCE_OPEN.match(text)
    info = m.group(2).strip()
    return f'{text[: m.end(1)]}{info} title="{name.strip()}"'.rstrip() + line[len(text) :]
