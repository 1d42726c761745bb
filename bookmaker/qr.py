"""A URL -> QR code: as text for the terminal, and as SVG for the download page."""

from __future__ import annotations

import io

import segno


def _code(url: str) -> segno.QRCode:
    # Medium error correction: survives a phone camera at an angle to a glossy screen.
    return segno.make(url, error="m", micro=False)


def terminal(url: str) -> str:
    """The code in half-block characters: two modules per line, readable in any terminal."""
    matrix = [list(row) for row in _code(url).matrix_iter(scale=1, border=2)]
    if len(matrix) % 2:
        matrix.append([0] * len(matrix[0]))
    lines = []
    for top, bottom in zip(matrix[::2], matrix[1::2], strict=True):
        # Dark modules print as spaces on a light block, so it also scans on dark terminals.
        lines.append("".join(_cell(t, b) for t, b in zip(top, bottom, strict=True)))
    return "\n".join(lines)


def _cell(top: int, bottom: int) -> str:
    return {(0, 0): "█", (1, 0): "▄", (0, 1): "▀", (1, 1): " "}[(top, bottom)]


def svg(url: str) -> bytes:
    out = io.BytesIO()
    _code(url).save(out, kind="svg", scale=8, border=4, xmldecl=True, svgns=True, title=url)
    return out.getvalue()
