"""Book -> the print HTML: body blocks (openers, articles), front matter, folio stamps.

The body is cut into blocks (a part opener, a chapter opener, an article) that any chunk
of the rendering can hold; page-dependent things (contents numbers, running heads, page
numbers) are not in the body at all: they are filled in once every page is known.
In-book links point at `ANCHOR_URL + id`, turned into real PDF links after the merge.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree
from markupsafe import Markup

from . import articleauthors, pdfcode, pdfopening, pdftables, typography
from .layouts import Layout
from .mathrender import SVG_SIZE
from .model import Book, Chapter, RenderedArticle
from .pagesizes import PX_PER_MM, PageSize
from .xhtml import (
    XHTML_NS,
    local_name,
    parse_fragment,
    remove_keeping_tail,
    serialize_fragment,
    text_content,
)

log = logging.getLogger(__name__)

ANCHOR_URL = "https://anchor.bookmaker.invalid/#"  # never fetched: rewritten after the merge
CHAPTER_PREFIX = "bm-ch-"
CHARS_PER_PAGE_A5 = 750  # a full A5 page of Chinese body text, to estimate chunk sizes
REMOVED = {"script", "style", "link", "meta", "base", "iframe", "object", "embed", "form"}
H = f"{{{XHTML_NS}}}"
NOTE_FLOATS = ("footnote", "link-note")  # the span classes print.css floats to the page's foot
# A repeated footnote reference is a <sup> set as print.css sets a ::footnote-call, 0.65 of
# its note's 0.8 em (a sup's own `line-height: normal` would open the line it stands in)
AGAIN_STYLE = "font-size: 0.52em; line-height: 1"
# WeasyPrint draws crop marks only on a page with a background: an empty image is one that
# paints nothing (a white one would hide the body pages the folio stamps are laid over).
MARKS_BACKGROUND = (
    "url(\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E\")"
    " no-repeat"
)
SVG_BOX = re.compile(r'<svg\b[^>]*\bviewBox="(?P<vb>[-\d.eE, ]+)"')
# A Latin run whose every word is shorter than typography-print.css's hyphenate-limit-chars
# (6) can never be hyphenated: its span.latin[lang=en] changes nothing on the printed page
# but costs WeasyPrint an inline box (each one about 0.5 ms of layout; spans were a quarter
# of a body part's time). The EPUB keeps them all.
SHORT_LATIN = re.compile(r"[A-Za-z0-9]{1,5}(?:[-. ][A-Za-z0-9]{1,5})*")
STYLED_LATIN = re.compile(r"\.latin\b")


@dataclass(frozen=True)
class Block:
    """One unit of the body: it starts on a new page, so chunks may be cut before it."""

    kind: str  # "part" (opener alone on a page) | "chapter" | "article"
    anchor: str  # id of its first element
    title: str
    depth: int  # nesting of the chapter (0 = top level)
    html: str
    pages: float  # estimated
    path: str = ""  # the article's file, for problems
    urls: tuple[str, ...] = ()  # every URL the article's HTML asks WeasyPrint to load
    joins: bool = False  # shares the page of the block before it (first article of a chapter)


@dataclass(frozen=True)
class Assets:
    """What the HTML needs from outside: stylesheets and image files, as file URIs."""

    stylesheets: tuple[str, ...]
    images: dict[str, str] = field(default_factory=dict)  # "images/<hash>.png" -> file URI
    house: str = ""  # body classes of the house style: "no-indent", "no-justify"
    keep_latin: bool = False  # a stylesheet styles span.latin itself: keep every one


def chapter_anchor(chapter: Chapter) -> str:
    return CHAPTER_PREFIX + re.sub(r"[^A-Za-z0-9_-]", "-", chapter.key)


# ---- the body ---------------------------------------------------------------------------


def blocks(book: Book, assets: Assets, link_notes: bool, size: PageSize) -> list[Block]:
    """Every block of the body in reading order."""
    out: list[Block] = []
    for chapter in book.chapters:
        _chapter_blocks(book, chapter, 0, assets, link_notes, size, out)
    return out


def _chapter_blocks(book, chapter, depth, assets, link_notes, size, out) -> None:
    kind = "part" if chapter.chapters and not chapter.articles else "chapter"
    anchor = chapter_anchor(chapter)
    html = _opener(kind, anchor, chapter, depth)
    out.append(Block(kind, anchor, chapter.title, depth, html, 1.5 if kind == "part" else 0.3))
    for i, article in enumerate(chapter.articles):
        r = book.rendered_for(article)
        out.append(_article_block(r, depth, assets, link_notes, size, first=(i == 0)))
    for sub in chapter.chapters:
        _chapter_blocks(book, sub, depth + 1, assets, link_notes, size, out)


def _opener(kind: str, anchor: str, chapter: Chapter, depth: int) -> str:
    title = Markup.escape(chapter.title)
    if not title:  # `--chapters none`, or a numbered newsletter: the issues start the book
        return f'<section class="opener {kind} untitled depth-{depth}" id="{anchor}"></section>'
    return (
        f'<section class="opener {kind} depth-{depth}" id="{anchor}">'
        f'<h1 class="chapter-title">{title}</h1></section>'
    )


def _article_block(r, depth, assets, link_notes, size, first) -> Block:
    a = r.article
    body, urls = print_xhtml(r, assets, link_notes, size)
    classes = ("article first" if first else "article") + (" subtitled" if a.subtitle else "")
    date = Markup.escape(format_date(a.date, r.lang))
    time = f'<time datetime="{a.date.date().isoformat()}">{date}</time>' if a.dated else ""
    names = Markup.escape(articleauthors.byline(a.authors, r.lang))
    by = f'<span class="article-authors">{names}</span>' if names else ""
    dated = f'<p class="article-date">{time}{by}</p>' if time or by else ""
    html = (
        f'<article class="{classes}" id="{a.slug}" lang="{Markup.escape(r.lang)}">'
        f'<header class="article-head"><h2 class="article-title">{Markup.escape(a.title)}</h2>'
        f"{_subtitle(a.subtitle)}{dated}</header>{body}</article>"
    )
    pages = _estimate_pages(r, size)
    return Block("article", a.slug, a.title, depth, html, pages, a.rel, urls, joins=first)


def _subtitle(text: str) -> str:
    return f'<p class="article-subtitle">{Markup.escape(text)}</p>' if text else ""


def _estimate_pages(r: RenderedArticle, size: PageSize) -> float:
    text = re.sub(r"<[^>]+>", "", r.xhtml)
    area = (size.text_width * size.text_height) / (114 * 171)  # relative to A5's text block
    per_page = CHARS_PER_PAGE_A5 * area * (10.5 / size.font_size) ** 2
    return 0.6 + len(text) / per_page + 0.4 * len(r.images)


def format_date(date, lang: str) -> str:
    if lang.lower().startswith(("zh", "ja")):
        return f"{date.year}年{date.month}月{date.day}日"
    return date.strftime("%-d %B %Y")


# ---- one article's XHTML, made printable ------------------------------------------------


def print_xhtml(
    r: RenderedArticle, assets: Assets, link_notes: bool, size: PageSize | None = None
) -> tuple[str, tuple]:
    """The article's fragment for print, and the URLs it will make WeasyPrint load."""
    root = parse_fragment(r.xhtml)
    urls: list[str] = []
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or (el.getparent() is None and el is not root):
            continue
        name = local_name(el)
        if name in REMOVED:
            remove_keeping_tail(el)
        elif name == "math":
            _math(el, assets, urls)
        elif name == "img":
            _image(el, assets, urls)
        elif name == "a":
            _link(el, link_notes)
        elif name == "span" and not assets.keep_latin:
            _plain_latin(el)
    _footnotes(root, r.article.slug)
    pdfcode.join_indents(root)
    if size is not None:
        pdftables.fit_wide(root, size)
        pdfcode.hang_long_lines(root, size.text_width, size.font_size)
    typography.quote_breaks(root)  # Pango breaks neither side of “ ”: tell it where it may
    return serialize_fragment(root), tuple(urls)


