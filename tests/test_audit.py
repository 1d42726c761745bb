"""A whole build of the hostile collection under an audit hook: no file opened outside the
allowed roots, no network socket, in the main process and in every worker it spawns.

The hook is installed by a `sitecustomize.py` on PYTHONPATH, so the spawned render and
PDF workers (fresh interpreters) carry it too. It records violations to a log file opened
before it was installed, so recording never triggers it. It sees what Python opens
(`open`, `io.open`, `os.open`): WeasyPrint's URL loading, Pillow, fontTools, our own reads.
It cannot see files that C libraries open themselves (fontconfig's cache, Pango); those
are system font configuration, not article-controlled paths.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_hostile import REPO, plant

pytestmark = pytest.mark.slow

HOOK = r"""
import os, sys
if os.environ.get("BOOKMAKER_AUDIT_LOG"):
    _fd = os.open(os.environ["BOOKMAKER_AUDIT_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    _allowed = tuple(p for p in os.environ["BOOKMAKER_AUDIT_ALLOW"].split(os.pathsep) if p)
    _tmp = os.environ["TMPDIR"]

    def _inside(p, roots):
        return any(p == r or p.startswith(r.rstrip("/") + "/") for r in roots)

    def _hook(event, args):
        if event == "open" and not isinstance(args[0], int):
            p = os.path.abspath(os.fsdecode(args[0]))
            # Opening a folder reads nothing: Python 3.13's importlib.resources tries each
            # parent of a namespace package (pyphen's dictionaries) as a zip archive.
            if not _inside(p, _allowed) and not os.path.isdir(p):
                os.write(_fd, f"open {p} mode={args[1]}\n".encode())
        elif event == "socket.connect":
            address = args[1]
            # multiprocessing talks to its workers over AF_UNIX sockets in TMPDIR
            if not (isinstance(address, str) and _inside(address, (_tmp,))):
                os.write(_fd, f"socket.connect {address!r}\n".encode())
        elif event in ("socket.getaddrinfo", "socket.gethostbyname", "urllib.Request"):
            os.write(_fd, f"{event} {args[0]!r}\n".encode())

    sys.addaudithook(_hook)
"""


def allowed_roots(project: Path, tmpdir: Path) -> list[str]:
    """Every prefix a build may open, and why."""
    roots = [
        project,  # the content, its site, bookmaker.toml, the output folder and the cache
        REPO / "bookmaker",  # our own modules
        REPO / "layouts",  # the built-in templates and CSS
        REPO / "fonts",  # bundled fonts
        REPO / "bookmaker.egg-info",  # importlib.metadata reads entry points of what is on the path
        Path(sys.prefix),  # the venv: site-packages (WeasyPrint's own CSS, pyphen, …)
        Path(sys.base_prefix),  # the Python standard library the venv runs on
        Path("/usr/share/fonts"),  # the system CJK faces subset into the books
        Path("/etc/fonts"),  # fontconfig's configuration
        Path("/etc/mime.types"),  # mimetypes.init() reads the system's MIME table
        Path("/dev/null"),  # subprocess and multiprocessing plumbing
        Path("/dev/urandom"),  # random seeds (os.urandom may fall back to the file)
        tmpdir,  # TMPDIR: temporary files and multiprocessing's sockets, nothing else in /tmp
    ]
    return [str(r) for r in roots]


def audited(project: Path, tmp: Path, argv: list[str]) -> tuple[subprocess.CompletedProcess, str]:
    hook_dir = tmp / "hook"
    hook_dir.mkdir(exist_ok=True)
    (hook_dir / "sitecustomize.py").write_text(HOOK)
    tmpdir = tmp / "tmpdir"
    tmpdir.mkdir(exist_ok=True)
    log = tmp / "audit.log"
    log.write_text("")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(hook_dir), str(REPO)]),
        "BOOKMAKER_AUDIT_LOG": str(log),
        "BOOKMAKER_AUDIT_ALLOW": os.pathsep.join(allowed_roots(project, tmpdir)),
        "TMPDIR": str(tmpdir),
    }
    result = subprocess.run(
        [sys.executable, *argv], cwd=project, env=env, capture_output=True, text=True, timeout=600
    )
    return result, log.read_text()


def test_the_hook_catches_an_open_outside_the_roots_and_a_socket(tmp_path):
    # Without this, a hook that never fires would make the real test pass vacuously.
    project = plant(tmp_path)
    code = "open('../secret.txt').read(); import socket; socket.getaddrinfo('example.com', 80)"
    _, log = audited(project, tmp_path, ["-c", code])
    assert f"open {tmp_path / 'secret.txt'}" in log
    assert "socket.getaddrinfo 'example.com'" in log


def test_build_opens_nothing_outside_the_roots_and_no_socket(tmp_path):
    project = plant(tmp_path)
    result, log = audited(project, tmp_path, ["-m", "bookmaker.cli", "build", "-o", "out"])
    assert result.returncode == 1, result.stderr[-3000:]  # the collection has errors
    assert list((project / "out").glob("*.epub")) and list((project / "out").glob("*.pdf"))
    assert log == ""
