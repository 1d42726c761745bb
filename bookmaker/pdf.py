"""Book -> a print-ready PDF (WeasyPrint): cover, title, contents, chapters, folios, outline.

The body is rendered first, in chunks and in parallel (`pdfchunks`); once every page is
known, the front matter is rendered with the real page numbers in its contents, and the
running heads and folios with the real chapter of each page; `pdfmerge` puts it together.
Single-document mode (`[pdf] chunk_pages = 0`) renders the body as one document in this
process and must give the same pages.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

from markupsafe import Markup
from PIL import Image as PILImage

from . import __version__, pdfcache, pdfchunks, pdfdoc, pdffonts, pdfmerge, pdfpictures, pdfstamps
from .atomic import atomic_path, scratch_dir, write_bytes
from .cache import cache_dir
from .cjk import own_language
from .config import Config
from .errors import ConfigError
from .layouts import Layout, load_layout
from .model import Book, BookMeta, Chapter, Problem, Written
from .pagesizes import PX_PER_MM, page_size, parse_length_mm
from .paths import Roots

log = logging.getLogger(__name__)

# custom.css: a project's own additions (layouts/default/custom.css), last so they win.
STYLESHEETS = ("base.css", "code.css", "typography-print.css", "print.css", "custom.css")
# CSS `local()` fonts reach WeasyPrint as file URLs into the system's font folders.
SYSTEM_FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
)
# The print HTML names the cache folder (image renditions, the generated cover) by this
# stable URL: WeasyPrint names images in the PDF by a hash of their URL, and `--no-cache`
# puts the cache in a new temporary folder each time (same input must give same bytes).
CACHE_URL = "file:///bookmaker-cache/"
PROJECT_URL = "file:///bookmaker-project/"
PDF_VERSION = "1.7"  # WeasyPrint 70's: the book is a new Pdf, not one of its files
FOLIOS_PER_JOB = 600  # stamp pages per worker job (an even number keeps sides right)
LABELS = {
    "zh-hant": {"contents": "目錄", "author": "作者：", "written": "寫作：", "made": "製作："},
    "zh": {"contents": "目录", "author": "作者：", "written": "写作：", "made": "制作："},
    "ja": {"contents": "目次", "author": "著者：", "written": "執筆：", "made": "制作："},
    "en": {"contents": "Contents", "author": "By ", "written": "Written ", "made": "Made "},
}


UNSUPPORTED_VARIANTS = {
    "pdf/ua-1": (
        "the PDF is rendered in parts and merged, which loses the tag structure PDF/UA"
        " requires, and WeasyPrint 70 does not mark running heads and page numbers as"
        " artifacts; use --pdf-variant pdf/a-3b or no variant"
    ),
}


def prepare(config: Config) -> None:
    """Called before the articles are rendered: what can start early, starts.

    The parts' fork server loads WeasyPrint meanwhile, then renders a page like the body's
    with this book's stylesheets (`forkwarm`), so that no part parses them again.
    """
    if config.pdf.chunk_pages > 0:
        pdfchunks.start_server(_warmup_job(config))


# The fork server's warm-up page (`prepare`): what every part sets, in the book's stylesheets.
WARMUP_BODY = (
    '<section class="opener chapter depth-0" id="bm-warm"><h1 class="chapter-title">一</h1>'
    '</section><article class="article first" id="warm" lang="zh-CN"><header '
    'class="article-head"><h2 class="article-title">标题</h2><p class="article-date">'
    '<time datetime="2000-01-01">2000年1月1日</time></p></header><p>正文，'
    '<span class="latin" lang="en">Latin</span> 2000 <strong>粗体</strong><em>强调</em>。'
    '<span class="footnote"><span>注。</span> </span></p><h3 id="warm-h">小节</h3>'
    "<pre><code>code</code></pre><table><tr><th>表</th></tr><tr><td>格</td></tr></table>"
    "</article>"
)


def _warmup_job(config: Config) -> pdfchunks.Job | None:
    try:
        layout = load_layout(config.base)
        epoch = datetime(2000, 1, 1, tzinfo=UTC)
        book = Book(BookMeta(config.book.title, config.book.language, "", epoch), (), ())
        ctx = _Context.create(book, config, layout)
        html = pdfdoc.document(
            layout, "body.html", book, ctx.assets, ctx.css(False), body=Markup(WARMUP_BODY)
        )
        return ctx.job("warm-up", html, Path(os.devnull))
    except Exception as exc:  # only a head start: the build itself reports what is wrong
        log.debug("no warm-up page for the PDF's renderer: %r", exc)
        return None


def write(book: Book, config: Config, layout: Layout, target: Path) -> Written:
    why = UNSUPPORTED_VARIANTS.get(config.pdf.variant)
    if why:  # a file that claims PDF/UA and fails it is worse than no file
        raise ConfigError(f"[pdf] variant {config.pdf.variant!r} is not supported: {why}")
    problems: list[Problem] = []
    if config.epub.writing_mode == "vertical":
        problems.append(
            Problem("", "vertical writing is EPUB-only: the PDF is set horizontally", "warning")
        )
    ctx = _Context.create(book, config, layout)
    tmp = scratch_dir("pdf")
    try:
        pdf, rendered = _build(ctx, tmp, problems)
        pages = len(pdf.pages)
        with atomic_path(target) as out:
            pdfmerge.save(pdf, out, content_id(book.meta, rendered), PDF_VERSION)
        pdf.close()
        log.info("%s: %d pages, %.1f MB", target.name, pages, target.stat().st_size / 2**20)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return Written((target,), tuple(dict.fromkeys(problems)))  # once each, in order


# print.css sets the text in pure black ink (DeviceCMYK); PDF/A allows a device colour
# only under an output intent of its kind, and WeasyPrint's is sRGB.
RGB_TEXT = "html { color: #1a1a1a; }\n"


class _Context:
    """Everything the rendering steps share for one book."""

    def __init__(self, book, config, layout, size, bleed, roots, assets):
        self.book, self.config, self.layout = book, config, layout
        self.size, self.bleed, self.roots, self.assets = size, bleed, roots, assets
        self.base_url = layout.dirs[0].as_uri() + "/"
        self.options = {"pdf_variant": config.pdf.variant or None, "pdf_identifier": b"bookmaker"}
        self.parts = pdfcache.PdfCache(cache_dir(config) / "pdf", (*layout.dirs, *layout.font_dirs))
        # WeasyPrint names each picture in the PDF after its URL: with the real folders in
        # them, the same book built from another checkout came out with other bytes.
        real = {CACHE_URL: cache_dir(config), PROJECT_URL: config.base}
        self.aliases = tuple(
            sorted(
                ((stable, pdfdoc.file_uri(path) + "/") for stable, path in real.items()),
                key=lambda alias: -len(alias[1]),  # the cache is usually inside the project
            )
        )

    @classmethod
    def create(cls, book: Book, config: Config, layout: Layout) -> _Context:
        size = page_size(config.pdf.page_size)
        bleed = parse_length_mm(config.pdf.bleed) if config.pdf.bleed else 0.0
        paths = [layout.find(n) for n in STYLESHEETS if _has(layout, n)]
        sheets = tuple(pdfdoc.file_uri(p) for p in paths)
        images = {name: pdfdoc.file_uri(p) for name, p in _renditions(book, config, size).items()}
        sources = [Path(u[len("file://") :]).parent for u in images.values()]
        system_fonts = [p for d in SYSTEM_FONT_DIRS if (p := Path(d).expanduser()).is_dir()]
        roots = Roots.of(
            config.base, *layout.dirs, *layout.font_dirs, *system_fonts, cache_dir(config),
            *sources, book.meta.cover,
        )  # fmt: skip
        house = house_classes(config)
        assets = pdfdoc.Assets(sheets, images, house, pdfdoc.latin_styled(paths))
        return cls(book, config, layout, size, bleed, roots, assets)

    def job(self, key: str, html: str, out: Path, time_limit: int = 0) -> pdfchunks.Job:
        roots = tuple(str(p) for p in self.roots.paths)
        limits = {
            "time_limit": time_limit or pdfchunks.TIME_LIMIT_S,
            "memory_mb": pdfchunks.MEMORY_LIMIT_MB,
        }
        for stable, real in self.aliases:
            html = html.replace(real, stable)
        return pdfchunks.Job(
            key, html, self.base_url, roots, str(out), self.options, **limits,
            aliases=self.aliases,
        )  # fmt: skip

    def css(self, marks: bool) -> str:
        page = pdfdoc.page_css(self.size, self.bleed, marks)
        rgb = RGB_TEXT if self.options["pdf_variant"] else ""
        return page + pdfdoc.margin_fonts(self.book.meta.language) + rgb


def _has(layout: Layout, name: str) -> bool:
    try:
        layout.find(name)
    except FileNotFoundError:
        return False
    return True


def _renditions(book: Book, config: Config, size) -> dict[str, Path]:
    """Every image as print wants it: 300 dpi across the text block at most, made in parallel."""
    from .images import pdf_renditions

    max_px = int(size.text_width / 25.4 * 300)
    made = pdf_renditions(book.images, config, max_px)
    return {img.name: Path(made.get(img.name, img.source)) for img in book.images}


# ---- the steps --------------------------------------------------------------------------


def _build(ctx: _Context, tmp: Path, problems: list[Problem]):
    blocks = pdfdoc.blocks(ctx.book, ctx.assets, ctx.config.pdf.link_footnotes, ctx.size)
    single = ctx.config.pdf.chunk_pages <= 0
    runs = pdfchunks.plan(blocks, ctx.config.pdf.chunk_pages)
    count = len(ctx.book.rendered)
    log.info(
        "pdf: rendering %d article%s in %d part(s)", count, "" if count == 1 else "s", len(runs)
    )
    parts = _render_body(ctx, runs, tmp, single, problems)
    shift_px = (ctx.size.inner - ctx.size.outer) * PX_PER_MM
    openers = set(_chapter_titles(ctx.book.chapters))
    pagination = pdfmerge.paginate([r.pages for _, r, _ in parts], openers, shift_px)
    anchors = pagination.anchors
    log.debug("pdf: %d body pages; rendering contents and folios", len(pagination.slots))
    stamps = folio_pages(ctx.book, pagination, parts)
    specimens = pdfstamps.plan(stamps)
    merged, (front, folios) = _merge_while(
        [Path(r.out) for _, r, _ in parts], pagination, tmp / "body.pdf", single,
        lambda: _render_front_and_folios(ctx, pagination, specimens, tmp, single, problems),
    )  # fmt: skip
    shift_pt = shift_px * pdfmerge.PT_PER_PX
    pdf = pdfmerge.assemble_body(merged, pagination, shift_pt)
    slugs = frozenset(r.article.slug for r in ctx.book.rendered)
    dropped = pdfmerge.link(pdf, 0, anchors, slugs)
    if not pdfstamps.stamp(pdf, 0, stamps, specimens, Path(folios[0].out)):
        folios = _render_folios(ctx, stamps, tmp, single, problems)
        pdfmerge.stamp_pages(pdf, 0, [Path(f.out) for f in folios])
    first_body = pdfmerge.prepend_front(pdf, Path(front.out))
    contents = list(pdf.pages)[:first_body]
    dropped += pdfmerge.link(pdf, first_body, anchors, slugs, contents)
    if dropped:
        log.info("pdf: %d in-book link(s) to left-out articles made plain text", dropped)
    rendered = [r for _, r, _ in parts] + [front, *folios]
    _share_fonts(ctx, pdf, rendered)
    saved = pdfpictures.share_pictures(pdf)
    if saved:
        log.debug("pdf: one copy of each picture several parts show saved %d KB", saved // 1024)
    pdfmerge.outline(pdf, first_body, outline_tree(ctx.book.chapters, ctx.book), anchors)
    pdfmerge.page_labels(pdf, first_body)
    pdfmerge.facing_pages(pdf)
    pdfmerge.metadata(pdf, ctx.book.meta, f"bookmaker {__version__}")
    return pdf, rendered


def content_id(meta: BookMeta, rendered: list[pdfchunks.Result]) -> bytes:
    """The PDF's /ID (16 bytes): a hash of what it is made of, the same for the same book.

    Every rendered part's file (hashed as it was rendered) and what the book adds itself
    (the metadata; the outline and the page labels follow from the parts). qpdf's
    deterministic /ID hashed the whole finished file instead: 0.5 s at 440 MB, serial.
    """
    made = hashlib.sha256(f"bookmaker {__version__}\n{replace(meta, cover=None)!r}".encode())
    for r in rendered:
        made.update(bytes.fromhex(r.sha256))
    return made.digest()[:16]


def _merge_while(parts: list[Path], pagination, into: Path, single: bool, meanwhile):
    """(`into`, `meanwhile()`): the body's pages copied into one file while the front renders.

    The copy runs in a process of its own: qpdf holds the GIL, and the front's workers
    would wait for this process to hand them their documents. `into` is None when no part
    kept a page.
    """
    selection = pdfmerge.page_selection(parts, pagination)
    if not selection:
        return None, meanwhile()
    if single:  # nothing renders in the background: one thing after the other
        pdfmerge.copy_pages(selection, str(into))
        _remove_copied(parts, into.parent)
        return into, meanwhile()
    copying = pdfchunks.in_background(pdfmerge.copy_pages, selection, str(into))
    try:
        side = meanwhile()
    except BaseException:
        copying.terminate()
        raise
    finally:
        copying.join()
    if copying.exitcode != 0:  # again here, where its error reaches the user
        pdfmerge.copy_pages(selection, str(into))
    _remove_copied(parts, into.parent)
    return into, side


def _remove_copied(parts: list[Path], tmp: Path) -> None:
    """Parts rendered into the temporary folder, once their pages are in the body's file:
    it then holds the body once, not twice (it may be in memory: tmpfs). Parts the cache
    gave stay where they are."""
    for path in parts:
        if path.is_relative_to(tmp):
            path.unlink(missing_ok=True)


def _share_fonts(ctx, pdf, results) -> None:
    faces = {}
    for r in results:
        faces.update(r.faces)
    saved = pdffonts.share_subsets(pdf, faces, ctx.layout.font_dirs)
    log.debug("pdf: one font subset per face instead of one per part saved %d KB", saved // 1024)


def _render_body(ctx, runs, tmp, single, problems) -> list:
    """[(starts_on_right, Result, blocks)] for every part rendered; failures reported."""
    jobs = [_body_job(ctx, run, tmp / f"body-{i}.pdf", f"body-{i}") for i, run in enumerate(runs)]
    results = _run(ctx, jobs, single, logging.INFO)  # the parts a user waits for
    parts = []
    for run, result in zip(runs, results, strict=True):
        _refusals(result, run, problems)
        if not result.error:
            parts.append((run[0].kind != "article", result, run))
            continue
        parts.extend(_retry(ctx, run, result, tmp, single, problems))
    return parts


def _body_job(ctx, run, out: Path, key: str, retry: bool = False) -> pdfchunks.Job:
    html = pdfdoc.body_html(ctx.layout, ctx.book, ctx.assets, ctx.css(False), run)
    limit = pdfchunks.time_budget(sum(b.pages for b in run), retry)
    return ctx.job(key, html, out, limit)


def _retry(ctx, run, failed, tmp, single, problems) -> list:
    """A part failed: render its pieces alone, leave out (and report) the ones that fail."""
    log.warning("pdf: %s failed (%s); rendering its articles one by one", failed.key, failed.error)
    pieces = pdfchunks.groups(run)
    if len(pieces) == 1:
        return _openers_alone(ctx, pieces[0], failed, tmp, single, problems)
    jobs = [
        _body_job(ctx, piece, tmp / f"{failed.key}-{i}.pdf", f"{failed.key}-{i}", retry=True)
        for i, piece in enumerate(pieces)
    ]
    out = []
    for piece, result in zip(pieces, _run(ctx, jobs, single), strict=True):
        if result.error:
            out.extend(_openers_alone(ctx, piece, result, tmp, single, problems))
        else:
            _refusals(result, piece, problems)
            out.append((piece[0].kind != "article", result, piece))
    return out


def _openers_alone(ctx, piece, failed, tmp, single, problems) -> list:
    """A piece failed: its articles are left out, its chapter openers still open chapters."""
    _left_out(piece, failed.error, problems)
    openers = [b for b in piece if b.kind != "article"]
    if not openers or len(openers) == len(piece):
        return []
    key = f"{failed.key}-openers"
    result = _run(ctx, [_body_job(ctx, openers, tmp / f"{key}.pdf", key)], single)[0]
    if result.error:  # no article in it: ours, so a failure is a bug
        raise RuntimeError(f"rendering the PDF's chapter opener {openers[0].title!r} failed")
    return [(True, result, openers)]


def _left_out(piece, error: str, problems: list[Problem]) -> None:
    for b in piece:
        if b.kind == "article":
            msg = f"left out of the PDF: rendering it failed ({error})"
            problems.append(Problem(b.path, msg))


def _refusals(result, run, problems: list[Problem]) -> None:
    seen = set()
    for url, reason in result.refused:
        if url in seen:
            continue
        seen.add(url)
        path = next((b.path for b in run if any(url == u or url.endswith(u) for u in b.urls)), "")
        shown = url if len(url) < 120 else url[:117] + "…"
        problems.append(Problem(path, f"not loaded in the PDF: {shown} ({reason})", "warning"))


def _run(
    ctx, jobs: list[pdfchunks.Job], single: bool, level: int = logging.DEBUG
) -> list[pdfchunks.Result]:
    if single:  # no cache: the files are hashed here (for `content_id`)
        results = [_hashed(pdfchunks.render_job(j, limits=False)) for j in jobs]
    else:  # only parts not rendered before
        results = ctx.parts.run(jobs, pdfchunks.render_all, level)
    for r in results:
        if r.seconds:
            log.debug("pdf: %s: %d pages in %.1f s", r.key, len(r.pages), r.seconds)
    return results


def _hashed(result: pdfchunks.Result) -> pdfchunks.Result:
    if result.error:
        return result
    with open(result.out, "rb") as f:
        return replace(result, sha256=hashlib.file_digest(f, "sha256").hexdigest())


def _render_front_and_folios(ctx, pagination, specimens, tmp, single, problems):
    """The front matter and the stamp specimens (`pdfstamps`), rendered side by side."""
    entries = toc_entries(ctx.book.chapters, ctx.book, pagination.anchors)
    front_html = pdfdoc.document(
        ctx.layout,
        "front.html",
        ctx.book,
        ctx.assets,
        ctx.css(True),
        entries=entries,
        cover=(cover := _cover(ctx, tmp, problems)),
        cover_size=_cover_size(cover, ctx.size, ctx.bleed),
        labels=_labels(ctx.book.meta.language),
        years=_years(ctx.book.meta),
    )
    jobs = [
        ctx.job("front", front_html, tmp / "front.pdf"),
        _folio_job(ctx, list(specimens.pages), "folio-specimens", tmp),
    ]
    results = _checked(_run(ctx, jobs, single), problems)
    return results[0], results[1:]


def _render_folios(ctx, pages: list[dict], tmp: Path, single, problems) -> list:
    """Every body page's stamp rendered as a page of its own (when specimens will not do)."""
    jobs = [
        _folio_job(ctx, pages[i : i + FOLIOS_PER_JOB], f"folios-{i}", tmp)
        for i in range(0, len(pages), FOLIOS_PER_JOB)
    ]
    return _checked(_run(ctx, jobs, single), problems)


