"""Hexo blogs: the site found, its tag plugins read, its post asset folders used."""

from __future__ import annotations

import io
import json
import textwrap
import zipfile
from datetime import datetime, timedelta, timezone

import pytest
from lxml import etree
from PIL import Image as PILImage
from render_util import NS, article, boxes, context, parse
from render_util import site as a_site

from bookmaker import config as configmod
from bookmaker import hexotags, markdown, site

CST = timezone(timedelta(hours=8))
X = {"x": "http://www.w3.org/1999/xhtml"}
CONFIG = """
    title: 小明的博客
    author: 小明
    language: [zh-CN, en]
    url: https://xiaoming.example.com
    root: /blog/
    permalink: :year/:month/:day/:title/
    post_asset_folder: true
    """


def _png(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (300, 200), colour).save(out, format="PNG")
    return out.getvalue()


def test_a_hexo_site_is_found_with_its_settings(make_project):
    project = make_project({
        "_config.yml": CONFIG,
        "source/_posts/hello-world.md": "---\ntitle: 你好\ndate: 2021-05-01 10:00:00\n---\n正文",
        "source/_drafts/later.md": "---\ntitle: 草稿\n---\n未完",
    })  # fmt: skip
    s = site.detect(configmod.load(None, project))
    root = project.resolve()
    assert s.kind == "hexo" and "Hexo site" in s.found_by
    assert s.content_dirs == (root / "source" / "_posts", root / "source" / "_drafts")
    assert s.static_dirs == (root / "source",)  # `/images/x.png` is source/images/x.png
    assert (s.baseurl, s.url, s.title, s.author, s.language) == (
        "/blog", "https://xiaoming.example.com", "小明的博客", "小明", "zh-CN"
    )  # fmt: skip
    page = {"date": datetime(2021, 5, 1, 10, tzinfo=CST), "name": "hello-world", "slug": None,
            "title": "你好", "categories": (), "section": ""}  # fmt: skip
    assert site.permalink(s, page) == "/2021/05/01/hello-world/"


@pytest.mark.parametrize(
    ("tag", "markdown"),
    [
        ("{% asset_img cat.png 一只猫 %}", '![一只猫](cat.png "一只猫")'),
        ("{% asset_img cat.png %}", "![](cat.png)"),
        ('{% asset_img big.jpg 800 600 "标题" "替代文字" %}', '![替代文字](big.jpg "标题")'),
        ('{% asset_img "my cat.png" 猫 %}', '![猫](my%20cat.png "猫")'),
        ("{% img /images/dog.png 狗 %}", '![狗](/images/dog.png "狗")'),
        ("{% asset_link notes.pdf 笔记 %}", "[笔记](notes.pdf)"),
        ("{% post_link hello-world %}", "[](bookmaker-postlink:hello-world)"),
        ("{% post_link hello-world 那一篇 %}", "[那一篇](bookmaker-postlink:hello-world)"),
        ("{% post_link a [甲] false %}", "[\\[甲\\]](bookmaker-postlink:a)"),
        ("{% post_path a %}", "[](bookmaker-postpath:a)"),
        ("[甲文]({% post_path a %})", "[甲文](bookmaker-postpath:a)"),
        ("{% link 示例网站 https://example.com %}", "[示例网站](<https://example.com>)"),
        (
            "{% link 示例网站 https://example.com true 网站 标题 %}",
            '[示例网站](<https://example.com> "网站 标题")',
        ),
        ("{% link 没有地址 %}", "没有地址"),
        ("{% label 重要 red %}", "<mark>重要</mark>"),
        ("{% label primary@重要 %}", "<mark>重要</mark>"),
        ("{% label primary @推荐 %}", "<mark>推荐</mark>"),
        (
            "{% btn 'https://a.example/',官网,far fa-hand-point-right,outline %}",
            "[官网](<https://a.example/>)",
        ),
        ("{% button https://a.example/, 官网, home %}", "[官网](<https://a.example/>)"),
        ("{% button https://a.example/ 官网 %}", "[官网](<https://a.example/>)"),
        (
            "{% inlineImg /images/smile.png 20px %}",
            '<img src="/images/smile.png" alt="" height="20" />',
        ),
        ("{% checkbox checked, 已完成 %}", "☑ 已完成"),
        ("{% checkbox 未完成 %}", "☐ 未完成"),
        ("{% checkbox success checked 已经去过 %}", "☑ 已经去过"),
        ("{% cb 默认选中, true %}", "☑ 默认选中"),
        ("{% hideInline 答案,点击显示 %}", "答案"),
        ("{% span center logo large, 居中大字 %}", "居中大字"),
        ("{% p red, 红色段落 %}", "红色段落"),
        (
            "{% video https://v.example/a.mp4 %}",
            "[https://v.example/a.mp4](<https://v.example/a.mp4>)",
        ),
        ("{% pdf /files/a.pdf %}", "[/files/a.pdf](</files/a.pdf>)"),
        (
            "{% youtube PLabc 'playlist' false %}",
            "[YouTube: PLabc](<https://www.youtube.com/playlist?list=PLabc>)",
        ),
        ("{% youtube abc %}", "[YouTube: abc](<https://www.youtube.com/watch?v=abc>)"),
        (
            '{% iframe "https://v.example/p?a=1&b=\\"x" %}',
            '<iframe src="https://v.example/p?a=1&amp;b=&quot;x"></iframe>',
        ),
    ],
)
def test_inline_tags_become_markdown(tag, markdown):
    assert hexotags.expand(f"前文{tag}后文") == f"前文{markdown}后文"


