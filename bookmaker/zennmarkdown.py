"""Zenn's and Qiita's Markdown -> the Markdown bookmaker reads.

Both services add to CommonMark: boxes (`:::message`, `:::message alert`, `:::details
タイトル` on Zenn; `:::note info|warn|alert` on Qiita), a file name after a fence's
language (```` ```js:app.js ````), Qiita's ```` ```math ```` blocks and ```` ```diff_ruby ````
diffs, inline footnotes (`^[脚注]`), and Zenn's embeds (`@[youtube](id)`, `@[tweet](url)`,
`@[card](url)`…) and picture widths (`![](/images/a.png =250x)`, an `*italic*` line under
it being its caption). Boxes become markdown-it containers of bookmaker's kinds (mddialect
reads them), embeds links, a picture's width an attribute list and its caption the
picture's title (a figure's, and its alt text when it has none).
"""

from __future__ import annotations

import re

from . import embeds, mdsource, obsidian

# `:::message alert`, `:::note warn`: the service's box -> the kind of box bookmaker draws
BOX = re.compile(r"^([ \t]*:{3,})[ \t]*(message|note)\b[ \t]*(\w*)[ \t]*$", re.M)
BOX_KINDS = {
    ("message", ""): "note",
    ("message", "alert"): "warning",
    ("note", ""): "info",
    ("note", "info"): "info",
    ("note", "warn"): "warning",
    ("note", "alert"): "danger",
}
# ```js:app.js, ```ruby:ファイル名 — the opening line of a code segment
FENCE_NAME = re.compile(r"\A([ \t>]*(?:`{3,}|~{3,}))[ \t]*([\w#+.-]*):([^\s`\"]+)[ \t]*([^\n]*)")
# Qiita's ```diff_ruby: a diff of Ruby code, shown as a diff
DIFF_FENCE = re.compile(r"\A([ \t>]*(?:`{3,}|~{3,})[ \t]*diff)_[\w#+.-]+")
MATH_FENCE = re.compile(
    r"\A([ \t]*)(`{3,}|~{3,})[ \t]*math[ \t]*\n(.*?)\n?[ \t]*\2[ \t]*(\n|\Z)", re.S
)
EMBED = re.compile(r"@\[([a-z]+)\]\(([^()\s]+)\)")
# Zenn's embeds that take a bare id, and what their page is
EMBED_PAGES = {
    "speakerdeck": ("Speaker Deck", "https://speakerdeck.com/player/"),
    "slideshare": ("SlideShare", "https://www.slideshare.net/slideshow/embed_code/key/"),
}
# `![alt](src =250x)` (also `=250x100`, `=x100`), then maybe `*caption*` on the next line
PICTURE = re.compile(
    r"!\[(?P<alt>[^\]\n]*)\]\((?P<src>[^\s()]+)(?:[ \t]+=(?P<w>\d*)x(?P<h>\d*))?[ \t]*\)"
    r"(?:[ \t]*\n[ \t]*\*(?P<cap>[^*\n]+)\*[ \t]*$)?",
    re.M,
)


def expand(source: str) -> str:
    """`source` with Zenn's and Qiita's syntax written the way bookmaker reads it."""
    parts = []
    for seg in mdsource.segments(source):
        parts.append(_code(seg.text) if seg.code else _prose(seg.text))
    text = "".join(parts)
    return obsidian.inline_footnotes(text) if "^[" in text else text


def _code(text: str) -> str:
    math = MATH_FENCE.match(text)
    if math:
        indent = math.group(1)
        return f"{indent}$$\n{math.group(3)}\n{indent}$${math.group(4)}" + text[math.end() :]
    return FENCE_NAME.sub(_named_fence, DIFF_FENCE.sub(r"\1", text, count=1), count=1)


def _named_fence(m: re.Match) -> str:
    fence, language, name, rest = m.groups()
    return f'{fence}{language or "text"} title="{name}" {rest}'.rstrip()


def _prose(text: str) -> str:
    text = BOX.sub(_box, text)
    text = EMBED.sub(_embed, text)
    return PICTURE.sub(_picture, text)


def _box(m: re.Match) -> str:
    colons, service, word = m.groups()
    kind = BOX_KINDS.get((service, word.lower()))
    return f"{colons} {kind}" if kind else m.group(0)


def _embed(m: re.Match) -> str:
    name, value = m.groups()
    if name == "youtube" and "/" not in value:
        return embeds.video_link("youtube", value)
    if name in EMBED_PAGES and "/" not in value:
        label, page = EMBED_PAGES[name]
        return f"[{label}: {value}](<{page}{value}>)"
    if not value.startswith(("https://", "http://")):
        return m.group(0)
    return f"<{value}>"  # a card, a tweet, a pen: its address says what it is


def _picture(m: re.Match) -> str:
    caption = m.group("cap")
    if m.group("w") is None and caption is None:
        return m.group(0)
    title = ' "' + caption.strip().replace('"', "&quot;") + '"' if caption else ""
    alt = m.group("alt") or (caption or "").strip()  # what the picture shows, for a reader
    out = f"![{alt}]({m.group('src')}{title})"
    return out + (f'{{: width="{m.group("w")}" }}' if m.group("w") else "")
