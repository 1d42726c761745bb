"""TeX math in Markdown -> MathML (for EPUB) with an SVG rendering (for the PDF).

`protect` runs before Markdown so `_`, `*` and a line of `===` inside math stay TeX;
`render` turns one formula into a `<math>` element whose `altimg` names its SVG.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass, field

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
# Hugo's Markdown (Goldmark) makes `\\(` the `\(` its theme's MathJax or KaTeX reads, and
# everything between them what a backslash escape makes it: `\\\\` a TeX line break.
GOLDMARK_MATH = re.compile(
    r"(?<!\\)\\\\\((?P<gi>.+?)\\\\\)|(?<!\\)\\\\\[(?P<gd>.+?)\\\\\]|" + MATH.pattern, re.S
)
MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: any ASCII punctuation
BLANK_LINE = re.compile(r"\n[ \t]*\n")
# Han, kana or full-width punctuation outside `\text{}` in `$…$`: prose between two dollar
# signs.
CJK_OUTSIDE_TEXT = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")
TEXT_COMMAND = re.compile(r"\\(?:text\w*|mbox|mathrm)\{[^{}]*\}")
SVG_SIZE = 16  # px per em: the SVG's 1 em is CSS's default 16 px, so `img` sizes match text
# TeX environments latex2mathml does not know, written as ones it does: unknown, it prints
# their `&` alignment points as characters (in ill-formed MathML) and drops their rows.
# name -> (opening, closing, arguments after the name to drop, each cell in display style)
_ALIGN = (r"\begin{align*}", r"\end{align*}", 0, False)
_ALIGNAT = (r"\begin{align*}", r"\end{align*}", 1, False)  # {n} columns: align* counts its own
_GATHER = (r"\begin{array}{c}", r"\end{array}", 0, True)  # centred lines
ENVIRONMENTS = {
    "aligned": _ALIGN,
    "flalign": _ALIGN,
    "flalign*": _ALIGN,
    "alignedat": _ALIGNAT,
    "alignat": _ALIGNAT,
    "alignat*": _ALIGNAT,
    "gathered": _GATHER,
    "gather": _GATHER,
    "gather*": _GATHER,
    "multline": _GATHER,
    "multline*": _GATHER,
    "eqnarray": (r"\begin{array}{rcl}", r"\end{array}", 0, True),
    "eqnarray*": (r"\begin{array}{rcl}", r"\end{array}", 0, True),
    "dcases": (r"\begin{cases}", r"\end{cases}", 0, True),
}
# Environments latex2mathml reads as plain groups, rightly: a formula on its own.
PLAIN_ENVIRONMENTS = frozenset({"equation", "equation*", "displaymath", "math"})
ENVIRONMENT = re.compile(r"\\(begin|end)[ \t]*\{([^{}]*)\}|\\\\|\\.|&", re.S)
# What MathJax and KaTeX show as nothing, and latex2mathml as text: a row's extra space
# (`\\[4pt]`) and a label.
INVISIBLE = re.compile(
    r"(?<=\\\\)\[\s*-?[\d.]+\s*(?:pt|em|ex|mm|cm|in|mu|px|bp|pc)\s*\]|\\label\s*\{[^{}]*\}"
)
NUMBERING = re.compile(r"\\(?:nonumber|notag)(?![A-Za-z])")  # in rows we never number
ENVIRONMENT_ARGUMENT = re.compile(r"\s*\{[^{}]*\}")
ENVIRONMENT_OPTION = re.compile(r"\s*\[[^\]]*\]")  # `aligned[t]`: where it sits, moot here
NEW_ENVIRONMENT = re.compile(r"\\(?:re)?newenvironment\s*\{([^{}]*)\}")
CHARACTER_REFERENCE = re.compile(r"&#x([0-9A-Fa-f]{1,6});")


@dataclass(frozen=True)
class Formula:
    tex: str
    display: bool
    written: str = field(default="", compare=False)  # as in the source, to find its line


@dataclass(frozen=True)
class Rendering:
    mathml: str | None  # `<math …>` with the MathML namespace, or None on a TeX error
    svg: bytes | None
    error: str = ""


def protect(
    source: str, kramdown: bool = False, goldmark: bool = False
) -> tuple[str, list[Formula]]:
    """`source` with every formula in prose replaced by a placeholder Markdown leaves alone.

    `kramdown` (Jekyll's Markdown): `$$…$$` in a line of text is inline math, as the blog
    shows it; MathJax and KaTeX on other sites set every `$$…$$` apart. `goldmark` (Hugo's):
    `\\\\(…\\\\)` and `\\\\[…\\\\]` are math too; elsewhere they are a backslash and a bracket."""
    found: list[Formula] = []
    pattern = GOLDMARK_MATH if goldmark else MATH

    def replace(m: re.Match) -> str:
        double = m.group("dd") is not None
        display = m.group("bd") is not None or (double and (not kramdown or _alone(m)))
        tex = next(g for g in m.groupdict().values() if g is not None)
        if BLANK_LINE.search(tex) or not tex.strip() or _prose_dollars(m, tex):
            return m.group(0)  # a formula never spans paragraphs: these are two dollar signs
        if goldmark and m.group("gi", "gd") != (None, None):
            display = m.group("gd") is not None
            tex = MARKDOWN_ESCAPE.sub(r"\1", tex)
        found.append(Formula(tex.strip(), display, m.group(0)))
        return f"\ue000M{len(found) - 1}\ue001"

    def prose(text: str, offset: int) -> str:
        return pattern.sub(replace, text).replace("\\$", "$")

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
    """`US$5`, `$11。US$`: single dollars around prose, not a formula. (Han or kana before
    the dollar is no currency: `数式$x$です`, `设$x$为`, as KaTeX and MathJax read them.)"""
    if m.group("di") is None:
        return False
    before = m.string[m.start() - 1 : m.start()]
    currency = before.isalnum() and not CJK_OUTSIDE_TEXT.match(before)
    return currency or CJK_OUTSIDE_TEXT.search(TEXT_COMMAND.sub("", tex)) is not None


@functools.lru_cache(maxsize=4096)
def render(formula: Formula) -> Rendering:
    """MathML and SVG for one formula; TeX they cannot do gives neither, and says why."""
    try:
        _balanced(formula.tex)
        tex = _known_environments(INVISIBLE.sub("", formula.tex))
        mathml = _mathml(tex, formula.display)
        _known_commands(mathml)
        etree.fromstring(mathml)  # whatever the converter wrote, the book gets well-formed XML
        svg = _svg(tex, mathml, formula.display)
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


def _mathml(tex: str, display: bool) -> str:
    """latex2mathml's MathML, written out by ElementTree: its own writer unescapes every
    text after escaping it, so `\\text{a<b}` came out as ill-formed XML."""
    from xml.etree import ElementTree

    from latex2mathml.converter import convert_to_element

    math = convert_to_element(tex, display="block" if display else "inline")
    for el in math.iter():
        if el.tag in ("mi", "mo") and el.text == "&":
            raise TexError("an `&` outside an environment that aligns")
        if el.text:  # symbols come as references in the text: `&#x0003D;` for `=`
            el.text = CHARACTER_REFERENCE.sub(lambda m: chr(int(m.group(1), 16)), el.text)
    return ElementTree.tostring(math, encoding="unicode")


def _svg(tex: str, mathml: str, display: bool) -> bytes:
    from xml.etree import ElementTree

    import ziamath

    try:
        math = ziamath.Math.fromlatex(tex, size=SVG_SIZE, inline=not display)
    except ElementTree.ParseError:  # ziamath reads latex2mathml's unescaped text too
        math = ziamath.Math(mathml, size=SVG_SIZE)
    return math.svg().encode("utf-8")


# --- environments -------------------------------------------------------------------------


@dataclass
class _Environment:
    """An environment being read: its cells so far and the one being read."""

    name: str
    written: str  # `\\begin{…}` and its arguments, as the author wrote them
    done: list[str]
    cell: list[str]

    def next_cell(self, separator: str) -> None:
        self.done += [_display_cell(self), separator]
        self.cell = []

    def close(self, end: str) -> str:
        spec = ENVIRONMENTS.get(self.name)
        if spec is None:
            return self.written + "".join(self.done) + "".join(self.cell) + end
        return spec[0] + "".join(self.done) + _display_cell(self) + spec[1]


def _known_environments(tex: str) -> str:
    """`tex` with the environments of ENVIRONMENTS as latex2mathml's own; an environment
    it does not know at all is an error (it would print its contents run together)."""
    _no_unknown_environments(tex)
    out: list[str] = []
    stack: list[_Environment] = []
    pos = 0
    while m := ENVIRONMENT.search(tex, pos):
        (stack[-1].cell if stack else out).append(tex[pos : m.start()])
        pos = m.end()
        kind, name, token = m.group(1), m.group(2), m.group(0)
        if kind == "begin":
            pos = _skip_arguments(tex, pos, name)
            stack.append(_Environment(name, tex[m.start() : pos], [], []))
        elif kind == "end" and stack and stack[-1].name == name:
            closed = stack.pop().close(token)
            (stack[-1].cell if stack else out).append(closed)
        elif token in ("&", "\\\\") and stack and name is None:
            stack[-1].next_cell(token)
        else:
            (stack[-1].cell if stack else out).append(token)
    (stack[-1].cell if stack else out).append(tex[pos:])
    while stack:  # never closed: latex2mathml says so
        left = stack.pop()
        text = left.written + "".join(left.done) + "".join(left.cell)
        (stack[-1].cell if stack else out).append(text)
    return "".join(out)


def _skip_arguments(tex: str, pos: int, name: str) -> int:
    """Where `\\begin{name}`'s arguments end, for an environment written as another."""
    spec = ENVIRONMENTS.get(name)
    if spec is None:
        return pos
    if m := ENVIRONMENT_OPTION.match(tex, pos):
        pos = m.end()
    for _ in range(spec[2]):
        if m := ENVIRONMENT_ARGUMENT.match(tex, pos):
            pos = m.end()
    return pos


def _display_cell(env: _Environment) -> str:
    """The cell being read, in display style where its environment sets it so.

    latex2mathml's `array` sets its cells in text style; `\\displaystyle` must open a group
    to reach past its first token."""
    cell = "".join(env.cell)
    spec = ENVIRONMENTS.get(env.name)
    if spec is None or not spec[3]:
        return cell
    cell = NUMBERING.sub("", cell)
    return f"{{\\displaystyle {cell}}}" if cell.strip() else cell


def _no_unknown_environments(tex: str) -> None:
    from latex2mathml.commands import MATRICES

    own = {name.lstrip("\\") for name in MATRICES} | set(NEW_ENVIRONMENT.findall(tex))
    for m in ENVIRONMENT.finditer(tex):
        name = m.group(2)
        if m.group(1) == "begin" and name not in own | ENVIRONMENTS.keys() | PLAIN_ENVIRONMENTS:
            raise TexError(f"unknown environment {name}")
