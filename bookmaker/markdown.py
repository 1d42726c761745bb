"""Article -> RenderedArticle: blog Markdown (Liquid, shortcodes, math, raw HTML) as clean XHTML.

Source passes, each leaving code alone: Liquid (Jekyll), shortcodes (Hugo), kramdown
leftovers, math protected, tag-like text escaped. Then Python-Markdown, the allowlist
sanitizer, and tree passes: math, images and figures, ids and links, headings.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown as pymarkdown
from lxml import etree

from . import (
    autolinks,
    callouts,
    cjk,
    docmarkup,
    docsites,
    emojicodes,
    hexotags,
    kramdownfences,
    links,
    liquid,
    mathrender,
    mddialect,
    mdlimits,
    mdlists,
    mdpictures,
    mdsource,
    notion,
    obsidian,
    rubynotation,
    sanitize,
    shortcodes,
    themeimages,
    wordpress,
    yuque,
    zenn,
    zennmarkdown,
    zolatags,
)
from .config import Config
from .model import Article, Collection, Heading, Image, Problem, RenderedArticle, Site
from .paths import Roots
from .xhtml import serialize_fragment, text_content, xml_safe

log = logging.getLogger(__name__)

PRIVATE_MARKS = re.compile("[\ue000-\ue002]")  # our own placeholders: never from input
# kramdown's table of contents: a one-item list (`* TOC` or `1. TOC`) marked `{:toc}`.
KRAMDOWN_TOC = re.compile(
    r"^[ \t]*(?:[*+-]|\d{1,9}[.)])[ \t]+[^\n]*\n[ \t]*\{:[ \t]*\.?toc[ \t]*\}[ \t]*$", re.M
)
# `## 标题` then `{: .no_toc}` on the next line: the attributes, as Python-Markdown reads them.
HEADING_IAL = re.compile(
    r"^(#{1,6}[ \t]+[^\n]*?)[ \t]*\n[ \t]*(\{:[ \t]*[#.][^}\n]*\})[ \t]*$", re.M
)
# `{::comment}…{:/comment}`, `{::nomarkdown}…{:/}`, `{::options … /}`
KRAMDOWN_EXTENSION = re.compile(r"\{::(comment|nomarkdown|options)(?:[ \t][^}]*?)?(/)?\}")
# Typora's `[toc]` (any case) and CSDN's `@[toc](目录)`: the marker Python-Markdown knows.
TOC_MARKER = re.compile(r"^([ \t]*)@?\[toc\](?:\([^)\n]*\))?[ \t]*$", re.I | re.M)
# a table's last row then kramdown's `{: .table-striped }` or Goldmark's `{.striped}`:
# Python-Markdown took the line for a row, and the book showed an empty one or the text
# (kramdown's table rows start with a pipe; so do nearly all Hugo posts')
TABLE_IAL = re.compile(
    r"^([ \t>]*\|[^\n]*)\n[ \t>]*\{[ \t]*(?:[:.#]|[\w-]+=)[^}\n]*\}[ \t]*$", re.M
)
KRAMDOWN_LINE = re.compile(r"^[ \t]*\{:(?:[ \t]*\.?toc|:[^}\n]*|[\w-]+:[^}\n]*)\}[ \t]*$", re.M)
IAL_TEXT = re.compile(r"[ \t]*\{:[^}\n]*\}[ \t]*")
BLOCK_TAGS = "details|div|section|aside|article|header|footer|figure|blockquote|center"
# An HTML block's opening tag alone on its line (its closing tag not on it), then a blank
# line: CommonMark ends the HTML block there and reads what follows as Markdown.
HTML_BLOCK_OPEN = rf"^([ \t]{{0,3}}<({BLOCK_TAGS})\b(?![^>\n]*\bmarkdown=)[^>\n]*?)(/?>)(.*)\n"
HTML_BLOCK_THEN_BLANK = re.compile(HTML_BLOCK_OPEN + r"(?=[ \t]*\n)", re.I | re.M)
HTML_BLOCK_ANY = re.compile(HTML_BLOCK_OPEN, re.I | re.M)
PARSE_BLOCK_HTML = re.compile(r"\{::options\b[^}\n]*\bparse_block_html=[\"']?true", re.I)
EXTENSIONS = [
    "tables",
    "footnotes",
    "attr_list",
    "def_list",
    "sane_lists",  # `3.` starts a list at 3, as on the blog; mdlists separates list types
    "abbr",
    "toc",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.tilde",
    "pymdownx.tasklist",
    "md_in_html",  # `<div markdown="1">`, and what _markdown_in_html marks
]
EXTENSION_CONFIGS = {
    "toc": {"slugify": links.heading_slug, "permalink": False},
    "footnotes": {"BACKLINK_TEXT": "\u21a9\ufe0e", "BACKLINK_TITLE": ""},  # numbered below
    "pymdownx.highlight": {
        "use_pygments": True,
        "guess_lang": False,
        "css_class": "highlight",
        # Pygments' own: the numbers are text. pymdownx-inline puts them in a data-
        # attribute for CSS to show, which neither the sanitizer nor e-readers keep.
        "linenums_style": "inline",
    },
    "pymdownx.tilde": {"subscript": False},
    "pymdownx.superfences": {
        "custom_fences": [{"name": "mermaid", "class": "mermaid", "format": callouts.diagram_fence}]
    },
}
_md: dict[tuple[str, ...], pymarkdown.Markdown] = {}  # by dialect (mddialect.of)


@dataclass(frozen=True)
class RenderContext:
    """Everything `render` needs that is the same for every article of one book."""

    config: Config
    site: Site
    links: links.LinkIndex
    images: Any  # images.ImageStore: resolve(ref, article, line), register_generated(...)
    language: str
    roots: Roots

    @classmethod
    def create(cls, config: Config, collection: Collection, store: Any = None) -> RenderContext:
        site = collection.site
        if store is None:
            from . import images

            store = images.warm(config, site, collection.articles())
        roots = Roots.of(*site.content_dirs, site.root, *site.static_dirs, site.includes_dir)
        index = links.LinkIndex.build(collection)
        return cls(config, site, index, store, config.book.language, roots)


@dataclass
class _Work:
    """What one article's rendering collects on the way."""

    article: Article
    context: RenderContext
    problems: list[Problem]
    images: list[Image]
    seen: dict[str, int] = field(default_factory=dict)  # reference -> where it was last found
    origins: list[tuple[str, str]] = field(default_factory=list)  # (include's text, its tag)
    unlabelled: list[tuple[str, str, int | None]] = field(default_factory=list)

    def warn(self, message: str, needle: str | None = None, level: str = "warning") -> None:
        line = self.line_of(needle) if needle else None
        self.problems.append(Problem(self.article.rel, message, level, line))

    def line_of(self, needle: str) -> int | None:
        at = self.article.body.find(needle)
        return None if at < 0 else self._line_at(at)

    def _line_at(self, at: int) -> int:
        return self.article.body_line + self.article.body.count("\n", 0, at)

    def reference(self, src: str) -> tuple[str, int | None]:
        """`src` as the author wrote it (Markdown took `\\.` for an escape) and its line.

        Each call finds the next place `src` stands as a reference, so the second of two
        images with the same source gets the second line.
        """
        pattern = _written_pattern(src)
        start = self.seen.get(src, 0)
        m = pattern.search(self.article.body, start) or pattern.search(self.article.body)
        if m is None:  # written in an include file: the line of the include tag
            tag = next((tag for shown, tag in self.origins if src in shown), None)
            return src, self.line_of(tag) if tag else None
        self.seen[src] = m.end()
        return m.group(0), self._line_at(m.start())


