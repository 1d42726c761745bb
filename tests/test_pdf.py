"""The print PDF, checked on the PDF itself: outline, contents, heads, fonts, glyphs, safety."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from pdf_util import (
    fonts,
    make_article,
    make_book,
    missing_glyphs,
    outline,
    page_labels,
    page_texts,
    paragraphs,
    text_of,
)
from PIL import Image as PILImage
from PIL import ImageChops

from bookmaker import pdf
from bookmaker.config import Config, PdfConfig
from bookmaker.layouts import load_layout
from bookmaker.model import Image

MARKER = "MARKER-OUTSIDE-7731"


def _image(project: Path) -> Image:
    path = project / "img" / "photo.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    im = PILImage.new("RGB", (1200, 800), (40, 120, 200))
    im.save(path)
    return Image("images/0123abcd.png", path, "image/png", 1200, 800)


def _book(project: Path, outside: Path):
    img = _image(project)
    rich = (
        paragraphs(3)
        + '<figure><img src="images/0123abcd.png" alt="蓝色"/><figcaption>图一：蓝色</figcaption>'
        "</figure>"
        + '<p>见<a href="https://example.com/page">这个网站</a>和<a href="#jan-2">下一篇</a>。'
        '注释<sup id="jan-1-fnref-1"><a class="footnote-ref" href="#jan-1-fn-1">1</a></sup>。</p>'
        "<pre><code>for i in range(10):  # " + "long " * 30 + "</code></pre>"
        "<table><tr><th>名称</th><th>值</th></tr><tr><td>甲</td><td>" + "很长" * 40 + "</td></tr>"
        "</table>"
        '<div class="footnote"><ol><li id="jan-1-fn-1"><p>这是脚注。'
        '<a class="footnote-backref" href="#jan-1-fnref-1">↩</a></p></li></ol></div>'
    )
    hostile = (
        f'<p>坏<img src="file:///etc/hostname" alt="h"/><img src="{outside.as_uri()}" alt="m"/>'
        f'<a rel="attachment" href="{outside}">附件</a>'
        '<span style="background: url(/etc/passwd)">样式</span></p>' + paragraphs(2)
    )
    jan = [
        make_article("jan-1", "一月的第一篇", rich, 3, 1, images=(img,)),
        make_article("jan-2", "一月的第二篇", paragraphs(9), 9, 1),
        make_article("jan-3", "恶意的文章", hostile, 20, 1),
    ]
    feb = [
        make_article("feb-1", "二月的文章", paragraphs(12), 2, 2),
        make_article(
            "feb-2", "繁體的文章", "<p>這是繁體中文的段落，說明字形。</p>" * 8, 5, 2, lang="zh-TW"
        ),
        make_article(
            "feb-3",
            "日本語の記事",
            "<p>これは日本語の段落です。漢字と仮名。</p>" * 8,
            8,
            2,
            lang="ja",
        ),
    ]
    essays = [make_article("essay-1", "随笔一则", paragraphs(14), 1, 3)]
    return make_book(
        [("2024年", [], [("2024年1月", jan), ("2024年2月", feb)]), ("随笔", essays)],
        images=(img,),
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The same book rendered as one document and in parts: (single pdf, chunked pdf, problems)."""
    project = tmp_path_factory.mktemp("project")
    outside = tmp_path_factory.mktemp("outside") / "marker.txt"
    outside.write_text(MARKER, encoding="utf-8")
    book = _book(project, outside)
    layout = load_layout(project)
    out = {}
    for name, chunk_pages in (("single", 0), ("chunked", 3)):
        config = Config(base=project, pdf=PdfConfig(chunk_pages=chunk_pages))
        written = pdf.write(book, config, layout, project / f"{name}.pdf")
        out[name] = (written.paths[0], written.problems)
    return out


@pytest.fixture(scope="module", params=["single", "chunked"])
def book_pdf(request, built):
    return built[request.param][0]


EXPECTED_OUTLINE = [
    ("2024年", [("2024年1月", ["一月的第一篇", "一月的第二篇", "恶意的文章"]),
               ("2024年2月", ["二月的文章", "繁體的文章", "日本語の記事"])]),
    ("随笔", ["随笔一则"]),
]  # fmt: skip


def _titles(items):
    out = []
    for title, _, children in items:
        if children and children[0][2]:
            out.append((title, _titles(children)))
        else:
            out.append((title, [c[0] for c in children]))
    return out


def test_outline_is_chapters_then_articles(book_pdf):
    assert _titles(outline(book_pdf)) == EXPECTED_OUTLINE


