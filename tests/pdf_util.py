"""Helpers for tests that build Books by hand and look inside the PDFs bookmaker writes."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pikepdf
from fontTools.ttLib import TTFont

from bookmaker.checkpdf import fonts_in
from bookmaker.model import Article, Book, BookMeta, Chapter, Image, RenderedArticle

TZ = timezone(timedelta(hours=8))


def make_article(slug: str, title: str, xhtml: str, day: int = 1, month: int = 1, **kw):
    date = datetime(2024, month, day, 12, 0, tzinfo=TZ)
    article = Article(
        path=Path(f"/nonexistent/{slug}.md"),
        rel=f"content/{slug}.md",
        title=title,
        date=date,
        body="",
        body_line=1,
        slug=slug,
        tags=kw.pop("tags", ()),
    )
    return RenderedArticle(article, xhtml, kw.pop("lang", "zh-CN"), images=kw.pop("images", ()))


def make_book(
    chapters: list[tuple[str, list[RenderedArticle]]] | list[tuple[str, list, list]],
    title: str = "测试之书",
    author: str = "某作者",
    language: str = "zh-CN",
    images: tuple[Image, ...] = (),
) -> Book:
    """`[(chapter title, [rendered articles])]`, or `(title, articles, sub-chapters)`."""
    built = tuple(_chapter(spec, str(i)) for i, spec in enumerate(chapters))
    rendered = tuple(r for spec in chapters for r in _all_rendered(spec))
    dates = sorted(r.article.date for r in rendered)
    meta = BookMeta(
        title=title,
        language=language,
        identifier="urn:uuid:00000000-0000-0000-0000-000000000001",
        modified=datetime(2024, 12, 31, tzinfo=UTC),
        author=author,
        subjects=("测试", "tests"),
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
    )
    all_images = images or tuple({i.name: i for r in rendered for i in r.images}.values())
    return Book(meta, built, rendered, images=all_images)


def _chapter(spec, key: str) -> Chapter:
    title, rendered, *rest = spec
    subs = tuple(_chapter(s, f"{key}-{j}") for j, s in enumerate(rest[0])) if rest else ()
    return Chapter(title, f"k{key}", tuple(r.article for r in rendered), subs)


def _all_rendered(spec):
    _title, rendered, *rest = spec
    yield from rendered
    for s in rest[0] if rest else ():
        yield from _all_rendered(s)


def paragraphs(n: int, seed: str = "") -> str:
    """`n` paragraphs of plain Chinese text with a few Latin words, our own words."""
    base = "这是一段用来排版测试的文字，其中夹杂着 Python 与 WeasyPrint 这样的英文单词。"
    return "".join(f"<p>{seed}{base * 4}第{i + 1}段。</p>" for i in range(n))


# ---- looking inside PDFs ----------------------------------------------------------------


def text_of(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-layout", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, check=True).stdout.decode()


def page_texts(pdf: Path) -> list[str]:
    return text_of(pdf).split("\f")[:-1]


def outline(pdf: Path) -> list:
    """[(title, page index from 0, children)] of the PDF outline."""
    with pikepdf.open(pdf) as doc:
        pages = {p.objgen: i for i, p in enumerate(doc.pages)}
        with doc.open_outline() as o:
            return [_item(i, pages) for i in o.root]


def _item(item, pages):
    dest = item.destination
    if dest is None and item.action is not None:
        dest = item.action.get("/D")
    index = pages.get(dest[0].objgen) if dest is not None else None
    return (item.title, index, [_item(c, pages) for c in item.children])


def page_labels(pdf: Path) -> list[str]:
    with pikepdf.open(pdf) as doc:
        return [pikepdf.Page(p).label for p in doc.pages]


def fonts(pdf: Path) -> list[dict]:
    """pdffonts rows: name, type, emb, sub, uni."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True).stdout.decode()
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object ID: parse from the right
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def missing_glyphs(pdf: Path) -> set[str]:
    """Characters of the text that no embedded font maps to a real glyph (not .notdef).

    For each font: the ToUnicode CMap says which glyph id stands for which characters; the
    embedded font program (parsed with fontTools) must hold an outline for that glyph id.
    """
    shown: dict[str, bool] = {}
    with pikepdf.open(pdf) as doc:
        for font in fonts_in(doc):  # the checker's page walk; glyph logic stays independent
            program = _font_program(font)
            for gid, chars in _to_unicode(font).items():
                ok = program is not None and _has_outline(program, gid)
                for ch in chars:
                    shown[ch] = shown.get(ch, False) or ok
    return {ch for ch, ok in shown.items() if not ok and not ch.isspace()}


def _font_program(font):
    desc = font.DescendantFonts[0] if "/DescendantFonts" in font else font
    fd = desc.get("/FontDescriptor")
    if fd is None:
        return None
    for key in ("/FontFile3", "/FontFile2", "/FontFile"):
        if key in fd:
            data = fd[key].read_bytes()
            if data[:4] in (b"OTTO", b"\x00\x01\x00\x00", b"true"):
                return TTFont(io.BytesIO(data))
            return _bare_cff(data)
    return None


def _bare_cff(data: bytes):
    from fontTools.cffLib import CFFFontSet

    cff = CFFFontSet()
    cff.decompile(io.BytesIO(data), None)
    return cff


def _has_outline(program, gid: int) -> bool:
    if gid == 0:
        return False
    if isinstance(program, TTFont):
        order = program.getGlyphOrder()
        return gid < len(order)
    top = program[program.fontNames[0]]
    return gid < len(top.CharStrings.charStrings)


CMAP_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])")
CMAP_CHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _to_unicode(font) -> dict[int, str]:
    if "/ToUnicode" not in font:
        return {}
    data = font.ToUnicode.read_bytes()
    out: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in CMAP_CHAR.findall(block):
            out[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in CMAP_RANGE.findall(block):
            first = bytes.fromhex(dst.strip(b"<>").decode()).decode("utf-16-be")
            for k, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[code] = chr(ord(first[-1]) + k)
    return out
