"""The plain, immutable data passed between stages, and nothing else.

collect:  Site + [Article] grouped into Chapters  -> Collection
render:   Article -> RenderedArticle (XHTML fragment, images, headings)
assemble: Collection + RenderedArticles -> Book   -> backends (epub, pdf)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """Something wrong with the input. `error` leaves a part out; `warning` degrades it."""

    path: str  # project-relative posix path, "" for the book as a whole
    message: str
    level: str = "error"  # "error" | "warning"
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else (self.path or "book")
        return f"{where}: {self.level}: {self.message}"


@dataclass(frozen=True)
class Site:
    """What kind of folder the articles live in, and where site-relative URLs point."""

    kind: str  # "jekyll" | "hexo" | "hugo" | "zola" | "zenn" | "qiita" | "plain" | docsites.KINDS
    root: Path  # the site root (absolute, resolved)
    content_dirs: tuple[Path, ...]  # where articles are searched
    static_dirs: tuple[Path, ...]  # where `/img/x.png` resolves (Jekyll: root; Hexo: source/)
    found_by: str  # for `bookmaker list`: "Jekyll site (_config.yml at …)"
    includes_dir: Path | None = None  # Jekyll `_includes/`
    baseurl: str = ""  # "/blog" or ""
    url: str = ""  # "https://example.com": absolute URLs to it are same-site
    permalink: str | None = None  # the generator's default permalink pattern
    title: str = ""  # the site's own title (_config.yml / hugo.toml), for an untitled book
    subtitle: str = ""  # Hexo's `subtitle`, under that title
    author: str = ""  # the site's author, for a book without [book] author
    description: str = ""
    language: str = ""  # BCP 47 from the site's config (Jekyll `lang`, Hugo `languageCode`)
    emoji: bool = False  # `:smile:` is 😄 on this site (jemoji, Hugo's enableEmoji, a Hexo plugin)
    timezone: str = ""  # the site's own (Jekyll's and Hexo's `timezone`, Hugo's `timeZone`)
    future: bool = False  # the site publishes future-dated posts (Jekyll `future`, buildFuture)
    # Hugo's: which sections hold the posts (empty: worked out), the languages it names (a
    # file's suffix, `post.en.md`), the one the book is in, and whether expired pages show.
    main_sections: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    default_language: str = ""
    build_expired: bool = False
    # Jekyll's `_config.yml` as read: `site.*` in Liquid (in the repr, so in cache keys)
    variables: dict = field(default_factory=dict, compare=False)
    vault: bool = False  # an Obsidian vault (`.obsidian/`): its inline #tags are tags
    breaks: bool = False  # a single newline breaks the line (an Obsidian vault's default)
    # The markdown-it plugins a Hexo site's renderer uses ("mark", "ins", "sup", "container")
    markdown_it: tuple[str, ...] = ()
    # A book's chapter files in its order (a Zenn book's config.yaml): no dates, no others
    chapter_files: tuple[Path, ...] = ()
    cover: Path | None = None  # the cover picture the folder has (a Zenn book's cover.png)


@dataclass(frozen=True)
class Cover:
    """The picture a blog theme shows at the top of a post, named in its front matter."""

    src: str  # as written: relative to the post, site-absolute or remote
    alt: str = ""
    caption: str = ""
    line: int | None = None  # of its front-matter key


@dataclass(frozen=True)
class Article:
    path: Path  # absolute, resolved source file
    rel: str  # posix path relative to the project folder, for messages
    title: str
    date: datetime  # always timezone-aware
    body: str  # Markdown, front matter removed (and the title heading, if it gave the title)
    body_line: int  # 1-based line in the file where `body` starts
    slug: str  # ASCII, unique in the book: file names and the id prefix
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    lang: str | None = None  # front-matter `lang` (BCP 47) overriding the book's
    permalink: str | None = None  # the article's URL path on its site, explicit or derived
    aliases: tuple[str, ...] = ()  # other URL paths of the same article (Hugo aliases, url)
    description: str | None = None
    cover: Cover | None = None
    media_base: str = ""  # Chirpy's `media_subpath`: where the post's relative pictures are
    root_base: str = ""  # Typora's `typora-root-url`: where `/a.png` is, from the note's folder
    dated: bool = True  # False: no date of its own; `date` (the newest's) only places it last
    subtitle: str = ""  # front matter's `subtitle`, or a Substack post's `## Subtitle`
    authors: tuple[str, ...] = ()  # front matter's (articleauthors.py); render: () if the book's


@dataclass(frozen=True)
class Chapter:
    title: str
    key: str  # stable and ASCII: "2025-10", "2025", "tag-3"
    articles: tuple[Article, ...] = ()
    chapters: tuple[Chapter, ...] = ()  # sub-chapters (grouping `year/month`)

    def all_articles(self) -> tuple[Article, ...]:
        nested = tuple(a for c in self.chapters for a in c.all_articles())
        return self.articles + nested


@dataclass(frozen=True)
class Collection:
    site: Site
    chapters: tuple[Chapter, ...]
    problems: tuple[Problem, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()  # (rel path, why) of files that are not articles

    def articles(self) -> tuple[Article, ...]:
        return tuple(a for c in self.chapters for a in c.all_articles())


@dataclass(frozen=True)
class Image:
    """An image an article shows. `name` is its place in the book, the same in every backend."""

    name: str  # "images/<hash>.<ext>": ASCII, deterministic, never taken from input
    source: Path  # the file to read: inside the roots, or fetched into the cache
    media_type: str  # of the EPUB rendition
    width: int
    height: int


@dataclass(frozen=True)
class Heading:
    level: int
    id: str  # already prefixed with the article's slug
    text: str


@dataclass(frozen=True)
class RenderedArticle:
    """One article as XHTML, the common input of both backends.

    `xhtml` is a well-formed fragment (the article's body, no title) whose ids all start
    with `<slug>-`; links to other articles of the book are `#<slug>` or `#<slug>-<id>`;
    images are `src="images/<hash>.<ext>"` naming one of `images`.
    """

    article: Article
    xhtml: str
    lang: str  # BCP 47 of the text after typography and conversion
    images: tuple[Image, ...] = ()
    headings: tuple[Heading, ...] = ()
    problems: tuple[Problem, ...] = ()
    # (image name, the source as written, its line) of each image shown without alt text,
    # in order: the EPUB names them for screen readers, as the author wrote them.
    unlabelled: tuple[tuple[str, str, int | None], ...] = ()


@dataclass(frozen=True)
class BookMeta:
    title: str
    language: str  # BCP 47, e.g. "zh-CN"
    identifier: str  # "urn:uuid:…", stable across builds
    modified: datetime  # aware; SOURCE_DATE_EPOCH or the newest article
    made: date | None = None  # `modified` as a day in the book's time zone (the title page's)
    subtitle: str = ""
    author: str = ""
    author_file_as: str = ""
    publisher: str = ""
    description: str = ""
    rights: str = ""
    cover: Path | None = None  # a configured cover image
    subjects: tuple[str, ...] = ()  # the most used tags
    first_date: datetime | None = None
    last_date: datetime | None = None


@dataclass(frozen=True)
class Book:
    meta: BookMeta
    chapters: tuple[Chapter, ...]  # structure, from the collector
    rendered: tuple[RenderedArticle, ...]  # one per article, in book order
    problems: tuple[Problem, ...] = ()
    images: tuple[Image, ...] = field(default=())  # every image once, deduplicated
    notes: bool = False  # a plain folder's notes (a vault's): pictures may be `![[embeds]]`

    def rendered_for(self, article: Article) -> RenderedArticle:
        for r in self.rendered:
            if r.article.slug == article.slug:
                return r
        raise KeyError(article.slug)


@dataclass(frozen=True)
class Written:
    """What a backend wrote, and what it had to degrade or leave out while writing."""

    paths: tuple[Path, ...]
    problems: tuple[Problem, ...] = ()
