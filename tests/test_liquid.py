"""Jekyll Liquid in articles: understood where it means something, never printed raw."""

from __future__ import annotations

from pathlib import Path

from render_util import NS, FakeStore, article, context, parse, site, text

from bookmaker import markdown


def jekyll_render(body: str, root: Path | None = None, others=(), pictures=(), page=None, **kw):
    the_site = site("jekyll", root or Path("/site"), **kw)
    path = (root or Path("/site")) / "_posts" / "2024-10-02-post.md"
    a = article(body, path=path, **(page or {}))
    return markdown.render(a, context((a, *others), the_site, FakeStore(pictures)))


def warnings(r) -> list[tuple[int | None, str]]:
    return [(p.line, p.message) for p in r.problems]


def paragraphs(r) -> list[str]:
    return ["".join(p.itertext()) for p in parse(r.xhtml).iterfind("h:p", NS)]


def test_raw_is_literal_text_in_prose_and_in_code():
    r = jekyll_render(
        "{% raw %}写 {{ name }} 和 {% if %}{% endraw %}\n\n"
        "```\n{% raw %}{{ page.title }}{% endraw %}\n```"
    )
    shown = text(r.xhtml)
    assert "写 {{ name }} 和 {% if %}" in shown
    assert "{{ page.title }}" in shown and "raw" not in shown
    assert not r.problems


def test_highlight_becomes_a_code_block():
    r = jekyll_render(
        "前文\n\n{% highlight ruby linenos %}\ndef x\n  {{ y }}\nend\n{% endhighlight %}\n"
    )
    code = parse(r.xhtml).find(".//h:pre/h:code", NS)
    assert "def" in "".join(code.itertext()) and "{{ y }}" in "".join(code.itertext())
    assert "highlight" not in text(r.xhtml)
    numbers = code.findall(".//h:span[@class='linenos']", NS)
    assert ["".join(n.itertext()) for n in numbers] == ["1", "2", "3"]  # shown, not empty


def test_comment_is_dropped():
    r = jekyll_render("甲{% comment %}\n秘密\n{% endcomment %}乙")
    assert "秘密" not in r.xhtml and "甲" in text(r.xhtml) and not r.problems


def test_site_variables_become_site_relative():
    r = jekyll_render('[关于]({{ site.baseurl }}/about/) [b]({{ "/x/" | relative_url }})')
    hrefs = [a.get("href") for a in parse(r.xhtml).iter("{*}a")]
    assert "{{" not in r.xhtml
    assert hrefs == [None, None] or all("{{" not in (h or "") for h in hrefs)


def test_other_tags_are_dropped_with_one_warning_per_article():
    body = "{% seo %}\n\n{% if true %}显示{% endif %}\n\n{% cycle 'a', 'b' %}{% endif %}"
    r = jekyll_render(body)
    assert "{%" not in r.xhtml and "{{" not in r.xhtml
    assert "显示" in text(r.xhtml)
    assert [(p.level, p.line, p.message) for p in r.problems] == [
        ("warning", 5, "Liquid not supported, left out: cycle, endif, seo")
    ]


def test_tags_inside_code_are_untouched():
    body = (
        "```liquid\n{% if user %}{{ user.name }}{% endif %}\n```\n\n"
        "    {% assign a = 1 %}\n\n`{{ x }}`"
    )
    r = jekyll_render("正文\n\n" + body)
    shown = text(r.xhtml)
    assert "{% if user %}{{ user.name }}{% endif %}" in shown
    assert "{% assign a = 1 %}" in shown and "{{ x }}" in shown
    assert not r.problems


def test_include_is_read_from_the_includes_folder(make_project):
    root = make_project(
        {
            "_includes/note.html": '<p class="note">提示：{{ include.text }}</p>\n',
            "_posts/2024-10-02-post.md": "x",
        }
    )
    r = jekyll_render(
        '前\n\n{% include note.html text="小心" %}\n\n后',
        root=root,
        includes_dir=root / "_includes",
    )
    note = parse(r.xhtml).find("h:p[@class='note']", NS)
    assert note is not None and "提示：小心" in note.text
    assert not r.problems


