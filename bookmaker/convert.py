"""Simplified ↔ Traditional conversion of text nodes with OpenCC, phrase by phrase.

OpenCC gets most one-to-many characters right from its phrase tables, but a few common
phrases with 干 (乾 dry / 幹 do) still come out wrong; those are fixed here first.
"""

from __future__ import annotations

import functools
import re

from .cjk import CONVERT_TARGET
from .errors import ConfigError

# Simplified phrase → its Traditional form, for phrases OpenCC's s2t tables get wrong.
# Applied before OpenCC (as private-use placeholders) so OpenCC's segmentation is unchanged.
TO_TRADITIONAL_FIXES = {
    "头发干了": "頭髮乾了",
    "发干": "髮乾",
    "衣服干了": "衣服乾了",
    "干了吗": "乾了嗎",
    "晾干了": "晾乾了",
    "口干": "口乾",
}
_PLACEHOLDER = 0xF0000  # supplementary private use: never in real text, untouched by OpenCC


def check(name: str) -> str:
    """The target language of an OpenCC configuration, or a ConfigError naming the choices."""
    key = name.removesuffix(".json")
    if key not in CONVERT_TARGET:
        choices = ", ".join(sorted(CONVERT_TARGET))
        raise ConfigError(
            f"[typography] convert: unknown OpenCC conversion {name!r}; use one of {choices}"
        )
    return CONVERT_TARGET[key]


@functools.cache
def _converter(key: str):
    import opencc  # imported late: only books that convert pay for loading its dictionaries

    return opencc.OpenCC(f"{key}.json")


@functools.cache
def _fixes(key: str) -> tuple[re.Pattern | None, dict[str, str]]:
    if not key.startswith("s2"):
        return None, {}
    phrases = sorted(TO_TRADITIONAL_FIXES, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, phrases))), TO_TRADITIONAL_FIXES


def convert(text: str, name: str) -> str:
    """`text` converted by the OpenCC configuration `name` ("s2twp", "t2s", …)."""
    key = name.removesuffix(".json")
    pattern, table = _fixes(key)
    saved: list[str] = []
    if pattern is not None:

        def hold(m: re.Match) -> str:
            saved.append(table[m.group(0)])
            return chr(_PLACEHOLDER + len(saved) - 1)

        text = pattern.sub(hold, text)
    out = _converter(key).convert(text)
    for i, phrase in enumerate(saved):
        out = out.replace(chr(_PLACEHOLDER + i), phrase, 1)
    return out
