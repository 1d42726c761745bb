"""Collection -> Book: every article through Markdown, then CJK typography; the book's metadata.

This is the HTML stage's driver. Unchanged articles come from the article cache
(articlecache.py); the others are rendered here, or on every core when there are many
(parallel.py), always in book order. Both backends start from the Book it returns.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from . import booktitles, convert, images, links, markdown, site, typography
from .articlecache import ArticleCache, Deps, link_result
from .cache import cache_dir
from .config import Config
from .dates import zone
from .model import Article, Book, BookMeta, Chapter, Collection, Image, RenderedArticle
from .progress import Progress

log = logging.getLogger(__name__)

SEP = "\x1f"  # cannot occur in a title or a name
NAMESPACE = uuid.UUID("6f1c3a52-3f0e-4b7e-9a51-7d1f0a2b9c11")  # bookmaker's, fixed forever


def render_book(config: Config, collection: Collection, workers: int | None = None) -> Book:
    """The Book; `workers` = 1 renders in this process (None: as many as are worth it)."""
    collection = typeset_titles(config, collection)
    rendered = render_articles(config, collection, workers)
    problems = collection.problems + tuple(p for r in rendered for p in r.problems)
    return Book(
        meta=book_meta(config, collection),
        chapters=collection.chapters,
        rendered=rendered,
        problems=problems,
        images=unique_images(rendered),
        notes=collection.site.kind == "plain",
    )


def render_articles(
    config: Config, collection: Collection, workers: int | None = None
) -> tuple[RenderedArticle, ...]:
    articles = collection.articles()
    store = ArticleCache(cache_dir(config) / "articles", config, collection.site)
    index = links.LinkIndex.build(collection)
    found = {a.path: store.load(a, index) for a in articles}
    misses = [a for a in articles if found[a.path] is None]
    log.info("html: %s cached, %d to render", _articles(len(articles) - len(misses)), len(misses))
    for r in _render_misses(config, collection, misses, workers, store):
        found[r.article.path] = r
    return tuple(found[a.path] for a in articles)


def _articles(n: int) -> str:
    return f"{n} article" if n == 1 else f"{n} articles"


def _render_misses(
    config, collection, misses: list[Article], workers: int | None, store: ArticleCache
):
    """The misses rendered, each stored in the article cache (by the worker that made it)."""
    if not misses:
        return []
    from . import parallel

    image_store = images.ImageStore.create(config, collection.site)
    with Progress("images") as p:  # how many are new is known only as they are found
        p.advance(0)
        image_store.warm(misses, p.advance)  # on every core; workers then find them cached
    with Progress("rendering", len(misses)) as p:
        p.advance(0)
        if parallel.worth_it(len(misses), workers):
            entries = store.folder
            done = parallel.render_many(config, collection, misses, entries, workers, p.advance)
            if done is not None:
                return done
            p.done = 0
        context = markdown.RenderContext.create(config, collection, image_store)
        out = []
        for a in misses:
            rendered, deps = render_recorded(context, a)
            store.store(rendered, deps)
            out.append(rendered)
            p.advance()
        return out


def render_recorded(
    context: markdown.RenderContext, article: Article
) -> tuple[RenderedArticle, Deps]:
    """`render_article`, and what it looked at (links resolved, files read) for the cache."""
    seen_links = _Links(context.links)
    seen_images = _Images(context.images)
    recording = replace(context, links=seen_links, images=seen_images)
    rendered = render_article(recording, article)
    files = tuple(dict.fromkeys(s for s in map(_stat, seen_images.files) if s is not None))
    return rendered, Deps(tuple(dict.fromkeys(seen_links.found)), files)


def render_article(context: markdown.RenderContext, article) -> RenderedArticle:
    r = markdown.render(article, context)
    xhtml, lang = typography.apply(r.xhtml, r.lang, context.config.typography)
    return replace(r, xhtml=xhtml, lang=lang, problems=r.problems + booktitles.check(article, lang))


class _Links:
    """The book's link index, noting every in-book lookup and its answer."""

    def __init__(self, index: links.LinkIndex):
        self.index = index
        self.found: list[tuple[str, str | None]] = []

    def find(self, href: str, article: Article):
        target = self.index.find(href, article)
        self.found.append((href, link_result(target)))
        return target

    def __getattr__(self, name: str):
        return getattr(self.index, name)


