"""The build cache never changes the book: only what an edit touches is rebuilt, and a warm
build, a cold build and a build with a damaged cache all give the same output."""

from __future__ import annotations

import io
import logging
import os
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image as PILImage

from bookmaker import collect, config, render
from bookmaker.cache import cache_dir
from bookmaker.config import Config

TOML = """\
[book]
title = "缓存测试"
author = "测试"
"""


def png(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (40, 30), colour).save(out, "PNG")
    return out.getvalue()


def article(title: str, day: str, body: str) -> str:
    return f"---\ntitle: {title}\ndate: {day} 10:00:00\n---\n\n{body}\n"


SECOND = "见[第一篇](2024-01-01-first.md)。\n\n![红色](red.png)"
FILES = {
    "bookmaker.toml": TOML,
    "content/2024-01-01-first.md": article("第一篇", "2024-01-01", "这是第一篇，提到 Python。"),
    "content/2024-01-02-second.md": article("第二篇", "2024-01-02", SECOND),
    "content/2024-02-03-third.md": article(
        "第三篇", "2024-02-03", "## 小节\n\n第三篇的正文，有 Linux 和 GitHub。"
    ),
    "content/red.png": png((200, 20, 20)),
}


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path / "p", FILES)
    return tmp_path / "p"


def config_of(project: Path, **output) -> Config:
    cfg = config.load(None, project)
    return cfg.override("output", **output) if output else cfg


def rendered(project: Path, **output):
    """(the article XHTML by slug, how many were rendered rather than taken from the cache)."""
    cfg = config_of(project, **output)
    collection = collect.collect(cfg)
    book = render.render_book(cfg, collection, workers=1)
    return {r.article.slug: r for r in book.rendered}, _rendered_count()


_COUNTS: list[int] = []


