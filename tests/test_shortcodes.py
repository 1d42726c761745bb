"""Hugo shortcodes: the common ones understood, unknown ones keep their content."""

from __future__ import annotations

from pathlib import Path

from render_util import NS, FakeStore, article, boxes, context, parse, text

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


def test_a_figures_caption_is_markdown_and_its_alt_text_plain():
    r = hugo_render(
        '{{< figure src="/img/a.jpg" caption="攝影：[Alice](https://x.example)，**版權所有**" >}}',
        store=FakeStore(("/img/a.jpg",)),
    )
    fig = parse(r.xhtml).find("h:figure", NS)
    assert fig.find("h:img", NS).get("alt") == "攝影：Alice，版權所有"
    caption = fig.find("h:figcaption", NS)
    assert "".join(caption.itertext()) == "攝影：Alice，版權所有"
    assert caption.find("h:a", NS).get("href") == "https://x.example"
    assert caption.find("h:strong", NS).text == "版權所有"


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


def test_a_bare_ref_is_a_link_titled_by_its_post():
    other = article("x", slug="go", path=Path("/site/content/posts/go-generics.md"), title="泛型")
    r = hugo_render(
        '網址是 {{< ref "go-generics" >}}。\n\n沒有 {{< ref "gone" >}}。', others=(other,)
    )
    root = parse(r.xhtml)
    assert [(a.get("href"), a.text) for a in root.iter("{*}a")] == [("#go", "泛型")]
    assert root.find(".//h:span[@class='dead-link']", NS).text == "gone"
    assert "bookmaker-ref" not in r.xhtml
    assert [(p.line, p.message) for p in r.problems] == [
        (7, 'link to {{< ref "gone" >}} is not in this book and has no web address')
    ]


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


def test_a_bilibili_video_is_a_link_to_its_page():
    r = hugo_render("{{< bilibili BV1Sx411T7QQ >}}\n\n{{< bilibili id=BV1TJ411C7An p=3 >}}")
    links = [(a.text, a.get("href")) for a in parse(r.xhtml).iter("{*}a")]
    assert links == [
        ("Bilibili: BV1Sx411T7QQ", "https://www.bilibili.com/video/BV1Sx411T7QQ"),
        ("Bilibili: BV1TJ411C7An P3", "https://www.bilibili.com/video/BV1TJ411C7An?p=3"),
    ]
    assert not r.problems


def test_a_mermaid_diagram_is_its_source_under_a_note():
    r = hugo_render(
        '{{< mermaid >}}\ngraph LR;\n  A["`**粗**`"] --> B\n{{< /mermaid >}}\n\n'
        "```mermaid\ngraph TD\nA-->B\n```"
    )
    root = parse(r.xhtml)
    notes = [p.text for p in root.iterfind("h:p[@class='diagram-note']", NS)]
    assert notes == ["Mermaid 图表（源码）：", "Mermaid 图表（源码）："]
    codes = ["".join(code.itertext()) for code in root.iter("{*}code")]
    assert codes == ['graph LR;\n  A["`**粗**`"] --> B\n', "graph TD\nA-->B\n"]
    assert not r.problems


def test_unknown_shortcode_keeps_content_with_one_warning():
    r = hugo_render(
        "{{% sidenote tip %}}\n要**注意**\n{{% /sidenote %}}\n\n{{< sidenote >}}再{{< /sidenote >}}"
    )
    assert "要" in text(r.xhtml) and "{{" not in r.xhtml
    assert parse(r.xhtml).find(".//h:strong", NS).text == "注意"
    assert len(r.problems) == 1 and "sidenote" in r.problems[0].message


def test_commented_shortcode_is_shown_literally_even_in_code():
    r = hugo_render('```\n{{</* figure src="x" */>}}\n```\n\n写 `{{</* ref x */>}}`')
    shown = text(r.xhtml)
    assert '{{< figure src="x" >}}' in shown and "{{< ref x >}}" in shown


def test_shortcodes_in_code_are_untouched():
    assert "{{< youtube x >}}" in shortcodes.expand("```\n{{< youtube x >}}\n```").text


# --- themes' boxes ---------------------------------------------------------------------------


def test_an_admonition_is_a_titled_box_holding_its_code():
    r = hugo_render(
        '{{< admonition tip "小提示" >}}\n先**备份**。\n\n```bash\necho {{< /admonition >}}\n```\n'
        "{{< /admonition >}}\n\n后文"
    )
    assert boxes(r.xhtml) == [("callout callout-tip", "小提示", "先备份。echo{{</admonition>}}")]
    box = parse(r.xhtml).find("h:div", NS)
    assert box.find("h:p/h:strong", NS).text == "备份"
    assert box.find(".//h:pre", NS) is not None
    assert parse(r.xhtml).findall("h:p", NS)[-1].text == "后文"
    assert not r.problems


