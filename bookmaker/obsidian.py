"""A note's Obsidian syntax -> Markdown Python-Markdown reads, as Obsidian shows the note.

For plain folders and vaults only (blog generators print these as typed): `%%comments%%`
are left out, since they are the writer's private notes; `[[Note|label]]` becomes a link
links.py resolves (`bookmaker-note:`); `![[pic.png|300]]` a picture, which images.py finds
by its name; `![[Note]]` a link to that note (a book does not repeat a note inside another).
Code is never touched. In a vault, `#tags` in a note's text are its tags too.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from . import links, mdsource

COMMENT = "%%"
# `[[Note]]`, `[[Note|label]]`, `[[Note#heading]]`, `![[pic.png|300]]`; in a table the
# `|` is written `\|`. Obsidian allows no `[`, `]` or `|` in a name.
WIKILINK = re.compile(r"(?<!\\)(!?)\[\[([^\[\]|\n]+?)(?:\\?\|([^\[\]\n]*))?\]\]")
# `[1]: https://…`: then `[[1]]` is a citation in brackets, as Markdown reads it.
REFERENCE = re.compile(r"^[ \t]{0,3}\[([^\]\n]+)\]:", re.M)
SIZE = re.compile(r"^(\d{1,5})(?:x(\d{1,5}))?$")
# Embeds Obsidian plays or shows in a frame of its own; a page cannot.
NOT_ON_PAPER = re.compile(
    r"\.(?:pdf|mp3|wav|m4a|ogg|flac|3gp|webm|mp4|mov|mkv|ogv|canvas|excalidraw)$", re.I
)
# `#标签`, `#project/bookmaker` after a space or at a line's start: not `#123` (an issue),
# `x#y`, `(#id)` or `/#frag` (links), nor `# Heading` (a space follows).
INLINE_TAG = re.compile(r"(?<!\S)#([\w/-]*[^\W\d][\w/-]*)")
HTML_TAG = re.compile(r"<[A-Za-z/!][^>]*>")  # `style="color: #fff"` names no tag
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]])")
DESTINATION = str.maketrans(
    {"%": "%25", " ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E"}
)


@dataclass(frozen=True)
class Expanded:
    text: str
    notes: tuple[tuple[int, str], ...] = ()  # (0-based line of the source, warning)


def expand(source: str) -> Expanded:
    """`source` as Obsidian shows it: comments out, wikilinks and embeds as Markdown."""
    notes: list[tuple[int, str]] = []
    text, unclosed = _without_comments(source)
    if unclosed is not None:
        message = (
            "`%%` opens a comment that is never closed: the rest of the note is left out, "
            "as Obsidian hides it"
        )
        notes.append((mdsource.line_at(source, unclosed) - 1, message))
    if "[[" in text:
        text = _wikilinks(text, notes)
    if "^[" in text:
        text = inline_footnotes(text)
    return Expanded(text, tuple(notes))


def inline_footnotes(source: str) -> str:
    """`正文^[一条脚注]` (Obsidian, Typora, Pandoc): a footnote like `[^1]`, numbered
    after the note's own, its text at the end where Markdown's footnotes are defined."""
    found: list[str] = []

    def note(m: re.Match) -> str:
        found.append(m.group(1))
        return f"[^bookmaker-inline-{len(found)}]"

    text = mdsource.map_prose(source, lambda prose, _: INLINE_NOTE.sub(note, prose))
    if not found:
        return source
    definitions = "".join(
        f"\n[^bookmaker-inline-{n}]: {body}" for n, body in enumerate(found, start=1)
    )
    return text.rstrip("\n") + "\n\n" + definitions.lstrip("\n") + "\n"


INLINE_NOTE = re.compile(r"\^\[((?:[^\[\]\n]|\[[^\[\]\n]*\])+)\]")  # one level of [links] inside


def inline_tags(body: str) -> tuple[str, ...]:
    """The `#tags` in `body`'s text, in order, once each; none from code or comments."""
    if "#" not in body:
        return ()
    text, _ = _without_comments(body)
    prose = (s.text for s in mdsource.segments(text) if not s.code)
    found = (m.group(1) for part in prose for m in INLINE_TAG.finditer(HTML_TAG.sub(" ", part)))
    return tuple(dict.fromkeys(found))


def _without_comments(source: str) -> tuple[str, int | None]:
    """`source` without its `%%…%%` comments (inline or over lines, with any code inside
    them), and where a comment that is never closed opens. A comment leaves its line
    breaks, so every later line keeps its number for warnings."""
    if COMMENT not in source:
        return source, None
    kept: list[str] = []
    opened: int | None = None
    for segment in mdsource.segments(source):
        if segment.code:
            kept.append(segment.text if opened is None else _breaks(segment.text))
            continue
        text, pos = segment.text, 0
        while True:
            at = text.find(COMMENT, pos)
            piece = text[pos:] if at < 0 else text[pos:at]
            kept.append(piece if opened is None else _breaks(piece))
            if at < 0:
                break
            opened = segment.offset + at if opened is None else None
            pos = at + len(COMMENT)
    return "".join(kept), opened


def _breaks(text: str) -> str:
    return "\n" * text.count("\n")


def _wikilinks(source: str, notes: list[tuple[int, str]]) -> str:
    cited = {m.group(1).casefold() for m in REFERENCE.finditer(source)}

    def prose(text: str, offset: int) -> str:
        def one(m: re.Match) -> str:
            bang, target, extra = m.group(1), m.group(2).strip(), m.group(3)
            if not bang and extra is None and (target.casefold() in cited or target[0] == "^"):
                return m.group(0)  # `[[1]]` citing `[1]: …`, `[[^1]]` around a footnote
            if bang and links.is_picture(target):
                return _picture(target, extra or "")
            if bang and NOT_ON_PAPER.search(target.split("#")[0]):
                line = mdsource.line_at(source, offset + m.start()) - 1
                notes.append(
                    (line, f"{m.group(0)}: a book cannot show this file; its name is printed")
                )
                return _escape(target)
            return _link(target, extra)

        return WIKILINK.sub(one, text)

    return mdsource.map_prose(source, prose)


def _link(target: str, label: str | None) -> str:
    """`[label](<bookmaker-note:name#heading>)`, showing what Obsidian shows: the label,
    else the name as written (`Note > heading`)."""
    name, _, heading = target.partition("#")
    heading = heading.split("#")[-1].strip()  # `Note#Part#Section`: the last one
    shown = (label or "").strip() or " > ".join(p for p in (name.strip(), heading) if p)
    if heading.startswith("^"):  # a block id: there is no such place in a book
        heading = ""
    href = _destination(name.strip() + (f"#{heading}" if heading else ""))
    return f"[{_escape(shown)}](bookmaker-note:{href})"


def _picture(target: str, extra: str) -> str:
    """`<img src="pic.png" alt="" width="300" height="200"/>` from `pic.png` and
    `alt|300x200` (HTML: a name may hold spaces and brackets a Markdown image cannot)."""
    attrs = {"src": target, "alt": ""}
    for part in (p.strip() for p in extra.split("|")):
        size = SIZE.match(part)
        if size and "width" not in attrs:
            attrs["width"], attrs["height"] = size.groups()
        elif part:
            attrs["alt"] = part
    shown = " ".join(f'{k}="{html.escape(v)}"' for k, v in attrs.items() if v is not None)
    return f"<img {shown} />"


def _destination(value: str) -> str:
    """`value` as a link's destination: no space or parenthesis to end it."""
    return value.translate(DESTINATION)


def _escape(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)