def _folio_job(ctx, pages: list[dict], key: str, tmp: Path) -> pdfchunks.Job:
    html = pdfdoc.document(
        ctx.layout,
        "folios.html",
        ctx.book,
        ctx.assets,
        ctx.css(True) + pdfdoc.head_languages(pages),
        pages=pages,
    )
    return ctx.job(key, html, tmp / f"{key}.pdf")


def _checked(results: list, problems: list[Problem]) -> list:
    for r in results:
        if r.error:  # no article to leave out: these are ours, so a failure is a bug
            raise RuntimeError(f"rendering the PDF's {r.key} failed: {r.error}")
        _refusals(r, [], problems)
    return results


# ---- contents, heads, outline -----------------------------------------------------------


def toc_entries(chapters: tuple[Chapter, ...], book: Book, anchors: dict, depth: int = 0):
    langs = {r.article.slug: r.lang for r in book.rendered}  # (an article's, after OpenCC)
    out = []
    for ch in chapters:
        anchor = pdfdoc.chapter_anchor(ch)
        kind = "part" if ch.chapters and not ch.articles else "chapter"
        if anchor in anchors and ch.title:  # (`--chapters none`: one chapter, no title)
            out.append(_entry(kind, depth, ch.title, anchor, anchors))
        for a in ch.articles:
            if a.slug in anchors:
                entry = _entry("article", depth, a.title, a.slug, anchors)
                lang = own_language(langs.get(a.slug, ""), book.meta.language)
                out.append({**entry, "lang": lang})
        out.extend(toc_entries(ch.chapters, book, anchors, depth + 1))
    return out


