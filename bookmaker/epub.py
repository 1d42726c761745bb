"""Book -> .epub (and a Kobo .kepub.epub): the EPUB 3 backend.

One XHTML file per article (split at headings when large), a cover, a title page, an
in-book contents page and a chapter opener per chapter; nav and NCX; the CJK body face
subset to the characters used; written reproducibly and atomically.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
from dataclasses import dataclass, replace
from pathlib import Path

from markupsafe import Markup, escape
from PIL import Image as PILImage

from . import articleauthors, epubarticle, epubfonts, imageproc, kepub, punctuation, typography
from .atomic import atomic_path
from .config import Config
from .cover import render_cover, year_range
from .epubnav import (
    APPLE_DISPLAY_OPTIONS,
    CONTAINER,
    ManifestItem,
    NavPoint,
    Package,
    format_date,
    label,
    ncx,
    opf,
)
from .errors import UnsafePathError
from .layouts import Layout
from .model import Article, Book, Chapter, Problem, Written
from .naming import ascii_slug
from .paths import Roots
from .zipwrite import write_epub_zip

log = logging.getLogger(__name__)

KINDLE_LIMIT = 50 * 1024 * 1024  # Send-to-Kindle refuses larger files
PKG = "EPUB/"  # the package folder inside the zip
COVER_SIZE = (1600, 2560)
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}


@dataclass(frozen=True)
class Doc:
    href: str  # relative to the package folder
    xhtml: str
    properties: str = ""
    kind: str = "front"  # "cover" | "front" | "chapter" | "article" | "nav"


@dataclass(frozen=True)
class Resource:
    href: str
    data: bytes | Path  # a picture is its file, copied into the zip as it is written
    media_type: str
    id: str
    properties: str = ""

    @property
    def size(self) -> int:
        return self.data.stat().st_size if isinstance(self.data, Path) else len(self.data)


@dataclass(frozen=True)
class Assembly:
    docs: tuple[Doc, ...]  # spine order (the nav document last, outside the spine)
    resources: tuple[Resource, ...]  # images, CSS
    points: tuple[NavPoint, ...]
    all_alt: bool  # every image has a text alternative
    has_images: bool
    has_math: bool
    has_animation: bool = False  # an animated GIF, which may flash


def write(book: Book, config: Config, layout: Layout, target: Path) -> Written:
    """Write the book to `target` (and `<stem>.kepub.epub` beside it when asked)."""
    problems: list[Problem] = []
    if config.epub.writing_mode == "vertical":
        book = vertical_titles(book)
    assembly = assemble(book, config, layout, problems)
    paths = [target]
    sizes = _package(book, config, layout, assembly, target)
    if config.epub.kepub:
        kobo = target.with_name(_stem(target) + ".kepub.epub")
        docs = tuple(
            replace(d, xhtml=kepub.koboize(d.xhtml)) if d.kind == "article" else d
            for d in assembly.docs
        )
        _package(book, config, layout, replace(assembly, docs=docs), kobo)
        paths.append(kobo)
    problems.extend(_size_report(target, sizes))
    return Written(tuple(paths), tuple(problems))


def _stem(target: Path) -> str:
    name = target.name
    return name[: -len(".epub")] if name.endswith(".epub") else target.stem


def vertical_titles(book: Book) -> Book:
    """The book with its titles' quotes as corner brackets, as its vertical text has them.

    `typography.for_vertical` turns the body's “” into 「」 (curly quotes lie on their side
    in vertical lines); titles are typeset once in render for both books, so the book's,
    the chapters' and the articles' titles are restyled here, before every page, the
    contents, nav, NCX and OPF take them.
    """
    meta = replace(book.meta, title=corners(book.meta.title), subtitle=corners(book.meta.subtitle))
    rendered = tuple(replace(r, article=_corner_title(r.article)) for r in book.rendered)
    chapters = tuple(_corner_chapter(c) for c in book.chapters)
    return replace(book, meta=meta, chapters=chapters, rendered=rendered)


def corners(text: str) -> str:
    marks = punctuation.nest_quotes(text, "corner")
    return "".join(marks.get(i, ch) for i, ch in enumerate(text)) if marks else text


def _corner_title(a: Article) -> Article:
    return replace(a, title=corners(a.title))


def _corner_chapter(c: Chapter) -> Chapter:
    return replace(
        c,
        title=corners(c.title),
        articles=tuple(_corner_title(a) for a in c.articles),
        chapters=tuple(_corner_chapter(sub) for sub in c.chapters),
    )


# ---------------------------------------------------------------- assembling the documents


def assemble(book: Book, config: Config, layout: Layout, problems: list[Problem]) -> Assembly:
    lang = book.meta.language
    sheets = _stylesheets(layout, config)
    cover = _cover(book, config, layout, problems)
    images = _image_files(book, problems)
    articles = epubarticle.prepare(book, config, images, problems)
    page = _Page(layout, [s.name for s in sheets], lang, config)
    points, body_docs = _body(book, page, articles)
    front = [
        Doc("cover.xhtml", _cover_doc(page, book, cover), "svg", "cover"),
        Doc("title.xhtml", page.render("title.xhtml", "title.xhtml", _title_ctx(book))),
    ]
    contents = page.render(
        "contents.xhtml", "contents.xhtml", {"title": label(lang, "contents"), "points": points}
    )
    front.append(Doc("contents.xhtml", contents))
    nav_points = points or (NavPoint(book.meta.title or "Untitled", "title.xhtml"),)
    first_body = body_docs[0].href if body_docs else "title.xhtml"
    landmarks = (
        ("cover", "cover.xhtml", label(lang, "cover")),
        ("titlepage", "title.xhtml", label(lang, "title")),
        ("toc", "contents.xhtml", label(lang, "contents")),
        ("bodymatter", first_body, label(lang, "start")),
    )
    nav_ctx = {"title": label(lang, "contents"), "points": nav_points, "landmarks": landmarks}
    nav = Doc("nav.xhtml", page.render("nav.xhtml", "nav.xhtml", nav_ctx), "nav", "nav")
    docs = (*front, *body_docs, nav)
    # Fonts are made once here, for the EPUB and the kepub: they need every character.
    fonts, sheets = epubfonts.package(
        sheets, [d.xhtml for d in docs], lang, layout, config, problems
    )
    used = {n for a in articles for n in a.image_names}
    resources = [cover] + [r for r in images.values() if r.href in used]
    resources += [
        Resource(f"styles/{s.name}", s.text.encode(), "text/css", _id(s.name)) for s in sheets
    ]
    resources += [Resource(f.href, f.data, f.media_type, _id(f.href)) for f in fonts]
    return Assembly(
        docs=docs,
        resources=tuple(resources),
        points=nav_points,
        all_alt=all(a.all_alt for a in articles),
        has_images=bool(used),
        has_math=any("mathml" in d.properties for d in body_docs),
        has_animation=any(_animated(r) for r in resources if r.media_type == "image/gif"),
    )


def _animated(gif: Resource) -> bool:
    data = gif.data if isinstance(gif.data, Path) else io.BytesIO(gif.data)
    try:
        with PILImage.open(data) as im:
            return bool(getattr(im, "is_animated", False))
    except (OSError, ValueError, PILImage.DecompressionBombError):
        return True  # unread: no claim that it is still


class _Page:
    """Renders a layout template as one XHTML document at a given place in the package."""

    def __init__(self, layout: Layout, css: list[str], lang: str, config: Config):
        self.lang = lang
        typo = config.typography
        # base.css reads these switches from the body.
        self.body_extra = (
            (" no-indent" if not typo.indent else "")
            + (" no-justify" if not typo.justify else "")
            + (" no-trim" if not typo.trim else "")
            + (" no-compression" if not typo.compression else "")
        )
        fonts_css = config.epub.embed_fonts
        # One environment for the whole book: Layout.render compiles the template per call.
        self.env = layout._env()
        self.env.filters["upright"] = _upright if config.epub.writing_mode == "vertical" else _as_is
        # fonts.css is made last (it needs every character), but is linked first.
        self.names = (["fonts.css"] if fonts_css else []) + css

    def render(self, template: str, href: str, context: dict) -> str:
        ctx = {"lang": self.lang, "title": "", "dir": "", "body_extra": self.body_extra, **context}
        ctx["css"] = [rel(f"styles/{name}", href) for name in self.names]
        return self.env.get_template(f"epub/{template}").render(**ctx)


def _upright(text: str, lang: str = "") -> Markup:
    """A title or date in a vertical book with its two-digit numbers set upright (縦中横),
    as its text has them: `2024年10月` showed its 10 lying on its side."""
    return Markup(typography.for_vertical(str(escape(text)), lang))


def _as_is(text: str, lang: str = "") -> str:
    return text


def rel(target: str, from_href: str) -> str:
    """`target` (package-relative) as seen from the document `from_href`."""
    return posixpath.relpath(target, posixpath.dirname(from_href) or ".")


def _id(text: str) -> str:
    return "i-" + re.sub(r"[^A-Za-z0-9_-]", "_", text)


def _stylesheets(layout: Layout, config: Config) -> list[epubfonts.Sheet]:
    """The layout's sheets in cascade order: shared typography, EPUB rules, vertical writing."""
    names = ["base.css", "code.css", "epub.css"]
    if config.epub.writing_mode == "vertical":
        names.append("vertical.css")
    names.append("custom.css")  # a project's own additions, last so they win
    found = []
    for name in names:
        try:
            path = layout.find(name)
            found.append(epubfonts.Sheet(name, path.read_text(encoding="utf-8"), path))
        except FileNotFoundError:
            log.debug("layout has no %s", name)
    return found


