"""The folder bookmaker runs in -> a Site: Jekyll, Hexo, Hugo, Zola or a plain `content/` folder.

A blogger runs bookmaker from their site's root, so the folder itself says what it is:
`_posts/` (Jekyll, `_config.yml` giving baseurl, url and permalink), `source/_posts/`
beside `_config.yml` (Hexo), a Zola config (`base_url`) or a Hugo config beside
`content/`, or just `content/`.
`[content] dirs` and `site_root` override what was found.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tomllib
from dataclasses import replace
from pathlib import Path

from . import buttondown, dates, docsites, front, issues, langguess, notion, zenn, zennbook
from .config import Config
from .errors import BookmakerError, ConfigError, ContentError
from .model import Site

log = logging.getLogger(__name__)

JEKYLL_CONFIGS = ("_config.yml", "_config.yaml", "_config.toml")
HUGO_NAMES = ("hugo", "config")
HUGO_EXTS = (".toml", ".yaml", ".yml", ".json")
HUGO_TABLES = ("params", "languages", "permalinks")  # config/_default/params.toml …
# Jekyll's built-in permalink styles; `date` is the default.
JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
HEXO_PERMALINK = ":year/:month/:day/:title/"  # Hexo's default
# Zola reads `zola.toml`, else `config.toml` (its older name): that name is Hugo's too, so
# there it is Zola's when it has Zola's one required key, `base_url`.
ZOLA_CONFIGS = ("zola.toml", "config.toml")
# Zola's `[slugify] paths = "safe"` removes only what no file name may hold.
ZOLA_UNSAFE = re.compile(r'[<>:"/\\|?*]')
PRUNE = frozenset({"_site", "node_modules", "vendor", "public", "resources"})
# Folders of a plain folder or vault that hold no articles, as collect.py skips them
# (Obsidian's `.obsidian/` and `.trash/` are hidden), and how deep notes are looked for.
NOT_NOTES = frozenset({"templates", "_templates", "layouts", "_layouts", "_includes", "archetypes"})
NOTE_SUFFIXES = (".md", ".markdown")
NOTES_DEPTH = 8


def detect(config: Config) -> Site:
    """What `config.base` is, with the overrides of `[content] dirs` and `site_root` applied."""
    base = config.base.resolve()
    site = _jekyll(base) or _hexo(base) or _zola(base) or _hugo(base) or _docs(base)
    site = site or buttondown.detect(base) or _notes(base)
    if config.content.site_root:
        # `-c elsewhere.toml` naming a Jekyll or Hugo site: its _config.yml, _includes/,
        # baseurl and permalinks count as if bookmaker ran there.
        root = _existing(config, "site_root", config.content.site_root)
        site = _jekyll(root) or _hexo(root) or _zola(root) or _hugo(root) or _docs(root) or site
    if site is None and not config.content.dirs:
        raise ConfigError(
            f"{base}: no articles here: no Markdown file in it or in its folders (hidden "
            "ones, node_modules and templates not searched); expected a Jekyll site "
            "(_posts/), a Hexo site (source/_posts/), a Hugo site (hugo.toml and content/), "
            "a content/ folder, a folder of notes, or [content] dirs in bookmaker.toml"
        )
    return _override(config, site or Site("plain", base, (), (base,), "plain folder"))


def book_title(config: Config, site: Site) -> str:
    """The book's title: `[book] title`, else the site's own title, else the folder's name."""
    return config.book.title or site.title or config.base.name


def _override(config: Config, site: Site) -> Site:
    c = config.content
    if c.dirs:
        dirs = tuple(_existing(config, "dirs", d) for d in c.dirs)
        where = ", ".join(str(d) for d in dirs)
        site = replace(
            site, content_dirs=dirs, found_by=f"{site.found_by}; [content] dirs: {where}"
        )
    if c.site_root:
        root = _existing(config, "site_root", c.site_root)
        if site.root != root:  # a plain folder: `/img/x.png` resolves under the root given
            site = replace(site, root=root, static_dirs=(root,))
    return site


def _existing(config: Config, key: str, value: str) -> Path:
    path = config.path(value)
    if not path.is_dir():
        source = config.file or "command line"
        raise ConfigError(f"{source}: [content] {key}: no such folder: {path}")
    return path


