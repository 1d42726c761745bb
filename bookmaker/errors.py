"""Errors a user can fix (printed as one line, no traceback) and the problem records of a build."""

from __future__ import annotations


class BookmakerError(Exception):
    """A mistake the user can fix: printed as `error: …` without a traceback."""


class ConfigError(BookmakerError):
    """bookmaker.toml or a command-line flag is wrong."""


class ContentError(BookmakerError):
    """An input file is wrong; names the file and, where known, the line."""

    def __init__(self, path: str, message: str, line: int | None = None):
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


class UnsafePathError(BookmakerError):
    """A reference points outside the allowed roots (content, site, layout, fonts, cache)."""