def _entry(kind, depth, title, anchor, anchors) -> dict:
    page = anchors[anchor][0] + 1
    href = pdfdoc.ANCHOR_URL + anchor
    return {"kind": kind, "depth": depth, "title": title, "href": href, "page": page}


def outline_tree(chapters: tuple[Chapter, ...], book: Book) -> list:
    tree = []
    for ch in chapters:
        children = [(a.title, a.slug, []) for a in ch.articles]
        children += outline_tree(ch.chapters, book)
        if ch.title:
            tree.append((ch.title, pdfdoc.chapter_anchor(ch), children))
        else:  # an untitled chapter is no bookmark: its articles stand at the top
            tree.extend(children)
    return tree


def folio_pages(book: Book, pagination, parts) -> list[dict]:
    """Per body page: the running head, its language when not the book's, and the folio
    (none on openers and blank pages)."""
    langs = {r.article.slug: r.lang for r in book.rendered}  # (an article's, after OpenCC)
    titles = _head_titles(book.chapters, langs, book.meta.language)
    pages, current, seen = [], ("", ""), set()
    for n, slot in enumerate(pagination.slots, start=1):
        if slot.blank:
            pages.append({"head": "", "folio": ""})
            continue
        info = parts[slot.part][1].pages[slot.page]
        # (an article's id is on every page it runs over: the first one opens it)
        openers = [name for name, _, _ in info.anchors if name in titles and name not in seen]
        seen.update(openers)
        if openers:
            current = titles[openers[-1]]
        head, lang = ("", "") if openers else ((book.meta.title, "") if n % 2 == 0 else current)
        pages.append({"head": head, "folio": str(n), "lang": lang})
    return pages