def _article_pages(pdf_path) -> dict[str, str]:
    """Article title -> printed page number of the page its outline entry points at."""
    labels = page_labels(pdf_path)
    found = {}

    def walk(items):
        for title, index, children in items:
            found[title] = labels[index]
            walk(children)

    walk(outline(pdf_path))
    return found


def _contents(pdf_path) -> dict[str, str]:
    text = text_of(pdf_path, 1, 8)
    return {
        m[0].strip(): m[1]
        for m in re.findall(r"^\s*(\S[^.\n]*?)\s*(?:(?:\. )+\.?)?\s*(\d+)\s*$", text, re.M)
    }


def test_contents_numbers_are_the_pages_articles_start_on(book_pdf):
    contents = _contents(book_pdf)
    starts = _article_pages(book_pdf)
    for title in ("一月的第一篇", "恶意的文章", "日本語の記事", "随笔一则", "2024年2月"):
        assert contents[title] == starts[title], title


def test_printed_folio_matches_the_page_label(book_pdf):
    texts = page_texts(book_pdf)
    labels = page_labels(book_pdf)
    checked = 0
    for text, label in zip(texts, labels, strict=True):
        lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
        if label.isdigit() and lines and re.fullmatch(r"\d+", lines[-1]):
            assert lines[-1] == label
            checked += 1
    assert checked > 5


def test_running_heads_carry_book_title_left_and_chapter_right(book_pdf):
    texts = page_texts(book_pdf)
    labels = page_labels(book_pdf)
    starts = _article_pages(book_pdf)
    first_feb, last_feb = int(starts["二月的文章"]), int(starts["随笔"]) - 1
    seen = set()
    for text, label in zip(texts, labels, strict=True):
        if not label.isdigit() or not first_feb < int(label) <= last_feb:
            continue
        head = text.strip().splitlines()[0].strip() if text.strip() else ""
        if int(label) % 2:
            assert head.startswith("2024年2月") or not text.strip(), (label, head)
        else:
            assert head.startswith("测试之书") or not text.strip(), (label, head)
        seen.add(int(label) % 2)
    assert seen == {0, 1}


def test_no_running_head_on_chapter_openers(book_pdf):
    texts = page_texts(book_pdf)
    labels = page_labels(book_pdf)
    opener = labels.index(_article_pages(book_pdf)["随笔"])
    first_line = texts[opener].strip().splitlines()[0].strip()
    assert first_line == "随笔"


def test_every_font_embedded_and_subset(book_pdf):
    rows = fonts(book_pdf)
    assert rows
    assert all(r["emb"] == "yes" and r["sub"] == "yes" and r["uni"] == "yes" for r in rows), rows
    names = {r["name"].split("+")[-1] for r in rows}
    assert {"Noto-Serif-CJK-SC", "Noto-Serif-CJK-TC", "Noto-Serif-CJK-JP"} <= names


def test_no_missing_glyphs(book_pdf):
    assert missing_glyphs(book_pdf) == set()


def test_nothing_from_outside_the_roots(built, book_pdf):
    text = text_of(book_pdf)
    assert MARKER not in text
    hostname = Path("/etc/hostname").read_text().strip()
    with pikepdf.open(book_pdf) as doc:
        assert len(doc.attachments) == 0
        raw = b"".join(o.read_bytes() for o in doc.objects if isinstance(o, pikepdf.Stream))
    assert MARKER.encode() not in raw
    assert f"\n{hostname}\n" not in text
    problems = built["single"][1]
    refused = [p for p in problems if "not loaded" in p.message]
    assert any("/etc/hostname" in p.message and p.path == "content/jan-3.md" for p in refused)
    assert any("marker.txt" in p.message for p in refused)


def test_page_size_is_a5_by_default(book_pdf):
    with pikepdf.open(book_pdf) as doc:
        for page in doc.pages:
            box = [float(v) for v in page.trimbox]
            assert round(box[2] - box[0]) == 420 and round(box[3] - box[1]) == 595


def test_chunked_and_single_give_the_same_book(built):
    single, chunked = built["single"][0], built["chunked"][0]
    assert len(page_labels(single)) == len(page_labels(chunked))
    assert outline(single) == outline(chunked)
    assert _contents(single) == _contents(chunked)


def test_body_pages_copied_again_here_when_the_background_copy_fails(built, tmp_path, monkeypatch):
    """The body's pages are copied into one file by a process of its own while the front
    matter renders; when that process dies, this one copies them and the book is whole."""
    from bookmaker import pdfchunks

    class Died:
        exitcode = -9

        def join(self):
            pass

    monkeypatch.setattr(pdfchunks, "in_background", lambda target, *args: Died())
    project = tmp_path
    book = _book(project, tmp_path / "marker.txt")
    config = Config(base=project, pdf=PdfConfig(chunk_pages=3))
    written = pdf.write(book, config, load_layout(project), project / "again.pdf")
    chunked = built["chunked"][0]
    assert page_labels(written.paths[0]) == page_labels(chunked)
    assert outline(written.paths[0]) == outline(chunked)
    assert _contents(written.paths[0]) == _contents(chunked)


