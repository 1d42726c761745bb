"""Outputs written atomically (`atomic.atomic_path`): what is in the way, what cannot be written."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from bookmaker import atomic

POST = "---\ntitle: 一\ndate: 2025-01-01\n---\n正文\n"


def test_a_fifo_named_by_o_is_refused_before_the_build_and_stays_a_fifo(make_project, run_cli):
    """`-o /dev/full` (as root) made the device a 2.7 MB regular file, with exit 0."""
    project = make_project({"content/a.md": POST})
    os.mkfifo(project / "pipe")
    with pytest.raises(SystemExit) as exit_:
        run_cli(project, "epub", "-q", "-o", "pipe")
    assert exit_.value.code == 2
    assert stat.S_ISFIFO((project / "pipe").lstat().st_mode)
    assert not (project / "build").exists()


def test_the_refusal_is_one_line_naming_the_file(make_project, monkeypatch, capsys):
    from bookmaker.cli import main

    project = make_project({"content/a.md": POST})
    os.mkfifo(project / "pipe")
    monkeypatch.chdir(project)
    with pytest.raises(SystemExit):
        main(["epub", "-o", "pipe"])
    assert "error: argument -o/--output: pipe is not a regular file" in capsys.readouterr().err


def test_a_fifo_where_the_book_goes_is_not_replaced(tmp_path: Path):
    os.mkfifo(tmp_path / "x.epub")
    with pytest.raises(atomic.OutputError, match=r"x\.epub is not a regular file"):
        atomic.write_bytes(tmp_path / "x.epub", b"book")
    assert stat.S_ISFIFO((tmp_path / "x.epub").lstat().st_mode)


def test_a_folder_named_by_o_still_receives_the_book(make_project, run_cli):
    project = make_project({"content/a.md": POST, "out/.keep": ""})
    status, _, err = run_cli(project, "epub", "-o", "out")
    assert status == 0, err
    assert len(list((project / "out").glob("*.epub"))) == 1


def _read_only(folder: Path, monkeypatch) -> None:
    """Nothing in `folder` is renamed into place or removed, as on a read-only mount: not
    even a file that is not there (EROFS, not ENOENT). Tests run as root, where chmod
    would not stop a write."""

    def refuse(path) -> None:
        if Path(os.path.abspath(path)).parent == folder:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))

    real_replace, real_unlink = os.replace, Path.unlink
    monkeypatch.setattr(os, "replace", lambda s, d, **k: refuse(d) or real_replace(s, d, **k))
    monkeypatch.setattr(Path, "unlink", lambda p, *a, **k: refuse(p) or real_unlink(p, *a, **k))


def test_a_read_only_folder_is_one_error_line_not_a_traceback(make_project, run_cli, monkeypatch):
    project = make_project({"content/a.md": POST, "ro/.keep": ""})
    _read_only(project / "ro", monkeypatch)
    status, _, err = run_cli(project, "epub", "-o", "ro/x.epub")
    assert status == 2
    assert err.strip().splitlines()[-1] == "error: cannot write ro/x.epub: Read-only file system"
