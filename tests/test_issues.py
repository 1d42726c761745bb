"""A newsletter archive of numbered issues with no front matter and no dates (issues.py)."""

from __future__ import annotations

import json
import zipfile

from bookmaker import collect as collector
from bookmaker import config as configmod
from bookmaker import issues, render

ISSUE = "# 科技爱好者周刊（第 {n} 期）：{title}\n\n这里记录每周值得分享的科技内容，周五发布。\n"
WEEKLY = {
    "README.md": "# 科技爱好者周刊\n\n- 第 10 期：[十](docs/issue-10.md)\n",
    "docs/issue-1.md": ISSUE.format(n=1, title="创刊号"),
    "docs/issue-2.md": ISSUE.format(n=2, title="第二期"),
    "docs/issue-10.md": ISSUE.format(n=10, title="Rust 的崛起"),
}


def test_a_weekly_of_numbered_issues_is_a_book_in_issue_order(make_project, run_cli):
    project = make_project(WEEKLY)
    status, out, err = run_cli(project, "list", "--json")
    assert status == 0, err
    listing = json.loads(out)
    assert listing["title"] == "科技爱好者周刊"
    assert listing["problems"] == []
    [chapter] = listing["chapters"]
    assert chapter["title"] == ""  # not one chapter called "Undated"
    assert [(a["title"], a["date"]) for a in chapter["articles"]] == [
        ("科技爱好者周刊（第 1 期）：创刊号", None),
        ("科技爱好者周刊（第 2 期）：第二期", None),
        ("科技爱好者周刊（第 10 期）：Rust 的崛起", None),
    ]


def test_an_undated_book_is_not_dated_1970(make_project, run_cli):
    project = make_project(WEEKLY)
    config = configmod.load(None, project)
    meta = render.book_meta(config, collector.collect(config))
    assert (meta.first_date, meta.last_date) == (None, None)  # the cover prints no years
    assert run_cli(project, "epub", "-o", "book.epub")[0] == 0
    with zipfile.ZipFile(project / "book.epub") as book:
        opf = book.read("EPUB/content.opf").decode()
    assert "1970" not in opf and "<dc:title" in opf and "科技爱好者周刊</dc:title>" in opf


def test_undated_articles_at_the_end_are_in_number_order(make_project):
    project = make_project({
        "content/2025-01-01-a.md": "---\ntitle: A\n---\n",
        "content/part-10.md": "---\ntitle: 十\n---\n",
        "content/part-9.md": "---\ntitle: 九\n---\n",
        "content/x.md": "---\ntitle: X\n---\n",
    })  # fmt: skip
    config = configmod.load(None, project).override("content", undated="end")
    got = [a.title for a in collector.collect(config).articles()]
    assert got == ["A", "九", "十", "X"]


def test_a_lone_numbered_file_or_a_vaults_untitled_notes_are_not_issues(make_project):
    project = make_project({
        "notes/draft-1.md": "随手记\n",
        "vault/.obsidian/app.json": "{}",
        "vault/Untitled 1.md": "空白\n",
        "vault/Untitled 2.md": "空白\n",
        "vault/2025-01-01.md": "# 日记\n",
    })  # fmt: skip
    for folder, skipped in (("notes", "draft-1.md"), ("vault", "Untitled 1.md")):
        col = collector.collect(configmod.load(None, project / folder))
        assert skipped in dict(col.skipped)
        assert not any(a.rel == skipped for a in col.articles())


def test_a_blogs_undated_numbered_notes_are_no_issues(make_project, run_cli):
    project = make_project({
        "content/2024-03-01-spring.md": "---\ntitle: 春日随笔\n---\n\n今天去了公园。\n",
        "content/2024-04-02-python.md": "---\ntitle: 学 Python\n---\n\n写了一个脚本。\n",
        "content/notes/part-1.md": "# 读书笔记（一）\n\n还没写完。\n",
        "content/notes/part-2.md": "# 读书笔记（二）\n\n草稿。\n",
        "content/notes/第1章.md": "---\ntitle: 第一章 草稿\n---\n\n小说的开头。\n",
        "content/notes/第2章.md": "---\ntitle: 第二章 草稿\n---\n\n小说的继续。\n",
        "content/notes/part-3.md": "---\ntitle: [未闭合\n---\n\n坏的 YAML。\n",
    })  # fmt: skip
    status, out, err = run_cli(project, "list", "-v")
    assert err.count("content/notes/part-3.md") == 1  # (said once, not for each reading)
    assert status == 1
    assert "春日随笔" in out and "草稿" not in out and "读书笔记" not in out
    assert "content/notes/part-1.md: no front matter and no date in its name" in out
    assert "content/notes/第1章.md: error: no date: add `date: YYYY-MM-DD`" in err
    assert "content/notes/第2章.md: error: no date" in err


def test_a_readme_index_of_encoded_chinese_names_titles_the_book(make_project, run_cli):
    project = make_project({
        "README.md": "# 读书周刊\n\n## 2024\n\n- [第 1 期](%E7%AC%AC1%E6%9C%9F.md)\n"
        "- [第 2 期](./%E7%AC%AC2%E6%9C%9F.md)\n",
        "第1期.md": "# 第 1 期\n\n读了《三体》。\n",
        "第2期.md": "# 第 2 期\n\n读了《活着》。\n",
    })  # fmt: skip
    status, out, err = run_cli(project, "list", "--json")
    assert status == 0, err
    listing = json.loads(out)
    assert listing["title"] == "读书周刊"
    assert [c["title"] for c in listing["chapters"]] == ["2024"]


