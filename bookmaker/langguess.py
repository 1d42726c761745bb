"""A site whose config names no language, or English -> `ja` when its articles are Japanese.

Jekyll's starter `_config.yml` has no `lang`, and many blogs never add one; the book's
default language is Chinese (`zh-CN`), which would set a Japanese blog in Chinese glyph
shapes with “” quotes and Chinese spacing. Hugo's starter config says `en-us`, which
would leave Japanese text untouched, in no Japanese font. Kana tell Japanese apart:
Chinese text has none but what it quotes; and an English blog quotes a Japanese word, not
whole articles.
A few articles are read, in a fixed order, so the guess is the same on every run.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from . import hugopages
from .model import Site

SUFFIXES = (".md", ".markdown")
FILES = 40  # articles read at most
HEAD = 8192  # bytes of each
KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa]")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
SHARE = 0.2  # kana among kana and Han: Japanese prose has about half; Chinese, none
# … unless it quotes Japanese, as a Chinese blog about learning it does on every line. Words
# Chinese writes in every sentence and Japanese never (们, 这, 说, 吗, 呢, 很, 你, and their
# Traditional forms; not 的, 会, 学 or 時, which Japanese writes too) tell its own prose:
# some 5 in 100 of its Han and kana; Japanese articles, none.
CHINESE = re.compile(
    "[们們这這说說么麼吗嗎呢吧你她很让讓对對个沒會學习读讀语记词书见样樣问题话时过进发单裡]"
)
CHINESE_SHARE = 0.02
# Japanese among Japanese and Latin letters, when the site says it is English: a Japanese
# tech article with its code has well over this; an English one quoting Japanese, little.
OVER_ENGLISH = 0.3


def guess(site: Site, over_english: bool = False) -> str:
    """`ja` when the site's articles are Japanese, else "" (the book's default stands).
    `over_english`: the site says it is English; Japanese must also outweigh Latin."""
    kana = han = latin = chinese = 0
    for path in _articles(site):
        try:
            with path.open(encoding="utf-8", errors="replace") as f:
                text = f.read(HEAD)
        except OSError:
            continue
        kana += len(KANA.findall(text))
        han += len(HAN.findall(text))
        latin += len(LATIN.findall(text))
        chinese += len(CHINESE.findall(text))
    written = kana + han
    japanese = kana > 0 and kana >= SHARE * written and chinese < CHINESE_SHARE * written
    if over_english and kana + han < OVER_ENGLISH * (kana + han + latin):
        return ""
    return "ja" if japanese else ""


def _articles(site: Site) -> list[Path]:
    found: list[Path] = []
    for folder in site.content_dirs:
        for where, subdirs, files in os.walk(folder):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith((".", "_site")))
            found += [
                Path(where) / f
                for f in sorted(files)
                if f.lower().endswith(SUFFIXES) and not _translation(site, f)
            ]
            if len(found) >= FILES:
                return found[:FILES]
    return found


def _translation(site: Site, name: str) -> bool:
    """`post.ja.md` beside `post.md` on a Hugo or Zola site: a translation the book leaves
    out, whose language is not the book's (an English blog's Japanese versions)."""
    if site.kind not in ("hugo", "zola"):
        return False
    language = hugopages.split_language(site, name.rsplit(".", 1)[0])[1]
    default = site.default_language.lower() or "en"  # (Hugo's defaultContentLanguage)
    return bool(language) and language.split("-")[0] != default.split("-")[0]
