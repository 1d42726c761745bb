"""Leaders (`leaders.py`): one text run per line, the same dots in the same places."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from types import SimpleNamespace

import pytest
from PIL import Image, ImageChops

from bookmaker import leaders

ROWS = "".join(
    f'<li class="d{i % 3}"><a href="#x" data-page="{7 * i + 1}">{title}</a></li>'
    for i, title in enumerate(
        [
            "第一章",
            "城南札记之一：早上的学习",
            "Python 与 WeasyPrint",
            "短",
            "一个很长很长很长很长很长很长很长的标题，长到要折行才能放下它的全部文字",
        ]
        * 3
    )
)
DOC = f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page {{ size: A5; margin: 15mm }}
body {{ font-family: "Noto Serif CJK SC", serif; font-size: 10.5pt }}
ul {{ list-style: none; padding: 0 }}
li.d1 {{ padding-left: 1.5em }} li.d2 {{ padding-left: 2.5em; font-weight: bold }}
a {{ color: black; text-decoration: none }}
a::after {{ content: leader(". ") attr(data-page) }}
li.d2 a::after {{ content: leader("-") attr(data-page) }}
</style></head><body><ul>{ROWS}</ul></body></html>"""

RENDER = textwrap.dedent(
    """
    import sys
    from bookmaker import leaders
    if sys.argv[1] == "patched":
        assert leaders.install()
    from weasyprint import HTML
    HTML(string=sys.stdin.read()).write_pdf(sys.argv[2])
    """
)


def _pages(tmp_path, variant: str) -> list[Image.Image]:
    pdf = tmp_path / f"{variant}.pdf"
    subprocess.run(
        [sys.executable, "-c", RENDER, variant, str(pdf)], input=DOC, text=True, check=True
    )
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(tmp_path / variant)], check=True)
    return [Image.open(p).convert("L") for p in sorted(tmp_path.glob(f"{variant}-*.png"))]


def test_leaders_are_drawn_where_weasyprint_draws_them(tmp_path):
    plain, patched = _pages(tmp_path, "plain"), _pages(tmp_path, "patched")
    assert len(plain) == len(patched) >= 1
    for a, b in zip(plain, patched, strict=True):
        assert ImageChops.difference(a, b).getbbox() is None


def test_each_leader_is_one_text_box():
    assert leaders.install()
    from weasyprint import HTML

    page = HTML(string=DOC).render().pages[0]._page_box
    rows = [box for box in _walk(page) if getattr(box, "is_leader", False)]
    assert len(rows) == 15
    assert all(len(row.children) == 1 for row in rows)
    dots = [row.children[0] for row in rows if row.children[0].text.startswith(". ")]
    assert dots and all(set(d.text) == {".", " "} and len(d.text) > 20 for d in dots)
    # WeasyPrint's columns: every dot counted from the same right edge, whatever the row
    unit = dots[0].width / (len(dots[0].text) // 2)
    right = max(d.position_x + d.width for d in dots)
    steps = [(right - d.position_x) / unit for d in dots]
    assert all(abs(s - round(s)) < 1e-3 for s in steps)


def _walk(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _walk(child)


def _copy(x: float, text: str = ". "):
    return SimpleNamespace(text=text, position_x=x, width=5.0)


@pytest.mark.parametrize(
    "copies",
    [
        [_copy(10), _copy(20)],  # a gap between two copies
        [_copy(10), _copy(15, "- ")],  # not the same text
        [_copy(10)],
    ],
)
def test_anything_but_a_plain_row_of_copies_is_left_alone(copies):
    assert leaders.merged(tuple(copies), None, None) == tuple(copies)