def _title_ctx(book: Book) -> dict:
    meta = book.meta
    return {"title": meta.title, "meta": meta, "years": year_range(meta), "label": meta.title}


def _cover_doc(page: _Page, book: Book, cover: Resource) -> str:
    width, height = _image_size(cover.data)
    ctx = {"title": label(page.lang, "cover"), "alt": book.meta.title, "image": cover.href}
    return page.render("cover.xhtml", "cover.xhtml", {**ctx, "width": width, "height": height})


def _body(book, page: _Page, articles) -> tuple[tuple[NavPoint, ...], list[Doc]]:
    """Nav points and spine documents for the chapters: opener, articles, sub-chapters."""
    by_slug = {a.slug: a for a in articles}
    # One map for the openers' dates: a scan per entry is quadratic in a 1,000-article book.
    dates = {a.href: format_date(a.date, page.lang) for a in articles if a.date}
    docs: list[Doc] = []
    seen: set[str] = set()
    points = []
    for chapter in book.chapters:
        points.extend(_chapter(chapter, by_slug, dates, page, docs, seen))
    # An article the chapters do not list is still in the book, at the end.
    for a in articles:
        if a.slug not in seen:
            docs.extend(_article_docs(a, page))
            points.append(_point(a, page))
    return tuple(points), docs


