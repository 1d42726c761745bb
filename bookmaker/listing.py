"""`bookmaker list`: the book as it would be built (chapters, articles, problems); text or JSON."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata

from . import collect, site
from .commands import report
from .config import Config
from .model import Article, Chapter, Collection


def run(config: Config, args: argparse.Namespace) -> int:
    collection = collect.collect(config)
    title = site.book_title(config, collection.site)
    verbose = getattr(args, "verbose", False)
    if getattr(args, "json", False):
        data = as_json(collection, title, verbose)
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return report((), False) or _status(collection, args.strict)
    quiet = getattr(args, "quiet", False)
    listed = "\n".join(as_text(collection, title, verbose, quiet)).lstrip("\n")
    print(listed)
    shown = (
        collection.problems
        if not quiet
        else tuple(p for p in collection.problems if p.level == "error")
    )
    if listed and shown:  # in a terminal the problems ran on under the list's last line
        sys.stdout.flush()
        print(file=sys.stderr)
    status = report(shown, args.strict)
    return status or _status(collection, args.strict)


def _status(collection: Collection, strict: bool) -> int:
    levels = {p.level for p in collection.problems}
    return 1 if "error" in levels or (strict and levels) else 0


def as_json(collection: Collection, title: str, verbose: bool = False) -> dict:
    s = collection.site
    data = {
        "title": title,
        "site": {
            "kind": s.kind,
            "root": str(s.root),
            "found_by": s.found_by,
            "content_dirs": [str(d) for d in s.content_dirs],
            "baseurl": s.baseurl,
            "url": s.url,
            "permalink": s.permalink,
        },
        "chapters": [_chapter_json(c) for c in collection.chapters],
        "problems": [
            {"path": p.path, "line": p.line, "message": p.message, "level": p.level}
            for p in collection.problems
        ],
    }
    if verbose:
        data["skipped"] = [{"path": rel, "reason": why} for rel, why in collection.skipped]
    return data


def _chapter_json(chapter: Chapter) -> dict:
    data: dict = {"title": chapter.title, "articles": [_article_json(a) for a in chapter.articles]}
    if chapter.chapters:
        data["chapters"] = [_chapter_json(c) for c in chapter.chapters]
    return data


def _article_json(a: Article) -> dict:
    date = a.date.isoformat() if a.dated else None
    return {"title": a.title, "date": date, "path": a.rel, "tags": list(a.tags)}


def as_text(collection: Collection, title: str, verbose: bool, quiet: bool) -> list[str]:
    articles = collection.articles()
    lines = []
    if not quiet:
        lines.append(f"Found: {collection.site.found_by}")
        chapters = len(collection.chapters)
        lines.append(f"Book: {title} ({chapters} chapter(s), {len(articles)} article(s))")
    width = min(max((_width(a.title) for a in articles), default=0), 48)
    for chapter in collection.chapters:
        lines.extend(_chapter_text(chapter, 0, verbose, width))
    if verbose and collection.skipped:
        lines.append("")
        lines.append(f"Skipped ({len(collection.skipped)}):")
        lines.extend(f"  {rel}: {why}" for rel, why in collection.skipped)
    return lines


def _chapter_text(chapter: Chapter, depth: int, verbose: bool, width: int) -> list[str]:
    pad = "  " * depth
    count = len(chapter.all_articles())
    lines = ["", f"{pad}{chapter.title or '(one chapter)'}  [{count}]"]
    for a in chapter.articles:
        gap = " " * max(width - _width(a.title), 0) + "  "
        date = f"{a.date:%Y-%m-%d}" if a.dated else " " * 10
        lines.append(f"{pad}  {date}  {a.title}{gap}{a.rel}")
        if verbose:
            tags = ", ".join(a.tags) or "-"
            lines.append(f"{pad}              slug={a.slug} tags={tags} url={a.permalink or '-'}")
    for sub in chapter.chapters:
        lines.extend(_chapter_text(sub, depth + 1, verbose, width))
    return lines


def _width(text: str) -> int:
    """Columns the text takes in a terminal: CJK characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
