"""A blog whose config names no language: Japanese articles make a Japanese book."""

from __future__ import annotations

import zipfile

from bookmaker import config as configmod
from bookmaker import site as sitemod

JAPANESE = """
    ---
    layout: post
    title: "Dockerのちょっとしたコツ"
    date: 2024-05-03 10:00:00 +0900
    ---
    Dockerを使うとき、"コンテナ"と呼ばれる仕組みでアプリを動かします。
    """
CHINESE = """
    ---
    title: "容器的小技巧"
    date: 2024-05-03
    ---
    使用 Docker 时，"容器"这个机制可以运行应用程序。
    """


def language(make_project, files: dict[str, str]) -> str:
    project = make_project({"_config.yml": "title: メモ\n", **files})
    return sitemod.with_site_defaults(configmod.load(None, project)).book.language


def test_a_japanese_blog_that_names_no_language_is_a_japanese_book(make_project):
    assert language(make_project, {"_posts/2024-05-03-docker.md": JAPANESE}) == "ja"


def test_a_chinese_blog_that_names_no_language_stays_chinese(make_project):
    assert language(make_project, {"_posts/2024-05-03-docker.md": CHINESE}) == "zh-CN"


def test_a_language_the_site_or_the_book_names_is_kept(make_project):
    posts = {"_posts/2024-05-03-docker.md": JAPANESE}
    assert (
        language(make_project, {**posts, "bookmaker.toml": '[book]\nlanguage = "zh-TW"\n'})
        == "zh-TW"
    )


HUGO = 'baseURL = "https://example.org/"\nlanguageCode = "en-us"\ntitle = "My New Hugo Site"\n'
ENGLISH = """
    ---
    title: "Learning Japanese"
    date: 2024-05-03
    ---
    Today I learned how to say thank you: ありがとう (arigatou). It is polite enough for
    most situations, and you will hear it everywhere in Tokyo, from shops to trains.
    """


def test_hugos_starter_english_over_japanese_articles_is_a_japanese_book(make_project, caplog):
    posts = {"content/posts/docker.md": JAPANESE}
    assert language(make_project, {"hugo.toml": HUGO, **posts}) == "ja"
    assert "language en-US, but the articles are Japanese" in caplog.text


def test_an_english_blog_quoting_japanese_stays_english(make_project):
    posts = {"content/posts/learning.md": ENGLISH}
    assert language(make_project, {"hugo.toml": HUGO, **posts}) == "en-US"


LEARNING = """
    ---
    title: 动词て形的变化规则
    date: 2024-01-10
    ---
    今天复习了动词的て形。一类动词的变化比较复杂：書く → 書いて、泳ぐ → 泳いで、
    話す → 話して、待つ → 待って、読む → 読んで、帰る → 帰って、買う → 買って。
    例外是「行く → 行って」。二类动词直接去掉る加て：食べる → 食べて、見る → 見て。
    老师说过：「敬語は難しいですが、毎日使えば慣れます。」这句话让我很有信心。
    """


def test_a_chinese_blog_learning_japanese_stays_a_chinese_book(make_project, run_cli):
    project = make_project({
        "_config.yml": "title: 日语学习笔记\n",
        "_posts/2024-01-10-te-form.md": LEARNING,
    })  # fmt: skip
    assert run_cli(project, "epub", "-o", "book.epub")[0] == 0
    with zipfile.ZipFile(project / "book.epub") as book:
        opf = book.read("EPUB/content.opf").decode()
    assert "<dc:language>zh-CN</dc:language>" in opf


def test_an_english_hugo_blogs_japanese_translations_leave_it_english(make_project, run_cli):
    english = "I spent the weekend walking around Tokyo and ate ramen near Ueno station.\n"
    japanese = "週末は東京を歩き回りました。上野駅の近くでラーメンを食べました。お寺も見ました。\n"
    post = "---\ntitle: {}\ndate: 2024-04-01\n---\n\n{}"
    project = make_project({
        "hugo.toml": HUGO + "[languages.en]\nweight = 1\n[languages.ja]\nweight = 2\n",
        "content/posts/tokyo.md": post.format("A Weekend in Tokyo", english),
        "content/posts/tokyo.ja.md": post.format("東京の週末", japanese),
    })  # fmt: skip
    assert run_cli(project, "epub", "-o", "book.epub")[0] == 0
    with zipfile.ZipFile(project / "book.epub") as book:
        opf = book.read("EPUB/content.opf").decode()
    assert "<dc:language>en-US</dc:language>" in opf
