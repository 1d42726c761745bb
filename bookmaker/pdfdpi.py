"""A PDF's pages -> each picture's resolution as printed: its pixels over the inches it takes.

A blog's pictures are made for screens: a 400-pixel screenshot shown at its CSS size
prints at 96 dpi, soft on paper, and a print shop asks for 300 (150 at the least). The
size a picture prints at is in the page's drawing: the transformation in force when the
picture is painted (`Do`) maps the unit square onto the page, in points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pikepdf

IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_FORM_DEPTH = 8  # a form drawn inside a form …: deeper is not a book's picture


@dataclass(frozen=True)
class Printed:
    page: int  # from 1
    width_px: int
    height_px: int
    dpi: float  # the lower of across and down


def pictures(doc: pikepdf.Pdf) -> list[Printed]:
    """Every picture painted on every page, with the resolution it prints at."""
    out: list[Printed] = []
    for number, page in enumerate(doc.pages, start=1):
        _walk(page.obj, page.obj.get("/Resources"), IDENTITY, number, out, 0)
    return out


def _walk(stream, resources, ctm, number: int, out: list, depth: int) -> None:
    xobjects = resources.get("/XObject", {}) if resources is not None else {}
    stack = []
    for operands, operator in pikepdf.parse_content_stream(stream, "q Q cm Do"):
        op = str(operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q" and stack:
            ctm = stack.pop()
        elif op == "cm" and len(operands) == 6:
            ctm = _multiply(tuple(float(x) for x in operands), ctm)
        elif op == "Do" and operands:
            xobject = xobjects.get(str(operands[0]))
            if xobject is not None:
                _painted(xobject, ctm, number, out, depth)


def _painted(xobject, ctm, number: int, out: list, depth: int) -> None:
    subtype = xobject.get("/Subtype")
    if subtype == "/Image":
        w, h = int(xobject.get("/Width", 0)), int(xobject.get("/Height", 0))
        across = math.hypot(ctm[0], ctm[1]) / 72  # inches
        down = math.hypot(ctm[2], ctm[3]) / 72
        if w and h and across and down:
            out.append(Printed(number, w, h, min(w / across, h / down)))
    elif subtype == "/Form" and depth < MAX_FORM_DEPTH:
        matrix = tuple(float(x) for x in xobject.get("/Matrix", IDENTITY))
        _walk(xobject, xobject.get("/Resources"), _multiply(matrix, ctm), number, out, depth + 1)


def _multiply(m, n):
    """m × n for PDF matrices [a b c d e f] (m applied first)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r, a * q + b * s,
        c * p + d * r, c * q + d * s,
        e * p + f * r + t, e * q + f * s + u,
    )  # fmt: skip
