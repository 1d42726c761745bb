"""EPUB tables: a date or a range in a cell is not broken at its hyphen on a phone."""

from __future__ import annotations

import zipfile

from lxml import etree
from pdf_util import make_article, make_book
from test_epub_css import EPUB_CSS, _declared

from bookmaker import epub
from bookmaker.config import Config
from bookmaker.layouts import load_layout

XHTML_NS = "http://www.w3.org/1999/xhtml"
TABLE = (
    "<table><thead><tr><th>项目</th><th>版本</th><th>发布日期</th><th>说明</th></tr></thead>"
    "<tbody><tr><td>依赖库</td><td>10-01</td><td>发布于 2023-10-01</td>"
    "<td>大部分依赖已经支持新版本，路径 <code>a-1/b-2</code></td></tr></tbody></table>"
)


def _article_xhtml(tmp_path) -> str:
    book = make_book([("一章", [make_article("tab", "升级", TABLE)])])
    target = tmp_path / "t.epub"
    epub.write(book, Config(base=tmp_path), load_layout(tmp_path), target)
    with zipfile.ZipFile(target) as zf:
        name = next(n for n in zf.namelist() if n.endswith("tab.xhtml"))
        return zf.read(name).decode()


def _white_space_of(xhtml: str, text: str) -> str | None:
    """white-space epub.css gives the element that holds exactly `text`, if one does."""
    root = etree.fromstring(xhtml.encode())
    holder = next((e for e in root.iter(f"{{{XHTML_NS}}}span") if e.text == text), None)
    assert holder is not None, f"{text} is not kept in one piece"
    holder.set("id", "held")
    return _declared("held", "white-space", EPUB_CSS, etree.tostring(root, encoding="unicode"))


def test_dates_and_ranges_in_a_cell_stay_on_one_line(tmp_path):
    xhtml = _article_xhtml(tmp_path)
    assert _white_space_of(xhtml, "2023-10-01") == "nowrap"
    assert _white_space_of(xhtml, "10-01") == "nowrap"
    assert "发布于 " in xhtml and "<code>a-1/b-2</code>" in xhtml  # code keeps its own rules
