"""Notes written in Obsidian or Typora: a vault's folders, wikilinks, embeds, comments,
highlights, line breaks and inline #tags, as those editors show them."""

from __future__ import annotations

import pytest
from render_util import NS, article, context, parse, render, site, text

from bookmaker import collect as collector
from bookmaker import config as configmod
from bookmaker import markdown
from bookmaker import site as sites
from bookmaker.errors import ConfigError


def collect(folder, **content):
    c = configmod.load(None, folder)
    return collector.collect(c.override("content", **content) if content else c)


# --- a vault's folders ----------------------------------------------------------------------


def test_a_vault_with_its_notes_in_folders_is_read_recursively(make_project):
    vault = make_project(
        {
            ".obsidian/app.json": "{}",
            "posts/2024-03-12 周报 第10周.md": "# 第十周周报\n\n三件事。\n",
            "journal/2024/2024-04-15.md": "跑步。\n",
            "Templates/Daily.md": "---\ndate: {{date}}\n---\n# {{title}}\n",
            ".trash/2024-01-01 删掉的.md": "不要了。\n",
            "node_modules/x/2024-01-01-readme.md": "no\n",
        }
    )
    found = collect(vault)
    assert [a.rel for a in found.articles()] == [
        "posts/2024-03-12 周报 第10周.md",
        "journal/2024/2024-04-15.md",
    ]
    assert not found.problems  # the template's `{{date}}` is never read
    assert found.site.vault and found.site.found_by == f"Obsidian vault ({vault.resolve()})"


def test_a_plain_folder_of_notes_in_folders_without_obsidian(make_project):
    folder = make_project({"2024/2024-04-15 跑步.md": "跑步。\n", "assets/a.png": b"x"})
    s = sites.detect(configmod.load(None, folder))
    assert (s.kind, s.content_dirs, s.vault) == ("plain", (folder.resolve(),), False)


def test_no_notes_anywhere_says_where_it_looked(make_project):
    folder = make_project({"Templates/Daily.md": "x\n", ".trash/a.md": "x\n", "a.txt": "x"})
    with pytest.raises(ConfigError) as raised:
        sites.detect(configmod.load(None, folder))
    message = str(raised.value)
    assert message.startswith(f"{folder.resolve()}: no articles here: no Markdown file in it")
    assert "hidden ones, node_modules and templates not searched" in message


# --- comments -------------------------------------------------------------------------------


def test_comments_are_left_out_inline_and_over_lines():
    body = "这是公开的。%%这是私人注释%%这也公开。\n\n%%\n整段私人\n注释 `x`\n%%\n\n结尾。"
    r = render(body)
    assert [p.text for p in parse(r.xhtml).iterfind("h:p", NS)] == [
        "这是公开的。这也公开。",
        "结尾。",
    ]
    assert not r.problems


def test_comment_marks_in_code_are_code():
    body = '`printf("%%d%%")`\n\n```matlab\n%% 第一节\nx = 1\n```\n\n%%私人%%公开'
    r = render(body)
    root = parse(r.xhtml)
    assert root.find("h:p/h:code", NS).text == 'printf("%%d%%")'
    assert "%% 第一节" in "".join(root.find(".//h:pre", NS).itertext())
    assert "私人" not in text(r.xhtml) and "公开" in text(r.xhtml)


def test_a_comment_never_closed_hides_the_rest_with_a_warning():
    r = render("第一段。\n\n第二段 %%私人\n\n还是私人。", body_line=4)
    assert [p.text.strip() for p in parse(r.xhtml).iterfind("h:p", NS)] == ["第一段。", "第二段"]
    assert [(p.line, p.message) for p in r.problems] == [
        (
            6,
            "`%%` opens a comment that is never closed: the rest of the note is left out, "
            "as Obsidian hides it",
        ),
    ]


def test_a_blog_prints_comment_marks_as_typed():
    jekyll = site("jekyll")
    a = article("利润 %%x%% 率")
    r = markdown.render(a, context((a,), jekyll))
    assert "%%x%%" in text(r.xhtml)