def _plain_latin(el) -> None:
    """A short Latin word's span dissolves into the text around it (see SHORT_LATIN)."""
    if el.get("class") != "latin" or len(el.attrib) != 2 or el.get("lang") != "en" or len(el):
        return
    parent = el.getparent()
    if parent is None or local_name(parent) == "em":  # em.dots span.latin has its own style
        return
    if SHORT_LATIN.fullmatch(el.text or ""):
        el.tail = el.text + (el.tail or "")
        remove_keeping_tail(el)


def latin_styled(stylesheets: list[Path]) -> bool:
    """Whether a stylesheet styles `.latin` beyond base.css's emphasis-dots rule."""
    for path in stylesheets:
        css = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
        if STYLED_LATIN.search(css.replace("em.dots span.latin", "")):
            return True
    return False


def _image(el, assets: Assets, urls: list[str]) -> None:
    src = el.get("src", "")
    if src in assets.images:
        el.set("src", assets.images[src])
    urls.append(el.get("src", ""))
    for attr in ("srcset", "sizes", "loading"):
        el.attrib.pop(attr, None)
    size = _sized(el.get("width"), el.get("height"))
    if size:
        el.set("style", size)
    if _alone(el):
        # CSS `:only-child` ignores text, so it cannot tell a picture from an icon in a line
        el.set("class", (el.get("class", "") + " alone").strip())