class _Counter(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        m = re.match(r"html: \d+ articles? cached, (\d+) to render", record.getMessage())
        if m:
            _COUNTS.append(int(m.group(1)))


@pytest.fixture(autouse=True)
def count_renders():
    handler = _Counter()
    logger = logging.getLogger("bookmaker.render")
    logger.addHandler(handler)
    old = logger.level
    logger.setLevel(logging.INFO)
    yield
    logger.removeHandler(handler)
    logger.setLevel(old)


def _rendered_count() -> int:
    return _COUNTS[-1]


def epub_entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def build_epub(run_cli, project: Path, name: str, *flags: str) -> Path:
    out = project.parent / name
    status, _, err = run_cli(project, "epub", "-q", "-o", str(out), *flags)
    assert status == 0, err
    return out


def touch_later(path: Path) -> None:
    """Make sure an edit is visible to size+mtime checks even on coarse clocks."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


# ---- the rendered articles -------------------------------------------------------------


def test_second_build_renders_nothing_and_gives_the_same_articles(project):
    first, n1 = rendered(project)
    second, n2 = rendered(project)
    assert (n1, n2) == (3, 0)
    assert first == second


def test_editing_one_article_rerenders_only_that_one(project):
    before, _ = rendered(project)
    path = project / "content/2024-02-03-third.md"
    path.write_text(article("第三篇", "2024-02-03", "## 小节\n\n改过的正文。"), encoding="utf-8")
    after, n = rendered(project)
    assert n == 1
    changed = {slug for slug in before if before[slug].xhtml != after[slug].xhtml}
    assert changed == {after_slug(after, "third")}
    assert "改过" in after[after_slug(after, "third")].xhtml


def after_slug(found: dict, word: str) -> str:
    return next(s for s in found if word in s)


def test_a_setting_rerenders_every_article_and_matches_a_cold_build(project):
    rendered(project)
    (project / "bookmaker.toml").write_text(TOML + "[typography]\nspacing = false\n", "utf-8")
    warm, n = rendered(project)
    cold, _ = rendered(project, cache=False)
    assert n == 3
    assert {s: r.xhtml for s, r in warm.items()} == {s: r.xhtml for s, r in cold.items()}


def test_a_linked_article_leaving_the_book_rerenders_the_link(project):
    before, _ = rendered(project)
    second = after_slug(before, "second")
    first = after_slug(before, "first")
    assert f'href="#{first}"' in before[second].xhtml
    (project / "bookmaker.toml").write_text(TOML + '[content]\nsince = "2024-01-02"\n', "utf-8")
    after, n = rendered(project)
    assert n == 1  # the second article links to the first; the third does not care
    assert f'href="#{first}"' not in after[second].xhtml


def test_an_edited_image_rerenders_the_article_showing_it(project):
    before, _ = rendered(project)
    image = project / "content/red.png"
    image.write_bytes(png((20, 20, 200)))
    touch_later(image)
    after, n = rendered(project)
    second = after_slug(after, "second")
    assert n == 1
    assert before[second].images[0].name != after[second].images[0].name
    assert after[second].images[0].name in after[second].xhtml


def test_an_include_edit_rerenders_the_article_using_it(tmp_path):
    files = {
        **FILES,
        "_config.yml": "title: 站点\n",
        "_includes/note.html": "旧的提示",
        "_posts/2024-03-01-inc.md": article("包含", "2024-03-01", "{% include note.html %}"),
    }
    files = {k: v for k, v in files.items() if not k.startswith("content/")}
    files["_posts/2024-01-01-plain.md"] = article("普通", "2024-01-01", "普通的一篇。")
    write(tmp_path / "j", files)
    project = tmp_path / "j"
    before, _ = rendered(project)
    note = project / "_includes/note.html"
    note.write_text("新的提示", encoding="utf-8")
    touch_later(note)
    after, n = rendered(project)
    assert n == 1
    inc = after_slug(after, "inc")
    assert "新的" in after[inc].xhtml and "旧的" in before[inc].xhtml


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_a_damaged_entry_is_detected_and_rebuilt(project, damage, caplog):
    clean, _ = rendered(project)
    entries = sorted((cache_dir(config_of(project)) / "articles").rglob("*.json"))
    assert len(entries) == 3
    victim = entries[0]
    data = victim.read_bytes()
    victim.write_bytes(
        {
            "truncate": data[: len(data) // 2],
            "flip": data[:-10] + bytes([data[-10] ^ 0x20]) + data[-9:],
            "garbage": b"\x80\x81not json at all",
            "empty": b"",
        }[damage]
    )
    with caplog.at_level(logging.DEBUG, logger="bookmaker.articlecache"):
        again, n = rendered(project)
    assert n == 1
    assert again == clean
    assert victim.read_bytes() == data  # rewritten whole


def test_an_entry_made_for_other_content_is_never_used(project):
    """A well-formed entry whose key does not match (copied over, stale) is ignored."""
    rendered(project)
    folder = cache_dir(config_of(project)) / "articles"
    a, b = sorted(folder.rglob("*.json"))[:2]
    a.write_bytes(b.read_bytes())
    again, n = rendered(project)
    cold, _ = rendered(project, cache=False)
    assert n == 1
    assert again == cold


def test_serial_and_parallel_rendering_give_the_same_book(project):
    # Separate caches: `--no-cache`'s throwaway folder lasts as long as this process.
    cfg = config_of(project, cache_dir="cache-serial")
    collection = collect.collect(cfg)
    serial = render.render_book(cfg, collection, workers=1)
    cfg = config_of(project, cache_dir="cache-parallel")
    parallel = render.render_book(cfg, collection, workers=2)
    assert _rendered_count() == 3  # all rendered by the workers, none from a cache
    assert serial == parallel


# ---- whole books ------------------------------------------------------------------------


def test_cached_uncached_and_warm_books_are_byte_identical(project, run_cli):
    cold = build_epub(run_cli, project, "cold.epub")
    warm = build_epub(run_cli, project, "warm.epub")
    uncached = build_epub(run_cli, project, "nocache.epub", "--no-cache")
    assert cold.read_bytes() == warm.read_bytes() == uncached.read_bytes()


def test_editing_one_article_changes_only_its_page_in_the_epub(project, run_cli):
    before = epub_entries(build_epub(run_cli, project, "before.epub"))
    path = project / "content/2024-01-02-second.md"
    path.write_text(
        article("第二篇", "2024-01-02", SECOND + "\n\n这是第二篇。"),
        encoding="utf-8",
    )
    after = epub_entries(build_epub(run_cli, project, "after.epub"))
    assert before.keys() == after.keys()
    changed = {n for n in before if before[n] != after[n]}
    assert len(changed) == 1
    (name,) = changed
    assert "这是第二篇" in text(after[name]) and "这是第二篇" not in text(before[name])


def text(data: bytes) -> str:
    return data.decode("utf-8").replace("\u2060", "")  # typography's word joiners


# ---- PDF parts --------------------------------------------------------------------------


class _Parts(logging.Handler):
    """(cached, total) from each `pdf: N of M part(s) cached` message: body, then front."""

    def __init__(self):
        super().__init__()
        self.counts: list[tuple[int, int]] = []

    def emit(self, record: logging.LogRecord) -> None:
        m = re.match(r"pdf: (\d+) of (\d+) part\(s\) cached", record.getMessage())
        if m:
            self.counts.append((int(m.group(1)), int(m.group(2))))


@pytest.fixture
def parts():
    handler = _Parts()
    logger = logging.getLogger("bookmaker.pdfcache")
    logger.addHandler(handler)
    old = logger.level
    logger.setLevel(logging.DEBUG)  # the body's line is info, the front's and others' debug
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(old)


@pytest.mark.slow
def test_pdf_edit_in_the_last_chapter_rerenders_only_the_last_part(project, run_cli, parts):
    toml = TOML + "[pdf]\nchunk_pages = 1\n"  # one part per chapter: January, February
    (project / "bookmaker.toml").write_text(toml, encoding="utf-8")
    out = project.parent / "book.pdf"
    assert run_cli(project, "pdf", "-o", str(out))[0] == 0
    cold = out.read_bytes()
    parts.counts.clear()
    assert run_cli(project, "pdf", "-o", str(out))[0] == 0
    assert out.read_bytes() == cold
    body, front = parts.counts
    assert body == (2, 2) and front[0] == front[1]
    parts.counts.clear()
    third = project / "content/2024-02-03-third.md"
    third.write_text(article("第三篇", "2024-02-03", "## 小节\n\n第三篇。"), encoding="utf-8")
    assert run_cli(project, "pdf", "-o", str(out))[0] == 0
    assert parts.counts[0] == (1, 2)
    uncached = project.parent / "uncached.pdf"
    assert run_cli(project, "pdf", "--no-cache", "-o", str(uncached))[0] == 0
    assert looks_the_same(uncached, out)


@pytest.mark.slow
def test_a_damaged_pdf_part_is_rendered_again(project, run_cli):
    out = project.parent / "book.pdf"
    assert run_cli(project, "pdf", "-o", str(out))[0] == 0
    cold = project.parent / "cold.pdf"
    out.rename(cold)
    for part in (cache_dir(config_of(project)) / "pdf").glob("*.pdf"):
        part.write_bytes(part.read_bytes()[:100])
    assert run_cli(project, "pdf", "-o", str(out))[0] == 0
    assert looks_the_same(out, cold)


def looks_the_same(a: Path, b: Path) -> bool:
    """Same text and same pixels on every page. (Not bytes: two uncached chunked builds
    differ inside a stream today — the PDF backend's, not the cache's, to settle.)"""
    import subprocess

    def pages(pdf: Path) -> list[bytes]:
        folder = pdf.with_suffix(".png.d")
        folder.mkdir()
        subprocess.run(["pdftoppm", "-r", "20", "-png", str(pdf), str(folder / "p")], check=True)
        return [f.read_bytes() for f in sorted(folder.iterdir())]

    def text(pdf: Path) -> bytes:
        return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True).stdout

    return text(a) == text(b) and pages(a) == pages(b)


def test_every_library_the_html_depends_on_is_known_by_its_distribution_name():
    """An upgraded library invalidates cached articles only if its version can be read."""
    from importlib import metadata

    from bookmaker import articlecache

    for name in articlecache.LIBRARIES:
        assert metadata.version(name), name


def test_articles_rendered_by_worker_processes_are_cached_too(project):
    # The workers store their entries themselves: the parent only collects the articles.
    cfg = config_of(project)
    first = render.render_book(cfg, collect.collect(cfg), workers=2)
    assert _rendered_count() == 3
    again = render.render_book(cfg, collect.collect(cfg), workers=2)
    assert _rendered_count() == 0
    assert [r.xhtml for r in again.rendered] == [r.xhtml for r in first.rendered]
