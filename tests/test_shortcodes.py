"""Hugo shortcodes: the common ones understood, unknown ones keep their content."""

from __future__ import annotations

from pathlib import Path

from render_util import NS, FakeStore, article, context, parse, text

from bookmaker import markdown, shortcodes


def hugo_render(body: str, others=(), store=None):
    the_site = markdown.Site(
        "hugo", Path("/site"), (Path("/site/content"),), (Path("/site/static"),), "t"
    )
    a = article(body, path=Path("/site/content/posts/post.md"))
    return markdown.render(a, context((a, *others), the_site, store))


def test_figure_becomes_a_figure_with_caption():
    r = hugo_render(
        '{{< figure src="/img/a.jpg" alt="码头" caption="黄昏" >}}',
        store=FakeStore(("/img/a.jpg",)),
    )
    fig = parse(r.xhtml).find("h:figure", NS)
    assert fig.find("h:img", NS).get("alt") == "码头"
    assert fig.find("h:img", NS).get("src").startswith("images/")
    assert fig.find("h:figcaption", NS).text == "黄昏"
    assert not r.problems


def test_a_figures_width_is_kept():
    r = hugo_render(
        '{{< figure src="/img/a.jpg" alt="码头" width="320px" >}}', store=FakeStore(("/img/a.jpg",))
    )
    assert parse(r.xhtml).find("h:figure/h:img", NS).get("width") == "320"


def test_highlight_and_code_become_code_blocks():
    r = hugo_render('{{< highlight go "linenos=table" >}}\nfunc main() {}\n{{< /highlight >}}')
    code = parse(r.xhtml).find(".//h:pre/h:code", NS)
    assert "func main() {}" in "".join(code.itertext())


def test_ref_links_into_the_book():
    other = article("x", slug="other", path=Path("/site/content/posts/other-post.md"))
    r = hugo_render(
        '[那篇]({{< ref "posts/other-post.md#part" >}}) [又]({{< relref "other-post" >}})',
        others=(other,),
    )
    hrefs = [a.get("href") for a in parse(r.xhtml).iter("{*}a")]
    assert hrefs == ["#other-part", "#other"]


def test_embeds_become_visible_links():
    r = hugo_render(
        "{{< youtube w7Ft2ymGmfc >}}\n\n{{< gist spf13 7896402 >}}\n\n"
        '{{< tweet user="SanDiegoZoo" id="1453110110599868418" >}}'
    )
    hrefs = [a.get("href") for a in parse(r.xhtml).iter("{*}a")]
    assert hrefs == [
        "https://www.youtube.com/watch?v=w7Ft2ymGmfc",
        "https://gist.github.com/spf13/7896402",
        "https://twitter.com/SanDiegoZoo/status/1453110110599868418",
    ]


def test_unknown_shortcode_keeps_content_with_one_warning():
    r = hugo_render(
        "{{% notice tip %}}\n要**注意**\n{{% /notice %}}\n\n{{< notice >}}再{{< /notice >}}"
    )
    assert "要" in text(r.xhtml) and "{{" not in r.xhtml
    assert parse(r.xhtml).find(".//h:strong", NS).text == "注意"
    assert len(r.problems) == 1 and "notice" in r.problems[0].message


def test_commented_shortcode_is_shown_literally_even_in_code():
    r = hugo_render('```\n{{</* figure src="x" */>}}\n```\n\n写 `{{</* ref x */>}}`')
    shown = text(r.xhtml)
    assert '{{< figure src="x" >}}' in shown and "{{< ref x >}}" in shown


def test_shortcodes_in_code_are_untouched():
    assert "{{< youtube x >}}" in shortcodes.expand("```\n{{< youtube x >}}\n```").text
