"""Site -> the Python-Markdown extensions that read its Markdown as its own renderer does.

Python-Markdown takes `#tag` for a heading and prints the `\\` of a `\\`-newline line
break, as kramdown (Jekyll) does; CommonMark renderers (Hugo's Goldmark, Hexo's marked,
Obsidian, Typora) want a space after the `#` and break the line. Notes (plain folders,
vaults) also highlight `==text==`; an Obsidian vault breaks a line at every newline
unless its "strict line breaks" setting is on, and so does a Hexo blog unless its
renderer's `breaks` is off.
"""

from __future__ import annotations

import re

from markdown.blockprocessors import HashHeaderProcessor
from markdown.extensions import Extension
from markdown.extensions.nl2br import Nl2BrExtension
from markdown.inlinepatterns import SimpleTagInlineProcessor, SubstituteTagInlineProcessor

from .model import Site

# Python-Markdown's own heading pattern, with CommonMark's space (or end) after the `#`s.
SPACED_HEADING = re.compile(
    r"(?:^|\n)(?P<level>#{1,6})(?=[ \t\n]|$)(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)"
)
BACKSLASH_BREAK = r"\\\n"  # an escaped backslash (`\\`) is taken by the escape pattern first
# `==text==` opening after anything but a Latin letter or digit and closing before one, so
# `a==b and c==d` stays as typed while `文字==重点==文字` (no spaces in Chinese) is marked.
# (pymdownx.mark's smart mode wants spaces around it: it leaves the Chinese one alone.)
HIGHLIGHT = r"(?<![A-Za-z0-9=])(==)(?![\s=])(.+?)(?<![\s=])==(?![A-Za-z0-9=])"


def of(site: Site) -> tuple[str, ...]:
    """The names of the extensions `site` needs (a key for a Markdown instance)."""
    if site.kind == "jekyll":
        return ()
    notes = ("highlight",) if site.kind == "plain" else ()
    return ("commonmark", *notes) + (("breaks",) if site.breaks else ())


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


EXTENSIONS = {"commonmark": CommonMark, "highlight": Highlight, "breaks": Nl2BrExtension}