def render(article: Article, context: RenderContext) -> RenderedArticle:
    """The article's body as an XHTML fragment; bad input degrades it, never raises."""
    work = _Work(article, context, [], [])
    lang = article.lang or context.language
    if not article.body.strip():
        # Kept, so links to it and the order of a series still work; but a page with
        # only a title on it should not come as a surprise.
        work.warn("empty article: only its title will be printed")
    try:
        root = _tree(work)
        headings = _headings(root)
        xhtml = serialize_fragment(root)
    except RecursionError:  # mdlimits bounds what we know of; this is what we do not
        _forget_markdown()
        work.warn("nesting too deep to render; left out", level="error")
        return RenderedArticle(article, "", lang, problems=tuple(work.problems))
    except Exception as exc:  # a bug, but one article must not sink the whole book
        _forget_markdown()
        log.exception("rendering %s failed", article.rel)
        work.warn(f"could not render this article ({type(exc).__name__}: {exc})", level="error")
        return RenderedArticle(article, "", lang, problems=tuple(work.problems))
    return RenderedArticle(
        article,
        xhtml,
        lang,
        tuple(_unique(work.images)),
        headings,
        tuple(work.problems),
        tuple(work.unlabelled),
    )


def _tree(work: _Work) -> etree._Element:
    source = mdsource.normalise_fences(_source(work))
    kind = work.context.site.kind
    # `\\(…\\)`: Goldmark (Hugo), marked (Hexo) and pulldown-cmark (Zola) unescape it to the
    # `\(…\)` MathJax reads
    source, formulas = mathrender.protect(
        source, kramdown=kind == "jekyll", goldmark=kind in ("hugo", "hexo", "zola")
    )
    source = mdlists.normalise(source)
    source = mdlimits.escape_unmatched(source)
    source = sanitize.close_open_blocks(sanitize.escape_unknown_tags(source))
    html = _markdown(work.context.site).reset().convert(source)
    html, deepest = sanitize.flatten_deep(html)
    if deepest:
        message = f"HTML nested too deep ({deepest} levels); deeper levels flattened to "
        work.warn(message + str(sanitize.MAX_DEPTH))
    root, removed = sanitize.clean(html)
    mdlists.drop_separators(root)
    _table_pipes(root)
    if removed:
        work.warn(f"removed unsafe HTML: {', '.join(removed)}", _first_unsafe(work, removed))
    _drop_kramdown_leftovers(root)
    _drop_empty_tocs(root)
    callouts.mark(root, work.article.lang or work.context.language)
    _below_the_title(root)
    _place_math(root, formulas, work)
    if work.context.site.kind != "jekyll":  # kramdown links no bare URLs; the others do
        autolinks.link(root)
    themeimages.drop_dark_twins(root)  # Chirpy's `{: .dark }` twin of a screenshot
    mdpictures.place(root, work)
    mdpictures.place_cover(root, work)
    _rewrite_links(root, work)
    autolinks.mark_urls(root)
    _number_footnotes(root)
    return root


