"""TeX math in Markdown -> MathML (for EPUB) with an SVG rendering (for the PDF).

`protect` runs before Markdown so `_`, `*` and a line of `===` inside math stay TeX;
`render` turns one formula into a `<math>` element whose `altimg` names its SVG.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass

from lxml import etree

from . import mdsource

log = logging.getLogger(__name__)

PLACEHOLDER = re.compile("\ue000M(\\d+)\ue001")
MATH = re.compile(
    r"(?<!\\)\$\$(?P<dd>.+?)(?<!\\)\$\$"
    r"|(?<!\\)\\\[(?P<bd>.+?)(?<!\\)\\\]"
    r"|(?<!\\)\\\((?P<bi>.+?)(?<!\\)\\\)"
    # `$x$`: no space inside either `$`, and no digit after the closing one (`$5 and $6`).
    r"|(?<![\\$])\$(?![\s$])(?P<di>(?:\\.|[^$\\])+?)(?<![\s\\])\$(?![\d$])",
    re.S,
)
BLANK_LINE = re.compile(r"\n[ \t]*\n")
# Han or full-width punctuation outside `\text{}` in `$…$`: prose between two dollar signs.
CJK_OUTSIDE_TEXT = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
TEXT_COMMAND = re.compile(r"\\(?:text\w*|mbox|mathrm)\{[^{}]*\}")
SVG_SIZE = 16  # px per em: the SVG's 1 em is CSS's default 16 px, so `img` sizes match text


@dataclass(frozen=True)
class Formula:
    tex: str
    display: bool


@dataclass(frozen=True)
class Rendering:
    mathml: str | None  # `<math …>` with the MathML namespace, or None on a TeX error
    svg: bytes | None
    error: str = ""


def protect(source: str, kramdown: bool = False) -> tuple[str, list[Formula]]:
    """`source` with every formula in prose replaced by a placeholder Markdown leaves alone.

    `kramdown` (Jekyll's Markdown): `$$…$$` in a line of text is inline math, as the blog
    shows it; MathJax and KaTeX on other sites set every `$$…$$` apart."""
    found: list[Formula] = []

    def replace(m: re.Match) -> str:
        double = m.group("dd") is not None
        display = m.group("bd") is not None or (double and (not kramdown or _alone(m)))
        tex = next(g for g in m.group("dd", "bd", "bi", "di") if g is not None)
        if BLANK_LINE.search(tex) or not tex.strip() or _prose_dollars(m, tex):
            return m.group(0)  # a formula never spans paragraphs: these are two dollar signs
        found.append(Formula(tex.strip(), display))
        return f"\ue000M{len(found) - 1}\ue001"

    def prose(text: str, offset: int) -> str:
        return MATH.sub(replace, text).replace("\\$", "$")

    return mdsource.map_prose(source, prose), found


def _alone(m: re.Match) -> bool:
    """Nothing but spaces (and a quote's `>`) beside the formula on its first and last line."""
    s = m.string
    start = s.rfind("\n", 0, m.start()) + 1
    end = s.find("\n", m.end())
    return (
        not s[start : m.start()].strip(" \t>")
        and not s[m.end() : len(s) if end < 0 else end].strip()
    )


def _prose_dollars(m: re.Match, tex: str) -> bool:
    """`US$5`, `$11。US$`: single dollars around prose, not a formula."""
    if m.group("di") is None:
        return False
    before = m.string[m.start() - 1 : m.start()]
    return before.isalnum() or CJK_OUTSIDE_TEXT.search(TEXT_COMMAND.sub("", tex)) is not None


@functools.lru_cache(maxsize=4096)
def render(formula: Formula) -> Rendering:
    """MathML and SVG for one formula; a TeX error gives neither, and says why."""
    try:
        _balanced(formula.tex)
        mathml = _mathml(formula)
        _known_commands(mathml)
        svg = _svg(formula)
    except TexError as exc:
        return Rendering(None, None, str(exc))
    except Exception as exc:  # both converters raise many kinds on bad TeX
        log.debug("math failed: %r: %s", formula.tex, exc)
        return Rendering(None, None, f"{type(exc).__name__} {exc}".strip())
    return Rendering(mathml, svg)


def element(rendering: Rendering, formula: Formula, altimg: str) -> etree._Element:
    """The `<math>` element for a rendered formula, pointing at its SVG."""
    math = etree.fromstring(rendering.mathml)
    math.set("alttext", formula.tex)
    math.set("altimg", altimg)
    if formula.display:
        math.set("display", "block")
    return math


class TexError(ValueError):
    """TeX the converters would render silently, and wrongly."""


def _balanced(tex: str) -> None:
    """latex2mathml closes what is left open: `\\frac{1}{0` would print as 1/0, quietly."""
    depth = 0
    for m in _BRACES.finditer(tex):
        depth += {"{": 1, "}": -1}.get(m.group(), 0)
        if depth < 0:
            raise TexError("a } without its {")
    if depth:
        raise TexError("a { without its }")


def _known_commands(mathml: str) -> None:
    """An unknown command comes out as its own name in italics (`\\sqtr` for `\\sqrt`)."""
    unknown = _UNKNOWN.search(mathml)
    if unknown:
        raise TexError(f"unknown command {unknown.group(1)}")


_BRACES = re.compile(r"\\.|[{}]", re.DOTALL)  # an escaped character first: \{ is not a brace
_UNKNOWN = re.compile(r"<mi>(\\[A-Za-z]+)</mi>")


def _mathml(formula: Formula) -> str:
    from latex2mathml.converter import convert

    return convert(formula.tex, display="block" if formula.display else "inline")


def _svg(formula: Formula) -> bytes:
    import ziamath

    math = ziamath.Math.fromlatex(formula.tex, size=SVG_SIZE, inline=not formula.display)
    return math.svg().encode("utf-8")
