"""Catalog -> the download page: one small HTML file an e-ink browser shows well.

No JavaScript, no external resources, black on white, big full-width links. Its words are
in the books' language (Chinese, Japanese, English fallback); the template is
`serve/index.html` in the layout, so a project can restyle it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .catalog import FORMAT_LABELS, Catalog, CatalogBook, Urls, human_size
from .layouts import load_layout
from .opds import ACQUISITION_FEED

DESCRIPTION_CHARS = 280  # a few lines: the page is a list, not the book's blurb

# Words of the page. Keys: a BCP 47 prefix, most specific first.
TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "heading": "Download",
        "books": "Books",
        "by": "by {author}",
        "howto": "How to get the book onto your device",
        "kindle": "Kindle: its browser cannot download EPUB. Use bookmaker send to e-mail it "
        "to your Send-to-Kindle address.",
        "kobo": "Kobo: tap KEPUB (best on Kobo) or EPUB; the book appears in your library.",
        "kobo_epub": "Kobo: tap EPUB; the book appears in your library. (bookmaker build "
        "--kepub also makes a KEPUB, which Kobo opens and turns faster.)",
        "koreader": "KOReader: add this OPDS catalog:",
        "phone": "Phones and tablets: scan the QR code, or tap EPUB.",
        "qr": "QR code of this page",
        "empty": "No books yet.",
    },
    "zh-Hant": {
        "heading": "下載",
        "books": "書架",
        "by": "{author} 著",
        "howto": "如何把書放進閱讀器",
        "kindle": "Kindle：瀏覽器無法下載 EPUB，請用 bookmaker send 寄到 Kindle 信箱。",
        "kobo": "Kobo：點 KEPUB（Kobo 上效果最好）或 EPUB，書會出現在書庫中。",
        "kobo_epub": "Kobo：點 EPUB，書會出現在書庫中。（用 bookmaker build --kepub "
        "還能產生 KEPUB，在 Kobo 上開書、翻頁更快。）",
        "koreader": "KOReader：在 OPDS 書庫中加入：",
        "phone": "手機和平板：掃描 QR 碼，或點 EPUB。",
        "qr": "本頁的 QR 碼",
        "empty": "還沒有書。",
    },
    "zh": {
        "heading": "下载",
        "books": "书架",
        "by": "{author} 著",
        "howto": "如何把书放进阅读器",
        "kindle": "Kindle：浏览器无法下载 EPUB，请用 bookmaker send 发送到 Kindle 邮箱。",
        "kobo": "Kobo：点 KEPUB（Kobo 上效果最好）或 EPUB，书会出现在书库中。",
        "kobo_epub": "Kobo：点 EPUB，书会出现在书库中。（用 bookmaker build --kepub "
        "还能生成 KEPUB，在 Kobo 上开书、翻页更快。）",
        "koreader": "KOReader：在 OPDS 书库中添加：",
        "phone": "手机和平板：扫描二维码，或点 EPUB。",
        "qr": "本页的二维码",
        "empty": "还没有书。",
    },
    "ja": {
        "heading": "ダウンロード",
        "books": "本棚",
        "by": "{author} 著",
        "howto": "端末に本を入れるには",
        "kindle": "Kindle：ブラウザーでは EPUB をダウンロードできません。bookmaker send で "
        "Kindle のメールアドレスに送ってください。",
        "kobo": "Kobo：KEPUB（Kobo に最適）か EPUB をタップ。ライブラリーに追加されます。",
        "kobo_epub": "Kobo：EPUB をタップ。ライブラリーに追加されます。（bookmaker build "
        "--kepub で作る KEPUB なら、Kobo での表示とページめくりがより速くなります。）",
        "koreader": "KOReader：OPDS カタログに追加：",
        "phone": "スマホ・タブレット：QR コードを読み取るか、EPUB をタップ。",
        "qr": "このページの QR コード",
        "empty": "まだ本がありません。",
    },
}
HANT = ("zh-hant", "zh-tw", "zh-hk", "zh-mo")
FONTS = {  # system fonts only: the page loads nothing from anywhere
    "zh": '"Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", serif',
    "zh-Hant": '"Noto Serif CJK TC", "Source Han Serif TC", "Songti TC", serif',
    "ja": '"Noto Serif CJK JP", "Source Han Serif JP", "Hiragino Mincho ProN", serif',
    "en": "Georgia, serif",
}


@dataclass(frozen=True)
class Link:
    href: str
    label: str  # "EPUB · 2.3 MB"
    media_type: str
    download: str  # the file name a browser should save


def texts_key(lang: str) -> str:
    low = lang.lower()
    if low.startswith(HANT):
        return "zh-Hant"
    primary = low.split("-")[0]
    return primary if primary in TEXTS else "en"


def render(
    catalog: Catalog,
    urls: Urls,
    base: Path,
    opds_url: str,
    qr_href: str = "",
) -> str:
    """The page as text. `opds_url` is shown to KOReader users: make it absolute if you can."""
    lang = catalog.language if catalog.books else "en"
    key = texts_key(lang)
    words = TEXTS[key]
    if not any(f.format == "kepub" for b in catalog.books for f in b.files):
        words = {**words, "kobo": words["kobo_epub"]}  # no KEPUB button to tap on this page
    books = [_book(b, urls) for b in catalog.books]
    return load_layout(base).render(
        "serve/index.html",
        lang=lang or "en",
        title=words["books"] if catalog.title == "Books" else catalog.title,
        words=words,
        font=FONTS[key],
        books=books,
        feed=urls.feed_page(1),
        feed_type=ACQUISITION_FEED,
        opds_url=opds_url,
        qr=qr_href,
    )


def _book(b: CatalogBook, urls: Urls) -> dict:
    desc = b.description
    if len(desc) > DESCRIPTION_CHARS:
        desc = desc[: DESCRIPTION_CHARS - 1].rstrip() + "…"
    return {
        "key": b.key,
        "title": b.title,
        "lang": b.language,
        # "by Ann Lee" beside "王小明 著": each book's line in its own language.
        "author": TEXTS[texts_key(b.language)]["by"].format(author=b.author) if b.author else "",
        "description": desc,
        "thumb": urls.thumb(b),
        "links": [
            Link(
                urls.book(f),
                f"{FORMAT_LABELS[f.format]} · {human_size(f.size)}",
                f.media_type,
                f.name,
            )
            for f in b.files
        ],
    }
