"""Notes written in Obsidian or Typora: a vault's folders, wikilinks, embeds, comments,
highlights, line breaks and inline #tags, as those editors show them."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from PIL import Image as PILImage
from render_util import NS, XHTML, article, context, parse, render, site, text

from bookmaker import collect as collector
from bookmaker import config as configmod
from bookmaker import markdown
from bookmaker import site as sites
from bookmaker.errors import ConfigError
from bookmaker.render import render_book


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


# --- inline #tags ---------------------------------------------------------------------------

TAGGED = (
    "---\ntags: [日记]\n---\n"
    "#标签1 #标签2 今天跑步， #运动/跑步。又，#不算（Obsidian 也不算）。\n"
    "#不是标题\n\n## 小节 ##\n\n"
    "见 issue #123、[上文](#小节)、https://example.com/a#frag、[[周报#计划]]、a#b、&#35;。\n\n"
    '`#代码` %%#私人%% <span style="color: #fff">白</span>\n\n```\n#围栏\n```\n#标签1\n'
)


def test_inline_tags_in_a_vault_are_the_notes_tags(make_project):
    vault = make_project({".obsidian/app.json": "{}", "journal/2024-04-15.md": TAGGED})
    (found,) = collect(vault).articles()
    assert found.tags == ("日记", "标签1", "标签2", "运动/跑步", "不是标题")
    assert [a.rel for a in collect(vault, tags=("运动/跑步",)).articles()] == [found.rel]


def test_outside_a_vault_a_hash_in_the_text_is_no_tag(make_project):
    folder = make_project({"journal/2024-04-15.md": TAGGED})
    (found,) = collect(folder).articles()
    assert found.tags == ("日记",)


# --- wikilinks ------------------------------------------------------------------------------

WEEKLY = "2024-03-12 周报 第10周"


def note(name: str, body: str = "正文。", folder: str = "content", **kw):
    """A note at `/site/<folder>/<name>.md`, its slug made from its name."""
    slug = "n-" + str(abs(hash((folder, name))) % 10**8)
    path = Path(f"/site/{folder}/{name}.md")
    return article(body, slug=slug, path=path, rel=f"{folder}/{name}.md", **kw)


def rendered(body: str, *others, **kw):
    """`body` as a note of a vault holding `others` too; its XHTML root and problems."""
    a = note("今天", body, **kw)
    r = markdown.render(a, context((a, *others)))
    return parse(r.xhtml), r.problems


def test_wikilinks_link_to_notes_showing_the_label_or_the_name():
    weekly = note(WEEKLY, "## 下周计划\n\n继续。")
    other = note("Other note", folder="content/deep/er")
    body = (
        f"见 [[{WEEKLY}|上周的周报]]、[[other note]]、[[{WEEKLY}#下周计划]]、"
        f"[[{WEEKLY}#没有这节]] 和 [[Other note.md#^b1c2]]。\n\n![[Other note]]"
    )
    root, problems = rendered(body, weekly, other)
    found = [(a.text, a.get("href")) for a in root.iterfind(".//h:a", NS)]
    assert found == [
        ("上周的周报", f"#{weekly.slug}"),
        ("other note", f"#{other.slug}"),
        (f"{WEEKLY} > 下周计划", f"#{weekly.slug}-u-00a809a5df"),
        (f"{WEEKLY} > 没有这节", f"#{weekly.slug}"),  # no such heading: the note itself
        ("Other note.md > ^b1c2", f"#{other.slug}"),
        ("Other note", f"#{other.slug}"),  # an embedded note: a link, not its text again
    ]
    assert not problems


def test_a_heading_link_matches_the_id_the_heading_gets():
    weekly = note(WEEKLY, "## 下周计划\n\n继续。")
    a = note("今天", f"[[{WEEKLY}#下周计划]]")
    ctx = context((a, weekly))
    target = parse(markdown.render(weekly, ctx).xhtml).find("h:h2", NS).get("id")
    href = parse(markdown.render(a, ctx).xhtml).find(".//h:a", NS).get("href")
    assert href == f"#{target}"


def test_a_name_two_notes_share_links_to_the_one_nearest_the_root():
    deep = note("会议", "深处。", folder="content/2024/03")
    near = note("会议", "近处。", folder="content/work")
    root, _ = rendered("[[会议]] 与 [[2024/03/会议]]", deep, near)
    assert [a.get("href") for a in root.iterfind(".//h:a", NS)] == [
        f"#{near.slug}",
        f"#{deep.slug}",
    ]


def test_a_note_not_in_the_book_is_its_label_with_a_warning():
    root, problems = rendered("第一行\n\n见 [[不存在的笔记|那篇]] 和 [[草稿]]。", body_line=3)
    assert [s.text for s in root.iterfind(".//h:span[@class='dead-link']", NS)] == ["那篇", "草稿"]
    assert [(p.line, p.message) for p in problems] == [
        (5, "link to [[不存在的笔记]] is not in this book and has no web address"),
        (5, "link to [[草稿]] is not in this book and has no web address"),
    ]


def test_a_link_to_a_heading_of_the_same_note():
    root, _ = rendered("[[#小节]]\n\n## 小节\n\n正文。")
    link = root.find(".//h:a", NS)
    assert (link.text, link.get("href")) == ("小节", "#" + root.find("h:h2", NS).get("id"))


def test_wikilinks_in_tables_and_labels_that_look_like_markdown():
    weekly = note(WEEKLY)
    body = f"| 周 | 报告 |\n|---|---|\n| 10 | [[{WEEKLY}\\|第*十*周_报]] |\n"
    root, _ = rendered(body, weekly)
    link = root.find(".//h:td/h:a", NS)
    assert (link.text, link.get("href")) == ("第*十*周_报", f"#{weekly.slug}")
    assert len(root.findall(".//h:td", NS)) == 2


def test_citations_escapes_and_code_keep_their_brackets():
    body = (
        "有研究[[1]]表明。\n\n[1]: https://example.com/paper\n\n"
        "`[[不是链接]]` 与 \\[[也不是]]\n\n```\n[[代码]]\n```\n"
    )
    root, problems = rendered(body)
    first, second = root.findall("h:p", NS)
    assert first.text == "有研究[[1]]表明。"  # a citation of `[1]:`, as on any other site
    assert second.find("h:code", NS).text == "[[不是链接]]"
    assert second.find("h:code", NS).tail == " 与 [[也不是]]"
    assert root.find(".//h:pre/h:code", NS).text.strip() == "[[代码]]"
    assert not problems


@pytest.mark.parametrize("kind", ["jekyll", "hugo", "hexo"])
def test_blogs_print_double_brackets_as_typed(kind):
    a = article("见 [[另一篇]]。")
    r = markdown.render(a, context((a,), site(kind)))
    assert "[[另一篇]]" in text(r.xhtml) and not r.problems


def test_an_embedded_file_a_book_cannot_show_is_named_with_a_warning():
    root, problems = rendered("附件：\n\n![[报告 2024.pdf]]", body_line=7)
    assert [p.text for p in root.findall("h:p", NS)] == ["附件：", "报告 2024.pdf"]
    assert [(p.line, p.message) for p in problems] == [
        (9, "![[报告 2024.pdf]]: a book cannot show this file; its name is printed"),
    ]


def test_a_cached_note_follows_the_note_its_wikilink_names(make_project):
    vault = make_project(
        {
            ".obsidian/app.json": "{}",
            "a/2024-04-15 今天.md": "见 [[2024-03-12 周报#计划]]。\n",
            "b/2024-03-12 周报.md": "## 计划\n\n写。\n",
        }
    )

    def link() -> str | None:
        notes, _ = build(vault, cache=True)
        return notes["2024-04-15 今天.md"][0].find(".//h:a", NS).get("href")

    assert link().endswith("-u-" + hashlib.sha256("计划".encode()).hexdigest()[:10])
    (vault / "b/2024-03-12 周报.md").write_text("## 总结\n\n写完了。\n", encoding="utf-8")
    assert "-u-" not in link()  # the heading is gone: the note itself
    (vault / "b/2024-03-12 周报.md").unlink()
    notes, problems = build(vault, cache=True)
    assert notes["2024-04-15 今天.md"][0].find(".//h:a", NS) is None
    assert problems == [
        "a/2024-04-15 今天.md:1: warning: link to [[2024-03-12 周报#计划]] is not in this "
        "book and has no web address"
    ]


# --- line breaks ----------------------------------------------------------------------------

POEM = "---\ndate: 2024-04-15\n---\n床前明月光\n疑是地上霜\n"


def test_in_a_vault_each_newline_breaks_the_line_unless_strict(make_project):
    vault = make_project({".obsidian/app.json": "{}", "诗/静夜思.md": POEM})
    poem = notes_of(vault).find("h:p", NS)
    assert (poem.text, poem[0].tag) == ("床前明月光", f"{{{XHTML}}}br")
    (vault / ".obsidian/app.json").write_text(json.dumps({"strictLineBreaks": True}))
    assert notes_of(vault).find(".//h:br", NS) is None  # the cached note follows the setting


def test_outside_a_vault_a_newline_joins_the_lines(make_project):
    folder = make_project({"诗/静夜思.md": POEM})
    assert notes_of(folder).find(".//h:br", NS) is None


def notes_of(folder: Path):
    notes, _ = build(folder, cache=True)
    return notes["静夜思.md"][0]


# --- embedded pictures ----------------------------------------------------------------------


def png(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (60, 40), colour).save(out, "PNG")
    return out.getvalue()


RED, GREEN, BLUE = png((200, 0, 0)), png((0, 200, 0)), png((0, 0, 200))


def build(folder: Path, cache: bool = False):
    """The vault's book: {note's file name: (XHTML root, picture files shown)}, problems."""
    cfg = configmod.load(None, folder).override("output", cache=cache)
    book = render_book(cfg, collector.collect(cfg), workers=1)
    notes = {}
    for r in book.rendered:
        files = [img.source.relative_to(folder.resolve()).as_posix() for img in r.images]
        notes[r.article.path.name] = (parse(r.xhtml), files)
    return notes, [str(p) for p in book.problems]


def test_embedded_pictures_are_found_by_name_nearest_the_note_first(make_project):
    vault = make_project(
        {
            ".obsidian/app.json": "{}",
            "attachments/pic.png": RED,
            "attachments/Pasted image 20240101123456.png": BLUE,
            "journal/pic.png": GREEN,
            "journal/2024-04-15.md": "![[pic.png]]\n\n![[Pasted image 20240101123456.png]]\n",
            "posts/2024-04-16 猫.md": "![[pic.png|300]]\n\n![[猫 咪.jpg|一只猫|300x200]]\n",
            "相册/2023/猫 咪.jpg": png((9, 9, 9)),
        }
    )
    notes, problems = build(vault)
    journal, journal_files = notes["2024-04-15.md"]
    assert journal_files == ["journal/pic.png", "attachments/Pasted image 20240101123456.png"]
    assert [f.tag for f in journal] == [f"{{{XHTML}}}figure"] * 2
    posts, posts_files = notes["2024-04-16 猫.md"]
    assert posts_files == ["attachments/pic.png", "相册/2023/猫 咪.jpg"]
    sizes = [(i.get("width"), i.get("height"), i.get("alt")) for i in posts.iter(f"{{{XHTML}}}img")]
    assert sizes == [("300", None, ""), ("300", "200", "一只猫")]
    assert problems == []


def test_a_missing_or_outside_picture_is_a_warning_naming_its_line(make_project, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(RED)
    vault = make_project(
        {
            ".obsidian/app.json": "{}",
            "2024-04-15.md": "---\ntitle: 图\n---\n开头。\n\n![[没有.png]]\n\n![[secret.png]]\n",
        }
    )
    (vault / "attachments").mkdir()
    (vault / "attachments/secret.png").symlink_to(outside / "secret.png")
    notes, problems = build(vault)
    assert notes["2024-04-15.md"][1] == []
    assert problems == [
        "2024-04-15.md:6: warning: image not found: 没有.png",
        "2024-04-15.md:8: warning: image outside the content folders refused: secret.png",
    ]


def test_an_inline_footnote_is_a_footnote_numbered_where_it_stands():
    """`^[…]` (Obsidian, Typora, Pandoc) printed as typed."""
    source = "正文^[一条脚注，见[这里](https://x.org)]后文，又[^a]。\n\n`^[代码]`\n\n[^a]: 自己的\n"
    r = render(source, context(the_site=site("plain")))
    found = parse(r.xhtml).iterfind(".//h:div[@class='footnote']//h:li", NS)
    notes = ["".join(li.itertext()).strip() for li in found]
    assert notes[0].startswith("一条脚注，见这里") and notes[1].startswith("自己的")
    assert "^[代码]" in r.xhtml and "^[一条" not in r.xhtml


def test_typoras_root_url_is_where_a_site_absolute_picture_is(make_project, run_cli):
    """Typora writes `typora-root-url: ../` and `![](/assets/a.png)`: not found before."""
    import io

    from PIL import Image as PILImage

    png = io.BytesIO()
    PILImage.new("RGB", (40, 30), (9, 99, 199)).save(png, format="PNG")
    project = make_project({
        "notes/2024/2024-03-01-typora.md": (
            "---\ntitle: Typora 笔记\ntypora-root-url: ../../static\n---\n![截图](/img/a.png)\n"
        ),
        "static/img/a.png": png.getvalue(),
    })  # fmt: skip
    status, _, err = run_cli(project, "epub", "-o", "book.epub")
    assert status == 0 and "not found" not in err, err


def test_a_picture_without_alt_text_asks_for_it_as_an_embed_writes_it_too(make_project, run_cli):
    """A note's picture may be an embed: the warning shows both ways of describing it (a
    blog's shows only Markdown's: tests/test_zenn.py)."""
    vault = make_project(
        {".obsidian/app.json": "{}", "2024-04-15 跑步.md": "![[a.png]]\n\n跑步。\n"}
    )
    PILImage.new("RGB", (40, 30), "white").save(vault / "a.png")
    status, _, err = run_cli(vault, "epub", "-o", "book.epub")
    assert status == 0
    assert "describe it: ![描述](…), or ![[…|描述]] for an Obsidian embed" in err
