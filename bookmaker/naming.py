"""Names bookmaker makes up: the book's file stem, ASCII slugs. Never taken raw from input."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from .config import Config
from .errors import BookmakerError


def ascii_slug(text: str, fallback: str = "book") -> str:
    """Lower-case ASCII letters, digits and dashes; `fallback` when nothing is left."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:60].strip("-")
    return slug or fallback


def short_hash(data: bytes | str, n: int = 10) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:n]


def book_stem(config: Config) -> str:
    if config.output.name:
        return ascii_slug(config.output.name)
    title, slug_named = _book_title(config)
    # A pure-CJK title has no ASCII letters: the project's folder (`my-blog`, `jk`) names
    # the book then, and when that is no name either, a hash keeps two such books apart. (A
    # title's stray letters need three: `AI 周刊` is no `ai.epub`; a folder's name is chosen.)
    # A Zenn book's folder is its slug (zenn.dev/<you>/books/<slug>): its name before its title's.
    folder = ascii_slug(config.base.name, "")
    if slug_named and folder:
        return folder
    slug = ascii_slug(title, "")
    if len(slug) >= 3:
        return slug
    return folder or f"book-{short_hash(title, 8)}"


def _book_title(config: Config) -> tuple[str, bool]:
    """The title the book shows: `[book] title`, else the site's own (`_config.yml`…); and
    whether its folder is named as the book (a Zenn book's)."""
    if config.book.title:
        return config.book.title, False
    from . import site  # (site's detection reads the folder; naming needs it only here)

    try:
        found = site.detect(config)
    except (BookmakerError, OSError):
        return config.base.name, False  # no site here: build and list will say why
    return site.book_title(config, found), bool(found.chapter_files)