def _chapter_titles(chapters, out=None) -> dict[str, str]:
    out = {} if out is None else out
    for ch in chapters:
        out[pdfdoc.chapter_anchor(ch)] = ch.title
        _chapter_titles(ch.chapters, out)
    return out


def _head_titles(chapters, langs: dict, book_lang: str, out=None) -> dict[str, tuple]:
    """Anchor -> (title, language) of what a right page's head names: its chapter, or, in
    an untitled chapter (a Zenn book's, a newsletter's issues), its article."""
    out = {} if out is None else out
    for ch in chapters:
        out[pdfdoc.chapter_anchor(ch)] = (ch.title, "")
        if not ch.title:
            for a in ch.articles:
                out[a.slug] = (a.title, own_language(langs.get(a.slug, ""), book_lang))
        _head_titles(ch.chapters, langs, book_lang, out)
    return out


def _labels(language: str) -> dict[str, str]:
    tag = language.lower()
    if tag.startswith(("zh-hant", "zh-tw", "zh-hk", "zh-mo")):
        return LABELS["zh-hant"]
    return LABELS.get(tag.split("-")[0], LABELS["en"])


def _years(meta) -> str:
    if not meta.first_date or not meta.last_date:
        return ""
    first, last = meta.first_date.year, meta.last_date.year
    return str(first) if first == last else f"{first}–{last}"


