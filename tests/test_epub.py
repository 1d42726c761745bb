"""The EPUB backend: structure, metadata, validity (EPUBCheck), reproducibility, fonts."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from epubcheck_util import needs_epubcheck, problems
from lxml import etree
from PIL import Image as PILImage

from bookmaker import epub
from bookmaker.config import Config, EpubConfig, ImagesConfig
from bookmaker.layouts import load_layout
from bookmaker.model import Article, Book, BookMeta, Chapter, Image, RenderedArticle

CST = timezone(timedelta(hours=8))
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}


def article(slug: str, title: str, day: int, tags=(), month: int = 10) -> Article:
    return Article(
        path=Path(f"/nowhere/{slug}.md"),
        rel=f"content/{slug}.md",
        title=title,
        date=datetime(2025, month, day, 9, 30, tzinfo=CST),
        body="",
        body_line=1,
        slug=slug,
        tags=tuple(tags),
    )


def make_book(
    articles: list[tuple[Article, str]],
    chapters: tuple[Chapter, ...] | None = None,
    images: tuple[Image, ...] = (),
    language: str = "zh-CN",
    **meta,
) -> Book:
    """A Book made by hand: (Article, XHTML body) pairs, one chapter per month by default."""
    if chapters is None:
        months: dict[str, list[Article]] = {}
        for a, _ in articles:
            months.setdefault(f"{a.date:%Y-%m}", []).append(a)
        chapters = tuple(
            Chapter(f"{k[:4]}年{int(k[5:])}月", k, tuple(v)) for k, v in months.items()
        )
    rendered = tuple(
        RenderedArticle(a, body, language, images=tuple(i for i in images if i.name in body))
        for a, body in articles
    )
    dates = [a.date for a, _ in articles]
    book_meta = BookMeta(
        title=meta.pop("title", "山中笔记：一个程序员的十年"),
        language=language,
        identifier="urn:uuid:3b7a0c55-8a4f-5d7e-9a51-000000000001",
        modified=datetime(2025, 10, 24, 1, 2, 3, tzinfo=UTC),
        subtitle=meta.pop("subtitle", "博客文选"),
        author=meta.pop("author", "林小山"),
        author_file_as="林, 小山",
        subjects=("编程", "生活"),
        first_date=min(dates) if dates else None,
        last_date=max(dates) if dates else None,
        **meta,
    )
    return Book(book_meta, chapters, rendered, images=images)


def config_for(tmp_path: Path, **epub_values) -> Config:
    return Config(base=tmp_path, epub=EpubConfig(**epub_values))


def build(book: Book, tmp_path: Path, name: str = "book.epub", **epub_values):
    target = tmp_path / "out" / name
    written = epub.write(book, config_for(tmp_path, **epub_values), load_layout(tmp_path), target)
    return target, written


def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def opf_of(files: dict[str, bytes]) -> etree._Element:
    return etree.fromstring(files["EPUB/content.opf"])


def make_images(folder: Path) -> tuple[Image, ...]:
    """One image of each kind a blog has: JPEG, PNG, GIF and SVG."""
    folder.mkdir(parents=True, exist_ok=True)
    found = []
    for kind, media_type in (("jpg", "image/jpeg"), ("png", "image/png"), ("gif", "image/gif")):
        path = folder / f"{kind}0000000000.{kind}"
        PILImage.new("RGB", (120, 80), (200, 90, 40)).save(
            path, format={"jpg": "JPEG"}.get(kind, kind.upper())
        )
        found.append(Image(f"images/{path.name}", path, media_type, 120, 80))
    svg = folder / "svg0000000000.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50" viewBox="0 0 100 50">'
        '<rect width="100" height="50" fill="#3a6"/></svg>',
        encoding="utf-8",
    )
    found.append(Image(f"images/{svg.name}", svg, "image/svg+xml", 100, 50))
    return tuple(found)


FIRST = """\
<p>十月的第一篇：我们用 <code>Python</code> 写了一个小工具，见<a href="#second-post">下一篇</a>和\
<a href="#second-post-results">结果一节</a>。<em>重点</em>在这里<sup id="first-post-fnref-1">\
<a class="footnote-ref" href="#first-post-fn-1" epub:type="noteref">1</a></sup>。</p>
<figure><img src="images/jpg0000000000.jpg" alt="一张橙色的照片"/>\
<figcaption>图一：照片</figcaption></figure>
<p><img src="images/png0000000000.png" alt="PNG 图"/> 和 \
<img src="images/gif0000000000.gif" alt="动图"/> 还有 \
<img src="images/svg0000000000.svg" alt="矢量图"/>。</p>
<pre><code class="language-python">def hello(name: str) -&gt; str:
    return f"你好，{name}！" + "a very long line that should wrap instead of running off the page"
