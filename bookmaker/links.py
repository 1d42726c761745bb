"""Links between articles -> in-book anchors; every id prefixed with its article's slug.

The index is built once per book from every article's permalink, aliases, file and
post name, and every note's name (Obsidian's `[[note]]`: nearest the root first; Zola's
`@/blog/post.md`: from the content folder). A link
to an article of the book becomes `#<slug>` (or `#<slug>-<id>`); a link to the same site
outside the book becomes absolute; anything else stays as written.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from . import dates, mdsource, zenn
from .model import Article, Collection, Site

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
PICTURE_FILE = re.compile(r"\.(?:png|jpe?g|gif|webp|avif|bmp|svg)(?:[?#].*)?$", re.I)
MARKERS = (
    "bookmaker-post:",
    "bookmaker-link:",
    "bookmaker-ref:",
    "bookmaker-note:",
    "bookmaker-postlink:",  # Hexo's post_link and post_path (hexotags.py)
    "bookmaker-postpath:",
)
# How the author wrote each marked link, for messages (`as_written`).
WRITTEN = {
    "bookmaker-post:": "{{% post_url {} %}}",
    "bookmaker-postlink:": "{{% post_link {} %}}",
    "bookmaker-postpath:": "{{% post_path {} %}}",
    "bookmaker-link:": "{{% link {} %}}",
    "bookmaker-ref:": '{{{{< ref "{}" >}}}}',
    "bookmaker-note:": "[[{}]]",
}
ZOLA_LINK = "@/"  # Zola's internal link: `@/blog/post.md#part`, a file under content/
PLAIN_ID = re.compile(r"^[A-Za-z0-9_.:-]+$")
ID_JUNK = re.compile(r"[^A-Za-z0-9_.-]+")
SLUG_JUNK = re.compile(r"[^\w\- ]", re.U)
ATX_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.M)


@dataclass(frozen=True)
class Target:
    slug: str
    fragment: str = ""
    title: str = ""  # the article's, for a link written with no text (Hexo's post_link)


@dataclass(frozen=True)
class LinkIndex:
    by_url: dict[str, str]  # normalised URL path -> slug
    by_file: dict[str, str]  # absolute source path -> slug
    by_name: dict[str, str]  # post name, Hugo ref path, bundle name -> slug
    site: Site
    titles: dict[str, str] = field(default_factory=dict)  # slug -> title
    by_note: dict[str, Article] = field(default_factory=dict)  # name, path, alias -> note
    headings: dict[str, frozenset[str]] = field(default_factory=dict)  # slug -> ids, as asked

    @classmethod
    def build(cls, collection: Collection) -> LinkIndex:
        site = collection.site
        by_url: dict[str, str] = {}
        by_file: dict[str, str] = {}
        by_name: dict[str, str] = {}
        titles: dict[str, str] = {}
        by_note: dict[str, Article] = {}
        for a in sorted(collection.articles(), key=_nearest_root):  # as Obsidian picks a note
            for name in _note_names(a, site):
                by_note.setdefault(name, a)
        for a in collection.articles():
            titles[a.slug] = a.title
            for url in (a.permalink, *a.aliases):
                if url:
                    by_url.setdefault(normalise_url_path(url, site.baseurl), a.slug)
            by_file.setdefault(str(a.path), a.slug)
            for name in _names(a, site):
                by_name.setdefault(name, a.slug)
        if site.kind == "hexo":  # Hexo's post_link falls back on a post's title
            for a in collection.articles():
                by_name.setdefault(_name_key(a.title), a.slug)
        return cls(by_url, by_file, by_name, site, titles, by_note)

    def find(self, href: str, article: Article) -> Target | None:
        """The in-book target of `href` written in `article`, or None."""
        target = self._find(href, article)
        return target and replace(target, title=self.titles.get(target.slug, ""))

    def _find(self, href: str, article: Article) -> Target | None:
        for marker in MARKERS:
            if href.startswith(marker):
                return self._marker(marker, href[len(marker) :], article)
        if href.startswith(ZOLA_LINK):
            return self._zola(href[len(ZOLA_LINK) :])
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            if not self.same_site(href):
                return None
        elif not parts.path:
            return None
        return self._by_path(parts.path, parts.fragment, article, bool(parts.netloc))

    def same_site(self, href: str) -> bool:
        parts = urlsplit(href)
        own = urlsplit(self.site.url)
        if not own.netloc or parts.scheme not in ("http", "https", ""):
            return False
        return _host(parts.netloc) == _host(own.netloc)

    def external(self, href: str, article: Article) -> str | None:
        """An absolute URL for a site link outside the book, or None when it cannot be made."""
        if any(href.startswith(m) for m in MARKERS):
            return None  # `bookmaker-post:` would pass for a scheme below
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("#"):
            return href
        if _is_markdown(parts.path):
            return None
        if not self.site.url:
            return None
        base = self.site.url.rstrip("/")
        if parts.path.startswith("/"):
            path = href
            if self.site.baseurl and not path.startswith(self.site.baseurl.rstrip("/") + "/"):
                path = self.site.baseurl.rstrip("/") + path
            return base + path
        if article.permalink:
            return urljoin(base + _with_baseurl(article.permalink, self.site.baseurl), href)
        return None

    def _marker(self, marker: str, ref: str, article: Article) -> Target | None:
        path, _, fragment = ref.strip().strip("\"'").partition("#")
        if marker == "bookmaker-note:":
            return self._note(unquote(path), unquote(fragment), article)
        if marker == "bookmaker-link:":
            slug = self.by_file.get(str((self.site.root / path.lstrip("/")).resolve()))
            if slug:
                return Target(slug, fragment)
        if marker == "bookmaker-ref:" and path and not path.startswith("/"):
            found = self._by_file(path, article)
            if found:
                return Target(found, fragment)
        if not path:  # `{{< ref "#section" >}}`: this article
            return Target(article.slug, fragment)
        key = _name_key(path)
        slug = self.by_name.get(key) or self.by_name.get(key.rsplit("/", 1)[-1])
        return Target(slug, fragment) if slug else None

    def _zola(self, ref: str) -> Target | None:
        path, _, fragment = ref.partition("#")
        for content in self.site.content_dirs:
            file = Path(posixpath.normpath(str(content / unquote(path))))
            if file.is_relative_to(content) and str(file) in self.by_file:
                return Target(self.by_file[str(file)], fragment)
        return None

    def _note(self, name: str, heading: str, article: Article) -> Target | None:
        """Obsidian's `[[name#heading]]`: a note by its name or its path in the vault, and
        the heading by its text, if the note has it (else the note itself)."""
        if not name:
            return Target(article.slug, heading_slug(heading) if heading else "")
        note = self.by_note.get(_name_key(name))
        if note is None:
            return None
        wanted = heading_slug(heading) if heading else ""
        return Target(note.slug, wanted if wanted in self._heading_ids(note) else "")

    def _heading_ids(self, note: Article) -> frozenset[str]:
        """The ids the `# headings` of `note` get (before their prefix), found once."""
        if note.slug not in self.headings:
            prose = (s.text for s in mdsource.segments(note.body) if not s.code)
            found = (m.group(1) for text in prose for m in ATX_HEADING.finditer(text))
            self.headings[note.slug] = frozenset(map(heading_slug, found))
        return self.headings[note.slug]

    def _by_path(self, path: str, fragment: str, article: Article, absolute: bool):
        path = unquote(path)
        if _is_markdown(path) and not absolute:
            slug = self._by_file(path, article)
            return Target(slug, fragment) if slug else None
        if not path.startswith("/"):
            if not article.permalink:
                return None
            path = urljoin(_with_baseurl(article.permalink, self.site.baseurl), path)
        path = zenn.article_path(self.site, path)  # zenn.dev/<user>/articles/<slug>
        slug = self.by_url.get(normalise_url_path(path, self.site.baseurl))
        return Target(slug, fragment) if slug else None

    def _by_file(self, path: str, article: Article) -> str | None:
        base = article.path.parent
        candidates = [base / path]
        if not _is_markdown(path):
            candidates += [base / (path + ".md"), base / path / "index.md"]
        for c in candidates:
            slug = self.by_file.get(str(Path(posixpath.normpath(str(c)))))
            if slug:
                return slug
        return None


def normalise_url_path(url: str, baseurl: str = "") -> str:
    """`/blog/2024/01/x/index.html` -> `/2024/01/x`: what two spellings of one page share."""
    path = unquote(urlsplit(url).path) or "/"
    if not path.startswith("/"):
        path = "/" + path
    base = baseurl.rstrip("/")
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base) :] or "/"
    for suffix in ("index.html", "index.htm", ".html", ".htm"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
            break
    path = posixpath.normpath(path) if path not in ("", "/") else "/"
    return path.rstrip("/").casefold() or "/"


def clean_id(value: str) -> str:
    """An id from an article -> ASCII safe in XML and URLs; non-ASCII ids become a hash."""
    value = unquote(value.strip())
    if PLAIN_ID.match(value):
        return ID_JUNK.sub("-", value).strip("-") or "x"
    return "u-" + hashlib.sha256(value.encode("utf-8")).hexdigest()[:10]


def heading_slug(text: str, separator: str = "-") -> str:
    """Python-Markdown's `toc` slugify, kramdown-like: `AI 换血` -> `ai-换血` (then clean_id)."""
    slug = SLUG_JUNK.sub("", text.strip().lower())
    return re.sub(r"[\s]+", separator, slug).strip(separator) or "section"


