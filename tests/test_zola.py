"""Zola sites: the site found, its pages and URLs, its links, shortcodes and taxonomies."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree
from PIL import Image as PILImage
from render_util import NS, article, boxes, context, parse, text
from render_util import site as a_site

from bookmaker import collect as collector
from bookmaker import config as configmod
from bookmaker import markdown, site, zolatags

CONFIG = """
    base_url = "https://zola.example.cn/notes"
    title = "代码与生活"
    description = "一个 Rust 程序员的博客"
    default_language = "zh-cn"
    taxonomies = [{name = "tags", feed = true}, {name = "categories"}]

    [markdown]
    render_emoji = true

    [extra]
    author = "王小明"
    """
SECTION = '+++\ntitle = "博客"\nsort_by = "date"\n+++\n'


def zola_site(make_project, files: dict[str, str | bytes] | None = None, config: str = CONFIG):
    return make_project({
        "config.toml": config,
        "content/_index.md": '+++\ntitle = "首页"\n+++\n',
        "content/blog/_index.md": SECTION,
        "content/about.md": '+++\ntitle = "关于"\npath = "about"\n+++\n我是王小明。',
        "templates/index.html": "{{ section.title }}",
        **(files or {}),
    })  # fmt: skip


def collect(project):
    return collector.collect(configmod.load(None, project))


def rendered(project) -> dict[str, markdown.RenderedArticle]:
    """Every article of the book, rendered as the build renders it (pictures and all)."""
    config = configmod.load(None, project)
    collection = collector.collect(config)
    ctx = markdown.RenderContext.create(config, collection)
    return {a.rel: markdown.render(a, ctx) for a in collection.articles()}


def hrefs(r: markdown.RenderedArticle) -> list[str]:
    return [a.get("href") for a in parse(r.xhtml).iterfind(".//h:a", NS)]


def warnings(r: markdown.RenderedArticle) -> list[str]:
    return [str(p) for p in r.problems]


def test_a_zola_site_is_found_with_its_settings(make_project):
    project = zola_site(make_project, {"content/blog/a.md": '+++\ntitle = "A"\n+++\n正文'})
    s = site.detect(configmod.load(None, project))
    root = project.resolve()
    assert (s.kind, s.found_by) == ("zola", f"Zola site (config.toml at {root})")
    assert s.content_dirs == (root / "content",)
    assert s.static_dirs == (root / "static", root / "content")  # pictures beside a page too
    assert (s.url, s.baseurl, s.title, s.description, s.author, s.language, s.emoji) == (
        "https://zola.example.cn", "/notes", "代码与生活", "一个 Rust 程序员的博客", "王小明",
        "zh-CN", True,
    )  # fmt: skip


def test_a_hugo_config_toml_is_still_hugo(make_project):
    project = make_project({
        "config.toml": 'baseURL = "https://example.org/"\ntitle = "Hugo"\n',
        "content/posts/a.md": '+++\ntitle = "A"\ndate = 2024-01-01\n+++\n',
    })  # fmt: skip
    assert site.detect(configmod.load(None, project)).kind == "hugo"


def test_zola_pages_posts_and_urls(make_project):
    project = zola_site(make_project, {
        "content/blog/2024-05-01-weekly.md": '+++\ntitle = "周报"\n+++\n本周。',
        "content/blog/Error-Handling.md": '+++\ntitle = "错误"\ndate = 2024-04-01\n+++\n正文',
        "content/blog/rust-async/index.md": '+++\ntitle = "异步"\ndate = 2024-03-10\n+++\n正文',
        "content/blog/rust-async/tokio.png": b"\x89PNG",
        "content/blog/renamed.md": '+++\ntitle = "改名"\ndate = 2024-02-01\nslug = "New Name"\n'
        'updated = 2024-02-03\nweight = 3\naliases = ["/old/"]\n+++\n正文',
        "content/blog/idea.md": '+++\ntitle = "草稿"\ndate = 2024-05-05\ndraft = true\n+++\n',
    })  # fmt: skip
    col = collect(project)
    urls = {a.rel: a.permalink for a in col.articles()}
    assert urls == {
        "content/blog/renamed.md": "/blog/new-name/",
        "content/blog/rust-async/index.md": "/blog/rust-async/",
        "content/blog/Error-Handling.md": "/blog/error-handling/",
        "content/blog/2024-05-01-weekly.md": "/blog/weekly/",  # its date is the post's date
    }
    weekly = next(a for a in col.articles() if a.rel.endswith("weekly.md"))
    assert weekly.date.date().isoformat() == "2024-05-01"
    skipped = dict(col.skipped)
    assert skipped["content/blog/_index.md"] == "section page (_index.md)"
    assert skipped["content/about.md"].startswith("not a post")
    assert skipped["content/blog/idea.md"].startswith("draft")
    assert not col.problems


def test_zola_path_and_slugify_settings(make_project):
    config = CONFIG.replace("[markdown]", '[slugify]\n    paths = "safe"\n\n    [markdown]')
    project = zola_site(make_project, {
        "content/blog/我的 文章.md": '+++\ntitle = "中文"\ndate = 2024-04-01\n+++\n正文',
        "content/blog/moved.md": '+++\ntitle = "移走"\ndate = 2024-04-02\npath = "/x/y"\n+++\n',
    }, config)  # fmt: skip
    urls = {a.rel: a.permalink for a in collect(project).articles()}
    assert urls == {
        "content/blog/我的 文章.md": "/blog/我的-文章/",
        "content/blog/moved.md": "/x/y/",
    }


def test_links_to_a_posts_address_stay_in_the_book(make_project):
    project = zola_site(make_project, {
        "content/blog/2024-05-01-weekly.md": '+++\ntitle = "周报"\n+++\n本周。',
        "content/blog/b.md": '+++\ntitle = "B"\ndate = 2024-05-02\n+++\n'
        "见[周报](https://zola.example.cn/notes/blog/weekly/)和[它](/notes/blog/weekly)。",
    })  # fmt: skip
    b = rendered(project)["content/blog/b.md"]
    assert hrefs(b) == ["#weekly", "#weekly"] and not b.problems


def test_taxonomies_are_the_pages_tags_and_categories(make_project, run_cli):
    project = zola_site(make_project, {
        "content/blog/a.md": '+++\ntitle = "异步"\ndate = 2024-03-10\n[taxonomies]\n'
        'tags = ["Rust", "异步"]\ncategories = ["技术"]\nauthors = ["小明"]\n'
        '[extra]\ntoc = true\ncover = "x.png"\n+++\n正文',
        "content/blog/b.md": '+++\ntitle = "随笔"\ndate = 2024-03-11\n[taxonomies]\n'
        'tags = ["生活"]\n+++\n正文',
    })  # fmt: skip
    a = next(a for a in collect(project).articles() if a.rel.endswith("a.md"))
    assert (a.tags, a.categories) == (("Rust", "异步"), ("技术",))
    status, out, err = run_cli(project, "list", "--tag", "rust")
    assert status == 0 and "异步" in out and "随笔" not in out and "warning" not in err


def test_internal_links_from_the_content_folder_stay_in_the_book(make_project):
    project = zola_site(make_project, {
        "content/blog/error-handling.md": '+++\ntitle = "错误"\ndate = 2024-04-01\n+++\n'
        "## thiserror\n\n见[异步](@/blog/rust-async/index.md)。",
        "content/blog/rust-async/index.md": '+++\ntitle = "异步"\ndate = 2024-03-10\n+++\n'
        "见[错误](@/blog/error-handling.md)和[小节](@/blog/error-handling.md#thiserror)。\n\n"
        "[草稿](@/blog/idea.md)",
        "content/blog/idea.md": '+++\ntitle = "草稿"\ndate = 2024-05-05\ndraft = true\n+++\n',
    })  # fmt: skip
    books = rendered(project)
    assert hrefs(books["content/blog/error-handling.md"]) == ["#rust-async"]
    r = books["content/blog/rust-async/index.md"]
    assert hrefs(r) == ["#error-handling", "#error-handling-thiserror"]
    assert warnings(r) == [
        "content/blog/rust-async/index.md:7: warning: link to @/blog/idea.md is not in this "
        "book and has no web address"
    ]


def render_zola(body: str) -> markdown.RenderedArticle:
    a = article(body)
    return markdown.render(a, context((a,), a_site("zola")))


def _jpeg() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 150, 50)).save(out, format="JPEG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("shortcode", "markdown"),
    [
        (
            '{{ youtube(id="dQw4w9WgXcQ", autoplay=true) }}',
            "[YouTube: dQw4w9WgXcQ](<https://www.youtube.com/watch?v=dQw4w9WgXcQ>)",
        ),
        ("{{ vimeo(id='124313553') }}", "[Vimeo: 124313553](<https://vimeo.com/124313553>)"),
        ('{{ streamable(id="92ok4") }}', "[Streamable: 92ok4](<https://streamable.com/92ok4>)"),
        (
            '{{ gist(url="https://gist.github.com/Keats/32d26f699dcc13ebd41b") }}',
            "[Gist Keats/32d26f699dcc13ebd41b](<https://gist.github.com/Keats/32d26f699dcc13ebd41b>)",
        ),
        (
            '{{ resize_image(path="blog/rust-async/big.jpg", width=800, op="fit_width") }}',
            "![](</blog/rust-async/big.jpg>)",  # from content/ or static/: the site's root
        ),
        ('{{ image(src="cat.png", alt="一只猫") }}', "![一只猫](<cat.png>)"),
        ('{{ figure(path="cat.png", caption="猫 [1]") }}', "![猫 \\[1\\]](<cat.png>)"),
        ('{{/* youtube(id="x") */}}', '{{ youtube(id="x") }}'),  # Zola's way to show one
        ("{%/* note() */%}", "{% note() %}"),
    ],
)
def test_inline_shortcodes_become_markdown(shortcode, markdown):
    expanded = zolatags.expand(f"前文{shortcode}后文")
    assert (expanded.text, expanded.warnings) == (f"前文{markdown}后文", [])


def test_zolas_own_shortcodes_are_links_in_the_book():
    r = render_zola(
        '看 {{ youtube(id="dQw4w9WgXcQ") }}。\n\n'
        '{{ gist(url="https://gist.github.com/Keats/32d26f699dcc13ebd41b") }}'
    )
    assert hrefs(r) == [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://gist.github.com/Keats/32d26f699dcc13ebd41b",
    ]
    assert "{{" not in text(r.xhtml) and not r.problems


def test_body_shortcodes_are_boxes_and_quotations():
    r = render_zola(
        '{% note(kind="warning") %}\n注意：`async fn` 需要 Rust 1.75。\n\n'
        "```rust\nlet x = 1;\n```\n{% end %}\n\n"
        '{% admonition(type="tip", title="小窍门") %}\n先读文档。\n{% end %}\n\n'
        '{% quote(author="Rob Pike") %}\n并发不是并行。\n{% end %}'
    )
    root = parse(r.xhtml)
    assert [(c, t) for c, t, _ in boxes(r.xhtml)] == [
        ("callout callout-warning", "警告"),
        ("callout callout-tip", "小窍门"),
    ]
    assert root.find(".//h:div[@class='callout callout-warning']//h:pre", NS) is not None
    quote = root.find("h:blockquote", NS)
    assert [" ".join(p.itertext()) for p in quote] == ["并发不是并行。", "— Rob Pike"]
    assert "{%" not in text(r.xhtml) and not r.problems


def test_escaped_shortcodes_print_as_zola_prints_them_and_code_is_untouched():
    r = render_zola(
        '{{/* 这是注释 */}}\n\n`{{ youtube(id="y") }}`\n\n'
        '```\n{{/* note() */}}\n{% note() %}\n{{ youtube(id="z") }}\n```'
    )
    root = parse(r.xhtml)
    assert root.find("h:p", NS).text == "{{ 这是注释 }}"
    assert root.find("h:p/h:code", NS).text == '{{ youtube(id="y") }}'
    code = "".join(root.find(".//h:pre", NS).itertext())
    assert code == '{{ note() }}\n{% note() %}\n{{ youtube(id="z") }}\n'
    assert not r.problems


def test_unknown_shortcodes_are_left_out_with_one_warning_each():
    r = render_zola(
        "甲 {{ counter(n=1) }} 乙 {{ counter(n=2) }}\n\n"
        '{% spoiler(title="剧透") %}\n凶手是管家。\n{% end %}\n\n'
        "{% note() %}\n没有结尾"
    )
    assert [" ".join(p.split()) for p in text(r.xhtml).split("\n") if p.strip()] == [
        "甲 乙",
        "凶手是管家。",
        "没有结尾",
    ]
    assert [str(p) for p in r.problems] == [
        "content/post.md:5: warning: unknown Zola shortcode `counter`: left out",
        "content/post.md:7: warning: unknown Zola shortcode `spoiler`: left out, its text kept",
        "content/post.md:11: warning: `{% note() %}` is never closed: left out",
    ]


def test_a_shortcode_naming_a_picture_shows_it(make_project):
    project = zola_site(make_project, {
        "content/blog/rust-async/index.md": '+++\ntitle = "异步"\ndate = 2024-03-10\n+++\n'
        "正文\n\n"
        '{{ resize_image(path="blog/rust-async/big.jpg", width=800, op="fit_width") }}\n\n'
        '{{ image(src="big.jpg", alt="大图") }}',
        "content/blog/rust-async/big.jpg": _jpeg(),
    })  # fmt: skip
    r = rendered(project)["content/blog/rust-async/index.md"]
    pictures = parse(r.xhtml).findall(".//h:img", NS)
    assert [i.get("alt") for i in pictures] == ["", "大图"]
    assert pictures[0].get("src") == pictures[1].get("src")
    assert [(name, line) for name, _, line in r.unlabelled] == [(pictures[0].get("src"), 7)]
    assert not r.problems


def test_shortcodes_nested_past_the_limit_keep_their_text():
    source = "{% note() %}\n" * 12 + "最里面\n" + "{% end %}\n" * 12
    expanded = zolatags.expand(source)
    assert expanded.text.count("[!note]") == zolatags.MAX_DEPTH and "最里面" in expanded.text
    assert "{%" not in expanded.text
    assert [m for _, m in expanded.warnings] == [
        "shortcodes nested deeper than 8 levels: the deeper ones left out, their text kept"
    ]


def test_a_zola_blog_builds_into_a_book(make_project, run_cli):
    project = zola_site(make_project, {
        "content/blog/error-handling.md": '''
            +++
            title = "Rust 错误处理"
            date = 2024-04-01T09:30:00+08:00
            [taxonomies]
            tags = ["Rust"]
            +++
            推荐 `anyhow`。:smile: 见[异步](@/blog/rust-async/index.md)。
            ''',
        "content/blog/rust-async/index.md": '''
            +++
            title = "Rust 异步"
            date = 2024-03-10
            [extra]
            toc = true
            +++
            {{ youtube(id="dQw4w9WgXcQ") }}

            {% note(kind="warning") %}
            需要 Rust 1.75。
            {% end %}
            ''',
    })  # fmt: skip
    status, _, err = run_cli(project, "epub", "-o", "book.epub")
    assert (status, err.count(": warning:")) == (0, 0), err
    with zipfile.ZipFile(project / "book.epub") as z:
        errors = etree.fromstring(z.read("EPUB/text/error-handling.xhtml"))
        rust = etree.fromstring(z.read("EPUB/text/rust-async.xhtml"))
        opf = z.read("EPUB/content.opf").decode()
    said = "".join(errors.find(".//h:div[@class='article-body']", NS).itertext())
    assert "😄" in said and ":smile:" not in said  # render_emoji = true
    assert errors.find(".//h:div[@class='article-body']//h:a", NS).get("href") == (
        "rust-async.xhtml#rust-async"
    )
    assert rust.find(".//h:div[@class='callout callout-warning']", NS) is not None
    assert "{{" not in "".join(rust.itertext()) and "{%" not in "".join(rust.itertext())
    assert "<dc:creator" in opf and "王小明" in opf and "<dc:language>zh-CN<" in opf


def test_an_inline_admonition_keeps_its_text():
    """tabi's `{{ admonition(type=…, title=…, text=…) }}` warned 'unknown' and lost its text."""
    expanded = zolatags.expand('{{ admonition(type="tip", title="小提示", text="记得保存。") }}')
    assert "> [!tip] 小提示\n> 记得保存。" in expanded.text and not expanded.warnings
