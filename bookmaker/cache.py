"""Where the build cache lives. Entries are keyed by content hashes; a bad entry is rebuilt."""

from __future__ import annotations

import atexit
import shutil
from functools import cache
from pathlib import Path

from .atomic import scratch_dir
from .config import Config
from .errors import BookmakerError


def cache_dir(config: Config) -> Path:
    """The cache folder for this config: `.bookmaker-cache/` beside it, or a throwaway one."""
    if not config.output.cache:
        return _throwaway()
    path = config.path(config.output.cache_dir)
    path.mkdir(parents=True, exist_ok=True)
    (path / ".bookmaker-cache").touch()  # marks the folder as ours, for `bookmaker clean`
    return path


@cache
def _throwaway() -> Path:
    path = scratch_dir("cache")
    atexit.register(shutil.rmtree, path, True)
    return path


def clean(config: Config) -> Path | None:
    """Remove the cache folder; returns it if there was one."""
    path = config.path(config.output.cache_dir)
    if not path.is_dir():
        return None
    if not (path / ".bookmaker-cache").exists() and any(path.iterdir()):
        # Guard against `--cache-dir ~` mistakes: only remove folders bookmaker made.
        raise BookmakerError(f"{path} does not look like a bookmaker cache; not removing it")
    shutil.rmtree(path)
    return path
