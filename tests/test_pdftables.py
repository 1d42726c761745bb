"""Printed tables: a wide table of figures is set smaller, its numbers never cut."""

from __future__ import annotations

import re
import subprocess

from pdf_util import make_article, make_book

from bookmaker import pdf, pdftables
from bookmaker.config import Config, PdfConfig
from bookmaker.layouts import load_layout
from bookmaker.pagesizes import page_size
from bookmaker.xhtml import parse_fragment, serialize_fragment

NUMBERS = [[str(10000 + 7919 * (r * 13 + c) % 89999) for c in range(13)] for r in range(6)]


def _table(rows: list[list[str]]) -> str:
    head = "".join(f"<th>{i + 1}月</th>" for i in range(len(rows[0]) - 1))
    body = "".join("<tr>" + "".join(f"<td>{x}</td>" for x in row) + "</tr>" for row in rows)
    return f"<table><thead><tr><th>年份</th>{head}</tr></thead><tbody>{body}</tbody></table>"


def _fitted(xhtml: str, size: str = "A5") -> str:
    root = parse_fragment(xhtml)
    pdftables.fit_wide(root, page_size(size))
    return serialize_fragment(root)


def test_a_table_that_fits_keeps_its_size_and_is_marked_whole():
    fitted = _fitted(_table([["2024", "纸张", "80 g", "6,800"]]))
    assert "font-size" not in fitted
    assert 'class="whole"' in fitted


def test_a_table_with_a_long_path_still_breaks_anywhere():
    path = "/usr/local/lib/python3.12/site-packages/bookmaker/layouts/default"
    assert "whole" not in _fitted(_table([["2024", path, "注"]]))


def test_a_wide_table_gets_smaller_type_and_a_wider_page_less_so():
    xhtml = _table([["2010", *row[:13]] for row in NUMBERS])
    a5 = float(re.search(r"font-size: ([\d.]+)rem", _fitted(xhtml))[1])
    a4 = float(re.search(r"font-size: ([\d.]+)rem", _fitted(xhtml, "A4"))[1])
    assert pdftables.MIN_EM <= a5 < pdftables.TABLE_EM
    assert a4 > a5


def test_a_long_url_in_a_cell_does_not_shrink_the_table():
    url = "https://example.org/" + "very-long-path/" * 6
    assert "font-size" not in _fitted(_table([["2024", url, "注"]]))


def test_every_number_of_a_wide_table_prints_whole(tmp_path):
    rows = [[str(2010 + r), *NUMBERS[r]] for r in range(6)]
    book = make_book([("一章", [make_article("tab", "宽表", _table(rows))])])
    config = Config(base=tmp_path, pdf=PdfConfig(chunk_pages=0))
    path = pdf.write(book, config, load_layout(tmp_path), tmp_path / "t.pdf").paths[0]
    words = set(
        re.findall(
            r">([^<]+)</word>",
            subprocess.run(
                ["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True
            ).stdout,
        )
    )
    for row in rows:
        for number in row:
            assert number in words, f"{number} was cut"


def test_numbers_in_a_table_that_fits_print_whole_and_the_chinese_wraps(tmp_path):
    # a Chirpy post's table: no shrinking needed, yet each cell broke anywhere
    # (`2024-01-` over `15`, `3.12.` over `1`, `¥18,0` over `00`)
    numbers = [
        ["3.12.1", "2024-01-15", "¥1,299", "12.5%"],
        ["10-01", "2023-10-01", "¥18,000", "8.75%"],
        ["1.25.3", "2024-02-29", "¥12,345.67", "100%"],
    ]
    note = "性能提升明显，大部分依赖已经支持新版本，少数需要等待"
    body = "".join(
        "<tr><td>解释器</td>" + "".join(f"<td>{x}</td>" for x in row) + f"<td>{note}</td></tr>"
        for row in numbers
    )
    head = "".join(f"<th>{h}</th>" for h in ("项目", "版本", "日期", "价格", "提升", "说明"))
    xhtml = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    book = make_book([("一章", [make_article("tab", "升级", xhtml)])])
    config = Config(base=tmp_path, pdf=PdfConfig(chunk_pages=0))
    path = pdf.write(book, config, load_layout(tmp_path), tmp_path / "t.pdf").paths[0]
    words = re.findall(
        r">([^<]+)</word>",
        subprocess.run(
            ["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout,
    )
    for row in numbers:
        for number in row:
            assert any(number in word for word in words), f"{number} was cut"
