"""Site -> the Python-Markdown extensions that read its Markdown as its own renderer does.

Python-Markdown takes `#tag` for a heading and prints the `\\` of a `\\`-newline line
break, as kramdown (Jekyll) does; CommonMark renderers (Hugo's Goldmark, Hexo's marked,
Obsidian, Typora) want a space after the `#` and break the line. Notes (plain folders,
vaults) also highlight `==text==`; an Obsidian vault breaks a line at every newline
unless its "strict line breaks" setting is on, and so does a Hexo blog unless its
renderer's `breaks` is off. A Hexo blog rendered by hexo-renderer-markdown-it reads the
syntax of the markdown-it plugins it names: `==mark==`, `++ins++`, `19^th^`, `H~2~O`,
`::: tip` boxes and `[[toc]]`.
"""

from __future__ import annotations

import re

from markdown.blockprocessors import HashHeaderProcessor
from markdown.extensions import Extension
from markdown.extensions.nl2br import Nl2BrExtension
from markdown.inlinepatterns import SimpleTagInlineProcessor, SubstituteTagInlineProcessor
from markdown.preprocessors import Preprocessor

from . import callouts
from .model import Site
from .zenn import KINDS as ZENN_KINDS

# Python-Markdown's own heading pattern, with CommonMark's space (or end) after the `#`s.
SPACED_HEADING = re.compile(
    r"(?:^|\n)(?P<level>#{1,6})(?=[ \t\n]|$)(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)"
)
BACKSLASH_BREAK = r"\\\n"  # an escaped backslash (`\\`) is taken by the escape pattern first
# `==text==` opening after anything but a Latin letter or digit and closing before one, so
# `a==b and c==d` stays as typed while `文字==重点==文字` (no spaces in Chinese) is marked.
# (pymdownx.mark's smart mode wants spaces around it: it leaves the Chinese one alone.)
HIGHLIGHT = r"(?<![A-Za-z0-9=])(==)(?![\s=])(.+?)(?<![\s=])==(?![A-Za-z0-9=])"
# markdown-it-ins `++text++`, read like the highlight (`C++/C++` stays as typed);
# markdown-it-sup `19^th^` and -sub `H~2~O`: no space inside, as those plugins want.
INSERTED = r"(?<![A-Za-z0-9+])(\+\+)(?![\s+])(.+?)(?<![\s+])\+\+(?![A-Za-z0-9+])"
SUPERSCRIPT = r"(\^)([^\s^\[\]]+)\^"
SUBSCRIPT = r"(?<!~)(~)([^\s~]+)~(?!~)"
# markdown-it-container: `::: tip 标题` … `:::`, one box per pair; markdown-it-toc's `[[toc]]`
CONTAINER_OPEN = re.compile(r"^[ \t]*:{3,}[ \t]*([A-Za-z][\w-]*)[ \t]*(.*?)[ \t]*$")
CONTAINER_CLOSE = re.compile(r"^[ \t]*:{3,}[ \t]*$")
# Containers that only group or align what they hold (VitePress' code group,
# vuepress-theme-hope's tabs: each tab's label is set by docmarkup.py; VuePress' `::: right`
# under a quotation; VitePress' `::: v-pre` and `::: raw`), and Docusaurus' `:::tip[标题]`.
GROUPS = ("code-group", "tabs", "code-tabs", "left", "center", "right", "v-pre", "raw")
BRACKETED = re.compile(r"^\[(.*)\]$")
ATTRIBUTES = re.compile(r"[ \t]*\{[^{}]*\}$")  # VitePress' `::: details 标题 {open}`
WIKI_TOC = re.compile(r"^[ \t]*\[\[toc\]\][ \t]*$", re.I)
# A markdown-it plugin's package -> the extension that reads its syntax (a `toc` one: `[[toc]]`)
MARKDOWN_IT = {
    "mark": "highlight",
    "ins": "inserted",
    "sup": "superscript",
    "sub": "subscript",
    "container": "containers",
    "toc": "wikitoc",
}


def of(site: Site) -> tuple[str, ...]:
    """The names of the extensions `site` needs (a key for a Markdown instance)."""
    if site.kind == "jekyll":
        return ()
    notes = ("highlight",) if site.kind == "plain" else ()
    markdown_it = site.markdown_it + (("container",) if site.kind in ZENN_KINDS else ())
    plugins = tuple(dict.fromkeys(MARKDOWN_IT[p] for p in markdown_it if p in MARKDOWN_IT))
    return ("commonmark", *notes, *plugins) + (("breaks",) if site.breaks else ())