def test_include_without_folder_or_outside_the_site_warns(make_project, tmp_path):
    (tmp_path / "secret.html").write_text("SECRET")
    root = make_project({"_includes/a.html": "a", "_posts/2024-10-02-post.md": "x"})
    r = jekyll_render(
        "{% include ../../secret.html %}\n\n{% include nope.html %}",
        root=root,
        includes_dir=root / "_includes",
    )
    assert "SECRET" not in r.xhtml
    assert len(r.problems) == 2 and all(p.level == "warning" for p in r.problems)
    r = jekyll_render("{% include a.html %}")
    assert "no _includes" in r.problems[0].message


def test_post_url_links_into_the_book():
    other = article("x", slug="older", path=Path("/site/_posts/2010-07-21-name.md"))
    r = jekyll_render("[旧文]({% post_url 2010-07-21-name %})", others=(other,))
    assert parse(r.xhtml).find(".//h:a", NS).get("href") == "#older"
    assert not r.problems


def test_post_url_to_a_post_not_in_the_book_is_named_as_written_with_its_line():
    r = jekyll_render("前文\n\n见[那篇]({% post_url 2020-01-01-gone %})。", url="https://a.example")
    (problem,) = r.problems
    assert problem.message == (
        "link to {% post_url 2020-01-01-gone %} is not in this book and has no web address"
    )
    assert problem.line == 7  # body_line 5 + 2
    assert "bookmaker-post" not in r.xhtml and "那篇" in text(r.xhtml)


def test_an_image_after_site_baseurl_is_found_on_its_line():
    r = jekyll_render(
        '前文\n\n![图]({{ site.baseurl }}/img/gone.png)\n\n<img src="{{ site.url }}/img/b.png">'
    )
    assert [(p.line, p.message) for p in r.problems] == [
        (7, "image not found: /img/gone.png"),
        (9, "image not found: /img/b.png"),
    ]


def test_page_title_output():
    assert "标题" in text(jekyll_render("《{{ page.title }}》").xhtml)


def test_a_jekyll_posts_double_dollars_in_a_line_are_inline_math():
    r = jekyll_render("质能 $$E=mc^2$$ 方程")  # kramdown's reading, which the blog showed
    assert parse(r.xhtml).find(".//h:p/m:math", NS).get("display") == "inline"


# --- conditions and loops: only what the blog shows ---------------------------------------

ADS = "前文\n\n{% if site.show_ads %}这里有广告。{% else %}这里没有广告。{% endif %}"


def test_a_condition_prints_only_the_branch_the_site_config_chooses():
    shown = text(jekyll_render(ADS, variables={"show_ads": True}).xhtml)
    assert "这里有广告。" in shown and "没有" not in shown
    r = jekyll_render(ADS, variables={"show_ads": False})
    assert "这里没有广告。" in text(r.xhtml) and "这里有广告" not in text(r.xhtml)
    assert not r.problems


def test_what_bookmaker_cannot_know_is_not_set_as_in_liquid_and_said_once():
    body = (
        ADS
        + "\n\n{% unless page.comments %}无评论{% endunless %}{% if site.show_ads %}再{% endif %}"
    )
    r = jekyll_render(body)
    assert paragraphs(r) == ["前文", "这里没有广告。", "无评论"]
    assert warnings(r) == [
        (7, "Liquid: taken as not set, as bookmaker cannot know them: site.show_ads, page.comments")
    ]


def test_case_unless_elsif_and_comparisons():
    body = (
        "{% case 1 %}{% when 1 %}一{% when 2 %}二{% else %}多{% endcase %}"
        "{% case page.title %}{% when '别的', '标题' %}对{% endcase %}"
        "{% unless site.lang == 'en' %}中{% endunless %}"
        '{% if page.tags contains "诗" and site.n > 2 or false %}甲{% elsif page.title != "x" %}乙'
        "{% else %}丙{% endif %}"
    )
    r = jekyll_render(body, variables={"lang": "zh", "n": 3}, page={"tags": ("诗",)})
    assert text(r.xhtml) == "一对中甲"
    assert not r.problems


def test_empty_string_is_true_and_nil_false_as_in_liquid():
    body = "{% if site.empty %}空串为真{% endif %}{% if site.none %}{% else %}nil 为假{% endif %}"
    r = jekyll_render(body, variables={"empty": "", "none": None})
    assert text(r.xhtml) == "空串为真nil 为假" and not r.problems


