"""Front matter -> the post's cover picture, as blog themes show it at the top of a post.

Every theme names it differently; these are the keys of the themes bloggers use most, in
the order a post that sets several is read. Keys that only a list page or a link preview
shows (Hugo's `images`, Minimal Mistakes' `teaser`, LoveIt's `featuredImagePreview`,
Fluid's `index_img`) are not covers: the post itself never shows them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .model import Cover

# key -> where a mapping value keeps the picture (a plain string value is the picture)
KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cover", ("image", "src", "path", "url")),  # PaperMod, Butterfly, many Hexo themes
    ("image", ("path", "src", "url", "feature")),  # Chirpy, Stack, Beautiful Jekyll
    ("featured_image", ()),  # Hugo themes, WordPress exports
    ("featuredimage", ()),  # LoveIt, DoIt (front matter keys are read lower-cased)
    ("header", ("image", "overlay_image")),  # Minimal Mistakes
    ("banner_img", ()),  # Fluid
    ("cover_image", ()),  # dev.to / Forem exports
    ("feature_image", ()),  # Ghost exports (a newsletter's posts)
    ("thumbnail", ()),  # Icarus and others show it above the post
)
ALT_KEYS = ("alt", "image_alt", "overlay_alt")
HIDDEN_KEYS = ("hidden", "hiddeninsingle")  # PaperMod: not shown on the post's own page
# Butterfly's `top_img` may be a colour band instead of a picture: `'#66CCFF'`, `rgba(…)`,
# a CSS gradient, or a colour's name (a picture's address has a `/` or a `.`).
COLOUR = re.compile(
    r"^(?:#|(?:rgba?|hsla?|(?:repeating-)?(?:linear|radial|conic)-gradient)\s*\(|[a-z]+$)", re.I
)


def find(meta: Mapping, lines: Mapping) -> Cover | None:
    """The cover `meta` names (keys lower-cased), with the line of its key, if any."""
    top = meta.get("top_img")
    if top is False:  # Butterfly: this post shows no picture at its top
        return None
    if isinstance(top, str) and top.strip():
        # Butterfly shows its top_img over the post, before the cover (its list pages' picture)
        if COLOUR.match(top.strip()):
            return None  # a band of colour: no picture
        return Cover(top.strip(), line=lines.get("top_img"))
    for key, inner in KEYS:
        value = meta.get(key)
        alt = caption = ""
        if isinstance(value, Mapping):
            fields = {str(k).lower(): v for k, v in value.items()}
            if any(fields.get(k) is True for k in HIDDEN_KEYS):
                return None
            alt = next((_text(fields.get(k)) for k in ALT_KEYS if _text(fields.get(k))), "")
            caption = _text(fields.get("caption"))
            value = next((fields.get(k) for k in inner if _text(fields.get(k))), None)
        src = _text(value)
        if src and src.lower() not in ("true", "false", "none"):
            return Cover(src, alt or caption, caption, lines.get(key))
    return None


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
