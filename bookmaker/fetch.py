"""A remote image URL -> its bytes in the on-disk cache (only when the user opted in).

Articles are often someone else's: a URL may point at the machine's own services
(`http://127.0.0.1:8080/admin`, cloud metadata at 169.254.169.254) or redirect there. So we
resolve each host ourselves, refuse it unless every address it resolves to is public, and
connect to the address we checked (a second DNS answer cannot slip in). This is repeated at
every redirect hop. Time and size are capped; proxies from the environment are not used.
"""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import json
import logging
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from . import atomic

log = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
TIMEOUT = 20.0  # seconds for the whole download, every hop included
MAX_REDIRECTS = 5
USER_AGENT = "bookmaker (+https://github.com/bookmaker; fetches images for an e-book)"
REDIRECTS = {301, 302, 303, 307, 308}

AddressPolicy = Callable[[ipaddress.IPv4Address | ipaddress.IPv6Address], bool]


class FetchError(Exception):
    """The download was refused or failed; the message says why, for the user."""


def public_only(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """The default policy: globally routable unicast only.

    Refuses private, loopback, link-local (cloud metadata), multicast, reserved, shared
    (CGNAT) and unspecified addresses, also when wrapped in IPv6 (`::ffff:127.0.0.1`).
    """
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None and not public_only(inner):
            return False
    return ip.is_global and not ip.is_multicast


@dataclass(frozen=True)
class Fetched:
    path: Path  # the downloaded bytes, in the cache
    url: str  # the final URL after redirects
    content_type: str


def fetch(
    url: str,
    cache: Path,
    *,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
    max_redirects: int = MAX_REDIRECTS,
    allow: AddressPolicy = public_only,
) -> Fetched:
    """`url` downloaded into `cache/` (or found there from an earlier build)."""
    entry = cache / hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
    cached = _cached(entry)
    if cached is not None:
        return cached
    deadline = time.monotonic() + timeout
    current = url
    for _ in range(max_redirects + 1):
        status, headers, body = _get(current, deadline, max_bytes, allow)
        if status in REDIRECTS and headers.get("location"):
            current = urljoin(current, headers["location"])
            continue
        if status != 200:
            raise FetchError(f"HTTP {status}")
        return _store(entry, url, current, headers.get("content-type", ""), body)
    raise FetchError(f"more than {max_redirects} redirects")


def _cached(entry: Path) -> Fetched | None:
    """The cached download, if its sidecar and bytes agree (a torn entry is fetched again)."""
    try:
        meta = json.loads(entry.with_suffix(".json").read_text(encoding="utf-8"))
        data = entry.with_suffix(".bin").read_bytes()
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or hashlib.sha256(data).hexdigest() != meta.get("sha256"):
        return None
    return Fetched(
        entry.with_suffix(".bin"), str(meta.get("final", "")), str(meta.get("content_type", ""))
    )


def _store(entry: Path, url: str, final: str, content_type: str, body: bytes) -> Fetched:
    entry.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_bytes(entry.with_suffix(".bin"), body)
    meta = {
        "url": url,
        "final": final,
        "content_type": content_type,
        "sha256": hashlib.sha256(body).hexdigest(),
    }
    atomic.write_text(entry.with_suffix(".json"), json.dumps(meta, sort_keys=True))
    return Fetched(entry.with_suffix(".bin"), final, content_type)


def _get(url: str, deadline: float, max_bytes: int, allow: AddressPolicy):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) URL: {url}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError(f"bad port in {url}") from None
    address = _checked_address(parts.hostname, port, allow)
    conn = _connection(parts.scheme, parts.hostname, port, address, _left(deadline))
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "image/*"})
        resp = conn.getresponse()
        headers = {k.lower(): v for k, v in resp.getheaders()}
        body = b"" if resp.status in REDIRECTS else _read(resp, headers, deadline, max_bytes)
        return resp.status, headers, body
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError(_reason(exc)) from None
    finally:
        conn.close()


def _checked_address(host: str, port: int, allow: AddressPolicy) -> str:
    """One address of `host`, after checking that *every* address it resolves to is allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host} ({exc})") from None
    addresses = sorted({info[4][0] for info in infos})
    if not addresses:
        raise FetchError(f"cannot resolve {host}")
    for a in addresses:
        if not allow(ipaddress.ip_address(a.split("%")[0])):
            raise FetchError(f"address {a} of {host} is not public: refused")
    return addresses[0]


def _connection(scheme: str, host: str, port: int, address: str, timeout: float):
    """An HTTP(S) connection to `address` that still speaks to (and verifies) `host`."""
    base = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection

    class Pinned(base):
        def connect(self):
            sock = socket.create_connection((address, port), timeout=self.timeout)
            if scheme == "https":
                sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
            self.sock = sock

    return Pinned(host, port, timeout=timeout)


def _read(resp, headers: dict[str, str], deadline: float, max_bytes: int) -> bytes:
    length = headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise FetchError(f"larger than {_mb(max_bytes)} MB")
    chunks: list[bytes] = []
    total = 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError("timed out")
        chunk = resp.read1(65536)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > max_bytes:
            raise FetchError(f"larger than {_mb(max_bytes)} MB")
        chunks.append(chunk)


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError("timed out")
    return left


def _reason(exc: Exception) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out"
    return str(exc) or type(exc).__name__


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g}"