def test_internal_link_goes_to_the_article(book_pdf):
    starts = _article_pages(book_pdf)
    with pikepdf.open(book_pdf) as doc:
        index = {p.objgen: i for i, p in enumerate(doc.pages)}
        labels = [pikepdf.Page(p).label for p in doc.pages]
        targets = [
            labels[index[a.Dest[0].objgen]]
            for p in doc.pages
            for a in p.obj.get("/Annots", [])
            if "/Dest" in a
        ]
        uris = [str(a.A.URI) for p in doc.pages for a in p.obj.get("/Annots", []) if "/A" in a]
    assert starts["一月的第二篇"] in targets
    assert "https://example.com/page" in uris
    assert not [u for u in uris if "bookmaker.invalid" in u]


def test_external_link_and_footnote_printed_at_the_foot(book_pdf):
    text = text_of(book_pdf)
    assert "https://example.com/page" in text
    assert "这是脚注。" in text
    assert "↩" not in text


def test_metadata(book_pdf):
    with pikepdf.open(book_pdf) as doc:
        assert str(doc.docinfo.Title) == "测试之书"
        assert str(doc.docinfo.Author) == "某作者"
        assert "测试" in str(doc.docinfo.Keywords)
        assert str(doc.Root.Lang) == "zh-CN"
        with doc.open_metadata() as xmp:
            assert xmp["dc:title"] == "测试之书"


def _fill_colours(page) -> set[tuple]:
    """The fill colours a page's content sets: ("cmyk", c, m, y, k) or ("rgb", r, g, b)."""
    out, space = set(), None
    for operands, operator in pikepdf.parse_content_stream(page, "cs rg k scn"):
        op, values = (
            str(operator),
            tuple(float(x) for x in operands if not isinstance(x, pikepdf.Name)),
        )
        if op == "cs":
            space = str(operands[0])
        elif op == "k" or (op == "scn" and space == "/DeviceCMYK"):
            out.add(("cmyk", *values))
        elif op == "rg":
            out.add(("rgb", *values))
    return out


def test_the_text_prints_on_the_black_plate_alone(book_pdf):
    """An RGB grey reaches the press as four inks or a screen of dots: fuzzy small Han."""
    with pikepdf.open(book_pdf) as doc:
        labels = page_labels(book_pdf)
        body = doc.pages[labels.index(_article_pages(book_pdf)["一月的第二篇"])]
        colours = _fill_colours(body)
    assert ("cmyk", 0, 0, 0, 1) in colours
    assert not any(c[0] == "rgb" and c[1] == c[2] == c[3] < 0.2 for c in colours), colours


def test_the_book_opens_in_spreads_the_cover_alone(book_pdf):
    with pikepdf.open(book_pdf) as doc:
        assert doc.Root.get("/PageLayout") == "/TwoPageRight"


def test_id_is_ours_twice_and_the_file_reads_cleanly(book_pdf):
    """/ID [a a] (`content_id`; not qpdf's fixed test value it was written with), put in
    place without moving a byte: poppler reads the file without a complaint."""
    from bookmaker.pdfmerge import QPDF_STATIC_ID

    with pikepdf.open(book_pdf) as doc:
        first, second = (bytes(s) for s in doc.trailer.ID)
    assert first == second and len(first) == 16
    assert QPDF_STATIC_ID not in book_pdf.read_bytes()[-100_000:]
    check = subprocess.run(["pdfinfo", str(book_pdf)], capture_output=True, text=True)
    assert check.returncode == 0 and not check.stderr


def test_content_id_follows_what_the_book_is_made_of(tmp_path):
    from bookmaker.pdfchunks import Result

    parts = [Result(f"body-{n}", f"{n}.pdf", sha256=f"{n:x}" * 64) for n in range(3)]
    meta = make_book([("一章", [make_article("a", "文章", "<p>字</p>")])]).meta
    ident = pdf.content_id(meta, parts)
    assert len(ident) == 16 and pdf.content_id(meta, list(parts)) == ident
    moved = dataclasses.replace(meta, cover=tmp_path / "elsewhere" / "cover.jpg")
    assert pdf.content_id(moved, parts) == ident  # where the project lives is not content
    assert pdf.content_id(meta, parts[::-1]) != ident
    assert pdf.content_id(dataclasses.replace(meta, subjects=("新",)), parts) != ident
    edited = dataclasses.replace(parts[1], sha256="e" * 64)
    assert pdf.content_id(meta, [parts[0], edited, parts[2]]) != ident


