"""A site's own config fills in what bookmaker.toml leaves out: author, description, language."""

from __future__ import annotations

import json


def test_jekyll_author_description_and_language_reach_the_book(make_project, run_cli):
    project = make_project(
        {
            "_config.yml": """
                title: 山居笔记
                author:
                  name: 周山
                description: 一个人的山居日常
                lang: zh_tw
            """,
            "_posts/2024-05-01-first.md": "---\ntitle: 第一篇\n---\n\n山里下雨了。\n",
        }
    )
    from bookmaker import collect, render, site
    from bookmaker.config import load

    config = site.with_site_defaults(load(None, project))
    assert config.book.language == "zh-TW"
    meta = render.book_meta(config, collect.collect(config))
    assert (meta.title, meta.author, meta.description) == ("山居笔记", "周山", "一个人的山居日常")


def test_the_file_wins_over_the_site(make_project):
    project = make_project(
        {
            "bookmaker.toml": '[book]\nlanguage = "zh-CN"\nauthor = "林"\n',
            "hugo.toml": 'title = "x"\nlanguageCode = "ja"\n[params]\nauthor = "Y"\n',
            "content/posts/a.md": '+++\ntitle = "a"\ndate = 2024-01-02\n+++\n\n本文。\n',
        }
    )
    from bookmaker import collect, render, site
    from bookmaker.config import load

    config = site.with_site_defaults(load(None, project))
    assert config.book.language == "zh-CN"
    assert render.book_meta(config, collect.collect(config)).author == "林"


def test_hugo_language_code_sets_the_book_language_in_list(make_project, run_cli):
    project = make_project(
        {
            "hugo.toml": 'title = "旅の記録"\nlanguageCode = "ja-jp"\n',
            "content/posts/a.md": '+++\ntitle = "京都"\ndate = 2024-01-02\n+++\n\n本文。\n',
        }
    )
    status, out, _ = run_cli(project, "list", "--json")
    assert status == 0
    assert json.loads(out)["chapters"][0]["title"] == "2024年"


def test_conversion_titles_and_language_follow_the_converted_text(make_project):
    project = make_project(
        {
            "bookmaker.toml": '[book]\ntitle = "回老家过年"\n[typography]\nconvert = "s2twp"\n',
            "content/posts/2024-01-02-a.md": "---\ntitle: 回老家过年\n---\n\n头发干了。\n",
        }
    )
    from bookmaker import collect, render, site
    from bookmaker.config import load

    config = site.with_site_defaults(load(None, project))
    book = render.render_book(config, collect.collect(config), workers=1)
    assert book.meta.language == "zh-TW"
    assert book.meta.title == "回老家過年"
    assert book.chapters[0].articles[0].title == "回老家過年"
    assert book.rendered[0].article.title == "回老家過年"
    assert "頭髮乾了" in book.rendered[0].xhtml.replace("\u2060", "")  # orphan control


def test_hugo_split_config_and_new_permalinks_reach_the_book(make_project):
    project = make_project(
        {
            "hugo.toml": 'title = "Blowfish 站"\n[permalinks.page]\nposts = "/:year/:slug/"\n',
            "config/_default/params.toml": 'description = "山居"\n[Author]\nname = "周山"\n',
            "content/posts/a.md": '+++\ntitle = "一"\ndate = 2024-01-02\nslug = "one"\n+++\n',
        }
    )
    from bookmaker import collect, render, site
    from bookmaker.config import load

    config = site.with_site_defaults(load(None, project))
    collection = collect.collect(config)
    meta = render.book_meta(config, collection)
    assert (meta.title, meta.author, meta.description) == ("Blowfish 站", "周山", "山居")
    assert collection.articles()[0].permalink == "/2024/one/"  # an in-book link's address