def extensions(dialect: tuple[str, ...]) -> list[Extension]:
    return [EXTENSIONS[name]() for name in dialect]


class _SpacedHeadings(HashHeaderProcessor):
    RE = SPACED_HEADING


class CommonMark(Extension):
    """`#tag` is text, `foo\\` + newline a line break."""

    def extendMarkdown(self, md) -> None:
        md.parser.blockprocessors.register(_SpacedHeadings(md.parser), "hashheader", 70)
        breaks = SubstituteTagInlineProcessor(BACKSLASH_BREAK, "br")
        md.inlinePatterns.register(breaks, "backslashbreak", 99)  # after `escape`, at 180


class Highlight(Extension):
    """`==text==` -> `<mark>`, as Obsidian and Typora show it."""

    def extendMarkdown(self, md) -> None:
        # Before emphasis (60), so `**==重点==**` is both; code (190) is already set aside.
        md.inlinePatterns.register(SimpleTagInlineProcessor(HIGHLIGHT, "mark"), "highlight", 65)


class _Tag(Extension):
    """One markdown-it plugin's inline syntax -> its element (the pattern's second group)."""

    pattern, tag = "", ""

    def extendMarkdown(self, md) -> None:
        processor = SimpleTagInlineProcessor(self.pattern, self.tag)
        md.inlinePatterns.register(processor, self.tag, 64)  # (as Highlight, before emphasis)


class Inserted(_Tag):
    pattern, tag = INSERTED, "ins"


class Superscript(_Tag):
    pattern, tag = SUPERSCRIPT, "sup"


class Subscript(_Tag):
    pattern, tag = SUBSCRIPT, "sub"


class _Containers(Preprocessor):
    """`::: kind title` … `:::` -> the Obsidian form of a box (`> [!kind] title`), which
    callouts.py makes a box of that kind; nested ones nest. Fenced code is already set
    aside (superfences' preprocessor runs first), so a sample of the syntax stays code;
    raw HTML is not yet, so the comment that ends a box is taken for HTML, not text."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        depth = 0
        groups: list[int] = []  # the depths at which a group (no box) is open
        indent = ""  # the outermost box's: in a list item, it stays in the item
        for line in lines:
            opened = CONTAINER_OPEN.match(line)
            if opened and not depth and not groups:
                indent = line[: len(line) - len(line.lstrip())]
            quote = indent + "> " * depth
            if opened and opened.group(1).split("#")[0].lower() in GROUPS:
                groups.append(depth)
                out.append(quote.rstrip())
            elif opened:
                if out and out[-1].strip().strip(">").strip():
                    out.append(quote.rstrip())  # (a box starts a block of its own)
                kind, title = opened.groups()
                kind = callouts.DETAILS if kind.lower() == "details" else kind
                title = BRACKETED.sub(r"\1", ATTRIBUTES.sub("", title))
                out.append(f"{quote}> [!{kind}] {title}".rstrip())
                depth += 1
            elif groups and groups[-1] == depth and CONTAINER_CLOSE.match(line):
                groups.pop()
                out.append(quote.rstrip())
            elif depth and CONTAINER_CLOSE.match(line):
                depth -= 1
                # The comment ends the quote: Markdown would run two boxes in a row into one
                # (in a list item, a blank line: a comment there would end the list).
                ended = ["", "<!-- -->", ""] if not indent else [""]
                out += [(indent + "> " * depth).rstrip()] if depth else ended
            elif depth:
                inner = line[len(indent) :] if line.startswith(indent) else line.lstrip()
                out.append(f"{quote}{inner}".rstrip())
            else:
                out.append(line)
        return out


class Containers(Extension):
    def extendMarkdown(self, md) -> None:
        # after superfences' (25), before raw HTML is set aside (20)
        md.preprocessors.register(_Containers(md), "containers", 22)


class _WikiToc(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return ["[TOC]" if WIKI_TOC.match(line) else line for line in lines]


class WikiToc(Extension):
    """markdown-it-toc's `[[toc]]`: the article's contents, as `[TOC]` is."""

    def extendMarkdown(self, md) -> None:
        md.preprocessors.register(_WikiToc(md), "wikitoc", 14)


EXTENSIONS = {
    "commonmark": CommonMark,
    "highlight": Highlight,
    "breaks": Nl2BrExtension,
    "inserted": Inserted,
    "superscript": Superscript,
    "subscript": Subscript,
    "containers": Containers,
    "wikitoc": WikiToc,
}