def test_a_loop_over_the_posts_categories_lists_them_without_empty_bullets():
    body = "分类：\n\n{% for c in page.categories %}\n- {{ c }}\n{% endfor %}\n\n完"
    r = jekyll_render(body, page={"categories": ("随笔", "技术")})
    items = ["".join(li.itertext()).strip() for li in parse(r.xhtml).iterfind(".//h:li", NS)]
    assert items == ["随笔", "技术"] and not r.problems
    assert parse(jekyll_render(body).xhtml).find(".//h:li", NS) is None  # none: no bullet


def test_a_loop_over_what_bookmaker_cannot_know_is_left_out_with_its_line():
    body = "最近的文章：\n\n{% for post in site.posts limit:5 %}\n- {{ post.title }}\n{% endfor %}"
    r = jekyll_render(body)
    assert parse(r.xhtml).find(".//h:li", NS) is None and "{{" not in r.xhtml
    assert warnings(r) == [(7, "{% for %} over site.posts left out: not known to bookmaker")]


def test_ranges_forloop_break_assign_and_capture():
    body = (
        "{% for i in (1..5) reversed offset:1 limit:3 %}{{ i }}"
        "{% unless forloop.last %}、{% endunless %}{% endfor %}；"
        "{% for i in (1..9) %}{% if i > 2 %}{% break %}{% endif %}{{ i }}{% endfor %}；"
        "{% assign n = page.tags | size %}{% capture who %}{{ site.title }}{% endcapture %}"
        "{{ who }}有{{ n }}个标签"
    )
    r = jekyll_render(body, title="山居", page={"tags": ("a", "b")})
    assert text(r.xhtml) == "4、3、2；12；山居有2个标签" and not r.problems


def test_whitespace_control_and_an_unclosed_block():
    r = jekyll_render("甲\n{%- if true -%}\n\n乙\n\n{%- endif %}\n\n{% if false %}丙")
    assert text(r.xhtml) == "甲乙\n丙"
    assert warnings(r) == [(12, "{% if %} without {% endif %}: all of it kept")]


def test_liquid_nested_past_the_limit_keeps_its_text():
    r = jekyll_render("{% if true %}" * 40 + "深" + "{% endif %}" * 40)
    assert text(r.xhtml) == "深"
    assert warnings(r) == [(5, "Liquid blocks nested deeper than 32: their tags left out")]


def test_a_runaway_loop_stops_with_a_warning():
    body = "{% for i in (1..100000000) %}{% capture s %}{{ s }}{{ s }}x{% endcapture %}{% endfor %}"
    r = jekyll_render("{% assign s = '' %}" + body + "\n\n后")
    assert text(r.xhtml) == "后"
    assert warnings(r) == [(5, "loops and includes print too much: the rest of them left out")]


# --- values: what Jekyll would print -----------------------------------------------------


def test_site_and_page_values_print_what_jekyll_prints():
    body = (
        "{{ site.title }}｜{{ site.author.name }}｜{{ site.description }}｜"
        '{{ page.date | date: "%Y年%m月%d日 %a" }}｜{{ page.date | date_to_string }}｜'
        "{{ page.date | date_to_long_string }}｜{{ page.title | prepend: '《' | append: '》' }}"
    )
    config = {"author": {"name": "周山", "avatar": "/a.png"}}
    r = jekyll_render(body, title="山居笔记", description="一个人的山居", variables=config)
    assert text(r.xhtml) == (
        "山居笔记｜周山｜一个人的山居｜2024年10月02日 Wed｜02 Oct 2024｜02 October 2024｜《标题》"
    )
    assert not r.problems


def test_site_author_as_a_name_or_a_card():
    assert text(jekyll_render("{{ site.author }}", author="林小舟").xhtml) == "林小舟"
    card = {"author": {"name": "周山", "bio": "…"}}
    assert text(jekyll_render("{{ site.author }}", variables=card).xhtml) == "周山"


def test_a_picture_named_with_prepend_site_baseurl_is_found():
    body = '前文\n\n![西湖]({{ "/img/lake.png" | prepend: site.baseurl }})'
    r = jekyll_render(body, baseurl="/blog", pictures=("/img/lake.png",))
    figure = parse(r.xhtml).find("h:figure", NS)
    assert figure.find("h:img", NS).get("src").startswith("images/") and not r.problems


