"""Markdown exported from 语雀 (Yuque) -> Markdown as the document showed it.

Yuque writes its highlight blocks as `:::tips` … `:::` (also `info`, `warning`, `danger`,
`success`, `color1`–`color5`): each is a box, in the Obsidian form callouts.py reads. Its
pictures stay on its CDN (`https://cdn.nlark.com/…png#averageHue=…&width=600`): the
fragment only tells the editor how it showed the picture, so it is cut off, its `width`
kept as the picture's width, and the file name Yuque puts as the alt text (`image.png`)
is no caption: its `title`, when the author gave one, is. The `<a name="Uv3xk"></a>` line
Yuque puts above each heading is that heading's id, so links to it still land there.
Fenced code is left as written.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
BOX_OPEN = re.compile(r"^:::[ \t]*(tips|info|warning|danger|success|color[1-5])[ \t]*$")
BOX_CLOSE = re.compile(r"^:::[ \t]*$")
KINDS = {"tips": "tip", "info": "info", "warning": "warning", "danger": "danger"}
KINDS.update(success="success")
PICTURE = re.compile(
    r"!\[([^\]\n]*)\]\((https?://(?:cdn\.nlark\.com|cdn\.yuque\.com)/[^)\s#]+)#([^)\s]*)\)"
)
FILE_NAME = re.compile(r"^[\w.-]*\.(?:png|jpe?g|gif|webp|svg|bmp)$", re.I)
ANCHOR = re.compile(r"^<a name=\"([\w-]+)\"></a>[ \t]*$")
HEADING = re.compile(r"^#{1,6}[ \t]+\S")


def expand(source: str) -> str:
    """`source` with Yuque's boxes, pictures and heading anchors as the book reads them."""
    if ":::" not in source and "<a name=" not in source and "nlark" not in source:
        return source
    out: list[str] = []
    fence, boxed = "", False
    lines = source.split("\n")
    for i, line in enumerate(lines):
        m = FENCE.match(line)
        if fence:
            fence = (
                "" if m and m.group(1).startswith(fence) and not line[m.end() :].strip() else fence
            )
        elif m:
            fence = m.group(1)
        elif BOX_OPEN.match(line) and not boxed:
            kind = BOX_OPEN.match(line).group(1)
            out += ["", f"> [!{KINDS.get(kind, 'note')}]"]
            boxed = True
            continue
        elif boxed and BOX_CLOSE.match(line):
            out.append("")
            boxed = False
            continue
        elif ANCHOR.match(line) and i + 1 < len(lines) and HEADING.match(lines[i + 1]):
            lines[i + 1] += f" {{#{ANCHOR.match(line).group(1)}}}"
            continue
        else:
            line = PICTURE.sub(_picture, line)
        out.append(f"> {line}".rstrip() if boxed else line)
    return "\n".join(out)


def _picture(m: re.Match) -> str:
    params = dict(p.partition("=")[::2] for p in m.group(3).split("&"))
    alt = m.group(1)
    if FILE_NAME.match(alt):
        alt = unquote(params.get("title", ""))
    width = params.get("width", "")
    size = f"{{width={width.split('.')[0]}}}" if width.replace(".", "").isdigit() else ""
    return f"![{alt}]({m.group(2)}){size}"


def exported(text: str) -> bool:
    """Whether a file with no front matter is a Yuque document: its pictures on Yuque's
    CDN, or the anchor Yuque puts above its headings. Yuque exports no date, so such a
    file is an undated article (`--undated end`), not a note to pass over."""
    return "cdn.nlark.com/yuque" in text or any(
        ANCHOR.match(line) and HEADING.match(after)
        for line, after in zip(text.split("\n"), text.split("\n")[1:], strict=False)
    )
