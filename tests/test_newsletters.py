"""Newsletter exports' front matter: Buttondown's `subject`/`publish_date`/`status`, Ghost's
`published_at` (collect.py)."""

from __future__ import annotations

from bookmaker import collect as collector
from bookmaker import config as configmod


def _collect(project, **content):
    config = configmod.load(None, project)
    return collector.collect(config.override("content", **content) if content else config)


BUTTONDOWN = """\
---
id: 0b1c2d3e-aaaa
subject: {subject}
status: {status}
slug: {slug}
publish_date: '{when}'
---

大家好，这是本周的通讯。
"""


def test_a_buttondown_export_is_titled_by_subject_and_dated_by_publish_date(make_project):
    project = make_project({
        "emails/second.md": BUTTONDOWN.format(
            subject="第二封信：关于 Rust", status="sent", slug="second",
            when="2024-03-08T08:00:00.123456Z",
        ),
        "emails/welcome.md": BUTTONDOWN.format(
            subject="你好，世界", status="imported", slug="welcome", when="2024-03-01T08:00:00Z"
        ),
        "emails/unsent.md": BUTTONDOWN.format(
            subject="还没写完", status="draft", slug="unsent", when="2024-03-20T08:00:00Z"
        ),
    })  # fmt: skip
    col = _collect(project)
    assert [(a.title, a.date.date().isoformat()) for a in col.articles()] == [
        ("你好，世界", "2024-03-01"),
        ("第二封信：关于 Rust", "2024-03-08"),
    ]
    assert col.problems == ()
    assert dict(col.skipped)["emails/unsent.md"].startswith("draft")
    assert "还没写完" in [a.title for a in _collect(project, drafts=True).articles()]


def test_a_title_wins_over_a_subject_and_ghosts_published_at_dates(make_project):
    project = make_project({
        "posts/a.md": "---\ntitle: 标题\nsubject: 邮件主题\n"
        "published_at: 2023-05-06T10:00:00.000Z\n---\n正文\n",
    })  # fmt: skip
    [a] = _collect(project).articles()
    assert (a.title, a.date.date().isoformat()) == ("标题", "2023-05-06")


def test_pictures_on_the_web_are_named_a_few_times_then_counted(make_project, run_cli):
    img = "![](https://cdn.example.com/{n}.webp)"
    project = make_project({
        f"emails/{n}.md": f"---\nsubject: 第 {n} 封\npublish_date: 2024-03-0{n}\n---\n\n"
        f"正文。\n\n{img.format(n=n)}\n\n{img.format(n=n + 10)}\n"
        for n in (1, 2, 3)
    })  # fmt: skip
    status, _, err = run_cli(project, "epub", "-o", "book.epub")
    assert status == 0
    lines = err.splitlines()
    assert sum("remote image not downloaded" in line for line in lines) == 4
    assert "… 3 more like these: remote image not downloaded (use --fetch-remote)" in lines
    assert lines[-1] == "0 error(s), 6 warning(s)"


def test_a_buttondown_pull_is_its_emails_titled_as_the_newsletter(make_project, run_cli):
    import json

    project = make_project({
        ".buttondown-sync.json": "{}",
        "newsletter.json": '{"name": "技术周信", "description": "写给好奇的程序员。"}',
        "emails/welcome.md": BUTTONDOWN.format(
            subject="你好，世界", status="sent", slug="welcome", when="2024-03-01T08:00:00Z"
        ),
        "snippets/signature.md": "---\nname: signature\n---\n\n—— 小舟\n",
        "media/.keep": "",
    })  # fmt: skip
    status, out, err = run_cli(project, "list", "--json")
    assert status == 0, err
    listing = json.loads(out)
    assert listing["title"] == "技术周信" and listing["problems"] == []
    assert [a["path"] for c in listing["chapters"] for a in c["articles"]] == ["emails/welcome.md"]
    config = configmod.load(None, project)
    assert collector.collect(config).site.description == "写给好奇的程序员。"


def test_a_ghost_posts_feature_image_opens_it(make_project):
    project = make_project({
        "posts/a.md": "---\ntitle: 标题\npublished_at: 2023-05-06T10:00:00.000Z\n"
        "feature_image: /content/images/cover.jpg\n---\n正文\n",
    })  # fmt: skip
    [a] = _collect(project).articles()
    assert a.cover is not None and a.cover.src == "/content/images/cover.jpg"