def _cover(ctx, tmp: Path, problems: list[Problem]) -> str:
    """The cover image's URI: the configured one, else the generated one, else none."""
    meta = ctx.book.meta
    gray = ctx.config.pdf.grayscale or ctx.config.images.grayscale
    if meta.cover is not None:
        if meta.cover.is_file():
            return pdfdoc.file_uri(_grey_cover(meta.cover, ctx, problems) if gray else meta.cover)
        problems.append(Problem("", f"cover image {meta.cover} not found", "warning"))
    try:
        from .cover import render_cover
    except ImportError:
        return ""
    width = int((ctx.size.width + 2 * ctx.bleed) / 25.4 * 300)
    height = int((ctx.size.height + 2 * ctx.bleed) / 25.4 * 300)
    path = cache_dir(ctx.config) / f"pdf-cover-{width}x{height}.png"
    data = render_cover(meta, width, height, ctx.layout.font_dirs, grayscale=gray)
    if not (path.is_file() and path.read_bytes() == data):  # unchanged: the front stays cached
        write_bytes(path, data)
    return pdfdoc.file_uri(path)


def _grey_cover(path: Path, ctx, problems: list[Problem]) -> Path:
    """The configured cover in grey for a grayscale book, as its pictures are greyed, kept in
    the cache by its content; the author's file is never touched."""
    from . import imageproc

    data = path.read_bytes()
    settings = imageproc.Settings(
        max_long_side=None, grayscale=True, max_pixels=ctx.config.images.max_pixels
    )
    try:
        made = imageproc.process(data, settings)
    except imageproc.ImageError as exc:
        problems.append(Problem(str(path), f"cover printed in colour: {exc}", "warning"))
        return path
    grey = made.data if made.data is not None else data
    key = hashlib.sha256(data).hexdigest()[:16]
    out = cache_dir(ctx.config) / f"pdf-cover-grey-{key}.{made.ext}"
    if not (out.is_file() and out.read_bytes() == grey):
        write_bytes(out, grey)
    return out


def _cover_size(uri: str, size, bleed: float) -> str:
    """The cover picture's CSS size: the page's, and with a bleed the bleed's too, so a
    print shop's trim never leaves a white edge on the cover (CSS would fit `cover` to the
    trimmed page). The picture keeps its proportions, cropped as `cover` crops it."""
    if not uri or not bleed:
        return "cover"
    with PILImage.open(Path(unquote(urlparse(uri).path))) as im:
        w, h = im.size
    scale = max((size.width + 2 * bleed) / w, (size.height + 2 * bleed) / h)
    return f"{w * scale:.2f}mm {h * scale:.2f}mm"


def house_classes(config: Config) -> str:
    """Body classes base.css keys the house style on (the same ones the EPUB sets)."""
    t = config.typography
    switches = (
        ("no-indent", not t.indent),
        ("no-justify", not t.justify),
        ("no-trim", not t.trim),
        ("no-compression", not t.compression),
    )
    return " ".join(name for name, off in switches if off)
