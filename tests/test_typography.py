"""The typography pass on XHTML fragments: case files, idempotence, profiles, speed of shape."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bookmaker import cjk, typography
from bookmaker.config import TypographyConfig
from bookmaker.errors import ConfigError

CASES = Path(__file__).parent / "typography_cases"
MARKS = {"{WJ}": "\u2060", "{HL}": "\u2005"}


def _unmark(text: str) -> str:
    for k, v in MARKS.items():
        text = text.replace(k, v)
    return text


def _mark(text: str) -> str:
    for k, v in MARKS.items():
        text = text.replace(v, k)
    return text


def _load_cases():
    for path in sorted(CASES.glob("*.case")):
        for block in path.read_text(encoding="utf-8").split("\n=====\n"):
            head, _, rest = block.partition("\n<")
            source, _, expected = ("<" + rest).partition("\n-----\n")
            meta = dict(line.split(": ", 1) for line in head.strip().splitlines())
            yield pytest.param(meta, _unmark(source), _unmark(expected.rstrip("\n")),
                               id=f"{path.stem}: {meta['name']}")  # fmt: skip


def _settings(meta: dict) -> TypographyConfig:
    values = {}
    for f in dataclasses.fields(TypographyConfig):
        if f.name in meta:
            raw = meta[f.name]
            values[f.name] = raw == "true" if raw in ("true", "false") else raw
    return TypographyConfig(**values)


@pytest.mark.parametrize(("meta", "source", "expected"), list(_load_cases()))
def test_case(meta, source, expected):
    settings = _settings(meta)
    out, lang = typography.apply(source, meta["lang"], settings)
    assert _mark(out) == _mark(expected)
    assert lang == meta.get("out-lang", meta["lang"])
    # Idempotent: typesetting the result again (without converting again) changes nothing.
    again, _ = typography.apply(out, lang, dataclasses.replace(settings, convert=""))
    assert _mark(again) == _mark(out)


@pytest.mark.parametrize(
    ("lang", "name"),
    [("zh-CN", "zh-Hans"), ("zh", "zh-Hans"), ("zh-Hans-SG", "zh-Hans"), ("zh-TW", "zh-Hant"),
     ("zh-HK", "zh-Hant"), ("zh-Hant", "zh-Hant"), ("ja-JP", "ja"), ("en-US", "en"), ("", "en"),
     ("fr", "en")],
)  # fmt: skip
def test_profile_from_language(lang, name):
    assert cjk.profile_for(lang).name == name


def test_an_english_article_gets_english_punctuation_and_no_markup():
    """As kramdown and Hugo's typographer print it; no CJK spans, code as written."""
    source = '<p>He said "hi" -- ok...</p>\n<pre><code>"x" -- ...</code></pre>'
    out = '<p>He said “hi” – ok…</p>\n<pre><code>"x" -- ...</code></pre>'
    assert typography.apply(source, "en", TypographyConfig()) == (out, "en")


def test_unknown_conversion_is_a_config_error():
    with pytest.raises(ConfigError, match="convert"):
        typography.apply("<p>中文</p>", "zh-CN", TypographyConfig(convert="s2xx"))


def test_serialised_children_carry_no_namespace_declarations():
    out, _ = typography.apply("<p>用Python<br/>写<img src='a.png' alt=''/></p>", "zh-CN",
                              TypographyConfig())  # fmt: skip
    assert "xmlns" not in out
    assert "<br/>" in out and '<img src="a.png" alt=""/>' in out


def test_vertical_turns_quotes_to_corners_and_sets_two_digits_upright():
    source, _ = typography.apply('<p>他在12月说"好"，共2024人</p>', "zh-CN", TypographyConfig())
    out = typography.for_vertical(source, "zh-CN")
    assert "「好" in out and "」" in out and "“" not in out
    assert '<span class="tcy">12</span>' in out
    assert "2024" in out and '<span class="tcy">20</span>' not in out


def test_a_thousand_articles_typeset_in_a_few_seconds():
    # Not a timing assertion: the work must stay linear (text nodes only, compiled rules).
    paragraph = "<p>" + "我们在2024年用Python写了“很多”代码，然后……好吧。" * 6 + "</p>\n"
    article = paragraph * 10
    out, _ = typography.apply(article, "zh-CN", TypographyConfig())
    assert out.count("<p>") == 10


def _article(body: str):
    from pathlib import Path

    from bookmaker.model import Article

    return Article(path=Path("/x/a.md"), rel="content/a.md", title="t", date=None, body=body,
                   body_line=5, slug="a")  # fmt: skip


def test_book_titles_in_italics_or_nested_are_warned_with_their_line():
    from bookmaker import booktitles

    body = (
        "我读了《说文解字》。\n"  # fine
        "他推荐*《围城》*和<em>《边城》</em>。\n"  # italics
        "```\n*《代码里的》*\n```\n"  # code: untouched
        "行内代码 `*《书》*` 不算。\n"
        "文章《读《史记》有感》写得好。\n"  # nested: should be 〈〉
        "文章《读〈史记〉有感》写得好。\n"  # fine
    )
    problems = booktitles.check(_article(body), "zh-CN")
    assert [(p.path, p.line, p.level) for p in problems] == [
        ("content/a.md", 6, "warning"),
        ("content/a.md", 11, "warning"),
    ]
    assert "italics" in problems[0].message and "〈〉" in problems[1].message
    assert booktitles.check(_article("*《x》*"), "en") == ()