def test_a_readme_that_indexes_no_file_names_no_book(make_project, run_cli):
    posts = {
        "content/2024-03-01-spring.md": "---\ntitle: 春日随笔\n---\n\n今天去了公园。\n",
        "content/2024-04-02-python.md": "---\ntitle: 学 Python\n---\n\n写了一个脚本。\n",
    }
    backup = make_project({
        "blog/README.md": "# 博客备份\n\n旧博客导出的文章，见 [Typora](https://typora.io)。\n",
        **{f"blog/{rel}": text for rel, text in posts.items()},
        "vault/.obsidian/app.json": "{}",
        "vault/README.md": "# Welcome\n\nThis is your new *vault*. See [notes](notes.md).\n",
        "vault/notes.md": "---\ncreated: 2024-01-05\n---\n\n读了《三体》。\n",
    })  # fmt: skip
    for folder in ("blog", "vault"):
        status, out, err = run_cli(backup / folder, "list", "--json")
        assert status == 0, err
        assert json.loads(out)["title"] == folder


def test_series_are_files_of_one_folder_named_alike_but_for_a_number():
    found = issues.series([
        "docs/issue-1.md", "docs/issue-2.md", "docs/about.md", "old/issue-3.md",
        "第1期.md", "第12期.md", "weekly-001.md",
    ])  # fmt: skip
    assert found == {"docs/issue-1.md", "docs/issue-2.md", "第1期.md", "第12期.md"}
    names = ["issue-10.md", "issue-2.md", "issue-1.md", "about.md"]
    in_order = ["about.md", "issue-1.md", "issue-2.md", "issue-10.md"]
    assert sorted(names, key=issues.order) == in_order


def test_a_folder_with_nothing_to_print_has_no_chapters(make_project):
    project = make_project({"notes/README.md": "# 说明\n", "notes/draft.md": "随手记\n"})
    assert collector.collect(configmod.load(None, project / "notes")).chapters == ()


def test_a_book_of_issues_prints_no_empty_chapter(make_project):
    from bookmaker import pdf, pdfdoc
    from bookmaker.pagesizes import page_size

    project = make_project(WEEKLY)
    config = configmod.load(None, project)
    book = render.render_book(config, collector.collect(config), workers=1)
    [chapter] = book.chapters
    anchors = {pdfdoc.chapter_anchor(chapter): (0,)} | {
        a.slug: (i,) for i, a in enumerate(chapter.articles, 1)
    }
    contents = pdf.toc_entries(book.chapters, book, anchors)
    assert [e["title"] for e in contents] == [a.title for a in chapter.articles]
    outline = pdf.outline_tree(book.chapters, book)
    assert [title for title, _, _ in outline] == [a.title for a in chapter.articles]
    blocks = pdfdoc.blocks(book, pdfdoc.Assets(()), True, page_size("A5"))
    assert "<h1" not in blocks[0].html and "untitled" in blocks[0].html


def test_the_title_page_of_undated_issues_names_no_day(make_project, monkeypatch):
    from bookmaker.layouts import load_layout

    project = make_project(WEEKLY)
    config = configmod.load(None, project)

    def front() -> str:
        meta = render.book_meta(config, collector.collect(config))
        return load_layout(project).render(
            "print/front.html", meta=meta, labels={"made": "制作："}, entries=(), stylesheets=()
        )

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert "制作" not in front()  # not "制作：2000-01-01"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert "<p>制作：2023-11-15</p>" in front()


def test_newest_first_puts_the_last_issue_first(make_project):
    config = configmod.load(None, make_project(WEEKLY)).override("chapters", order="newest")
    assert [a.rel for a in collector.collect(config).articles()] == [
        "docs/issue-10.md", "docs/issue-2.md", "docs/issue-1.md"
    ]  # fmt: skip


def test_the_readme_index_years_are_the_chapters(make_project):
    readme = (
        "# 科技爱好者周刊\n\n## 如何搜索\n\n[搜索](https://sourcegraph.com/)\n\n"
        "## 2019\n\n**一月**\n\n- 第 10 期：[十](docs/issue-10.md)\n\n"
        "## 2018\n\n- 第 2 期：[二](./docs/issue-2.md)\n- 第 1 期：[一](docs/issue-1.md)\n"
    )
    project = make_project({**WEEKLY, "README.md": readme})
    col = collector.collect(configmod.load(None, project))
    assert [(c.title, [a.rel for a in c.articles]) for c in col.chapters] == [
        ("2018", ["docs/issue-1.md", "docs/issue-2.md"]),
        ("2019", ["docs/issue-10.md"]),
    ]
    assert col.problems == ()
    partial = make_project({**WEEKLY, "README.md": readme.split("## 2018")[0]}, project / "p")
    [chapter] = collector.collect(configmod.load(None, partial)).chapters
    assert chapter.title == "" and len(chapter.articles) == 3  # not "Other"
