"""An article's front matter -> the names of its authors, for the byline under its title.

Docusaurus posts name theirs by keys into `blog/authors.yml` (`authors: [slorber, yangshun]`),
inline (`authors: {name: 林小舟, title: …}`) or as `author: 林小舟`; other blogs write
`author: 林小舟` (Hexo, Jekyll) or, like Hugo, `authors: [甲, 乙]`. render.py prints them
only where they are not simply the book's author.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from . import front
from .errors import ContentError
from .model import Site

AUTHORS_FILE = "authors.yml"  # Docusaurus' default `authorsMapPath`, in the blog folder


def names(site: Site, meta: dict) -> tuple[str, ...]:
    """The article's authors' names, in the order it gives them, each once."""
    value = meta.get("authors")
    if value is None:
        value = meta.get("author")
        keys = {}  # `author:` is a name, never a key
    else:
        keys = _keys(site)
    out: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        name = _name(item, keys)
        if name and name not in out:
            out.append(name)
    return tuple(out)


def _name(item: object, keys: dict[str, str]) -> str:
    if isinstance(item, dict):
        item = item.get("name")
    if not isinstance(item, str | int) or isinstance(item, bool):
        return ""
    text = " ".join(str(item).split())
    return keys.get(text, text)


def _keys(site: Site) -> dict[str, str]:
    """Docusaurus' `blog/authors.yml`: key -> name."""
    if site.kind != "docusaurus" or not site.content_dirs:
        return {}
    path = site.content_dirs[0] / AUTHORS_FILE
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return {}
    return _read(path, stamp)


@lru_cache(maxsize=8)
def _read(path: Path, stamp: int) -> dict[str, str]:  # (stamp: a changed file is read again)
    try:
        authors = front.load_yaml(path.read_text(encoding="utf-8-sig"), str(path))
    except (OSError, UnicodeDecodeError, ContentError):
        return {}
    if not isinstance(authors, dict):
        return {}
    return {
        str(key): " ".join(entry["name"].split())
        for key, entry in authors.items()
        if isinstance(entry, dict) and isinstance(entry.get("name"), str)
    }


def byline(authors: tuple[str, ...], lang: str) -> str:
    """The names as the article's language lists them: 甲、乙 or A, B."""
    return ("、" if lang.lower().startswith(("zh", "ja")) else ", ").join(authors)
