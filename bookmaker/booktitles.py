"""Article (Markdown body) -> warnings about how it marks book titles (CJK behaviour 23).

Chinese marks a title with 《》 and a title inside a title with 〈〉 (GB/T 15834-2011
§4.15), never with italics: Han are never slanted, and the PDF draws an unstyled `<em>`
as emphasis dots. We only warn, naming the line: the author decides.
"""

from __future__ import annotations

import re

from .cjk import profile_for
from .model import Article, Problem

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_CODE = re.compile(r"(`+).+?\1")
# 《…》 wrapped in Markdown or HTML emphasis: *《书》*, _《书》_, <i>《书》</i>, <em>…</em>;
# right after a Han too (读完了*《书》*): Python-Markdown makes that emphasis.
_ITALIC = re.compile(r"(?<![*_])([*_])《[^》\n]*》\1(?![*_])|<(i|em|cite)>\s*《[^》\n]*》\s*</\2>")
_NESTED = re.compile(r"《[^》\n]*《")


def check(article: Article, lang: str) -> tuple[Problem, ...]:
    """Warnings for the article's book titles; none for a non-Chinese article."""
    profile = profile_for(lang)
    if not profile.name.startswith("zh"):
        return ()
    out = []
    fenced = False
    for k, line in enumerate(article.body.splitlines()):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or line.startswith(("    ", "\t")):
            continue
        text = _CODE.sub("", line)
        where = article.body_line + k
        if m := _ITALIC.search(text):
            out.append(
                _warn(article, where, f"book title in italics ({m.group(0)}): 《》 alone marks it")
            )
        if m := _NESTED.search(text):
            out.append(
                _warn(article, where, f"title inside a title ({m.group(0)}…): use 〈〉 inside 《》")
            )
    return tuple(out)


def _warn(article: Article, line: int, message: str) -> Problem:
    return Problem(article.rel, message, "warning", line)
