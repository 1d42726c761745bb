"""The one URL fetcher WeasyPrint gets: files inside the roots, small data: URLs, nothing else.

WeasyPrint's default fetcher reads any `file://` URL an article names, follows http(s),
and hangs on a FIFO or exhausts memory on `/dev/zero`. Every HTML, CSS, font, image and
SVG reference of the print document goes through `SafeFetcher.fetch`: a `file:` URL must
resolve (symlinks followed) to a regular file inside the roots and under the size cap;
`data:` URLs are served when small; every other URL is refused and recorded.

Aliases let the print HTML name files by a stable URL (`file:///bookmaker-cache/…`) that
the fetcher maps to the real folder: WeasyPrint names each image in the PDF by a hash of
its URL, so a URL holding a throwaway folder's name would make every build's bytes differ.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from .errors import UnsafePathError
from .paths import Roots, real_url

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 64 * 1024 * 1024  # the largest image or font a printed page needs
MAX_DATA_BYTES = 2 * 1024 * 1024  # inline `data:` images beyond this are a smell, not a figure


class RefusedURL(Exception):
    """Raised to WeasyPrint, which then leaves the resource out and goes on."""


class SafeFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that only serves files inside `roots`.

    `refused` lists `(url, reason)` for every URL turned away, in the order asked;
    the PDF backend turns them into Problems naming the article that used the URL.
    """

    def __init__(self, roots: Roots, max_bytes: int = MAX_FILE_BYTES, aliases=()):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = roots
        self.max_bytes = max_bytes
        self.aliases = tuple(aliases)  # (stable URL prefix, real URL prefix)
        self.refused: list[tuple[str, str]] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        try:
            if scheme == "file":
                return self._file(url)
            if scheme == "data":
                return self._data(url)
            raise RefusedURL(f"{scheme or 'relative'} URLs are not loaded (no network)")
        except RefusedURL as exc:
            self.refused.append((real_url(url, self.aliases), str(exc)))
            log.debug("refused %s: %s", url, exc)
            raise

    def _file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(real_url(url, self.aliases))
        if parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"file URL on another host ({parts.netloc})")
        path = Path(url2pathname(unquote(parts.path)))
        try:
            resolved = self.roots.check(path, self.max_bytes)
        except UnsafePathError as exc:
            raise RefusedURL(str(exc)) from None
        data = _read_capped(resolved, self.max_bytes)
        media_type = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, data, {"Content-Type": media_type})

    def _data(self, url: str) -> URLFetcherResponse:
        header, _, payload = url[5:].partition(",")
        # The encoded size bounds the decoded size: refuse before decoding anything big.
        if len(payload) > MAX_DATA_BYTES * 4 // 3 + 4:
            raise RefusedURL(f"data: URL larger than {MAX_DATA_BYTES // 1024} KB")
        media_type = header.split(";", 1)[0] or "text/plain"
        try:
            if header.endswith(";base64"):
                data = base64.b64decode(payload, validate=False)
            else:
                data = unquote(payload).encode("utf-8")
        except ValueError as exc:
            raise RefusedURL(f"malformed data: URL ({exc})") from None
        return URLFetcherResponse("data:", data, {"Content-Type": media_type})


def _read_capped(path: Path, max_bytes: int) -> bytes:
    # The size was checked before opening, but the file may grow in between.
    with open(path, "rb") as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise RefusedURL(f"{path}: larger than {max_bytes // (1024 * 1024)} MB")
    return data


def make_url_fetcher(roots: Roots, max_bytes: int = MAX_FILE_BYTES, aliases=()) -> SafeFetcher:
    """A fetcher for WeasyPrint's `url_fetcher=` that reads only inside `roots`."""
    return SafeFetcher(roots, max_bytes, aliases)