</code></pre>
<table><thead><tr><th>名称</th><th>数量</th></tr></thead>\
<tbody><tr><td>苹果</td><td>3</td></tr><tr><td>香蕉</td><td>12</td></tr></tbody></table>
<p>注音：<ruby>篆<rp>(</rp><rt>zhuàn</rt><rp>)</rp></ruby>。质能方程：<math xmlns="http://www.w3.org/1998/Math/MathML"><mi>E</mi><mo>=</mo><mi>m</mi>\
<msup><mi>c</mi><mn>2</mn></msup></math>。</p>
<aside id="first-post-fn-1" epub:type="footnote"><p>脚注：这是一个注释。\
<a href="#first-post-fnref-1">↩</a></p></aside>
"""

SECOND = """\
<p>第二篇回到<a href="#first-post">第一篇</a>，也链接到 <a href="https://example.com/">外部网站</a>。</p>
<h2 id="second-post-results">结果</h2>
<blockquote><p>“引用的话。”</p></blockquote>
<ul><li>第一项</li><li>第二项：English words mixed in.</li></ul>
"""

THIRD = "<p>十一月只有一篇，很短。</p>"


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    """The full book built once: (epub path, Written, Book, files in the zip)."""
    tmp = tmp_path_factory.mktemp("rich")
    images = make_images(tmp / "cache")
    book = make_book(
        [
            (article("first-post", "第一篇：工具 & <标签>", 3, ("编程", "Python")), FIRST),
            (article("second-post", "第二篇：结果", 20, ("编程",)), SECOND),
            (article("third-post", "第三篇", 2, (), month=11), THIRD),
        ],
        images=images,
        description="一本测试用的书。",
        publisher="山中出版",
        rights="© 2025 林小山",
    )
    path, written = build(book, tmp, kepub=True)
    return path, written, book, read_zip(path)


def xhtml_docs(files: dict[str, bytes]) -> dict[str, etree._Element]:
    return {n: etree.fromstring(d) for n, d in files.items() if n.endswith(".xhtml")}


def spine_hrefs(files: dict[str, bytes]) -> list[str]:
    opf = opf_of(files)
    hrefs = {i.get("id"): i.get("href") for i in opf.iterfind(".//opf:item", namespaces=NS)}
    return [hrefs[r.get("idref")] for r in opf.iterfind(".//opf:itemref", namespaces=NS)]


@pytest.mark.slow
@needs_epubcheck
def test_epubcheck_finds_no_error_and_no_warning(rich):
    path, written, _, _ = rich
    assert written.paths == (path, path.with_name("book.kepub.epub"))
    for book in written.paths:  # the Kobo spans must not break the markup either
        assert problems(book) == []
    assert written.problems == ()


def test_spine_has_cover_first_then_one_item_per_article_in_date_order(rich):
    _, _, _, files = rich
    spine = spine_hrefs(files)
    assert spine[:3] == ["cover.xhtml", "title.xhtml", "contents.xhtml"]
    articles = [h for h in spine if h.startswith("text/")]
    assert articles == ["text/first-post.xhtml", "text/second-post.xhtml", "text/third-post.xhtml"]
    opf = opf_of(files)
    assert all(
        r.get("linear") in (None, "yes") for r in opf.iterfind(".//opf:itemref", namespaces=NS)
    )
    cover = opf.find(".//opf:item[@properties='cover-image']", NS)
    assert cover.get("id") == "cover-image"
    assert opf.find(".//opf:meta[@name='cover']", NS).get("content") == "cover-image"


def test_nav_and_ncx_list_chapters_then_articles_with_their_titles(rich):
    _, _, _, files = rich
    nav = etree.fromstring(files["EPUB/nav.xhtml"])
    toc = nav.find(".//x:nav[@epub:type='toc']/x:ol", NS)

    def tree(ol):
        return [
            (
                li.find("x:a", NS).text,
                tree(li.find("x:ol", NS)) if li.find("x:ol", NS) is not None else [],
            )
            for li in ol.iterfind("x:li", NS)
        ]

    expected = [
        ("2025年10月", [("第一篇：工具 & <标签>", []), ("第二篇：结果", [])]),
        ("2025年11月", [("第三篇", [])]),
    ]
    assert tree(toc) == expected
    ncx = etree.fromstring(files["EPUB/toc.ncx"])

    def ncx_tree(el):
        return [
            (p.find("ncx:navLabel/ncx:text", NS).text, ncx_tree(p))
            for p in el.iterfind("ncx:navPoint", NS)
        ]

    assert ncx_tree(ncx.find("ncx:navMap", NS)) == expected
    landmarks = nav.find(".//x:nav[@epub:type='landmarks']", NS)
    types = [a.get(f"{{{NS['epub']}}}type") for a in landmarks.iterfind(".//x:a", NS)]
    assert types == ["cover", "titlepage", "toc", "bodymatter"]
    texts = [a.text for a in landmarks.iterfind(".//x:a", NS)]
    assert texts == ["封面", "书名页", "目录", "正文"]
    assert not [
        n
        for n in files
        if "page-list" in files[n].decode("utf-8", "ignore") and n.endswith("nav.xhtml")
    ]


def test_language_is_the_configured_one_everywhere(rich):
    _, _, _, files = rich
    opf = opf_of(files)
    assert opf.find(".//dc:language", NS).text == "zh-CN"
    assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-CN"
    for name, root in xhtml_docs(files).items():
        assert root.get("lang") == "zh-CN", name
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-CN", name


def test_metadata_identifier_dates_creator_and_accessibility(rich):
    _, _, book, files = rich
    opf = opf_of(files)
    ident = opf.find(".//dc:identifier", NS)
    assert ident.text == book.meta.identifier
    assert opf.get("unique-identifier") == ident.get("id")
    assert opf.find(".//opf:meta[@property='dcterms:modified']", NS).text == "2025-10-24T01:02:03Z"
    titles = {t.get("id"): t.text for t in opf.iterfind(".//dc:title", NS)}
    assert titles == {"title": "山中笔记：一个程序员的十年", "subtitle": "博客文选"}
    assert opf.find(".//opf:meta[@refines='#subtitle']", NS).text == "subtitle"
    assert opf.find(".//opf:meta[@property='file-as']", NS).text == "林, 小山"
    assert [s.text for s in opf.iterfind(".//dc:subject", NS)] == ["编程", "生活"]
    features = [
        m.text for m in opf.iterfind(".//opf:meta[@property='schema:accessibilityFeature']", NS)
    ]
    assert {"tableOfContents", "readingOrder", "alternativeText", "structuralNavigation"} <= set(
        features
    )
    assert opf.find(".//opf:meta[@property='schema:accessibilityHazard']", NS).text == "none"
    modes = [m.text for m in opf.iterfind(".//opf:meta[@property='schema:accessMode']", NS)]
    assert modes == ["textual", "visual"]
    math_item = opf.find(".//opf:item[@href='text/first-post.xhtml']", NS)
    assert math_item.get("properties") == "mathml"


def test_the_english_accessibility_summary_says_it_is_english_in_a_chinese_book(rich):
    _, _, _, files = rich
    opf = opf_of(files)
    assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-CN"
    summary = opf.find(".//opf:meta[@property='schema:accessibilitySummary']", NS)
    assert summary.text.startswith("Reflowable text")
    assert summary.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    mode = opf.find(".//opf:meta[@property='schema:accessMode']", NS)
    assert mode.get("{http://www.w3.org/XML/1998/namespace}lang") is None


def test_no_hazard_is_claimed_for_a_book_with_an_animated_picture(tmp_path):
    """A screen-reader user's store listing said "no hazards" above a GIF that may flash."""
    images = make_images(tmp_path / "img")
    moving = tmp_path / "img" / "anim000000000.gif"
    frames = [PILImage.new("RGB", (40, 40), c) for c in ((255, 255, 255), (0, 0, 0))]
    frames[0].save(moving, save_all=True, append_images=frames[1:], duration=100, loop=0)
    images += (Image(f"images/{moving.name}", moving, "image/gif", 40, 40),)

    def hazards(body: str, folder: str) -> list[str]:
        book = make_book([(article("a", "甲", 1), body)], images=images)
        path, _ = build(book, tmp_path / folder)
        opf = opf_of(read_zip(path))
        found = opf.iterfind(".//opf:meta[@property='schema:accessibilityHazard']", NS)
        return [m.text for m in found]

    still = hazards('<p><img src="images/gif0000000000.gif" alt="静止"/></p>', "still")
    assert still == ["none"]
    animated = hazards('<p><img src="images/anim000000000.gif" alt="动图"/></p>', "moving")
    assert animated == ["unknownFlashingHazard", "noMotionSimulationHazard", "noSoundHazard"]


def test_alternative_text_is_claimed_only_when_every_image_has_one(tmp_path):
    images = make_images(tmp_path / "img")
    body = '<p><img src="images/png0000000000.png"/></p>'
    path, _written = build(make_book([(article("a", "甲", 1), body)], images=images), tmp_path)
    opf = opf_of(read_zip(path))
    features = [
        m.text for m in opf.iterfind(".//opf:meta[@property='schema:accessibilityFeature']", NS)
    ]
    assert "alternativeText" not in features
    sufficient = opf.find(".//opf:meta[@property='schema:accessModeSufficient']", NS).text
    assert sufficient == "textual,visual"


def test_only_the_cover_page_is_marked_to_fill_the_screen(rich):
    """epub.css gives `html.cover` the screen's height, so the cover is seen whole."""
    _, _, _, files = rich
    classes = {n: r.get("class") for n, r in xhtml_docs(files).items()}
    assert classes.pop("EPUB/cover.xhtml") == "cover"
    assert set(classes.values()) == {None}


