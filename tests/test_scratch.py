"""Temporary folders (`atomic.scratch_dir`): those of killed builds are removed, no others."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

from bookmaker import atomic


def test_folders_of_killed_builds_are_removed_and_nothing_else(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    hours_ago = time.time() - 2 * atomic.STALE_AFTER_S

    def folder(name: str, touched: float = hours_ago):
        path = tmp_path / name
        path.mkdir()
        (path / "body-0.pdf").write_bytes(b"%PDF-1.7 a part")
        os.utime(path, (touched, touched))
        return path

    killed = folder(f"bookmaker-pdf-{dead}-k1")
    kept = [
        folder(f"bookmaker-pdf-{dead}-k2", touched=time.time()),  # may be building elsewhere
        folder(f"bookmaker-pdf-{os.getpid()}-k3"),  # its process is alive
        folder("bookmaker-pdf-x7q2"),  # no process in its name
        folder(f"bookmaker-cache-{dead}-k4"),  # another kind: swept by its own kind
    ]
    elsewhere = folder("not-ours")
    link = tmp_path / f"bookmaker-pdf-{dead}-k5"
    link.symlink_to(elsewhere, target_is_directory=True)

    made = atomic.scratch_dir("pdf")

    assert not killed.exists()
    assert all(p.exists() for p in kept)
    assert link.is_symlink() and (elsewhere / "body-0.pdf").exists()
    assert made.is_dir() and made.name.startswith(f"bookmaker-pdf-{os.getpid()}-")
    made.rmdir()
