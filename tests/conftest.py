"""Shared fixtures: small inline projects built on disk."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def make_project(tmp_path: Path):
    """make_project({"content/a.md": "…", "bookmaker.toml": "…"}) -> the project folder.

    Text values are dedented and written as UTF-8; bytes are written as they are.
    """

    def make(files: dict[str, str | bytes], root: Path | None = None) -> Path:
        base = root or tmp_path / "project"
        base.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            path = base / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(textwrap.dedent(data).lstrip("\n"), encoding="utf-8")
        return base

    return make


@pytest.fixture
def run_cli(monkeypatch, capsys):
    """run_cli(project, "list", "--json") -> (exit status, stdout, stderr), run in `project`."""
    from bookmaker.cli import main

    def run(project: Path, *argv: str):
        monkeypatch.chdir(project)
        status = main(list(argv))
        out, err = capsys.readouterr()
        return status, out, err

    return run