@pytest.mark.slow
def test_same_input_same_bytes_and_page_options(tmp_path):
    book = make_book([("一章", [make_article("a", "文章", paragraphs(2))])])
    layout = load_layout(tmp_path)
    base = Config(base=tmp_path, pdf=PdfConfig(chunk_pages=0))
    one = pdf.write(book, base, layout, tmp_path / "one.pdf").paths[0].read_bytes()
    two = pdf.write(book, base, layout, tmp_path / "two.pdf").paths[0].read_bytes()
    assert one == two
    config = dataclasses.replace(base, pdf=PdfConfig(chunk_pages=0, page_size="B5", bleed="3mm"))
    config = config.override("epub", writing_mode="vertical")
    written = pdf.write(book, config, layout, tmp_path / "b5.pdf")
    assert any("vertical" in p.message for p in written.problems)
    with pikepdf.open(written.paths[0]) as doc:
        trim = [float(v) for v in doc.pages[-1].trimbox]
        media = [float(v) for v in doc.pages[-1].mediabox]
    mm = 72 / 25.4
    assert round((trim[2] - trim[0]) / mm) == 176 and round((trim[3] - trim[1]) / mm) == 250
    assert round((media[2] - media[0]) / mm) == 176 + 6
    assert _crop_marks(written.paths[0], len(page_labels(written.paths[0])))


@pytest.mark.slow
def test_chunked_builds_are_byte_identical_whatever_the_cache_folder(tmp_path):
    """Two cold chunked builds (`--no-cache` puts the cache in a new temporary folder each
    time) give the same bytes: image renditions and the generated cover live in the cache,
    and WeasyPrint names each image in the PDF after its URL."""
    photo = tmp_path / "img" / "big.png"
    photo.parent.mkdir()
    PILImage.new("RGB", (2400, 1600), (200, 90, 40)).save(photo)
    img = Image("images/4567cdef.png", photo, "image/png", 2400, 1600)
    figure = '<p><img src="images/4567cdef.png" alt="图"/></p>'
    book = make_book(
        [
            ("一章", [make_article("a", "甲", paragraphs(4) + figure, 1, 1, images=(img,))]),
            ("二章", [make_article("b", "乙", paragraphs(5) + figure, 2, 2, images=(img,))]),
        ],
        images=(img,),
    )
    layout = load_layout(tmp_path)
    out = []
    for name in ("cache-one", "cache-two", "cache-one"):  # the third reuses the first cache
        config = Config(base=tmp_path, pdf=PdfConfig(chunk_pages=2))
        config = config.override("output", cache_dir=name)
        written = pdf.write(book, config, layout, tmp_path / f"{len(out)}.pdf")
        out.append(written.paths[0].read_bytes())
    assert (tmp_path / "cache-two" / "images").is_dir()  # the renditions were made there
    assert out[0] == out[1] == out[2]
    with pikepdf.open(tmp_path / "0.pdf") as doc:
        assert len(doc.pages) > 4 and sum(len(p.get_images()) for p in doc.pages) >= 2


def _crop_marks(pdf_path: Path, page: int) -> bool:
    """Something is drawn in the bleed at the page's top left corner (outside the trim)."""
    png = subprocess.run(
        ["pdftoppm", "-gray", "-r", "72", "-f", str(page), "-l", str(page), str(pdf_path)],
        capture_output=True,
        check=True,
    ).stdout
    corner = PILImage.open(io.BytesIO(png)).crop((0, 0, 12, 12))
    return corner.getextrema()[0] < 128  # the darkest pixel (a grey picture: one band)


@pytest.mark.slow
def test_an_article_that_exceeds_the_limits_is_left_out_and_reported(tmp_path, monkeypatch):
    from bookmaker import pdfchunks

    monkeypatch.setattr(pdfchunks, "TIME_LIMIT_S", 8)
    huge = "<table>" + "<tr><td>格</td><td>子</td></tr>" * 60000 + "</table>"
    book = make_book(
        [
            ("一章", [make_article("fine-1", "正常的文章", paragraphs(2), 1)]),
            ("二章", [make_article("huge", "病态的文章", huge, 2)]),
            ("三章", [make_article("fine-2", "另一篇正常的文章", paragraphs(2), 3)]),
        ]
    )
    config = Config(base=tmp_path, pdf=PdfConfig(chunk_pages=1))
    written = pdf.write(book, config, load_layout(tmp_path), tmp_path / "book.pdf")
    errors = [p for p in written.problems if p.level == "error"]
    assert [p.path for p in errors] == ["content/huge.md"]
    assert "left out of the PDF" in errors[0].message
    tree = outline(written.paths[0])
    titles = [t for _, _, children in tree for t, _, _ in children]
    assert titles == ["正常的文章", "另一篇正常的文章"]
    # the chapter the article was in still opens on its own page, and is in the contents
    assert [t for t, _, _ in tree] == ["一章", "二章", "三章"]
    assert "二章" in text_of(written.paths[0], 1, 8)


