"""A newsletter archive's numbered issues: file paths -> which are issues, and their order.

A weekly kept as `docs/issue-1.md` … `docs/issue-340.md` (阮一峰's 科技爱好者周刊 and its
many imitators) has no front matter and no date: the number in the name is all it says of
when an issue came out. Two or more files in one folder whose names differ only in that
number are a series; their numbers, not their path strings, order them (issue-2 before
issue-10). The sections of the folder's README index (`## 2023`) are their chapters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from posixpath import dirname, splitext
from urllib.parse import unquote

# One run of digits with the same words around it: `issue-12`, `weekly_012`, `第12期`, `12`.
_NUMBERED = re.compile(r"^(?P<before>\D*)(?P<number>\d{1,5})(?P<after>\D*)$")
_DIGITS = re.compile(r"(\d+)")
SERIES_MIN = 2
MAX_README_CHARS = 1024 * 1024
_SECTION = re.compile(r"^ {0,3}##[ \t]+(.+?)[ \t#]*$")
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)>?[^)]*\)")
_TITLE = re.compile(r"^ {0,3}#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
README_NAMES = ("README.md", "readme.md", "README.markdown")


def series(rels: Iterable[str]) -> frozenset[str]:
    """The paths among `rels` that are issues of a numbered series (see the module's note)."""
    members: dict[tuple[str, str, str], list[str]] = {}
    for rel in rels:
        folder = dirname(rel)
        stem = splitext(rel[len(folder) :].lstrip("/"))[0]
        found = _NUMBERED.match(stem)
        if found:
            key = (folder, found["before"].casefold(), found["after"].casefold())
            members.setdefault(key, []).append(rel)
    return frozenset(r for group in members.values() if len(group) >= SERIES_MIN for r in group)


def order(rel: str) -> tuple:
    """A sort key that reads the numbers in a path as numbers: issue-2 before issue-10."""
    parts = _DIGITS.split(rel)
    return tuple((int(p), p) if i % 2 else (0, p) for i, p in enumerate(parts))


def index_sections(base: Path, issues: frozenset[str]) -> dict[str, str]:
    """Issue path -> the `## section` of the folder's README that links to it.

    A weekly's README is its index: `## 2023`, then `- 第 272 期：[…](docs/issue-272.md)`.
    Those sections, the years, are what a reader would have the issues in chapters by.
    """
    path = base / "README.md"
    if not issues or path.is_symlink() or not path.is_file():
        return {}
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            text = f.read(MAX_README_CHARS)
    except OSError:
        return {}
    found: dict[str, str] = {}
    section = ""
    for line in text.split("\n"):
        heading = _SECTION.match(line)
        if heading:
            section = " ".join(heading[1].split())
            continue
        for target in _LINK_TARGET.findall(line):
            rel = unquote(target).removeprefix("./")
            if section and rel in issues:
                found.setdefault(rel, section)
    return found


def index_title(base: Path) -> str:
    """The heading of the folder's README when it is the index of its issues (`# 科技爱好者周刊`
    over links to `docs/issue-1.md` …): what the newsletter is called. A README that links to
    none of the folder's Markdown files is about the folder (a blog's backup, its tools), and
    names no book."""
    for name in README_NAMES:
        path = base / name
        if path.is_symlink():  # (it may point anywhere)
            continue
        try:
            with path.open(encoding="utf-8", errors="replace") as f:
                text = f.read(MAX_README_CHARS)
        except OSError:
            continue
        heading = _TITLE.search(text[:4096])
        if heading and any(_indexed(base, t) for t in _LINK_TARGET.findall(text)):
            return " ".join(heading[1].split())
        return ""
    return ""


def _indexed(base: Path, target: str) -> bool:
    rel = unquote(target.split("#", 1)[0]).removeprefix("./")  # (第12期.md as %E7%AC%AC12…)
    if not rel.lower().endswith((".md", ".markdown")) or rel.startswith("/") or ":" in rel:
        return False
    if ".." in rel.split("/"):  # (only the folder's own files are looked at)
        return False
    path = base / rel
    return not path.is_symlink() and path.is_file()
