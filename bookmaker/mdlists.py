"""Markdown source -> the same source with its lists laid out the way Python-Markdown reads them.

Blogs were written for kramdown or goldmark, which follow CommonMark: a nested item stands
at its parent's content column (2 spaces under `- `, 3 under `1. `), `1)` is an ordered
marker, and a change of marker (`-` to `*`, bullet to number) starts a new list.
Python-Markdown wants 4 spaces a level and runs neighbouring lists together. This pass
reads the block structure CommonMark's way (quotes, list items, fences, indented code,
HTML blocks, paragraphs) and writes every line inside a list back at 4 spaces a level,
with a separator paragraph (removed from the tree by `drop_separators`) between lists
CommonMark keeps apart, and between two quotes a blank line parts (kramdown parts them
too; Python-Markdown would make them one). Lines outside lists are left as they are; code
moves with its item, its text unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .mdlimits import MAX_DEPTH
from .mdsource import LIST_MARKER

SEPARATOR = "\ue000L\ue001"  # markdown.py strips U+E000-E002 from input: never the author's
LIST_HINT = re.compile(rf"^[ \t>]*{LIST_MARKER}(?:[ \t]|$)", re.M)
QUOTE_HINT = re.compile(r"^[ \t]*>", re.M)
# A blank line (maybe inside outer quotes), then a quote: after a quote, a new one.
QUOTE_AGAIN = re.compile(r"\n[ \t>]*\n[ \t>]*>")
STRUCTURE = re.compile(rf"^(?:[ \t>]|{LIST_MARKER}(?=[ \t]))*")
ITEM = re.compile(r"^( {0,3})([-*+]|(\d{1,9})([.)]))( {1,4}(?! )|[ ]*$| {5,})")
QUOTE = re.compile(r"^ {0,3}> ?")
HR = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
HTML_RAW = re.compile(r"^ {0,3}<(?:script|pre|style|textarea)(?:[\s>]|$)", re.I)
HTML_RAW_END = re.compile(r"</(?:script|pre|style|textarea)>", re.I)
HTML_BLOCK = re.compile(
    r"^ {0,3}</?(?:address|article|aside|blockquote|body|caption|center|col|colgroup|dd"
    r"|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|h[1-6]|head"
    r"|header|hr|html|iframe|legend|li|link|main|menu|nav|ol|optgroup|option|p|section"
    r"|summary|table|tbody|td|tfoot|th|thead|title|tr|ul)(?:[\s/>]|$)",
    re.I,
)
# Text that Python-Markdown would take for the start of a block inside a list's lines,
# where CommonMark sees paragraph text: its first mark gets a backslash.
LOOKS_LIKE_BLOCK = re.compile(
    r"^(?:\d{1,9}(?=\.(?:[ \t]|$))|(?=[-*+](?:[ \t]|$)|[#>])|`{3,}|~{3,})"
)
EMPTY_ITEM = "<!-- -->"  # `- ` alone is a setext underline to Python-Markdown; sanitize drops it


@dataclass
class _Box:
    """An open container: the document, a block quote or a list item."""

    kind: str  # "doc" | "quote" | "item"
    col: int = 0  # item: content column, counted in the text its parent leaves
    key: tuple = ()  # item: marker character and kind; a new key starts a new list
    slack: int = 0  # item: columns Python-Markdown counts beyond `col` (4 a level)
    marker: str = ""  # item: the marker as Python-Markdown reads it
    fresh: bool = False  # item: its marker is on the line being written
    block: int = -1  # item: the Python-Markdown block (run of non-blank lines) it opened in
    list_key: tuple | None = None  # the list this container holds last, while still open
    after_quote: bool = False  # the last thing this container holds is a closed quote


@dataclass
class _Leaf:
    kind: str  # "para" | "fence" | "code" | "html" | "other"
    fence: str = ""
    indent: int = 0  # fence: its indent; code: columns taken off each line
    raw: bool = False  # html: ends at a closing tag, not at a blank line


@dataclass
class _State:
    stack: list[_Box] = field(default_factory=lambda: [_Box("doc")])
    leaf: _Leaf | None = None
    out: list[str] = field(default_factory=list)
    last_blank: bool = True
    block_depth: int = 0  # 4-space level of the first line of Python-Markdown's block
    block: int = 0  # counts Python-Markdown's blocks


def normalise(source: str) -> str:
    """`source` with list items and their content at 4 spaces a nesting level, and quotes
    apart where CommonMark parts them."""
    if not LIST_HINT.search(source) and not _quotes_again(source):
        return source
    state = _State()
    for line in source.split("\n"):
        _line(state, line)
    return "\n".join(state.out)


def _quotes_again(source: str) -> bool:
    first = QUOTE_HINT.search(source)
    return first is not None and QUOTE_AGAIN.search(source, first.end()) is not None


def drop_separators(root: etree._Element) -> None:
    """Remove the separator paragraphs `normalise` put between lists."""
    for p in list(root.iter("p", "{http://www.w3.org/1999/xhtml}p")):
        if len(p) == 0 and (p.text or "").strip() == SEPARATOR:
            parent = p.getparent()
            if parent is not None:
                _keep_tail(p)
                parent.remove(p)


def _escape(m: re.Match) -> str:
    mark = m.group(0)
    if mark[:1] in "`~":
        return "\\" + "\\".join(mark)  # each one, or the rest would open a code span
    return mark + "\\"


def _keep_tail(el: etree._Element) -> None:
    if not el.tail:
        return
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + el.tail
    else:
        parent = el.getparent()
        parent.text = (parent.text or "") + el.tail


# --- reading one line ---------------------------------------------------------------------


def _line(state: _State, original: str) -> None:
    text = _expand_structure(original)
    matched, rest = _match(state.stack, text)
    complete = matched == len(state.stack)
    leaf = state.leaf
    open_code = complete and leaf is not None and leaf.kind in ("fence", "code", "html")
    if open_code and _continue_leaf(state, leaf, rest, original):
        return
    in_para = leaf is not None and leaf.kind == "para"
    # CommonMark's paragraph-interruption rules hold only when the paragraph itself goes on
    opens, kind, body = _starts(rest, in_para and complete)
    if in_para and not complete and not opens and kind in ("para", "code"):
        kind = "para"  # a lazy continuation line
    if in_para and not opens and kind == "para":
        _write(state, original, rest.lstrip(" "), "para", len(state.stack))  # continuation
        return
    closed = len(state.stack) - matched
    _close(state, matched)
    for box in opens:
        _open(state, box)
    _leaf(state, kind, body, original, closed)


def _expand_structure(line: str) -> str:
    """Tabs in the quote and marker prefix as spaces (4-column stops), the rest unchanged."""
    m = STRUCTURE.match(line)
    if "\t" not in m.group(0):
        return line
    return m.group(0).expandtabs(4) + line[m.end() :]


def _code(original: str, rest: str) -> str:
    """`rest` (a code line after its containers) with the author's tabs kept, so they
    expand from the code's own left edge as everywhere else in the book."""
    consumed = len(_expand_structure(original)) - len(rest)
    col = 0
    for at, char in enumerate(original):
        if col >= consumed:
            return " " * (col - consumed) + original[at:]
        col = col + 4 - col % 4 if char == "\t" else col + 1
    return " " * max(0, col - consumed)


