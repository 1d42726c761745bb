"""A Zenn or Qiita repository -> a Site, and their front matter -> the keys bookmaker reads.

zenn-cli keeps articles in `articles/<slug>.md` (pictures in `/images/`, books in `books/`,
which are not articles), dated by `published_at` when the author set one (else by the
commit that added it: see gitdates.py); `topics` are their tags. qiita-cli keeps them in
`public/<name>.md`, dated by `updated_at`, with `private: true` for a limited-sharing
article and `ignorePublish: true` for one it never uploads. Both services are Japanese:
their dates are Japan time and the book is Japanese.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from . import gitdates
from .model import Site

KINDS = ("zenn", "qiita")
# Where the service shows an article: zenn.dev/<user>/articles/<slug>,
# qiita.com/<user>/items/<id>. The user is in no file of the repository, so a link to any
# user's article of that name is taken for the book's own (Zenn's slugs and Qiita's ids
# are random, 14 and 20 characters: another user's match is not to be met).
SERVICES = {"zenn": ("https://zenn.dev", "articles"), "qiita": ("https://qiita.com", "items")}
NO_DATE = (
    "no date: add `published_at: YYYY-MM-DD HH:MM` (the day zenn.dev published it) to its "
    "front matter, or commit it to the repository: its first commit dates it (or use "
    "--undated=end)"
)
ARTICLE_URL = re.compile(r"^/[^/]+/(articles|items)/([^/]+)/?$")
BOOK_URL = re.compile(r"^/[^/]+/books/([^/]+)/viewer/([^/]+)/?$")  # a Zenn book's chapter
LANGUAGE = "ja"
TIMEZONE = "+09:00"  # Japan Standard Time: what zenn.dev and qiita.com show
# A front-matter key each service alone writes: an `articles/` or `public/` folder of
# Markdown whose articles carry it is that service's, even without its CLI's package.json.
# (Not `topics:`: an Obsidian vault's notes in `articles/` may well have that property.)
ZENN_KEYS = ("emoji:",)
QIITA_KEYS = ("organization_url_name:", "ignorePublish:")
SNIFF_FILES = 20  # articles read to recognise a folder without package.json


def detect(base: Path) -> Site | None:
    """`base` as a zenn-cli or qiita-cli repository, or None."""
    articles, public = base / "articles", base / "public"
    sniff = not (base / ".obsidian").is_dir()  # (a vault is the writer's notes, all of them)
    if articles.is_dir() and (_uses(base, "zenn-cli") or (sniff and _carries(articles, ZENN_KEYS))):
        found = f"Zenn repository ({articles})"
        return _site("zenn", base, articles, found)
    qiita = (base / "qiita.config.json").is_file() or _uses(base, "@qiita/qiita-cli")
    if public.is_dir() and (qiita or (sniff and _carries(public, QIITA_KEYS))):
        return _site("qiita", base, public, f"Qiita repository ({public})")
    return None


def _site(kind: str, base: Path, folder: Path, found: str) -> Site:
    # markdown-it with `breaks` on both services: a newline in a paragraph breaks the line;
    # `:::message` / `:::note` boxes are containers.
    return Site(
        kind=kind,
        root=base,
        content_dirs=(folder,),
        static_dirs=(base,),
        found_by=found,
        url=SERVICES[kind][0],
        language=LANGUAGE,
        timezone=TIMEZONE,
        breaks=True,
    )


def _uses(base: Path, package: str) -> bool:
    try:
        data = json.loads((base / "package.json").read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return False
    if not isinstance(data, dict):
        return False
    tables = (data.get(k) for k in ("dependencies", "devDependencies"))
    return any(isinstance(t, dict) and package in t for t in tables)


def _carries(folder: Path, keys: tuple[str, ...]) -> bool:
    for path in sorted(folder.glob("*.md"))[:SNIFF_FILES]:
        try:
            with path.open(encoding="utf-8", errors="replace") as f:
                head = f.read(4096)
        except OSError:
            continue
        if head.startswith("---") and any(f"\n{k}" in head for k in keys):
            return True
    return False


def front_matter(kind: str, meta: dict, lines: dict, path: Path, folder: Path) -> tuple[dict, dict]:
    """Lower-cased front matter in the keys collect.py reads: the service's date as `date`
    (a Zenn article without `published_at`: its first commit's), Zenn's topics as tags,
    what the service does not publish as a draft."""
    meta, lines = dict(meta), dict(lines)
    date_key = "published_at" if kind == "zenn" else "updated_at"
    if meta.get(date_key) not in (None, "") and meta.get("date") in (None, ""):
        meta["date"] = meta[date_key]
        if date_key in lines:
            lines["date"] = lines[date_key]
    if kind == "zenn" and meta.get("date") in (None, ""):
        meta["date"] = gitdates.first_commit(path, folder)
    name = path.stem if kind == "zenn" else str(meta.get("id") or "").strip()
    if name and "permalink" not in meta:
        meta["permalink"] = f"/{SERVICES[kind][1]}/{name}"
    if kind == "zenn" and "tags" not in meta:
        meta["tags"] = meta.get("topics")
    if kind == "qiita" and (meta.get("private") is True or meta.get("ignorepublish") is True):
        meta["draft"] = True  # limited sharing, or kept off Qiita
    if kind == "qiita" and meta.get("id") in (None, "") and meta.get("updated_at") in (None, ""):
        meta["draft"] = True  # `qiita new` writes these empty until it is published
    return meta, lines


def article_path(site: Site, path: str) -> str:
    """A link's path on the service as the book knows its articles: without the user."""
    chapter = BOOK_URL.match(path) if site.kind == "zenn" else None
    if chapter is not None:
        return f"/books/{chapter.group(1)}/viewer/{chapter.group(2)}"
    found = ARTICLE_URL.match(path) if site.kind in KINDS else None
    if found is None or found.group(1) != SERVICES[site.kind][1]:
        return path
    return f"/{found.group(1)}/{found.group(2)}"
