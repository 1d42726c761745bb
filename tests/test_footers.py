"""The footer a newsletter repeats at the end of every issue is printed by no issue (footers.py)."""

from __future__ import annotations

import logging
import zipfile

from bookmaker import collect as collector
from bookmaker import config as configmod

BODIES = [
    "这是第一封信。我想聊聊为什么开始写这个通讯：每周读到的好东西太多，记下来分享给大家。",
    "第二封信来得有点晚。本周 Rust 1.76 发布，我试了试新的 trait upcasting，很好用。",
    "这周读完了《人月神话》，书里的很多观点到今天仍然成立，值得每个程序员一读。",
]
FOOTER = """
---

*感谢阅读！如果你喜欢这封信，请转发给朋友。*
[在浏览器中阅读](https://buttondown.com/me/archive/{n}/) · [退订]({{{{ unsubscribe_url }}}})
"""


def _letters(ends: list[str]) -> dict[str, str]:
    return {
        f"emails/letter-{n}.md": f"---\nsubject: 第 {n} 封信\npublish_date: 2024-03-0{n}\n---\n\n"
        f"{body}\n\n## 本周链接\n\n- [链接 {n}](https://example.com/{n})\n{end.format(n=n)}"
        for n, (body, end) in enumerate(zip(BODIES, ends, strict=True), 1)
    }


def _bodies(project, **content) -> list[str]:
    config = configmod.load(None, project)
    config = config.override("content", **content) if content else config
    return [a.body for a in collector.collect(config).articles()]


def test_the_footer_every_issue_ends_with_is_left_out(make_project, run_cli, caplog):
    project = make_project(_letters([FOOTER] * 3))
    assert run_cli(project, "epub", "-o", "book.epub")[0] == 0
    assert "3 articles end with the same footer (“*感谢阅读！" in caplog.text
    with zipfile.ZipFile(project / "book.epub") as book:
        third = book.read("EPUB/text/letter-3.xhtml").decode()
    assert "人月神话" in third and "https://example.com/3" in third
    assert "退订" not in third and "浏览器" not in third and "<hr" not in third


def test_a_footer_is_kept_when_asked_or_when_few_issues_share_it(make_project):
    project = make_project(_letters([FOOTER, FOOTER, "\n再见。\n"]))
    assert ["退订" in body for body in _bodies(project)] == [True, True, False]
    project = make_project(_letters([FOOTER] * 3), project.parent / "asked")
    assert all("退订" in body for body in _bodies(project, footers=True))


def test_an_end_mark_a_quotation_or_code_is_the_authors_own(make_project, tmp_path):
    ends = {
        "mark": "\n（完）\n",
        "quote": "\n> 读者来信：[我的博客](https://example.org/)\n",
        "code": "\n```sh\ncurl https://example.com/\n```\n",
    }
    for name, end in ends.items():
        project = make_project(_letters([end] * 3), tmp_path / name)
        assert all(end.strip() in body for body in _bodies(project)), name


def test_a_footer_is_a_small_part_of_its_issue(make_project):
    short = "\n[订阅](https://example.com/subscribe)\n"
    project = make_project({
        f"emails/{n}.md": f"---\ntitle: {n}\ndate: 2024-03-0{n}\n---\n\n你好。\n{short}"
        for n in (1, 2, 3)
    })  # fmt: skip
    assert all("订阅" in body for body in _bodies(project))


def test_issues_that_each_end_with_their_own_picture_keep_it(make_project, tmp_path):
    ends = ["\n![](https://cdn.example.com/a.webp)\n", "\n![](https://cdn.example.com/b.webp)\n",
            "\n![](https://cdn.example.com/c.webp)\n"]  # fmt: skip
    project = make_project(_letters(ends))
    assert all("cdn.example.com" in body for body in _bodies(project))