def _sized(width: str | None, height: str | None) -> str:
    """The size the author gave (`<img width="300">`, in CSS px) as the style WeasyPrint
    reads: it applies no HTML presentational hints, and e-readers do (as the EPUB shows).
    The sanitizer kept only whole numbers; the stylesheet's max-width still holds."""
    if width:
        return f"width: {width}px; height: auto"
    if height:
        return f"height: {height}px; width: auto"
    return ""


def _alone(el) -> bool:
    """The image is its paragraph's only content: it is set as a centred block."""
    parent = el.getparent()
    if parent is None or local_name(parent) != "p" or len(parent) != 1:
        return False
    return not (parent.text or "").strip() and not (el.tail or "").strip()


def _math(el, assets: Assets, urls: list[str]) -> None:
    # WeasyPrint has no MathML: the HTML stage's SVG rendition stands in for it.
    alt = el.get("alttext") or text_content(el)
    img_name = el.get("altimg", "")
    block = el.get("display") == "block"
    if img_name in assets.images:
        new = etree.Element(H + "img")
        new.set("src", assets.images[img_name])
        new.set("alt", alt)
        new.set("class", "math math-block" if block else "math math-inline")
        box = math_box(assets.images[img_name])
        if box:
            new.set("style", box)
        urls.append(assets.images[img_name])
    else:
        new = etree.Element(H + "span")
        new.set("class", "math-text")
        new.text = alt
    new.tail = el.tail
    el.getparent().replace(el, new)


def math_box(uri: str) -> str:
    """CSS that sizes a formula's SVG in em of the text around it, its baseline on the line's.

    The HTML stage draws formulas at `SVG_SIZE` px per em with the baseline at y = 0 of the
    viewBox, so the part below 0 is the depth the image must drop below the baseline.
    """
    try:
        with open(unquote(urlparse(uri).path), "rb") as f:
            head = f.read(2000).decode("utf-8", "replace")
    except OSError:
        return ""
    m = SVG_BOX.search(head)
    if m is None:
        return ""
    _, y, w, h = (float(v) for v in m.group("vb").replace(",", " ").split())
    em = SVG_SIZE
    depth = max(0.0, (y + h) / em)
    return f"width: {w / em:.3f}em; height: {h / em:.3f}em; vertical-align: {-depth:.3f}em"