def test_an_admonitions_named_arguments_and_a_figure_inside():
    r = hugo_render(
        '{{< admonition type=warning title="先 `备份`" open=false >}}\n'
        '要注意。\n\n{{< figure src="/img/a.jpg" alt="码头" caption="黄昏" >}}\n'
        "{{< /admonition >}}",
        store=FakeStore(("/img/a.jpg",)),
    )
    assert boxes(r.xhtml) == [("callout callout-warning", "先 备份", "要注意。黄昏")]
    box = parse(r.xhtml).find("h:div", NS)
    assert box.find("h:p/h:code", NS).text == "备份"
    assert box.find("h:figure/h:figcaption", NS).text == "黄昏"


def test_notices_alerts_and_hints_of_other_themes_are_boxes():
    r = hugo_render(
        '{{% notice info "标题" %}}\n学习主题\n{{% /notice %}}\n\n'
        '{{% notice style="warning" %}}\nrelearn\n{{% /notice %}}\n\n'
        "{{< alert >}}\nBlowfish 默认\n{{< /alert >}}\n\n"
        '{{< alert "circle-info" >}}\n图标\n{{< /alert >}}\n\n'
        '{{% alert title="Docsy" color="danger" %}}\n颜色\n{{% /alert %}}\n\n'
        "{{% hint danger %}}\nhugo-book\n{{% /hint %}}\n\n"
        '{{< callout type="info" >}}\nHextra\n{{< /callout >}}'
    )
    assert boxes(r.xhtml) == [
        ("callout callout-info", "标题", "学习主题"),
        ("callout callout-warning", "警告", "relearn"),
        ("callout callout-warning", "警告", "Blowfish默认"),
        ("callout callout-info", "信息", "图标"),
        ("callout callout-danger", "Docsy", "颜色"),
        ("callout callout-danger", "危险", "hugo-book"),
        ("callout callout-info", "信息", "Hextra"),
    ]
    assert not r.problems


def test_stacks_quote_has_its_attribution_under_it():
    r = hugo_render(
        '{{< quote author="鲁迅" source="故乡" url="https://example.com/guxiang" >}}\n'
        "其实地上本没有路。\n{{< /quote >}}\n\n"
        '{{< quote author="Seth Godin" >}}\nDelight.\n{{< /quote >}}'
    )
    quotes = parse(r.xhtml).findall("h:blockquote", NS)
    assert [["".join(p.itertext()) for p in q] for q in quotes] == [
        ["其实地上本没有路。", "—— 鲁迅，故乡"],
        ["Delight.", "— Seth Godin"],
    ]
    assert quotes[0].find("h:p/h:a", NS).get("href") == "https://example.com/guxiang"


def test_hugos_details_is_open_with_its_summary():
    r = hugo_render(
        '{{< details summary="展开" >}}\n隐藏的**内容**\n{{< /details >}}\n\n'
        "{{< details >}}\n无摘要\n{{< /details >}}"
    )
    details = parse(r.xhtml).findall("h:details", NS)
    assert [d.get("open") for d in details] == ["open", "open"]
    assert [d.find("h:summary", NS).text for d in details] == ["展开", "详情"]
    assert details[0].find("h:p/h:strong", NS).text == "内容"
    assert "\ue000" not in r.xhtml


def test_a_box_in_a_box_of_the_same_kind():
    r = hugo_render(
        "{{< admonition note 外 >}}\n外一\n\n{{< admonition tip 内 >}}\n内一\n"
        "{{< /admonition >}}\n\n外二\n{{< /admonition >}}"
    )
    assert boxes(r.xhtml) == [
        ("callout callout-note", "外", "外一内内一外二"),
        ("callout callout-tip", "内", "内一"),
    ]
    assert "{{" not in r.xhtml and not r.problems


def test_a_box_never_closed_is_empty_and_named_in_a_warning():
    r = hugo_render("前文\n\n{{< admonition tip >}}\n没有结尾\n\n后文")
    assert boxes(r.xhtml) == [("callout callout-tip", "提示", "")]
    assert "没有结尾" in text(r.xhtml) and "后文" in text(r.xhtml)
    assert [(p.line, p.message) for p in r.problems] == [
        (7, "Hugo shortcode `admonition` is never closed: its box is empty")
    ]


def test_boxes_nested_past_eight_levels_keep_their_text():
    n = 300
    r = hugo_render("{{< alert >}}\n外\n" * n + "最里\n" + "{{< /alert >}}\n" * n)
    assert len(boxes(r.xhtml)) == shortcodes.MAX_BOX_DEPTH
    assert "最里" in text(r.xhtml) and "{{" not in r.xhtml
    assert [p.message for p in r.problems] == [
        "boxes nested deeper than 8 levels: the deeper ones left out, their text kept"
    ]


def test_highlight_keeps_its_marked_lines_and_first_number():
    """The README promised marked lines; the shortcode passed on only `linenos`."""
    r = hugo_render(
        '{{< highlight go "linenos=table,hl_lines=2 3,linenostart=10" >}}\n'
        "a := 1\nb := 2\nc := 3\n{{< /highlight >}}"
    )
    assert r.xhtml.count('class="hll"') == 2 and ">10<" in r.xhtml.replace(" ", "")