def prefix_ids(root: etree._Element, slug: str) -> dict[str, str]:
    """Give every id the prefix `<slug>-`, unique within the article; old id -> new id."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for el in root.iter():
        old = el.get("id") if isinstance(el.tag, str) else None
        if old is None:
            continue
        base = f"{slug}-{clean_id(old)}"
        new, n = base, 2
        while new in used:
            new, n = f"{base}-{n}", n + 1
        used.add(new)
        mapping.setdefault(old, new)
        el.set("id", new)
    return mapping


def _names(a: Article, site: Site) -> list[str]:
    stem = a.path.stem
    names = [_name_key(stem)]
    if site.kind == "hexo" and dates.NAME_DATE.match(stem):
        # Hexo's slug: the name as `new_post_name` (`:year-:month-:day-:title.md`) left it
        names.append(_name_key(dates.NAME_DATE.sub("", stem, count=1)))
    if stem in ("index", "_index"):
        names.append(_name_key(a.path.parent.name))
    for d in site.content_dirs:
        if a.path.is_relative_to(d):
            rel = a.path.relative_to(d).as_posix()
            names += [_name_key(rel), _name_key(rel.rsplit(".", 1)[0])]
            if stem in ("index", "_index"):
                names.append(_name_key(posixpath.dirname(rel)))
    return names


def _nearest_root(a: Article) -> tuple[int, str]:
    return len(a.path.parts), str(a.path)


def _note_names(a: Article, site: Site) -> list[str]:
    """`[[name]]`, `[[folder/name]]` (from the vault's root) and the note's `aliases`."""
    names = [_name_key(a.path.name)]
    for vault in (site.root, *site.content_dirs):
        if a.path.is_relative_to(vault):
            names.append(_name_key(a.path.relative_to(vault).as_posix()))
    return names + [_name_key(alias) for alias in a.aliases]


def _name_key(path: str) -> str:
    path = unquote(path).strip().strip("/").casefold()
    for suffix in MARKDOWN_SUFFIXES:
        path = path.removesuffix(suffix)
    return path.removesuffix("/index").removesuffix("/_index")


def is_picture(url: str) -> bool:
    """`url` names a picture file (`cat.png`, `…/a-full.jpg?w=2`), not a page."""
    return PICTURE_FILE.search(url) is not None


def _is_markdown(path: str) -> bool:
    return path.lower().endswith(MARKDOWN_SUFFIXES)


def _host(netloc: str) -> str:
    host = netloc.rsplit("@", 1)[-1].split(":", 1)[0].lower()
    return host.removeprefix("www.")


def _with_baseurl(permalink: str, baseurl: str) -> str:
    base = baseurl.rstrip("/")
    if base and not permalink.startswith(base + "/"):
        return base + permalink
    return permalink


def as_written(href: str) -> tuple[str, str]:
    """(`href` as the author wrote it, the text to look for in the article to find its line):
    `bookmaker-post:2020-01-01-x` -> `{% post_url 2020-01-01-x %}`."""
    for marker, template in WRITTEN.items():
        if href.startswith(marker):
            ref = href[len(marker) :]
            if marker == "bookmaker-note:":  # (escaped for the link; its `[[` finds the line)
                ref = unquote(ref)
                return template.format(ref), "[[" + ref
            return template.format(ref), ref
    return href, href
