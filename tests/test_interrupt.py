"""Killing a build at random points never damages the previous book (issue 9, item 10).

Each test builds a good book, changes the content, then starts `bookmaker epub`/`pdf` in
a subprocess and SIGKILLs its whole process group (workers too) after a delay spread over
the build's duration. After every kill the book is either the previous one, byte for
byte, or a complete new one; the only leftover is the killed build's own temporary file,
and the next build removes it.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pikepdf
import pytest

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow

KILLS = 4  # per format: enough to land in collecting, rendering and writing


def article(i: int, extra: str = "") -> str:
    body = "\n\n".join(
        f"第{i}篇的第{k}段，用来让构建花上一点时间。Text {k}。{extra}" for k in range(40)
    )
    return f"---\ntitle: 第{i}篇\ndate: 2024-03-{i % 28 + 1:02d}\n---\n\n{body}\n"


def project(tmp: Path, n: int = 30) -> Path:
    root = tmp / "project"
    (root / "content").mkdir(parents=True)
    (root / "bookmaker.toml").write_text('[book]\ntitle = "中断测试"\n[output]\ncache = false\n')
    for i in range(n):
        (root / "content" / f"2024-03-{i % 28 + 1:02d}-a{i}.md").write_text(article(i))
    return root


def start(root: Path, fmt: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1700000000"}
    return subprocess.Popen(
        [sys.executable, "-m", "bookmaker.cli", fmt, "-q", "-o", f"out/book.{fmt}"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes the workers too
    )


def build(root: Path, fmt: str) -> float:
    began = time.monotonic()
    proc = start(root, fmt)
    assert proc.wait(timeout=600) == 0
    return time.monotonic() - began


def intact(path: Path, fmt: str) -> bool:
    if fmt == "epub":
        with zipfile.ZipFile(path) as zf:
            return zf.testzip() is None and zf.read("mimetype") == b"application/epub+zip"
    with pikepdf.open(path) as pdf:
        return len(pdf.pages) > 0


def leftovers(out: Path, fmt: str) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name != f"book.{fmt}")


@pytest.mark.parametrize("fmt", ["epub", "pdf"])
def test_killed_builds_never_damage_the_previous_book(tmp_path, fmt):
    root = project(tmp_path)
    duration = build(root, fmt)
    book = root / "out" / f"book.{fmt}"
    good = book.read_bytes()
    # New content, so a finished build is told apart from the old book.
    (root / "content" / "2024-03-01-a0.md").write_text(article(0, extra="改过了"))
    rng = random.Random(f"interrupt-{fmt}")  # fixed seed: the same kill points every run
    finished = 0
    for _ in range(KILLS):
        proc = start(root, fmt)
        time.sleep(rng.uniform(0.05, duration * 1.1))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        assert intact(book, fmt)
        data = book.read_bytes()
        if data != good:
            finished += 1  # the build got to its rename: the new book, whole
            good = data
        stray = leftovers(root / "out", fmt)
        assert all(re.fullmatch(rf"\.book\.{fmt}\.\d+\.tmp", s) for s in stray), stray
    # A kill inside the short write window leaves the temporary file: make sure of one.
    (root / "out" / f".book.{fmt}.{proc.pid}.tmp").write_bytes(b"half a book")
    build(root, fmt)  # a later build cleans up what the killed ones left
    assert leftovers(root / "out", fmt) == []
    assert intact(book, fmt)


def test_ctrl_c_while_the_pdf_renderer_starts_prints_one_line_no_traceback(tmp_path):
    """The fork server ignored SIGINT only after its preload (WeasyPrint, the warm-up page):
    a Ctrl-C in the first second or two printed its KeyboardInterrupt traceback under
    "interrupted", and a part forked for the build that had gone printed another."""
    root = project(tmp_path, n=2)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for delay in (0.3, 0.6, 0.9, 1.2, 1.6):
        proc = subprocess.Popen(
            [sys.executable, "-m", "bookmaker.cli", "pdf", "-o", "out/book.pdf"],
            cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,  # as a terminal's Ctrl-C: the whole process group
        )  # fmt: skip
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGINT)
        out, _ = proc.communicate(timeout=120)
        assert "Traceback" not in out, (delay, out[-2000:])
        assert proc.returncode in (0, 130, -signal.SIGINT), (delay, out[-2000:])
