"""The PDF renderer's URL fetcher reads only regular files inside the roots."""

from __future__ import annotations

import base64
import os

import pytest

from bookmaker.paths import Roots
from bookmaker.urlfetch import MAX_DATA_BYTES, RefusedURL, make_url_fetcher


@pytest.fixture
def root(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ok.css").write_text("p { color: red }", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("SECRET", encoding="utf-8")
    return tmp_path / "in"


def test_serves_a_file_inside_the_roots(root):
    fetch = make_url_fetcher(Roots.of(root))
    response = fetch((root / "ok.css").as_uri())
    assert response.read() == b"p { color: red }"
    assert response.content_type == "text/css"
    assert fetch.refused == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/hostname",
        "file:///etc/passwd",
        "http://127.0.0.1/x.png",
        "https://example.com/x.png",
        "ftp://example.com/x",
        "file://evil.example/etc/hostname",
        "javascript:alert(1)",
    ],
)
def test_refuses_what_is_not_a_file_inside_the_roots(root, url):
    fetch = make_url_fetcher(Roots.of(root))
    with pytest.raises(RefusedURL):
        fetch(url)
    assert [u for u, _ in fetch.refused] == [url]


def test_refuses_dotdot_and_symlink_escapes(root):
    fetch = make_url_fetcher(Roots.of(root))
    (root / "link.txt").symlink_to(root.parent / "secret.txt")
    for url in (
        root.as_uri() + "/../secret.txt",
        (root / "link.txt").as_uri(),
        root.as_uri() + "/%2e%2e/secret.txt",
    ):
        with pytest.raises(RefusedURL):
            fetch(url)
    assert len(fetch.refused) == 3


def test_refuses_fifos_and_devices_without_hanging(root):
    os.mkfifo(root / "pipe")
    fetch = make_url_fetcher(Roots.of(root, root.parent))
    with pytest.raises(RefusedURL, match="regular file"):
        fetch((root / "pipe").as_uri())
    with pytest.raises(RefusedURL):
        fetch("file:///dev/zero")


def test_size_cap(root):
    (root / "big.png").write_bytes(b"\0" * 2048)
    fetch = make_url_fetcher(Roots.of(root), max_bytes=1024)
    with pytest.raises(RefusedURL, match="larger"):
        fetch((root / "big.png").as_uri())


def test_small_data_urls_are_served_big_ones_refused(root):
    fetch = make_url_fetcher(Roots.of(root))
    small = "data:image/png;base64," + base64.b64encode(b"\x89PNG tiny").decode()
    assert fetch(small).read() == b"\x89PNG tiny"
    big = "data:image/png;base64," + "A" * (MAX_DATA_BYTES * 2)
    with pytest.raises(RefusedURL, match="data: URL"):
        fetch(big)


def test_a_stable_alias_reads_the_real_folder_and_stays_inside_the_roots(root, tmp_path):
    aliases = (("file:///bookmaker-cache/", root.as_uri() + "/"),)
    fetch = make_url_fetcher(Roots.of(root), aliases=aliases)
    assert fetch("file:///bookmaker-cache/ok.css").read() == b"p { color: red }"
    with pytest.raises(RefusedURL):
        fetch("file:///bookmaker-cache/../secret.txt")
    assert fetch.refused[-1][0].startswith(root.as_uri())  # reported as the real file
