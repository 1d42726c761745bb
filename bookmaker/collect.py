"""Content folders -> a Collection: articles read, dated, filtered, ordered and put in chapters.

Bad input never stops the run: a file that cannot be read, parsed or dated becomes a
Problem naming its path and line, and everything else is still collected. Only bad
configuration raises (ConfigError). Bodies are not parsed here; each file is read once.
"""

from __future__ import annotations

import fnmatch
import logging
import os
import re
import stat
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

from . import (
    articleauthors,
    bylines,
    covers,
    dates,
    docsites,
    footers,
    front,
    grouping,
    hugopages,
    issues,
    notion,
    obsidian,
    textio,
    yuque,
    zenn,
    zennbook,
)
from . import site as sites
from .config import Config
from .errors import ConfigError, ContentError, UnsafePathError
from .model import Article, Collection, Problem, Site
from .naming import ascii_slug, short_hash
from .paths import Roots
from .progress import Progress

log = logging.getLogger(__name__)

EXTENSIONS = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")
NOT_ARTICLES = frozenset({"readme", "changelog", "license", "licence", "contributing", "todo"})
SKIP_DIRS = frozenset(
    {"_layouts", "_includes", "_templates", "templates", "archetypes", "layouts", "_site",
     "node_modules"}
)  # fmt: skip
MAX_ARTICLE_BYTES = 20 * 1024 * 1024
RESERVED = frozenset({"nav", "toc", "cover", "title", "titlepage", "colophon", "index", "style"})
# Hugo's publishDate, Astro's pubDate; a newsletter's Buttondown `publish_date`, Ghost's
# `published_at`.
DATE_KEYS = ("date", "publishdate", "pubdate", "publish_date", "published_at")
# Obsidian's and Typora's notes carry when they were written under these (front matter keys
# are read lower-cased); the day a note was created is the best date it has.
CREATED_KEYS = ("created", "date created", "date_created", "created_at")
_H1 = re.compile(r"^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}=+[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# Sites whose content/ holds sections, bundles and `post.en.md` translations, read alike.
SECTIONED = ("hugo", "zola")


@dataclass(frozen=True)
class _Entry:
    """An article before filtering, with what the filters and the ordering need to know."""

    article: Article
    draft: bool
    dated: bool
    name: str  # slug part of the file or bundle name
    meta_slug: str
    private: bool = False  # password-protected on the blog: left out like a draft
    hugo: hugopages.Page | None = None  # on a Hugo site: whether the site calls it a post
    expires: datetime | None = None  # Hugo's expiryDate: not published after it


@dataclass
class _Run:
    config: Config
    site: Site
    tz: tzinfo
    problems: list[Problem]
    skipped: list[tuple[str, str]]
    issues: frozenset[str] = frozenset()  # a newsletter's numbered issues: undated is fine
    sections: dict[str, str] = field(default_factory=dict)  # issue -> its README `## 2023`
    places: dict[str, int] = field(default_factory=dict)  # a book's chapter -> its place

    def problem(self, rel: str, message: str, level: str = "error", line: int | None = None):
        self.problems.append(Problem(rel, message, level, line))


def collect(config: Config, *, require_articles: bool = False) -> Collection:
    """Every article of the configured site, grouped and ordered; problems, never exceptions.

    No article at all is an error problem, so exit status 0 never hides a wrong folder, a
    filter that matches nothing or an archive of drafts; with `require_articles` (a build:
    no empty book) it is a ContentError instead.
    """
    site = sites.detect(config)
    run = _Run(config, site, _zone(config), [], [])
    since, until = _bound(config, "since"), _bound(config, "until")
    files = find_files(config, site, run.skipped)
    if site.kind == "plain" and not site.vault:  # (a vault's `Untitled 1.md` is no issue)
        run.issues = issues.series(rel for _, rel, _ in files)
        run.sections = issues.index_sections(site.root, run.issues)
    if site.chapter_files:  # a Zenn book: its chapters, undated, in its config.yaml's order
        files = _chapters(run, files)
    entries: list[_Entry] = []
    with Progress("collecting", len(files)) as progress:
        for path, rel, content_dir in files:
            entry = _read(run, path, rel, content_dir)
            if entry is not None:
                entries.append(entry)
            progress.advance()
    entries = _issues_alone(run, entries, files)
    if site.kind in SECTIONED:
        entries = _hugo_posts(run, entries)
    kept = [e for e in entries if _keep(run, e, since, until)]
    articles = _place_undated(run, _with_slugs(kept))
    if not config.content.footers:
        articles = footers.strip(articles, config.chapters.order == "newest")
    chapters = grouping.chapters(articles, config)
    if not articles:
        _nothing_to_build(run, require_articles)
    return Collection(site, chapters, tuple(run.problems), tuple(run.skipped))


def _chapters(run: _Run, files: list[tuple[Path, str, Path]]) -> list[tuple[Path, str, Path]]:
    files, missing = zennbook.pick(run.site, files, run.skipped)
    for name in missing:
        run.problem(zennbook.CONFIG, f"`chapters` names {name[:-3]}, but there is no {name}")
    run.issues = frozenset(rel for _, rel, _ in files)
    run.places = {rel: n for n, (_, rel, _) in enumerate(files)}
    return files


def _issues_alone(
    run: _Run, entries: list[_Entry], files: list[tuple[Path, str, Path]]
) -> list[_Entry]:
    """The entries again with the numbered files read as notes, not issues, when the folder
    has dated articles too: a blog's undated `notes/part-1.md`, `第1章.md` are no newsletter,
    and are skipped or reported as undated, as they always were."""
    if not run.issues or not any(e.dated and e.article.rel not in run.issues for e in entries):
        return entries
    again = run.issues - {e.article.rel for e in entries if e.dated}
    run.issues, run.sections = frozenset(), {}
    run.problems[:] = [p for p in run.problems if p.path not in again]  # (said again below)
    run.skipped[:] = [s for s in run.skipped if s[0] not in again]
    kept = [e for e in entries if e.article.rel not in again]
    reread = (_read(run, path, rel, folder) for path, rel, folder in files if rel in again)
    return kept + [e for e in reread if e is not None]


def _file(path: Path, content_dir: Path) -> str:
    return Path(os.path.relpath(path, content_dir)).as_posix()


def _undated_kind(run: _Run, rel: str, parsed, byline) -> bool:
    """Whether a file with neither front matter nor a dated name is an article all the same:
    dated under its title, a newsletter's issue, a Yuque document (asked last: it reads the
    whole text, and only these files need it)."""
    if byline is not None or rel in run.issues:
        return True
    return run.site.kind == "plain" and yuque.exported(parsed.body)


def _nothing_to_build(run: _Run, require_articles: bool) -> None:
    where = ", ".join(_rel(run.config.base, d) for d in run.site.content_dirs) or "."
    # "draft (use --drafts …)", "dated in the future, 2099-01-01 (…)": count by the first words
    reasons: dict[str, int] = {}
    for _, why in run.skipped:
        key = re.split(r" \(|, ", why, maxsplit=1)[0]
        reasons[key] = reasons.get(key, 0) + 1
    parts = [f"{why}: {n}" for why, n in sorted(reasons.items(), key=lambda r: (-r[1], r[0]))]
    errors = sum(p.level == "error" for p in run.problems)
    if errors:
        parts.append(f"left out with errors: {errors}")
    detail = f" ({'; '.join(parts)})" if parts else ""
    message = f"no articles to make a book of{detail}; `bookmaker list -v` shows every file"
    if not require_articles:
        # Errors already explain an empty book and fail the run; this names the rest.
        if not errors:
            run.problem(where, message)
        return
    for p in run.problems:  # the reasons, before the one line that ends the run
        log.error("%s", p)
    raise ContentError(where, message)


def _zone(config: Config) -> tzinfo:
    try:
        return dates.zone(config.book.timezone)
    except ValueError as exc:
        raise ConfigError(f"{config.file or 'command line'}: [book] timezone: {exc}") from None


def _bound(config: Config, key: str) -> date | None:
    value = getattr(config.content, key)
    if not value:
        return None
    try:
        return dates.day(value)
    except ValueError as exc:
        raise ConfigError(f"{config.file or 'command line'}: [content] {key}: {exc}") from None


# -- finding files ---------------------------------------------------------------------------


def find_files(
    config: Config, site: Site, skipped: list[tuple[str, str]]
) -> list[tuple[Path, str, Path]]:
    """(path, project-relative posix path, its content dir) of every candidate, sorted."""
    seen: set[str] = set()
    found: list[tuple[Path, str, Path]] = []
    for content_dir in site.content_dirs:
        prefix = _rel(config.base, content_dir)
        prefix = "" if prefix == "." else prefix + "/"
        for folder, name, inner in _walk(content_dir, _extensions(site)):
            rel = prefix + inner
            if rel in seen:
                continue
            seen.add(rel)
            why = _not_article(config, name, inner, rel, site)
            if why:
                skipped.append((rel, why))
            else:
                found.append((Path(folder, name), rel, content_dir))
    found.sort(key=lambda f: f[1])
    return found


def _extensions(site: Site) -> tuple[str, ...]:
    # Docusaurus' posts are MDX as often as Markdown (VuePress' and VitePress' never are)
    return (*EXTENSIONS, ".mdx") if site.kind == "docusaurus" else EXTENSIONS


def _walk(top: Path, extensions: tuple[str, ...] = EXTENSIONS):
    """(folder, file name, posix path under `top`) of every Markdown file, in a stable order."""
    for folder, subdirs, files in os.walk(top):
        # (lower case: Obsidian's own template folder is `Templates/`)
        subdirs[:] = sorted(
            d for d in subdirs if not d.startswith(".") and d.lower() not in SKIP_DIRS
        )
        under = os.path.relpath(folder, top).replace(os.sep, "/")
        under = "" if under == "." else under + "/"
        for name in sorted(files):
            if name.lower().endswith(extensions) and not name.startswith("."):
                yield folder, name, under + name


def _rel(base: Path, path: Path) -> str:
    rel = Path(os.path.relpath(path, base)).as_posix()
    # A sibling folder reads well as `../site/x.md`; `../../../home/me/blog/x.md` does not.
    return path.as_posix() if rel.startswith("../../") else rel


def _not_article(config: Config, name: str, inner: str, rel: str, site: Site) -> str:
    """Why a file is not an article ("" when it may be one), judged by its name alone."""
    stem = name.rsplit(".", 1)[0].lower()
    if stem in NOT_ARTICLES and not docsites.is_index(site, stem):
        return "not an article (README and the like)"
    if stem == "_index":
        return "section page (_index.md)"
    c = config.content
    if c.include and not any(_matches(p, inner, rel) for p in c.include):
        return "not matched by [content] include"
    for pattern in c.exclude:
        if _matches(pattern, inner, rel):
            return f"excluded by [content] exclude {pattern!r}"
    return ""


def _matches(pattern: str, *paths: str) -> bool:
    # fnmatch's `*` also crosses `/`; `**/x` should also match `x` at the top.
    variants = {pattern, pattern.replace("**/", "")}
    return any(fnmatch.fnmatchcase(p, v) for p in paths for v in variants)


# -- reading one article ---------------------------------------------------------------------


def _read(run: _Run, path: Path, rel: str, content_dir: Path) -> _Entry | None:
    try:
        return _parse(run, path, rel, content_dir)
    except ContentError as exc:
        run.problem(rel, exc.message, "error", exc.line)
    except textio.DecodeRefused as exc:
        run.problem(rel, str(exc))
    except OSError as exc:
        run.problem(rel, f"cannot read it: {exc.strerror or exc}")
    return None


def _parse(run: _Run, path: Path, rel: str, content_dir: Path) -> _Entry | None:
    _check_file(run, path, rel)
    decoded = textio.read_text(path, run.config.content.encoding)
    for line, message in decoded.warnings:
        run.problem(rel, message, "warning", line)
    parsed = front.split(decoded.text, rel)
    if run.site.kind == "plain":  # a Notion export's page: its properties are its front matter
        parsed = notion.read(parsed, path.stem)
    for line, message in parsed.warnings:
        run.problem(rel, message, "warning", line)
    meta = _taxonomies({str(k).lower(): v for k, v in parsed.meta.items()})
    lines = {str(k).lower(): v for k, v in parsed.lines.items()}
    if run.site.chapter_files:
        meta = zennbook.front_matter(meta, path, content_dir)
    elif run.site.kind in zenn.KINDS:
        meta, lines = zenn.front_matter(run.site.kind, meta, lines, path, content_dir)
    stem, language = _stem(run.site, path)
    name_part, name_date = _name(path, stem, run.tz)
    byline = bylines.find(parsed.body, run.tz) if name_date is None else None
    if not parsed.kind and name_date is None and not _undated_kind(run, rel, parsed, byline):
        run.skipped.append((rel, "no front matter and no date in its name"))
        return None
    if run.site.kind == "hugo":
        unpublished = hugopages.unpublished(meta)
    else:
        unpublished = docsites.unlisted(run.site, meta)
    if unpublished:
        run.skipped.append((rel, unpublished))
        return None
    when = _date(run, rel, meta, lines, name_date) or docsites.folder_date(run.site, path, run.tz)
    subtitle = _text(meta.get("subtitle"))
    if when is None and byline is not None:  # a date written under the title (bylines.py)
        opening, body = bylines.subtitle(parsed.body, run.tz)
        when, parsed = byline[0], replace(parsed, body=bylines.find(body, run.tz)[1])
        subtitle = subtitle or opening
    if when is None and run.site.kind in docsites.KINDS and run.config.content.undated != "end":
        # A documentation site's guide, about or links page: its blog lists the dated ones
        run.skipped.append((rel, "a page of the site, not a dated post (--undated end keeps it)"))
        return None
    if when and run.site.kind == "jekyll":
        # Jekyll reads every date into the site's zone: its day, its permalink.
        when = when.astimezone(run.tz)
    title, body, body_line = _title(run, rel, meta, lines, parsed, name_part)
    title = title or _name_title(run, meta, name_part, name_date)
    folder_categories = (
        _folder_categories(path, content_dir, run.site.root) if run.site.kind == "jekyll" else ()
    )  # (Hexo's source/_posts would make every post's category "source")
    own = _words(meta.get("categories")) + _words(meta.get("category"))
    categories = _unique(folder_categories + own + _subfolders(path, content_dir))
    if rel in run.sections:
        categories = _unique((*categories, run.sections[rel]))
    draft = _is_draft(meta, path, content_dir)
    # hexo-blog-encrypt's `password:`: a post the author shows only to whom they tell it
    private = bool(str(meta.get("password") or "").strip()) or docsites.private(run.site, meta)
    when_or_epoch = when or datetime(1970, 1, 1, tzinfo=UTC)
    meta_slug = _text(meta.get("slug"))
    page = {
        "date": when_or_epoch,
        "name": name_part,
        "slug": meta_slug or None,
        "title": title,
        "categories": _unique(folder_categories + own),
        "section": _section(path, stem, content_dir),
        "path": _text(meta.get("path")) if run.site.kind == "zola" else "",
        "abbrlink": _text(meta.get("abbrlink")),  # hexo-abbrlink's `posts/:abbrlink/`
        # (a doc site's URL is its file's path: no other site needs it worked out)
        "file": _file(path, content_dir) if run.site.kind in docsites.KINDS else "",
    }
    explicit = _text(meta.get("permalink")) or _text(meta.get("url"))
    article = Article(
        path=path,
        rel=rel,
        title=title,
        subtitle=" ".join(subtitle.split()),
        authors=articleauthors.names(run.site, meta),
        date=when_or_epoch,
        body=body,
        body_line=body_line,
        slug="",
        tags=_unique(_words(meta.get("tags")) + _words(meta.get("tag")) + _inline_tags(run, body)),
        categories=categories,
        lang=_text(meta.get("lang")) or _text(meta.get("language")) or None,
        permalink=_explicit(explicit, run.site, page)
        or (sites.permalink(run.site, page) if when else None),
        aliases=_unique(_words(meta.get("aliases")) + _words(meta.get("redirect_from"))),
        description=_text(meta.get("description")) or _text(meta.get("summary")) or None,
        cover=covers.find(meta, lines) if run.config.images.covers else None,
        media_base=_text(meta.get("media_subpath")) or _text(meta.get("img_path")),
        root_base=_text(meta.get("typora-root-url")),
    )
    entry = _Entry(article, draft, when is not None, name_part, meta_slug, private)
    if run.site.kind not in SECTIONED:
        return entry
    key = rel[: len(rel) - len(path.name)] + stem + path.suffix
    hugo = hugopages.page(rel, meta, page["section"], key, language, entry.dated and not draft)
    return replace(entry, hugo=hugo, expires=_expiry(run, rel, meta, lines))


def _expiry(run: _Run, rel: str, meta: dict, lines: dict) -> datetime | None:
    """When Hugo stops publishing the page (`expiryDate`), unless the site builds expired ones."""
    if run.site.build_expired:
        return None
    for key in hugopages.EXPIRY_KEYS:
        if meta.get(key) not in (None, ""):
            try:
                return dates.parse(meta[key], run.tz)
            except ValueError as exc:
                run.problem(rel, f"{exc}; expiryDate ignored", "warning", lines.get(key))
    return None


def _hugo_posts(run: _Run, entries: list[_Entry]) -> list[_Entry]:
    """The site's posts in its own language: pages and translations are skipped, with why."""
    by_section = not run.config.content.dirs  # folders chosen in bookmaker.toml: all count
    pages = [e.hugo for e in entries if e.hugo is not None]
    why = hugopages.left_out(run.site, pages, by_section)
    run.skipped.extend((e.article.rel, why[e.article.rel]) for e in entries if e.article.rel in why)
    return [e for e in entries if e.article.rel not in why]


def _check_file(run: _Run, path: Path, rel: str) -> None:
    """Symlinks must stay inside the site; nothing absurdly large is read."""
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        try:
            Roots.of(*run.site.content_dirs, run.site.root).check(path, MAX_ARTICLE_BYTES)
        except UnsafePathError as exc:
            raise ContentError(rel, f"left out: {exc}") from None
    elif info.st_size > MAX_ARTICLE_BYTES:
        raise ContentError(rel, f"left out: larger than {MAX_ARTICLE_BYTES // 2**20} MB")


def _stem(site: Site, path: Path) -> tuple[str, str]:
    """The file's name without its extension, and without Hugo's language (`post.en.md`)."""
    if site.kind in SECTIONED:
        return hugopages.split_language(site, path.stem)
    if docsites.is_index(site, path.stem.lower()):
        return "index", ""  # a VuePress folder's README.md: the post is named by its folder
    return (notion.name(path.stem) if site.kind == "plain" else path.stem), ""


def _name(path: Path, stem: str, tz: tzinfo) -> tuple[str, datetime | None]:
    """The slug part of the name and its date; a bundle (`x/index.md`) is named by its folder."""
    if stem.lower() == "index" and path.parent.name:
        stem = path.parent.name
    when = dates.from_name(stem, tz)
    if when is None:
        return stem, None
    rest = dates.NAME_DATE.sub("", stem, count=1)
    return rest or stem, when


def _date(run: _Run, rel: str, meta: dict, lines: dict, name_date: datetime | None):
    """`date` (or Hugo's publishDate), else the file name's, else when the note was created."""
    found = _first_date(run, rel, meta, lines, DATE_KEYS)
    return found or name_date or _first_date(run, rel, meta, lines, CREATED_KEYS)


def _first_date(run: _Run, rel: str, meta: dict, lines: dict, keys: tuple[str, ...]):
    for key in keys:
        value = meta.get(key)
        if value not in (None, ""):
            try:
                return dates.parse(value, run.tz)
            except ValueError as exc:
                raise ContentError(rel, str(exc), lines.get(key)) from None
    return None


def _title(run: _Run, rel: str, meta: dict, lines: dict, parsed: front.Front, name: str):
    """Title, body and body line: front matter, else the first `# heading`, else ""."""
    value = meta.get("title")
    if value is None:  # a newsletter's email: Buttondown's `subject`
        value = meta.get("subject")
    if isinstance(value, dict | list):
        run.problem(rel, "`title` must be text; using the file name", "warning", lines.get("title"))
        value = None
    title = " ".join(str(value).split()) if value is not None else ""
    if title:
        # A body that repeats the title as its first heading would show it twice.
        heading = _heading(parsed.body[:4096], parsed.body_line, first_only=True)
        if heading and heading[0] == title:
            rest = parsed.body.split("\n")[heading[2] - parsed.body_line :]
            return title, "\n".join(rest), heading[2]
        return title, parsed.body, parsed.body_line
    heading = _heading(parsed.body, parsed.body_line)
    if heading:
        return heading[0], heading[1], heading[2]
    return "", parsed.body, parsed.body_line


def _name_title(run: _Run, meta: dict, name: str, name_date: datetime | None) -> str:
    """A title from the file's name, for a file that gives none."""
    if name_date is not None and not dates.NAME_DATE.sub("", name, count=1):
        # A daily note (`2024-08-08.md`): headed as a diary heads its days, in the book's words.
        language = _text(meta.get("lang")) or run.config.book.language
        return grouping.day_title(name_date, language)
    words = [w for w in re.split(r"[-_\s]+", name) if w]
    if run.site.kind == "jekyll":  # Jekyll shows `my-first-post` as "My First Post"
        words = [w.capitalize() for w in words]
    return " ".join(words) or name


def _heading(body: str, body_line: int, first_only: bool = False):
    """(title, body without it, body line, whether it came first) for the first level-1 heading.

    With `first_only`, only a heading that opens the body counts.
    """
    lines = body.split("\n")
    fence = ""
    first = True
    for i, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened[1].startswith(fence):
                fence = ""
            continue
        if opened:
            if first_only:
                return None
            fence, first = opened[1], False
            continue
        text = _heading_text(lines, i)
        if text:
            if first:
                skip = i + (2 if _SETEXT.match(lines[i + 1] if i + 1 < len(lines) else "") else 1)
                return text, "\n".join(lines[skip:]), body_line + skip, True
            # Blank the line rather than delete it, so later lines keep their numbers.
            return text, "\n".join([*lines[:i], "", *lines[i + 1 :]]), body_line, False
        if line.strip():
            if first_only:
                return None
            first = False
    return None


def _heading_text(lines: list[str], i: int) -> str:
    found = _H1.match(lines[i])
    if found:
        return found[1].strip()
    underlined = i + 1 < len(lines) and lines[i].strip() and _SETEXT.match(lines[i + 1])
    if underlined and (i == 0 or not lines[i - 1].strip()):
        return lines[i].strip()
    return ""


def _inline_tags(run: _Run, body: str) -> tuple[str, ...]:
    """In an Obsidian vault, `#tags` written in the text are the note's tags too."""
    return obsidian.inline_tags(body) if run.site.vault else ()


def _is_draft(meta: dict, path: Path, content_dir: Path) -> bool:
    if "_drafts" in path.parts or content_dir.name == "_drafts":
        return True
    # (`status: draft`: Buttondown's, Ghost's and WordPress exports' unsent or unpublished)
    status = str(meta.get("status") or "").strip().lower()
    return (
        _truthy(meta.get("draft"))
        or meta.get("published") in (False, "false", "no")
        or status == "draft"
    )


def _truthy(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.lower() in ("true", "yes"))


def _folder_categories(path: Path, content_dir: Path, root: Path) -> tuple[str, ...]:
    """Jekyll's categories from folders: those above `_posts/` (Jekyll's own rule)."""
    if content_dir.name not in ("_posts", "_drafts"):
        return ()
    above = Path(os.path.relpath(content_dir.parent, root)).parts
    return tuple(p for p in above if p not in (".", ".."))


def _subfolders(path: Path, content_dir: Path) -> tuple[str, ...]:
    """Folders inside `_posts/` (`_posts/travel/x.md`): categories for grouping, not URLs."""
    if content_dir.name not in ("_posts", "_drafts"):
        return ()
    return tuple(p for p in Path(os.path.relpath(path.parent, content_dir)).parts if p != ".")


def _section(path: Path, stem: str, content_dir: Path) -> str:
    folder = path.parent.parent if stem.lower() == "index" else path.parent
    rel = Path(os.path.relpath(folder, content_dir)).as_posix()
    return "" if rel == "." else rel


def _explicit(value: str, site: Site, page: dict) -> str | None:
    if not value:
        return None
    if ":" in value and site.kind in ("jekyll", "hugo") and "://" not in value:
        return sites._fill(value, sites._jekyll_tokens(page))
    return value


def _words(value: object) -> tuple[str, ...]:
    """Tags as blogs write them: a list, or one string split at commas (else at spaces)."""
    if value is None or value == "":
        return ()
    if isinstance(value, list | tuple):
        # Hexo nests lists for a hierarchy: categories: [[旅行, 日本], 随笔]
        flat = [w for v in value for w in (v if isinstance(v, list | tuple) else (v,))]
        return tuple(" ".join(str(v).split()) for v in flat if v is not None and str(v).strip())
    text = str(value)
    parts = text.split(",") if "," in text or "，" in text else text.split()
    parts = [p for chunk in parts for p in chunk.split("，")]
    return tuple(p.strip() for p in parts if p.strip())


def _taxonomies(meta: dict) -> dict:
    """Zola keeps a page's tags and categories in its `[taxonomies]` table."""
    table = meta.get("taxonomies")
    if not isinstance(table, dict):
        return meta
    return {k: v for k, v in table.items() if k in ("tags", "categories")} | meta


def _unique(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _text(value: object) -> str:
    return str(value).strip() if isinstance(value, str | int | float) and value is not True else ""


# -- selecting, naming and ordering ----------------------------------------------------------


def _keep(run: _Run, entry: _Entry, since: date | None, until: date | None) -> bool:
    a, c = entry.article, run.config.content
    why = ""
    if entry.draft and not c.drafts:
        why = "draft (use --drafts to include it)"
    elif entry.private and not c.drafts:
        why = "password-protected on the blog (use --drafts to include it)"
    elif entry.expires and entry.expires <= datetime.now(UTC) and not c.drafts:
        why = f"expired, {entry.expires.date()} (Hugo's expiryDate; use --drafts to include it)"
    elif entry.dated and a.date > datetime.now(UTC) and not c.future:
        why = f"dated in the future, {a.date.date()} (use --future to include it)"
    elif c.tags and not _overlap(a.tags, c.tags):
        why = "none of the chosen tags"
    elif c.categories and not _overlap(a.categories, c.categories):
        why = "none of the chosen categories"
    elif entry.dated and since and a.date.astimezone(run.tz).date() < since:
        why = f"before {since}"
    elif entry.dated and until and a.date.astimezone(run.tz).date() > until:
        why = f"after {until}"
    elif not entry.dated and not _undated_ok(run, entry):
        return False
    if why:
        run.skipped.append((a.rel, why))
    return not why


def _undated_ok(run: _Run, entry: _Entry) -> bool:
    rel = entry.article.rel
    if rel in run.issues:  # its number says where it goes
        return True
    if entry.draft or run.config.content.undated == "end":
        run.problem(rel, "no date; placed at the end of the book", "warning")
        return True
    run.problem(
        rel,
        zenn.NO_DATE
        if run.site.kind == "zenn"
        else "no date: add `date: YYYY-MM-DD` to its front matter or name the file "
        "YYYY-MM-DD-title.md (or use --undated=end)",
    )
    return False


def _overlap(have: tuple[str, ...], wanted: tuple[str, ...]) -> bool:
    return bool({h.casefold() for h in have} & {w.casefold() for w in wanted})


def _with_slugs(entries: list[_Entry]) -> list[_Entry]:
    """ASCII slugs, unique in the book, given in path order so they do not depend on dates."""
    taken: set[str] = set()
    out = []
    for e in sorted(entries, key=lambda e: e.article.rel):
        slug = _slug(e)
        unique, n = slug, 2
        while unique in taken:
            unique, n = f"{slug}-{n}", n + 1
        taken.add(unique)
        out.append(replace(e, article=replace(e.article, slug=unique)))
    return out


def _slug(entry: _Entry) -> str:
    slug = ascii_slug(entry.meta_slug, "") if entry.meta_slug else ""
    if len(slug) < 2:
        slug = ascii_slug(entry.name, "")
    if len(slug) < 2 or not re.search(r"[a-z]", slug):
        # A pure-CJK name has no ASCII to keep; its date and a hash of its path name it.
        stamp = entry.article.date.strftime("%Y%m%d") if entry.dated else "undated"
        slug = f"{stamp}-{short_hash(entry.article.rel, 6)}"
    if slug[0].isdigit():
        slug = f"p-{slug}"  # XHTML ids must start with a letter
    return f"{slug}-article" if slug in RESERVED else slug


def _place_undated(run: _Run, entries: list[_Entry]) -> list[tuple[Article, bool]]:
    """(article, dated) in date order, ties by path; undated ones last, by path read as numbers.

    An undated article takes the newest date so that anything sorting by date keeps it last;
    `dated=False` tells whatever shows dates to show none for it.
    """
    dated = sorted((e for e in entries if e.dated), key=lambda e: (e.article.date, e.article.rel))
    newest = dated[-1].article.date if dated else datetime(1970, 1, 1, tzinfo=run.tz)
    undated = sorted(
        (e for e in entries if not e.dated),
        key=lambda e: (run.places.get(e.article.rel, 0), issues.order(e.article.rel)),
    )
    return [(e.article, True) for e in dated] + [
        (replace(e.article, date=newest, dated=False), False) for e in undated
    ]