def _table_pipes(root: etree._Element) -> None:
    """`\\|` in a table cell's code is a `|` (GFM, kramdown): the escape only kept the cell
    whole, and GitHub, Hugo, Hexo and Jekyll all show `a | b`, not `a \\| b`."""
    for code in root.iterfind(".//table//code"):
        if code.text and code.getparent().tag != "pre":  # (a block's code was no cell's)
            code.text = code.text.replace("\\|", "|")


def _below_the_title(root: etree._Element) -> None:
    """`# 新闻` in the body is a section of the article, whose title is the book's `<h1>`:
    when the body has an `<h1>`, every heading goes one level down (h6 stays h6)."""
    if root.find(".//h1") is None:
        return
    for el in list(root.iter("h1", "h2", "h3", "h4", "h5")):
        el.tag = f"h{int(el.tag[1]) + 1}"


def _source(work: _Work) -> str:
    """The body with blog syntax expanded, ready for Python-Markdown."""
    article, site = work.article, work.context.site
    bounded = mdlimits.bound_lines(PRIVATE_MARKS.sub("", xml_safe(article.body)))
    source = bounded.text
    notes = list(bounded.notes)
    if site.kind == "plain":  # Obsidian's and Typora's notes, Yuque's exports
        expanded = obsidian.expand(notion.expand(yuque.expand(source)))
        source = expanded.text
        notes += expanded.notes
    for index, message in notes:
        line = article.body_line + index
        work.problems.append(Problem(article.rel, message, "warning", line))
    stash: list[str] = []
    source = wordpress.expand(source)
    if site.emoji:
        source = emojicodes.expand(source)
    if site.kind == "hexo":
        source = hexotags.expand(source)
    if site.kind in zenn.KINDS:
        source = zennmarkdown.expand(source)
    if site.kind == "zola":
        expanded = zolatags.expand(source)
        source, work.origins = expanded.text, expanded.origins
        for needle, message in expanded.warnings:
            work.warn(message, needle)
    if site.kind in docsites.KINDS:
        files = docmarkup.Files(site.content_dirs[0], lambda p: _read_include(work, p))
        expanded = docmarkup.expand(source, article, site.kind, files)
        source = expanded.text
        for needle, message in expanded.warnings:
            work.warn(message, needle)
    elif site.kind not in ("hugo", "zola", *zenn.KINDS):  # (Vue's `{{ }}`; no Liquid on Zenn)
        variables = liquid.site_variables(site)
        where = liquid.LiquidSite(
            site.includes_dir, work.context.roots, article.path.parent, variables
        )
        dialect = "Hexo tag" if site.kind == "hexo" else "Liquid"
        expanded = liquid.expand(source, where, liquid.page_variables(article), dialect)
        source, stash, work.origins = expanded.text, expanded.stash, expanded.origins
        for needle, message in expanded.warnings:
            work.warn(message, needle)
    if site.kind not in ("jekyll", *zenn.KINDS):
        expanded = shortcodes.expand(source)
        source = expanded.text
        for needle, message in expanded.warnings:
            work.warn(message, needle)
    source = _markdown_in_html(source, site.kind != "jekyll")  # reads {::options}
    if "{::" in source:  # after Liquid, as on the blog: `{% highlight %}` samples are code
        source = _kramdown_extensions(source, work)
    if TABLE_IAL.search(source):  # (cutting the source into prose and code costs)
        source = mdsource.map_prose(source, lambda text, _: TABLE_IAL.sub(r"\1", text))
    if "{:" in source:
        source = kramdownfences.file_titles(source)  # Chirpy's `{: file="run.sh" }`
        source = mdsource.map_prose(source, lambda text, _: _kramdown_lines(text))
    if "toc]" in source.lower():  # (cutting the source into prose and code costs)
        source = mdsource.map_prose(source, lambda text, _: TOC_MARKER.sub(r"\1[TOC]", text))
    if cjk.profile_for(article.lang or work.context.language) is cjk.JA:
        source = rubynotation.expand(source)  # ｜漢字《かんじ》
    return liquid.restore(source, stash)