def _chapter(chapter: Chapter, by_slug, dates, page: _Page, docs: list[Doc], seen: set[str]):
    """This chapter's nav points; appends its documents to `docs` in reading order."""
    mine = [by_slug[a.slug] for a in chapter.articles if a.slug in by_slug]
    if not chapter.title:  # grouping "none": the articles stand at the top level
        for a in mine:
            seen.add(a.slug)
            docs.extend(_article_docs(a, page))
        return [_point(a, page) for a in mine]
    href = f"chapters/{ascii_slug(chapter.key, 'chapter')}.xhtml"
    while any(d.href == href for d in docs):
        href = href.replace(".xhtml", "-x.xhtml")
    opener_at = len(docs)
    children: list[NavPoint] = []
    for a in mine:
        seen.add(a.slug)
        docs.extend(_article_docs(a, page))
        children.append(_point(a, page))
    for sub in chapter.chapters:
        children.extend(_chapter(sub, by_slug, dates, page, docs, seen))
    entries = [
        {"title": c.title, "href": rel(c.href, href), "date": dates.get(c.href, ""), "lang": c.lang}
        for c in children
    ]
    ctx = {"title": chapter.title, "id": "chapter-title", "entries": entries}
    docs.insert(opener_at, Doc(href, page.render("chapter.xhtml", href, ctx), "", "chapter"))
    return [NavPoint(chapter.title, href, tuple(children))]