FONT_PAGES = """
import sys
from weasyprint import HTML
from bookmaker.pdffonts import lazy_font_files

lazy_font_files()
html = "".join(
    f"<p style=\\"font-family: 'Noto {family} CJK SC'; font-weight: {weight}\\">中文 Latin</p>"
    for family in ("Serif", "Sans")
    for weight in (400, 700)
)
HTML(string=html).write_pdf(sys.argv[1])
resident, mapped = {}, set()
for line in open("/proc/self/smaps"):
    fields = line.split()
    if "-" in fields[0] and len(fields) == 6:
        path = fields[5] if fields[5].endswith((".ttc", ".otf", ".ttf")) else None
    elif fields[0] == "Rss:" and path:
        resident[path] = resident.get(path, 0) + int(fields[1]) * 1024
import os
print(sum(resident.values()), sum(os.path.getsize(p) for p in resident))
"""


def test_workers_do_not_read_the_font_files_whole(tmp_path):
    """WeasyPrint 70 copies each font's whole file when it starts drawing with it, which
    brings every page of the mapped Noto CJK collections into the worker: ~110 MB per part,
    counted again in every worker. Only what shaping and subsetting use is read now."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", FONT_PAGES, str(tmp_path / "t.pdf")],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )  # fmt: skip
    resident, size = map(int, out.stdout.split())
    assert size > 40 * 2**20  # four collections drawn with
    assert resident < size / 3  # whole files read: all of it resident
    with pikepdf.open(tmp_path / "t.pdf") as doc:
        names = [str(f.BaseFont) for f in doc.pages[0].Resources.Font.values()]
    assert len(names) >= 4 and all("+" in n for n in names)  # still embedded, as subsets


def test_workers_do_not_hold_a_copy_of_each_font_file(tmp_path):
    """WeasyPrint 70 copies a whole Noto CJK collection (20-27 MB) per font it draws with and
    holds them all until the PDF is written; made lazy, at most one copy lives at a time,
    and the PDF still embeds a subset of each font."""
    import tracemalloc

    from weasyprint import HTML

    from bookmaker.pdffonts import faces_of, lazy_font_files

    lazy_font_files()
    html = "".join(
        f"<p style=\"font-family: 'Noto {family} CJK SC'; font-weight: {weight}\">中文 Latin</p>"
        for family in ("Serif", "Sans")
        for weight in (400, 700)
    )
    document = HTML(string=html).render()
    tracemalloc.start()
    try:
        document.write_pdf(tmp_path / "t.pdf")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(document.fonts) >= 4
    assert peak < 40 * 2**20  # four collections held at once would be over 90 MB
    sizes = [face.size for face in faces_of(document).values()]
    assert max(sizes) > 10 * 2**20  # the file's length, for sharing subsets later
    with pikepdf.open(tmp_path / "t.pdf") as doc:
        names = [str(f.BaseFont) for f in doc.pages[0].Resources.Font.values()]
    assert len(names) >= 4 and all("+" in n for n in names)  # embedded as subsets


def test_the_warm_up_page_uses_the_parts_stylesheets_and_renders(tmp_path):
    """The fork server renders it before the parts fork from it (`forkwarm`): what it parses
    serves them only if it links the same stylesheets, from the same place, as the body."""
    from bookmaker import pdfchunks, pdfdoc

    config = Config(base=tmp_path, pdf=PdfConfig(chunk_pages=100))
    (tmp_path / "layouts" / "default").mkdir(parents=True)
    (tmp_path / "layouts" / "default" / "custom.css").write_text("p { color: #222 }")
    warm = pdf._warmup_job(config)
    book = make_book([("一章", [make_article("a", "文章", paragraphs(1))])])
    ctx = pdf._Context.create(book, config, load_layout(tmp_path))
    body = ctx.job("body-0", pdfdoc.body_html(ctx.layout, book, ctx.assets, ctx.css(False), []),
                   tmp_path / "b.pdf")  # fmt: skip

    def sheets(html: str) -> list[str]:
        return re.findall(r"<link[^>]*>|<style>.*?</style>", html, re.S)

    assert any("custom.css" in s for s in sheets(warm.html))
    assert sheets(warm.html) == sheets(body.html) and warm.base_url == body.base_url
    result = pdfchunks.render_job(dataclasses.replace(warm, out=str(tmp_path / "w.pdf")), False)
    assert not result.error and result.pages


def _drawn_pictures(path: Path, width: int, height: int) -> list[tuple[int, int]]:
    """(page, object number) wherever poppler sees a picture this size drawn, in page order."""
    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    rows = [row.split() for row in listing]
    return [(int(r[0]), int(r[10])) for r in rows if r[2:5] == ["image", str(width), str(height)]]


def test_a_picture_shown_in_two_parts_is_stored_once(tmp_path, caplog):
    img = _image(tmp_path)
    figure = '<figure><img src="images/0123abcd.png" alt="蓝色"/></figure>'
    book = make_book([
        ("2024年1月", [make_article("a", "甲", figure + paragraphs(9), 1, 1, images=(img,)),
                      make_article("b", "乙", paragraphs(9), 2, 1)]),
        ("2024年2月", [make_article("c", "丙", figure + paragraphs(9), 1, 2, images=(img,))]),
    ])  # fmt: skip
    config = Config(base=tmp_path, pdf=PdfConfig(chunk_pages=3))
    with caplog.at_level("INFO", logger="bookmaker.pdf"):
        written = pdf.write(book, config, load_layout(tmp_path), tmp_path / "book.pdf")
    assert "in 2 part(s)" in caplog.text  # each part embedded the picture
    (first_page, first), (second_page, second) = _drawn_pictures(written.paths[0], 1200, 800)
    assert first_page < second_page and first == second


def test_the_build_says_how_many_pages_the_pdf_has_and_how_big_it_is(tmp_path, caplog):
    book = make_book([("2024年1月", [make_article("a", "甲", paragraphs(12), 1, 1)])])
    config = Config(base=tmp_path, pdf=PdfConfig(chunk_pages=3))
    with caplog.at_level("INFO", logger="bookmaker"):
        (path,) = pdf.write(book, config, load_layout(tmp_path), tmp_path / "book.pdf").paths
    with pikepdf.open(path) as doc:
        pages = len(doc.pages)
    said = [r.getMessage() for r in caplog.records if r.levelname == "INFO"]
    assert said[-1] == f"book.pdf: {pages} pages, {path.stat().st_size / 2**20:.1f} MB"
    assert pages > 1
    # How the parts were put together is for -v: what a person reads is what was made.
    assert not any("saved" in line or "folios" in line for line in said)


def test_links_in_footnotes_and_embeds_do_not_make_notes_out_of_order(tmp_path):
    """A link in a footnote got a footnote of its own, numbered before its holder (1, 3, 2);
    an embedded video's link, whose text is its URL, got its URL again at the foot."""
    body = (
        '<p>见<a href="https://a.example/one">甲站</a>。'
        '注释<sup id="a-fnref-1"><a class="footnote-ref" href="#a-fn-1">1</a></sup>。</p>'
        '<a class="embed" href="https://c.example/video">▶ https://c.example/video</a>'
        '<div class="footnote"><ol><li id="a-fn-1"><p>注里有<a href="https://b.example/two">乙站</a>。'
        '<a class="footnote-backref" href="#a-fnref-1">↩</a></p></li></ol></div>'
    )
    book = make_book([("2024年1月", [make_article("a", "甲", body, 1, 1)])])
    config = Config(base=tmp_path, pdf=PdfConfig(chunk_pages=0))
    (path,) = pdf.write(book, config, load_layout(tmp_path), tmp_path / "book.pdf").paths
    text = re.sub(r"\s+", " ", text_of(path))
    assert "1. https://a.example/one" in text
    assert "2. 注里有乙站 (https://b.example/two)。" in text
    assert "3." not in text
    assert text.count("c.example/video") == 1


