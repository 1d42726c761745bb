"""Spacing rules of the typography pass: soft line breaks, Han–Latin gaps, stray spaces.

Rules in the same shape as punctuation.py: (pattern, replacement), lookarounds for context.
"""

from __future__ import annotations

import re

from .cjk import CJK, FULLWIDTH_ALNUM, FW_MARKS, HAN, HL_SPACE, LATIN_ALNUM
from .punctuation import Rule

_FW = FW_MARKS
_SPACES = f"[ \\t\\u00a0{HL_SPACE}]"

SOFT_BREAKS: list[Rule] = [
    # A newline inside a Chinese paragraph is not a space: join the lines.
    (re.compile(f"(?<=[{CJK}])[ \\t]*\\n\\s*(?=[{CJK}])"), ""),
    # Between Chinese and Latin it is a space, which the spacing rules then size.
    (re.compile(f"(?<=[{CJK}])[ \\t]*\\n\\s*(?=\\S)|(?<=\\S)[ \\t]*\\n\\s*(?=[{CJK}])"), " "),
]

HAN_LATIN: list[Rule] = [
    (re.compile(f"(?<=[{HAN}]){_SPACES}*(?=[{LATIN_ALNUM}])"), HL_SPACE),
    (re.compile(f"(?<=[{LATIN_ALNUM}]){_SPACES}*(?=[{HAN}])"), HL_SPACE),
]

PUNCT_LATIN: list[Rule] = [
    # iPhone ，好 → iPhone，好 ; no gap beside full-width punctuation.
    (re.compile(f"(?<=[{_FW}]){_SPACES}+(?=\\S)|(?<=\\S){_SPACES}+(?=[{_FW}])"), ""),
    (re.compile(f"(?<=[{HAN}][”’]){_SPACES}+(?=[{LATIN_ALNUM}])"), ""),
    (re.compile(f"(?<=[{LATIN_ALNUM}]){_SPACES}+(?=[“‘][{HAN}])"), ""),
    # 推荐 “Clean Code” 这本书 → 推荐“Clean Code”这本书: beside Han a curly quote is a
    # Chinese one, and its glyph carries its own space (the author's were for the Latin).
    (re.compile(f"(?<=[{HAN}]){_SPACES}+(?=[“‘])|(?<=[”’]){_SPACES}+(?=[{HAN}])"), ""),
]

_NO_SPACING = re.compile(f"{HL_SPACE}")


def halfwidth_alnum(text: str) -> str:
    """ＡＢＣ１２３ → ABC123."""
    return text.translate(FULLWIDTH_ALNUM)


def remove_hl(text: str) -> str:
    """Spacing off: the quarter-em gaps an earlier run inserted become plain spaces."""
    return _NO_SPACING.sub(" ", text)