def _read_include(work: _Work, path: Path) -> str:
    """A file a page includes, read only inside the site (UnsafePathError otherwise)."""
    checked = work.context.roots.check(path, max_bytes=1_000_000)
    return checked.read_text(encoding="utf-8-sig", errors="replace")


def _markdown_in_html(source: str, commonmark: bool) -> str:
    """`markdown="1"` where the blog reads Markdown inside an HTML block (md_in_html does
    the rest): CommonMark after a blank line (`<details>`, blank, a list); kramdown where
    the article sets `parse_block_html`. An author's own `markdown="1"` works everywhere."""
    lower = source.lower()
    if not any(f"<{tag}" in lower for tag in BLOCK_TAGS.split("|")):
        return source
    everywhere = bool(PARSE_BLOCK_HTML.search(source))
    if not (commonmark or everywhere):
        return source

    def mark(m: re.Match) -> str:
        opened, name, close, rest = m.groups()
        if close == "/>" or f"</{name.lower()}" in rest.lower():
            return m.group(0)  # empty, or closed on its own line: no Markdown inside
        return f'{opened} markdown="1"{close}{rest}\n'

    pattern = HTML_BLOCK_ANY if everywhere else HTML_BLOCK_THEN_BLANK
    return mdsource.map_prose(source, lambda text, _: pattern.sub(mark, text))