def test_a_footnote_referred_to_twice_is_one_note_whole_and_one_number(tmp_path):
    """The second reference made a second note, numbered anew, with only what the first
    copy had left of the note (1, 2, 3 and "第二个脚注，" without its bold words)."""
    body = (
        '<p>见<a href="https://a.example/one">甲站</a>。先<sup id="a-fnref-second">'
        '<a class="footnote-ref" href="#a-fn-second">1</a></sup>，再<sup id="a-fnref-first">'
        '<a class="footnote-ref" href="#a-fn-first">2</a></sup>，又<sup id="a-fnref2-second">'
        '<a class="footnote-ref" href="#a-fn-second">1</a></sup>。</p>'
        '<div class="footnote"><ol><li id="a-fn-second"><p>第二个脚注，<strong>粗体</strong>。'
        '<a class="footnote-backref" href="#a-fnref-second">↩</a>'
        '<a class="footnote-backref" href="#a-fnref2-second">↩</a></p></li>'
        '<li id="a-fn-first"><p>第一个。<a class="footnote-backref" href="#a-fnref-first">↩</a>'
        "</p></li></ol></div>"
    )
    book = make_book([("2024年1月", [make_article("a", "甲", body, 1, 1)])])
    config = Config(base=tmp_path, pdf=PdfConfig(chunk_pages=0))
    (path,) = pdf.write(book, config, load_layout(tmp_path), tmp_path / "book.pdf").paths
    text = re.sub(r"\s+", " ", text_of(path))
    assert "见甲站1。先2，再3，又2。" in text.replace(" ", "")
    assert "1. https://a.example/one 2. 第二个脚注，粗体。 3. 第一个。" in text
    assert "4." not in text