def _point(a: epubarticle.Prepared, page: _Page) -> NavPoint:
    """An article's entry in the contents, tagged with its language when it is not the
    book's: a screen reader reads a Japanese title with a Japanese voice, and the reader
    draws it with Japanese glyphs, as on the article's own page."""
    other = a.lang if a.lang and a.lang.lower() != page.lang.lower() else ""
    return NavPoint(a.title, a.href, lang=other)


def _article_docs(a: epubarticle.Prepared, page: _Page) -> list[Doc]:
    docs = []
    for n, part in enumerate(a.parts):
        ctx = {
            "lang": a.lang,
            "title": a.title,
            "subtitle": a.subtitle,
            "authors": articleauthors.byline(a.authors, a.lang),
            "slug": a.slug,
            "first_part": n == 0,
            "date_iso": a.date.date().isoformat() if a.date else "",
            "date_text": format_date(a.date, a.lang) if a.date else "",
            "tags": a.tags,
            "body": Markup(part.body),
        }
        xhtml = page.render("article.xhtml", part.href, ctx)
        docs.append(Doc(part.href, xhtml, part.properties, "article"))
    return docs


# ---------------------------------------------------------------- images, cover


def _image_files(book: Book, problems: list[Problem]) -> dict[str, Resource]:
    """name ("images/<hash>.png") -> Resource, for every image whose file can be read."""
    found: dict[str, Resource] = {}
    for img in book.images:
        try:
            with open(img.source, "rb"):
                pass
        except OSError as exc:
            problems.append(Problem("", f"image {img.name} unreadable: {exc.strerror}", "warning"))
            continue
        found[img.name] = Resource(img.name, img.source, img.media_type, _id(img.name))
    return found


def _cover(book: Book, config: Config, layout: Layout, problems: list[Problem]) -> Resource:
    if book.meta.cover is not None:
        configured = _configured_cover(book.meta.cover, config, problems)
        if configured:
            return configured
    gray = config.images.grayscale
    data = render_cover(book.meta, *COVER_SIZE, font_dirs=layout.font_dirs, grayscale=gray)
    return Resource("images/cover.png", data, "image/png", "cover-image", "cover-image")


def _configured_cover(path: Path, config: Config, problems: list[Problem]) -> Resource | None:
    shown = config.book.cover or str(path)
    try:
        checked = Roots.of(config.base).check(path)
        data = checked.read_bytes()
        with PILImage.open(io.BytesIO(data)) as im:
            im.load()
            kind = im.format or ""
            if kind not in IMAGE_TYPES:
                data, kind = _as_jpeg(im), "JPEG"
        if config.images.grayscale:
            data, kind = _gray(data, config)
    except (UnsafePathError, OSError, ValueError, PILImage.DecompressionBombError) as exc:
        problems.append(Problem(shown, f"cover image not used ({exc}); a cover was generated"))
        return None
    suffix = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif"}[kind]
    return Resource(f"images/cover{suffix}", data, IMAGE_TYPES[kind], "cover-image", "cover-image")


def _gray(data: bytes, config: Config) -> tuple[bytes, str]:
    """The cover in grey, converted as the book's other pictures are; its size kept."""
    settings = imageproc.Settings(
        max_long_side=None, grayscale=True, max_pixels=config.images.max_pixels
    )
    try:
        made = imageproc.process(data, settings)
    except imageproc.ImageError as exc:
        raise ValueError(str(exc)) from None
    return made.data or data, made.format


def _as_jpeg(im: PILImage.Image) -> bytes:
    out = io.BytesIO()
    im.convert("RGB").save(out, format="JPEG", quality=90)
    return out.getvalue()


def _image_size(data: bytes) -> tuple[int, int]:
    with PILImage.open(io.BytesIO(data)) as im:
        return im.size


