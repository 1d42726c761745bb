"""The HTML stage's driver: what it records for the cache, when it uses workers, book metadata."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from render_util import article, context

from bookmaker import parallel, render
from bookmaker.config import Config
from bookmaker.model import Image, RenderedArticle


def test_recorded_links_name_each_in_book_target_and_each_miss():
    a = article("见[那篇](/2024/b/)和[外面](/nowhere/)。", slug="a", permalink="/2024/a/")
    b = article("被链接。", slug="b", path=Path("/site/content/b.md"), permalink="/2024/b/")
    rendered, deps = render.render_recorded(context((a, b)), a)
    assert 'href="#b"' in rendered.xhtml
    assert ("/2024/b/", "b##标题") in deps.links  # slug, fragment, title (post_link shows it)
    assert ("/nowhere/", None) in deps.links


def test_recorded_files_are_the_originals_the_images_came_from(make_project):
    from PIL import Image as PILImage

    from bookmaker import collect, markdown

    project = make_project({"content/2024-01-01-a.md": "---\ntitle: 甲\n---\n\n![图](p.png)\n"})
    PILImage.new("RGB", (8, 8), (1, 2, 3)).save(project / "content" / "p.png")
    config = Config(base=project)
    collection = collect.collect(config)
    ctx = markdown.RenderContext.create(config, collection)
    rendered, deps = render.render_recorded(ctx, collection.articles()[0])
    assert [Path(f[0]).name for f in deps.files] == ["p.png"]
    assert deps.files[0][1] == (project / "content" / "p.png").stat().st_size
    assert rendered.images and rendered.images[0].name in rendered.xhtml


def test_a_few_articles_stay_in_process(make_project, monkeypatch):
    from bookmaker import collect

    text = "---\ntitle: 第{}篇\n---\n\n正文。\n"
    files = {f"content/2024-01-0{i}-a{i}.md": text.format(i) for i in (1, 2)}
    project = make_project(files)
    config = Config(base=project).override("output", cache=False)

    def no_workers(*args, **kw):
        raise AssertionError("worker processes started for two articles")

    monkeypatch.setattr(parallel, "render_many", no_workers)
    book = render.render_book(config, collect.collect(config))
    assert [r.article.title for r in book.rendered] == ["第1篇", "第2篇"]


@pytest.mark.parametrize(
    ("misses", "workers", "cores", "expected"),
    [
        (3, None, 2, False),
        (100, None, 2, False),  # measured: 0.85 s on two workers, 0.73 s in this process
        (100, None, 8, True),
        (200, None, 2, True),
        (200, None, 1, False),
        (5, 2, 1, True),
        (5, 1, 8, False),
        (1, 4, 8, False),
    ],
)
def test_workers_only_when_worth_it(monkeypatch, misses, workers, cores, expected):
    monkeypatch.setattr(parallel, "cores", lambda: cores)
    assert parallel.worth_it(misses, workers) is expected


def test_every_image_once_in_name_order():
    def img(name: str) -> Image:
        return Image(name, Path("/x") / name, "image/png", 1, 1)

    a, b = article("a", slug="a"), article("b", slug="b")
    rendered = (
        RenderedArticle(a, "", "zh", images=(img("images/b.png"), img("images/a.png"))),
        RenderedArticle(b, "", "zh", images=(img("images/a.png"),)),
    )
    assert [i.name for i in render.unique_images(rendered)] == ["images/a.png", "images/b.png"]


def test_modified_time_prefers_source_date_epoch(monkeypatch):
    newest = datetime(2024, 5, 1, 12, 0, 30, 500, tzinfo=UTC)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert render.modified_time(newest) == newest.replace(microsecond=0)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert render.modified_time(newest) == datetime(1970, 1, 2, tzinfo=UTC)


def test_broken_workers_fall_back_to_rendering_here(make_project, monkeypatch, caplog):
    import multiprocessing

    from bookmaker import collect

    text = "---\ntitle: 第{}篇\n---\n\n正文。\n"
    project = make_project({f"content/2024-01-0{i}-a{i}.md": text.format(i) for i in (1, 2, 3)})
    config = Config(base=project).override("output", cache=False)
    collection = collect.collect(config)
    serial = render.render_book(config, collection, workers=1)
    config = Config(base=project).override("output", cache_dir="cache-2")  # nothing cached

    def broken(*args):
        raise OSError("no room for processes")

    # fork, so the broken initializer reaches the workers (spawn would import a fresh one)
    fork = multiprocessing.get_context("fork")
    monkeypatch.setattr(parallel.multiprocessing, "get_context", lambda _: fork)
    monkeypatch.setattr(parallel, "_start", broken)
    with caplog.at_level(logging.WARNING, logger="bookmaker.parallel"):
        assert render.render_book(config, collection, workers=2) == serial
    assert "worker processes unavailable" in caplog.text


def test_the_cache_count_reads_as_english(make_project, caplog):
    from bookmaker import collect

    project = make_project({"content/2024-01-01-a.md": "---\ntitle: 甲\n---\n\n正文。\n"})
    config = Config(base=project)
    render.render_book(config, collect.collect(config), workers=1)
    with caplog.at_level(logging.INFO, logger="bookmaker.render"):
        render.render_book(config, collect.collect(config), workers=1)
    assert "html: 1 article cached, 0 to render" in caplog.text


def test_the_title_page_dates_the_book_where_its_author_is(make_project, monkeypatch):
    from bookmaker import collect
    from bookmaker.layouts import load_layout

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    project = make_project({"content/a.md": "---\ntitle: 甲\ndate: 2024-08-01\n---\n\n正文。\n"})
    config = Config(base=project)
    meta = render.book_meta(config, collect.collect(config))
    assert meta.modified == datetime(2024, 7, 31, 16, 0, tzinfo=UTC)  # the EPUB's, in UTC
    html = load_layout(project).render(
        "print/front.html", meta=meta, labels={"made": "制作："}, entries=(), stylesheets=()
    )
    assert "<p>制作：2024-08-01</p>" in html


def test_titles_get_the_quotes_their_text_gets(make_project):
    """The body curled `"Hello"`; its title, the nav, the contents and the outline kept
    the straight quotes the author typed."""
    from bookmaker import collect

    project = make_project({
        "bookmaker.toml": '[book]\ntitle = "写给 \\"未来\\" 的信"\nlanguage = "zh-CN"\n',
        "content/2024-01-01-a.md": "---\ntitle: '他说：\"Hello\"'\n---\n\n他说：\"Hello\"。\n",
        "content/2024-01-02-b.md": "---\ntitle: 'It''s \"fine\"'\nlang: en\n---\n\nText.\n",
        "content/2024-01-03-c.md": "---\ntitle: 推荐 \"Clean Code\" 这本书\n---\n\n正文。\n",
    })  # fmt: skip
    from bookmaker import config as configmod

    config = configmod.load(None, project)
    book = render.render_book(config, collect.collect(config), workers=1)
    titles = [r.article.title for r in book.rendered]
    assert titles == ["他说：“Hello”", "It’s “fine”", "推荐“Clean Code”这本书"]
    assert [a.title for c in book.chapters for a in c.articles] == titles
    assert book.meta.title == "写给“未来”的信"
