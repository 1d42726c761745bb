"""Markdown source -> code and prose segments, so blog syntax is expanded only in prose.

Fenced blocks (``` and ~~~, also inside lists and quotes), indented code blocks outside
lists, inline code spans and raw `<pre>`/`<code>` elements are code; the rest is prose.
`normalise_fences` writes every fence's opening line the way the renderer reads it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

# A list item's marker, as CommonMark and Python-Markdown (sane_lists) read it; one spelling
# for every module that must step over one.
LIST_MARKER = r"(?:[-*+]|\d{1,9}[.)])"
FENCE_OPEN = re.compile(rf"^[ \t>]*(?:{LIST_MARKER}[ \t]+)?(`{{3,}}|~{{3,}})(.*)$")
LIST_ITEM = re.compile(rf"^[ \t]{{0,3}}{LIST_MARKER}[ \t]")
INDENTED = re.compile(r"^(?: {4}|\t)")
BLANK = re.compile(r"^[ \t]*$")
PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n)")
# A fence's info string, word by word: `rust,ignore`, `js:title=app.js`, `python {linenos=table,
# hl_lines=[2,"4-5"]}`, pandoc's `{#id .python}`.
INFO_WORD = re.compile(r"""([#.]?[^\s,:{}=]+)(?:=("[^"]*"|'[^']*'|\[[^\]]*\]|[^\s,{}]*))?""")
LANGUAGE = re.compile(r"[\w#+-][\w#.+-]*")  # what superfences takes for a language name
LINE_RANGE = re.compile(r"\d+(?:-\d+)?")
PROSE, CODE, FENCE = 0, 1, 2  # what a line is; FENCE opens a fenced block
INLINE_CODE = re.compile(
    r"(?<![`\\])(`+)(?!`).+?(?<!`)\1(?!`)"
    r"|<pre[\s>].*?</pre\s*>|<code[\s>].*?</code\s*>",
    re.S | re.I,
)


@dataclass(frozen=True)
class Segment:
    code: bool
    text: str
    offset: int  # where `text` starts in the source, for line numbers


def segments(source: str) -> list[Segment]:
    """`source` cut into alternating prose and code pieces whose texts join back to it."""
    out: list[Segment] = []
    for block in _blocks(source):
        if block.code:
            out.append(block)
        else:
            out.extend(_inline(block))
    return _merge(out)


def map_prose(source: str, fn: Callable[[str, int], str]) -> str:
    """`source` with every prose segment replaced by `fn(text, offset)`."""
    return "".join(fn(s.text, s.offset) if not s.code else s.text for s in segments(source))


def normalise_fences(source: str) -> str:
    """`source` with each fence's info string as Python-Markdown's superfences reads it.

    Goldmark, CommonMark and mdBook open a fence whatever its info string says
    (`rust,ignore`, `shell script`, `js:title=app.js`); superfences took such a line for
    text, and the article after it went wrong with it. The language is the first word; of
    the rest the book keeps what it can show: a title, line numbers, highlighted lines.
    """
    if "```" not in source and "~~~" not in source:
        return source  # most posts: no fence, and no need to classify every line
    lines = source.splitlines(keepends=True)
    for i, kind in enumerate(_classify(lines)):
        if kind == FENCE:
            lines[i] = _fence_line(lines[i])
    return "".join(lines)


def set_code_aside(source: str, tag: str) -> tuple[str, Callable[[str], str]]:
    """`source` with each code segment held as a placeholder (`\ue000{tag}N\ue001`, private
    use: never in input), and the function that puts them back into any part of it. For
    passes that read blocks spanning code (a box holding a fence) without cutting it."""
    held: list[str] = []
    pattern = re.compile(f"\ue000{re.escape(tag)}(\\d+)\ue001")

    def hold(segment: Segment) -> str:
        if not segment.code:
            return segment.text
        held.append(segment.text)
        return f"\ue000{tag}{len(held) - 1}\ue001"

    def restore(text: str) -> str:
        return pattern.sub(lambda m: held[int(m.group(1))], text)

    return "".join(hold(s) for s in segments(source)), restore


def line_at(source: str, offset: int) -> int:
    """1-based line of `offset` in `source`."""
    return source.count("\n", 0, offset) + 1


def line_kinds(lines: list[str]) -> list[int]:
    """For each line: PROSE, CODE (inside a code block, its closing fence too) or FENCE."""
    return _classify(lines)


def _blocks(source: str) -> list[Segment]:
    lines = source.splitlines(keepends=True)
    kinds = _classify(lines)
    out: list[Segment] = []
    offset = 0
    pairs = zip(lines, kinds, strict=True)
    for is_code, group in itertools.groupby(pairs, key=lambda x: x[1] != PROSE):
        text = "".join(line for line, _ in group)
        out.append(Segment(is_code, text, offset))
        offset += len(text)
    return out


def _classify(lines: list[str]) -> list[int]:
    """For each line: PROSE, CODE (inside a code block) or FENCE (opening a fenced one)?"""
    kinds: list[int] = []
    fence: str | None = None
    in_list = False
    prev_blank = True
    prev_indented_code = False
    for line in lines:
        text = line.rstrip("\n")
        if fence is not None:
            kinds.append(CODE)
            if _closes(text, fence):
                fence = None
            continue
        m = FENCE_OPEN.match(text)
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence = m.group(1)
            kinds.append(FENCE)
            prev_blank = prev_indented_code = False
            continue
        blank = bool(BLANK.match(text))
        if LIST_ITEM.match(text):
            in_list = True
        elif not blank and prev_blank and not INDENTED.match(text):
            in_list = False
        code = (
            not blank
            and not in_list
            and INDENTED.match(text) is not None
            and (prev_blank or prev_indented_code)
        )
        kinds.append(CODE if code or (blank and prev_indented_code) else PROSE)
        prev_indented_code = code or (blank and prev_indented_code)
        prev_blank = blank
    return kinds


def _closes(text: str, fence: str) -> bool:
    stripped = text.lstrip(" \t>")
    run = len(stripped) - len(stripped.lstrip(fence[0]))
    return run >= len(fence) and not stripped[run:].strip()


def _fence_line(line: str) -> str:
    text = line.rstrip("\r\n")
    m = FENCE_OPEN.match(text)
    info = m.group(2).strip() if m else ""
    if not info:
        return line
    return text[: m.end(1)] + _info(info) + line[len(text) :]


def _info(info: str) -> str:
    """The info string as superfences takes it: a language name, then options it knows.

    `rust,linenos` -> `rust linenums="1"`; `{#id .python hl_lines=[2]}` -> `python {#id
    hl_lines="2"}`."""
    lang, marks, options = "", [], {}
    for i, m in enumerate(INFO_WORD.finditer(info)):
        word, value = m.group(1), m.group(2)
        if value is None and i == 0 and not word.startswith("#"):
            lang = word.lstrip(".")  # `.python`, pandoc's `{.python}`, R Markdown's `{r}`
        elif value is None and word.startswith(".") and not lang:
            lang = word[1:]  # pandoc: the first class is the language
        elif value is None and word[0] in "#.":
            marks.append(word)
        else:
            _option(word, _unquoted(value or ""), options)
    language = LANGUAGE.match(lang)
    head = language.group() if language else ""
    if "linenos" in options:  # Hugo's: pymdownx's own `linenums="5"` says where they start
        options.setdefault("linenums", options.get("linenostart", "1"))
    words = [f'{k}="{options[k]}"' for k in ("title", "linenums", "hl_lines") if k in options]
    if marks:
        return f"{head} {{{' '.join(marks + words)}}}".lstrip()
    return " ".join([head, *words]).rstrip()


def _unquoted(value: str) -> str:
    if len(value) > 1 and value[0] + value[-1] in ('""', "''", "[]"):
        return value[1:-1]
    return value


def _option(key: str, value: str, options: dict[str, str]) -> None:
    """What the book can show of one `key=value`: a title, line numbers, marked lines."""
    if key == "title" and '"' not in value:
        options["title"] = value
    elif key == "linenos" and value.lower() not in ("false", "0", "none"):
        options["linenos"] = "1"  # Hugo's `table` or `inline`, mdBook's bare `linenos`
    elif key in ("linenums", "linenostart") and value.isdigit():
        options[key] = value
    elif key == "hl_lines" and LINE_RANGE.search(value):
        options["hl_lines"] = " ".join(LINE_RANGE.findall(value))


def _inline(block: Segment) -> list[Segment]:
    out: list[Segment] = []
    base = block.offset
    # Inline code never spans a blank line, so search each paragraph on its own.
    for part in PARAGRAPH_BREAK.split(block.text):
        pos = 0
        for m in INLINE_CODE.finditer(part):
            out.append(Segment(False, part[pos : m.start()], base + pos))
            out.append(Segment(True, m.group(0), base + m.start()))
            pos = m.end()
        out.append(Segment(False, part[pos:], base + pos))
        base += len(part)
    return out


def _merge(parts: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for code, group in itertools.groupby((p for p in parts if p.text), key=lambda p: p.code):
        run = list(group)
        out.append(Segment(code, "".join(p.text for p in run), run[0].offset))
    return out
