"""RenderedArticle <-> a verified cache entry, so an unchanged article is never rendered twice.

An entry is found by the article's source path and used only when all of these still hold:
- its key matches: the article itself (bytes-derived fields, slug, permalink…), every
  setting, the site, bookmaker's code and the libraries that shape the XHTML, and, for an
  article that uses Liquid includes, the include files (a VuePress or VitePress page's
  `@include`: its source folder's files);
- every in-book link it resolved resolves to the same target in this book (a link to an
  article that left the book, or a new article at a linked URL, re-renders it);
- every file it read (image originals, cached renditions) has the recorded size and mtime;
- its payload has the recorded checksum (a damaged or truncated entry is rebuilt).

Entries are JSON, never pickle: the cache folder is user-writable. Articles whose rendering
reported a problem are not stored, so their problems are found afresh (a missing image the
user has since added, a warning to repeat).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from . import __version__, atomic, docsites
from .config import SECTIONS, Config
from .model import Article, Heading, Image, RenderedArticle, Site

log = logging.getLogger(__name__)

FORMAT = 1  # bump when the entry layout changes
MAX_ENTRY_BYTES = 64 * 1024 * 1024
# What the HTML stage never reads: the backends' sections and which articles are chosen
# (an article leaving the book reaches the others through their recorded links).
NOT_HTML = ("chapters", "output", "epub", "pdf", "serve", "send")
SELECTION = ("since", "until", "tags", "categories", "drafts", "future", "include", "exclude")
# Distribution names (what importlib.metadata knows), not import names: pymdownx is
# "pymdown-extensions"; an unknown name would read "?" and never invalidate anything.
LIBRARIES = (
    "markdown", "pymdown-extensions", "pygments", "lxml", "opencc", "latex2mathml", "ziamath",
)  # fmt: skip


@dataclass(frozen=True)
class Deps:
    """What a rendering looked at besides the article and the settings."""

    links: tuple[tuple[str, str | None], ...] = ()  # (href, "slug#fragment" found, or None)
    files: tuple[tuple[str, int, int], ...] = ()  # (path, size, mtime_ns) of files read


class ArticleCache:
    """The article entries of one build: `load` what still holds, `store` what was rendered."""

    def __init__(self, folder: Path, config: Config, site: Site):
        self.folder = folder
        self.book_key = digest(
            str(FORMAT), code_version(), html_fingerprint(config), repr(site), repr(config.base)
        )
        self.includes = site.includes_dir
        # A VuePress or VitePress page may include any file of its source folder
        self.pages = site.content_dirs[0] if site.kind in docsites.KINDS else None

    def key(self, article: Article) -> str:
        parts = [self.book_key, repr(article)]
        if "include" in article.body:  # Liquid include files shape the text
            parts.append(repr(tree_stats(self.includes)))
            parts.append(repr(tree_stats(article.path.parent, recursive=False)))
        if self.pages and any(mark in article.body for mark in docsites.READS):
            parts.append(repr(page_stats(self.pages)))
        return digest(*parts)

    def path(self, article: Article) -> Path:
        name = hashlib.sha256(str(article.path).encode("utf-8")).hexdigest()
        return self.folder / name[:2] / f"{name}.json"

    def load(self, article: Article, links) -> RenderedArticle | None:
        """The cached rendering of `article` when every check passes, else None."""
        payload = read_entry(self.path(article))
        if payload is None or payload.get("key") != self.key(article):
            return None
        try:
            deps = _deps_from(payload["deps"])
            if not (_links_hold(deps, links, article) and _files_hold(deps)):
                return None
            return _rendered_from(payload, article)
        except (KeyError, TypeError, ValueError):
            log.debug("article cache entry for %s malformed: rebuilding it", article.rel)
            return None

    def store(self, rendered: RenderedArticle, deps: Deps) -> None:
        if rendered.problems:
            return
        article = rendered.article
        files = deps.files + tuple(file_stat(img.source) for img in rendered.images)
        if any(f is None for f in files):
            return
        payload = {"key": self.key(article), "deps": {"links": deps.links, "files": files}}
        payload.update(_rendered_to(rendered))
        write_entry(self.path(article), payload)


def write_entry(path: Path, payload: dict) -> None:
    """`<sha256 of the JSON>\\n<JSON>`, written atomically."""
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    atomic.write_cache(path, hashlib.sha256(data).hexdigest().encode() + b"\n" + data)


def read_entry(path: Path) -> dict | None:
    """The payload of a sound entry; None when missing, damaged or not ours."""
    try:
        if path.stat().st_size > MAX_ENTRY_BYTES:
            return None
        raw = path.read_bytes()
    except OSError:
        return None
    digest, _, data = raw.partition(b"\n")
    if hashlib.sha256(data).hexdigest().encode() != digest:
        log.debug("cache entry %s damaged (checksum): rebuilding it", path.name)
        return None
    try:
        payload = json.loads(data)
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None


def link_result(target) -> str | None:
    """What a link lookup found; the title too, which a link with no text shows."""
    return None if target is None else f"{target.slug}#{target.fragment}#{target.title}"


# ---- keys -------------------------------------------------------------------------------


def html_fingerprint(config: Config) -> str:
    """`Config.fingerprint()` less the settings rendering an article never reads, so
    narrowing the book (`--since`) or changing the page size keeps every entry."""
    parts = []
    for name in SECTIONS:
        if name in NOT_HTML:
            continue
        values = dataclasses.asdict(getattr(config, name))
        if name == "content":
            values = {k: v for k, v in values.items() if k not in SELECTION}
        parts.append(f"{name}={values!r}")
    return "\n".join(parts)


@cache
def code_version() -> str:
    """bookmaker's version, its own source files, and the libraries that shape the XHTML.

    The source files count (by size and mtime) so an edited checkout never reuses entries
    an older bookmaker made under the same version number.
    """
    from importlib import metadata

    package = Path(__file__).resolve().parent
    parts = [__version__, repr(tree_stats(package))]
    for name in LIBRARIES:
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=?")
    return digest(*parts)


def digest(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def tree_stats(folder: Path | None, recursive: bool = True) -> list:
    if folder is None or not folder.is_dir():
        return []
    found = []
    walk = os.walk(folder) if recursive else [(str(folder), [], os.listdir(folder))]
    for top, dirs, files in walk:
        dirs.sort()
        for name in sorted(files):
            if not name.endswith((".pyc", ".tmp")):
                found.append(file_stat(Path(top) / name))
    return found


def page_stats(folder: Path) -> list:
    """`tree_stats` of a site's source folder, without its hidden folders (`.vuepress/.temp`
    changes at every `dev` run) and node_modules."""
    found = []
    for top, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
        found.extend(file_stat(Path(top) / name) for name in sorted(files))
    return found


def file_stat(path: Path) -> tuple[str, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (str(path), st.st_size, st.st_mtime_ns)


# ---- checks -----------------------------------------------------------------------------


def _links_hold(deps: Deps, links, article: Article) -> bool:
    return all(link_result(links.find(href, article)) == found for href, found in deps.links)


def _files_hold(deps: Deps) -> bool:
    return all(file_stat(Path(path)) == (path, size, mtime) for path, size, mtime in deps.files)


# ---- JSON <-> objects -------------------------------------------------------------------


def _rendered_to(r: RenderedArticle) -> dict:
    return {
        "xhtml": r.xhtml,
        "lang": r.lang,
        "images": [[i.name, str(i.source), i.media_type, i.width, i.height] for i in r.images],
        "headings": [[h.level, h.id, h.text] for h in r.headings],
        "unlabelled": [list(u) for u in r.unlabelled],
    }


def _rendered_from(payload: dict, article: Article) -> RenderedArticle:
    images = tuple(
        Image(str(n), Path(s), str(m), int(w), int(h)) for n, s, m, w, h in payload["images"]
    )
    headings = tuple(Heading(int(lv), str(i), str(t)) for lv, i, t in payload["headings"])
    unlabelled = tuple(
        (str(n), str(w), None if line is None else int(line))
        for n, w, line in payload["unlabelled"]
    )
    rendered = RenderedArticle(article, str(payload["xhtml"]), str(payload["lang"]))
    return replace(rendered, images=images, headings=headings, unlabelled=unlabelled)


def _deps_from(raw: dict) -> Deps:
    links = tuple((str(h), None if f is None else str(f)) for h, f in raw["links"])
    files = tuple((str(p), int(s), int(m)) for p, s, m in raw["files"])
    return Deps(links, files)