class _Images:
    """The image store, noting every file an article's images were read from."""

    def __init__(self, store):
        self.store = store
        self.files: list[Path] = []

    def resolve(self, ref: str, article: Article, line: int | None = None):
        with_source = getattr(self.store, "resolve_with_source", None)
        if with_source is None:  # a store that cannot say (tests' fakes): nothing to check
            return self.store.resolve(ref, article, line)
        found, path = with_source(ref, article, line)
        if path is not None:
            self.files.append(path)
        return found

    def __getattr__(self, name: str):
        return getattr(self.store, name)


def _stat(path: Path) -> tuple[str, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (str(path), st.st_size, st.st_mtime_ns)


def unique_images(rendered: tuple[RenderedArticle, ...]) -> tuple[Image, ...]:
    seen: dict[str, Image] = {}
    for r in rendered:
        for img in r.images:
            seen.setdefault(img.name, img)
    return tuple(seen[k] for k in sorted(seen))


def typeset_titles(config: Config, collection: Collection) -> Collection:
    """Titles set as the text they head is set (headings, nav, contents, outline alike):
    converted with `[typography] convert`, their straight quotes paired."""
    settings, language = config.typography, book_language(config)
    # A byline that only repeats the book's author is not printed under every title
    book_author = (config.book.author or collection.site.author,)

    def article(a: Article) -> Article:
        title = typography.title_text(a.title, a.lang or language, settings)
        subtitle = typography.title_text(a.subtitle, a.lang or language, settings)
        authors = () if a.authors == book_author else a.authors
        if (title, subtitle, authors) == (a.title, a.subtitle, a.authors):
            return a
        return replace(a, title=title, subtitle=subtitle, authors=authors)

    def chapter(c: Chapter) -> Chapter:
        return replace(
            c,
            title=typography.title_text(c.title, language, settings),
            articles=tuple(map(article, c.articles)),
            chapters=tuple(map(chapter, c.chapters)),
        )

    return replace(collection, chapters=tuple(map(chapter, collection.chapters)))


def book_meta(config: Config, collection: Collection) -> BookMeta:
    b, site_ = config.book, collection.site
    articles = collection.articles()
    # (an undated article carries a stand-in date, 1970 when nothing is dated: not the book's)
    dates = sorted(a.date for a in articles if a.dated)
    title = site.book_title(config, site_)
    author = b.author or site_.author
    identifier = b.identifier or f"urn:uuid:{uuid.uuid5(NAMESPACE, title + SEP + author)}"
    tags = Counter(t for a in articles for t in a.tags)
    modified = modified_time(dates[-1] if dates else None)

    def text(value: str) -> str:  # the book's own words are set as its titles are
        return typography.title_text(value, book_language(config), config.typography)

    return BookMeta(
        title=text(title),
        # (the site's subtitle goes with the site's title, not with one the book names)
        subtitle=text(b.subtitle or ("" if b.title else site_.subtitle)),
        author=author,
        author_file_as=b.author_file_as or author,
        language=book_language(config),
        identifier=identifier,
        modified=modified,
        # The EPUB wants `modified` in UTC; a reader wants the day it was where the author is.
        # A book of undated issues has no such day: the title page names none.
        made=modified.astimezone(_zone(config)).date() if modified != NO_DATE else None,
        publisher=b.publisher,
        description=text(b.description or site_.description),
        rights=b.rights,
        cover=config.path(b.cover) if b.cover else site_.cover,
        subjects=tuple(t for t, _ in sorted(tags.items(), key=lambda kv: (-kv[1], kv[0]))[:8]),
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
    )


def _zone(config: Config) -> tzinfo:
    try:
        return zone(config.book.timezone)
    except ValueError:  # the collector has refused it already; only a caller's own Config
        return UTC


def book_language(config: Config) -> str:
    """`[book] language`, or the target of `[typography] convert`: the book is in that script."""
    if config.typography.convert:
        return convert.check(config.typography.convert)
    return config.book.language


NO_DATE = datetime(2000, 1, 1, tzinfo=UTC)  # (the EPUB must name some time: a fixed one)


def modified_time(newest: datetime | None) -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else the newest article, in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    if newest is not None:
        return newest.astimezone(UTC).replace(microsecond=0)
    return NO_DATE