def _match(stack: list[_Box], text: str) -> tuple[int, str]:
    """How many open containers this line continues, and what it leaves after them."""
    rest, matched = text, 1
    for box in stack[1:]:
        if box.kind == "quote":
            m = QUOTE.match(rest)
            if m is None:
                break
            rest = rest[m.end() :]
        elif not rest.strip():
            rest = ""
        elif _indent(rest) >= box.col:
            rest = rest[box.col :]
        else:
            break
        matched += 1
    return matched, rest


def _starts(rest: str, in_para: bool) -> tuple[list[_Box], str, str]:
    """The containers this text opens, the kind of leaf it then holds, and that leaf's text."""
    opens: list[_Box] = []
    while True:
        m = QUOTE.match(rest)
        if m:
            opens.append(_Box("quote"))
            rest, in_para = rest[m.end() :], False
            continue
        item = _item(rest, in_para and not opens)
        if item is None:
            break
        box, rest = item
        opens.append(box)
        in_para = False
    return opens, _leaf_kind(rest, in_para and not opens), rest


def _item(rest: str, in_para: bool) -> tuple[_Box, str] | None:
    m = ITEM.match(rest)
    if m is None or HR.match(rest):
        return None
    pad, mark, number, delim, space = m.groups()
    empty = not rest[m.end() :].strip()
    if in_para and (empty or (number is not None and int(number) != 1)):
        return None  # CommonMark: such a line cannot interrupt a paragraph
    if empty or len(space) > 4:
        space = " "  # content starts right after the marker and one space
    col = len(pad) + len(mark) + len(space)
    width = len(mark) + len(space)
    if number is None:
        box = _Box("item", col, (mark, "ul"), max(0, 4 - width), mark)
    else:
        box = _Box("item", col, (delim, "ol"), max(0, 4 - width), number + ".")
    box.fresh = True
    return box, rest[col:] if len(rest) >= col else ""