def _kramdown_extensions(source: str, work: _Work) -> str:
    """kramdown's `{::name}…{:/name}` outside code: a comment is left out whole, as the blog
    leaves it (it is the author's private note), `nomarkdown` keeps its content, `options`
    go. Without its stop tag kramdown prints the text, and so does the book, with a warning."""
    code = [(s.offset, s.offset + len(s.text)) for s in mdsource.segments(source) if s.code]
    out: list[str] = []
    pos = 0
    for m in KRAMDOWN_EXTENSION.finditer(source):
        if m.start() < pos or any(a <= m.start() < b for a, b in code):
            continue
        name = m.group(1)
        out.append(source[pos : m.start()])
        pos = m.end()
        if m.group(2):  # `{::options … /}`: no body
            continue
        stop = re.compile(rf"\{{:/(?:{name})?\}}").search(source, m.end())
        if stop is None:
            work.warn(f"{{::{name}}} without {{:/{name}}}: what follows is printed", m.group(0))
            continue
        if name == "nomarkdown":
            out.append(source[m.end() : stop.start()])
        pos = stop.end()
    out.append(source[pos:])
    return "".join(out)


def _kramdown_lines(text: str) -> str:
    """kramdown's lines of attributes: a table of contents where `{:toc}` marks one, a
    heading's attributes on the heading, the rest consumed."""
    text = KRAMDOWN_TOC.sub("\n[TOC]", text)
    text = HEADING_IAL.sub(r"\1 \2", text)
    return KRAMDOWN_LINE.sub("", text)


def _markdown(site: Site) -> pymarkdown.Markdown:
    """One Markdown instance per process (and dialect): building it costs more than
    converting a post."""
    dialect = mddialect.of(site)
    if dialect not in _md:
        _md[dialect] = pymarkdown.Markdown(
            extensions=EXTENSIONS + mddialect.extensions(dialect),
            extension_configs=EXTENSION_CONFIGS,
            output_format="xhtml",
        )
    return _md[dialect]


def _forget_markdown() -> None:
    """An exception can leave the shared instance half reset: the next article gets a new one."""
    _md.clear()


def _first_unsafe(work: _Work, removed: list[str]) -> str | None:
    """The text of the first thing removed as written in the body, to name its line."""
    body = work.article.body
    found = [m for name in removed if (m := _unsafe_pattern(name).search(body))]
    if found:
        return min(found, key=lambda m: m.start()).group(0)
    lower = body.lower()  # obfuscated, or made by a tag: where the word first stands
    for name in removed:
        needle = "<" + name if name.isalpha() else name.split(":")[0] + ":"
        if needle in lower:
            at = lower.index(needle)
            return body[at : at + len(needle)]
    return None


def _unsafe_pattern(name: str) -> re.Pattern:
    """Where `name` (`script`, `javascript: links`, `on* attributes`) stands in Markdown:
    a link's target, an attribute, an autolink, a reference, not a word in the prose."""
    if name == "on* attributes":
        return re.compile(r"<[^<>]*?\son[a-z]+\s*=", re.I)
    if name.endswith(": links"):
        scheme = re.escape(name.split(":")[0])
        return re.compile(
            rf"(?:\]\(\s*<?|\bhref\s*=\s*[\"']?\s*|<|^[ \t]*\[[^\]\n]+\]:\s*<?){scheme}:",
            re.I | re.M,
        )
    return re.compile("<" + re.escape(name) + r"\b[^<>]*>", re.I)  # a tag: `<script 这词` is not


def _number_footnotes(root: etree._Element) -> None:
    """Footnotes numbered, and listed, in the order the text refers to them, as kramdown,
    Goldmark and marked do. Python-Markdown numbers by definition; told to number by
    reference, it still counts a quote's, a list's or a box's references after the plain
    paragraphs' (it fills nested blocks in last)."""
    number: dict[str, int] = {}
    for a in root.iter("a"):
        if "footnote-ref" in (a.get("class") or "").split():
            target = (a.get("href") or "").lstrip("#")
            a.text = str(number.setdefault(target, len(number) + 1))
            for child in list(a):
                a.remove(child)
    for ol in root.iterfind(".//div[@class='footnote']/ol"):
        items = list(ol)
        order = {
            id(li): number.get(li.get("id") or "", len(number) + k) for k, li in enumerate(items)
        }
        for li in items:
            ol.remove(li)
        ol.extend(sorted(items, key=lambda li: order[id(li)]))


def _drop_empty_tocs(root: etree._Element) -> None:
    """`[toc]` in an article without headings: an empty box in the EPUB, a gap in print."""
    for div in list(root.iter("div")):
        if "toc" in (div.get("class") or "").split() and div.find(".//li") is None:
            if div.tail and div.tail.strip():
                _append_tail(div)
            div.getparent().remove(div)


