"""Posts migrated from WordPress: [caption] and [embed] show what they showed."""

from __future__ import annotations

from render_util import NS, FakeStore, context, parse, render, text

from bookmaker import wordpress


def _render(body: str):
    return render(body, context(store=FakeStore(present=("a.png",))))


def test_a_caption_becomes_a_figure_with_its_caption():
    r = _render(
        '开头。\n\n[caption id="attachment_1" align="aligncenter" width="300"]'
        '<img class="wp-image-1" src="a.png" alt="猫" width="300" height="200" /> 一只猫'
        "[/caption]\n\n后文。"
    )
    figure = parse(r.xhtml).find("h:figure", NS)
    assert figure.find("h:img", NS).get("alt") == "猫"
    assert figure.find("h:figcaption", NS).text == "一只猫"
    assert "caption" not in text(r.xhtml) and not r.problems


def test_an_old_caption_attribute_and_a_link_to_the_full_picture():
    """WordPress before 3.4 put the caption in an attribute; most pictures link to their
    full-size file, which is no link in a book (it was a warning for each)."""
    r = _render(
        '[caption id="" align="alignnone" width="500" caption="旧式说明"]'
        '<a href="a.png"><img src="a.png" alt="" /></a>[/caption]'
    )
    figure = parse(r.xhtml).find("h:figure", NS)
    assert figure.find("h:img", NS) is not None and figure.find(".//h:a", NS) is None
    assert figure.find("h:figcaption", NS).text == "旧式说明"
    assert not r.problems


def test_a_picture_linked_to_a_page_keeps_its_link():
    r = _render("[![图](a.png)](https://example.com/page)")
    assert parse(r.xhtml).find(".//h:a/h:img", NS) is not None


def test_an_embed_becomes_a_link_and_other_brackets_stay():
    r = _render(
        "[embed]https://www.youtube.com/watch?v=abc[/embed]\n\n[普通](https://x.example) [注]"
    )
    hrefs = [a.get("href") for a in parse(r.xhtml).iter(f"{{{NS['h']}}}a")]
    assert hrefs == ["https://www.youtube.com/watch?v=abc", "https://x.example"]
    assert "[注]" in text(r.xhtml)


def test_code_samples_keep_their_shortcodes():
    source = "```\n[caption]<img src='x.png'> x[/caption]\n```\n"
    assert wordpress.expand(source) == source