def test_every_structure_a_reading_system_knows_is_named_for_screen_readers_too(rich):
    """epub:type tells the reading system; screen readers read the ARIA role: each chapter,
    part, table of contents and colophon is announced as such (what DAISY Ace checks)."""
    _, _, _, files = rich
    roles = {"chapter": "doc-chapter", "part": "doc-part", "toc": "doc-toc"}
    roles["colophon"] = "doc-colophon"
    seen = set()
    for name, root in xhtml_docs(files).items():
        for el in root.iterfind(".//*[@epub:type]", NS):
            kind = el.get(f"{{{NS['epub']}}}type")
            if kind in roles and etree.QName(el).localname != "a":  # a landmark's link
                assert el.get("role") == roles[kind], (name, kind)
                seen.add((name, kind))
    assert {k for _, k in seen} == set(roles)
    assert ("EPUB/nav.xhtml", "toc") in seen and ("EPUB/contents.xhtml", "toc") in seen
    features = opf_of(files).iterfind(".//opf:meta[@property='schema:accessibilityFeature']", NS)
    assert "ARIA" in [m.text for m in features]  # and the store listing says so


def test_two_builds_are_byte_identical(rich, tmp_path):
    first, _, book, _ = rich
    second, _ = build(book, tmp_path, "again.epub")
    assert first.read_bytes() == second.read_bytes()


def test_zip_has_mimetype_first_stored_and_images_not_deflated(rich):
    path, _, _, _ = rich
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
    assert infos[0].filename == "mimetype"
    assert infos[0].compress_type == zipfile.ZIP_STORED
    assert infos[0].extra == b""
    names = [i.filename for i in infos[1:]]
    assert names == sorted(names)
    by_name = {i.filename: i for i in infos}
    assert by_name["EPUB/images/jpg0000000000.jpg"].compress_type == zipfile.ZIP_STORED
    assert by_name["EPUB/images/cover.png"].compress_type == zipfile.ZIP_STORED
    assert by_name["EPUB/text/first-post.xhtml"].compress_type == zipfile.ZIP_DEFLATED
    assert {i.date_time for i in infos} == {(2025, 10, 24, 1, 2, 2)}


def test_links_between_articles_point_to_the_files_that_hold_them(rich):
    _, _, _, files = rich
    first = etree.fromstring(files["EPUB/text/first-post.xhtml"])
    hrefs = [a.get("href") for a in first.iterfind(".//x:a", NS)]
    assert "second-post.xhtml#second-post" in hrefs
    assert "second-post.xhtml#second-post-results" in hrefs
    assert "#first-post-fn-1" in hrefs  # same file: the fragment alone
    second = etree.fromstring(files["EPUB/text/second-post.xhtml"])
    assert "first-post.xhtml#first-post" in [a.get("href") for a in second.iterfind(".//x:a", NS)]
    imgs = [i.get("src") for i in first.iterfind(".//x:img", NS)]
    assert imgs[0] == "../images/jpg0000000000.jpg"


def test_article_is_headed_by_title_date_and_tags(rich):
    _, _, _, files = rich
    doc = etree.fromstring(files["EPUB/text/first-post.xhtml"])
    assert doc.find(".//x:h1", NS).text == "第一篇：工具 & <标签>"
    assert doc.find(".//x:time", NS).text == "2025年10月3日"
    assert doc.find(".//x:time", NS).get("datetime") == "2025-10-03"
    assert [t.text for t in doc.iterfind(".//x:span[@class='tag']", NS)] == ["编程", "Python"]
    opener = etree.fromstring(files["EPUB/chapters/2025-10.xhtml"])
    listed = [a.text for a in opener.iterfind(".//x:ol/x:li/x:a", NS)]
    assert listed == ["第一篇：工具 & <标签>", "第二篇：结果"]


def test_english_book_dates_read_in_english(tmp_path):
    book = make_book([(article("a", "Hello", 23), "<p>Hi.</p>")], language="en")
    path, _ = build(book, tmp_path)
    doc = etree.fromstring(read_zip(path)["EPUB/text/a.xhtml"])
    assert doc.find(".//x:time", NS).text == "October 23, 2025"


def used_characters(files: dict[str, bytes]) -> set[str]:
    chars: set[str] = set()
    for name, data in files.items():
        if name.endswith((".xhtml", ".ncx")):
            root = etree.fromstring(data)
            chars.update("".join(root.itertext()))
    return {c for c in chars if not c.isspace()}


def test_fonts_are_subset_and_cover_every_character_used(rich):
    from fontTools.ttLib import TTFont

    from bookmaker.fonts import find_face

    _, _, _, files = rich
    fonts = {n: d for n, d in files.items() if n.startswith("EPUB/fonts/")}
    kai_installed = find_face("LXGW WenKai", 400) is not None  # optional in system-deps.sh
    assert sorted(fonts) == [
        *(["EPUB/fonts/lxgw-wenkai-regular.ttf"] if kai_installed else []),  # quotes only
        "EPUB/fonts/noto-sans-cjk-sc-bold.otf",  # headings (Hei in base.css): their text only
        "EPUB/fonts/noto-serif-cjk-sc-bold.otf",
        "EPUB/fonts/noto-serif-cjk-sc-regular.otf",
        "EPUB/fonts/symbols.ttf",  # ↩ and the like, which Noto CJK lacks
    ]
    symbols = TTFont(io.BytesIO(fonts.pop("EPUB/fonts/symbols.ttf"))).getBestCmap()
    assert ord("↩") in symbols
    if kai_installed:
        kai = TTFont(io.BytesIO(fonts.pop("EPUB/fonts/lxgw-wenkai-regular.ttf"))).getBestCmap()
        assert {ord(c) for c in "引用的话"} <= set(kai) and ord("脚") not in kai
    sans = TTFont(io.BytesIO(fonts.pop("EPUB/fonts/noto-sans-cjk-sc-bold.otf"))).getBestCmap()
    headings = set()
    for doc in xhtml_docs(files).values():
        for level in range(1, 7):
            for h in doc.iterfind(f".//x:h{level}", NS):
                headings.update(c for c in "".join(h.itertext()) if not c.isspace())
    assert "结" in headings and {ord(c) for c in headings} <= set(sans)
    assert ord("脚") not in sans  # body text only: not in any heading
    source = find_face("Noto Serif CJK SC", 400).path.stat().st_size
    needed = used_characters(files)
    assert "脚" in needed and "第" in needed
    for name, data in fonts.items():
        assert len(data) < source / 50, name  # far smaller than the 20+ MB collection
        cmap = TTFont(io.BytesIO(data)).getBestCmap()
        missing = {c for c in needed if ord(c) not in cmap}
        assert missing <= {"↩"}, (name, missing)  # ↩ is not in Noto CJK at all
        assert len(cmap) < 600
    css = files["EPUB/styles/fonts.css"].decode()
    assert 'font-family: "Noto Serif CJK SC"' in css and "font-weight: bold" in css
    for doc in xhtml_docs(files).values():
        links = [link.get("href") for link in doc.iterfind(".//x:link", NS)]
        assert links[0].endswith("styles/fonts.css")


def test_no_embed_fonts_leaves_fonts_out(tmp_path):
    book = make_book([(article("a", "甲", 1), "<p>文字</p>")])
    path, _ = build(book, tmp_path, embed_fonts=False)
    files = read_zip(path)
    assert not [n for n in files if n.startswith("EPUB/fonts/") or n.endswith("fonts.css")]


