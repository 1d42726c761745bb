"""A site whose config names no language -> `ja` when its articles are written in Japanese.

Jekyll's starter `_config.yml` has no `lang`, and many blogs never add one; the book's
default language is Chinese (`zh-CN`), which would set a Japanese blog in Chinese glyph
shapes with “” quotes and Chinese spacing. Kana tell Japanese apart: Chinese text has none.
A few articles are read, in a fixed order, so the guess is the same on every run.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .model import Site

SUFFIXES = (".md", ".markdown")
FILES = 40  # articles read at most
HEAD = 8192  # bytes of each
KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa]")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
SHARE = 0.2  # kana among kana and Han: Japanese prose has about half; Chinese, none


def guess(site: Site) -> str:
    """`ja` when the site's articles are Japanese, else "" (the book's default stands)."""
    kana = han = 0
    for path in _articles(site):
        try:
            with path.open(encoding="utf-8", errors="replace") as f:
                text = f.read(HEAD)
        except OSError:
            continue
        kana += len(KANA.findall(text))
        han += len(HAN.findall(text))
    return "ja" if kana and kana >= SHARE * (kana + han) else ""


def _articles(site: Site) -> list[Path]:
    found: list[Path] = []
    for folder in site.content_dirs:
        for where, subdirs, files in os.walk(folder):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith((".", "_site")))
            found += [Path(where) / f for f in sorted(files) if f.lower().endswith(SUFFIXES)]
            if len(found) >= FILES:
                return found[:FILES]
    return found