def _jekyll(base: Path) -> Site | None:
    if not (base / "_posts").is_dir():
        return None
    conf_path = next((base / n for n in JEKYLL_CONFIGS if (base / n).is_file()), None)
    conf = _read_config(conf_path) if conf_path else {}
    found = (
        f"Jekyll site ({conf_path.name} at {base})"
        if conf_path
        else f"Jekyll posts ({base}/_posts, no _config.yml)"
    )
    permalink = str(conf.get("permalink") or "date")
    includes = base / "_includes"
    return Site(
        kind="jekyll",
        root=base,
        content_dirs=_special_dirs(base, ("_posts", "_drafts")),
        static_dirs=(base,),
        found_by=found,
        includes_dir=includes if includes.is_dir() else None,
        baseurl=_text(conf.get("baseurl")).rstrip("/"),
        url=_text(conf.get("url")).rstrip("/"),
        permalink=JEKYLL_STYLES.get(permalink, permalink),
        title=_text(conf.get("title")),
        author=_person(conf.get("author")),
        description=_text(conf.get("description")),
        language=_language(conf.get("lang") or conf.get("locale")),
        emoji=any("jemoji" in _texts(conf.get(k)) for k in ("plugins", "gems")),
        timezone=_text(conf.get("timezone")),
        future=conf.get("future") is True,
        variables=conf,
    )


def _hexo(base: Path) -> Site | None:
    """Hexo: `_config.yml` at the root, the posts in `source/_posts/` (`source_dir`)."""
    conf_path = base / "_config.yml"
    if not conf_path.is_file():
        return None
    conf = _read_config(conf_path)
    source = base / (_text(conf.get("source_dir")) or "source")
    if not (source / "_posts").is_dir():
        return None
    drafts = source / "_drafts"
    packages = _hexo_packages(base)
    return Site(
        kind="hexo",
        root=base,
        content_dirs=(source / "_posts", *((drafts,) if drafts.is_dir() else ())),
        static_dirs=(source,),  # `/images/x.png` is source/images/x.png
        found_by=f"Hexo site (_config.yml at {base})",
        baseurl=_text(conf.get("root")).rstrip("/"),
        url=_text(conf.get("url")).rstrip("/"),
        permalink=_text(conf.get("permalink")) or HEXO_PERMALINK,
        title=_text(conf.get("title")),
        subtitle=_text(conf.get("subtitle")),
        author=_person(conf.get("author")),
        description=_text(conf.get("description")),
        language=_language(_first(conf.get("language"))),
        # A Hexo emoji plugin (hexo-filter-github-emojis, hexo-filter-emoji)
        emoji=any("emoji" in name for name in packages),
        # (not Hexo's `future`: its own default config says true, so it would say little)
        timezone=_text(conf.get("timezone")),
        breaks=_hexo_breaks(conf, packages),
        markdown_it=_markdown_it_plugins(conf, packages),
    )


