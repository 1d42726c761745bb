"""Hyphenation points for Latin words in the PDF: dictionary words and the names in code.

WeasyPrint 70 hyphenates `hyphens: auto` text through pyphen's dictionaries, which know
English words but split a program's names badly (`WeasyP-rint`, `Mod-u-leNot-FoundEr-ror`)
or, where the first piece is too long, not usefully at all. In a Chinese line a Latin word
that cannot break is pushed whole to the next line and leaves a loose line behind, so a
name written in camel case breaks where its parts meet (`Weasy-Print`, `ModuleNot-Found`),
and a word without capitals inside keeps the dictionary's points. PDF only: the EPUB's
readers hyphenate by themselves.
"""

from __future__ import annotations

import re

import pyphen

# A lower-case letter followed by a capital, or a run of capitals before a capitalised
# word (`HTMLParser` → HTML|Parser): where the parts of a camel-case name meet.
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


class CodeAwarePyphen(pyphen.Pyphen):
    """pyphen.Pyphen whose points in a camel-case word are only where its parts meet."""

    def positions(self, word: str) -> list:
        if word.isupper():
            return []  # HTTPS, NASA: never split
        if word[1:] != word[1:].lower():
            right = len(word) - self.right
            return [
                pyphen.DataInt(m.start())
                for m in _CAMEL.finditer(word)
                if self.left <= m.start() <= right
            ]
        return super().positions(word)


def camel_points(word: str, left: int = 2, right: int = 2) -> list[int]:
    """Where `word` may break with a hyphen (for tests and a look from the command line)."""
    return [int(i) for i in CodeAwarePyphen(lang="en", left=left, right=right).positions(word)]


def install(line_break) -> None:
    """Make WeasyPrint's line breaker (`weasyprint.text.line_break`) use our points."""

    class _Pyphen:  # the two names line_break uses from the pyphen module
        Pyphen = CodeAwarePyphen
        language_fallback = staticmethod(pyphen.language_fallback)

    line_break.pyphen = _Pyphen
