"""A page exported from Notion as Markdown -> its title, date and tags, as front matter gives them.

Notion names each file after its page and id (`Go 并发笔记 8f3a…e1.md`, 32 hex digits) and
writes no front matter: a database entry opens with `# 标题`, then its properties one a
line (`Created: 2023年5月1日 10:00`, `Tags: Go, 并发`), then a blank line and the text.
Those lines are the page's metadata, not its text: the date is the `Date` (日期, 发布日期)
property, else `Created` (创建时间), in the formats Notion writes in Chinese and English
(`May 1, 2023 10:00 AM`); the tags, `Tags` (标签). A page with no property lines (a parent
page listing its children) has nothing to date it by, and stays a file of no article.
Its callouts, `<aside>` blocks, are boxes.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from .front import Front

NOTION_NAME = re.compile(r"^(.+?) ([0-9a-f]{32})$")
TITLE = re.compile(r"^#[ \t]+(.+?)[ \t]*#*[ \t]*$")
PROPERTY = re.compile(r"^([^\s:#>!\[\-*|`][^:\n]{0,40}?):[ \t]+(\S.*?)[ \t]*$")
# (the property -> the front matter key collect.py reads), the first of each kept
KEYS = {
    "date": "date", "日期": "date", "发布日期": "date", "publish date": "date",
    "published": "date", "发布时间": "date",
    "created": "created", "created time": "created", "创建时间": "created", "创建日期": "created",
    "tags": "tags", "tag": "tags", "标签": "tags",
    "category": "categories", "categories": "categories", "分类": "categories",
}  # fmt: skip
ENGLISH_DATES = ("%B %d, %Y %I:%M %p", "%B %d, %Y %H:%M", "%B %d, %Y", "%b %d, %Y")
FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
# A callout's icon -> its kind (callouts.py's words title it: 提示, 警告…)
ICONS = {
    "💡": "tip", "⚠": "warning", "❗": "important", "‼": "important", "ℹ": "info",
    "🚨": "danger", "❌": "danger", "✅": "success", "📌": "note", "📝": "note",
}  # fmt: skip
VARIATION = "\ufe0f"  # (`⚠️` is `⚠` and this)
# Chinese Notion's `2023年5月1日 下午 3:05`: the half of the day read as `PM`
HALVES = {"上午": "AM", "下午": "PM"}


def name(stem: str) -> str:
    """The page's name without the id Notion adds to it."""
    m = NOTION_NAME.match(stem)
    return m.group(1) if m else stem


def read(parsed: Front, stem: str) -> Front:
    """`parsed` (a file without front matter) with a Notion page's title and properties as
    its front matter, the lines that held them taken out of its body; else as it was."""
    if parsed.kind or not NOTION_NAME.match(stem):
        return parsed
    lines = parsed.body.split("\n")
    at = _skip_blank(lines, 0)
    heading = TITLE.match(lines[at]) if at < len(lines) else None
    title = heading.group(1) if heading else name(stem)
    start = _skip_blank(lines, at + 1) if heading else at
    meta: dict = {"title": title}
    where: dict = {}
    end = start
    while end < len(lines) and PROPERTY.match(lines[end]):
        key, value = PROPERTY.match(lines[end]).groups()
        front_key = KEYS.get(key.strip().lower())
        if front_key and front_key not in meta:
            meta[front_key] = _value(front_key, value)
            where[front_key] = parsed.body_line + end
        end += 1
    if end == start:
        return parsed  # no properties: a page with no date
    return replace(
        parsed,
        meta=meta,
        body="\n".join(lines[end:]).lstrip("\n"),
        body_line=parsed.body_line + _skip_blank(lines, end),
        kind="notion",
        lines=where,
    )


def _skip_blank(lines: list[str], at: int) -> int:
    while at < len(lines) and not lines[at].strip():
        at += 1
    return at


def _value(key: str, value: str) -> object:
    if key in ("tags", "categories"):
        return [w.strip() for w in value.split(",") if w.strip()]
    value = value.split("→")[0].strip().lstrip("@")  # a range: its start
    for half, latin in HALVES.items():
        if half in value:
            value = " ".join(value.replace(half, " ").split())
            try:
                day, clock = value.rsplit(" ", 1)
                when = datetime.strptime(clock + latin, "%I:%M%p")
                return f"{day} {when:%H:%M}"
            except ValueError:
                return value
    for pattern in ENGLISH_DATES:
        try:
            return datetime.strptime(value, pattern).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            continue
    return value  # as written: dates.parse reads `2023年5月1日 10:00` and ISO, or says why not


def expand(source: str) -> str:
    """Notion's callouts (`<aside>`, an icon, the text, `</aside>`) as boxes, in the
    Obsidian form callouts.py reads: an aside may be hidden by a reading system, or shown
    only as a pop-up, and Markdown is not read inside it. The icon says the kind."""
    if "<aside>" not in source:
        return source
    out: list[str] = []
    fence, boxed = "", False
    for line in source.split("\n"):
        m = FENCE.match(line)
        if fence or m:
            closes = m and m.group(1).startswith(fence) and not line[m.end() :].strip()
            fence = "" if fence and closes else (fence or m.group(1))
        elif not boxed and line.strip() == "<aside>":
            out.append("> [!notion]")
            boxed = True
            continue
        elif boxed and line.strip() == "</aside>":
            out.append("")
            boxed = False
            continue
        elif boxed and out[-1] == "> [!notion]" and line.strip():
            icon = line.split()[0]
            out[-1] = f"> [!{ICONS.get(icon.rstrip(VARIATION), 'note')}]"
        out.append(f"> {line}".rstrip() if boxed else line)
    return "\n".join(out)


def export_title(folder: Path) -> str:
    """The name of the one page at the top of a Notion export (`博客 1a2b…09.md` beside its
    folder `博客 1a2b…09/`, which holds the others): the title of the whole export."""
    try:
        names = sorted(p.name for p in folder.iterdir())
    except OSError:
        return ""
    pages = [n[:-3] for n in names if n.endswith(".md") and NOTION_NAME.match(n[:-3])]
    tops = [name(p) for p in pages if p in names]  # a page with a folder of its own
    return tops[0] if len(pages) == 1 and tops else ""
