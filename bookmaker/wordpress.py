"""WordPress shortcodes left in posts migrated to a static site -> what they showed.

Posts exported from WordPress (to Jekyll, Hexo or Hugo) keep `[caption …]<img …> 说明
[/caption]` around their pictures and `[embed]https://…[/embed]` around videos; the book
printed the brackets. A caption becomes a figure with its caption, an embed a link.
Only these two, only in prose: other square brackets are Markdown's.
"""

from __future__ import annotations

import html
import re

from . import mdsource

CAPTION = re.compile(r"\[(wp_caption|caption)\b([^\]]*)\](.*?)\[/\1\]", re.S | re.I)
EMBED = re.compile(r"\[embed\b[^\]]*\]\s*(https?://[^\s\[<]+)\s*\[/embed\]", re.I)
PICTURE = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)\s*(.*?)\s*$", re.S | re.I)
CAPTION_ATTR = re.compile(r"""\bcaption\s*=\s*(["'])(.*?)\1""", re.S)


def expand(source: str) -> str:
    if "[/" not in source:  # no closing shortcode: nothing to do (most articles)
        return source
    return mdsource.map_prose(
        source, lambda text, _offset: EMBED.sub(_embed, CAPTION.sub(_caption, text))
    )


def _caption(m: re.Match) -> str:
    picture = PICTURE.match(m.group(3))
    if picture is None:
        return m.group(3)  # not a picture after all: what it held, without the brackets
    said = CAPTION_ATTR.search(m.group(2))  # WordPress before 3.4: caption="…"
    text = picture.group(2) or (html.escape(said.group(2)) if said else "")
    caption = f"<figcaption>{text}</figcaption>" if text else ""
    return f"\n\n<figure>{picture.group(1)}{caption}</figure>\n\n"


def _embed(m: re.Match) -> str:
    return f'\n\n<iframe src="{html.escape(m.group(1))}"></iframe>\n\n'  # sanitize links it