def test_apple_books_is_told_the_embedded_fonts_are_meant(rich, tmp_path):
    """Without `ibooks:specified-fonts` Apple Books sets the book in its own face: the Hei
    headings and Kai quotations it carries were never seen there."""
    opf = opf_of(rich[3])
    assert opf.get("prefix", "").startswith("ibooks: http://vocabulary.itunes.apple.com/")
    flag = opf.find(".//opf:meta[@property='ibooks:specified-fonts']", NS)
    assert flag is not None and flag.text == "true"
    options = rich[3]["META-INF/com.apple.ibooks.display-options.xml"]  # older Apple Books
    assert b'<option name="specified-fonts">true</option>' in options
    book = make_book([(article("a", "甲", 1), "<p>文字</p>")])
    files = read_zip(build(book, tmp_path, embed_fonts=False)[0])
    plain = opf_of(files)
    assert plain.get("prefix") is None  # no fonts: the reader's own face is right
    assert plain.find(".//opf:meta[@property='ibooks:specified-fonts']", NS) is None
    assert "META-INF/com.apple.ibooks.display-options.xml" not in files


def test_css_is_conservative(rich):
    _, _, _, files = rich
    for name, data in files.items():
        if name.endswith(".css"):
            text = re.sub(r"/\*.*?\*/", "", data.decode(), flags=re.DOTALL)
            for banned in ("var(", "calc(", "min(", "max(", "clamp(", "@namespace"):
                assert banned not in text, (name, banned)
    epub_css = files["EPUB/styles/epub.css"].decode()
    assert "white-space: pre-wrap" in epub_css and "max-width: 100%" in epub_css


def long_article_body(slug: str, sections: int = 4) -> str:
    filler = "<p>" + "长段落的文字。" * 120 + "</p>"
    parts = [f'<p>开头，跳到<a href="#{slug}-s{sections}">最后一节</a>。</p>']
    for n in range(1, sections + 1):
        parts.append(f'<h2 id="{slug}-s{n}">第{n}节</h2>{filler}')
    return "\n".join(parts)


def test_large_article_is_split_at_headings_and_links_follow(tmp_path):
    book = make_book(
        [
            (article("long", "长文", 1), long_article_body("long")),
            (article("short", "短文", 2), '<p>见<a href="#long-s4">长文最后一节</a>。</p>'),
        ]
    )
    path, _ = build(book, tmp_path, split_kb=3)
    files = read_zip(path)
    parts = [h for h in spine_hrefs(files) if h.startswith("text/long")]
    assert parts[0] == "text/long.xhtml" and len(parts) >= 3
    holder = next(p for p in parts if b'id="long-s4"' in files["EPUB/" + p])
    assert holder != "text/long.xhtml"
    first = etree.fromstring(files["EPUB/text/long.xhtml"])
    assert posix_name(holder) + "#long-s4" in [a.get("href") for a in first.iterfind(".//x:a", NS)]
    short = etree.fromstring(files["EPUB/text/short.xhtml"])
    assert [a.get("href") for a in short.iterfind(".//x:a", NS)] == [
        posix_name(holder) + "#long-s4"
    ]
    for p in parts:  # each part starts at a heading, none is over the limit by much
        body = etree.fromstring(files["EPUB/" + p]).find(".//x:div[@class='article-body']", NS)
        if p != parts[0]:
            assert body[0].tag == f"{{{NS['x']}}}h2"
    nav = etree.fromstring(files["EPUB/nav.xhtml"])
    assert "text/long.xhtml" in [a.get("href") for a in nav.iterfind(".//x:a", NS)]
    assert not [a for a in nav.iterfind(".//x:a", NS) if "long_" in a.get("href")]


def posix_name(href: str) -> str:
    return href.rsplit("/", 1)[-1]


def year_month_book() -> Book:
    a1, a2, a3 = (
        article("a1", "一月一", 5, month=1),
        article("a2", "一月二", 9, month=1),
        article("a3", "三月", 3, month=3),
    )
    chapters = (
        Chapter(
            "2025年",
            "2025",
            (),
            (Chapter("1月", "2025-01", (a1, a2)), Chapter("3月", "2025-03", (a3,))),
        ),
    )
    return make_book([(a1, "<p>一</p>"), (a2, "<p>二</p>"), (a3, "<p>三</p>")], chapters=chapters)


def test_year_month_grouping_gives_three_levels(tmp_path):
    path, _ = build(year_month_book(), tmp_path)
    files = read_zip(path)
    nav = etree.fromstring(files["EPUB/nav.xhtml"])
    top = nav.findall(".//x:nav[@epub:type='toc']/x:ol/x:li", NS)
    assert [li.find("x:a", NS).text for li in top] == ["2025年"]
    months = top[0].findall("x:ol/x:li", NS)
    assert [m.find("x:a", NS).text for m in months] == ["1月", "3月"]
    assert [a.text for a in months[0].iterfind("x:ol/x:li/x:a", NS)] == ["一月一", "一月二"]
    ncx = etree.fromstring(files["EPUB/toc.ncx"])
    assert ncx.find(".//ncx:meta[@name='dtb:depth']", NS).get("content") == "3"
    spine = spine_hrefs(files)[3:]
    assert spine == [
        "chapters/2025.xhtml",
        "chapters/2025-01.xhtml",
        "text/a1.xhtml",
        "text/a2.xhtml",
        "chapters/2025-03.xhtml",
        "text/a3.xhtml",
    ]


def test_ungrouped_articles_stand_at_the_top_of_the_nav(tmp_path):
    a, b = article("a", "甲", 1), article("b", "乙", 2)
    book = make_book([(a, "<p>甲</p>"), (b, "<p>乙</p>")], chapters=(Chapter("", "all", (a, b)),))
    path, _ = build(book, tmp_path)
    files = read_zip(path)
    nav = etree.fromstring(files["EPUB/nav.xhtml"])
    top = nav.findall(".//x:nav[@epub:type='toc']/x:ol/x:li/x:a", NS)
    assert [(x.text, x.get("href")) for x in top] == [
        ("甲", "text/a.xhtml"),
        ("乙", "text/b.xhtml"),
    ]
    assert not [n for n in files if n.startswith("EPUB/chapters/")]


@pytest.fixture(scope="module")
def odd(tmp_path_factory):
    """Empty chapter, empty article, and an article with everything a reader would reject."""
    tmp = tmp_path_factory.mktemp("odd")
    hostile = (
        '<p>坏链接<a href="../other.md">相对</a>、<a href="javascript:alert(1)">脚本</a>、'
        '<a href="#nowhere">不存在</a>。<script>alert(1)</script>尾巴</p>'
        '<p><img src="images/missing000.png" alt="丢失的图"/><img src="http://x.test/a.png"/></p>'
        "<iframe src='https://example.com/'></iframe>"
        "<p>未闭合 <b>粗体</p>"
    )
    empty = article("empty", "", 2)
    bad = article("hostile", "恶意 <script>alert(1)</script> 标题", 3)
    chapters = (Chapter("空章", "empty-chapter"), Chapter("十月", "2025-10", (empty, bad)))
    book = make_book([(empty, ""), (bad, hostile)], chapters=chapters)
    path, written = build(book, tmp)
    return path, written, read_zip(path)