def test_block_tags_become_code_quotations_and_boxes():
    source = (
        "{% codeblock app.js lang:js %}\nconsole.log(1)\n{% endcodeblock %}\n\n"
        "{% blockquote 鲁迅, 故乡 %}\n其实地上本没有路。\n{% endblockquote %}\n\n"
        "{% blockquote Seth Godin https://s.example/x Island Marketing %}\nDelight.\n"
        "{% endblockquote %}\n\n"
        "{% note info %}\n提示。\n{% endnote %}\n\n"
        "{% note warning no-icon 先看这里 %}\n小心。\n{% endnote %}"
    )
    assert hexotags.expand(source) == (
        '```js title="app.js"\nconsole.log(1)\n```\n\n'
        "> 其实地上本没有路。\n>\n> —— 鲁迅，故乡\n\n<!-- -->\n\n"
        "> Delight.\n>\n> — Seth Godin, [Island Marketing](<https://s.example/x>)\n\n<!-- -->\n\n"
        "> [!info]\n> 提示。\n\n"
        "> [!warning] 先看这里\n> 小心。"
    )


def test_theme_blocks_keep_their_labels_and_open_what_the_page_folds():
    source = (
        "{% tabs 示例 %}\n<!-- tab 标签一 @fab fa-apple -->\n第一页。\n<!-- endtab -->\n"
        "<!-- tab 标签二 -->\n{% note info %}\n第二页。\n{% endnote %}\n<!-- endtab -->\n"
        "{% endtabs %}\n\n"
        "{% timeline 2021年旅行记录,blue %}\n<!-- timeline 10月1日 -->\n出发。\n"
        "<!-- endtimeline -->\n{% endtimeline %}\n\n"
        "{% hideToggle 行程安排,bg,color %}\n- 清水寺\n{% endhideToggle %}\n\n"
        "{% fold info @门票价格 %}\n旺季 190 元\n{% endfold %}\n\n"
        "{% mermaid %}\ngraph LR\nA-->B\n{% endmermaid %}\n\n"
        "{% katex %}\nE = mc^2\n{% endkatex %}\n\n"
        "{% gallery %}\n![清水寺](/images/kyoto1.jpg)\n{% endgallery %}"
    )
    assert hexotags.expand(source) == (
        "**标签一**\n\n第一页。\n\n**标签二**\n\n> [!info]\n> 第二页。\n\n"
        "**2021年旅行记录**\n\n**10月1日**\n\n出发。\n\n"
        "> [!\ue000details\ue001] 行程安排\n> - 清水寺\n\n"
        "> [!\ue000details\ue001] 门票价格\n> 旺季 190 元\n\n"
        "```mermaid\ngraph LR\nA-->B\n```\n\n"
        "$$\nE = mc^2\n$$\n\n"
        "![清水寺](/images/kyoto1.jpg)"
    )


