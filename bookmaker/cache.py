"""Where the build cache lives. Entries are keyed by content hashes; a bad entry is rebuilt."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

from .config import Config


def cache_dir(config: Config) -> Path:
    """The cache folder for this config: `.bookmaker-cache/` beside it, or a throwaway one."""
    if not config.output.cache:
        return _throwaway()
    path = config.path(config.output.cache_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


@cache
def _throwaway() -> Path:
    path = Path(tempfile.mkdtemp(prefix="bookmaker-cache-"))
    atexit.register(shutil.rmtree, path, True)
    return path