def test_empty_chapter_and_article_and_hostile_markup_do_not_crash(odd):
    _path, written, files = odd
    assert "EPUB/chapters/empty-chapter.xhtml" in files
    assert "EPUB/text/empty.xhtml" in files
    messages = [str(p) for p in written.problems]
    assert any("content/hostile.md" in m and "not well-formed" in m for m in messages)
    assert any("missing000.png" in m for m in messages)
    assert any("#nowhere" in m for m in messages)
    doc = files["EPUB/text/hostile.xhtml"].decode()
    assert "<script" not in doc and "javascript:" not in doc and "<iframe" not in doc
    assert "&lt;script&gt;" in doc  # the title is text, escaped
    assert "尾巴" in doc and "丢失的图" in doc


@pytest.mark.slow
@needs_epubcheck
def test_odd_book_passes_epubcheck(odd):
    path, _, _ = odd
    assert problems(path) == []


def test_vertical_writing_turns_pages_right_to_left(tmp_path):
    book = make_book([(article("a", "竖排", 1), "<p>竖排文字。</p>")])
    path, _ = build(book, tmp_path, writing_mode="vertical")
    spine = opf_of(read_zip(path)).find(".//opf:spine", NS)
    assert spine.get("page-progression-direction") == "rtl"


def test_vertical_titles_have_corner_brackets_as_the_text_does(tmp_path):
    """The body's “” became 「」 in a vertical book, but the titles kept them: the h1,
    contents, nav, NCX, chapter opener and title page showed “Clean Code” beside 「重构」."""
    a = article("a", "我读“Clean Code”与“重构”的笔记", 1)
    chapter = Chapter("“读书”专栏", "tag-1", (a,))
    book = make_book(
        [(a, "<p>这一篇讲“Clean Code”这本书。</p>")],
        chapters=(chapter,),
        title="“城南”札记",
        subtitle="一个“程序员”的博客",
    )
    files = read_zip(build(book, tmp_path, writing_mode="vertical")[0])
    shown = {n: files[n].decode() for n in files if n.endswith((".xhtml", ".ncx", ".opf"))}
    assert "我读「Clean Code」与「重构」的笔记" in shown["EPUB/text/a.xhtml"]
    assert "<p>这一篇讲「Clean Code」这本书。</p>" in shown["EPUB/text/a.xhtml"]
    for name in ("EPUB/nav.xhtml", "EPUB/contents.xhtml", "EPUB/toc.ncx"):
        assert "我读「Clean Code」与「重构」的笔记" in shown[name], name
        assert "「读书」专栏" in shown[name], name
    assert "「城南」札记" in shown["EPUB/content.opf"]
    assert "一个「程序员」的博客" in shown["EPUB/title.xhtml"]
    assert not [n for n, text in shown.items() if "“" in text or "”" in text]
    horizontal = read_zip(build(book, tmp_path, "h.epub")[0])
    assert "我读“Clean Code”与“重构”的笔记" in horizontal["EPUB/nav.xhtml"].decode()


def test_vertical_titles_and_dates_set_two_digit_numbers_upright(tmp_path):
    """The body's 10 stood upright (縦中横) but the titles' and dates' lay on their side:
    `第10篇` in the heading, `10月22日` under it, in the chapter opener and the contents."""
    a = article("a", "山城笔记第10篇", 22)  # 22 October
    book = make_book([(a, "<p>第10篇的正文。</p>")], title="十年记：2015—2025")
    files = xhtml_docs(read_zip(build(book, tmp_path, writing_mode="vertical")[0]))

    def upright(name: str, path: str) -> list[str]:
        return [s.text for s in files[name].iterfind(f"{path}//x:span[@class='tcy']", NS)]

    assert upright("EPUB/text/a.xhtml", ".//x:h1") == ["10"]
    assert upright("EPUB/text/a.xhtml", ".//x:time") == ["10", "22"]
    assert upright("EPUB/chapters/2025-10.xhtml", ".//x:h1") == ["10"]  # 2025年10月
    assert upright("EPUB/chapters/2025-10.xhtml", ".//x:ol") == ["10", "10", "22"]
    assert upright("EPUB/contents.xhtml", ".//x:ol[@class='toc']") == ["10", "10"]
    assert upright("EPUB/title.xhtml", ".") == []  # four digits lie on their side
    title = files["EPUB/text/a.xhtml"].find(".//x:title", NS)
    assert title.text == "山城笔记第10篇"  # the reading system's title bar: plain text
    horizontal = xhtml_docs(read_zip(build(book, tmp_path, "h.epub")[0]))
    assert not horizontal["EPUB/text/a.xhtml"].findall(".//x:span[@class='tcy']", NS)
    assert "".join(horizontal["EPUB/text/a.xhtml"].find(".//x:h1", NS).itertext()) == (
        "山城笔记第10篇"
    )


def test_kepub_is_written_beside_with_kobo_spans(tmp_path):
    book = make_book([(article("a", "甲", 1), "<p>第一句。第二句！Third one. 第四句</p>")])
    path, written = build(book, tmp_path, kepub=True)
    kobo = path.with_name("book.kepub.epub")
    assert written.paths == (path, kobo)
    doc = etree.fromstring(read_zip(kobo)["EPUB/text/a.xhtml"])
    spans = doc.findall(".//x:p/x:span[@class='koboSpan']", NS)
    assert [s.text for s in spans] == ["第一句。", "第二句！", "Third one. ", "第四句"]
    ids = [s.get("id") for s in doc.iterfind(".//x:span[@class='koboSpan']", NS)]
    assert len(ids) == len(set(ids))
    plain = etree.fromstring(read_zip(path)["EPUB/text/a.xhtml"])
    assert plain.find(".//x:span[@class='koboSpan']", NS) is None


def test_interrupted_build_leaves_the_previous_book(tmp_path, monkeypatch):
    book = make_book([(article("a", "甲", 1), "<p>文字</p>")])
    path, _ = build(book, tmp_path)
    before = path.read_bytes()

    def broken(target, entries, when=None):
        Path(target).write_bytes(b"half a zip")
        raise KeyboardInterrupt

    monkeypatch.setattr(epub, "write_epub_zip", broken)
    with pytest.raises(KeyboardInterrupt):
        build(book, tmp_path)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["book.epub"]


def test_configured_cover_is_used_and_one_outside_the_project_is_refused(tmp_path):
    project = tmp_path / "p"
    project.mkdir()
    PILImage.new("RGB", (600, 900), (10, 20, 30)).save(project / "cover.jpg", format="JPEG")
    good = make_book([(article("a", "甲", 1), "<p>文</p>")], cover=project / "cover.jpg")
    target = tmp_path / "good.epub"
    epub.write(good, config_for(project), load_layout(project), target)
    files = read_zip(target)
    assert files["EPUB/images/cover.jpg"] == (project / "cover.jpg").read_bytes()
    assert "EPUB/images/cover.png" not in files
    outside = tmp_path / "outside.jpg"
    outside.write_bytes((project / "cover.jpg").read_bytes())
    bad = make_book([(article("a", "甲", 1), "<p>文</p>")], cover=outside)
    written = epub.write(bad, config_for(project), load_layout(project), tmp_path / "bad.epub")
    assert "EPUB/images/cover.png" in read_zip(tmp_path / "bad.epub")
    assert any("outside" in p.message for p in written.problems)