def _hexo_packages(base: Path) -> frozenset[str]:
    """The packages the site's package.json depends on: its renderer and plugins."""
    try:
        package = json.loads((base / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return frozenset()
    deps = package.get("dependencies") if isinstance(package, dict) else None
    return frozenset(str(name) for name in deps) if isinstance(deps, dict) else frozenset()


def _markdown_it_plugins(conf: dict, packages: frozenset[str]) -> tuple[str, ...]:
    """What hexo-renderer-markdown-it's plugins are called without their `markdown-it-`
    (`mark`, `ins`, `sup`, `sub`, `container`, `toc-done-right` as `toc`), as package.json
    or `_config.yml`'s `markdown: plugins:` (names, or `{name: …}`) list them."""
    if "hexo-renderer-markdown-it" not in packages:
        return ()
    listed = _table(conf, "markdown").get("plugins")
    named = [p.get("name") if isinstance(p, dict) else p for p in _as_list(listed)]
    found = set()
    for name in (*packages, *(n for n in named if isinstance(n, str))):
        short = name.rsplit("/", 1)[-1].removeprefix("markdown-it-")
        if short != name.rsplit("/", 1)[-1]:
            found.add("toc" if short.startswith("toc") or "table-of-contents" in short else short)
    return tuple(sorted(found))


def _as_list(value: object) -> list:
    return value if isinstance(value, list) else []


def _hexo_breaks(conf: dict, packages: frozenset[str]) -> bool:
    """Whether a newline breaks the line: hexo-renderer-marked (Hexo's default) and
    hexo-renderer-markdown-it both do unless `_config.yml` turns `breaks` off; pandoc's
    renderer never does."""
    if "hexo-renderer-markdown-it" in packages:
        return _table(_table(conf, "markdown"), "render").get("breaks") is not False
    if "hexo-renderer-pandoc" in packages:
        return False
    return _table(conf, "marked").get("breaks") is not False


def _texts(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _first(value: object) -> object:
    """Hexo's `language` may list several (the theme tries each): the first is the site's."""
    return value[0] if isinstance(value, list) and value else value


def _special_dirs(base: Path, names: tuple[str, ...]) -> tuple[Path, ...]:
    """Every `_posts`/`_drafts` folder: Jekyll takes the folders above one as its categories."""
    found: list[Path] = []
    for folder, subdirs, _ in os.walk(base):
        here = Path(folder)
        found.extend(here / n for n in names if n in subdirs)
        subdirs[:] = sorted(d for d in subdirs if not d.startswith((".", "_")) and d not in PRUNE)
    return tuple(sorted(found, key=lambda p: (len(p.parts), str(p))))


def _zola(base: Path) -> Site | None:
    """Zola: its config beside `content/`; the book's details are its top-level keys."""
    found = _zola_config(base)
    content = base / "content"
    if found is None or not content.is_dir():
        return None
    conf_path, conf = found
    scheme, _, rest = _text(conf.get("base_url")).partition("://")
    host, _, path = (rest or scheme).partition("/")  # (`base_url = "example.com"` works)
    extra, markdown = _table(conf, "extra"), _table(conf, "markdown")
    return Site(
        kind="zola",
        root=base,
        content_dirs=(content,),
        # Zola publishes a page's pictures beside it: `/blog/post/x.png` is in content/ too.
        static_dirs=(base / "static", content),
        found_by=f"Zola site ({conf_path.name} at {base})",
        baseurl=("/" + path).rstrip("/") if path else "",
        url=f"{scheme if rest else 'https'}://{host}" if host else "",
        title=_text(conf.get("title")),
        author=_person(conf.get("author") or extra.get("author")),
        description=_text(conf.get("description")),
        language=_language(conf.get("default_language")),
        emoji=markdown.get("render_emoji") is True,
        future=True,  # Zola publishes a page whatever its date: it has no setting for it
        languages=tuple(sorted(_table(conf, "languages"))),
        default_language=_text(conf.get("default_language")).lower(),
        variables=conf,  # `[slugify]`: how its URLs are made
    )


def _zola_config(base: Path) -> tuple[Path, dict] | None:
    """Zola's config and its file, unless a `hugo.*` beside it says the site is Hugo's."""
    if any((base / f"hugo{ext}").is_file() for ext in HUGO_EXTS):
        return None
    for name in ZOLA_CONFIGS:
        path = base / name
        if path.is_file():
            conf = _read_config(path)
            if name == "zola.toml" or "base_url" in conf:
                return path, conf
    return None


def _hugo(base: Path) -> Site | None:
    found = _hugo_settings(base)
    if found is None:
        return None
    conf_path, conf = found
    content = base / _text(conf.get("contentdir") or "content")
    if not content.is_dir():
        return None
    static = conf.get("staticdir") or "static"
    statics = [static] if isinstance(static, str) else [str(s) for s in static]
    base_url = _text(conf.get("baseurl"))
    scheme, _, rest = base_url.partition("://")
    host, _, path = rest.partition("/") if rest else ("", "", "")
    params = _table(conf, "params")
    # A multilingual site keeps its author and description per language (Blowfish, Congo).
    own = _table(_table(conf, "languages"), _text(conf.get("defaultcontentlanguage")) or "en")
    own_params = _table(own, "params")
    return Site(
        kind="hugo",
        root=base,
        content_dirs=(content.resolve(),),
        static_dirs=tuple((base / s).resolve() for s in statics),
        found_by=f"Hugo site ({conf_path.relative_to(base)} at {base})",
        baseurl=("/" + path).rstrip("/") if path else "",
        url=f"{scheme}://{host}" if host else "",
        permalink=_hugo_permalink(_table(conf, "permalinks")),
        title=_text(conf.get("title")) or _text(own.get("title")),
        author=_person(
            params.get("author")
            or own_params.get("author")
            or own.get("author")
            or conf.get("author")
        ),
        description=_text(params.get("description"))
        or _text(own_params.get("description"))
        or _text(own.get("description")),
        language=_language(
            conf.get("languagecode")
            or own.get("languagecode")
            or conf.get("defaultcontentlanguage")
        ),
        emoji=conf.get("enableemoji") is True,
        timezone=_text(conf.get("timezone")),
        future=conf.get("buildfuture") is True,
        main_sections=_names(conf.get("mainsections") or params.get("mainsections")),
        languages=tuple(sorted(_table(conf, "languages"))),
        default_language=(
            _text(conf.get("defaultcontentlanguage")) or _text(conf.get("languagecode"))
        ).lower(),
        build_expired=conf.get("buildexpired") is True,
    )


def _hugo_settings(base: Path) -> tuple[Path, dict] | None:
    """Hugo's configuration as Hugo merges it, and the file that says it is Hugo.

    The config folder (`config/_default/`) may split it: `params.toml` is the `params`
    table, `languages.en.toml` the `en` entry of `languages`. A root `hugo.toml` wins.
    """
    folder = base / "config" / "_default"
    root_file, folder_file = _hugo_file(base), _hugo_file(folder)
    tables = sorted(
        p for p in (folder.iterdir() if folder.is_dir() else ())
        if p.suffix in HUGO_EXTS and p.stem.split(".")[0] in HUGO_TABLES
    )  # fmt: skip
    found = root_file or folder_file or (tables[0] if tables else None)
    if found is None:
        return None
    conf: dict = {}
    if folder_file:
        _merge(conf, _lowered(_read_config(folder_file)))
    for path in tables:
        table, _, lang = path.stem.partition(".")
        part = _lowered(_read_config(path))
        _merge(conf, {table: {lang.lower(): part} if lang else part})
    if root_file:
        _merge(conf, _lowered(_read_config(root_file)))
    return found, conf


def _hugo_file(folder: Path) -> Path | None:
    for name in HUGO_NAMES:
        for ext in HUGO_EXTS:
            if (folder / f"{name}{ext}").is_file():
                return folder / f"{name}{ext}"
    return None


def _names(value: object) -> tuple[str, ...]:
    """`mainSections = ["posts", "notes"]` (or one name) as lower-case names."""
    values = value if isinstance(value, list) else [value]
    return tuple(v.strip().lower() for v in values if isinstance(v, str) and v.strip())


def _hugo_permalink(permalinks: dict) -> str | None:
    """The posts' pattern: `permalinks.posts`, or Hugo 0.120's `permalinks.page.posts`."""
    for table in (_table(permalinks, "page"), permalinks):
        for section in ("posts", "post"):
            if _text(table.get(section)):
                return _text(table.get(section))
    return None


def _lowered(value):
    """Hugo's configuration keys are case-insensitive: `mainSections` is `mainsections`."""
    if isinstance(value, dict):
        return {str(k).lower(): _lowered(v) for k, v in value.items()}
    return value


def _merge(into: dict, more: dict) -> None:
    """`more`'s keys over `into`'s, tables merged key by key."""
    for key, value in more.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def _table(conf: dict, key: str) -> dict:
    value = conf.get(key)
    return value if isinstance(value, dict) else {}


def _docs(base: Path) -> Site | None:
    """A VuePress, VitePress or Docusaurus site (docsites.py), its language cased as BCP 47."""
    site = docsites.detect(base)
    return replace(site, language=_language(site.language)) if site else None


def _notes(base: Path) -> Site | None:
    """A folder of Markdown no site generator reads: a Zenn or Qiita repository, else plain."""
    site = zennbook.detect(base) or zennbook.in_repository(base, zenn.detect(base))
    return site or _plain(base)


def _plain(base: Path) -> Site | None:
    content = base / "content"
    if content.is_dir():
        site = Site("plain", base, (content,), (base,), f"content folder ({content})")
    elif _has_notes(base):
        site = Site("plain", base, (base,), (base,), f"plain folder of Markdown files ({base})")
        site = replace(site, title=notion.export_title(base))  # (a Notion export's top page)
    else:
        return None
    vault = next((d for d in (base, content) if (d / ".obsidian").is_dir()), None)
    if vault is None:  # (a vault's README is about the vault: "Welcome", its plugins)
        return replace(site, title=site.title or issues.index_title(base))
    found = f"Obsidian vault ({vault})"
    if site.content_dirs != (vault,):
        found += f", {site.found_by}"
    return replace(site, found_by=found, vault=True, breaks=not _strict_line_breaks(vault))


def _has_notes(base: Path) -> bool:
    """A Markdown file in `base` or in a folder under it: a vault keeps its notes in folders
    (`journal/`, `posts/`), its settings, trash and templates in folders of their own."""
    for folder, subdirs, files in os.walk(base):
        if any(f.lower().endswith(NOTE_SUFFIXES) and not f.startswith(".") for f in files):
            return True
        depth = len(Path(folder).relative_to(base).parts)
        subdirs[:] = [] if depth >= NOTES_DEPTH else [d for d in sorted(subdirs) if _notes_in(d)]
    return False


def _notes_in(folder_name: str) -> bool:
    name = folder_name.lower()
    return not name.startswith(".") and name not in PRUNE and name not in NOT_NOTES


def _strict_line_breaks(vault: Path) -> bool:
    """Obsidian's "Strict line breaks" (`.obsidian/app.json`): off unless the user set it."""
    try:
        settings = json.loads((vault / ".obsidian" / "app.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(settings, dict) and settings.get("strictLineBreaks") is True


def _read_config(path: Path) -> dict:
    """A site generator's config file; a broken one is the user's to fix, so a ConfigError."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = front.load_yaml(text, str(path))
    except ContentError as exc:
        raise ConfigError(str(exc)) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    return data if isinstance(data, dict) else {}


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _person(value: object) -> str:
    """`author: Name`, `author: {name: Name, email: …}`, or a list of them (PaperMod's)."""
    if isinstance(value, list):
        names = [n for n in map(_person, value) if n]
        cjk = any(c >= "\u2e80" for n in names for c in n)
        return ("、" if cjk else ", ").join(names)
    if isinstance(value, dict):
        value = value.get("name")
    return _text(value)


def _language(value: object) -> str:
    """`zh-cn` / `zh_CN` -> `zh-CN`: the casing BCP 47 readers (and Kindle) expect."""
    parts = _text(value).replace("_", "-").split("-")
    if not parts[0].isalpha():
        return ""
    out = [parts[0].lower()]
    for p in parts[1:]:
        out.append(p.upper() if len(p) == 2 else p.title() if len(p) == 4 else p.lower())
    return "-".join(out)


def with_site_defaults(config: Config) -> Config:
    """What bookmaker.toml and the flags leave out, from the site's own config: the book's
    language and time zone, and future-dated posts when the site publishes them.

    Author and description fall back in the book's metadata (render.book_meta); these
    must be settled first, since every stage reads them.
    """
    try:
        found = detect(config)
    except BookmakerError:
        return config  # the collector reports it, with the rest of the problems
    book = {"language": _language_of(found, config), "timezone": _zone_name(found, config)}
    book = {k: v for k, v in book.items() if v and f"book.{k}" not in config.explicit}
    if book:
        config = config.override("book", **book)
    if found.future and "content.future" not in config.explicit:
        config = config.override("content", future=True)
    return config


def _language_of(site: Site, config: Config) -> str:
    """The site's language; its articles' when its config names none (or only `zh`), or
    English (the starter config's `en-us`) over articles written in Chinese or Japanese."""
    named = site.language
    english = named.lower().split("-")[0] == "en"
    if "book.language" in config.explicit or (named not in ("", "zh") and not english):
        return named
    written = langguess.guess(site, over_english=english)
    if named == "zh":  # Chinese, but not which script: Traditional when the text says so
        return "zh-TW" if written == "zh-TW" else named
    if not written:
        return named
    if named:
        log.warning("%s: %s is %s, but the articles are %s: the book is in %s (%s); set "
                    "[book] language to choose", site.found_by, langguess.key(site), named,
                    langguess.NAMES[written].split()[-1], langguess.NAMES[written],
                    written)  # fmt: skip
    return written


def _zone_name(site: Site, config: Config) -> str:
    if not site.timezone:
        return ""
    try:
        dates.zone(site.timezone)
    except ValueError as exc:
        log.warning("%s: timezone: %s; using [book] timezone", site.found_by, exc)
        return ""
    return site.timezone


def permalink(site: Site, page: dict) -> str | None:
    """An article's URL path on its site from the generator's pattern, or None if unknown.

    `page`: date (aware), name (file or bundle name without date), slug (front matter or
    None), title, categories (Jekyll's), section (folder under the content dir, Hugo),
    Zola's `path` (front matter, "" when not given) and the file's path under the content
    folder (`file`, VuePress' and VitePress' URL).
    """
    if site.kind == "jekyll":
        return _fill(site.permalink or JEKYLL_STYLES["date"], _jekyll_tokens(page))
    if site.kind == "hexo":
        tokens = _hexo_tokens(page)
        pattern = site.permalink or HEXO_PERMALINK
        return (
            None if ":abbrlink" in pattern and not tokens[":abbrlink"] else _fill(pattern, tokens)
        )
    if site.kind == "hugo":
        tokens = _hugo_tokens(page)
        pattern = site.permalink if page["section"].split("/")[0] in ("posts", "post") else None
        if pattern:
            return _fill(pattern, tokens).lower()
        path = "/".join(p for p in (page["section"], tokens[":slug"]) if p)
        return f"/{path}/".lower()
    if site.kind == "zola":
        return _zola_path(site, page)
    if site.kind in docsites.KINDS:
        return docsites.permalink(site, page)
    return None


def _zola_path(site: Site, page: dict) -> str:
    """Zola's URL: the page's `path`, else its folders under content/ and its slug (the
    `slug`, else the file's name without its date, else the bundle's folder)."""
    if page.get("path"):
        return "/" + page["path"].strip("/") + "/"
    strategy = _table(site.variables, "slugify").get("paths", "on")
    slug = page["slug"] or page["name"]
    if strategy == "on":
        slug = _urlize(slug)
    elif strategy == "safe":
        slug = "-".join(ZOLA_UNSAFE.sub("", slug).split())
    return "/" + "/".join(p for p in (page["section"], slug) if p) + "/"


def _jekyll_tokens(page: dict) -> dict[str, str]:
    d = page["date"]
    title = page["slug"] or page["name"]
    return {
        **_date_tokens(d),
        ":categories": "/".join(c.lower() for c in page["categories"]),
        ":short_year": f"{d.year % 100:02d}",
        ":y_day": f"{d.timetuple().tm_yday:03d}",
        ":week": f"{d.isocalendar().week:02d}",
        ":short_day": d.strftime("%a"),
        ":title": title,
        ":slug": _urlize(title),
        ":name": page["name"],
        ":output_ext": ".html",
    }


def _date_tokens(d) -> dict[str, str]:
    """The date's permalink variables, the same in Jekyll and Hexo."""
    return {
        ":year": f"{d.year:04d}",
        ":month": f"{d.month:02d}",
        ":i_month": str(d.month),
        ":day": f"{d.day:02d}",
        ":i_day": str(d.day),
        ":hour": f"{d.hour:02d}",
        ":minute": f"{d.minute:02d}",
        ":second": f"{d.second:02d}",
    }


def _hexo_tokens(page: dict) -> dict[str, str]:
    """Hexo's permalink variables; `:title` is the file's name (or the `slug`), `:abbrlink`
    the front matter's (hexo-abbrlink writes it into each post; "" when it has none)."""
    d = page["date"]
    name = page["slug"] or page["name"]
    return {
        **_date_tokens(d),
        ":abbrlink": page.get("abbrlink") or "",
        ":title": name,
        ":name": page["name"],
        ":post_title": page["title"],
        ":category": page["categories"][0] if page["categories"] else "uncategorized",
    }


def _hugo_tokens(page: dict) -> dict[str, str]:
    d = page["date"]
    slug = page["slug"] or page["name"]
    return {
        ":year": f"{d.year:04d}",
        ":month": f"{d.month:02d}",
        ":monthname": d.strftime("%B"),
        ":day": f"{d.day:02d}",
        ":title": _urlize(page["title"]),
        ":slug": slug,
        ":filename": page["name"],
        ":contentbasename": page["name"],
        ":sections": page["section"],
        ":section": page["section"].split("/")[0],
    }


def _fill(pattern: str, tokens: dict[str, str]) -> str:
    # Longest names first, so `:i_month` is not read as `:i` + `_month`, nor `:slug` inside others.
    for name in sorted(tokens, key=len, reverse=True):
        pattern = pattern.replace(name, tokens[name])
    path = "/" + "/".join(p for p in pattern.split("/") if p)
    return path + "/" if pattern.endswith("/") and path != "/" else path


def _urlize(text: str) -> str:
    """Jekyll's and Hugo's default slugify: lower case, runs of other characters -> `-`."""
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    return "-".join(p for p in out.split("-") if p)
