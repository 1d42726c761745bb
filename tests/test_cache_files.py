"""Cache entries made from files (`atomic.copy_cache`): no bytes copied where a link will do."""

from __future__ import annotations

import os

from bookmaker import atomic


def test_an_entry_is_the_rendered_file_itself_on_one_file_system(tmp_path):
    part = tmp_path / "scratch" / "body-0.pdf"
    part.parent.mkdir()
    part.write_bytes(b"%PDF-1.7 a rendered part")
    entry = tmp_path / "cache" / "pdf" / "key.pdf"
    atomic.copy_cache(entry, part)
    assert entry.read_bytes() == b"%PDF-1.7 a rendered part"
    assert os.path.samefile(entry, part)  # linked: the part's 25 MB are not written twice
    part.unlink()  # the build's scratch folder goes; the entry stays
    assert entry.read_bytes() == b"%PDF-1.7 a rendered part"
    assert [p.name for p in entry.parent.iterdir()] == ["key.pdf"]  # no temporary left


def test_an_entry_is_copied_where_links_fail(tmp_path, monkeypatch):
    def no_links(*args):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    part = tmp_path / "part.pdf"
    part.write_bytes(b"new")
    entry = tmp_path / "key.pdf"
    entry.write_bytes(b"an older entry")
    atomic.copy_cache(entry, part)
    assert entry.read_bytes() == b"new" and not os.path.samefile(entry, part)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["key.pdf", "part.pdf"]