def test_a_grayscale_book_has_a_grey_cover_generated_or_configured(tmp_path):
    """`--grayscale` greyed every picture in the book but its cover, generated or not."""
    project = tmp_path / "p"
    project.mkdir()
    PILImage.new("RGB", (600, 900), (200, 30, 30)).save(project / "cover.png")
    config = Config(base=project, images=ImagesConfig(grayscale=True))
    for cover in (None, project / "cover.png"):
        book = make_book([(article("a", "甲", 1), "<p>文</p>")], cover=cover)
        target = tmp_path / "book.epub"
        assert not epub.write(book, config, load_layout(project), target).problems
        files = read_zip(target)
        (name,) = [n for n in files if n.startswith("EPUB/images/cover.")]
        with PILImage.open(io.BytesIO(files[name])) as im:
            assert im.mode == "L", name
            assert im.size == ((1600, 2560) if cover is None else (600, 900))


def test_a_book_over_the_kindle_limit_gets_a_warning(tmp_path, monkeypatch):
    monkeypatch.setattr(epub, "KINDLE_LIMIT", 1000)
    _, written = build(make_book([(article("a", "甲", 1), "<p>文</p>")]), tmp_path)
    (warning,) = written.problems
    assert warning.level == "warning" and "--grayscale" in warning.message


def test_the_size_report_counts_what_images_and_fonts_take_in_the_file(tmp_path, caplog):
    """Fonts are deflated in the zip: reported as they were before, they outgrew the book."""
    book = make_book([(article("a", "甲", 1), "<p>城南的雨，一夜未停。</p>")])
    with caplog.at_level(logging.INFO, logger="bookmaker.epub"):
        path, _ = build(book, tmp_path)
    (record,) = [r for r in caplog.records if r.getMessage().startswith("book.epub:")]
    _, total_mb, images_mb, fonts_mb = record.args
    stored = {i.filename: i.compress_size for i in zipfile.ZipFile(path).infolist()}
    fonts = sum(size for name, size in stored.items() if name.startswith("EPUB/fonts/"))
    assert fonts > 0 and fonts_mb == fonts / 2**20
    assert images_mb == stored["EPUB/images/cover.png"] / 2**20
    assert images_mb + fonts_mb < total_mb


def test_book_without_articles_is_still_a_valid_shape(tmp_path):
    path, _written = build(make_book([], chapters=()), tmp_path)
    files = read_zip(path)
    nav = etree.fromstring(files["EPUB/nav.xhtml"])
    assert nav.find(".//x:nav[@epub:type='toc']/x:ol/x:li/x:a", NS).get("href") == "title.xhtml"


# ---------------------------------------------------------------- whole projects, end to end

REPO = Path(__file__).resolve().parent.parent
PROJECTS = ["content", "tests/data/jekyll-site", "tests/data/hugo-site"]


@pytest.fixture(scope="module", params=PROJECTS)
def built_project(request, tmp_path_factory):
    from bookmaker import build as pipeline
    from bookmaker import collect
    from bookmaker import config as config_module

    base = REPO / request.param
    config = config_module.load(None, base).override("output", cache=False)
    target = tmp_path_factory.mktemp("e2e") / "book.epub"
    result = pipeline.build(config, ("epub",), output=target)
    return target, result, collect.collect(config)


@pytest.mark.slow
@needs_epubcheck
def test_projects_build_to_books_epubcheck_accepts(built_project):
    target, result, _ = built_project
    assert result.outputs == (target,)
    assert problems(target) == []


@pytest.mark.slow
def test_projects_nav_lists_front_matter_titles_in_book_order(built_project):
    target, _, collection = built_project
    files = read_zip(target)
    articles = collection.articles()
    assert articles
    spine = [h for h in spine_hrefs(files) if h.startswith("text/") and "_" not in h]
    assert spine == [f"text/{a.slug}.xhtml" for a in articles]
    nav = etree.fromstring(files["EPUB/nav.xhtml"])
    by_href = {a.get("href"): a.text for a in nav.iterfind(".//x:nav[@epub:type='toc']//x:a", NS)}
    assert [by_href[f"text/{a.slug}.xhtml"] for a in articles] == [a.title for a in articles]
    for chapter in collection.chapters:
        if chapter.title:
            assert chapter.title in by_href.values()
    lang = opf_of(files).find(".//dc:language", NS).text
    for name, root in xhtml_docs(files).items():
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang"), name
    assert lang


# ---------------------------------------------------------------- notes, details, alt text

NOTES = """\
<p>正文<sup id="a-fnref-1"><a class="footnote-ref" href="#a-fn-1">1</a></sup>，\
再一个<sup id="a-fnref-2"><a class="footnote-ref" href="#a-fn-2">2</a></sup>。</p>
<details><summary>展开</summary><p>折叠的内容</p></details>
<div class="footnote">
<hr/>
<ol>
<li id="a-fn-1">
<p>第一条注释。<a class="footnote-backref" href="#a-fnref-1">↩︎</a></p>
</li>
<li id="a-fn-2">
<ul><li>列表开头的注释</li></ul>
<p><a class="footnote-backref" href="#a-fnref-2">↩︎</a></p>
</li>
</ol>
</div>
"""


@pytest.fixture(scope="module")
def notes(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("notes")
    path, written = build(make_book([(article("a", "甲", 1), NOTES)]), tmp, kepub=True)
    return path, written, xhtml_docs(read_zip(path))["EPUB/text/a.xhtml"]


def test_footnotes_become_numbered_epub3_asides_that_readers_pop_up(notes):
    _, _, doc = notes
    refs = doc.findall(".//x:a[@class='footnote-ref']", NS)
    assert [r.get(f"{{{NS['epub']}}}type") for r in refs] == ["noteref", "noteref"]
    asides = doc.findall(".//x:div[@class='footnote']/x:aside", NS)
    assert [a.get("id") for a in asides] == ["a-fn-1", "a-fn-2"]
    assert {a.get(f"{{{NS['epub']}}}type") for a in asides} == {"footnote"}
    assert doc.find(".//x:div[@class='footnote']/x:ol", NS) is None
    first = "".join(asides[0].itertext())
    assert first.startswith("1. 第一条注释。") and "↩" in first
    assert "".join(asides[1].itertext()).strip().startswith("2.")
    assert "列表开头的注释" in "".join(asides[1].itertext())
    back = asides[0].find(".//x:a[@class='footnote-backref']", NS)
    assert back.get("href") == "#a-fnref-1"


def test_a_footnote_back_link_is_named_for_screen_readers_in_the_article_language(tmp_path):
    """Its only text, "↩︎", was read as "leftwards arrow with hook", or not at all."""
    zh, ja = article("a", "甲", 1), article("b", "乙", 2)
    book = make_book([(zh, NOTES), (ja, NOTES.replace("a-fn", "b-fn"))])
    book = replace(book, rendered=(book.rendered[0], replace(book.rendered[1], lang="ja")))
    path, _ = build(book, tmp_path)
    docs = xhtml_docs(read_zip(path))
    for name, expected in (("EPUB/text/a.xhtml", "返回正文"), ("EPUB/text/b.xhtml", "本文へ戻る")):
        backs = docs[name].findall(".//x:a[@class='footnote-backref']", NS)
        assert [b.get("aria-label") for b in backs] == [expected, expected], name


def test_a_caption_that_repeats_the_alt_text_is_read_once_by_screen_readers(tmp_path):
    """`![湖](a.jpg)` alone in a paragraph is a figure captioned with its alt text: a screen
    reader read it twice, once for the picture and once for the caption."""
    images = make_images(tmp_path / "cache")
    body = (
        '<figure><img src="images/jpg0000000000.jpg" alt="清晨的 Lake 湖"/>'
        # as typography sets it: a quarter-em space beside Latin, a joiner before the last Han
        "<figcaption>清晨的\u2005Lake\u2005\u2060湖</figcaption></figure>"
        '<figure><img src="images/png0000000000.png" alt="一张橙色的照片"/>'
        "<figcaption>图一：照片</figcaption></figure>"
    )
    book = make_book([(article("a", "甲", 1), body)], images=images)
    path, _ = build(book, tmp_path)
    doc = xhtml_docs(read_zip(path))["EPUB/text/a.xhtml"]
    echo, own = doc.findall(".//x:figcaption", NS)
    assert echo.get("aria-hidden") == "true"
    assert own.get("aria-hidden") is None  # a caption of its own is read after the alt text
    alts = [i.get("alt") for i in doc.iterfind(".//x:img", NS)]
    assert alts == ["清晨的 Lake 湖", "一张橙色的照片"]  # the alt text itself is kept


def test_details_are_open_since_nothing_can_be_clicked_on_e_ink(notes):
    _, _, doc = notes
    assert doc.find(".//x:details", NS).get("open") == "open"


@pytest.mark.slow
@needs_epubcheck
def test_footnote_asides_pass_epubcheck_also_as_kepub(notes):
    _, written, _ = notes
    for book in written.paths:
        assert problems(book) == []


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 90, 40)).save(out, format="PNG")
    return out.getvalue()


