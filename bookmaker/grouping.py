"""Ordered articles -> Chapters: by month, year, year then month, tag, category, or one chapter.

Chapter titles follow the book's language (`2025年10月`, `2025年`, `October 2025`); keys are
stable ASCII (`2025-10`, `2025`, `tag-travel`) for file names and ids.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from .config import Config
from .model import Article, Chapter
from .naming import ascii_slug, short_hash

MONTHS = (
    "January February March April May June July August September October November December"
).split()
# Monday first, as datetime.weekday() counts; a diary heads each day with its weekday.
WEEKDAYS = {
    "zh-hant": "星期一 星期二 星期三 星期四 星期五 星期六 星期日".split(),
    "zh": "星期一 星期二 星期三 星期四 星期五 星期六 星期日".split(),
    "ja": "月 火 水 木 金 土 日".split(),
    "ko": "월요일 화요일 수요일 목요일 금요일 토요일 일요일".split(),
    "": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split(),
}
AUTO_PER_CHAPTER = 3
OTHER = {"zh-hant": "未分類", "zh": "未分类", "ja": "その他", "ko": "기타", "": "Other"}
UNDATED = {
    "zh-hant": "未註明日期",
    "zh": "未注明日期",
    "ja": "日付なし",
    "ko": "날짜 없음",
    "": "Undated",
}


def chapters(articles: list[tuple[Article, bool]], config: Config) -> tuple[Chapter, ...]:
    """Group (article, dated) pairs, given oldest first, into chapters in the configured order."""
    lang = _family(config.book.language)
    newest = config.chapters.order == "newest"
    dated = [a for a, ok in articles if ok]
    undated = [a for a, ok in articles if not ok]
    if newest:
        dated.reverse()
        undated.reverse()  # (in number order, issue-1 … issue-340: the newest is the last)
    group = config.chapters.group
    if group == "auto":
        group = auto_group(dated)
        if undated and not dated:
            # No dates at all (a numbered newsletter): the sections of its README index, its
            # years, if it has them; else one chapter.
            group = "category" if all(a.categories for a in undated) else "none"
    if group == "none":
        return (Chapter("", "all", tuple(dated + undated)),)
    if group in ("tag", "category"):
        found = _by_label(dated + undated, group, lang)
    else:
        found = _by_date(dated, group, lang)
        if undated:
            found.append(Chapter(UNDATED[lang], "undated", tuple(undated)))
    return tuple(found)


def auto_group(dated: list[Article]) -> str:
    """Months when a blog posts at least AUTO_PER_CHAPTER a month on average, else years:
    a post a month made one-article chapters, each opening a page of its own (and, in print,
    a right-hand page, with a blank page before it)."""
    months = len({_month(a) for a in dated})
    return "month" if len(dated) >= AUTO_PER_CHAPTER * months else "year"


def _by_date(articles: list[Article], group: str, lang: str) -> list[Chapter]:
    if group == "year/month":
        years = _runs(articles, lambda a: f"{a.date.year:04d}")
        return [
            Chapter(
                year_title(int(key), lang), key, (), tuple(_by_date(list(items), "month", lang))
            )
            for key, items in years
        ]
    if group == "year":
        return [Chapter(year_title(int(k), lang), k, tuple(v)) for k, v in _runs(articles, _year)]
    return [Chapter(month_title(v[0].date, lang), k, tuple(v)) for k, v in _runs(articles, _month)]


def _year(a: Article) -> str:
    return f"{a.date.year:04d}"


def _month(a: Article) -> str:
    return f"{a.date.year:04d}-{a.date.month:02d}"


def _runs(articles: list[Article], key: Callable[[Article], str]) -> list[tuple[str, list]]:
    """Consecutive articles with the same key (the input is already in order)."""
    out: list[tuple[str, list]] = []
    for a in articles:
        k = key(a)
        if out and out[-1][0] == k:
            out[-1][1].append(a)
        else:
            out.append((k, [a]))
    return out


def _by_label(articles: list[Article], group: str, lang: str) -> list[Chapter]:
    """One chapter per first tag (or category), in order of their first article; then the rest."""
    labelled: dict[str, list[Article]] = {}
    rest: list[Article] = []
    for a in articles:
        labels = a.tags if group == "tag" else a.categories
        if labels:
            labelled.setdefault(labels[0], []).append(a)
        else:
            rest.append(a)
    keys: set[str] = set()
    out = [
        Chapter(label, _label_key(group, label, keys), tuple(items))
        for label, items in labelled.items()
    ]
    if rest:
        out.append(Chapter(OTHER[lang], f"{group}-other", tuple(rest)))
    return out


def _label_key(group: str, label: str, taken: set[str]) -> str:
    slug = ascii_slug(label, "")
    key = f"{group}-{slug}" if len(slug) >= 2 else f"{group}-{short_hash(label, 8)}"
    while key in taken or key == f"{group}-other":
        key = f"{key}-{short_hash(key, 4)}"
    taken.add(key)
    return key


def month_title(when: datetime, lang: str) -> str:
    if lang == "":
        return f"{MONTHS[when.month - 1]} {when.year}"
    if lang == "ko":
        return f"{when.year}년 {when.month}월"
    return f"{when.year}年{when.month}月"


def day_title(when: datetime, language: str) -> str:
    """A journal entry's heading: `2024年8月8日 星期四`, `Thursday, August 8, 2024`."""
    lang = _family(language)
    weekday = WEEKDAYS[lang][when.weekday()]
    if lang == "":
        return f"{weekday}, {MONTHS[when.month - 1]} {when.day}, {when.year}"
    if lang == "ko":
        return f"{when.year}년 {when.month}월 {when.day}일 {weekday}"
    day = f"{when.year}年{when.month}月{when.day}日"
    return f"{day}（{weekday}）" if lang == "ja" else f"{day} {weekday}"


def year_title(year: int, lang: str) -> str:
    if lang == "":
        return str(year)
    return f"{year}년" if lang == "ko" else f"{year}年"


def _family(language: str) -> str:
    """zh-Hant/zh-TW/zh-HK -> "zh-hant", other zh -> "zh", ja, ko; anything else -> ""."""
    code = language.lower().replace("_", "-")
    if code.startswith("zh"):
        traditional = any(t in code for t in ("hant", "-tw", "-hk", "-mo"))
        return "zh-hant" if traditional else "zh"
    for prefix in ("ja", "ko"):
        if code.split("-")[0] == prefix:
            return prefix
    return ""