def _leaf_kind(rest: str, in_para: bool) -> str:
    if not rest.strip():
        return "blank"
    if _indent(rest) >= 4:
        return "para" if in_para else "code"
    if FENCE.match(rest) and not _backtick_info(rest):
        return "fence"
    if HR.match(rest) or ATX.match(rest) or (in_para and SETEXT.match(rest)):
        return "other"
    if HTML_RAW.match(rest) or rest.lstrip().startswith("<!--") or HTML_BLOCK.match(rest):
        return "html"
    return "para"


def _backtick_info(rest: str) -> bool:
    m = FENCE.match(rest)
    return m.group(2)[0] == "`" and "`" in m.group(3)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


# --- containers ---------------------------------------------------------------------------


def _close(state: _State, keep: int) -> None:
    while len(state.stack) > keep:
        box = state.stack.pop()
        parent = state.stack[-1]
        parent.list_key = box.key if box.kind == "item" else None
        parent.after_quote = box.kind == "quote"
        state.leaf = None


def _open(state: _State, box: _Box) -> None:
    parent = state.stack[-1]
    state.leaf = None
    if box.kind == "item":
        depth = _depth(state.stack)
        if parent.list_key is not None and parent.list_key != box.key:
            _separate(state)  # CommonMark ends the list here; Python-Markdown would not
        elif parent.list_key is None and not state.last_blank and not _splits_items(state, parent):
            _blank(state)  # Python-Markdown lets no list interrupt a paragraph
        elif depth < state.block_depth and not state.last_blank:
            _blank(state)  # an indented block would swallow a shallower item
        parent.list_key = box.key
        box.block = state.block
    else:
        parent.list_key = None
        if parent.after_quote:
            _separate(state)  # a blank line ended the quote before; Python-Markdown joins them
            parent.after_quote = False
        elif _depth(state.stack) and not state.last_blank:
            _blank(state)  # in an item's lines Python-Markdown sees no quote start
    state.stack.append(box)


def _splits_items(state: _State, parent: _Box) -> bool:
    """Will Python-Markdown see the new item among the lines of the item holding it?"""
    return parent.kind == "item" and parent.block == state.block


def _separate(state: _State) -> None:
    prefix = _prefix(state.stack, len(state.stack))
    if not state.last_blank:
        _blank(state)
    state.out.append(prefix + SEPARATOR)
    state.last_blank = False
    _blank(state)


def _blank(state: _State) -> None:
    state.out.append(_prefix(state.stack, len(state.stack)).rstrip())
    state.last_blank = True
    state.block += 1


def _depth(stack: list[_Box]) -> int:
    return sum(1 for box in stack if box.kind == "item")


def _prefix(stack: list[_Box], upto: int) -> str:
    """What Python-Markdown needs before a line inside the first `upto` containers."""
    parts = []
    boxes = stack[1:upto]
    for at, box in enumerate(boxes):
        if box.kind == "quote":
            parts.append("> ")
        elif MAX_DEPTH <= at < len(boxes) - 1:
            continue  # deeper than mdlimits lets a list go (it has warned): kept flat
        elif box.fresh:
            parts.append(box.marker + " ")
        else:
            parts.append("    ")
    return "".join(parts)


