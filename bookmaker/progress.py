"""One small progress display for long stages: `collecting 812/10000` on stderr.

Shown only when stderr is a terminal and bookmaker is not quiet (`-q`), redrawn at most
ten times a second, and erased when the stage ends, so logs and pipes never see it.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import TextIO

REDRAW_SECONDS = 0.1
_showing: Progress | None = None  # the display whose line is on the terminal now


class Progress:
    """`with Progress("rendering", total) as p: … p.advance()`."""

    def __init__(self, stage: str, total: int = 0, stream: TextIO | None = None, enabled=None):
        self.stage, self.total, self.done = stage, total, 0
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _wanted(self.stream) if enabled is None else enabled
        self._drawn_at = 0.0
        self._width = 0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.enabled:
            now = time.monotonic()
            if now - self._drawn_at >= REDRAW_SECONDS or self.done == self.total:
                self._drawn_at = now
                self._draw()

    def _draw(self) -> None:
        global _showing
        _showing = self
        text = (
            f"{self.stage} {self.done}/{self.total}" if self.total else f"{self.stage} {self.done}"
        )
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = len(text)

    def close(self) -> None:
        global _showing
        if _showing is self:
            _showing = None
        self._erase()

    def _erase(self) -> None:
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0
            self._drawn_at = 0.0  # drawn again at the next advance


class ClearsProgress(logging.Filter):
    """On a log handler: a message gets a line of its own, not the end of `images 12/95`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _showing is not None:
            _showing._erase()
        return True


def _wanted(stream: TextIO) -> bool:
    quiet = logging.getLogger("bookmaker").getEffectiveLevel() > logging.INFO
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not quiet


def track(items, stage: str):
    """Iterate over a sized collection while showing progress."""
    with Progress(stage, len(items)) as p:
        for item in items:
            yield item
            p.advance()