def test_an_unknown_filter_or_value_is_left_out_with_the_usual_warning():
    r = jekyll_render("前文\n\n甲{{ page.title | frobnicate }}乙{{ page.secret }}丙")
    assert paragraphs(r) == ["前文", "甲乙丙"]
    assert warnings(r) == [
        (7, "Liquid not supported, left out: {{ page.secret }}, {{ page.title }}")
    ]


def test_the_sites_config_reaches_liquid_and_the_cache_key(make_project, tmp_path):
    from bookmaker import collect, site
    from bookmaker.articlecache import ArticleCache
    from bookmaker.config import load

    post = "---\ntitle: 一\n---\n\n{% if site.show_ads %}广告{% endif %}《{{ site.title }}》\n"
    project = make_project(
        {"_config.yml": "title: 山居\nshow_ads: true\n", "_posts/2024-05-01-a.md": post}
    )
    config = load(None, project)
    collection = collect.collect(config)
    ctx = markdown.RenderContext.create(config, collection, FakeStore())
    r = markdown.render(collection.articles()[0], ctx)
    assert paragraphs(r) == ["广告《山居》"] and not r.problems
    before = ArticleCache(tmp_path, config, site.detect(config)).book_key
    (project / "_config.yml").write_text("title: 山居\nshow_ads: false\n", encoding="utf-8")
    assert ArticleCache(tmp_path, config, site.detect(config)).book_key != before


# --- includes -----------------------------------------------------------------------------

IMAGE_HTML = (
    '<img src="{{ include.url | relative_url }}">'
    "{% if include.caption %}<figcaption>{{ include.caption }}</figcaption>{% endif %}\n"
)
LAKE = '{% include image.html url="/assets/2019/west-lake.jpg" caption="雨中的西湖" %}'


def includes_project(make_project, **includes: str) -> Path:
    files = {f"_includes/{name}": body for name, body in includes.items()}
    return make_project({**files, "_posts/2024-10-02-post.md": "x"})


def test_the_usual_picture_include_shows_the_picture_with_its_caption_once(make_project):
    root = includes_project(make_project, **{"image.html": IMAGE_HTML})
    r = jekyll_render(
        f"前文\n\n{LAKE}\n\n后文",
        root=root,
        includes_dir=root / "_includes",
        pictures=("/assets/2019/west-lake.jpg",),
    )
    figure = parse(r.xhtml).find("h:figure", NS)
    assert figure.find("h:img", NS).get("src").startswith("images/")
    assert figure.find("h:figcaption", NS).text == "雨中的西湖"
    assert text(r.xhtml).count("雨中的西湖") == 1 and not r.problems


def test_a_missing_picture_from_an_include_is_named_on_the_include_line(make_project):
    pic = '<img src="/assets/{{ include.file }}" alt="{{ include.alt | default: "无题" }}">\n'
    root = includes_project(make_project, **{"image.html": IMAGE_HTML, "pic.html": pic})
    body = f'前文\n\n{LAKE}\n\n{{% include pic.html file="b.png" %}}'
    r = jekyll_render(body, root=root, includes_dir=root / "_includes")
    assert warnings(r) == [
        (7, "image not found: /assets/2019/west-lake.jpg"),
        (9, "image not found: /assets/b.png"),
    ]
    assert "[图片：无题]" in text(r.xhtml)


def test_include_parameters_take_filters_and_variables(make_project):
    card = (
        '<p class="card">{{ include.title | default: page.title | escape }}：'
        "{{ include.note | markdownify | strip_html | strip }}"
        "{{ include.tail | append: '。' }}</p>\n"
    )
    root = includes_project(make_project, **{"card.html": card})
    body = '前文\n\n{% include card.html title=page.missing note="*很* 好" tail="完" %}'
    r = jekyll_render(body, root=root, includes_dir=root / "_includes")
    assert parse(r.xhtml).find("h:p[@class='card']", NS).text == "标题：很 好完。"


THEME = (
    '前文\n\n{% include figure image_path="/assets/img/cat.jpg" alt="猫" '
    'caption="一只[猫](https://example.org/cat)" %}\n\n'
    '{% include video id="XsxDH4HcOWA" provider="youtube" %}\n\n'
    "{% include embed/youtube.html id='dQw4w9WgXcQ' %}\n\n"
    "{% include embed/bilibili.html id='BV1GJ411x7h7' %}"
)