def test_theme_tags_keep_their_words_in_the_book():
    a = article(
        "{% tabs t %}\n<!-- tab 标签一 -->\n第一页。\n<!-- endtab -->\n{% endtabs %}\n\n"
        "{% hideToggle 行程安排 %}\n- 清水寺\n{% endhideToggle %}\n\n"
        "{% label primary@重要 %} 与 {% checkbox checked, 已完成 %}"
    )
    root = parse(markdown.render(a, context((a,), a_site("hexo"))).xhtml)
    assert [_shown(p) for p in root.iterfind("h:p", NS)] == [
        "标签一",
        "第一页。",
        "重要 与 ☑ 已完成",
    ]
    assert root.find("h:p/h:strong", NS).text == "标签一"
    details = root.find("h:details", NS)
    assert details.get("open") == "open"
    assert details.findtext("h:summary", namespaces=NS) == "行程安排"
    assert details.findtext("h:ul/h:li", namespaces=NS) == "清水寺"


def test_a_next_note_is_a_titled_box():
    a = article(
        "{% note info %}\n提示。\n{% endnote %}\n\n{% note danger 小心 %}\n- 列表\n{% endnote %}"
    )
    root = parse(markdown.render(a, context((a,), a_site("hexo"))).xhtml)
    found = [
        (div.get("class"), div.findtext("h:p[@class='callout-title']", namespaces=NS))
        for div in root.iterfind("h:div", NS)
    ]
    assert found == [("callout callout-info", "信息"), ("callout callout-danger", "小心")]
    assert root.find("h:div/h:ul/h:li", NS).text == "列表"
    assert root.find("h:blockquote", NS) is None


def test_butterfly_notes_are_titled_by_their_kind_not_their_style_or_icon():
    """Butterfly's `{% note [class|colour] [icon] [style] %}` shows no title: the box says
    its kind, as every untitled box does (in print, the word stands for the colour)."""
    a = article(
        "{% note warning flat %}\n甲\n{% endnote %}\n\n"
        "{% note blue 'fas fa-bullhorn' simple %}\n乙\n{% endnote %}\n\n"
        "{% note red fas fa-x no-icon modern %}\n丙\n{% endnote %}\n\n"
        "{% note primary %}\n丁\n{% endnote %}\n\n"
        "{% note info no-icon fat cat %}\n戊\n{% endnote %}"
    )
    assert boxes(markdown.render(a, context((a,), a_site("hexo"))).xhtml) == [
        ("callout callout-warning", "警告", "甲"),
        ("callout callout-info", "信息", "乙"),
        ("callout callout-danger", "危险", "丙"),
        ("callout callout-note", "注意", "丁"),
        ("callout callout-info", "fat cat", "戊"),  # NexT's summary: words, not an icon
    ]


def test_raw_blocks_and_code_samples_keep_their_tags():
    source = (
        "{% raw %}{% asset_img a.png %}{% endraw %}\n\n```\n{% asset_img b.png %}\n```\n\n"
        "```\n{% codeblock lang:js %}\nx\n{% endcodeblock %}\n```\n"
    )
    assert hexotags.expand(source) == source


def test_a_codeblock_keeps_its_indented_lines():
    source = "{% codeblock lang:py %}\ndef f():\n\n    return 1\n{% endcodeblock %}"
    assert hexotags.expand(source) == "```py\ndef f():\n\n    return 1\n```"


