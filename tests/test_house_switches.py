"""House-style switches reach both books from bookmaker.toml, and the book-title lint
(behaviour 23) reaches the user as a warning naming the line."""

from __future__ import annotations

import re
import zipfile

from bookmaker import pdf
from bookmaker.config import Config, TypographyConfig

ARTICLE = """\
---
title: 读书
date: 2024-03-01
---
今天读完了*《三体》*，又想起《读〈史记〉》这本书。

还有《读《论语》》。
"""


def _body_classes(epub_path) -> set[str]:
    with zipfile.ZipFile(epub_path) as z:
        names = [n for n in z.namelist() if n.endswith(".xhtml") and "nav" not in n]
        found = set()
        for n in names:
            m = re.search(r'<body[^>]*class="([^"]*)"', z.read(n).decode())
            if m:
                found.update(m.group(1).split())
    return found


def test_trim_off_in_the_config_reaches_the_epub_and_the_print_body(make_project, run_cli):
    project = make_project(
        {"content/a.md": ARTICLE, "bookmaker.toml": "[typography]\ntrim = false\nindent = false\n"}
    )
    status, _, err = run_cli(project, "epub", "-o", "out/")
    assert status == 0, err
    classes = _body_classes(next((project / "out").glob("*.epub")))
    assert {"no-trim", "no-indent"} <= classes
    assert "no-trim" in pdf.house_classes(Config(project, typography=TypographyConfig(trim=False)))
    assert "no-trim" not in pdf.house_classes(Config(project))
    off = Config(project, typography=TypographyConfig(compression=False))
    assert "no-compression" in pdf.house_classes(off)
    assert "no-compression" not in pdf.house_classes(Config(project))


def test_book_title_in_italics_is_a_warning_with_file_and_line(make_project, run_cli):
    project = make_project({"content/a.md": ARTICLE})
    status, _, err = run_cli(project, "epub", "-o", "out/")
    assert status == 0  # a warning, not an error: the author decides
    assert re.search(r"content/a\.md:5\b.*《三体》", err), err
    assert re.search(r"content/a\.md:7\b.*〈〉", err), err
    assert "史记" not in err  # 〈〉 inside 《》 is the right way
    status, _, _ = run_cli(project, "epub", "-o", "out/", "--strict")
    assert status == 1
