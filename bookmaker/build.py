"""The pipeline, top to bottom: collect -> render (Markdown, typography, images) -> backends."""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from pathlib import Path

from . import collect, render
from .config import Config
from .layouts import load_layout
from .model import Problem
from .progress import Progress

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildResult:
    outputs: tuple[Path, ...]
    problems: tuple[Problem, ...]


def output_path(config: Config, suffix: str) -> Path:
    from .naming import book_stem

    return config.path(config.output.dir) / f"{book_stem(config)}{suffix}"


def build(config: Config, formats: tuple[str, ...], output: Path | None = None) -> BuildResult:
    backends = {fmt: importlib.import_module(f"bookmaker.{fmt}") for fmt in formats}
    for backend in backends.values():
        if hasattr(backend, "prepare"):
            backend.prepare(config)  # (the PDF's renderer starts loading meanwhile)
    collection = collect.collect(config, require_articles=True)  # no empty book; own progress
    book = render.render_book(config, collection)
    layout = load_layout(config.base)
    outputs: list[Path] = []
    problems = list(book.problems)
    for fmt, backend in backends.items():
        target = output_path(config, f".{fmt}")
        if output and (output.is_dir() or len(formats) > 1):
            target = output / target.name  # `-o FOLDER`: the usual names, in that folder
        elif output:
            target = output
        with Progress(f"writing {fmt}", 1) as p:
            p.advance(0)  # the stage's name while the backend works
            written = backend.write(book, config, layout, target)
            p.advance()
        outputs.extend(written.paths)
        problems.extend(written.problems)
    return BuildResult(tuple(outputs), tuple(problems))
