"""Working out what kind of folder bookmaker runs in, and the site's URLs."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bookmaker import config as configmod
from bookmaker import site
from bookmaker.errors import ConfigError

DATA = Path(__file__).parent / "data"
CST = timezone(timedelta(hours=8))


def detect(folder: Path, **content) -> site.Site:
    c = configmod.load(None, folder)
    return site.detect(c.override("content", **content) if content else c)


def test_jekyll_site():
    s = detect(DATA / "jekyll-site")
    root = (DATA / "jekyll-site").resolve()
    assert s.kind == "jekyll"
    assert s.root == root
    assert s.static_dirs == (root,)
    assert s.includes_dir == root / "_includes"
    assert (s.baseurl, s.url, s.title) == ("/blog", "https://notes.example.com", "山间笔记")
    assert s.permalink == "/:categories/:year/:month/:day/:title/"  # `pretty`
    assert root / "_posts" in s.content_dirs and root / "tech" / "_posts" in s.content_dirs
    assert "_config.yml" in s.found_by and str(root) in s.found_by


def test_hugo_site():
    s = detect(DATA / "hugo-site")
    root = (DATA / "hugo-site").resolve()
    assert (s.kind, s.content_dirs, s.static_dirs) == (
        "hugo",
        (root / "content",),
        (root / "static",),
    )
    assert (s.baseurl, s.url, s.title) == ("/site", "https://example.org", "Hugo 小站")
    assert "hugo.toml" in s.found_by


def test_plain_content_folder(make_project):
    project = make_project({"content/a.md": "# A\n", "bookmaker.toml": ""})
    s = detect(project)
    assert (s.kind, s.content_dirs) == ("plain", (project.resolve() / "content",))
    assert "content folder" in s.found_by


def test_nothing_to_collect_is_a_clear_error(make_project):
    project = make_project({"notes.txt": "hello"})
    with pytest.raises(ConfigError, match="no articles here"):
        detect(project)


def test_content_dirs_override_detection(make_project):
    project = make_project({"_posts/2025-01-01-a.md": "x", "elsewhere/b.md": "y"})
    s = detect(project, dirs=("elsewhere",))
    assert s.kind == "jekyll"
    assert s.content_dirs == (project.resolve() / "elsewhere",)
    with pytest.raises(ConfigError, match=r"\[content\] dirs: no such folder"):
        detect(project, dirs=("missing",))


def test_broken_site_config_names_file_and_line(make_project):
    project = make_project({"_config.yml": "title: a\n  bad: b\n", "_posts/x.md": ""})
    with pytest.raises(ConfigError, match=r"_config.yml:2: "):
        detect(project)


def page(**kw):
    base = {"date": datetime(2025, 10, 3, 9, 5, tzinfo=CST), "name": "hello", "slug": None,
            "title": "Hello World", "categories": (), "section": "posts"}  # fmt: skip
    return base | kw


@pytest.mark.parametrize(
    ("pattern", "kw", "expected"),
    [
        (None, {}, "/2025/10/03/hello.html"),
        (None, {"categories": ("Tech", "py")}, "/tech/py/2025/10/03/hello.html"),
        ("/:categories/:year/:month/:day/:title/", {}, "/2025/10/03/hello/"),
        ("/:year/:i_month/:slug", {"slug": "Custom Name"}, "/2025/10/custom-name"),
        ("/posts/:title:output_ext", {}, "/posts/hello.html"),
    ],
)
def test_jekyll_permalinks(pattern, kw, expected):
    s = site.Site("jekyll", Path("/x"), (), (), "", permalink=pattern)
    assert site.permalink(s, page(**kw)) == expected


def test_hugo_permalinks():
    default = site.Site("hugo", Path("/x"), (), (), "")
    assert site.permalink(default, page()) == "/posts/hello/"
    assert site.permalink(default, page(slug="My-Slug")) == "/posts/my-slug/"
    patterned = site.Site("hugo", Path("/x"), (), (), "", permalink="/:year/:month/:slug/")
    assert site.permalink(patterned, page()) == "/2025/10/hello/"
    assert site.permalink(site.Site("plain", Path("/x"), (), (), ""), page()) is None


def test_book_title_falls_back_to_site_then_folder(make_project):
    jekyll = configmod.load(None, DATA / "jekyll-site")
    assert site.book_title(jekyll, site.detect(jekyll)) == "山间笔记"
    named = jekyll.override("book", title="我的书")
    assert site.book_title(named, site.detect(named)) == "我的书"
    project = make_project({"content/a.md": "x"})
    plain = configmod.load(None, project)
    assert site.book_title(plain, site.detect(plain)) == "project"
