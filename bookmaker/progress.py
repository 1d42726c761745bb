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
# The terminal has one line for every display: the open ones, innermost last (`writing pdf`
# holds `pdf parts`), and how wide the drawn text is, whichever display drew it.
_open: list[Progress] = []
_drawn_width = 0


class Progress:
    """`with Progress("rendering", total) as p: … p.advance()`."""

    def __init__(self, stage: str, total: int = 0, stream: TextIO | None = None, enabled=None):
        self.stage, self.total, self.done = stage, total, 0
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _wanted(self.stream) if enabled is None else enabled
        self._drawn_at = 0.0

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
        global _drawn_width
        if self not in _open:
            _open.append(self)
        text = (
            f"{self.stage} {self.done}/{self.total}" if self.total else f"{self.stage} {self.done}"
        )
        self.stream.write("\r" + text.ljust(_drawn_width))  # over all of the previous text
        self.stream.flush()
        _drawn_width = len(text)

    def close(self) -> None:
        if self in _open:
            _open.remove(self)
            _erase(self.stream)
            if _open:  # back to the stage this one was part of
                _open[-1]._draw()


def _erase(stream: TextIO) -> None:
    global _drawn_width
    if _drawn_width:
        stream.write("\r" + " " * _drawn_width + "\r")
        stream.flush()
        _drawn_width = 0


class ProgressHandler(logging.StreamHandler):
    """The log handler for stderr: a message gets a line of its own, not the end of
    `images 12`, and the display comes back under it."""

    def emit(self, record: logging.LogRecord) -> None:
        shown = _open[-1] if _open else None
        if shown is not None:
            _erase(shown.stream)
        super().emit(record)
        if shown is not None:
            shown._draw()


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
