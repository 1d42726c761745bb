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
    notice = "languageCode is en-US, but the articles are Japanese: the book is in Japanese (ja)"
    assert notice in caplog.text


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


DOCKER = """
    ---
    title: "用 Docker 部署博客"
    date: 2024-05-03
    ---
    这篇文章记录一下部署的过程。他说:"这个方法很简单。"先写一个 Dockerfile:

    ```dockerfile
    FROM klakegg/hugo:ext-alpine AS build
    WORKDIR /src
    COPY . .
    RUN hugo --minify --baseURL https://example.org/ --environment production
    FROM nginx:alpine
    COPY --from=build /src/public /usr/share/nginx/html
    ```

    然后运行就可以了。详见 [官方文档](https://gohugo.io/getting-started/quick-start/)。
    """
CAFE = """
    ---
    title: 台北的咖啡廳
    date: 2024-03-02
    ---
    這個週末我們去了一家咖啡廳。老闆說:"我們的豆子都是自己烘的。"我覺得這裡的拿鐵很好喝。
    """


def book(run_cli, project) -> tuple[str, str]:
    """The EPUB's language and its first article's text, as a reader's app gets them."""
    assert run_cli(project, "epub", "-o", "book.epub")[0] == 0
    with zipfile.ZipFile(project / "book.epub") as epub:
        opf = epub.read("EPUB/content.opf").decode()
        text = next(epub.read(n) for n in sorted(epub.namelist()) if n.startswith("EPUB/text/"))
    return opf.split("<dc:language>")[1].split("<")[0], text.decode()


def test_hugos_starter_english_over_a_chinese_blog_is_a_chinese_book(make_project, run_cli, caplog):
    project = make_project({"hugo.toml": HUGO, "content/posts/docker.md": DOCKER})
    language, text = book(run_cli, project)
    assert language == "zh-CN"
    assert "他说：“这个方法很简单。”" in text.replace('<span class="pc">', "").replace(
        "</span>", ""
    )
    assert (
        "languageCode is en-US, but the articles are Chinese: the book is in Simplified "
        "Chinese (zh-CN); set [book] language to choose"
    ) in caplog.text


def test_a_jekyll_themes_lang_en_over_traditional_chinese_is_a_traditional_book(
    make_project, run_cli, caplog
):
    project = make_project({
        "_config.yml": "theme: jekyll-theme-chirpy\nlang: en\ntitle: 阿明的部落格\n",
        "_posts/2024-03-02-cafe.md": CAFE,
    })  # fmt: skip
    language, text = book(run_cli, project)
    assert language == "zh-TW"
    assert "「我們的豆子都是自己烘的。」" in text.replace('<span class="pc">', "").replace(
        "</span>", ""
    )
    assert "lang is en, but the articles are Chinese" in caplog.text


def test_minimal_mistakes_locale_is_named_in_the_notice(make_project, caplog):
    config = "theme: minimal-mistakes-jekyll\nlocale: en-US\n"
    posts = {"_posts/2024-03-02-cafe.md": CAFE}
    assert language(make_project, {"_config.yml": config, **posts}) == "zh-TW"
    assert "locale is en-US, but the articles are Chinese" in caplog.text


def test_hexos_language_en_over_a_chinese_blog_is_a_chinese_book(make_project):
    project = make_project({
        "_config.yml": "title: 小王的博客\nlanguage: en\n",
        "source/_posts/docker.md": DOCKER,
    })  # fmt: skip
    assert sitemod.with_site_defaults(configmod.load(None, project)).book.language == "zh-CN"


def test_a_traditional_chinese_blog_that_names_no_language_is_zh_tw(make_project):
    assert language(make_project, {"_posts/2024-03-02-cafe.md": CAFE}) == "zh-TW"


def test_a_site_that_says_only_zh_gets_its_script_from_the_text(make_project):
    config = 'languageCode = "zh"\ntitle = "咖啡"\n'
    posts = {"content/posts/cafe.md": CAFE}
    assert language(make_project, {"hugo.toml": config, **posts}) == "zh-TW"
    posts = {"content/posts/docker.md": DOCKER}
    assert language(make_project, {"hugo.toml": config, **posts}) == "zh"


def test_an_english_blog_quoting_chinese_stays_english(make_project, caplog):
    food = """
        ---
        title: "Ordering food in Shanghai"
        date: 2024-05-03
        ---
        The first phrase I learned was 我要这个 (wǒ yào zhège, "I want this"). The waiter
        smiled and said 好的, which means OK. Then I tried 小笼包 (xiǎolóngbāo), the soup
        dumplings Shanghai is famous for: bite a small hole first and sip the soup.
        """
    posts = {"content/posts/food.md": food}
    assert language(make_project, {"hugo.toml": HUGO, **posts}) == "en-US"
    assert "articles are" not in caplog.text


def test_the_books_own_language_wins_over_chinese_articles(make_project, caplog):
    posts = {"content/posts/docker.md": DOCKER, "bookmaker.toml": '[book]\nlanguage = "en"\n'}
    assert language(make_project, {"hugo.toml": HUGO, **posts}) == "en"
    assert "articles are" not in caplog.text
