"""Zenn and Qiita repositories: found, dated, their drafts left out, their Markdown read."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap

import pytest
from lxml import etree
from render_util import NS, boxes, parse, text

from bookmaker import collect as collector
from bookmaker import config as configmod
from bookmaker import markdown
from bookmaker import site as sitemod

ZENN_PACKAGE = json.dumps({"name": "zenn-content", "dependencies": {"zenn-cli": "^0.1.150"}})
ZENN_ARTICLE = textwrap.dedent("""
    ---
    title: "Rustの非同期処理入門"
    emoji: "🦀"
    type: "tech" # tech: 技術記事 / idea: アイデア
    topics: ["rust", "tokio"]
    published: true
    published_at: 2023-05-01 09:00
    ---
    """).lstrip()
QIITA_ARTICLE = textwrap.dedent("""
    ---
    title: {title}
    tags:
      - Ruby
      - Rails
    private: {private}
    updated_at: '{updated}'
    id: {id}
    organization_url_name: null
    slide: false
    ignorePublish: false
    ---
    """).lstrip()


def zenn_repo(make_project, articles: dict[str, str]):
    files = {f"articles/{name}.md": body for name, body in articles.items()}
    return make_project({
        "package.json": ZENN_PACKAGE,
        "README.md": "# Zenn Contents\n",
        "images/.keep": "",
        "books/my-book/config.yaml": 'title: "本"\nchapters:\n  - intro\n',
        "books/my-book/intro.md": '---\ntitle: "はじめに"\n---\n本の章です。\n',
        **files,
    })  # fmt: skip


def zenn(body: str) -> str:
    return ZENN_ARTICLE + body


def qiita(title="Rubyの小技", private="false", updated="2023-07-10T12:34:56+09:00", id="0123ab",
          body="本文です。") -> str:  # fmt: skip
    fields = {"title": title, "private": private, "updated": updated, "id": id}
    return QIITA_ARTICLE.format(**fields) + body


def load(project):
    return sitemod.with_site_defaults(configmod.load(None, project))


def books(project) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """Each article of the book: its file -> (title, date and time, tags)."""
    collection = collector.collect(load(project))
    return {
        a.rel: (a.title, a.date.isoformat(), a.tags) for a in collection.articles()
    }  # fmt: skip


def rendered(project, name: str) -> markdown.RenderedArticle:
    config = load(project)
    collection = collector.collect(config)
    ctx = markdown.RenderContext.create(config, collection)
    return next(markdown.render(a, ctx) for a in collection.articles() if a.rel == name)


def test_a_zenn_repository_is_a_japanese_book_of_its_articles(make_project):
    project = zenn_repo(make_project, {
        "rust-async": zenn("本文です。"),
        "draft": '---\ntitle: "下書き"\nemoji: "📝"\ntype: "idea"\ntopics: []\n'
                 "published: false\n---\nまだです。\n",
    })  # fmt: skip
    config = load(project)
    found = sitemod.detect(config)
    assert (found.kind, found.content_dirs) == ("zenn", (project.resolve() / "articles",))
    assert found.found_by == f"Zenn repository ({project.resolve() / 'articles'})"
    # Japanese, and dated in Japan time as zenn.dev shows it
    assert (config.book.language, config.book.timezone) == ("ja", "+09:00")
    # `published_at` dates it, `topics` are its tags; the book's chapters are no articles
    assert books(project) == {
        "articles/rust-async.md": (
            "Rustの非同期処理入門", "2023-05-01T09:00:00+09:00", ("rust", "tokio"),
        ),
    }  # fmt: skip


def test_a_zenn_folder_without_package_json_is_known_by_its_front_matter(make_project):
    project = make_project({"articles/a.md": zenn("本文")})
    assert sitemod.detect(configmod.load(None, project)).kind == "zenn"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_an_obsidian_vaults_articles_with_topics_are_notes_not_zenn(make_project, run_cli):
    note = "---\ncreated: {}\ntopics: [{}]\n---\n\n# {}\n\n读完了。\n"
    project = make_project({
        ".obsidian/app.json": "{}",
        "articles/三体.md": note.format("2024-01-02", "读书", "读《三体》"),
        "articles/go.md": note.format("2024-02-02", "编程", "学 Go"),
        "日记/2024-01-03.md": "---\ncreated: 2024-01-03\n---\n\n今天很冷。\n",
    })  # fmt: skip
    status, out, err = run_cli(project, "list", "--json")
    assert status == 0, err
    listing = json.loads(out)
    titles = [a["title"] for c in listing["chapters"] for a in c["articles"]]
    assert titles == ["读《三体》", "2024年1月3日 星期三", "学 Go"]
    assert load(project).book.language == "zh-CN"


def test_a_zenn_article_without_published_at_is_dated_by_its_first_commit(make_project):
    undated = zenn("本文").replace("published_at: 2023-05-01 09:00\n", "")
    project = zenn_repo(make_project, {"go-cli": undated})
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_COMMITTER_DATE": "2023-04-02T10:00:00+09:00",
        "GIT_AUTHOR_DATE": "2023-03-30T08:00:00+09:00",
    }
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-C", str(project)]
    subprocess.run([*git, "init", "-q"], check=True, env=env)
    subprocess.run([*git, "add", "-A"], check=True, env=env)
    subprocess.run([*git, "commit", "-qm", "記事を追加"], check=True, env=env)
    # an edit later does not move it: zenn.dev keeps the day it was first published
    make_project({"articles/go-cli.md": undated + "追記。\n"})
    subprocess.run([*git, "commit", "-qam", "追記"], check=True, env={
        **env, "GIT_COMMITTER_DATE": "2024-01-01T10:00:00+09:00"
    })  # fmt: skip
    assert books(project)["articles/go-cli.md"][1] == "2023-04-02T10:00:00+09:00"


def test_a_qiita_repository_leaves_out_what_qiita_does_not_show(make_project):
    project = make_project({
        "qiita.config.json": '{"includePrivate": false}',
        "public/ruby-tips.md": qiita(),
        "public/limited.md": qiita(title="限定共有", private="true"),
        "public/newarticle.md": qiita(title="新しい記事", updated="", id="null"),
    })  # fmt: skip
    config = load(project)
    assert sitemod.detect(config).kind == "qiita"
    assert config.book.language == "ja"
    assert books(project) == {
        "public/ruby-tips.md": ("Rubyの小技", "2023-07-10T12:34:56+09:00", ("Ruby", "Rails")),
    }
    everything = collector.collect(config.override("content", drafts=True))
    assert len(list(everything.articles())) == 3


BOXES = """
:::message
この記事はRust 1.70を前提としています。
:::