def test_hugo_author_per_language_or_as_a_list(make_project):
    from bookmaker import site
    from bookmaker.config import load

    project = make_project(
        {
            "config/_default/hugo.toml": 'defaultContentLanguage = "zh"\n',
            "config/_default/languages.zh.toml": '[params]\nauthor = {name = "林"}\n',
            "config/_default/permalinks.yaml": "page:\n  post: /p/:slug/\n",
            "content/post/a.md": '+++\ntitle = "一"\ndate = 2024-01-02\n+++\n',
        }
    )
    s = site.detect(load(None, project))
    assert (s.kind, s.author, s.permalink) == ("hugo", "林", "/p/:slug/")
    (project / "config/_default/params.yaml").write_text("author: [林, 周]\n")  # PaperMod's
    assert site.detect(load(None, project)).author == "林、周"


def test_a_jekyll_sites_time_zone_dates_its_posts_as_jekyll_does(make_project, run_cli):
    project = make_project(
        {
            "_config.yml": "timezone: Asia/Shanghai\npermalink: /:year/:month/:day/:title/\n",
            "_posts/2016-09-18-late.md": "---\ntitle: 深夜\ndate: 2016-09-18 23:30:00 -0500\n---\n",
            "_posts/2016-09-20-next.md": "---\ntitle: 次日\n---\n\n见[那篇](/2016/09/19/late/)。\n",
        }
    )
    status, out, _ = run_cli(project, "list", "-v")
    assert status == 0
    assert "2016-09-19  深夜" in out and "url=/2016/09/19/late/" in out
    from bookmaker import collect, render, site
    from bookmaker.config import load

    config = site.with_site_defaults(load(None, project))
    book = render.render_book(config, collect.collect(config), workers=1)
    assert 'href="#late"' in book.rendered[1].xhtml  # an in-book link: the URL Jekyll made
    assert book.rendered[1].article.date.isoformat() == "2016-09-20T00:00:00+08:00"


def test_the_site_zone_and_future_yield_to_bookmaker_toml(make_project):
    from bookmaker import collect, site
    from bookmaker.config import load

    project = make_project(
        {
            "_config.yml": "timezone: America/New_York\nfuture: true\n",
            "_posts/2024-07-01-a.md": "---\ntitle: A\ndate: 2024-07-01 10:00\n---\n",
            "_posts/2999-01-01-later.md": "---\ntitle: Later\n---\n",
        }
    )
    articles = collect.collect(site.with_site_defaults(load(None, project))).articles()
    assert [(a.title, a.date.isoformat()) for a in articles] == [
        ("A", "2024-07-01T10:00:00-04:00"),
        ("Later", "2999-01-01T00:00:00-05:00"),
    ]
    (project / "bookmaker.toml").write_text(
        '[book]\ntimezone = "+08:00"\n[content]\nfuture = false\n'
    )
    articles = collect.collect(site.with_site_defaults(load(None, project))).articles()
    assert [(a.title, a.date.isoformat()) for a in articles] == [("A", "2024-07-01T10:00:00+08:00")]


def test_a_hugo_sites_time_zone_dates_naive_dates(make_project):
    from bookmaker import collect, site
    from bookmaker.config import load

    project = make_project(
        {
            "hugo.toml": 'timeZone = "Europe/Berlin"\n',
            "content/posts/a.md": '+++\ntitle = "a"\ndate = "2024-01-02T10:00:00"\n+++\n',
        }
    )
    [a] = collect.collect(site.with_site_defaults(load(None, project))).articles()
    assert a.date.isoformat() == "2024-01-02T10:00:00+01:00"


def test_a_site_zone_that_is_no_zone_is_named_and_left_aside(make_project, caplog):
    from bookmaker import collect, site
    from bookmaker.config import load

    project = make_project(
        {"_config.yml": "timezone: Mars/Olympus\n", "_posts/2024-07-01-a.md": "# A\n"}
    )
    [a] = collect.collect(site.with_site_defaults(load(None, project))).articles()
    assert a.date.isoformat() == "2024-07-01T00:00:00+08:00"
    assert "timezone: not a time zone: 'Mars/Olympus'" in caplog.text
    assert "_config.yml" in caplog.text