def _link(el, link_notes: bool) -> None:
    href = (el.get("href") or "").strip()
    el.attrib.pop("rel", None)  # rel="attachment" would embed the target file
    el.attrib.pop("target", None)
    if href.startswith("#"):
        el.set("href", ANCHOR_URL + href[1:])
    elif href.lower().startswith(("http://", "https://")):
        if link_notes and not _shows_url(el, href):
            # In a footnote the URL follows the link: a note of its own would be numbered
            # before the footnote that holds it (1, 3, 2 at the foot of the page).
            inline = _in_footnote(el)
            note = etree.Element(H + "span")
            note.set("class", "link-inline" if inline else "link-note")
            note.text = f" ({href})" if inline else href
            note.tail = el.tail
            el.tail = None
            el.addnext(note)
    elif href.lower().startswith("mailto:"):
        pass
    else:
        el.attrib.pop("href", None)  # file:, javascript:, site paths: nothing to follow in print


def _shows_url(el, href: str) -> bool:
    """The link's text holds its URL already (`▶ https://…` for an embedded video, too)."""
    text = text_content(el).strip()
    bare = re.sub(r"^https?://", "", href).rstrip("/")
    return bool(bare) and bare in text


def _in_footnote(el) -> bool:
    return any(
        "footnote" in (a.get("class") or "").split() or a.get("role") == "doc-endnotes"
        for a in el.iterancestors()
    )


def _footnotes(root, slug: str) -> None:
    """Markdown footnotes -> `float: footnote` spans at the reference, at the page's foot."""
    notes = {}
    for li in root.iter(H + "li"):
        if li.get("id"):
            notes[li.get("id")] = li
    refs = [
        a
        for a in root.iter(H + "a")
        if "footnote-ref" in (a.get("class") or "") or a.get("role") == "doc-noteref"
    ]
    spans: dict[str, object] = {}
    again = []
    for a in refs:
        target = (a.get("href") or "").split("#")[-1]
        li = notes.get(target)
        if li is None:
            continue
        if target in spans:
            # WeasyPrint makes a note of every `float: footnote` element: a second reference
            # to a note is its number only, not a second note at the foot of the page
            mark = etree.Element(H + "sup")
            mark.set("class", "footnote-again")
            mark.set("style", AGAIN_STYLE)
            mark.text = text_content(a).strip()  # the Markdown number, if it is not found
            again.append((mark, spans[target]))
        else:
            mark = spans[target] = _note_span(li)
        holder = a.getparent() if local_name(a.getparent()) == "sup" else a
        mark.tail = holder.tail
        holder.getparent().replace(holder, mark)
    if spans:
        _remove_note_lists(root)
    _number_again(root, again)


def _number_again(root, again: list) -> None:
    """A repeated reference shows the number print.css's footnote counter gives its note:
    the notes and link notes of the article, counted in the order of the text."""
    if not again:
        return
    floats = [el for el in root.iter(H + "span") if el.get("class") in NOTE_FLOATS]
    for mark, span in again:
        if span in floats:  # (not when its note was left in a list no text refers to)
            mark.text = str(floats.index(span) + 1)


def _note_span(li):
    span = etree.Element(H + "span")
    span.set("class", "footnote")
    for back in list(li.iter(H + "a")):
        if "footnote-backref" in (back.get("class") or "") or back.get("role") == "doc-backlink":
            remove_keeping_tail(back)
    parts = [li] if not len(li) or local_name(li[0]) != "p" else list(li)
    span.text = li.text.strip() if li.text and li.text.strip() else None
    for part in parts if parts != [li] else []:
        # paragraphs become inline runs: a footnote is one block at the foot of the page
        inner = etree.SubElement(span, H + "span")
        inner.text = part.text
        for child in part:
            inner.append(child)
        inner.tail = " "
    if parts == [li]:
        for child in list(li):
            span.append(child)
    return span


def _remove_note_lists(root) -> None:
    for el in list(root.iter()):
        cls = el.get("class") or ""
        if (
            isinstance(el.tag, str)
            and ("footnote" in cls.split() or el.get("role") == "doc-endnotes")
            and local_name(el) in ("div", "section", "aside")
        ):
            el.getparent().remove(el)


