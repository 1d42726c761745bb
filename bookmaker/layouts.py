"""Finds templates, CSS and fonts: the user's layout folder first, then the built-in one.

A user's `layouts/<name>/` only holds the files it changes; the first folder that has a
file wins, and a user's template may `{% extends "default/…" %}` the built-in one.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import jinja2

BUILTIN = Path(__file__).resolve().parent.parent / "layouts"
BUILTIN_FONTS = Path(__file__).resolve().parent.parent / "fonts"


@dataclass(frozen=True)
class Layout:
    dirs: tuple[Path, ...]  # searched in order
    font_dirs: tuple[Path, ...]

    def find(self, name: str) -> Path:
        for d in self.dirs:
            candidate = d / name
            if candidate.is_file():
                return candidate
        raise FileNotFoundError(
            f"layout file {name!r} not found in {', '.join(map(str, self.dirs))}"
        )

    def read(self, name: str) -> str:
        return self.find(name).read_text(encoding="utf-8")

    def render(self, template: str, **context) -> str:
        return self._env().get_template(template).render(**context)

    @functools.cache  # noqa: B019 - Layouts are few, frozen and live for the whole build
    def _env(self) -> jinja2.Environment:
        loader = jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader([str(d) for d in self.dirs]),
                jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(str(BUILTIN / "default"))}),
            ]
        )
        # Autoescape everything: titles and tags come from articles we did not write.
        return jinja2.Environment(loader=loader, autoescape=True, keep_trailing_newline=True)


def load_layout(base: Path, name: str = "default") -> Layout:
    """The layout `name` for a project whose config lives in `base`."""
    dirs = [base / "layouts" / name, BUILTIN / name]
    if name != "default":
        dirs.append(BUILTIN / "default")
    existing = tuple(d.resolve() for d in dirs if d.is_dir())
    fonts = tuple(d.resolve() for d in (base / "fonts", BUILTIN_FONTS) if d.is_dir())
    return Layout(dirs=existing, font_dirs=fonts)