INTRO = "这里记录每周值得分享的科技内容，周五发布。\n\n本杂志[开源](https://github.com/ruanyf/weekly)，欢迎投稿。\n"
ISSUE = (
    "# 周刊（第 {n} 期）\n\n{intro}\n## 封面图\n\n"
    "本期的封面是上海外滩的夜景，拍摄于 2025 年 {n} 月。\n\n## 文章\n\n第 {n} 期的文章。\n"
)


def _issues(intro: str = INTRO) -> dict[str, str]:
    return {f"docs/issue-{n}.md": ISSUE.format(n=n, intro=intro) for n in (1, 2, 10)}


def test_the_opening_every_issue_repeats_is_printed_once_in_the_first(make_project, caplog):
    with caplog.at_level(logging.INFO, logger="bookmaker.footers"):
        bodies = _bodies(make_project(_issues()))
    assert ["本杂志" in body for body in bodies] == [True, False, False]
    assert ["周五发布" in body for body in bodies] == [True, False, False]
    assert all("上海外滩" in body for body in bodies)
    assert bodies[1].split("\n").index("## 封面图") == bodies[0].split("\n").index("## 封面图")
    assert (
        "3 articles open with the same paragraphs (“这里记录每周值得分享的科技内容" in caplog.text
    )


def test_newest_first_the_newest_issue_keeps_the_opening(make_project):
    project = make_project(_issues())
    config = configmod.load(None, project).override("chapters", order="newest")
    kept = [a.rel for a in collector.collect(config).articles() if "本杂志" in a.body]
    assert kept == ["docs/issue-10.md"]


def test_an_opening_without_a_link_is_the_authors_own(make_project):
    bodies = _bodies(make_project(_issues("大家好，又到了周五。\n")))
    assert all("大家好" in body for body in bodies)


LICENCE = """
---

本文作者：[小林](https://xiaolin.example.com/about/)
本文采用 [CC BY-NC-SA 4.0](https://creativecommons.org/licenses/by-nc-sa/4.0/) 许可协议。
"""
FOLLOW = "\n欢迎关注我的公众号：[小林说](https://mp.weixin.qq.com/xiaolin)\n"


def test_a_blogs_licence_line_every_post_ends_with_stays(make_project, run_cli, caplog):
    project = make_project({
        f"content/2024-03-0{n}-post-{n}.md": f"---\ntitle: 第 {n} 篇\n---\n\n{body}\n"
        f"{body}\n{LICENCE}{FOLLOW}"
        for n, body in enumerate(BODIES, 1)
    })  # fmt: skip
    assert run_cli(project, "epub", "-o", "book.epub")[0] == 0
    assert "3 articles end with the same footer (“欢迎关注我的公众号" in caplog.text
    with zipfile.ZipFile(project / "book.epub") as book:
        for n in (1, 2, 3):
            post = book.read(f"EPUB/text/post-{n}.xhtml").decode()
            assert "本文采用" in post and "creativecommons.org/licenses/by-nc-sa" in post
            assert "本文作者" in post and "公众号" not in post


def test_an_emails_copyright_beside_its_unsubscribe_link_is_still_a_footer(make_project):
    end = "\n© 2024 小林 · [退订]({{{{ unsubscribe_url }}}})\n"
    assert not any("退订" in body for body in _bodies(make_project(_letters([end] * 3))))


def test_a_translations_source_link_each_post_ends_with_stays(make_project):
    project = make_project({
        f"content/2024-03-0{n}-post-{n}.md": f"---\ntitle: 第 {n} 篇\n---\n\n{body}\n{body}\n\n"
        f"原文链接：[点击阅读](https://blog.example.com/post-{n})\n"
        for n, body in enumerate(BODIES, 1)
    })  # fmt: skip
    bodies = _bodies(project)
    assert len(bodies) == 3
    assert all(f"原文链接：[点击阅读](https://blog.example.com/post-{n})" in b
               for n, b in enumerate(bodies, 1))  # fmt: skip