# ---- whole documents --------------------------------------------------------------------


BCP47 = re.compile(r"^[A-Za-z0-9-]{1,35}$")  # (a language written into the CSS as is)
MARGIN_SCRIPTS = (("zh-hant", "TC"), ("zh-tw", "TC"), ("zh-hk", "TC"), ("zh-mo", "TC"),
                  ("ja", "JP"), ("ko", "KR"))  # fmt: skip


def margin_fonts(language: str) -> str:
    """Running heads and folios in the book's own script: a page's margin boxes match no
    `:lang()`, so print.css can only give them the Simplified faces (戶 drawn as 户)."""
    script = _margin_script(language)
    if script is None:
        return ""
    sans = f'font-family: "Noto Sans CJK {script}", "DejaVu Sans";'
    serif = f'font-family: "Noto Serif CJK {script}", "DejaVu Serif";'
    return (
        f"@page folio {{ @top-left {{ {sans} }} @top-right {{ {sans} }}"
        f" @bottom-left {{ {serif} }} @bottom-right {{ {serif} }} }}\n"
    )


def head_languages(pages: list[dict]) -> str:
    """A running head in another script than the book's (a Japanese article's title in a
    Chinese book): its page's margin boxes in that language and its faces. A margin box
    matches no `:lang()`; its page, the nth of the folio document, is named instead."""
    rules = []
    for n, page in enumerate(pages, start=1):
        lang = page.get("lang", "")
        script = _margin_script(lang) if page.get("head") and BCP47.match(lang) else None
        if script:
            face = f'font-family: "Noto Sans CJK {script}", "DejaVu Sans"; -weasy-lang: "{lang}";'
            rules.append(
                f"@page folio:nth({n}) {{ @top-left {{ {face} }} @top-right {{ {face} }} }}"
            )
    return "".join(f"{r}\n" for r in rules)


def _margin_script(language: str) -> str | None:
    tag = language.lower()
    return next((s for p, s in MARGIN_SCRIPTS if tag == p or tag.startswith(p + "-")), None)


def page_css(size: PageSize, bleed_mm: float, marks: bool) -> str:
    """The `@page` rules that depend on the chosen size: every document shares them."""
    bleed = f"bleed: {bleed_mm:.2f}mm;" if bleed_mm else ""
    mark = f"marks: crop cross; background: {MARKS_BACKGROUND};" if marks and bleed_mm else ""
    return (
        f"@page {{ size: {size.width:.2f}mm {size.height:.2f}mm; {bleed} {mark}"
        f" margin: {size.top}mm {size.outer}mm {size.bottom}mm {size.inner}mm; }}\n"
        f"@page :left {{ margin-left: {size.outer}mm; margin-right: {size.inner}mm; }}\n"
        f"@page :right {{ margin-left: {size.inner}mm; margin-right: {size.outer}mm; }}\n"
        f":root {{ --text-height: {size.text_height:.1f}mm; }}\n"
        f"html {{ font-size: {size.font_size}pt; }}\n"
        f"img, svg {{ max-height: {size.text_height * 0.92 * PX_PER_MM:.0f}px; }}\n"
        + pdfopening.css(size)
    )


def document(
    layout: Layout,
    template: str,
    book: Book,
    assets: Assets,
    css: str,
    **context,
) -> str:
    """A complete HTML document from one of the `print/` templates."""
    return layout.render(
        f"print/{template}",
        meta=book.meta,
        lang=book.meta.language,
        stylesheets=assets.stylesheets,
        house=assets.house,
        page_css=Markup(css),
        **context,
    )


def body_html(layout: Layout, book: Book, assets: Assets, css: str, part: list[Block]) -> str:
    html = Markup("".join(b.html for b in part))
    return document(layout, "body.html", book, assets, css, body=html)


def file_uri(path: Path) -> str:
    return path.resolve().as_uri()
