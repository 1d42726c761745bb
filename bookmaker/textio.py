"""Bytes of an article -> text: BOMs, UTF-8, or a clear win among GB18030, Big5 and Shift-JIS.

Legacy CJK encodings overlap: most GBK text also decodes "fine" as Big5 (into nonsense),
so a candidate must not only decode but read like the language its encoding is for. Each
candidate is scored by the share of its non-ASCII characters that belong to the common
characters of that encoding (taken from the codec itself: GB2312, Big5's frequent set, JIS
level 1 and 2, plus kana and the usual punctuation). Only a clear winner is accepted; anything
else is refused with the byte offset where UTF-8 failed, never turned into mojibake.
"""

from __future__ import annotations

import codecs
import contextlib
import logging
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

# Display name -> Python codec. The Microsoft supersets are what real files were saved in.
LEGACY = {"GB18030": "gb18030", "Big5": "cp950", "Shift-JIS": "cp932"}
ALIASES = {
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "gb18030": "gb18030",
    "big5": "cp950",
    "cp950": "cp950",
    "big5hkscs": "big5hkscs",
    "shift-jis": "cp932",
    "shift_jis": "cp932",
    "sjis": "cp932",
    "cp932": "cp932",
}
MIN_SCORE = 0.9  # the winner reads like its language for at least this share of characters
MIN_LEAD = 0.2  # and beats the runner-up by this much
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8 with BOM"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)


class DecodeRefused(ValueError):
    """The bytes are not UTF-8 and no legacy encoding wins clearly."""

    def __init__(self, message: str, offset: int | None = None):
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True)
class Decoded:
    text: str  # LF line ends, no control characters but tab and newline
    encoding: str  # what was found: "UTF-8", "GB18030", "UTF-16 LE", …
    warnings: tuple[tuple[int | None, str], ...] = ()  # (line, message)


def read_text(path: Path, forced: str = "") -> Decoded:
    """Read and decode `path`; raises DecodeRefused (with the byte offset) or OSError."""
    return decode(path.read_bytes(), forced)


def decode(data: bytes, forced: str = "") -> Decoded:
    text, encoding = _decode(data, forced)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    warnings: list[tuple[int | None, str]] = []
    if encoding not in ("UTF-8", "UTF-8 with BOM", "ASCII"):
        warnings.append((None, f"read as {encoding}; consider saving it as UTF-8"))
    found = CONTROL.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        count = len(CONTROL.findall(text))
        text = CONTROL.sub("", text)
        warnings.append((line, f"removed {count} control character(s) (first: {found[0]!r})"))
    return Decoded(text, encoding, tuple(warnings))


def _decode(data: bytes, forced: str) -> tuple[str, str]:
    if forced:
        return _forced(data, forced)
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), name
            except UnicodeDecodeError as exc:
                raise DecodeRefused(
                    f"starts with a {name} byte-order mark but is not valid {name} "
                    f"at byte {exc.start + len(bom)}",
                    exc.start + len(bom),
                ) from None
    try:
        return data.decode("utf-8"), "UTF-8" if not data.isascii() else "ASCII"
    except UnicodeDecodeError as exc:
        bad = exc.start
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16
    return _guess(data, bad)


def _forced(data: bytes, forced: str) -> tuple[str, str]:
    codec = ALIASES.get(forced.lower().replace(" ", ""), forced)
    try:
        info = codecs.lookup(codec)
    except LookupError:
        raise DecodeRefused(f"unknown encoding {forced!r} (given with --encoding)") from None
    if data.startswith(codecs.BOM_UTF8) and info.name == "utf-8":
        data = data[3:]
    try:
        return data.decode(info.name), forced
    except UnicodeDecodeError as exc:
        raise DecodeRefused(
            f"not valid {forced} at byte {exc.start} (given with --encoding)", exc.start
        ) from None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM shows as a NUL in every other byte of its ASCII text."""
    if len(data) < 8 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    for zeros, codec, name in ((odd, "utf-16-le", "UTF-16 LE"), (even, "utf-16-be", "UTF-16 BE")):
        if zeros > half * 0.3 and (even + odd - zeros) == 0:
            try:
                return data.decode(codec), name
            except UnicodeDecodeError:
                return None
    return None


def _guess(data: bytes, bad: int) -> tuple[str, str]:
    scores: list[tuple[float, str, str]] = []
    for name, codec in LEGACY.items():
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        scores.append((score(text, name), name, text))
    scores.sort(key=lambda s: -s[0])
    if scores:
        best, name, text = scores[0]
        runner_up = scores[1][0] if len(scores) > 1 else 0.0
        log.debug("encoding scores: %s", [(n, round(s, 3)) for s, n, _ in scores])
        if best >= MIN_SCORE and best - runner_up >= MIN_LEAD:
            return text, name
    tried = ", ".join(f"{n} {s:.0%}" for s, n, _ in scores) or "none decodes"
    raise DecodeRefused(
        f"not UTF-8 (invalid byte at offset {bad}) and its encoding is unclear ({tried}); "
        "save it as UTF-8 or name the encoding with --encoding (e.g. gb18030, big5, shift-jis)",
        bad,
    )


def score(text: str, encoding: str) -> float:
    """Share of the non-ASCII characters that are common ones for `encoding`'s language."""
    common = _common(encoding)
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return 0.0
    return sum(c in common for c in wide) / len(wide)


# Ranges of each codec's byte table that hold the characters its users actually write.
_COMMON_BYTES = {
    # GB2312: symbols and punctuation, the 3755 level-1 hanzi (B0A1–D7F9).
    "GB18030": [((0xA1, 0xA3), (0xA1, 0xFE)), ((0xB0, 0xD7), (0xA1, 0xFE))],
    # Big5: symbols, then the 5401 frequent characters (A440–C67E).
    "Big5": [
        ((0xA1, 0xA3), (0x40, 0xFE)),
        ((0xA4, 0xC5), (0x40, 0xFE)),
        ((0xC6, 0xC6), (0x40, 0x7E)),
    ],
    # JIS X 0208 in Shift-JIS: symbols and kana rows, level 1 and level 2 kanji.
    "Shift-JIS": [
        ((0x81, 0x83), (0x40, 0xFC)),
        ((0x88, 0x9F), (0x40, 0xFC)),
        ((0xE0, 0xEA), (0x40, 0xFC)),
    ],
}
_KANA = {chr(c) for c in range(0x3041, 0x30FF)}


@cache
def _common(encoding: str) -> frozenset[str]:
    codec = LEGACY[encoding]
    chars: set[str] = set()
    for (lead_lo, lead_hi), (trail_lo, trail_hi) in _COMMON_BYTES[encoding]:
        for lead in range(lead_lo, lead_hi + 1):
            for trail in range(trail_lo, trail_hi + 1):
                with contextlib.suppress(UnicodeDecodeError):
                    chars.add(bytes((lead, trail)).decode(codec))
    chars = {c for c in chars if len(c) == 1 and not 0xE000 <= ord(c) <= 0xF8FF}
    if encoding == "Shift-JIS":
        chars |= _KANA
    else:
        # Kana sit in GB2312's and Big5's symbol rows, but Chinese prose never uses them.
        chars -= _KANA
    return frozenset(chars)
