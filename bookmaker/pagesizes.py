"""Page size names -> trimmed page dimensions and the margins of a pleasant text block."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ConfigError

MM_PER_IN = 25.4
PX_PER_MM = 96 / MM_PER_IN  # CSS pixels, what WeasyPrint measures in


@dataclass(frozen=True)
class PageSize:
    name: str
    width: float  # mm, trimmed
    height: float
    top: float  # margins, mm
    bottom: float
    inner: float  # the spine side: wider, so the text clears the binding
    outer: float
    font_size: float  # body text, pt: a bigger page can carry a bigger size

    @property
    def text_width(self) -> float:
        return self.width - self.inner - self.outer

    @property
    def text_height(self) -> float:
        return self.height - self.top - self.bottom


def _size(name, w, h, font_size) -> PageSize:
    # Margins grow with the page; bottom > top and inner > outer, as in a printed book.
    short = min(w, h)
    return PageSize(
        name,
        w,
        h,
        top=round(short * 0.12, 1),
        bottom=round(short * 0.14, 1),
        inner=round(short * 0.13, 1),
        outer=round(short * 0.10, 1),
        font_size=font_size,
    )


SIZES: dict[str, PageSize] = {
    "A4": _size("A4", 210, 297, 11.5),
    "A5": _size("A5", 148, 210, 10.5),
    "B5": _size("B5", 176, 250, 11),
    "16K": _size("16K", 185, 260, 11),
    "32K": _size("32K", 130, 184, 10),
    "6x9in": _size("6x9in", 6 * MM_PER_IN, 9 * MM_PER_IN, 10.5),
    "letter": _size("letter", 8.5 * MM_PER_IN, 11 * MM_PER_IN, 11.5),
}


def page_size(name: str) -> PageSize:
    try:
        return SIZES[name]
    except KeyError:
        raise ConfigError(
            f"[pdf] page_size {name!r} is not known; use one of {', '.join(SIZES)}"
        ) from None


def parse_length_mm(value: str) -> float:
    """`3mm`, `0.125in`, `9pt` -> millimetres (bleed); ConfigError for anything else."""
    text = value.strip().lower()
    for unit, factor in (("mm", 1.0), ("cm", 10.0), ("in", MM_PER_IN), ("pt", MM_PER_IN / 72)):
        if text.endswith(unit):
            try:
                number = float(text[: -len(unit)])
            except ValueError:
                break
            if 0 <= number * factor <= 20:
                return number * factor
            break
    raise ConfigError(f"[pdf] bleed {value!r} must be a length up to 20mm, e.g. 3mm or 0.125in")