def _append_tail(el: etree._Element) -> None:
    """Keep `el`'s tail text when `el` goes: after its previous sibling, or in its parent."""
    prev, parent = el.getprevious(), el.getparent()
    if prev is not None:
        prev.tail = (prev.tail or "") + el.tail
    else:
        parent.text = (parent.text or "") + el.tail


def _drop_kramdown_leftovers(root: etree._Element) -> None:
    """`{: .class}` lines Python-Markdown did not take as attribute lists: never printed.
    Headings marked `{: .no_toc}` leave the table of contents, as kramdown leaves them."""
    _no_toc(root)
    for p in list(root.iter("p")):
        if len(p) == 0 and p.text and IAL_TEXT.fullmatch(p.text.strip() or "-"):
            p.getparent().remove(p)
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag not in ("code", "pre"):
            if el.text and "{:" in el.text:
                el.text = IAL_TEXT.sub("", el.text)
            if el.tail and "{:" in el.tail:
                el.tail = IAL_TEXT.sub("", el.tail)


def _no_toc(root: etree._Element) -> None:
    hidden = {
        "#" + h.get("id", "")
        for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6")
        if "no_toc" in (h.get("class") or "").split()
    }
    if not hidden:
        return
    for a in list(root.iterfind(".//div[@class='toc']//li/a")):
        if a.get("href") not in hidden:
            continue
        li = a.getparent()
        parent, at = li.getparent(), li.getparent().index(li)
        parent.remove(li)
        for i, sub in enumerate(li.findall("ul/li")):  # its sub-headings stay, a level up
            parent.insert(at + i, sub)


# --- math ---------------------------------------------------------------------------------


def _place_math(root: etree._Element, formulas: list[mathrender.Formula], work: _Work) -> None:
    if not formulas:
        return
    _replace_text(root, mathrender.PLACEHOLDER, lambda m: _math(formulas[int(m.group(1))], work))
    for p in list(root.iter("p")):
        alone = len(p) == 1 and not (p.text or "").strip() and not (p[0].tail or "").strip()
        if alone and p[0].get("display") == "block":
            p.tag, p.attrib["class"] = "div", "math-display"


def _math(formula: mathrender.Formula, work: _Work) -> etree._Element:
    rendering = mathrender.render(formula)
    if rendering.mathml is None or rendering.svg is None:
        shown = formula.tex if len(formula.tex) <= 80 else formula.tex[:79] + "…"
        needle = formula.written or formula.tex  # a Hugo `\\(` formula's TeX is unescaped
        work.warn(f"cannot render math `{shown}`: {rendering.error}", needle)
        code = etree.Element("code", {"class": "math-error"})
        code.text = formula.tex
        return code
    image = work.context.images.register_generated(rendering.svg, ".svg", "image/svg+xml")
    work.images.append(image)
    return mathrender.element(rendering, formula, image.name)


def _replace_text(root: etree._Element, pattern: re.Pattern, make) -> None:
    """Replace each match of `pattern` in text and tails by the element `make(match)`."""
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if el.text and pattern.search(el.text):
            first, *nodes = _pieces(el.text, pattern, make)
            el.text = first
            for i, node in enumerate(nodes):
                el.insert(i, node)
        if el.tail and pattern.search(el.tail) and el.getparent() is not None:
            first, *nodes = _pieces(el.tail, pattern, make)
            el.tail = first
            parent, at = el.getparent(), el.getparent().index(el)
            for i, node in enumerate(nodes, start=1):
                parent.insert(at + i, node)


def _pieces(text: str, pattern: re.Pattern, make) -> list:
    """`a PH b PH c` -> ["a", <el tail=" b ">, <el tail=" c">]."""
    out: list = [text[: pattern.search(text).start()]]
    pos = 0
    for m in pattern.finditer(text):
        if pos:
            out[-1].tail = text[pos : m.start()]
        out.append(make(m))
        pos = m.end()
    out[-1].tail = text[pos:]
    return out


