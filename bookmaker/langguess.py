"""A site whose config names no language, or English -> the language its articles are in.

Jekyll's starter `_config.yml` has no `lang`, and many blogs never add one; the book's
default language is Chinese (`zh-CN`), which would set a Japanese blog in Chinese glyph
shapes with “” quotes and Chinese spacing. Hugo's starter config says `en-us`, which
would leave Japanese text untouched, in no Japanese font. Kana tell Japanese apart:
Chinese text has none but what it quotes; and an English blog quotes a Japanese word, not
whole articles.
The same starter `en-us` (Jekyll themes' `lang: en`, Hexo's `language: en`) over a
Chinese blog would set it as an English book: no Chinese spacing, quotes or fonts. Han
without kana is Chinese; the characters only one script has (这/這, 们/們, 说/說) tell
Simplified from Traditional, which a Taiwanese or Hong Kong blog with no language set
needs: the default `zh-CN` would give it “” quotes and Simplified glyph shapes.
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
# Common characters Simplified and Traditional Chinese write differently, pair by pair; none
# the other script also writes (not 后/後, 里/裡, 发/髮, 干/乾 …).
SIMPLIFIED = (
    "这们说国为来时会个对过还发经学实现没么样点开关见问题让长东车书门话语读写认识记边从"
    "体头买亲应该当难与业产动单变号听图场声处岁师带帮张归总无显机条极标欢汉满热独画监码"
    "离种简类练组细终结给统网习联脑节药虽规视觉观计论设证评词试请课谁调谈谢负质贵资转轻"
    "较达运进远连选钱银间闻队阳际随须顾领风飞鱼"
)
TRADITIONAL = (
    "這們說國為來時會個對過還發經學實現沒麼樣點開關見問題讓長東車書門話語讀寫認識記邊從"
    "體頭買親應該當難與業產動單變號聽圖場聲處歲師帶幫張歸總無顯機條極標歡漢滿熱獨畫監碼"
    "離種簡類練組細終結給統網習聯腦節藥雖規視覺觀計論設證評詞試請課誰調談謝負質貴資轉輕"
    "較達運進遠連選錢銀間聞隊陽際隨須顧領風飛魚"
)
SIMPLIFIED_ONLY = re.compile(f"[{SIMPLIFIED}]")
TRADITIONAL_ONLY = re.compile(f"[{TRADITIONAL}]")
# What is not prose: fenced code (a Chinese tech post's is most of its Latin) and addresses.
NOT_PROSE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1|https?://\S+", re.M | re.S)
# Japanese or Chinese among them and Latin letters, when the site says it is English: a
# Japanese or Chinese tech article has well over this; an English one quoting either, little.
OVER_ENGLISH = 0.3


def guess(site: Site, over_english: bool = False) -> str:
    """The language the site's articles are written in: `ja`, `zh-CN` or `zh-TW`; "" when
    they are not written in Chinese or Japanese. `over_english`: the site says it is
    English; the Han and kana must also outweigh the Latin letters."""
    kana = han = latin = chinese = simplified = traditional = 0
    for path in _articles(site):
        try:
            with path.open(encoding="utf-8", errors="replace") as f:
                text = NOT_PROSE.sub(" ", f.read(HEAD))
        except OSError:
            continue
        kana += len(KANA.findall(text))
        han += len(HAN.findall(text))
        latin += len(LATIN.findall(text))
        chinese += len(CHINESE.findall(text))
        simplified += len(SIMPLIFIED_ONLY.findall(text))
        traditional += len(TRADITIONAL_ONLY.findall(text))
    written = kana + han
    if not written or (over_english and written < OVER_ENGLISH * (written + latin)):
        return ""
    if kana > 0 and kana >= SHARE * written and chinese < CHINESE_SHARE * written:
        return "ja"
    return "zh-TW" if traditional > simplified else "zh-CN"


NAMES = {"ja": "Japanese", "zh-CN": "Simplified Chinese", "zh-TW": "Traditional Chinese"}

# Where each kind of site names its language, for the notice that the book does not follow it.
KEYS = {
    "jekyll": "lang",
    "hexo": "language",
    "hugo": "languageCode",
    "zola": "default_language",
}


def key(site: Site) -> str:
    if site.kind == "jekyll" and not site.variables.get("lang"):
        return "locale"  # Minimal Mistakes' `locale: "en-US"`
    return KEYS.get(site.kind, "language")


def _articles(site: Site) -> list[Path]:
    found: list[Path] = []
    for folder in site.content_dirs:
        for where, subdirs, files in os.walk(folder):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith((".", "_site")))
            names = sorted(
                f for f in files if f.lower().endswith(SUFFIXES) and not _translation(site, f)
            )
            # (only the paths read are made: a folder may hold 10,000 posts)
            found += [Path(where) / f for f in names[: FILES - len(found)]]
            if len(found) >= FILES:
                return found
    return found


def _translation(site: Site, name: str) -> bool:
    """`post.ja.md` beside `post.md` on a Hugo or Zola site: a translation the book leaves
    out, whose language is not the book's (an English blog's Japanese versions)."""
    if site.kind not in ("hugo", "zola"):
        return False
    language = hugopages.split_language(site, name.rsplit(".", 1)[0])[1]
    default = site.default_language.lower() or "en"  # (Hugo's defaultContentLanguage)
    return bool(language) and language.split("-")[0] != default.split("-")[0]
