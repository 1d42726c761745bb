"""`bookmaker serve`: a real server on 127.0.0.1 (ephemeral port), checked with http.client."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path
from urllib.parse import unquote

import pytest
from lxml import etree
from test_opds import NS, make_epub, make_pdf, validate

from bookmaker import opds
from bookmaker.serve import App, is_stale, make_server

HOST = "127.0.0.1"  # tests only ever talk to loopback


@contextlib.contextmanager
def serving(folder: Path, **app_args):
    app = App(folder, folder.parent, **app_args)
    server = make_server(app, HOST, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def fetch(port: int, path: str, method: str = "GET", headers: dict | None = None):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def shelf(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("serve") / "build"
    make_epub(folder / "shan-zhong.epub")
    make_epub(folder / "shan-zhong.kepub.epub")
    make_pdf(folder / "shan-zhong.pdf")
    make_epub(
        folder / "notes.epub",
        title="Field Notes",
        author="Ann",
        lang="en",
        cover=None,
        modified="2024-01-01T00:00:00Z",
    )
    (folder / "secret.txt").write_text("not a book")
    return folder


@pytest.fixture(scope="module")
def port(shelf):
    with serving(shelf) as p:
        yield p


def test_feed_is_valid_opds_over_http(port):
    status, headers, body = fetch(port, "/opds")
    assert status == 200
    assert headers["content-type"] == opds.ACQUISITION_FEED
    assert headers["server"] == "bookmaker"  # no Python version told to the network
    root = validate(body)
    assert root.xpath("string(a:link[@rel='self']/@href)", namespaces=NS) == "/opds"
    assert root.xpath("string(a:link[@rel='start']/@href)", namespaces=NS) == "/opds"


def test_every_acquisition_link_downloads_the_right_bytes(port, shelf):
    root = etree.fromstring(fetch(port, "/opds")[2])
    links = root.xpath("//a:link[@rel=$r]", namespaces=NS, r=opds.ACQUISITION)
    assert len(links) == 4
    for link in links:
        status, headers, body = fetch(port, link.get("href"))
        path = shelf / unquote(link.get("href").lstrip("/"))
        assert status == 200, link.get("href")
        assert body == path.read_bytes()
        assert headers["content-type"] == link.get("type")
        assert headers["content-length"] == str(path.stat().st_size) == link.get("length")
        assert headers["last-modified"].endswith(" GMT")
        assert re.fullmatch(r'"[0-9a-f]+-[0-9a-f]+"', headers["etag"])  # strong
        assert headers["content-disposition"].startswith(f'attachment; filename="{path.name}"')


def test_content_disposition_carries_the_utf8_title(port):
    headers = fetch(port, "/shan-zhong.kepub.epub")[1]
    expected = "filename*=UTF-8''%E5%B1%B1%E4%B8%AD%E6%9D%A5%E4%BF%A1.kepub.epub"
    assert headers["content-disposition"].endswith(expected)  # 山中来信.kepub.epub
    assert headers["content-type"] == "application/kepub+zip"


def test_head_has_the_headers_and_no_body(port, shelf):
    status, headers, body = fetch(port, "/shan-zhong.pdf", "HEAD")
    assert status == 200 and body == b""
    assert headers["content-length"] == str((shelf / "shan-zhong.pdf").stat().st_size)
    assert headers["content-type"] == "application/pdf"


def test_if_none_match_gives_304(port):
    etag = fetch(port, "/shan-zhong.epub", "HEAD")[1]["etag"]
    status, headers, body = fetch(port, "/shan-zhong.epub", headers={"If-None-Match": etag})
    assert (status, body, headers["etag"]) == (304, b"", etag)
    other = fetch(port, "/shan-zhong.epub", headers={"If-None-Match": '"0-0"'})
    assert other[0] == 200 and other[2]
    feed_tag = fetch(port, "/opds")[1]["etag"]
    assert fetch(port, "/opds", headers={"If-None-Match": feed_tag})[0] == 304


def test_range_resumes_a_download(port, shelf):
    data = (shelf / "shan-zhong.epub").read_bytes()
    status, headers, body = fetch(port, "/shan-zhong.epub", headers={"Range": "bytes=100-"})
    assert status == 206 and body == data[100:]
    assert headers["content-range"] == f"bytes 100-{len(data) - 1}/{len(data)}"
    bad = fetch(port, "/shan-zhong.epub", headers={"Range": f"bytes={len(data)}-"})
    assert bad[0] == 416


@pytest.mark.parametrize(
    "path",
    [
        "/../",
        "/..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2Fshan-zhong.epub",
        "/thumbs/../shan-zhong.epub",
        "/secret.txt",
        "/build/",
        "/covers/",
        "/nothing",
        "/shan-zhong.epub/",
        "/%ff",
    ],
)
def test_only_catalog_files_are_reachable(port, path):
    assert fetch(port, path)[0] == 404


def test_only_get_and_head(port):
    for method in ("POST", "PUT", "DELETE", "OPTIONS", "PROPFIND"):
        status, headers, _ = fetch(port, "/shan-zhong.epub", method)
        assert status == 405 and headers["allow"] == "GET, HEAD"


def test_download_page_is_small_and_self_contained(port):
    status, headers, body = fetch(port, "/")
    page = body.decode("utf-8")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert len(body) < 30_000
    assert '<html lang="zh-CN">' in page
    assert "<script" not in page.lower()
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing from elsewhere
    assert "EPUB · " in page and "KEPUB · " in page and "PDF · " in page
    assert "Kindle" in page and "bookmaker send" in page and "KOReader" in page
    assert f"http://{HOST}:{port}/opds" in page  # the URL to type into KOReader
    assert "下载" in page or "二维码" in page  # written in the books' language
    for src in re.findall(r'<img[^>]* src="([^"]+)"', page):
        status, headers, _ = fetch(port, src)
        assert status == 200 and headers["content-type"] in ("image/jpeg", "image/svg+xml")


def test_qr_code_of_the_address(port):
    status, headers, body = fetch(port, "/qr.svg")
    assert status == 200 and headers["content-type"] == "image/svg+xml"
    assert f"http://{HOST}:{port}/".encode() in body  # its title names the address


def test_search_answers_an_acquisition_feed(port):
    status, _, body = fetch(port, "/opds/search?q=field")
    assert status == 200
    root = validate(body)
    assert root.xpath("a:entry/a:title/text()", namespaces=NS) == ["Field Notes"]
    osd = fetch(port, "/opds/search.xml")[2]
    assert f"http://{HOST}:{port}/opds/search?q={{searchTerms}}".encode() in osd


def test_a_search_sent_as_raw_utf8_finds_the_book(port):
    """Some readers send `?q=山中` unencoded; http.server read its bytes as Latin-1."""
    import socket

    with socket.create_connection((HOST, port), timeout=30) as sock:
        sock.sendall(
            "GET /opds/search?q=山中 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
        )
        reply = b"".join(iter(lambda: sock.recv(65536), b""))
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert etree.fromstring(body).xpath("a:entry/a:title/text()", namespaces=NS) == ["山中来信"]
    encoded = fetch(port, "/opds/search?q=%E5%B1%B1%E4%B8%AD")[2]
    assert etree.fromstring(encoded).xpath("a:entry/a:title/text()", namespaces=NS) == ["山中来信"]


def test_a_range_whose_end_is_before_its_start_is_ignored(port, shelf):
    """RFC 7233 2.1: `bytes=5-2` is no range; the whole file, not 416."""
    status, headers, body = fetch(port, "/shan-zhong.epub", headers={"Range": "bytes=5-2"})
    assert status == 200 and body == (shelf / "shan-zhong.epub").read_bytes()
    assert "content-range" not in headers


def test_password_is_required_when_set(shelf):
    with serving(shelf, password="s3cret 密码") as p:
        status, headers, _ = fetch(p, "/opds")
        assert status == 401 and headers["www-authenticate"].startswith('Basic realm="bookmaker"')

        def auth(pw: str) -> dict:
            token = base64.b64encode(f"reader:{pw}".encode()).decode()
            return {"Authorization": f"Basic {token}"}

        assert fetch(p, "/shan-zhong.epub", headers=auth("wrong"))[0] == 401
        assert fetch(p, "/shan-zhong.epub", headers={"Authorization": "Basic !!"})[0] == 401
        assert fetch(p, "/shan-zhong.epub", headers=auth("s3cret 密码"))[0] == 200


def test_token_puts_everything_under_a_secret_path(shelf):
    with serving(shelf, prefix="/t0ken/") as p:
        assert fetch(p, "/opds")[0] == 404
        assert fetch(p, "/wrong/opds")[0] == 404
        assert fetch(p, "/shan-zhong.epub")[0] == 404
        status, _, body = fetch(p, "/t0ken/opds")
        assert status == 200
        root = validate(body)
        hrefs = root.xpath("//a:link/@href", namespaces=NS)
        assert hrefs and all(h.startswith("/t0ken/") for h in hrefs)
        assert fetch(p, "/t0ken/shan-zhong.epub")[0] == 200
        assert fetch(p, "/t0ken/")[0] == 200


def test_a_rebuilt_book_is_served_fresh(tmp_path):
    make_epub(tmp_path / "b" / "a.epub", title="Old")
    with serving(tmp_path / "b") as p:
        old = fetch(p, "/a.epub")[1]["etag"]
        time.sleep(0.01)
        make_epub(tmp_path / "b" / "new.epub", title="New")
        make_epub(tmp_path / "b" / "a.epub", title="Old", description="rebuilt, longer " * 9)
        status, headers, body = fetch(p, "/a.epub", headers={"If-None-Match": old})
        assert status == 200 and headers["etag"] != old
        assert body == (tmp_path / "b" / "a.epub").read_bytes()
        assert fetch(p, "/new.epub")[0] == 200  # a new book appears without a restart


@pytest.mark.slow
def test_fifty_concurrent_downloads_of_20mb_in_bounded_memory(tmp_path):
    size = 20 * 1024 * 1024
    book = make_epub(tmp_path / "big" / "big.epub", cover=None, padding=size)
    digest = hashlib.sha256(book.read_bytes()).hexdigest()
    results: list[tuple[int, str]] = []

    def download(p: int) -> None:
        conn = http.client.HTTPConnection(HOST, p, timeout=60)
        conn.request("GET", "/big.epub")
        r = conn.getresponse()
        h = hashlib.sha256()
        while chunk := r.read(64 * 1024):  # the client holds little too
            h.update(chunk)
        conn.close()
        results.append((r.status, h.hexdigest()))

    with serving(tmp_path / "big") as p:
        fetch(p, "/opds")  # scan once before measuring
        tracemalloc.start()
        try:
            threads = [threading.Thread(target=download, args=(p,)) for _ in range(50)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(120)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert results == [(200, digest)] * 50
    # 50 × 20 MB = 1 GB went through; the server (and clients) held a few chunks each.
    assert peak < 50 * 1024 * 1024, f"peak Python memory {peak / 1e6:.1f} MB"


def _built(make_project):
    """A project whose books were made after its inputs, and its config."""
    from bookmaker.config import load

    project = make_project({
        "content/a.md": "# A\n",
        "content/b.md": "# B\n",
        "bookmaker.toml": "[book]\ntitle='Demo'\n",
        ".bookmaker-cache/.bookmaker-cache": "",
    })  # fmt: skip
    config = load(None, project)
    assert is_stale(config)  # nothing built yet
    time.sleep(0.02)  # file times tick in jiffies: the books come a tick after the inputs
    make_epub(project / "build" / "demo.epub")
    make_pdf(project / "build" / "demo.pdf")
    assert not is_stale(config)
    time.sleep(0.02)
    return project, config


def test_books_are_stale_after_an_edit(make_project):
    project, config = _built(make_project)
    (project / "content" / "a.md").write_text("# A, edited\n")
    assert is_stale(config)


@pytest.mark.parametrize(
    "change",
    [
        lambda content: (content / "b.md").unlink(),
        lambda content: (content / "b.md").rename(content / "c.md"),
        lambda content: (content / "b.md").rename(content.parent / "b.md"),
    ],
    ids=["deleted", "renamed", "moved out"],
)
def test_books_are_stale_after_an_article_leaves_or_is_renamed(make_project, change):
    """Only file times were compared: a deleted article's book was served as it was."""
    project, config = _built(make_project)
    change(project / "content")
    assert is_stale(config)


