"""Jekyll Liquid in articles: understood where it means something, never printed raw."""

from __future__ import annotations

from pathlib import Path

from render_util import NS, article, context, parse, site, text

from bookmaker import markdown


def jekyll_render(body: str, root: Path | None = None, others=(), **kw):
    the_site = site("jekyll", root or Path("/site"), **kw) if root else site("jekyll")
    a = article(body, path=(root or Path("/site")) / "_posts" / "2024-10-02-post.md")
    return markdown.render(a, context((a, *others), the_site))


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
    body = (
        "{% assign x = 1 %}\n\n{% if x %}显示{% endif %}\n\n"
        "{% for i in (1..3) %}{{ i }}{% endfor %}"
    )
    r = jekyll_render(body)
    assert "{%" not in r.xhtml and "{{" not in r.xhtml
    assert "显示" in text(r.xhtml)
    assert len(r.problems) == 1 and r.problems[0].level == "warning"
    assert "assign" in r.problems[0].message and r.problems[0].line == 5


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