def test_a_hexo_blog_builds_with_its_asset_pictures_links_and_categories(make_project, run_cli):
    project = make_project({
        "_config.yml": CONFIG,
        "source/_posts/hello-world.md": """
            ---
            title: 你好，世界
            date: 2021-05-01 10:00:00
            categories:
              - [生活, 日常]
            ---
            第一篇。<!-- more -->

            {% asset_img cat.png 一只猫 %}

            ![全局](/images/dog.png)
            """,
        "source/_posts/hello-world/cat.png": _png((200, 150, 50)),
        "source/images/dog.png": _png((50, 150, 200)),
        "source/_posts/second.md": """
            ---
            title: 第二篇
            date: 2021-06-01 10:00:00
            ---
            回看{% post_link hello-world %}。{% unknown_plugin x %}

            {% codeblock app.js lang:js %}
            console.log(1)
            {% endcodeblock %}
            """,
    })  # fmt: skip
    status, _, err = run_cli(project, "epub", "-o", "book.epub")
    assert status == 0
    assert (
        "source/_posts/second.md:5: warning: Hexo tag not supported, left out: unknown_plugin"
        in err
    )
    assert err.count(": warning:") == 1  # that one only: both pictures were found
    with zipfile.ZipFile(project / "book.epub") as z:
        names = z.namelist()
        second = etree.fromstring(z.read("EPUB/text/second.xhtml"))
        opf = z.read("EPUB/content.opf").decode()
    assert sum(n.startswith("EPUB/images/") and n != "EPUB/images/cover.png" for n in names) == 2
    link = second.find(".//x:div[@class='article-body']//x:a", X)
    assert link.get("href") == "hello-world.xhtml#hello-world"
    assert "".join(link.itertext()).replace("\u2060", "") == "你好，世界"  # the post's title
    assert "cat.png" not in opf
    title = second.find(".//x:div[@class='highlight']/x:span[@class='filename']", X)
    assert "".join(title.itertext()) == "app.js"  # the codeblock's title, above its code
    _, out, _ = run_cli(project, "list", "--json", "--chapters", "category")
    chapters = [c["title"] for c in json.loads(out)["chapters"]]
    assert "生活" in chapters and "source" not in chapters  # nested lists; no folder category


def test_a_post_link_follows_the_title_of_its_post_through_the_cache(make_project, run_cli):
    project = make_project({
        "_config.yml": CONFIG,
        "source/_posts/first.md": "---\ntitle: 旧标题\ndate: 2021-05-01\n---\n正文。",
        "source/_posts/second.md": "---\ntitle: 乙\ndate: 2021-06-01\n---\n{% post_link first %}",
    })  # fmt: skip

    def link_text() -> str:
        assert run_cli(project, "epub", "-o", "book.epub")[0] == 0
        with zipfile.ZipFile(project / "book.epub") as z:
            second = etree.fromstring(z.read("EPUB/text/second.xhtml"))
        link = second.find(".//x:div[@class='article-body']//x:a", X)
        return "".join(link.itertext()).replace("\u2060", "")

    assert link_text() == "旧标题"
    first = project / "source" / "_posts" / "first.md"
    first.write_text(first.read_text(encoding="utf-8").replace("旧标题", "新标题"), "utf-8")
    assert link_text() == "新标题"  # the second post's cache entry did not hold


def test_a_password_protected_post_stays_out_unless_asked_for(make_project, run_cli):
    """hexo-blog-encrypt's `password:` hides a post (a diary) from all but a few readers:
    the book must not print it for everyone."""
    project = make_project({
        "_config.yml": CONFIG,
        "source/_posts/open.md": "---\ntitle: 公开\ndate: 2021-05-01\n---\n大家好。",
        "source/_posts/diary.md": "---\ntitle: 日记\ndate: 2021-05-02\npassword: 1234\n---\n私事",
    })  # fmt: skip

    def titles(*args: str) -> list[str]:
        _, out, _ = run_cli(project, "list", "--json", *args)
        return [a["title"] for c in json.loads(out)["chapters"] for a in c["articles"]]

    assert titles() == ["公开"]
    assert titles("--drafts") == ["公开", "日记"]
    _, out, err = run_cli(project, "list", "-v")
    assert "diary.md" in out + err and "password-protected" in out + err


