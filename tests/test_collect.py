"""The collector: finding, reading, dating, filtering, ordering and grouping articles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bookmaker import collect as collector
from bookmaker import config as configmod
from bookmaker.errors import ConfigError

DATA = Path(__file__).parent / "data"


def run(folder: Path, toml: str = "", **content):
    if toml:
        (folder / "bookmaker.toml").write_text(toml, encoding="utf-8")
    c = configmod.load(None, folder)
    if content:
        c = c.override("content", **content)
    return collector.collect(c)


def titles(collection):
    return [a.title for a in collection.articles()]


def test_jekyll_layout_with_category_folders():
    col = run(DATA / "jekyll-site")
    by_path = {a.rel: a for a in col.articles()}
    assert list(by_path) == [
        "_posts/2025-01-05-first-snow.md",
        "_posts/travel/2025-02-11-train-to-xian.md",
        "tech/_posts/2025-02-20-ruby-upgrade.md",
    ]
    ruby = by_path["tech/_posts/2025-02-20-ruby-upgrade.md"]
    assert ruby.categories == ("tech",)
    assert ruby.permalink == "/tech/2025/02/20/ruby-upgrade/"
    train = by_path["_posts/travel/2025-02-11-train-to-xian.md"]
    assert train.categories == ("travel",)
    assert train.tags == ("旅行", "火车")  # a space-separated string, Jekyll's way
    assert train.permalink == "/2025/02/11/train-to-xian/"  # folders inside _posts: no URL part
    assert [c.title for c in col.chapters] == ["2025年"]  # 3 posts in 2 months: by year
    assert ("_drafts/half-written-idea.md", "draft (use --drafts to include it)") in col.skipped


def test_hugo_layout_bundles_and_section_pages():
    col = run(DATA / "hugo-site")
    arts = {a.rel: a for a in col.articles()}
    assert list(arts) == [
        "content/posts/2025-03-01-spring-walk/index.md",
        "content/posts/reading-list.md",
    ]
    bundle = arts["content/posts/2025-03-01-spring-walk/index.md"]
    assert (bundle.slug, bundle.permalink) == ("spring-walk", "/2025/03/spring-walk/")
    assert arts["content/posts/reading-list.md"].permalink == "/2025/03/march-books/"
    skipped = dict(col.skipped)
    assert skipped["content/_index.md"] == skipped["content/posts/_index.md"]
    assert "draft" in skipped["content/posts/unfinished.md"]
    assert skipped["content/about.md"].startswith("not a post: outside the site's posts")
    # Folders chosen in bookmaker.toml: every page in them is an article.
    about = {a.rel: a for a in run(DATA / "hugo-site", dirs=("content",)).articles()}
    assert about["content/about.md"].permalink == "/about-me/"


def test_order_by_date_then_path_across_date_shapes(make_project):
    project = make_project({
        "content/b.md": "---\ntitle: B\ndate: 2025-10-23 10:00:00\n---\n",
        "content/a.md": "---\ntitle: A\ndate: 2025-10-23T10:00:00+08:00\n---\n",
        "content/c.md": "---\ntitle: C\ndate: '2025-10-23T03:00:00Z'\n---\n",
        "content/d.md": "+++\ntitle = 'D'\ndate = 2016-04-26\n+++\n",
        "content/e.md": "---\ntitle: E\ndate: 2016-4-26 9:05:00 +0800\n---\n",
        "content/2025-10-01-f.md": "# F\n",
    })  # fmt: skip
    assert titles(run(project)) == ["D", "E", "F", "A", "B", "C"]


def test_title_fallbacks(make_project):
    project = make_project({
        "content/2025-01-01-from-front.md": "---\ntitle: 前言\n---\n# 不是标题\n",
        "content/2025-01-02-from-heading.md": "---\ntags: [x]\n---\n\n# 来自标题\n\n正文第一段\n",
        "content/2025-01-03-from-setext.md": "来自下划线标题\n=======\n正文\n",
        "content/2025-01-04-from-name.md": "---\ndate: 2025-01-04\n---\n只有正文\n",
        "content/2025-01-05-no.md": "---\ntitle: no\n---\n",
        "content/2025-01-06-repeat.md": "---\ntitle: 重复\n---\n# 重复\n\n正文\n",
    })  # fmt: skip
    arts = run(project).articles()
    assert [a.title for a in arts] == [
        "前言",
        "来自标题",
        "来自下划线标题",
        "from name",
        "no",
        "重复",
    ]
    front, heading, setext, _, _, repeat = arts
    assert front.body.startswith("# 不是标题")  # a different heading stays in the body
    assert heading.body == "\n正文第一段\n" and heading.body_line == 6
    assert setext.body == "正文\n" and setext.body_line == 3
    assert repeat.body == "\n正文\n" and repeat.body_line == 5


@pytest.mark.parametrize(
    ("language", "title"),
    [("zh-CN", "2024年8月8日 星期四"), ("zh-TW", "2024年8月8日 星期四"),
     ("ja", "2024年8月8日（木）"), ("en", "Thursday, August 8, 2024")],
)  # fmt: skip
def test_a_daily_note_is_titled_by_its_day(make_project, language, title):
    project = make_project({"content/2024-08-08.md": "---\ntags: [日记]\n---\n\n晴。\n"})
    c = configmod.load(None, project).override("book", language=language)
    [note] = collector.collect(c).articles()
    assert note.title == title


def test_a_jekyll_post_is_titled_from_its_slug_as_jekyll_does(make_project):
    project = make_project({
        "_posts/2024-01-01-my-first-post.md": "---\nlayout: post\n---\n\n正文。\n",
        "_posts/2024-01-02-旅行-notes.md": "---\nlayout: post\n---\n\n正文。\n",
        "_posts/2024-01-03-snake_case-iOS.md": "---\nlayout: post\n---\n\n正文。\n",
    })  # fmt: skip
    assert titles(run(project)) == ["My First Post", "旅行 Notes", "Snake Case Ios"]


def test_body_line_points_at_the_body(make_project):
    project = make_project(
        {"content/2025-01-01-a.md": "---\ntitle: A\ndate: 2025-01-01\n---\nfirst\n"}
    )
    [a] = run(project).articles()
    text = (project / "content/2025-01-01-a.md").read_text().split("\n")
    assert text[a.body_line - 1] == a.body.split("\n")[0] == "first"


def test_drafts_and_future_posts_are_left_out_unless_asked(make_project):
    project = make_project({
        "content/2025-01-01-draft.md": "---\ntitle: D\ndraft: true\n---\n",
        "content/2025-01-02-unpublished.md": "---\ntitle: U\npublished: false\n---\n",
        "content/2999-01-01-future.md": "---\ntitle: F\n---\n",
        "content/2025-01-03-ok.md": "---\ntitle: OK\n---\n",
    })  # fmt: skip
    assert titles(run(project)) == ["OK"]
    assert titles(run(project, drafts=True)) == ["D", "U", "OK"]
    assert titles(run(project, future=True)) == ["OK", "F"]
    skipped = dict(run(project).skipped)
    assert "future" in skipped["content/2999-01-01-future.md"]


def test_broken_yaml_is_reported_with_its_line_and_others_still_collected(make_project):
    project = make_project({
        "content/2025-01-01-good.md": "---\ntitle: Good\n---\n",
        "content/2025-01-02-bad.md": "---\ntitle: Bad\ntags: [a, b\ndate: 2025-01-02\n---\n",
        "content/2025-01-03-also-good.md": "---\ntitle: Also\n---\n",
    })  # fmt: skip
    col = run(project)
    assert titles(col) == ["Good", "Also"]
    [p] = col.problems
    assert (p.path, p.level) == ("content/2025-01-02-bad.md", "error")
    assert p.line in (3, 4) and "YAML" in p.message


def test_bad_date_is_reported_at_its_line(make_project):
    project = make_project({"content/a.md": "---\ntitle: A\ndate: 2025-13-01\n---\n"})
    col = run(project)
    [p] = col.problems
    assert (p.path, p.line, p.level) == ("content/a.md", 3, "error")
    assert "month must be in 1..12" in p.message
    assert col.articles() == ()


def test_notes_are_dated_by_when_they_were_created(make_project):
    project = make_project({
        "content/obsidian.md": "---\ncreated: 2024/07/07\n---\n# 黑曜石\n",
        "content/typora.md": "---\ntitle: 打字\ndate created: 2024-07-08 09:30\n---\n",
        "content/rails.md": "---\ntitle: R\ncreated_at: 2024-07-09T10:00:00+08:00\n---\n",
        "content/both.md": "---\ntitle: 两者\ndate: 2024-07-10\ncreated: 2020-01-01\n---\n",
        "content/2024-07-11-named.md": "---\ntitle: 名\ncreated: 2020-01-01\n---\n",
        "content/bad.md": "---\ntitle: 坏\ncreated: someday\n---\n",
    })  # fmt: skip
    col = run(project)
    assert [(a.title, a.date.date().isoformat()) for a in col.articles()] == [
        ("黑曜石", "2024-07-07"),
        ("打字", "2024-07-08"),
        ("R", "2024-07-09"),
        ("两者", "2024-07-10"),
        ("名", "2024-07-11"),
    ]
    [p] = col.problems
    assert (p.path, p.line, p.level) == ("content/bad.md", 3, "error")
    assert "not a date: 'someday'" in p.message


def test_undated_articles_are_errors_or_placed_last(make_project):
    project = make_project({
        "content/note.md": "---\ntitle: 无日期\n---\n",
        "content/2025-01-01-a.md": "---\ntitle: A\n---\n",
    })  # fmt: skip
    col = run(project)
    assert titles(col) == ["A"]
    assert [(p.path, p.level) for p in col.problems] == [("content/note.md", "error")]
    col = run(project, undated="end")
    assert titles(col) == ["A", "无日期"]
    assert [c.title for c in col.chapters] == ["2025年", "未注明日期"]
    assert col.problems[0].level == "warning"
    traditional = configmod.load(None, project).override("book", language="zh-TW")
    chapters = collector.collect(traditional.override("content", undated="end")).chapters
    assert [c.title for c in chapters] == ["2025年", "未註明日期"]


def test_files_that_are_not_articles_are_skipped_and_listed(make_project):
    project = make_project({
        "content/README.md": "# About this folder\n",
        "content/notes.md": "just notes, no front matter\n",
        "content/_index.md": "---\ntitle: S\n---\n",
        "content/2025-01-01-a.md": "# A\n",
    })  # fmt: skip
    col = run(project)
    assert titles(col) == ["A"]
    assert {rel for rel, _ in col.skipped} == {
        "content/README.md", "content/notes.md", "content/_index.md"
    }  # fmt: skip
    assert col.problems == ()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "gbk",
            "---\ntitle: 中文编码\n---\n我们今天讨论了新的项目计划，大家都觉得很有意思。\n".encode(
                "gbk"
            ),
        ),
        (
            "big5",
            "---\ntitle: 繁體編碼\n---\n我們今天討論了新的專案計畫，大家都覺得很有意思。\n".encode(
                "big5"
            ),
        ),
        (
            "sjis",
            "---\ntitle: 日本語\n---\n今日は新しいプロジェクトについて話し合いました。\n".encode(
                "shift_jis"
            ),
        ),
        ("utf16", "\ufeff---\r\ntitle: 十六位\r\n---\r\n正文\r\n".encode("utf-16-le")),
        ("bom", "\ufeff---\r\ntitle: 带BOM\r\n---\r\n正文\r\n".encode()),
    ],
)
def test_non_utf8_files_are_read_correctly(make_project, name, data):
    project = make_project({f"content/2025-01-01-{name}.md": data})
    [a] = run(project).articles()
    codec = {"gbk": "gbk", "big5": "big5", "sjis": "shift_jis", "utf16": "utf-16"}
    expected = data.decode(codec.get(name, "utf-8-sig"))
    assert a.title == re.search(r"title: (.+?)\r?\n", expected.lstrip("\ufeff"))[1]
    assert "\r" not in a.body


def test_undecodable_file_is_a_problem_not_mojibake(make_project):
    project = make_project({
        "content/2025-01-01-bad.md": b"---\ntitle: x\n---\n\xff\xfe\x80\x81\xff",
        "content/2025-01-02-ok.md": "# ok\n",
    })  # fmt: skip
    col = run(project)
    assert titles(col) == ["ok"]
    [p] = col.problems
    offset = len(b"---\ntitle: x\n---\n")
    assert p.path == "content/2025-01-01-bad.md" and f"offset {offset}" in p.message


def test_slugs_are_ascii_unique_and_start_with_a_letter(make_project):
    project = make_project({
        "content/2025-01-01-hello-world.md": "# a\n",
        "content/sub/2025-01-02-hello-world.md": "# b\n",
        "content/2025-01-03-我的文章.md": "# c\n",
        "content/2025-01-04-143-ways.md": "# d\n",
        "content/2025-01-05-nav.md": "# e\n",
    })  # fmt: skip
    slugs = [a.slug for a in run(project).articles()]
    assert slugs[:2] == ["hello-world", "hello-world-2"]
    assert re.fullmatch(r"p-20250103-[0-9a-f]{6}", slugs[2])
    assert slugs[3:] == ["p-143-ways", "nav-article"]
    assert slugs == [a.slug for a in run(project).articles()]  # deterministic


def test_filters_tags_categories_and_dates(make_project):
    project = make_project({
        "content/2025-01-01-a.md": "---\ntitle: A\ntags: [Travel]\n---\n",
        "content/2025-02-01-b.md": "---\ntitle: B\ncategories: [tech]\n---\n",
        "content/2025-03-01-c.md": "---\ntitle: C\ntags: [travel, food]\n---\n",
    })  # fmt: skip
    assert titles(run(project, tags=("travel",))) == ["A", "C"]
    assert titles(run(project, categories=("tech",))) == ["B"]
    assert titles(run(project, since="2025-02-01")) == ["B", "C"]
    assert titles(run(project, until="2025-02-01")) == ["A", "B"]
    with pytest.raises(ConfigError, match=r"\[content\] since"):
        run(project, since="last week")


def test_include_and_exclude_globs(make_project):
    project = make_project({
        "content/posts/2025-01-01-a.md": "# A\n",
        "content/notes/2025-01-02-b.md": "# B\n",
        "content/posts/old/2025-01-03-c.md": "# C\n",
    })  # fmt: skip
    assert titles(run(project, include=("posts/**/*.md",))) == ["A", "C"]
    assert titles(run(project, exclude=("posts/old/*",))) == ["A", "B"]


def config_with(project: Path, **chapters):
    return configmod.load(None, project).override("chapters", **chapters)


@pytest.fixture
def three_months(make_project):
    return make_project({
        "content/2024-12-30-a.md": "---\ntitle: A\ntags: [生活]\n---\n",
        "content/2025-01-02-b.md": "---\ntitle: B\ntags: [技术, 生活]\n---\n",
        "content/2025-01-20-c.md": "---\ntitle: C\n---\n",
        "content/2025-02-01-d.md": "---\ntitle: D\ntags: [技术]\n---\n",
    })  # fmt: skip


def shape(chapters):
    return [(c.title, c.key, [a.title for a in c.articles], shape(c.chapters)) for c in chapters]


def test_group_by_year_and_month(three_months):
    col = collector.collect(config_with(three_months, group="year/month"))
    assert shape(col.chapters) == [
        ("2024年", "2024", [], [("2024年12月", "2024-12", ["A"], [])]),
        ("2025年", "2025", [], [
            ("2025年1月", "2025-01", ["B", "C"], []), ("2025年2月", "2025-02", ["D"], [])
        ]),
    ]  # fmt: skip
    assert [a.title for a in col.articles()] == ["A", "B", "C", "D"]


def test_group_by_year_newest_first(three_months):
    col = collector.collect(config_with(three_months, group="year", order="newest"))
    assert shape(col.chapters) == [
        ("2025年", "2025", ["D", "C", "B"], []),
        ("2024年", "2024", ["A"], []),
    ]


def test_group_by_tag(three_months):
    col = collector.collect(config_with(three_months, group="tag"))
    assert [(c.title, [a.title for a in c.articles]) for c in col.chapters] == [
        ("生活", ["A"]), ("技术", ["B", "D"]), ("未分类", ["C"])
    ]  # fmt: skip
    keys = [c.key for c in col.chapters]
    assert all(k.isascii() for k in keys) and len(set(keys)) == 3


def test_one_chapter(three_months):
    [chapter] = collector.collect(config_with(three_months, group="none")).chapters
    assert len(chapter.articles) == 4


@pytest.mark.parametrize(
    ("language", "month", "year"),
    [("zh-CN", "2025年1月", "2025年"), ("ja", "2025年1月", "2025年"),
     ("en", "January 2025", "2025"), ("zh-TW", "2025年1月", "2025年")],
)  # fmt: skip
def test_chapter_titles_follow_the_book_language(make_project, language, month, year):
    project = make_project({"content/2025-01-02-b.md": "# B\n"})
    c = configmod.load(None, project).override("book", language=language)
    assert collector.collect(c.override("chapters", group="month")).chapters[0].title == month
    assert collector.collect(c.override("chapters", group="year")).chapters[0].title == year


def test_front_matter_fields(make_project):
    project = make_project({
        "content/2025-01-01-a.md": (
            "---\ntitle: A\nlang: zh-Hant\ndescription: 摘要\naliases: [/old/a/]\n"
            "permalink: /a/\ncategory: 随笔\ntags: 甲，乙\n---\n"
        )
    })  # fmt: skip
    [a] = run(project).articles()
    assert (a.lang, a.description, a.aliases, a.permalink) == (
        "zh-Hant",
        "摘要",
        ("/old/a/",),
        "/a/",
    )
    assert (a.categories, a.tags) == (("随笔",), ("甲", "乙"))


def test_forced_encoding_from_the_command_line(make_project, run_cli):
    data = "---\ntitle: 你好\n---\n".encode("gbk")  # Big5 reads these bytes as 斕疑: unclear
    project = make_project({"content/2025-01-01-a.md": data})
    status, _, err = run_cli(project, "list")
    assert status == 1 and "--encoding" in err
    status, out, err = run_cli(project, "list", "--encoding", "gbk")
    assert status == 0, err
    assert "你好" in out


def test_symlink_out_of_the_site_is_refused(make_project, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: secret\n---\n", encoding="utf-8")
    project = make_project({"content/2025-01-01-a.md": "# A\n"})
    (project / "content/2025-01-02-link.md").symlink_to(secret)
    col = run(project)
    assert titles(col) == ["A"]
    [p] = col.problems
    assert p.path == "content/2025-01-02-link.md" and "outside" in p.message


def test_an_undated_article_shows_no_date_anywhere(make_project, run_cli):
    import json
    import zipfile

    from bookmaker import pdfdoc, render
    from bookmaker.pagesizes import page_size

    project = make_project({
        "content/note.md": "---\ntitle: 无日期\n---\n\n正文。\n",
        "content/a.md": "---\ntitle: A\ndate: 2024-10-10\n---\n\n正文。\n",
    })  # fmt: skip
    status, out, _ = run_cli(project, "list", "--json", "--undated", "end")
    assert status == 0
    undated = json.loads(out)["chapters"][1]["articles"][0]
    assert (undated["title"], undated["date"]) == ("无日期", None)
    _, out, _ = run_cli(project, "list", "--undated", "end")
    assert "2024-10-10  A " in out and "  无日期  content/note.md" in out
    assert out.count("2024-10-10") == 1
    assert run_cli(project, "epub", "--undated", "end", "-o", "book.epub")[0] == 0
    with zipfile.ZipFile(project / "book.epub") as book:
        note = book.read("EPUB/text/note.xhtml").decode()
        opener = book.read("EPUB/chapters/undated.xhtml").decode()
    assert "<time" not in note and "2024" not in note and "2024" not in opener
    config = configmod.load(None, project).override("content", undated="end")
    built = render.render_book(config, collector.collect(config), workers=1)
    blocks = pdfdoc.blocks(built, pdfdoc.Assets(()), True, page_size("A5"))
    [printed] = [b.html for b in blocks if b.anchor == "note"]
    assert "article-date" not in printed and "2024" not in printed


def test_chapters_by_month_for_a_busy_blog_by_year_for_a_quiet_one(make_project):
    """A post a month made one-article chapters, each on a page of its own (in print a
    right-hand page, often with a blank one before it)."""
    busy = make_project({f"content/2025-01-{d:02d}-p.md": f"# 文{d}\n" for d in range(1, 7)})
    busy_more = {f"content/2025-02-{d:02d}-q.md": f"# 又{d}\n" for d in range(1, 4)}
    make_project(busy_more, busy)
    assert [c.title for c in run(busy).chapters] == ["2025年1月", "2025年2月"]
    quiet = make_project(
        {f"content/2024-{m:02d}-03-p.md": f"# 月{m}\n" for m in range(1, 13)}, busy.parent / "q"
    )
    assert [c.title for c in run(quiet).chapters] == ["2024年"]
    chosen = run(quiet, '[chapters]\ngroup = "month"\n')
    assert len(chosen.chapters) == 12  # an explicit choice is kept