# ---------------------------------------------------------------- packaging


def _package(book: Book, config: Config, layout: Layout, asm: Assembly, target: Path) -> dict:
    """Fonts, OPF, NCX and the zip; returns the sizes for the report."""
    entries: dict[str, bytes | Path] = {"mimetype": b"application/epub+zip"}
    entries["META-INF/container.xml"] = CONTAINER
    items: list[ManifestItem] = []
    for r in asm.resources:
        entries[PKG + r.href] = r.data
        items.append(ManifestItem(r.id, r.href, r.media_type, r.properties))
    for d in asm.docs:
        entries[PKG + d.href] = d.xhtml.encode("utf-8")
        items.append(ManifestItem(_doc_id(d), d.href, "application/xhtml+xml", d.properties))
    entries[PKG + "toc.ncx"] = ncx(book.meta, asm.points)
    items.append(ManifestItem("ncx", "toc.ncx", "application/x-dtbncx+xml"))
    package = Package(
        meta=book.meta,
        items=tuple(sorted(items, key=lambda i: i.href)),
        spine=tuple(_doc_id(d) for d in asm.docs if d.kind != "nav"),
        accessibility=accessibility(asm),
        rtl=config.epub.writing_mode == "vertical",
        embedded_fonts=any(r.media_type.startswith("font/") for r in asm.resources),
    )
    entries[PKG + "content.opf"] = opf(package)
    if package.embedded_fonts:
        entries["META-INF/com.apple.ibooks.display-options.xml"] = APPLE_DISPLAY_OPTIONS
    with atomic_path(target) as tmp:
        stored = write_epub_zip(tmp, entries, book.meta.modified)
    # As stored in the zip (fonts are deflated): the parts reported add up to the file.
    return {
        kind: sum(stored[PKG + r.href] for r in asm.resources if r.media_type.startswith(kind))
        for kind in ("image/", "font/")
    }


def _doc_id(doc: Doc) -> str:
    return "nav" if doc.kind == "nav" else _id(doc.href.removesuffix(".xhtml"))


def accessibility(asm: Assembly) -> dict[str, tuple[str, ...]]:
    """schema.org accessibility metadata that is true of this book."""
    modes = ("textual", "visual") if asm.has_images else ("textual",)
    sufficient = ("textual",) if asm.all_alt else ("textual,visual",)
    features = ["displayTransformability", "readingOrder", "structuralNavigation"]
    features.append("tableOfContents")
    features.append("ARIA")  # chapters, parts, contents and notes carry their DPUB-ARIA roles
    if asm.has_images and asm.all_alt:
        features.append("alternativeText")
    if asm.has_math:
        features.append("MathML")
    summary = (
        "Reflowable text that follows the reader's font size and colours, with a table of "
        "contents, chapters and articles as headings, and the reading order of the source."
    )
    if asm.has_images:
        summary += (
            " Every image has a text alternative."
            if asm.all_alt
            else " Some images have no text alternative."
        )
    return {
        "accessMode": modes,
        "accessModeSufficient": sufficient,
        "accessibilityFeature": tuple(features),
        # "none" would promise no flashing: an animated GIF's frames are nobody's to vouch for.
        "accessibilityHazard": (
            ("unknownFlashingHazard", "noMotionSimulationHazard", "noSoundHazard")
            if asm.has_animation
            else ("none",)
        ),
        "accessibilitySummary": (summary,),
    }


# ---------------------------------------------------------------- report


def _size_report(target: Path, sizes: dict) -> list[Problem]:
    total = target.stat().st_size
    mb = 1024 * 1024
    log.info(
        "%s: %.1f MB (images %.1f MB, fonts %.1f MB)",
        target.name,
        total / mb,
        sizes["image/"] / mb,
        sizes["font/"] / mb,
    )
    if total <= KINDLE_LIMIT:
        return []
    return [
        Problem(
            "",
            f"the EPUB is {total / mb:.0f} MB, over Send-to-Kindle's 50 MB: "
            "try --grayscale or a smaller [images] epub_max",
            "warning",
        )
    ]