def _article_xhtml(project, run_cli, name: str) -> tuple[etree._Element, str]:
    """The body of `name`'s chapter in the EPUB built from `project`, and the warnings."""
    status, _, err = run_cli(project, "epub", "-o", "book.epub")
    assert status == 0
    with zipfile.ZipFile(project / "book.epub") as z:
        page = etree.fromstring(z.read(f"EPUB/text/{name}.xhtml"))
    return page.find(".//x:div[@class='article-body']", X), err


def _shown(el: etree._Element) -> str:
    return "".join(el.itertext()).replace("\u2060", "")


def test_hexo_link_and_post_path_tags_are_links_not_markers(make_project, run_cli):
    project = make_project({
        "_config.yml": CONFIG,
        "source/_posts/first.md": "---\ntitle: 甲\ndate: 2021-05-01\n---\n正文。",
        "source/_posts/second.md": """
            ---
            title: 乙
            date: 2021-06-01
            ---
            见{% link 示例网站 https://example.com true 标题 %}。

            {% post_path first %}，[甲文]({% post_path first %})
            """,
    })  # fmt: skip
    body, err = _article_xhtml(project, run_cli, "second")
    assert "bookmaker" not in _shown(body) and ": warning:" not in err
    found = [(a.get("href"), _shown(a)) for a in body.iterfind(".//x:a", X)]
    assert found == [
        ("https://example.com", "示例网站"),
        ("first.xhtml#first", "甲"),  # alone: the post, by its title
        ("first.xhtml#first", "甲文"),
    ]


def test_post_link_finds_a_post_by_its_slug_or_title_and_names_itself(make_project, run_cli):
    """`new_post_name: :year-:month-:day-:title.md` names the file `2020-02-02-spring.md`: Hexo's
    slug is `spring`. A post Hexo cannot find is named in the warning as the author wrote it."""
    project = make_project({
        "_config.yml": textwrap.dedent(CONFIG) + "new_post_name: :year-:month-:day-:title.md\n",
        "source/_posts/2020-02-02-spring.md": "---\ntitle: 乙篇\ndate: 2020-02-02\n---\n正文。",
        "source/_posts/2020-03-03-summer.md": "---\ntitle: 丙\ndate: 2020-03-03\n---\n正文。",
        "source/_posts/2021-01-01-autumn.md": """
            ---
            title: 甲
            date: 2021-01-01
            ---
            {% post_link spring %}，{% post_link 丙 %}，[乙]({% post_path spring %})

            {% post_link nope %}
            """,
    })  # fmt: skip
    body, err = _article_xhtml(project, run_cli, "autumn")
    found = [(a.get("href"), _shown(a)) for a in body.iterfind(".//x:a", X)]
    assert found == [
        ("spring.xhtml#spring", "乙篇"),
        ("summer.xhtml#summer", "丙"),
        ("spring.xhtml#spring", "乙"),
    ]
    assert (
        "source/_posts/2021-01-01-autumn.md:7: warning: link to {% post_link nope %} is not in "
        "this book and has no web address" in err
    )


def test_abbrlink_permalinks_come_from_each_posts_front_matter(make_project, run_cli):
    """hexo-abbrlink writes `abbrlink:` into each post for `permalink: posts/:abbrlink/`:
    links to those addresses stay in the book; a post without one gets no made-up URL."""
    project = make_project({
        "_config.yml": CONFIG.replace(":year/:month/:day/:title/", "posts/:abbrlink/"),
        "source/_posts/spring.md": "---\ntitle: 春\nabbrlink: 00112233\ndate: 2021-05-01\n---\n",
        "source/_posts/summer.md": "---\ntitle: 夏\nabbrlink: 9c2e0a11\ndate: 2021-06-01\n---\n",
        "source/_posts/autumn.md": """
            ---
            title: 秋
            date: 2021-07-01
            ---
            [上一篇](/blog/posts/9c2e0a11/)，[再上一篇](https://xiaoming.example.com/blog/posts/00112233/)
            """,
    })  # fmt: skip
    _, out, _ = run_cli(project, "list", "-v")
    assert "url=/posts/00112233/" in out and "url=/posts/9c2e0a11/" in out
    assert ":abbrlink" not in out and out.count("url=-") == 1  # autumn's
    body, _ = _article_xhtml(project, run_cli, "autumn")
    found = [a.get("href") for a in body.iterfind(".//x:a", X)]
    assert found == ["summer.xhtml#summer", "spring.xhtml#spring"]


