"""A font family name -> the file (and face in a collection) that holds it.

The project's `fonts/` folders are searched first, then fontconfig. A `.ttc` holds several
faces (Noto CJK: JP, KR, SC, TC, HK): the face is picked by its name, never by position,
since the order differs between font releases.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont, TTLibError

log = logging.getLogger(__name__)

FONT_SUFFIXES = (".otf", ".ttf", ".ttc", ".otc")
REGULAR, BOLD = 400, 700

# The body family a book in each language reads best in. Glyph shapes differ between
# the SC, TC, HK and JP faces, so the language decides, not the text.
BODY_FAMILIES = {
    "zh-tw": "Noto Serif CJK TC",
    "zh-hant": "Noto Serif CJK TC",
    "zh-hk": "Noto Serif CJK HK",
    "zh-mo": "Noto Serif CJK HK",
    "ja": "Noto Serif CJK JP",
    "ko": "Noto Serif CJK KR",
}
DEFAULT_BODY_FAMILY = "Noto Serif CJK SC"


@dataclass(frozen=True)
class FontFace:
    family: str  # the name CSS uses, e.g. "Noto Serif CJK SC"
    weight: int  # CSS weight: 400 or 700
    path: Path
    index: int = 0  # the face inside a collection (.ttc)


def body_family(language: str) -> str:
    """The CJK serif family for a BCP 47 language tag (`zh-Hant-TW` -> the TC face)."""
    tag = language.lower()
    for prefix in sorted(BODY_FAMILIES, key=len, reverse=True):
        if tag == prefix or tag.startswith(prefix + "-"):
            return BODY_FAMILIES[prefix]
    if tag.startswith("zh-hant"):
        return BODY_FAMILIES["zh-hant"]
    return DEFAULT_BODY_FAMILY


def find_face(family: str, weight: int, font_dirs: tuple[Path, ...] = ()) -> FontFace | None:
    """The face of `family` closest to `weight`: the project's fonts first, then the system's."""
    return _in_dirs(family, weight, font_dirs) or _in_fontconfig(family, weight)


def _in_dirs(family: str, weight: int, font_dirs: tuple[Path, ...]) -> FontFace | None:
    found: list[FontFace] = []
    for d in font_dirs:
        for path in sorted(p for p in d.rglob("*") if p.suffix.lower() in FONT_SUFFIXES):
            found.extend(f for f in _faces_in(path) if f.family.lower() == family.lower())
        if found:  # an earlier folder wins over a later one, as for layouts
            return _closest(found, weight)
    return None


def _faces_in(path: Path) -> list[FontFace]:
    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            fonts = TTCollection(str(path), lazy=True).fonts
        else:
            fonts = [TTFont(str(path), lazy=True)]
    except (TTLibError, OSError, ValueError) as exc:
        log.warning("%s: not a readable font (%s)", path, exc)
        return []
    faces = []
    for index, font in enumerate(fonts):
        weight = font["OS/2"].usWeightClass if "OS/2" in font else REGULAR
        faces.extend(FontFace(name, weight, path, index) for name in _family_names(font))
    return faces


def _family_names(font: TTFont) -> set[str]:
    if "name" not in font:
        return set()
    # 16 (typographic family) groups every weight; 1 is the legacy four-style family.
    return {str(r.toUnicode()) for r in font["name"].names if r.nameID in (1, 16)}


def _closest(faces: list[FontFace], weight: int) -> FontFace:
    best = min(faces, key=lambda f: (abs(f.weight - weight), str(f.path), f.index))
    return FontFace(best.family, weight, best.path, best.index)


# fontconfig's weight scale -> CSS weights (fontconfig.h FC_WEIGHT_*).
FC_WEIGHTS = {0: 100, 40: 200, 50: 300, 55: 350, 75: 400, 80: 400, 100: 500, 180: 600, 200: 700}


def _in_fontconfig(family: str, weight: int) -> FontFace | None:
    if not shutil.which("fc-list"):
        return None
    fmt = "%{file}\t%{index}\t%{family}\t%{weight}\n"
    try:
        out = subprocess.run(
            ["fc-list", "--format", fmt, f":family={family}"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    faces = [f for line in sorted(out.splitlines()) if (f := _parse_fc(line, family))]
    return _closest(faces, weight) if faces else None


def _parse_fc(line: str, family: str) -> FontFace | None:
    parts = line.split("\t")
    if len(parts) != 4 or family not in parts[2].split(","):
        return None
    file, index, _, weight = parts
    try:
        fc_weight = int(float(weight.split()[0].strip("[]")))
        return FontFace(family, FC_WEIGHTS.get(fc_weight, fc_weight * 4), Path(file), int(index))
    except (ValueError, IndexError):
        return None
