"""Chirpy's light and dark screenshots: the book shows the light one, once."""

from __future__ import annotations

from render_util import NS, FakeStore, context, parse, render, site

JEKYLL = context(the_site=site("jekyll"), store=FakeStore(("light.png", "dark.png", "a.png")))


def _figures(body: str) -> list[tuple[str, str]]:
    root = parse(render(body, JEKYLL).xhtml)
    return [
        (f.find(".//h:img", NS).get("alt"), "".join(f.find("h:figcaption", NS).itertext()))
        for f in root.iterfind(".//h:figure", NS)
    ]


def test_the_dark_twin_of_a_screenshot_is_left_out_and_the_light_one_captioned():
    body = (
        "设置页面：\n\n"
        "![设置页](light.png){: .light .w-75 .shadow w='1212' h='668' }\n"
        "![设置页](dark.png){: .dark .w-75 .shadow w='1212' h='668' }\n"
        "_设置页面截图_\n\n下一段。\n"
    )
    assert _figures(body) == [("设置页", "设置页面截图")]


def test_twins_in_paragraphs_of_their_own_leave_no_empty_paragraph():
    body = "![亮](light.png){: .light }\n\n![暗](dark.png){: .dark }\n\n正文。\n"
    root = parse(render(body, JEKYLL).xhtml)
    assert _figures(body) == [("亮", "亮")]
    assert [p.text for p in root.iterfind(".//h:p", NS)] == ["正文。"]


def test_a_dark_picture_with_no_light_one_stays():
    assert _figures("![暗色主题](dark.png){: .dark }\n\n![图](a.png)\n") == [
        ("暗色主题", "暗色主题"),
        ("图", "图"),
    ]
