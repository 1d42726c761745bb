"""Collection -> Book: every article through Markdown, then CJK typography; the book's metadata.

This is the HTML stage's driver. Both backends start from the Book it returns.
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime

from . import markdown, site, typography
from .config import Config
from .model import Book, BookMeta, Collection, Image, RenderedArticle

SEP = "\x1f"  # cannot occur in a title or a name
NAMESPACE = uuid.UUID("6f1c3a52-3f0e-4b7e-9a51-7d1f0a2b9c11")  # bookmaker's, fixed forever


def render_book(config: Config, collection: Collection) -> Book:
    context = markdown.RenderContext.create(config, collection)
    rendered = tuple(render_article(context, a) for a in collection.articles())
    problems = collection.problems + tuple(p for r in rendered for p in r.problems)
    return Book(
        meta=book_meta(config, collection),
        chapters=collection.chapters,
        rendered=rendered,
        problems=problems,
        images=unique_images(rendered),
    )


def render_article(context: markdown.RenderContext, article) -> RenderedArticle:
    r = markdown.render(article, context)
    xhtml, lang = typography.apply(r.xhtml, r.lang, context.config.typography)
    return replace(r, xhtml=xhtml, lang=lang)


def unique_images(rendered: tuple[RenderedArticle, ...]) -> tuple[Image, ...]:
    seen: dict[str, Image] = {}
    for r in rendered:
        for img in r.images:
            seen.setdefault(img.name, img)
    return tuple(seen[k] for k in sorted(seen))


def book_meta(config: Config, collection: Collection) -> BookMeta:
    b = config.book
    articles = collection.articles()
    dates = sorted(a.date for a in articles)
    title = site.book_title(config, collection.site)
    identifier = b.identifier or f"urn:uuid:{uuid.uuid5(NAMESPACE, title + SEP + b.author)}"
    tags = Counter(t for a in articles for t in a.tags)
    return BookMeta(
        title=title,
        subtitle=b.subtitle,
        author=b.author,
        author_file_as=b.author_file_as or b.author,
        language=b.language,
        identifier=identifier,
        modified=modified_time(dates[-1] if dates else None),
        publisher=b.publisher,
        description=b.description,
        rights=b.rights,
        cover=config.path(b.cover) if b.cover else None,
        subjects=tuple(t for t, _ in sorted(tags.items(), key=lambda kv: (-kv[1], kv[0]))[:8]),
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
    )


def modified_time(newest: datetime | None) -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else the newest article, in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    if newest is not None:
        return newest.astimezone(UTC).replace(microsecond=0)
    return datetime(2000, 1, 1, tzinfo=UTC)
