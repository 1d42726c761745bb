"""Japanese plain-text ruby -> `<ruby>` in the Markdown source of a Japanese article.

Japanese writers mark furigana in plain text as Aozora Bunko, Kakuyomu and Narou do:
`｜憂鬱《ゆううつ》` (the bar marks where the base starts), `薔薇《ばら》` (the base is the
run of kanji before the brackets), or as DenDenMarkdown does, `{紫陽花|あじさい}` (and
`{漢字|かん|じ}`, one reading per character). The bar and the braces only ever mean ruby;
without a bar, only kana in 《》 after kanji does (《》 around other text is left as
written). Chinese uses ｜ and 《》 for other things, so only Japanese articles are read so.
"""

from __future__ import annotations

import html
import re

from . import mdsource

KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3007\u3006\u30f6"  # 々〇〆ヶ
KANA = "\u3041-\u309f\u30a0-\u30ff"
# (the full-width bar only: an ASCII one starts a table's cell)
BARRED = re.compile(r"｜([^｜|《》\n]{1,20})《([^《》\n]{1,30})》")
BARE = re.compile(rf"([{KANJI}]{{1,20}})《([{KANA}]{{1,30}})》")
# DenDenMarkdown: a base of Japanese text, readings without markup characters
BRACED = re.compile(rf"\{{([{KANJI}{KANA}]{{1,20}})((?:\|[^|{{}}<>\n`*_\[\]]{{1,30}})+)\}}")


def expand(source: str) -> str:
    """`source` with every ruby notation in its prose written as `<ruby>`."""
    if "《" not in source and "{" not in source:
        return source
    return mdsource.map_prose(source, lambda text, _: _prose(text))


def _prose(text: str) -> str:
    text = BARRED.sub(lambda m: _ruby(m.group(1), m.group(2)), text) if "》" in text else text
    text = BARE.sub(lambda m: _ruby(m.group(1), m.group(2)), text) if "》" in text else text
    return BRACED.sub(_braced, text) if "{" in text else text


def _braced(m: re.Match) -> str:
    base, readings = m.group(1), m.group(2)[1:].split("|")
    if len(readings) > 1 and len(readings) == len(base):  # one reading per character
        return "".join(_ruby(c, r) for c, r in zip(base, readings, strict=True))
    return _ruby(base, "".join(readings))


def _ruby(base: str, reading: str) -> str:
    # <rp>: a reader without ruby shows 漢字（かんじ）
    base, reading = html.escape(base.strip()), html.escape(reading.strip())
    return f"<ruby>{base}<rp>（</rp><rt>{reading}</rt><rp>）</rp></ruby>"
