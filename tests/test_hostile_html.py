"""Issue 9, second pass: hostile articles through the collector and the HTML stage get one
clear message each, naming the file and the line the author wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookmaker import collect, config, markdown
from bookmaker.render import render_article

TRAVERSAL = """\
---
title: 路径
date: 2024-01-02
---

![up](../../secret.png)

![site absolute](/../secret.png)

![backslash](..\\..\\secret.png)

![again](../../secret.png)
"""


def _render(project: Path):
    cfg = config.load(None, project)
    found = collect.collect(cfg)
    ctx = markdown.RenderContext.create(cfg, found)
    return found, [render_article(ctx, a) for a in found.articles()]


def _lines(rendered) -> list[str]:
    return [str(p) for r in rendered for p in r.problems]


def test_image_problems_name_the_line_and_the_reference_as_written(make_project):
    project = make_project({"content/2024-01-02-t.md": TRAVERSAL})
    _, rendered = _render(project)
    assert _lines(rendered) == [
        "content/2024-01-02-t.md:6: warning: image outside the content folders refused:"
        " ../../secret.png",
        "content/2024-01-02-t.md:8: warning: image outside the content folders refused:"
        " /../secret.png",
        "content/2024-01-02-t.md:10: warning: image outside the content folders refused:"
        " ..\\..\\secret.png",
        "content/2024-01-02-t.md:12: warning: image outside the content folders refused:"
        " ../../secret.png",
    ]


HOSTILE_SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
  xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" width="100" height="40"
  onload="alert(1)">
  <inkscape:metadata/>
  <script>alert(1)</script>
  <image xlink:href="file:///etc/passwd" width="10" height="10"/>
  <foreignObject width="50" height="20"><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>
  <rect width="100" height="40" fill="#3a6"/>
</svg>"""
CLEAN_SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
  width="10" height="10"><inkscape:metadata/><rect width="10" height="10"/></svg>"""


def test_a_cleaned_svg_is_one_warning_naming_the_image_and_what_went(make_project):
    project = make_project({
        "content/2024-01-06-svg.md": "---\ntitle: SVG\n---\n\n字\n\n![a](bad.svg)\n\n![b](ok.svg)",
        "content/bad.svg": HOSTILE_SVG,
        "content/ok.svg": CLEAN_SVG,  # editor metadata removed without a word
    })  # fmt: skip
    _, rendered = _render(project)
    assert _lines(rendered) == [
        "content/2024-01-06-svg.md:7: warning: SVG image bad.svg: removed event handlers,"
        " external references, foreignObject, script"
    ]
    assert len(rendered[0].images) == 2  # both still shown


@pytest.mark.parametrize(
    "text",
    ["", "---\ntitle: 只有标题\ndate: 2024-03-04\n---\n", "---\ntitle: 空白\n---\n \n\t\n"],
    ids=["empty-file", "front-matter-only", "whitespace"],
)
def test_an_empty_article_is_a_warning(make_project, text):
    project = make_project({"content/2024-03-03-empty.md": text, "content/2024-03-04-b.md": "正文"})
    _, rendered = _render(project)
    assert [r.article.rel for r in rendered] == [
        "content/2024-03-03-empty.md",
        "content/2024-03-04-b.md",
    ]
    assert _lines(rendered) == [
        "content/2024-03-03-empty.md: warning: empty article: only its title will be printed"
    ]
