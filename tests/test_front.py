"""Front matter: YAML and TOML, safely loaded, errors at their line in the file."""

from __future__ import annotations

import pytest

from bookmaker import front
from bookmaker.errors import ContentError


def test_yaml_front_matter_and_body_line():
    f = front.split("---\ntitle: 标题\ntags: [a, b]\n---\n\n正文\n")
    assert f.meta == {"title": "标题", "tags": ["a", "b"]}
    assert f.kind == "yaml"
    assert f.body == "\n正文\n"
    assert f.body_line == 5
    assert f.lines == {"title": 2, "tags": 3}


def test_toml_front_matter():
    f = front.split('+++\ntitle = "标题"\ndate = 2025-10-23T10:00:00+08:00\n+++\n正文')
    assert f.meta["title"] == "标题"
    assert f.meta["date"].utcoffset().total_seconds() == 8 * 3600
    assert (f.kind, f.body, f.body_line) == ("toml", "正文", 5)


def test_no_front_matter():
    f = front.split("# 标题\n正文\n")
    assert (f.meta, f.kind, f.body_line) == ({}, "", 1)


@pytest.mark.parametrize(
    ("written", "expected"),
    [("no", "no"), ("yes", "yes"), ("1.10", "1.10"), ("2025", "2025"), ("null", "null"),
     ("'quoted: yes'", "quoted: yes"), ("2025-10-23", "2025-10-23")],
)  # fmt: skip
def test_text_fields_keep_what_the_author_wrote(written, expected):
    assert front.split(f"---\ntitle: {written}\n---\n").meta["title"] == expected


def test_tags_keep_what_the_author_wrote():
    assert front.split("---\ntags: [1.10, no, AI]\n---\n").meta["tags"] == ["1.10", "no", "AI"]


def test_empty_title_stays_missing():
    assert front.split("---\ntitle:\n---\n").meta["title"] is None


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("---\ntitle: ok\ndate: 2025-10-23\n  bad: indent\n---\n", 4, "not valid YAML"),
        ("---\ntitle: ok\n\nbody without end\n", 1, "never closed"),
        ('+++\ntitle = "ok"\ndate = \n+++\n', 3, "not valid TOML"),
        ("---\n- a list\n---\n", 2, "key: value"),
    ],
)
def test_errors_name_the_line_in_the_file(text, line, message):
    with pytest.raises(ContentError) as info:
        front.split(text, "posts/a.md")
    assert info.value.line == line
    assert message in info.value.message
    assert str(info.value).startswith(f"posts/a.md:{line}: ")


def test_python_tags_are_refused():
    with pytest.raises(ContentError, match="constructor"):
        front.split("---\nx: !!python/object/apply:os.system ['echo hi']\n---\n")


def test_alias_bomb_is_refused_before_it_is_built():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):  # 9**12 strings if anything expanded it
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(ContentError, match="expands to more than"):
        front.split("---\n" + "\n".join(lines) + "\n---\n")


def test_recursive_alias_is_refused():
    with pytest.raises(ContentError, match="recursive"):
        front.split("---\na: &a [*a]\n---\n")


def test_oversized_front_matter_is_refused():
    with pytest.raises(ContentError, match="longer than"):
        front.split("---\n" + "x: 1\n" * 100_000 + "---\n")


def test_control_characters_yaml_escapes_make_are_removed_with_one_warning_at_their_line():
    """textio cleans the raw text; `"\\x1b"` in YAML makes the character again after that,
    and one in a title or a tag stopped the EPUB's navigation from being written."""
    text = (
        '---\ndate: 2025-01-01\ntitle: "a\\x1bb"\ntags: ["c\\ad", ok]\ncover: {alt: "e\\0f"}\n---\n'
    )
    f = front.split(text, "posts/a.md")
    assert (f.meta["title"], f.meta["tags"], f.meta["cover"]) == ("ab", ["cd", "ok"], {"alt": "ef"})
    assert f.warnings == (
        (3, "removed 3 control character(s) from the front matter (first: '\\x1b' in `title`)"),
    )


def test_control_characters_toml_escapes_make_are_removed():
    f = front.split('+++\ndate = 2025-01-01\ntitle = "a\\u0001b"\n+++\n')
    assert f.meta["title"] == "ab" and f.warnings[0][0] == 3


def test_clean_front_matter_has_no_warning():
    assert front.split("---\ntitle: 标题\ttab\n---\n").warnings == ()


def test_a_title_with_a_control_character_builds_an_epub_and_is_named(make_project, run_cli):
    import zipfile

    project = make_project(
        {"content/a.md": '---\ntitle: "甲\\x1b乙"\ndate: 2025-01-01\n---\n正文\n'}
    )
    status, _, err = run_cli(project, "epub", "-o", "out/")
    assert status == 0, err
    assert "content/a.md:2: warning: removed 1 control character(s)" in err
    (book,) = (project / "out").glob("*.epub")
    with zipfile.ZipFile(book) as zf:
        assert "甲乙" in zf.read("EPUB/nav.xhtml").decode()


def test_a_language_that_is_no_language_tag_is_left_out_with_a_warning_at_its_line():
    """It became the article's xml:lang: an invalid EPUB, with exit 0."""
    f = front.split('---\ntitle: 标题\nlang: "x y<z"\n---\n')
    assert "lang" not in f.meta
    assert f.warnings == (
        (
            3,
            "`lang` 'x y<z' is not a language tag such as zh-CN, zh-TW, ja or en: "
            "the article is in the book's language",
        ),
    )


def test_a_language_written_as_a_locale_is_read_as_its_tag():
    assert front.split("---\nlang: zh_TW\n---\n").meta["lang"] == "zh-TW"
    assert front.split("+++\nlanguage = 'ja'\n+++\n").warnings == ()


def test_an_article_whose_language_is_no_tag_is_in_the_books_language(make_project, run_cli):
    import zipfile

    project = make_project({
        "content/a.md": '---\ntitle: 一\ndate: 2025-01-01\nlang: "x y<z"\n---\n正文\n',
        "bookmaker.toml": '[book]\ntitle = "书"\nlanguage = "zh-TW"\n',
    })  # fmt: skip
    status, _, err = run_cli(project, "epub", "-o", "book.epub")
    assert status == 0, err
    assert "content/a.md:4: warning: `lang` 'x y<z' is not a language tag" in err
    with zipfile.ZipFile(project / "book.epub") as zf:
        (text,) = [zf.read(n).decode() for n in zf.namelist() if n.startswith("EPUB/text/p-")]
    assert 'xml:lang="zh-TW"' in text and "x y" not in text