:::message alert
`unsafe`なコードは使わないでください。
:::

:::details 補足：Cargo.tomlの設定
```toml:Cargo.toml
[dependencies]
```
:::
"""


def test_zenn_boxes_are_boxes_and_its_accordion_is_open(make_project):
    project = zenn_repo(make_project, {"a": zenn(BOXES)})
    xhtml = rendered(project, "articles/a.md").xhtml
    assert boxes(xhtml) == [
        ("callout callout-note", "注意", "この記事はRust1.70を前提としています。"),
        ("callout callout-warning", "警告", "unsafeなコードは使わないでください。"),
    ]
    details = parse(xhtml).find(".//h:details", NS)
    assert details.get("open") == "open"
    assert "".join(details.find("h:summary", NS).itertext()) == "補足：Cargo.tomlの設定"
    assert "[dependencies]" in "".join(details.find(".//h:pre", NS).itertext())
    assert ":::" not in text(xhtml)


def test_qiita_notes_are_boxes_of_their_kind(make_project):
    body = (
        ":::note info\n情報です。\n:::\n\n:::note warn\n古い。\n:::\n\n:::note alert\n危ない。\n:::"
    )
    project = make_project({"qiita.config.json": "{}", "public/a.md": qiita(body=body)})
    assert boxes(rendered(project, "public/a.md").xhtml) == [
        ("callout callout-info", "情報", "情報です。"),
        ("callout callout-warning", "警告", "古い。"),
        ("callout callout-danger", "危険", "危ない。"),
    ]


def test_a_fence_shows_its_file_name_and_qiitas_math_fence_is_math(make_project):
    body = (
        "```rust:src/main.rs\nfn main() {}\n```\n\n```math\ne^{i\\pi} = -1\n```\n\n"
        "```diff_ruby:app.rb\n- puts 1\n+ puts 2\n```\n"
    )
    project = make_project({"qiita.config.json": "{}", "public/a.md": qiita(body=body)})
    root = parse(rendered(project, "public/a.md").xhtml)
    names = ["".join(s.itertext()) for s in root.iterfind(".//h:span[@class='filename']", NS)]
    assert names == ["src/main.rs", "app.rb"]
    assert "".join(root.find(".//h:pre", NS).itertext()) == "fn main() {}\n"
    # Qiita's diff of Ruby code: a diff, its lines marked deleted and inserted
    marked = root.findall(".//h:pre//h:span[@class]", NS)
    assert [(s.get("class"), s.text) for s in marked[-2:]] == [
        ("gd", "- puts 1"),
        ("gi", "+ puts 2"),
    ]
    formula = root.find(".//h:div[@class='math-display']/m:math", NS)
    assert formula.get("alttext") == "e^{i\\pi} = -1"


EMBEDS = """
@[youtube](dQw4w9WgXcQ)

