"""A VuePress, VitePress or Docusaurus site's folder -> a Site, and its pages that are no posts.

These generators keep their settings in JavaScript or TypeScript (`docs/.vuepress/config.ts`,
`docs/.vitepress/config.mts`, `docusaurus.config.js`), which bookmaker does not run: the
site's title, description, language and author are read from the file's plain string
values (`title: "…"`, `lang: 'zh-CN'`, Docusaurus' `defaultLocale`), the first one of each.
The articles are the VuePress or VitePress source folder (the one holding `.vuepress/` or
`.vitepress/`), whose `public/` serves `/img/x.png`, or Docusaurus' `blog/` with `static/`.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from pathlib import Path

from . import front
from .errors import ContentError
from .model import Site

FOLDER_DATE = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/[^/]+$")
KINDS = ("vuepress", "vitepress", "docusaurus")
NAMES = {"vuepress": "VuePress", "vitepress": "VitePress", "docusaurus": "Docusaurus"}
CONFIG_EXTS = (".ts", ".mts", ".js", ".mjs", ".cjs")
SOURCE_DIRS = (".", "docs", "src", "blog", "blogs")  # where `.vuepress/` or `.vitepress/` is
MAX_CONFIG = 200_000  # characters of a config file read: settings sit at its top
# `key: "value"` (or 'value', `value`) in a JS object, the first of each key
STRING = r"""\s*:\s*(["'`])((?:(?!\1)[^\\\n]|\\.)*)\1"""
AUTHOR = re.compile(r"""\bauthor\s*:\s*(?:\{[^{}]*?\bname\s*:\s*)?(["'`])([^"'`\n]+)\1""")
# The syntax of every markdown-it plugin these sites read: `::: tip` boxes, `[[toc]]`.
MARKDOWN_IT = ("container", "toc")
# What a page writes to show another file's text (docmarkup.py): `<!-- @include: -->`,
# VitePress' `<<< @/a.js`, VuePress' `@[code](./a.js)`
READS = ("@include", "<<<", "@[code")


def detect(base: Path) -> Site | None:
    """The site at `base` if it is a Docusaurus, VitePress or VuePress one."""
    return _docusaurus(base) or _vue(base, "vitepress") or _vue(base, "vuepress")


def _docusaurus(base: Path) -> Site | None:
    config = _config_file(base, "docusaurus.config")
    blog = base / "blog"
    if config is None or not blog.is_dir():
        return None
    text = _read(config)
    static = base / "static"
    return Site(
        kind="docusaurus",
        root=base,
        content_dirs=(blog,),
        static_dirs=(static,) if static.is_dir() else (base,),
        found_by=f"Docusaurus site ({config.name} at {base}; the posts in blog/)",
        title=_value(text, "title"),
        subtitle=_value(text, "tagline"),
        author=_author(text) or _only_author(blog / "authors.yml"),
        description=_value(text, "description") or _value(text, "tagline"),
        language=_value(text, "defaultLocale"),
        url=_value(text, "url").rstrip("/"),
        baseurl=_value(text, "baseUrl").rstrip("/"),
        markdown_it=MARKDOWN_IT,
    )


def _vue(base: Path, kind: str) -> Site | None:
    """VuePress or VitePress: the source folder is the one that holds `.vuepress/`."""
    for name in SOURCE_DIRS:
        source = (base / name).resolve()
        config = _config_file(source / f".{kind}", "config")
        if config is None:
            continue
        # vuepress-theme-hope and -reco keep the author in the theme's own file
        text = "\n".join(_read(p) for p in sorted(config.parent.glob("*.*")) if p.is_file())
        source = _pages(source, _value(text, "srcDir"))
        public = config.parent / "public" if kind == "vuepress" else source / "public"
        return Site(
            kind=kind,
            root=base,
            content_dirs=(source,),
            static_dirs=(public,) if public.is_dir() else (source,),
            found_by=f"{NAMES[kind]} site ({config.relative_to(base)} at {base})",
            title=_value(text, "title"),
            author=_author(text),
            description=_value(text, "description"),
            language=_value(text, "lang"),
            # vuepress-theme-hope's and the sitemap plugins' `hostname`: pages left out
            # of the book are linked there
            url=_value(text, "hostname").rstrip("/"),
            baseurl=_value(text, "base").rstrip("/"),
            emoji=True,  # both render `:tada:` (markdown-it-emoji) unless told not to
            markdown_it=MARKDOWN_IT,
        )
    return None


def _pages(source: Path, src_dir: str) -> Path:
    """VitePress' `srcDir: 'src'`: the pages are there, `.vitepress/` stays above them."""
    pages = (source / src_dir).resolve() if src_dir else source
    return pages if pages.is_dir() and pages.is_relative_to(source) else source


def _config_file(folder: Path, stem: str) -> Path | None:
    return next(
        (folder / f"{stem}{e}" for e in CONFIG_EXTS if (folder / f"{stem}{e}").is_file()), None
    )


def _read(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")[:MAX_CONFIG]
    except OSError:
        return ""
    # Comments name keys too (`// title: 'x'`, a commented-out setting)
    return re.sub(r"/\*.*?\*/|(?<![:\w\"'])//[^\n]*", "", text, flags=re.S)


def _value(text: str, key: str) -> str:
    m = re.search(rf"(?<![\w.$]){key}{STRING}", text)
    return " ".join(m.group(2).split()) if m else ""


def _author(text: str) -> str:
    m = AUTHOR.search(text)
    return m.group(2).strip() if m else ""


def _only_author(path: Path) -> str:
    """The name in Docusaurus' `blog/authors.yml` when it names one author: the blog's."""
    try:
        authors = front.load_yaml(path.read_text(encoding="utf-8-sig"), str(path))
    except (OSError, UnicodeDecodeError, ContentError):
        return ""
    names = [a.get("name") for a in authors.values() if isinstance(a, dict)]
    return names[0].strip() if len(names) == 1 and isinstance(names[0], str) else ""


def is_index(site: Site, stem: str) -> bool:
    """A `README.md` of VuePress or VitePress is its folder's page (`posts/trip/README.md`
    is `/posts/trip/`), a post like any other when it is dated."""
    return stem == "readme" and site.kind in ("vuepress", "vitepress")


def unlisted(site: Site, meta: dict) -> str:
    """Why a page the site shows is no post of its blog ("" when it is one): a home page,
    vuepress-theme-hope's `article: false`, vuepress-theme-reco's `publish: false`,
    Docusaurus' `unlisted`."""
    if site.kind not in KINDS:
        return ""
    if meta.get("home") is True or str(meta.get("layout") or "").lower() in ("home", "bloghome"):
        return "the site's home page, not a post"
    if meta.get("article") is False:
        return "not a post (`article: false`: the blog does not list it)"
    if meta.get("publish") is False:
        return "not a post (`publish: false`: the blog does not list it)"
    if meta.get("unlisted") is True:
        return "not a post (`unlisted: true`: the blog does not list it)"
    return ""


def permalink(site: Site, page: dict) -> str:
    """A post's URL: VuePress' and VitePress' is its file's path (`posts/a.md` ->
    `/posts/a.html`, a `README.md` or `index.md` its folder's); Docusaurus', its `slug` under
    `/blog/`, else `/blog/YYYY/MM/DD/<name>` (the date its file name gives, or its date)."""
    if site.kind == "docusaurus":
        if page["slug"]:
            return "/blog/" + page["slug"].strip("/")
        d = page["date"]
        return f"/blog/{d.year:04d}/{d.month:02d}/{d.day:02d}/{page['name']}"
    path = page["file"].rsplit(".", 1)[0]
    folder, _, stem = path.rpartition("/")
    if stem.lower() in ("readme", "index"):
        return f"/{folder}/" if folder else "/"
    return f"/{path}.html"


def private(site: Site, meta: dict) -> bool:
    """vuepress-theme-reco's `keys`: the post opens only to whom the author gives its
    password, as Hexo's `password` does."""
    return site.kind in KINDS and bool(meta.get("keys"))


def folder_date(site: Site, path: Path, tz: tzinfo) -> datetime | None:
    """Docusaurus' date in a post's folders, `blog/2021/05/28/post.md`, at midnight."""
    if site.kind != "docusaurus":
        return None
    m = FOLDER_DATE.search(path.as_posix())
    try:
        return datetime(*(int(x) for x in m.groups()), tzinfo=tz) if m else None
    except ValueError:
        return None
