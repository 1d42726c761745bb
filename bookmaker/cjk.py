"""Character classes and tables of CJK typography: which characters are Han, punctuation, Latin.

Everything here is data (strings usable inside a regex character class, small mappings);
the passes that use it live in punctuation.py, spacing.py and typography.py.
"""

from __future__ import annotations

from dataclasses import dataclass

# Ideographs and the scripts set like them (kana, bopomofo, hangul). Ranges, not \p{Han}:
# the standard `re` module has no Unicode script classes.
HAN = (
    "\u2e80-\u2fdf"  # radicals
    "\u3005\u3007\u3021-\u3029\u3038-\u303b"  # 々 〇 Hangzhou numerals
    "\u3040-\u309f\u30a0-\u30fa\u30fc-\u30ff"  # hiragana, katakana (not ・ U+30FB)
    "\u3100-\u312f\u31a0-\u31bf"  # bopomofo
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK unified, extension A, compatibility
    "\uac00-\ud7af"  # hangul syllables
    "\U00020000-\U0003134f"  # extensions B–G
)

# Full-width punctuation by the side its glyph leaves blank in SC/JP fonts (clreq §3.1.6):
# closing marks keep their ink on the left, opening marks on the right.
OPENING = "（［｛〔〈《「『【〖〘〚“‘"
CLOSING = "）］｝〕〉》」』】〗〙〛”’"
STOPS = "，。、；：？！．"  # pause and stop marks, blank on the right
MIDDLE = "·・～—…"  # never compressed: no blank half
FULLWIDTH_PUNCT = OPENING + CLOSING + STOPS + MIDDLE
# Unambiguous full-width marks (curly quotes, dashes and ellipses are shared with English).
FW_MARKS = "，。、；：？！（）［］｛｝〔〕〈〉《》「」『』【】〖〗"

# Any character after which Latin-style spacing does not apply.
CJK = HAN + FULLWIDTH_PUNCT + "\u3000-\u303f\uff01-\uff60"

LATIN_ALNUM = "A-Za-z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"

# Quarter-em Han–Latin gap. U+2005 FOUR-PER-EM SPACE is ¼ em by definition in every font
# (Noto CJK, PingFang, the readers' fallbacks), is a line-break opportunity after itself
# only (UAX 14 class BA, so it can never start a line), is not collapsed away or stretched
# by CSS justification like U+0020, and needs no CSS, so a reader that ignores our styles
# still shows the right gap. The PDF strips it at line ends (justify.py); EPUB readers
# hang it (CSS Text 3 §4.1.3). A `<span>` with a margin would show at line edges.
HL_SPACE = "\u2005"
WJ = "\u2060"  # WORD JOINER: Pango and browsers never break on either side of it
ZWSP = "\u200b"  # ZERO WIDTH SPACE: a break opportunity (print only: typography.quote_breaks)

# Marks that may not start a line, and that Pango (UAX 14) would still put there.
NO_START_FIXES = "·～"

HALF_TO_FULL = {",": "，", ".": "。", ";": "；", ":": "：", "?": "？", "!": "！"}
PARENS = {"(": "（", ")": "）"}
NAME_SEPARATORS = "・•．\u2027\uff65"  # → U+00B7 between Han (not in Japanese)

# Full-width ASCII letters and digits (ＡＢＣ１２３) → ASCII. Punctuation stays full-width.
FULLWIDTH_ALNUM = {
    cp: cp - 0xFEE0
    for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}

# Quote pairs (primary, nested) for each quote style.
QUOTES = {
    "curly": ("“", "”", "‘", "’"),
    "corner": ("「", "」", "『", "』"),
}
ALL_OPEN_QUOTES = "“‘「『"
ALL_CLOSE_QUOTES = "”’」』"

# Elements whose text must stay byte for byte as the author wrote it.
PROTECTED = frozenset({"pre", "code", "kbd", "samp", "script", "style", "math", "svg", "var"})
# Elements that start a new run of text: quotes pair and paragraphs end inside them.
BLOCKS = frozenset(
    {
        "p", "li", "dt", "dd", "td", "th", "caption", "figcaption", "blockquote", "div",
        "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "aside", "header",
        "footer", "ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "figure",
        "details", "summary", "hr", "br", "nav", "ruby",
    }
)  # fmt: skip
PARAGRAPHS = frozenset({"p", "li", "dd", "figcaption"})  # orphan control applies


@dataclass(frozen=True)
class Profile:
    name: str  # "zh-Hans" | "zh-Hant" | "ja" | "en"
    lang: str  # the tag the output is labelled with
    quotes: str  # "curly" | "corner"
    spacing: bool  # Han–Latin quarter-em spacing
    compression: bool  # adjacent punctuation pairs set 1.5 em
    name_separator: bool  # ・ • ． → ·


HANS = Profile("zh-Hans", "zh-CN", "curly", True, True, True)
HANT = Profile("zh-Hant", "zh-TW", "corner", True, False, True)
JA = Profile("ja", "ja", "corner", False, True, False)
EN = Profile("en", "en", "curly", False, False, False)

HANT_TAGS = ("zh-tw", "zh-hk", "zh-mo", "zh-hant")
# OpenCC configuration → the language of its output.
CONVERT_TARGET = {
    "s2t": "zh-Hant", "s2tw": "zh-TW", "s2twp": "zh-TW", "s2hk": "zh-HK",
    "t2s": "zh-CN", "tw2s": "zh-CN", "tw2sp": "zh-CN", "hk2s": "zh-CN",
    "t2tw": "zh-TW", "t2hk": "zh-HK", "tw2t": "zh-Hant", "hk2t": "zh-Hant",
    "jp2t": "zh-Hant", "t2jp": "ja",
}  # fmt: skip


def own_language(lang: str, book_lang: str) -> str:
    """`lang` when a text in it must say so inside a book in `book_lang` (another profile:
    its glyph shapes, its quotes), else "": an article's title in the contents."""
    return lang if lang and profile_for(lang) != profile_for(book_lang) else ""


def profile_for(lang: str) -> Profile:
    """The typography profile of a BCP 47 tag: zh-Hans, zh-Hant, ja, or en (untouched)."""
    tag = (lang or "").strip().lower().replace("_", "-")
    if tag.startswith("ja"):
        return JA
    if tag == "zh" or tag.startswith("zh-") or tag in ("cmn", "yue"):
        if any(tag == t or tag.startswith(t + "-") for t in HANT_TAGS) or "-hant" in tag:
            return HANT
        return HANS
    return EN
