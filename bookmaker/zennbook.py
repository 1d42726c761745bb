"""A Zenn book's folder (`books/<slug>/` of a zenn-cli repository) -> its Site: chapters in order.

zenn-cli keeps a book as `books/<slug>/config.yaml` (`title`, `summary`, `topics`,
`chapters: [intro, setup]`: the order), one file per chapter (`intro.md`, front matter
`title` and `free`) and `cover.png` (or `.jpg`). Without `chapters` the files are named
`1.intro.md`, `2.setup.md` and their numbers order them. Chapters carry no date: the book
is read as a newsletter's numbered issues are, in its own order, with no date shown.
bookmaker run in the book's folder makes that book; pictures come from the repository's
`/images/`, as on zenn.dev.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from . import front, zenn
from .errors import ConfigError, ContentError
from .model import Site

CONFIG = "config.yaml"
COVERS = ("cover.png", "cover.jpg", "cover.jpeg")
# `1.intro.md` when config.yaml names no chapters: the number orders, `intro` is its slug.
NUMBERED = re.compile(r"^(\d+)\.(.+)$")
MAX_CONFIG_BYTES = 256 * 1024


def detect(base: Path) -> Site | None:
    """`base` as a Zenn book's folder, or None."""
    path = base / CONFIG
    if not _is_book(base, path):
        return None
    conf = _read(path)
    order = _chapters(base, conf)
    repo = base.parent.parent if base.parent.name == "books" else base
    cover = next((base / n for n in COVERS if (base / n).is_file()), None)
    site = zenn.detect(repo) if repo != base else None
    site = site or Site("zenn", repo, (), (), "", url=zenn.SERVICES["zenn"][0])
    return replace(
        site,
        root=repo,
        content_dirs=(base,),
        static_dirs=(repo,),
        found_by=f"Zenn book ({path})",
        title=_text(conf.get("title")),
        description=_text(conf.get("summary")),
        language=zenn.LANGUAGE,
        timezone=zenn.TIMEZONE,
        breaks=True,
        chapter_files=order,
        cover=cover,
    )


def in_repository(base: Path, site: Site | None) -> Site | None:
    """A zenn-cli repository's root: its articles' Site, saying where its books are made;
    with books and no articles, an error saying so (its chapters are no dated posts)."""
    books = sorted(p.parent.name for p in base.glob(f"books/*/{CONFIG}") if _zenn_config(p))
    if not books or (site is not None and site.kind != "zenn"):
        return site
    where = ", ".join(f"books/{b}" for b in books[:3]) + (", …" if len(books) > 3 else "")
    if site is None:
        if not (base / "articles").is_dir() and (base / "books").is_dir():
            raise ConfigError(
                f"{base}: a Zenn repository's books ({where}): run bookmaker in a book's "
                "folder (cd books/<slug>) to make that book"
            )
        return site
    return replace(site, found_by=f"{site.found_by}; a book is made in its folder: {where}")


def _is_book(base: Path, path: Path) -> bool:
    # (a Jekyll or Hugo site can have a config.yaml too: a book's sits in `books/`, or says
    # what only a Zenn book says)
    if not path.is_file() or path.is_symlink():
        return False
    return base.parent.name == "books" or _zenn_config(path)


def _zenn_config(path: Path) -> bool:
    """config.yaml says what only a Zenn book's says: its summary and price."""
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            head = f.read(4096)
    except OSError:
        return False
    return all(re.search(rf"(?m)^{k}:", head) for k in ("summary", "price"))


def _read(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as f:
            return front.load_yaml(f.read(MAX_CONFIG_BYTES), str(path))
    except ContentError as exc:
        raise ConfigError(str(exc)) from None
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror or exc}") from None


def _chapters(base: Path, conf: dict) -> tuple[Path, ...]:
    """The chapter files in the book's order: config.yaml's `chapters`, else the numbers."""
    named = conf.get("chapters")
    if isinstance(named, list) and named:
        return tuple(base / f"{_text(n) or str(n)}.md" for n in named)
    numbered = []
    for path in base.glob("*.md"):
        found = NUMBERED.match(path.stem)
        if found:
            numbered.append((int(found[1]), path.name, path))
    return tuple(p for *_, p in sorted(numbered))


def chapter_name(path: Path) -> str:
    """A chapter's slug on zenn.dev: `intro` for `intro.md` and for `1.intro.md`."""
    found = NUMBERED.match(path.stem)
    return found[2] if found else path.stem


def front_matter(meta: dict, path: Path, base: Path) -> dict:
    """A chapter's front matter in the keys collect.py reads: no date (the book orders it),
    its URL on zenn.dev (`/books/<slug>/viewer/<chapter>`: relative links between chapters
    resolve against it)."""
    meta = dict(meta)
    meta.pop("date", None)
    meta.setdefault("slug", chapter_name(path))
    meta.setdefault("permalink", f"/books/{base.name}/viewer/{chapter_name(path)}")
    return meta


def pick(site: Site, files: list[tuple[Path, str, Path]], skipped: list[tuple[str, str]]):
    """The chapter files among `files`, in the book's order; the others skipped, with why.

    Returns (files, names config.yaml gives that no file has)."""
    by_path = {f[0]: f for f in files}
    wanted = set(site.chapter_files)
    for path, rel, _ in files:
        if path not in wanted:
            skipped.append((rel, f"not a chapter of the book (not in {CONFIG}'s chapters)"))
    chosen = [by_path[p] for p in site.chapter_files if p in by_path]
    missing = tuple(p.name for p in site.chapter_files if p not in by_path)
    return chosen, missing


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