def _written_pattern(src: str) -> re.Pattern:
    """`src` where the author may have put a backslash before any character, as a reference.

    It stands after `(`, `<`, a quote, `=`, a space, a template's `}}` (`{{ site.baseurl
    }}/x.png`) or an embed's `[[` and before `)`, `>`, a quote, a space, `|` or `]`, so
    `/../x.png` is not found inside `../../x.png`; or before a `#` (Yuque's pictures are
    written with one, which yuque.py cuts off).
    """
    chars = "".join(re.escape(c) if c.isalnum() else r"\\?" + re.escape(c) for c in src)
    return re.compile(rf"(?<=[(<\"'=\s}}\[]){chars}(?=[)>\"'\s|\]#])")


# --- ids, links, headings -----------------------------------------------------------------


def _rewrite_links(root: etree._Element, work: _Work) -> None:
    ids = links.prefix_ids(root, work.article.slug)
    for a in list(root.iter("a")):
        href = a.get("href")
        if href is None:
            continue
        if _only_a_picture(a) and links.is_picture(href):
            # A picture linked to its own file (WordPress, lightboxes): the book shows it.
            picture = a[0]
            picture.tail = (picture.tail or "") + (a.tail or "")
            a.getparent().replace(a, picture)
            continue
        new = _href(href, ids, work)
        if _empty(a) and href.startswith(links.MARKERS):  # Hexo's `{% post_link name %}`
            target = work.context.links.find(href, work.article) if new else None
            a.text = target.title if target and target.title else links.as_written(href)[1]
        if new and new.startswith("#") and work.context.site.kind in zenn.KINDS and _card(a):
            _title_card(a, work.context.links.find(href, work.article))
        if new is None:
            del a.attrib["href"]
            if not a.get("id"):
                a.tag = "span"
                a.set("class", (a.get("class", "") + " dead-link").strip())
        else:
            a.set("href", new)


def _card(a: etree._Element) -> bool:
    """A bare URL alone in its paragraph: a link card on Zenn and Qiita."""
    p = a.getparent()
    alone = p.tag == "p" and len(p) == 1 and not (p.text or "").strip()
    return alone and not (a.tail or "").strip() and a.text == a.get("href")


def _title_card(a: etree._Element, target: links.Target | None) -> None:
    """A card shows the page's title; in the book, the title of the article it leads to."""
    if target and target.title:
        a.text = target.title
        classes = [c for c in a.get("class", "").split() if c != "url"]
        a.attrib.pop("class", None)
        if classes:
            a.set("class", " ".join(classes))


def _only_a_picture(a: etree._Element) -> bool:
    return (
        len(a) == 1
        and a[0].tag == "img"
        and not (a.text or "").strip()
        and not (a[0].tail or "").strip()
    )


def _empty(el: etree._Element) -> bool:
    return not len(el) and not (el.text or "").strip()


def _href(href: str, ids: dict[str, str], work: _Work) -> str | None:
    article, index = work.article, work.context.links
    if href.startswith("#"):
        fragment = href[1:]
        return "#" + ids[fragment] if fragment in ids else _own_fragment(fragment, ids)
    target = index.find(href, article)
    if target is not None:
        if target.slug == article.slug and target.fragment:
            return _own_fragment(target.fragment, ids)
        frag = f"-{links.clean_id(target.fragment)}" if target.fragment else ""
        return f"#{target.slug}{frag}"
    external = index.external(href, article)
    if external is None:
        shown, needle = links.as_written(href)
        work.warn(f"link to {shown} is not in this book and has no web address", needle)
    return external


def _own_fragment(fragment: str, ids: dict[str, str]) -> str | None:
    if fragment in ids:
        return "#" + ids[fragment]
    cleaned = links.clean_id(fragment)
    for old, new in ids.items():
        if links.clean_id(old) == cleaned:
            return "#" + new
    return None  # an anchor that does not exist: a dead link in an e-book


def _headings(root: etree._Element) -> tuple[Heading, ...]:
    found = []
    for el in root.iter("h2", "h3", "h4"):
        if el.get("id"):
            text = " ".join(text_content(el).split())
            found.append(Heading(int(el.tag[1]), el.get("id"), text))
    return tuple(found)


def _unique(images: list[Image]) -> list[Image]:
    return list({img.name: img for img in images}.values())
