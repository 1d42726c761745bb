"""bookmaker.toml: unknown keys and wrong types named with file, table and key; precedence."""

from __future__ import annotations

import pytest

from bookmaker import config as configmod
from bookmaker.cli import configure, parser
from bookmaker.errors import ConfigError


def load(make_project, text: str):
    project = make_project({"bookmaker.toml": text})
    return configmod.load(None, project)


def test_defaults_without_a_file(tmp_path):
    c = configmod.load(None, tmp_path)
    assert c.file is None and c.base == tmp_path.resolve()
    assert (c.book.language, c.book.timezone, c.chapters.group, c.chapters.order) == (
        "zh-CN", "+08:00", "auto", "oldest"
    )  # fmt: skip


def test_unknown_key_names_file_table_key_and_valid_keys(make_project):
    with pytest.raises(ConfigError) as info:
        load(make_project, "[content]\ndrafs = true\n")
    message = str(info.value)
    assert "bookmaker.toml" in message and "[content] unknown key `drafs`" in message
    assert "drafts" in message and "include" in message


def test_unknown_table_lists_the_tables(make_project):
    with pytest.raises(
        ConfigError, match=r"unknown table \[chapter\]; valid tables: book, content"
    ):
        load(make_project, "[chapter]\ngroup = 'year'\n")


def test_wrong_choice_lists_the_choices(make_project):
    with pytest.raises(ConfigError, match=r"\[chapters\] group must be one of .*'year/month'"):
        load(make_project, "[chapters]\ngroup = 'week'\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[content]\ndrafts = 'yes'\n", "must be true or false"),
        ("[images]\nepub_max = '1600'\n", "must be a whole number"),
        ("[content]\ntags = [1, 2]\n", "must be a list of strings"),
        ("[book]\ntitle = 3\n", "must be a string"),
        ("[book\n", "bookmaker.toml"),
    ],
)
def test_wrong_types_are_named(make_project, text, message):
    with pytest.raises(ConfigError, match=message):
        load(make_project, text)


def test_a_single_string_is_a_list_of_one(make_project):
    assert load(make_project, "[content]\ntags = 'travel'\n").content.tags == ("travel",)


def test_flags_override_the_file(make_project, monkeypatch):
    project = make_project({"bookmaker.toml": "[content]\ndrafts = false\nsince = '2020-01-01'\n"
                            "[chapters]\ngroup = 'year'\n"})  # fmt: skip
    monkeypatch.chdir(project)
    args = parser().parse_args(
        ["list", "--drafts", "--chapters", "tag", "--tag", "a", "--tag", "b"]
    )
    c = configure(args)
    assert (c.content.drafts, c.chapters.group, c.content.tags) == (True, "tag", ("a", "b"))
    assert c.content.since == "2020-01-01"  # not given on the command line: the file's value
    plain = configure(parser().parse_args(["list"]))
    assert (plain.content.drafts, plain.chapters.group) == (False, "year")


def test_paths_are_relative_to_the_config_file(make_project):
    project = make_project({"sub/bookmaker.toml": "[book]\ncover = 'img/c.jpg'\n"})
    c = configmod.load(project / "sub/bookmaker.toml", project)
    assert c.path(c.book.cover) == (project / "sub/img/c.jpg").resolve()


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="no such config file"):
        configmod.load(tmp_path / "nope.toml", tmp_path)


def test_every_mistake_in_the_file_is_reported_at_once(tmp_path):
    from bookmaker.config import ConfigError, from_dict

    bad = {"bok": {}, "book": {"titel": "x"}, "pdf": {"page_size": "A3"}}
    with pytest.raises(ConfigError) as info:
        from_dict(bad, tmp_path / "bookmaker.toml")
    lines = str(info.value).splitlines()
    assert len(lines) == 3
    assert any("unknown table [bok]" in line for line in lines)
    assert any("[book] unknown key `titel`" in line for line in lines)
    assert any("[pdf] page_size must be one of" in line for line in lines)


def test_control_characters_toml_escapes_write_are_removed(make_project):
    """One in the book's title stopped the EPUB's navigation from being written."""
    c = load(make_project, '[book]\ntitle = "bad\\u0007title"\n[content]\ntags = ["a\\u001bb"]\n')
    assert (c.book.title, c.content.tags) == ("badtitle", ("ab",))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[images]\nepub_max = -5\n", r"\[images\] epub_max must be at least 1 \(got -5\)"),
        ("[images]\nmax_pixels = 0\n", r"\[images\] max_pixels must be at least 1 \(got 0\)"),
        ("[epub]\nsplit_kb = 0\n", r"\[epub\] split_kb must be at least 1 \(got 0\)"),
        ("[pdf]\nchunk_pages = -1\n", r"\[pdf\] chunk_pages must be at least 0 \(got -1\)"),
        ("[serve]\nport = 99999\n", r"\[serve\] port must be between 0 and 65535 \(got 99999\)"),
        ("[send]\nsmtp_port = 0\n", r"\[send\] smtp_port must be between 1 and 65535"),
    ],
)
def test_numbers_out_of_range_name_the_key_and_the_range(make_project, text, message):
    """`epub_max = -5` shrank every picture to 1×1 px; `port = 99999` was a traceback."""
    with pytest.raises(ConfigError, match=r"bookmaker\.toml: " + message):
        load(make_project, text)


def test_numbers_at_the_ends_of_their_range_are_kept(make_project):
    c = load(make_project, "[pdf]\nchunk_pages = 0\n[serve]\nport = 65535\n")
    assert (c.pdf.chunk_pages, c.serve.port) == (0, 65535)


def test_a_language_that_is_no_language_tag_is_refused(make_project):
    """`klingon!!` went into the EPUB as its language: an invalid book, exit 0."""
    with pytest.raises(ConfigError) as info:
        load(make_project, '[book]\nlanguage = "klingon!!"\n')
    assert str(info.value).endswith(
        "bookmaker.toml: [book] language must be a BCP 47 language tag such as zh-CN, "
        "zh-TW, ja or en (got 'klingon!!')"
    )
    assert load(make_project, '[book]\nlanguage = "zh-Hant-TW"\n').book.language == "zh-Hant-TW"


def test_an_unknown_conversion_lists_the_choices(make_project):
    """OpenCC's `x2y.json not found` was a traceback, after the articles were rendered."""
    with pytest.raises(ConfigError, match=r"\[typography\] convert must be one of '', 's2t', "):
        load(make_project, '[typography]\nconvert = "x2y"\n')
    assert load(make_project, '[typography]\nconvert = "s2twp.json"\n').typography.convert
