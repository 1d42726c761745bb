"""The opt-in downloader: private addresses refused at every hop, time and size capped,
downloads cached. A local server on 127.0.0.1 stands in for the internet, so these tests
relax the address policy to "127.0.0.1 only" where they need a download to happen."""

from __future__ import annotations

import http.server
import ipaddress
import socket
import threading
import time
from datetime import UTC, datetime
from typing import ClassVar

import pytest

from bookmaker import fetch, images
from bookmaker.config import Config
from bookmaker.fetch import FetchError
from bookmaker.model import Article, Image, Problem, Site

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
)


def loopback_only(ip) -> bool:
    return ip == ipaddress.ip_address("127.0.0.1")


class Handler(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []
    hosts: ClassVar[list[str]] = []

    def do_GET(self):
        Handler.hits.append(self.path)
        Handler.hosts.append(self.headers.get("Host", ""))
        port = self.server.server_address[1]
        routes = {
            "/img.png": lambda: self.send(200, PNG, "image/png"),
            "/hop": lambda: self.redirect("/img.png"),
            "/to-private": lambda: self.redirect("http://10.0.0.1/img.png"),
            "/to-localhost-name": lambda: self.redirect(f"http://localhost:{port}/img.png"),
            "/loop": lambda: self.redirect("/loop"),
            "/big": lambda: self.send(200, b"\0" * 50_000, "image/png"),
            "/big-no-length": lambda: self.stream(b"\0" * 50_000),
            "/slow": lambda: (time.sleep(3), self.send(200, PNG, "image/png")),
            "/404": lambda: self.send(404, b"no", "text/plain"),
        }
        routes.get(self.path, routes["/404"])()

    def send(self, status, body, kind):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def stream(self, body):
        self.send_response(200)
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # the client hanging up on /big is the point of that test


@pytest.fixture(scope="module")
def server():
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def _clear_hits():
    Handler.hits.clear()
    Handler.hosts.clear()


def test_loopback_refused_by_default_without_a_request(server, tmp_path):
    with pytest.raises(FetchError, match=r"127\.0\.0\.1 .* not public"):
        fetch.fetch(server + "/img.png", tmp_path)
    assert Handler.hits == []


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "2002:7f00:1::1",
        "ff02::1",
    ],
)
def test_default_policy_refuses_non_public_addresses(address):
    assert not fetch.public_only(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1::1", "1.1.1.1"])
def test_default_policy_allows_public_addresses(address):
    assert fetch.public_only(ipaddress.ip_address(address))


def test_download_with_relaxed_policy(server, tmp_path):
    got = fetch.fetch(server + "/img.png", tmp_path, allow=loopback_only)
    assert got.path.read_bytes() == PNG and got.content_type == "image/png"


def test_cached_after_the_first_download(server, tmp_path):
    fetch.fetch(server + "/img.png", tmp_path, allow=loopback_only)
    again = fetch.fetch(server + "/img.png", tmp_path, allow=loopback_only)
    assert again.path.read_bytes() == PNG and Handler.hits == ["/img.png"]


def test_torn_cache_entry_downloaded_again(server, tmp_path):
    got = fetch.fetch(server + "/img.png", tmp_path, allow=loopback_only)
    got.path.write_bytes(PNG[:10])
    assert fetch.fetch(server + "/img.png", tmp_path, allow=loopback_only).path.read_bytes() == PNG
    assert len(Handler.hits) == 2


def test_redirects_followed(server, tmp_path):
    got = fetch.fetch(server + "/hop", tmp_path, allow=loopback_only)
    assert got.path.read_bytes() == PNG and got.url.endswith("/img.png")


def test_every_hop_checked_redirect_to_private_refused(server, tmp_path):
    with pytest.raises(FetchError, match=r"10\.0\.0\.1 .* not public"):
        fetch.fetch(server + "/to-private", tmp_path, allow=loopback_only)


def fake_dns(monkeypatch, table: dict[str, list[str]]):
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kw):
        if host not in table:
            return real(host, port, *args, **kw)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in table[host]]

    monkeypatch.setattr(fetch.socket, "getaddrinfo", getaddrinfo)


def test_host_with_any_refused_address_is_refused(server, tmp_path, monkeypatch):
    fake_dns(monkeypatch, {"mixed.example": ["127.0.0.1", "10.0.0.5"]})
    port = server.rsplit(":", 1)[1]
    with pytest.raises(FetchError, match=r"10\.0\.0\.5 of mixed\.example is not public"):
        fetch.fetch(f"http://mixed.example:{port}/img.png", tmp_path, allow=loopback_only)
    assert Handler.hits == []


def test_connects_to_the_checked_address_and_names_the_host(server, tmp_path, monkeypatch):
    fake_dns(monkeypatch, {"images.example": ["127.0.0.1"]})
    port = server.rsplit(":", 1)[1]
    got = fetch.fetch(f"http://images.example:{port}/img.png", tmp_path, allow=loopback_only)
    assert got.path.read_bytes() == PNG and Handler.hosts == [f"images.example:{port}"]


def test_redirect_loop_stops(server, tmp_path):
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch.fetch(server + "/loop", tmp_path, allow=loopback_only)
    assert len(Handler.hits) == 6


def test_size_cap_by_header_and_by_counting(server, tmp_path):
    for path in ("/big", "/big-no-length"):
        with pytest.raises(FetchError, match="larger than"):
            fetch.fetch(server + path, tmp_path, allow=loopback_only, max_bytes=10_000)
    assert not list(tmp_path.iterdir())  # nothing half-written in the cache


def test_timeout(server, tmp_path):
    with pytest.raises(FetchError, match="timed out"):
        fetch.fetch(server + "/slow", tmp_path, allow=loopback_only, timeout=0.5)


def test_http_errors_and_other_schemes(server, tmp_path):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch.fetch(server + "/404", tmp_path, allow=loopback_only)
    with pytest.raises(FetchError, match="not an http"):
        fetch.fetch("ftp://example.com/x.png", tmp_path)


def test_store_fetches_only_with_opt_in_and_reports_refusals(server, tmp_path):
    project = tmp_path / "p"
    (project / "content").mkdir(parents=True)
    site = Site("plain", project, (project / "content",), (project,), "test")
    article = Article(
        project / "content/a.md", "content/a.md", "t", datetime(2025, 1, 1, tzinfo=UTC), "", 1, "a"
    )
    config = Config(base=project).override("images", fetch_remote=True)
    store = images.ImageStore.create(config, site)
    result = store.resolve(server + "/img.png", article, 3)
    # The real policy applies inside the store: the loopback test server is refused.
    assert isinstance(result, Problem) and "not public" in result.message
    assert Handler.hits == []


def test_store_uses_a_download(server, tmp_path):
    project = tmp_path / "p"
    (project / "content").mkdir(parents=True)
    site = Site("plain", project, (project / "content",), (project,), "test")
    article = Article(
        project / "content/a.md", "content/a.md", "t", datetime(2025, 1, 1, tzinfo=UTC), "", 1, "a"
    )
    config = Config(base=project).override("images", fetch_remote=True)
    store = images.ImageStore.create(config, site)
    store.fetch_allow = loopback_only
    img = store.resolve(server + "/img.png", article)
    assert isinstance(img, Image) and (img.width, img.height) == (1, 1)
    assert img.source.is_relative_to(project / ".bookmaker-cache")