POEM = "春风又绿江南岸，\n明月何时照我还。"


@pytest.mark.parametrize(
    ("settings", "packages", "lines"),
    [
        ("", {"hexo-renderer-marked": "^6.0.0"}, ["春风又绿江南岸，", "明月何时照我还。"]),
        ("marked:\n  breaks: false\n", {}, ["春风又绿江南岸，明月何时照我还。"]),
        ("", {"hexo-renderer-markdown-it": "^7"}, ["春风又绿江南岸，", "明月何时照我还。"]),
        (
            "marked:\n  breaks: true\nmarkdown:\n  render:\n    breaks: false\n",
            {"hexo-renderer-markdown-it": "^7"},
            ["春风又绿江南岸，明月何时照我还。"],
        ),
    ],
)
def test_a_newline_breaks_the_line_as_the_sites_renderer_does(
    make_project, run_cli, settings, packages, lines
):
    """hexo-renderer-marked and -markdown-it default to `breaks: true`: a poem keeps its lines."""
    project = make_project({
        "_config.yml": textwrap.dedent(CONFIG) + settings,
        "package.json": json.dumps({"dependencies": packages}),
        "source/_posts/poem.md": "---\ntitle: 诗\ndate: 2021-05-01\n---\n" + POEM,
    })  # fmt: skip
    body, _ = _article_xhtml(project, run_cli, "poem")
    p = body.find("x:p", X)
    shown = [line.strip() for line in _shown(p).split("\n") if line.strip()]
    assert shown == lines
    assert len(p.findall("x:br", X)) == len(lines) - 1


@pytest.mark.parametrize(
    ("toml", "subtitle"),
    [
        ("", "记录前端与生活"),
        ('[book]\nsubtitle = "十年文集"\n', "十年文集"),
        ('[book]\ntitle = "另一本书"\n', None),  # the site's subtitle goes with its title
    ],
)
def test_the_sites_subtitle_is_the_books_unless_bookmaker_toml_says(
    make_project, run_cli, toml, subtitle
):
    project = make_project({
        "_config.yml": textwrap.dedent(CONFIG) + "subtitle: 记录前端与生活\n",
        "bookmaker.toml": toml,
        "source/_posts/a.md": "---\ntitle: 甲\ndate: 2021-05-01\n---\n正文",
    })  # fmt: skip
    assert run_cli(project, "epub", "-o", "book.epub")[0] == 0
    with zipfile.ZipFile(project / "book.epub") as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
    found = opf.find(".//{http://purl.org/dc/elements/1.1/}title[@id='subtitle']")
    assert (found.text if found is not None else None) == subtitle


def test_an_inline_picture_stays_in_its_line_at_the_height_given(make_project, run_cli):
    """Butterfly's `{% inlineImg src 20px %}` sets a large picture as high as the text."""
    big = io.BytesIO()
    PILImage.new("RGB", (400, 400), (200, 150, 50)).save(big, format="PNG")
    project = make_project({
        "_config.yml": CONFIG,
        "source/images/avatar.png": big.getvalue(),
        "source/_posts/smile.md": "---\ntitle: 甲\ndate: 2021-05-01\n---\n"
        "一个 {% inlineImg /images/avatar.png 20px %} 表情。",
    })  # fmt: skip
    body, _ = _article_xhtml(project, run_cli, "smile")
    img = body.find("x:p/x:img", X)
    assert (img.get("height"), img.get("class")) == ("20", None)
    assert _shown(body.find("x:p", X)) == "一个  表情。"