# --- leaves -------------------------------------------------------------------------------


def _leaf(state: _State, kind: str, body: str, original: str, closed: int) -> None:
    depth = len(state.stack)
    in_list = _depth(state.stack) > 0
    opened_item = any(box.fresh for box in state.stack)
    if kind != "blank":
        state.stack[-1].list_key = None  # a block between two lists ends the first
        state.stack[-1].after_quote = False
    if closed and kind != "blank" and not opened_item and not state.last_blank:
        _blank(state)  # a block after a list: Python-Markdown would take it in lazily
    if kind == "fence":
        m = FENCE.match(body)
        state.leaf = _Leaf("fence", m.group(2), len(m.group(1)))
        _write(state, original, body.lstrip(" "), kind, depth)
        return
    if kind == "code":
        box = state.stack[-1]
        strip = 4 + box.slack if _indent(body) >= 4 + box.slack else 4
        state.leaf = _Leaf("code", indent=strip if box.kind == "item" else 4)
        _write(state, original, "    " + _code(original, body)[state.leaf.indent :], kind, depth)
        return
    if kind == "html":
        raw = HTML_RAW.match(body) is not None or body.lstrip().startswith("<!--")
        state.leaf = _Leaf("html", raw=raw)
        if _html_ends(state.leaf, body):
            state.leaf = None
        _write(state, original, body, kind, depth)
        return
    state.leaf = _Leaf("para") if kind == "para" else None
    text = body if kind == "blank" or not in_list else body.lstrip(" ")
    if kind == "blank" and state.stack[-1].fresh:
        text, kind = EMPTY_ITEM, "para"
    _write(state, original, text, kind, depth)


def _continue_leaf(state: _State, leaf: _Leaf, rest: str, original: str) -> bool:
    """Write a line of an open fence, indented code or HTML block; False if it ends there."""
    depth = len(state.stack)
    if leaf.kind == "fence":
        stripped = rest.lstrip(" ")
        if (
            _indent(rest) < 4
            and stripped.startswith(leaf.fence)
            and not stripped.strip(leaf.fence[0] + " \t")
        ):
            state.leaf = None
            _write(state, original, stripped, "fence", depth)
        else:
            code = _code(original, rest)
            _write(state, original, code[min(leaf.indent, _indent(code)) :], "fence", depth)
        return True
    if leaf.kind == "code":
        if rest.strip() and _indent(rest) < 4:
            state.leaf = None
            return False
        code = _code(original, rest)
        text = "    " + code[min(leaf.indent, _indent(code)) :] if rest.strip() else ""
        _write(state, original, text, "code", depth)
        return True
    if not leaf.raw and not rest.strip():
        state.leaf = None
        return False
    if _html_ends(leaf, rest):
        state.leaf = None
    _write(state, original, rest, "html", depth)
    return True


def _html_ends(leaf: _Leaf, text: str) -> bool:
    if not leaf.raw:
        return False
    return "-->" in text or HTML_RAW_END.search(text) is not None


def _write(state: _State, original: str, text: str, kind: str, depth: int) -> None:
    """One line: as the author wrote it outside lists, else re-indented inside its items."""
    stack = state.stack[:depth]
    inside = any(box.kind == "item" for box in stack)
    if not inside:
        state.out.append(original)
    else:
        if kind == "para" and not any(box.fresh for box in stack):
            text = LOOKS_LIKE_BLOCK.sub(_escape, text, count=1)
        state.out.append((_prefix(stack, depth) + text) if text else _prefix(stack, depth).rstrip())
    blank = kind == "blank"
    if blank and not state.last_blank:
        state.block += 1
    if state.last_blank and not blank:
        # its indent in 4-space levels: items already open, not those it opens
        state.block_depth = sum(1 for box in stack if box.kind == "item" and not box.fresh)
    for box in stack:
        box.fresh = False
    state.last_blank = blank
