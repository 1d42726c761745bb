"""A demanding first user's journeys, end to end through the real command line.

Each journey copies a real-shaped blog from tests/data/journeys/ (a Jekyll site with
category folders, includes, a GBK post, a CRLF+BOM post, broken YAML, a draft and a future
post; a Hugo site with page bundles, shortcodes, TOML front matter and aliases) into a
temporary folder, runs `python -m bookmaker.cli` there as a person would, and checks what
that person sees: the listing, the exit status, every message with its path:line, and the
books themselves (titles, order, images present, links that stay inside the book).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

REPO = Path(__file__).resolve().parent.parent
JOURNEYS = Path(__file__).resolve().parent / "data" / "journeys"
SAMPLES = REPO.parent / "shared" / "samples"
XHTML = "{http://www.w3.org/1999/xhtml}"
LIB_CHATTER = ("Step 2 - Fetching", "logger bridge initialized")
MONTHS = ["2025年1月", "2025年2月", "2025年3月", "2025年5月"]


def bookmaker(cwd: Path, *args: str) -> tuple[int, str, str]:
    """Run the command line in `cwd` as a separate process: real stderr, real exit status."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1735689600"}
    run = subprocess.run(
        [sys.executable, "-m", "bookmaker.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        check=False,
    )
    assert "Traceback" not in run.stderr, run.stderr
    return run.returncode, run.stdout, run.stderr


def copy_journey(name: str, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp(name) / name
    shutil.copytree(JOURNEYS / name, target)
    return target


def listing(project: Path, *args: str) -> dict:
    status, out, _ = bookmaker(project, "list", "--json", *args)
    assert status in (0, 1)
    return json.loads(out)


def titles(data: dict) -> list[list[str]]:
    return [[a["title"] for a in c["articles"]] for c in data["chapters"]]


def epub_texts(epub: Path) -> dict[str, str]:
    """Every XHTML file of the book by its name under EPUB/text/."""
    with zipfile.ZipFile(epub) as z:
        return {
            Path(n).stem: z.read(n).decode("utf-8")
            for n in z.namelist()
            if n.startswith("EPUB/text/") and n.endswith(".xhtml")
        }


def body_of(xhtml: str) -> etree._Element:
    return etree.fromstring(xhtml.encode("utf-8")).find(f"{XHTML}body")


def images_resolve(epub: Path, name: str) -> list[str]:
    """The image files an article shows, each checked to exist in the book."""
    with zipfile.ZipFile(epub) as z:
        entries = set(z.namelist())
        body = body_of(z.read(f"EPUB/text/{name}.xhtml").decode("utf-8"))
    srcs = [img.get("src") for img in body.iter(f"{XHTML}img")]
    for src in srcs:
        assert "EPUB/" + src.removeprefix("../") in entries, src
    return srcs


def plain(text: str) -> str:
    """Text as typed: no word joiners, and the ¼-em gaps between Han and Latin as spaces."""
    return text.replace("\u2060", "").replace("\u2005", " ")


def links_of(xhtml: str) -> list[tuple[str, str]]:
    anchors = body_of(xhtml).iter(f"{XHTML}a")
    return [(plain("".join(a.itertext())), a.get("href")) for a in anchors]


# -- journey 1: a real Jekyll blog, run from its root with no bookmaker.toml ---------------


@pytest.fixture(scope="module")
def jekyll(tmp_path_factory):
    project = copy_journey("jekyll-blog", tmp_path_factory)
    data = listing(project)
    status, out, err = bookmaker(project, "epub", "-o", "out/")
    return project, data, (status, out, err), project / "out" / "jekyll-blog.epub"


def test_jekyll_site_is_found_and_titled_from_its_config(jekyll):
    _, data, _, _ = jekyll
    assert data["title"] == "溪边小记"
    assert data["site"]["kind"] == "jekyll"
    assert data["site"]["baseurl"] == "/blog"


def test_jekyll_articles_in_date_order_by_month_with_drafts_and_future_left_out(jekyll):
    by_default = jekyll[1]  # five posts in four months: one chapter for the year
    assert [c["title"] for c in by_default["chapters"]] == ["2025年"]
    data = listing(jekyll[0], "--chapters", "month")
    assert [c["title"] for c in data["chapters"]] == MONTHS
    assert titles(data) == [
        ["学 Rust async 的三个星期"],
        ["回老家过年"],
        ["用旧电脑写的文章", "换行符的那些坑"],  # GBK, then CRLF with a BOM: both readable
        ["五月的整理"],
    ]
    listed = json.dumps(data, ensure_ascii=False)
    assert "没写完的想法" not in listed and "写给未来的信" not in listed


def test_jekyll_problems_name_path_and_line_and_fail_the_run(jekyll):
    _, data, (status, _, err), _ = jekyll
    assert status == 1  # the broken front matter is an error; the book is still written
    assert "_posts/2025-04-01-broken-front-matter.md:4: error: front matter is not valid" in err
    assert "_posts/2025-05-05-cleanup.md:11: warning: image not found" in err
    # `{% assign %}` on line 18 is understood (line 19 prints it); `{% feed_meta %}` is not
    assert "_posts/life/2025-02-03-spring-festival.md:21: warning: Liquid not supported" in err
    assert "_posts/life/2025-03-02-old-laptop.md: warning: read as GB18030" in err
    [broken] = [p for p in data["problems"] if p["level"] == "error"]
    assert (broken["path"], broken["line"]) == ("_posts/2025-04-01-broken-front-matter.md", 4)


def test_jekyll_output_is_quiet_about_libraries(jekyll):
    _, _, (_, _, err), book = jekyll
    assert book.is_file()
    assert not any(chatter in err for chatter in LIB_CHATTER), err


def test_jekyll_every_image_is_in_the_book_whatever_way_it_was_addressed(jekyll):
    _, _, _, book = jekyll
    gif, png = images_resolve(book, "rust-async-notes")  # ../../assets/blogimages/x.gif
    assert gif.endswith(".gif") and png.endswith(".png")
    [jpg] = images_resolve(book, "spring-festival")  # {{ site.baseurl }}/assets/…
    assert jpg.endswith(".jpg")


def test_jekyll_missing_image_shows_its_alt_text(jekyll):
    _, _, _, book = jekyll
    text = plain("".join(body_of(epub_texts(book)["cleanup"]).itertext()))
    assert "一张丢失的图片" in text


def test_jekyll_links_between_posts_stay_in_the_book(jekyll):
    _, _, _, book = jekyll
    texts = epub_texts(book)
    spring = dict(links_of(texts["spring-festival"]))
    # {% post_url %} and a {{ site.baseurl }}-prefixed permalink
    assert spring["上个月的 Rust 笔记"] == "rust-async-notes.xhtml#rust-async-notes"
    assert spring["那篇 async 笔记"] == "rust-async-notes.xhtml#rust-async-notes"
    cleanup = [href for _, href in links_of(texts["cleanup"])]
    assert "spring-festival.xhtml#spring-festival" in cleanup  # /blog/… permalink


def test_jekyll_include_is_resolved_and_no_liquid_reaches_the_book(jekyll):
    _, _, _, book = jekyll
    texts = epub_texts(book)
    assert "本文写于业余时间" in plain(texts["spring-festival"])
    assert "今天心情：开心。" in plain(texts["spring-festival"])  # {% assign %}, then {{ mood }}
    assert not any("{%" in t or "{{" in t for t in texts.values())


def test_jekyll_filters_and_order_flags(jekyll):
    project = jekyll[0]
    data = listing(
        project, "--since", "2025-02-01", "--until", "2025-03-31", "--order", "newest",
        "--chapters", "month",
    )  # fmt: skip
    assert titles(data) == [["换行符的那些坑", "用旧电脑写的文章"], ["回老家过年"]]
    data = listing(project, "--chapters", "year/month")
    [year] = data["chapters"]
    assert year["title"] == "2025年"
    assert [c["title"] for c in year["chapters"]] == MONTHS
    data = listing(project, "--tag", "生活")
    assert [t for chapter in titles(data) for t in chapter] == [
        "回老家过年",
        "用旧电脑写的文章",
        "五月的整理",
    ]


def test_config_elsewhere_naming_the_site_root_keeps_jekyll_features(jekyll, tmp_path):
    site = jekyll[0]
    (tmp_path / "books").mkdir()
    (tmp_path / "books" / "tw.toml").write_text(
        f'[book]\ntitle = "溪边小记"\nlanguage = "zh-TW"\n'
        f'[content]\nsite_root = "{site.as_posix()}"\n'
        '[typography]\nconvert = "s2twp"\n[output]\nname = "xibian-tw"\n',
        encoding="utf-8",
    )
    status, _, err = bookmaker(tmp_path, "epub", "-c", "books/tw.toml")
    assert status == 1, err  # only the broken front matter
    assert "no _includes folder" not in err and "not in this book" not in err
    assert "../../" not in err  # paths outside the config's folder are shown whole
    book = tmp_path / "books" / "build" / "xibian-tw.epub"
    texts = epub_texts(book)
    spring = texts["spring-festival"]
    assert 'xml:lang="zh-TW"' in spring
    assert "高鐵" in spring and "本文寫於業餘時間" in plain(spring)
    assert 'alt="站臺"' in spring  # alt text follows the conversion too
    assert "rust-async-notes.xhtml#rust-async-notes" in spring


# -- journey 2: a Hugo site --------------------------------------------------------------


@pytest.fixture(scope="module")
def hugo(tmp_path_factory):
    project = copy_journey("hugo-site", tmp_path_factory)
    data = listing(project, "-v")
    status, out, err = bookmaker(project, "epub")
    return project, data, (status, out, err), project / "build" / "hugo-site.epub"


def test_hugo_site_lists_articles_and_skips_sections_and_drafts(hugo):
    _, data, _, _ = hugo
    assert data["title"] == "纸上行旅"
    assert data["site"]["kind"] == "hugo"
    assert titles(data) == [["出发前的清单", "京都的十一月"], ["2025 年读过的书"]]
    skipped = {s["path"]: s["reason"] for s in data["skipped"]}
    assert "section page" in skipped["content/_index.md"]
    assert "draft" in skipped["content/posts/draft-notes.md"]


def test_hugo_build_succeeds_with_one_warning_for_the_unknown_shortcode(hugo):
    _, _, (status, _, err), book = hugo
    assert status == 0, err
    assert "content/posts/reading-2025.md:7: warning: unknown Hugo shortcode `unknowncode`" in err
    assert "里面的内容" in plain(epub_texts(book)["reading-2025"])  # its content is kept


def test_hugo_bundle_and_static_images_are_in_the_book(hugo):
    _, _, _, book = hugo
    [maple] = images_resolve(book, "kyoto-trip")  # {{< figure src="maple.png" >}} beside index.md
    [route] = images_resolve(book, "packing")  # /img/route-map.png from static/
    assert maple != route
    figure = body_of(epub_texts(book)["kyoto-trip"]).find(f".//{XHTML}figcaption")
    assert plain("".join(figure.itertext())) == "哲学之道的枫叶"


def test_hugo_ref_relref_and_alias_links_stay_in_the_book(hugo):
    _, _, _, book = hugo
    texts = epub_texts(book)
    assert dict(links_of(texts["kyoto-trip"]))["出发前的清单"] == "packing.xhtml#packing"
    hrefs = [href for _, href in links_of(texts["packing"])]
    assert hrefs == ["kyoto-trip.xhtml#kyoto-trip"] * 2  # relref, then the alias /zh/old/kyoto/


def test_hugo_highlight_shortcode_becomes_highlighted_code(hugo):
    _, _, _, book = hugo
    kyoto = epub_texts(book)["kyoto-trip"]
    assert '<span class="k">def</span>' in kyoto and "{{&lt;" not in kyoto


# -- journey 3: the real sample article, its images missing -------------------------------


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared/samples not beside the repository")
def test_real_sample_article_builds_with_a_warning_per_missing_image(tmp_path):
    [sample] = sorted(SAMPLES.glob("2025-*.md"))
    (tmp_path / "_posts" / "others").mkdir(parents=True)
    shutil.copy(sample, tmp_path / "_posts" / "others" / sample.name)
    status, _, err = bookmaker(tmp_path, "epub", "-o", "book.epub")
    assert status == 0, err
    rel = f"_posts/others/{sample.name}"
    lines = [f"{rel}:{n}: warning: image not found: ../../assets/blogimages/" for n in (22, 41)]
    lines.append(f"{rel}:146: warning: image not found: ../../assets/blogimages/")
    assert all(line in err for line in lines), err
    [text] = epub_texts(tmp_path / "book.epub").values()
    assert text.count('class="missing-image"') == 3


# -- journey 5: mistakes, each one clear line with the right exit status -------------------


def test_config_typos_are_listed_together_with_exit_2(make_project):
    project = make_project({
        "content/a.md": "---\ntitle: 一\ndate: 2025-01-01\n---\n正文\n",
        "bookmaker.toml": '[book]\ntitel = "x"\n[chapter]\ngroup = "month"\n',
    })  # fmt: skip
    status, out, err = bookmaker(project, "list")
    assert status == 2 and out == ""
    assert "unknown table [chapter]" in err and "[book] unknown key `titel`" in err
    assert "valid keys: title," in err


@pytest.mark.parametrize(
    "args, message",
    [
        (("list", "--frobnicate"), "unrecognized arguments: --frobnicate"),
        (("list", "-c", "nope.toml"), "nope.toml: no such config file"),
        (("list", "--chapters", "week"), "invalid choice: 'week'"),
        (("epub", "-o", "afile/x.epub"), "cannot write afile/x.epub"),
        (("epub", "-o", "afile/sub/"), "cannot create folder afile/sub/"),
    ],
)
def test_usage_mistakes_exit_2_with_one_line(make_project, args, message):
    project = make_project({
        "content/a.md": "---\ntitle: 一\ndate: 2025-01-01\n---\n正文\n",
        "afile": "not a folder",
    })  # fmt: skip
    status, _, err = bookmaker(project, *args)
    assert status == 2
    assert message in err


def test_folder_without_articles_is_one_clear_line(make_project):
    project = make_project({"notes.txt": "nothing here"})
    status, _, err = bookmaker(project, "list")
    assert status == 2
    assert err.startswith("error: ") and "no articles here" in err and err.count("\n") == 1


def test_empty_posts_folder_or_unmatched_filter_is_an_error_not_an_empty_success(make_project):
    project = make_project({
        "_posts/2025-01-01-a.md": "---\ntitle: 一\ndate: 2025-01-01\ndraft: true\n---\n",
    })  # fmt: skip
    status, _, err = bookmaker(project, "list")
    assert status == 1
    assert "_posts: error: no articles to make a book of (draft: 1)" in err
    status, _, err = bookmaker(project, "list", "--drafts", "--tag", "nosuch")
    assert status == 1 and "(none of the chosen tags: 1)" in err


def test_output_folder_given_with_a_slash_is_created(make_project):
    project = make_project({"content/a.md": "---\ntitle: 一\ndate: 2025-01-01\n---\n正文\n"})
    status, _, err = bookmaker(project, "epub", "-q", "-o", "new/books/")
    assert status == 0, err
    assert [p.name for p in (project / "new" / "books").iterdir()] == ["project.epub"]
    assert err == ""  # -q: nothing to say when all is well


def test_quiet_shows_only_what_fails_and_strict_fails_on_warnings(hugo):
    project = hugo[0]
    status, out, err = bookmaker(project, "epub", "-q", "-o", "q/")
    assert (status, out, err) == (0, "", "")  # the one warning is not a failure
    status, _, err = bookmaker(project, "epub", "-q", "--strict", "-o", "q/")
    assert status == 1 and "unknown Hugo shortcode" in err


def test_listing_into_a_closed_pipe_ends_quietly(hugo):
    run = subprocess.run(
        f"'{sys.executable}' -m bookmaker.cli list | head -n 1",
        shell=True,
        cwd=hugo[0],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.stdout.startswith("Found: Hugo site") and "Traceback" not in run.stderr


# -- journey 6: serve the built book to an e-reader on this computer, then check it ---------


def test_serve_on_an_ephemeral_loopback_port_then_check_the_download(hugo, tmp_path):
    import http.client
    import re
    import time

    project, _, _, book = hugo
    cmd = [sys.executable, "-m", "bookmaker.cli", "serve", "--no-build", "--port", "0"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(cmd, cwd=project, stdout=subprocess.PIPE, text=True, env=env)
    try:
        deadline, port = time.monotonic() + 60, None
        while port is None and time.monotonic() < deadline:
            found = re.search(r"http://127\.0\.0\.1:(\d+)/", server.stdout.readline())
            port = int(found.group(1)) if found else None
        assert port, "the server never said where it listens"
        got = {}
        for path in ("/", "/opds", f"/{book.name}"):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
            conn.request("GET", path)
            response = conn.getresponse()
            got[path] = (response.status, response.read())
            conn.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert got["/"][0] == 200 and "纸上行旅" in got["/"][1].decode("utf-8")
    assert got["/opds"][0] == 200 and book.name.encode() in got["/opds"][1]
    assert got[f"/{book.name}"] == (200, book.read_bytes())
    downloaded = tmp_path / "downloaded.epub"
    downloaded.write_bytes(got[f"/{book.name}"][1])
    status, out, _ = bookmaker(tmp_path, "check", str(downloaded))
    assert status == 0 and "0 error(s), 0 warning(s)" in out


# -- journey 4 in print: the Jekyll blog as a 32K grayscale PDF ----------------------------


@pytest.mark.slow
def test_jekyll_pdf_32k_grayscale_reads_as_a_book(jekyll):
    from pypdf import PdfReader

    project = jekyll[0]
    status, _, err = bookmaker(project, "pdf", "--page-size", "32K", "--grayscale", "-o", "p/")
    assert status == 1 and "broken-front-matter.md:4: error" in err
    assert not any(chatter in err for chatter in LIB_CHATTER), err
    pdf = project / "p" / "jekyll-blog.pdf"
    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    assert (round(box.width / 72 * 25.4), round(box.height / 72 * 25.4)) == (130, 184)
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[-1] == "2025年"  # the year's chapter, its five posts under it
    status, out, _ = bookmaker(project, "check", str(pdf))
    assert status == 0, out
