"""Path references from articles -> files proven to lie inside the allowed roots.

Every file an article makes bookmaker read (images, includes, anything WeasyPrint loads)
goes through `Roots.check` first: the reference is decoded, normalised, resolved with
symlinks followed, and must land on a regular file inside one of the roots.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import UnsafePathError

MAX_FILE_BYTES = 200 * 1024 * 1024  # no single input file is bigger in a real blog


def decode_reference(ref: str) -> str:
    """`%2e%2e\\x.png?v=1#top` -> `../x.png`: the path part, decoded, with `/` separators."""
    path = urlsplit(ref.strip()).path if "://" not in ref else urlsplit(ref).path
    # Decode repeatedly so double-encoded dots (`%252e`) cannot slip past the check.
    for _ in range(3):
        decoded = unquote(path)
        if decoded == path:
            break
        path = decoded
    return path.replace("\\", "/")


@dataclass(frozen=True)
class Roots:
    """Folders bookmaker may read from: content, site, layout, fonts, cache."""

    paths: tuple[Path, ...]

    @classmethod
    def of(cls, *paths: Path | None) -> Roots:
        seen: list[Path] = []
        for p in paths:
            if p is not None:
                r = Path(p).resolve()
                if r not in seen:
                    seen.append(r)
        return cls(tuple(seen))

    def contains(self, path: Path) -> bool:
        return any(path == r or path.is_relative_to(r) for r in self.paths)

    def check(self, path: Path, max_bytes: int = MAX_FILE_BYTES) -> Path:
        """`path` resolved, if it is a regular file inside a root; else UnsafePathError."""
        if "\x00" in str(path):
            raise UnsafePathError(f"{path}: not a valid path")
        resolved = Path(os.path.realpath(path))
        if not self.contains(resolved):
            raise UnsafePathError(f"{path}: outside the content folders")
        try:
            st = resolved.stat()
        except OSError:
            raise UnsafePathError(f"{path}: no such file") from None
        if not stat.S_ISREG(st.st_mode):
            raise UnsafePathError(f"{path}: not a regular file")
        if st.st_size > max_bytes:
            raise UnsafePathError(f"{path}: larger than {max_bytes // (1024 * 1024)} MB")
        return resolved

    def resolve_reference(self, ref: str, relative_to: Path, site_roots: tuple[Path, ...]) -> Path:
        """An article's reference (`../img/a.png`, `/img/a.png`) -> a checked file.

        Relative references resolve against the article's folder; site-absolute ones
        against each of `site_roots` in turn (Jekyll root, Hugo `static/`).
        """
        path = decode_reference(ref)
        if path.startswith("/"):
            last: UnsafePathError | None = None
            for root in site_roots:
                try:
                    return self.check(root / path.lstrip("/"))
                except UnsafePathError as exc:
                    last = exc
            raise last or UnsafePathError(f"{ref}: no site root to resolve it against")
        return self.check(relative_to / path)


def real_url(url: str, aliases) -> str:
    """`url` with a stable alias prefix replaced by the real one it stands for.

    (Here, not beside the fetcher that uses it: the PDF cache needs it too, in the process
    that renders nothing and so never imports WeasyPrint.)"""
    for stable, real in aliases:
        if url.startswith(stable):
            return real + url[len(stable) :]
    return url