def test_theme_includes_show_as_the_theme_shows_them():
    r = jekyll_render(THEME, pictures=("/assets/img/cat.jpg",))
    root = parse(r.xhtml)
    figure = root.find("h:figure", NS)
    assert figure.find("h:img", NS).get("alt") == "猫"
    caption = figure.find("h:figcaption", NS)
    assert "".join(caption.itertext()) == "一只猫"
    assert caption.find("h:a", NS).get("href") == "https://example.org/cat"
    links = [(a.text, a.get("href")) for a in root.iterfind("h:p/h:a", NS)]
    assert links == [
        ("YouTube: XsxDH4HcOWA", "https://www.youtube.com/watch?v=XsxDH4HcOWA"),
        ("YouTube: dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ("Bilibili: BV1GJ411x7h7", "https://www.bilibili.com/video/BV1GJ411x7h7"),
    ]
    assert not r.problems


def test_the_sites_own_copy_of_a_theme_include_wins(make_project):
    root = includes_project(make_project, video='<p class="mine">{{ include.id }}</p>\n')
    r = jekyll_render(THEME, root=root, includes_dir=root / "_includes")
    assert parse(r.xhtml).find("h:p[@class='mine']", NS).text == "XsxDH4HcOWA"
    assert parse(r.xhtml).find("h:figure/h:figcaption", NS) is not None  # the theme's


# --- kramdown, the Markdown of Jekyll posts -----------------------------------------------


def test_a_kramdown_comment_is_left_out_whole():
    body = (
        "前文\n\n{::comment}\n私密备注：银行卡 6222\n{:/comment}\n\n"
        "行内{::comment}悄悄话{:/}文字\n\n"
        "```\n{::comment}示例{:/comment}\n```"
    )
    r = jekyll_render(body)
    assert "私密" not in r.xhtml and "悄悄话" not in r.xhtml
    assert paragraphs(r) == ["前文", "行内文字"]
    assert "{::comment}示例{:/comment}" in text(r.xhtml)  # a code sample shows it
    assert not r.problems


def test_kramdown_nomarkdown_keeps_its_html_and_options_go():
    body = (
        '{::options parse_block_html="true" /}\n\n'
        '{::nomarkdown}\n<div class="box">原样</div>\n{:/nomarkdown}\n\n'
        "{::comment}\n草稿\n{:/comment}\n\n后文"
    )
    r = jekyll_render(body)
    assert parse(r.xhtml).find("h:div[@class='box']", NS).text == "原样"
    assert paragraphs(r) == ["后文"] and "{:" not in r.xhtml


def test_an_unclosed_kramdown_comment_is_printed_as_on_the_blog_with_a_warning():
    r = jekyll_render("前文\n\n{::comment}\n忘了关")
    assert paragraphs(r) == ["前文", "忘了关"]
    assert warnings(r) == [(7, "{::comment} without {:/comment}: what follows is printed")]


def test_a_kramdown_comment_shown_in_a_highlight_block_stays():
    body = "示例：\n\n{% highlight markdown %}\n{::comment}不显示{:/comment}\n{% endhighlight %}"
    assert "{::comment}不显示{:/comment}" in text(jekyll_render(body).xhtml)


def toc_entries(r) -> list[str]:
    return [a.text for a in parse(r.xhtml).iterfind(".//h:div[@class='toc']//h:a", NS)]


def test_kramdown_toc_lists_the_headings_where_it_stands():
    for marker in ("1. TOC", "* 目录"):
        r = jekyll_render(f"引言\n\n{marker}\n{{:toc}}\n\n## 一\n\n### 一之一\n\n## 二")
        assert toc_entries(r) == ["一", "一之一", "二"]
        assert "TOC" not in text(r.xhtml) and "目录" not in text(r.xhtml)
        first = parse(r.xhtml)[1]
        assert first.get("class") == "toc"  # after the introduction, before the headings


def test_no_toc_headings_stay_out_of_the_table_of_contents():
    r = jekyll_render("* TOC\n{:toc}\n\n## 目录之外\n{: .no_toc}\n\n## 一\n\n## 二")
    assert toc_entries(r) == ["一", "二"]
    assert [h.text for h in parse(r.xhtml).iterfind("h:h2", NS)] == ["目录之外", "一", "二"]
