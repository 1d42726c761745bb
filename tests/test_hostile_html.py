"""Issue 9, second pass: hostile articles through the collector and the HTML stage get one
clear message each, naming the file and the line the author wrote."""

from __future__ import annotations

from pathlib import Path

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