def _grey_pdf_cover(book, tmp_path: Path):
    """The first page (the cover) of `book` printed with `[pdf] grayscale`, as R, G and B
    bands; each is checked to be the others (grey)."""
    config = Config(base=tmp_path, pdf=PdfConfig(chunk_pages=0, grayscale=True))
    (path,) = pdf.write(book, config, load_layout(tmp_path), tmp_path / "book.pdf").paths
    png = subprocess.run(
        ["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", str(path)],
        capture_output=True,
        check=True,
    ).stdout
    r, g, b = PILImage.open(io.BytesIO(png)).convert("RGB").split()
    for one, other in ((r, g), (g, b)):
        assert ImageChops.difference(one, other).getextrema()[1] <= 2  # (the PDF's rounding)
    return r


def test_a_grayscale_pdf_has_a_grey_generated_cover(tmp_path):
    """`[pdf] grayscale` greyed the book's pictures but printed its cover in colour."""
    book = make_book([("2024年1月", [make_article("a", "甲", "<p>文</p>", 1, 1)])])
    assert _grey_pdf_cover(book, tmp_path).getextrema()[0] < 80  # the dark field is there


def test_a_grayscale_pdf_has_a_grey_configured_cover(tmp_path):
    """`--grayscale` greyed the generated cover, but `[book] cover` printed in colour."""
    cover = tmp_path / "cover.jpg"
    PILImage.new("RGB", (600, 900), (200, 30, 30)).save(cover, quality=90)
    written = cover.read_bytes()
    book = make_book([("2024年1月", [make_article("a", "甲", "<p>文</p>", 1, 1)])])
    book = dataclasses.replace(book, meta=dataclasses.replace(book.meta, cover=cover))
    grey = _grey_pdf_cover(book, tmp_path)
    assert grey.getextrema()[1] < 120  # the red picture, as grey, fills the page
    assert cover.read_bytes() == written  # the author's file is left as it was


def test_a_note_first_referred_to_from_a_note_nobody_cites_does_not_stop_the_book():
    """Only an unreferenced note (left out of print) referred to 乙 before 甲's note did:
    numbering 甲's reference after that note raised ValueError. It keeps its number."""
    from bookmaker import pdfdoc

    body = (
        '<p>正文<sup><a class="footnote-ref" href="#a-fn-A">1</a></sup>。</p>'
        '<div class="footnote"><ol><li id="a-fn-C"><p>丙<sup>'
        '<a class="footnote-ref" href="#a-fn-B">3</a></sup></p></li>'
        '<li id="a-fn-A"><p>甲<sup><a class="footnote-ref" href="#a-fn-B">3</a></sup></p></li>'
        '<li id="a-fn-B"><p>乙</p></li></ol></div>'
    )
    printed = pdfdoc.print_xhtml(make_article("a", "甲", body), pdfdoc.Assets(()), False)[0]
    assert '<span class="footnote"><span>甲<sup class="footnote-again"' in printed
    assert ">3</sup>" in printed


def test_an_image_keeps_the_width_its_author_gave_it(tmp_path):
    """<img width="150"> is 150 CSS px (112.5 pt) wide, as in the EPUB; WeasyPrint reads no
    HTML size attributes, and showed it across the whole text block."""
    img = _image(tmp_path)  # 1200 x 800, blue
    body = '<p>小图：</p><p><img src="images/0123abcd.png" width="150" alt="蓝"/></p>'
    book = make_book([("2024年1月", [make_article("a", "甲", body, 1, 1, images=(img,))])])
    config = Config(base=tmp_path, pdf=PdfConfig(chunk_pages=0))
    (path,) = pdf.write(book, config, load_layout(tmp_path), tmp_path / "book.pdf").paths
    png = subprocess.run(
        ["pdftoppm", "-r", "72", "-png", "-f", "7", "-l", "7", str(path)],
        capture_output=True,
        check=True,
    ).stdout
    page = PILImage.open(io.BytesIO(png)).convert("RGB")

    def blue(x: int, y: int) -> bool:  # (the PDF's colour is a shade off the PNG's)
        return (
            max(abs(a - b) for a, b in zip(page.getpixel((x, y)), (40, 120, 200), strict=True)) < 6
        )

    rows = [sum(blue(x, y) for x in range(page.width)) for y in range(page.height)]
    assert abs(max(rows) - 112.5) <= 2  # pixels at 72 dpi are points