def test_an_image_without_alt_text_is_named_as_written_with_its_line(make_project, run_cli, caplog):
    """Even when the EPUB holds it under a hash (shrunk), and again from the cache."""
    project = make_project({
        "content/2025-10-01-a.md": """
            ---
            title: 甲
            ---
            开头

            ![海港](../assets/harbour.png)

            ![](../assets/harbour.png)

            <p><img src="../assets/small.png"></p>
            """,
        "assets/harbour.png": _png(2400, 1200),  # over the EPUB's 1,600 px: converted
        "assets/small.png": _png(40, 30),
    })  # fmt: skip
    for _ in ("cold", "warm"):
        status, _, err = run_cli(project, "epub", "-o", "build/")
        assert status == 0
        lines = [line for line in err.splitlines() if "text alternative" in line]
        assert [line.split(": image ")[0] for line in lines] == [
            "content/2025-10-01-a.md:8: warning",
            "content/2025-10-01-a.md:10: warning",
        ]
        assert "image harbour.png has" in lines[0] and "image small.png has" in lines[1]
    assert "html: 1 article cached, 0 to render" in caplog.text  # the warm one was warm


# ---------------------------------------------------------------- the user's own fonts

WENKAI = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")


def small_font(target: Path, text: str) -> Path:
    """A real font holding only `text`: the user's own face, renamed so no system has it."""
    from fontTools.ttLib import TTFont

    from bookmaker.fontsubset import subset

    target.parent.mkdir(parents=True, exist_ok=True)
    font = TTFont(io.BytesIO(subset(WENKAI, 0, text)))
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = "My Kai"
    font.save(target)
    return target


def own_font_project(tmp_path: Path, css: str) -> Path:
    project = tmp_path / "project"
    small_font(project / "fonts" / "MyKai.ttf", "引用的话，甲乙丙丁ABCabc")
    sheet = project / "layouts" / "default" / "base.css"
    sheet.parent.mkdir(parents=True, exist_ok=True)
    sheet.write_text(css, encoding="utf-8")
    return project


OWN_CSS = """\
body { font-family: "Noto Serif CJK SC", serif; }
@font-face {
  font-family: "My Kai";
  src: local("My Kai"), url("../../fonts/MyKai.ttf") format("truetype");
}
blockquote { font-family: "My Kai", serif; }
"""


@pytest.fixture(scope="module")
def own_font_book(tmp_path_factory):
    if not WENKAI.is_file():
        pytest.skip("needs LXGW WenKai to make a test font")
    tmp = tmp_path_factory.mktemp("own-font")
    project = own_font_project(tmp, OWN_CSS)
    book = make_book([(article("a", "甲", 1), "<blockquote><p>引用的话</p></blockquote>")])
    target = tmp / "out" / "book.epub"
    written = epub.write(book, config_for(project), load_layout(project), target)
    return target, written


def test_a_font_the_users_css_names_is_packaged_subset_and_its_url_rewritten(own_font_book):
    from fontTools.ttLib import TTFont

    target, written = own_font_book
    assert written.problems == ()
    files = read_zip(target)
    css = files["EPUB/styles/base.css"].decode()
    url = re.search(r"url\(([^)]*)\)", css).group(1)
    assert url == "../fonts/own-mykai.ttf" and "format(" not in css and 'local("My Kai")' in css
    font = TTFont(io.BytesIO(files["EPUB/fonts/own-mykai.ttf"]))
    assert set(font.getBestCmap()) == {ord(c) for c in "引用的话甲ABCabc"}  # only what is used
    manifest = opf_of(files).find(".//opf:item[@href='fonts/own-mykai.ttf']", NS)
    assert manifest.get("media-type") == "font/ttf"


@pytest.mark.slow
@needs_epubcheck
def test_a_book_with_the_users_font_passes_epubcheck(own_font_book):
    assert problems(own_font_book[0]) == []


def test_a_font_outside_the_project_is_refused_and_its_rule_left_out(tmp_path):
    outside = tmp_path / "elsewhere" / "Secret.ttf"
    outside.parent.mkdir()
    outside.write_bytes(WENKAI.read_bytes()[:4096] if WENKAI.is_file() else b"\0" * 64)
    css = '@font-face { font-family: "X"; src: url(../../../elsewhere/Secret.ttf); }\n'
    css += '@font-face { font-family: "Y"; src: url(https://fonts.example.com/y.woff2); }\n'
    project = own_font_project(tmp_path, "p { margin: 0 }\n" + css)
    book = make_book([(article("a", "甲", 1), "<p>文字</p>")])
    target = tmp_path / "out" / "book.epub"
    written = epub.write(book, config_for(project), load_layout(project), target)
    warnings = sorted((p.path, p.line, p.message) for p in written.problems)
    assert [(w[0], w[1]) for w in warnings] == [
        ("layouts/default/base.css", 2),
        ("layouts/default/base.css", 3),
    ]
    assert "outside" in warnings[0][2] and "not fetched" in warnings[1][2]
    files = read_zip(target)
    css_out = files["EPUB/styles/base.css"].decode()
    assert "Secret" not in css_out and "url(" not in css_out and "p { margin: 0 }" in css_out
    assert not [n for n in files if "secret" in n.lower()]


def test_articles_in_another_language_get_their_own_face(tmp_path):
    from fontTools.ttLib import TTFont

    ja = RenderedArticle(article("ja", "京都の古本屋", 2), "<p>古本屋をめぐる。</p>", "ja")
    book = make_book([(article("zh", "中文", 1), "<p>中文的文章。</p>")])
    book = replace(book, rendered=(*book.rendered, ja), chapters=())
    path, _ = build(book, tmp_path)
    files = read_zip(path)
    jp = TTFont(io.BytesIO(files["EPUB/fonts/noto-serif-cjk-jp-regular.otf"])).getBestCmap()
    assert {ord(c) for c in "古本屋をめぐる"} <= set(jp) and ord("文") not in jp
    assert "EPUB/fonts/noto-serif-cjk-jp-bold.otf" in files
    css = files["EPUB/styles/fonts.css"].decode()
    assert 'font-family: "Noto Serif CJK JP"' in css


