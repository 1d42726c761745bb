"""Which of a Hugo site's content files are its blog's posts, as the site publishes them."""

from __future__ import annotations

import json

from bookmaker import collect, site
from bookmaker.config import load

POST = "---\ntitle: {}\ndate: 2024-08-0{}\n---\n\n正文。\n"


def articles(project, **content):
    config = site.with_site_defaults(load(None, project))
    collection = collect.collect(config.override("content", **content) if content else config)
    return [a.rel for a in collection.articles()], dict(collection.skipped), collection.problems


def test_about_search_and_archives_pages_are_not_posts(make_project, run_cli):
    project = make_project({
        "hugo.toml": 'title = "站"\nlanguageCode = "zh-tw"\n',
        "content/about.md": "---\ntitle: 關於我\nlayout: about\n---\n\n我。\n",
        "content/search.md": "---\ntitle: 搜尋\nlayout: search\n---\n",
        "content/archives.md": "---\ntitle: 歸檔\nlayout: archives\n---\n",
        "content/links.md": "---\ntitle: 友鏈\ndate: 2024-01-01\n---\n",
        "content/posts/a.md": POST.format("一", 1),
        "content/posts/b.md": POST.format("二", 2),
        "content/posts/page.md": "---\ntitle: 頁\ndate: 2024-08-03\ntype: page\n---\n",
    })  # fmt: skip
    status, out, err = run_cli(project, "list", "--json", "-v", "--undated", "end")
    assert (status, err) == (0, "")
    data = json.loads(out)
    assert [c["title"] for c in data["chapters"]] == ["2024年"]  # no 「未註明日期」
    assert [a["path"] for a in data["chapters"][0]["articles"]] == [
        "content/posts/a.md",
        "content/posts/b.md",
    ]
    skipped = {s["path"]: s["reason"] for s in data["skipped"]}
    assert skipped["content/about.md"] == "not a post: a page with layout 'about'"
    assert skipped["content/search.md"] == "not a post: a page with layout 'search'"
    assert skipped["content/archives.md"] == "not a post: a page with layout 'archives'"
    assert skipped["content/links.md"] == (
        "not a post: outside the site's posts (its main section, the one with the most "
        "posts: posts)"
    )
    assert skipped["content/posts/page.md"] == "not a post: a page (type 'page')"


def test_posts_at_the_top_of_content_stay_posts(make_project):
    project = make_project({
        "hugo.toml": 'title = "站"\n',
        "content/a.md": POST.format("一", 1),
        "content/b.md": POST.format("二", 2),
        "content/about.md": "---\ntitle: 关于\nlayout: about\n---\n",
        "content/projects/x.md": POST.format("项目", 3),
    })  # fmt: skip
    kept, skipped, problems = articles(project)
    assert kept == ["content/a.md", "content/b.md"] and problems == ()
    assert "the top of content/" in skipped["content/projects/x.md"]


def test_the_sites_main_sections_choose_the_posts(make_project):
    project = make_project({
        "hugo.toml": '[params]\nmainSections = ["blog", "Notes"]\n',
        "content/blog/a.md": POST.format("一", 1),
        "content/notes/b.md": POST.format("二", 2),
        "content/docs/c.md": POST.format("三", 3),
        "content/docs/d.md": POST.format("四", 4),
    })  # fmt: skip
    kept, skipped, _ = articles(project)
    assert kept == ["content/blog/a.md", "content/notes/b.md"]
    assert skipped["content/docs/c.md"] == (
        "not a post: outside the site's posts (its mainSections: blog, notes)"
    )


def test_pages_the_site_never_publishes_are_left_out(make_project):
    project = make_project({
        "hugo.toml": 'title = "站"\n',
        "content/posts/a.md": POST.format("一", 1),
        "content/posts/old.md": "---\ntitle: 旧\ndate: 2024-01-01\nexpiryDate: 2024-02-01\n---\n",
        "content/posts/later.md": "---\ntitle: 久\ndate: 2024-01-02\nexpiryDate: 2999-01-01\n---\n",
        "content/posts/never.md":
            "---\ntitle: 无\ndate: 2024-01-03\nbuild:\n  render: never\n  list: never\n---\n",
        "content/posts/old-form.md":
            "+++\ntitle = '旧式'\ndate = 2024-01-04\n[_build]\nrender = false\n+++\n",
        "content/posts/assets/index.md": "---\ntitle: headless assets\nheadless: true\n---\n",
    })  # fmt: skip
    kept, skipped, problems = articles(project)
    assert kept == ["content/posts/later.md", "content/posts/a.md"] and problems == ()
    assert skipped["content/posts/old.md"] == (
        "expired, 2024-02-01 (Hugo's expiryDate; use --drafts to include it)"
    )
    assert skipped["content/posts/never.md"] == "not published: build.render is never"
    assert skipped["content/posts/old-form.md"] == "not published: _build.render is false"
    assert skipped["content/posts/assets/index.md"] == (
        "headless bundle: Hugo publishes no page for it"
    )
    assert "content/posts/old.md" in articles(project, drafts=True)[0]
    (project / "hugo.toml").write_text("buildExpired = true\n")
    assert "content/posts/old.md" in articles(project)[0]


def test_a_post_in_several_languages_is_in_the_book_once(make_project):
    project = make_project({
        "hugo.toml": 'defaultContentLanguage = "zh"\n[languages.zh]\n[languages.en]\n',
        "content/posts/one.md": POST.format("一", 1),
        "content/posts/one.en.md": POST.format("One", 1),
        "content/posts/trip/index.en.md": POST.format("Trip", 2),
        "content/posts/trip/index.zh.md": POST.format("旅行", 2),
        "content/posts/only.en.md": POST.format("Only", 3),
    })  # fmt: skip
    config = site.with_site_defaults(load(None, project))
    collection = collect.collect(config)
    assert [(a.title, a.slug, a.permalink) for a in collection.articles()] == [
        ("一", "one", "/posts/one/"),
        ("旅行", "trip", "/posts/trip/"),
    ]
    skipped = dict(collection.skipped)
    assert skipped["content/posts/one.en.md"] == (
        "translation (en) of content/posts/one.md; the book keeps the site's language, zh"
    )
    assert skipped["content/posts/trip/index.en.md"].startswith(
        "translation (en) of content/posts/trip/index.zh.md"
    )
    assert (
        skipped["content/posts/only.en.md"] == "in en only; the book keeps the site's language, zh"
    )


def test_without_languages_the_file_without_a_suffix_is_kept(make_project):
    project = make_project({
        "hugo.toml": 'languageCode = "en-us"\n',
        "content/posts/one.md": POST.format("One", 1),
        "content/posts/one.zh.md": POST.format("一", 1),
        "content/posts/two.fr.md": POST.format("Deux", 2),  # alone: nothing to choose from
    })  # fmt: skip
    kept, skipped, _ = articles(project)
    assert kept == ["content/posts/one.md", "content/posts/two.fr.md"]
    assert skipped["content/posts/one.zh.md"].startswith("translation (zh) of content/posts/one.md")


def test_a_jekyll_page_layout_inside_posts_stays_a_post(make_project):
    project = make_project({
        "_posts/2024-08-01-a.md": "---\ntitle: A\nlayout: page\n---\n",
        "about.md": "---\ntitle: 关于\nlayout: page\n---\n",  # outside _posts: never read
    })  # fmt: skip
    kept, skipped, _ = articles(project)
    assert kept == ["_posts/2024-08-01-a.md"] and "about.md" not in skipped