def test_an_image_keeps_its_share_of_the_text_width(make_project, run_cli):
    """`<img width="60%">` is 60% of the text's width in print, as in the EPUB: twice as wide
    as the picture at `style="width: 30%"`, neither across the whole text block."""
    out = io.BytesIO()
    PILImage.new("RGB", (1200, 800), (40, 120, 200)).save(out, format="PNG")
    project = make_project({
        "content/a.md": '---\ntitle: 甲\ndate: 2024-01-01\n---\n<img src="blue.png" alt="蓝" '
        'width="60%">\n\n<img src="blue.png" alt="蓝" style="width: 30%">\n',
        "content/blue.png": out.getvalue(),
    })  # fmt: skip
    assert run_cli(project, "pdf", "-o", "book.pdf")[0] == 0
    pages = subprocess.run(
        ["pdftoppm", "-r", "72", "-png", str(project / "book.pdf"), str(project / "page")],
        check=True,
    )
    assert pages.returncode == 0
    target = (40, 120, 200)
    for png in sorted(project.glob("page-*.png")):
        page = PILImage.open(png).convert("RGB")
        rows = [
            sum(max(abs(a - b) for a, b in zip(page.getpixel((x, y)), target, strict=True)) < 6
                for x in range(page.width))
            for y in range(page.height)
        ]  # fmt: skip
        widths = [w for w, _ in Counter(r for r in rows if r > 10).most_common(2)]
        if widths:
            break
    assert len(widths) == 2 and abs(max(widths) / min(widths) - 2) < 0.05, widths
    assert max(widths) < 0.7 * page.width


@pytest.mark.slow
def test_a_traditional_chinese_book_is_set_in_its_own_faces_code_in_monospace(tmp_path):
    """Code took the body's Ming (`:lang(zh-TW)` outranked `code`), and the running heads,
    dates, chapter pages and the contents took the Simplified faces (戶 drawn as 户)."""
    body = "<h2>型別參數</h2><p>執行 <code>go version</code> 確認。</p>" + paragraphs(30)
    article = make_article("a", "戶外筆記", body, lang="zh-TW")
    book = make_book([("二〇二四年一月", [article])], title="山城筆記", language="zh-TW")
    config = Config(base=tmp_path, pdf=PdfConfig(chunk_pages=0))
    out = pdf.write(book, config, load_layout(tmp_path), tmp_path / "tw.pdf").paths[0]
    names = {re.sub(r"^[A-Z]{6}\+", "", f["name"]) for f in fonts(out)}
    assert "Noto-Serif-CJK-TC" in names and not [n for n in names if "CJK-SC" in n], names
    bbox = subprocess.run(["pdftotext", "-bbox", str(out), "-"], capture_output=True, check=True)
    words = re.finditer(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>(\w+)<', bbox.stdout.decode()
    )
    widths = {m[3]: float(m[2]) - float(m[1]) for m in words}
    assert abs(widths["version"] / widths["go"] - 3.5) < 0.05  # every letter as wide: mono


def test_with_a_bleed_the_cover_runs_to_the_edge_of_the_bleed(tmp_path):
    """A print shop trims inside the bleed: a cover picture fitted to the trimmed page left
    a white band there, which a trim a hair off shows along the cover's edge."""
    book = make_book([("2024年1月", [make_article("a", "甲", paragraphs(1), 1, 1)])])
    config = Config(base=tmp_path, pdf=PdfConfig(chunk_pages=0, bleed="3mm"))
    (path,) = pdf.write(book, config, load_layout(tmp_path), tmp_path / "book.pdf").paths
    png = subprocess.run(
        ["pdftoppm", "-r", "72", "-png", "-f", "1", "-l", "1", str(path)],
        capture_output=True,
        check=True,
    ).stdout
    page = PILImage.open(io.BytesIO(png)).convert("RGB")
    w, h = page.size
    edges = [(1, h // 3), (w - 2, h // 3), (w // 2, 1), (w // 2, h - 2), (1, h - 2)]
    assert all(page.getpixel(xy) != (255, 255, 255) for xy in edges), edges
