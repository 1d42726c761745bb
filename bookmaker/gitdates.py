"""A file in a git repository -> when a commit first added it.

zenn.dev dates an article when it is first published: with Zenn's GitHub integration,
when the commit that adds it is pushed. The file does not say so unless its author set
`published_at`, so the first commit of the file is the date the book can know. One `git
log` reads the whole folder; its answer is kept until the repository changes (a commit,
a checkout), so `bookmaker serve` sees an article committed since.
"""

from __future__ import annotations

import functools
import logging
import subprocess
from pathlib import Path

log = logging.getLogger(__name__)

GIT_TIMEOUT = 60  # seconds: a very long history still answers well within this
# Files whose change means new commits or another checkout.
STATE_FILES = ("HEAD", "index", "logs/HEAD", "packed-refs")


def first_commit(path: Path, folder: Path) -> str | None:
    """When `path` (in `folder`) was first committed, as ISO 8601 with its offset, or None
    (no repository, git missing, the file not committed)."""
    gitdir = _gitdir(folder)
    if gitdir is None:
        return None
    try:
        rel = path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return None
    return _first_commits(folder.resolve(), _state(gitdir)).get(rel)


def _gitdir(folder: Path) -> Path | None:
    for d in (folder, *folder.parents):
        dot = d / ".git"
        if dot.is_dir():
            return dot
        if dot.is_file():  # a worktree or submodule: `gitdir: <path>`
            text = dot.read_text(encoding="utf-8", errors="replace").strip()
            return (d / text.removeprefix("gitdir:").strip()).resolve()
    return None


def _state(gitdir: Path) -> tuple[int, ...]:
    stamps = []
    for name in STATE_FILES:
        try:
            stamps.append((gitdir / name).stat().st_mtime_ns)
        except OSError:
            stamps.append(0)
    return tuple(stamps)


@functools.lru_cache(maxsize=4)
def _first_commits(folder: Path, state: tuple[int, ...]) -> dict[str, str]:
    """Every file under `folder` -> its first commit's date (committer's, as pushed)."""
    command = [
        "git", "-c", "core.quotepath=off", "-C", str(folder), "log", "--diff-filter=A",
        "--format=%x00%cI", "--name-only", "--relative", "--no-renames", "--", ".",
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, timeout=GIT_TIMEOUT, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("git log in %s failed (%s): no dates from commits", folder, exc)
        return {}
    found: dict[str, str] = {}
    for commit in done.stdout.decode("utf-8", "replace").split("\0")[1:]:
        when, _, names = commit.partition("\n")
        for name in names.split("\n"):
            if name.strip():
                found[name.strip()] = when.strip()  # newest first: the oldest stays
    return found
