"""`:smile:` in an article -> 😄, on sites that turn emoji codes into emoji.

GitHub Pages' jemoji, Hugo's `enableEmoji` and Hexo's emoji filters all use GitHub's list
(gemoji); pymdownx, which bookmaker's Markdown already uses, ships it. Only in prose, and
only names on the list: `10:30:00` and `:param:` stay as they are.
"""

from __future__ import annotations

import functools
import re

from . import mdsource

CODE = re.compile(r":([a-z0-9_+-]+):")


def expand(source: str) -> str:
    return mdsource.map_prose(source, lambda text, _offset: CODE.sub(_emoji, text))


def _emoji(m: re.Match) -> str:
    return _table().get(m.group(0), m.group(0))


@functools.cache
def _table() -> dict[str, str]:
    from pymdownx import gemoji_db

    # `unicode_alt` is the fully qualified form (❤ with U+FE0F): GitHub shows :heart: as an
    # emoji, where a bare U+2764 is a black text heart.
    chars = {
        name: "".join(
            chr(int(cp, 16)) for cp in entry.get("unicode_alt", entry["unicode"]).split("-")
        )
        for name, entry in gemoji_db.emoji.items()
    }
    chars.update({alias: chars[name] for alias, name in gemoji_db.aliases.items() if name in chars})
    return chars