def test_chapter_opener_lists_its_articles_with_their_dates(rich):
    _, _, _, files = rich
    opener = xhtml_docs(files)["EPUB/chapters/2025-10.xhtml"]
    entries = [
        ("".join(li.find("x:a", NS).itertext()), li.find("x:a", NS).get("href"),
         li.findtext("x:span[@class='toc-date']", namespaces=NS))
        for li in opener.iterfind(".//x:ol[@class='chapter-articles']/x:li", NS)
    ]  # fmt: skip
    assert entries == [
        ("第一篇：工具 & <标签>", "../text/first-post.xhtml", "2025年10月3日"),
        ("第二篇：结果", "../text/second-post.xhtml", "2025年10月20日"),
    ]


def test_marks_the_cjk_face_lacks_come_from_a_symbols_subset_in_the_body_family(tmp_path):
    from fontTools.ttLib import TTFont

    body = '<ul class="task-list"><li><span class="task-box">☑</span> 完成</li></ul>'
    path, _ = build(make_book([(article("a", "甲", 1), body)]), tmp_path)
    files = read_zip(path)
    symbols = TTFont(io.BytesIO(files["EPUB/fonts/symbols.ttf"])).getBestCmap()
    assert ord("☑") in symbols and ord("完") not in symbols
    css = files["EPUB/styles/fonts.css"].decode()
    rule = next(r for r in css.split("@font-face")[1:] if "symbols.ttf" in r)
    assert '"Noto Serif CJK SC"' in rule and "U+2611" in rule


def test_emoji_dejavu_lacks_come_from_symbola_so_e_ink_shows_no_boxes(tmp_path):
    """✅ ⭐ 👍 are in no embedded face otherwise: `bookmaker check` reported them, and a
    Kobo or a Kindle, which have no emoji font, drew empty boxes."""
    from fontTools.ttLib import TTFont

    body = "<p>完成✅，很好👍⭐，开心😀</p>"
    path, _ = build(make_book([(article("a", "甲", 1), body)]), tmp_path)
    files = read_zip(path)
    first = TTFont(io.BytesIO(files["EPUB/fonts/symbols.ttf"])).getBestCmap()
    second = TTFont(io.BytesIO(files["EPUB/fonts/symbols-2.ttf"])).getBestCmap()
    assert ord("😀") in first and ord("😀") not in second  # DejaVu Sans draws it first
    assert {ord(c) for c in "✅👍⭐"} <= set(second)
    css = files["EPUB/styles/fonts.css"].decode()
    rule = next(r for r in css.split("@font-face")[1:] if "symbols-2.ttf" in r)
    assert '"Noto Serif CJK SC"' in rule and "U+2705" in rule and "U+1F600" not in rule


def test_characters_no_font_draws_leave_the_book_whole_and_are_reported_by_check(tmp_path):
    """🫨 (Unicode 15) and private-use marks are in neither DejaVu Sans nor Symbola: their
    subset kept no character and had no cmap, and the build stopped with a TypeError."""
    from bookmaker import check

    body = "<p>颤抖 🫨 \ue000 \uf000</p>"
    path, _ = build(make_book([(article("a", "甲", 1), body)]), tmp_path)
    assert "颤抖 🫨" in read_zip(path)["EPUB/text/a.xhtml"].decode()
    (found,) = check.check(path, epubcheck=False).problems
    assert "3 character(s) of the text are in no embedded font" in found.message
    assert "🫨" in found.message


def test_pictures_are_copied_into_the_zip_not_held_in_memory(tmp_path):
    """A 1,000-post book's pictures (430 MB) were all read into memory before the zip was
    written: most of the build's peak. They are copied in chunks, into the same bytes."""
    import os
    import tracemalloc

    from bookmaker.zipwrite import write_epub_zip

    folder = tmp_path / "img"
    folder.mkdir()
    images = []
    for n in range(3):
        path = folder / f"{n:010d}.jpg"
        path.write_bytes(os.urandom(6 * 1024 * 1024))  # the writer never decodes a picture
        images.append(Image(f"images/{path.name}", path, "image/jpeg", 1600, 1200))
    body = "".join(f'<p><img src="{i.name}" alt="图{n}"/></p>' for n, i in enumerate(images))
    book = make_book([(article("a", "甲", 1), body)], images=tuple(images))
    build(book, tmp_path)  # the first build loads templates and fonts
    tracemalloc.start()
    try:
        target, _ = build(book, tmp_path, "again.epub")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    files = read_zip(target)
    for i in images:
        assert files[f"EPUB/{i.name}"] == i.source.read_bytes()
    assert peak < 6 * 1024 * 1024  # not even one picture whole (18 MB of them)
    svg = folder / "drawing.svg"  # deflated, not stored: the level must be the same too
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg">' + "<g/>" * 5000 + "</svg>")
    files = {"mimetype": b"application/epub+zip", "EPUB/images/a.jpg": images[0].source,
             "EPUB/images/b.svg": svg}  # fmt: skip
    write_epub_zip(tmp_path / "files.zip", files)
    in_memory = {name: p if isinstance(p, bytes) else p.read_bytes() for name, p in files.items()}
    write_epub_zip(tmp_path / "bytes.zip", in_memory)
    assert (tmp_path / "files.zip").read_bytes() == (tmp_path / "bytes.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "files.zip") as zf:
        assert zf.getinfo("EPUB/images/b.svg").compress_type == zipfile.ZIP_DEFLATED


def test_a_picture_gone_before_the_zip_is_written_is_named(tmp_path):
    from bookmaker.errors import BookmakerError
    from bookmaker.zipwrite import write_epub_zip

    gone = tmp_path / "cache" / "images" / "0123.jpg"
    with pytest.raises(BookmakerError, match=r"0123\.jpg disappeared"):
        write_epub_zip(tmp_path / "book.epub", {"EPUB/images/0123.jpg": gone})


def test_titles_in_another_language_carry_it_in_every_contents(tmp_path):
    """A screen reader reads a Japanese title in the contents with a Japanese voice, and the
    reader draws it with Japanese glyphs, as on the article's own page."""
    zh, ja = article("zh-post", "第一篇", 3), article("ja-post", "京都の古本屋", 5)
    book = make_book([(zh, "<p>中文。</p>"), (ja, "<p>日本語。</p>")])
    ja_rendered = replace(book.rendered[1], lang="ja")
    book = replace(book, rendered=(book.rendered[0], ja_rendered))
    path, _ = build(book, tmp_path)
    files = read_zip(path)
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for name in ("EPUB/nav.xhtml", "EPUB/contents.xhtml", "EPUB/chapters/2025-10.xhtml"):
        links = etree.fromstring(files[name]).iterfind(".//x:a[@href]", NS)
        langs = {a.text: (a.get("lang"), a.get(xml_lang)) for a in links}
        assert langs["京都の古本屋"] == ("ja", "ja"), name
        assert langs["第一篇"] == (None, None), name
    ncx = etree.fromstring(files["EPUB/toc.ncx"])
    labels = {
        n.find("ncx:text", NS).text: n.get(xml_lang) for n in ncx.iterfind(".//ncx:navLabel", NS)
    }
    assert labels["京都の古本屋"] == "ja"
    assert labels["第一篇"] is None