def test_books_are_stale_after_files_come_in_with_their_old_times(make_project, tmp_path):
    """`rsync -a` and `cp -p` keep a file's old mtime: the new article was not noticed."""
    import shutil

    old = tmp_path / "old.md"
    old.write_text("# Old\n")
    os.utime(old, (time.time() - 86400, time.time() - 86400))
    project, config = _built(make_project)
    shutil.copy2(old, project / "content" / "old.md")
    assert (project / "content" / "old.md").stat().st_mtime < time.time() - 3600
    assert is_stale(config)


def test_what_the_build_writes_does_not_make_the_books_stale(make_project):
    project, config = _built(make_project)
    (project / "build" / "demo.kepub.epub").write_bytes(b"kepub")
    (project / ".bookmaker-cache" / "articles").mkdir()
    assert not is_stale(config)


def test_serve_without_books_says_what_to_do(make_project, run_cli):
    status, _, err = run_cli(make_project({}), "serve", "--no-build", "--port", "0")
    assert status == 2 and "bookmaker build" in err


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_a_port_out_of_range_is_a_usage_error(make_project, run_cli, capsys, port):
    """`--port 99999` was an OverflowError from the socket, with a traceback."""
    with pytest.raises(SystemExit) as exit_:
        run_cli(make_project({}), "serve", "--no-build", "--port", port)
    assert exit_.value.code == 2
    assert f"--port: '{port}' is not a port number from 0 to 65535" in capsys.readouterr().err


