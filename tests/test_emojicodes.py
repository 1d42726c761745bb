"""`:smile:` codes: 😄 where the blog's own generator turned them into emoji, else as typed."""

from __future__ import annotations

import json

import pytest
from render_util import article, context, render, site, text

from bookmaker import config as configmod
from bookmaker import emojicodes
from bookmaker import site as sites


def test_codes_on_githubs_list_become_emoji_and_nothing_else_does():
    source = "开心 :smile: 点赞 :+1: :thumbsup: 庆祝 :tada: 10:30:00 :param: `:smile:`\n"
    assert emojicodes.expand(source) == ("开心 😄 点赞 👍 👍 庆祝 🎉 10:30:00 :param: `:smile:`\n")


def test_an_article_gets_emoji_only_on_a_site_that_shows_them():
    body = "今天 :tada: 完成"
    a = article(body)
    assert "🎉" in text(render(body, context((a,), site(emoji=True))).xhtml)
    assert ":tada:" in text(render(body).xhtml)  # no emoji plugin: typed text stays


@pytest.mark.parametrize(
    ("files", "emoji"),
    [
        ({"_config.yml": "plugins:\n  - jemoji\n", "_posts/2024-01-01-a.md": "x"}, True),
        ({"_config.yml": "title: x\n", "_posts/2024-01-01-a.md": "x"}, False),
        ({"hugo.toml": "enableEmoji = true\n", "content/a.md": "x"}, True),
        ({"hugo.toml": "title = 'x'\n", "content/a.md": "x"}, False),
        (
            {
                "_config.yml": "title: x\n",
                "source/_posts/a.md": "x",
                "package.json": json.dumps({"dependencies": {"hexo-filter-github-emojis": "3"}}),
            },
            True,
        ),
        ({"_config.yml": "title: x\n", "source/_posts/a.md": "x"}, False),
    ],
)
def test_the_site_says_whether_it_turns_codes_into_emoji(make_project, files, emoji):
    project = make_project(files)
    assert sites.detect(configmod.load(None, project)).emoji is emoji


def test_an_emoji_with_a_text_form_comes_as_the_emoji():
    """:heart: was U+2764 alone, a black text heart on most readers; GitHub shows ❤️."""
    assert emojicodes.expand("爱 :heart: :warning:") == "爱 \u2764\ufe0f \u26a0\ufe0f"
