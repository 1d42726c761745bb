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
    assert json.loads(out)["chapters"][0]["title"] == "2024年1月"


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