@[tweet](https://twitter.com/zenn_dev/status/1234567890)

@[card](https://tokio.rs/tokio/tutorial)

@[speakerdeck](abc123)

価格は{{ price }}円です^[税込み]。
"""


def test_zenn_embeds_are_links_and_inline_footnotes_are_footnotes(make_project):
    project = zenn_repo(make_project, {"a": zenn(EMBEDS)})
    r = rendered(project, "articles/a.md")
    root = parse(r.xhtml)
    assert [a.get("href") for a in root.iterfind(".//h:a", NS) if "footnote" not in (
        a.get("class") or "")] == [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://twitter.com/zenn_dev/status/1234567890",
        "https://tokio.rs/tokio/tutorial",
        "https://speakerdeck.com/player/abc123",
    ]  # fmt: skip
    assert "@[" not in text(r.xhtml)
    # no Liquid on Zenn: braces are text; `^[…]` is a footnote
    assert "価格は{{ price }}円です1。" in text(r.xhtml)
    assert "税込み" in text(r.xhtml)
    assert not r.problems


def test_a_zenn_picture_keeps_its_width_and_the_caption_under_it(make_project):
    project = zenn_repo(
        make_project, {"a": zenn("![](/images/a/diagram.png =250x)\n*処理の流れ*\n")}
    )
    (project / "images/a").mkdir(parents=True)
    from PIL import Image

    Image.new("RGB", (800, 500), "white").save(project / "images/a/diagram.png")
    r = rendered(project, "articles/a.md")
    figure = parse(r.xhtml).find(".//h:figure", NS)
    assert figure.find("h:img", NS).get("width") == "250"
    assert figure.find("h:img", NS).get("alt") == "処理の流れ"
    assert "".join(figure.find("h:figcaption", NS).itertext()) == "処理の流れ"
    assert not r.problems


def test_a_link_to_an_article_of_the_book_on_zenn_or_qiita_leads_into_the_book(
    make_project, tmp_path
):
    body = (
        "前回の記事「[非同期処理](https://zenn.dev/taro/articles/rust-async)」と\n"
        "https://zenn.dev/hanako/articles/0123456789abcd\n\n"
        "https://zenn.dev/taro/articles/rust-async\n"
    )
    project = zenn_repo(make_project, {"rust-async": zenn("本文"), "next": zenn(body)})
    root = parse(rendered(project, "articles/next.md").xhtml)
    shown = [(a.get("href"), "".join(a.itertext())) for a in root.iter() if a.get("href")]
    assert shown == [
        ("#rust-async", "非同期処理"),
        # another user's article, not in the book, stays on zenn.dev
        ("https://zenn.dev/hanako/articles/0123456789abcd",) * 2,
        # a URL alone on its line is a card: it shows the article's title, as Zenn does
        ("#rust-async", "Rustの非同期処理入門"),
    ]

    body = "[前回](https://qiita.com/taro/items/0123ab)を参照。"
    project = make_project({
        "qiita.config.json": "{}",
        "public/a.md": qiita(),
        "public/b.md": qiita(title="続き", id="4567cd", body=body),
    }, tmp_path / "qiita")  # fmt: skip
    root = parse(rendered(project, "public/b.md").xhtml)
    first = next(a for a in collector.collect(load(project)).articles() if a.rel == "public/a.md")
    assert [a.get("href") for a in root.iter() if a.get("href")] == [f"#{first.slug}"]


def test_inline_math_written_against_japanese_text_is_math(make_project):
    body = "数式$x^2$です。変数$a$と$b$の和。価格は$100から$200です。\n"
    project = zenn_repo(make_project, {"a": zenn(body)})
    root = parse(rendered(project, "articles/a.md").xhtml)
    formulas = [m.get("alttext") for m in root.iterfind(".//m:math", NS)]
    assert formulas == ["x^2", "a", "b"]
    assert "価格は$100から$200です。" in text(rendered(project, "articles/a.md").xhtml)


def test_a_box_in_a_list_item_stays_in_the_item(make_project):
    body = "1. 手順その1\n   :::message\n   リスト内のメモ\n   :::\n2. 手順その2\n"
    project = zenn_repo(make_project, {"a": zenn(body)})
    xhtml = rendered(project, "articles/a.md").xhtml
    items = parse(xhtml).findall("h:ol/h:li", NS)
    assert len(items) == 2 and len(parse(xhtml).findall("h:ol", NS)) == 1
    assert boxes(etree.tostring(items[0][-1], encoding="unicode")) == [
        ("callout callout-note", "注意", "リスト内のメモ")
    ]


def test_a_zenn_book_builds_and_asks_for_alt_text_in_japanese(make_project, run_cli):
    from PIL import Image

    project = zenn_repo(make_project, {"a": zenn("![](/images/a.png)\n\n本文です。\n")})
    Image.new("RGB", (40, 30), "white").save(project / "images/a.png")
    status, _, err = run_cli(project, "epub", "-o", "build/")
    assert status == 0 and (project / "build" / f"{project.name}.epub").is_file()
    assert (
        "articles/a.md:9: warning: image a.png has no text alternative (alt text): screen "
        "readers skip it; describe it: ![説明](…)\n"
    ) in err
    assert "Obsidian" not in err  # (a Zenn article has no Obsidian embeds)


def test_an_undated_zenn_article_outside_git_says_how_to_date_it(make_project, run_cli):
    undated = zenn("本文").replace("published_at: 2023-05-01 09:00\n", "")
    project = zenn_repo(make_project, {"go-cli": undated, "a": zenn("本文")})
    status, _, err = run_cli(project, "list")
    assert status == 1
    assert (
        "articles/go-cli.md: error: no date: add `published_at: YYYY-MM-DD HH:MM` (the day "
        "zenn.dev published it) to its front matter, or commit it to the repository: its "
        "first commit dates it (or use --undated=end)"
    ) in err