def _start_cli(project: Path, *args: str) -> tuple[subprocess.Popen, str, str]:
    """`bookmaker serve …` in a child process: it, the URL it announced, what it printed."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bookmaker.cli", "serve", "--port", "0", *args],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    deadline = time.monotonic() + 240  # a first build renders the whole book
    printed = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        printed.append(line)
        if line.startswith("Ctrl-C"):
            url = next(x for x in printed if x.startswith("serving ")).split(" at ")[1]
            return proc, url.strip(), "".join(printed)
    proc.kill()
    raise AssertionError(f"no server announced: {proc.stderr.read()}")


def _stop(proc: subprocess.Popen) -> tuple[int, str]:
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=30)
    return proc.returncode, out


def test_serve_command_announces_url_and_qr_and_stops_on_ctrl_c(tmp_path):
    project = tmp_path / "p"
    make_epub(project / "build" / "demo.epub")
    proc, url, printed = _start_cli(project, "--no-build", "--token", "abc")
    try:
        assert url.startswith(f"http://{HOST}:") and url.endswith("/abc/")
        port = int(url.split(":")[2].split("/")[0])
        assert fetch(port, "/abc/opds")[0] == 200
        assert fetch(port, "/opds")[0] == 404
    finally:
        status, out = _stop(proc)
    assert status == 0 and "stopped" in out
    assert "▀" in printed and "▄" in printed  # the QR code, drawn in the terminal
    assert f"{url}opds" in printed


@pytest.mark.slow
def test_serve_builds_missing_books_first(make_project):
    project = make_project(
        {
            "bookmaker.toml": "[book]\ntitle = 'Serve Demo'\nlanguage = 'en'\n",
            "content/2025-01-02-a.md": "---\ntitle: Hello\ndate: 2025-01-02\n---\n\nSome text.\n",
        }
    )
    proc, url, _ = _start_cli(project)
    try:
        port = int(url.split(":")[2].split("/")[0])
        root = validate(fetch(port, "/opds")[2])
        types = root.xpath("//a:link[@rel=$r]/@type", namespaces=NS, r=opds.ACQUISITION)
        assert types == ["application/epub+zip", "application/pdf"]
        assert root.xpath("string(//a:entry/a:title)", namespaces=NS) == "Serve Demo"
    finally:
        _stop(proc)


def test_warns_when_listening_on_the_network_without_protection(shelf, caplog, capsys):
    from bookmaker.serve import _announce

    app = App(shelf, shelf.parent)
    server = make_server(app, HOST, 0)  # bound to loopback; only the message is checked
    try:
        with caplog.at_level("WARNING", logger="bookmaker.serve"):
            _announce(server, app, "0.0.0.0", protected=False)
            assert "--password or --token" in caplog.text
            caplog.clear()
            _announce(server, app, "0.0.0.0", protected=True)
            assert "--password" not in caplog.text
    finally:
        server.server_close()
    assert "/opds" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh-TW", "書架"), ("zh-Hant", "書架"), ("zh-CN", "书架"), ("ja", "本棚"), ("fr", "Books")],
)
def test_page_speaks_the_books_language(tmp_path, lang, expected):
    from bookmaker import downloadpage
    from bookmaker.catalog import Urls, scan

    make_epub(tmp_path / "build" / "a.epub", lang=lang)
    make_epub(tmp_path / "build" / "b.epub", lang=lang, author="Other")
    page = downloadpage.render(scan(tmp_path / "build"), Urls(), tmp_path, "opds.xml")
    assert f'<html lang="{lang}">' in page
    assert f"<h1>{expected}</h1>" in page


def test_a_kepub_older_than_an_edit_is_stale(make_project):
    """`bookmaker build` after an edit renews the EPUB and PDF but not a KEPUB made before:
    serve went on offering the KEPUB with the old text."""
    project, config = _built(make_project)
    make_epub(project / "build" / "demo.kepub.epub")
    time.sleep(0.02)
    (project / "content" / "a.md").write_text("# A, edited\n")
    time.sleep(0.02)
    make_epub(project / "build" / "demo.epub")
    make_pdf(project / "build" / "demo.pdf")
    assert is_stale(config)


def test_serve_rebuilds_the_kepub_with_the_books(make_project, run_cli):
    """`build --kepub`, an edit, then `serve`: the EPUB and PDF were rebuilt, and the
    download page and /opds offered the KEPUB with the text as it was before the edit."""
    import argparse
    import zipfile

    from bookmaker.config import load
    from bookmaker.serve import _build_if_stale

    project = make_project({
        "bookmaker.toml": "[book]\ntitle = 'Demo'\nlanguage = 'en'\n",
        "content/2025-01-02-a.md": "---\ntitle: Hello\ndate: 2025-01-02\n---\n\nOld words.\n",
    })  # fmt: skip
    assert run_cli(project, "build", "--kepub")[0] == 0
    time.sleep(0.02)
    article = project / "content" / "2025-01-02-a.md"
    article.write_text(article.read_text().replace("Old words", "New words"))
    assert _build_if_stale(load(None, project), argparse.Namespace(strict=False)) == 0
    for name in ("demo.epub", "demo.kepub.epub"):
        with zipfile.ZipFile(project / "build" / name) as z:
            text = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
        assert "New words" in text and "Old words" not in text, name


@pytest.mark.parametrize(
    ("kepub", "expected"),
    [
        (True, "<li>Kobo：点 KEPUB（Kobo 上效果最好）或 EPUB，书会出现在书库中。</li>"),
        (False, "<li>Kobo：点 EPUB，书会出现在书库中。（用 bookmaker build --kepub "
         "还能生成 KEPUB，在 Kobo 上开书、翻页更快。）</li>"),
    ],
)  # fmt: skip
def test_the_kobo_advice_names_only_buttons_on_the_page(tmp_path, kepub, expected):
    """With no KEPUB built, the page told Kobo users to tap a KEPUB button it did not have."""
    from bookmaker import downloadpage
    from bookmaker.catalog import Urls, scan

    make_epub(tmp_path / "build" / "a.epub")
    if kepub:
        make_epub(tmp_path / "build" / "a.kepub.epub")
    page = downloadpage.render(scan(tmp_path / "build"), Urls(), tmp_path, "opds.xml")
    assert expected in page
    assert ("KEPUB · " in page) == kepub
