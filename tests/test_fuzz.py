"""Hypothesis over whole article files: the collector and the HTML stage never crash.

Files are built from the pieces real and hostile articles are made of (fences, YAML and
TOML syntax, anchors and aliases, tags, dates, CJK text, Markdown and HTML punctuation,
control characters, BOMs, CR line ends), written as bytes into a project and collected
the way `bookmaker` does. Every outcome must be an Article or a Problem naming the file;
every Article must render (Markdown, sanitizer, typography) to a well-formed fragment
without the "could not render" fallback, which only a bug reaches.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from bookmaker import collect, config, render

FRONT_PIECES = [
    "---\n", "+++\n", "...\n", "title: ", "date: ", "tags: ", "lang: ", "draft: ", "slug: ",
    "&a ", "*a", "[", "]", "{", "}", ", ", ": ", "- ", "\n", "  ", "'", '"', "!!str ",
    "!!python/object:os.system ", "no", "yes", "null", "~", "3.10", "0x1F", "1e9",
    "2024-02-30", "2024-01-01T25:00:00", "2024-06-01 10:00 +08:00", "标题", "タイトル",
    "= ", "#", "|", ">", "\t", "\ufeff", "\r", "\x00", "\x1b",
]  # fmt: skip
BODY_PIECES = [
    "\n", "\n\n", "# ", "## ", "- ", "1. ", "> ", "    ", "```", "~~~", "$$", "$", "`",
    "*", "_", "**", "[", "](", ")", "![", "<", ">", "</", "&", "&amp;", "&#0;", "|", "---",
    "{% raw %}", "{% endraw %}", "{{ x }}", "{{< figure src=\"a.png\" >}}", "[^1]", "[^1]: ",
    "<script>", "<svg onload=x>", "<a href='javascript:x'>", "<img src=../../x.png>",
    "<!--", "-->", "<![CDATA[", "]]>", "\\", "\\(", "\\)", "http://example.com/", "中文",
    "「引号」", "“", "”", "——", "……", "日本語", "English", " ", "\u200b", "\ufffe", "\x0c",
]  # fmt: skip

pieces = st.one_of(st.sampled_from(FRONT_PIECES), st.text(max_size=8))
bodies = st.lists(st.one_of(st.sampled_from(BODY_PIECES), st.text(max_size=10)), max_size=60)
# Half the files have good front matter, so the bodies reach the HTML stage.
fronts = st.one_of(
    st.just("title: 题\ndate: 2024-01-01"), st.lists(pieces, max_size=40).map("".join)
)
articles = st.tuples(
    fronts,
    st.booleans(),
    bodies.map("".join),
)
SETTINGS = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure here is reproducible
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
RAN = {"files": 0, "articles": 0}


def _config(root: Path) -> config.Config:
    return config.Config(base=root).override("content", dirs=("content",), undated="end")


@SETTINGS
@given(articles, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]), st.booleans())
def test_collect_and_render_never_crash(tmp_path_factory, article, encoding, crlf):
    front, closed, body = article
    text = f"---\n{front}\n{'---' if closed else ''}\n{body}"
    if crlf:
        text = text.replace("\n", "\r\n")
    data = text.encode(encoding, "surrogatepass") if encoding != "gb18030" else _gb(text)
    root = tmp_path_factory.mktemp("fuzz")
    (root / "content").mkdir()
    (root / "content" / "2024-01-01-x.md").write_bytes(data)
    cfg = _config(root)
    collection = collect.collect(cfg)
    RAN["files"] += 1
    for p in collection.problems:
        assert p.path == "content/2024-01-01-x.md" and p.level in ("error", "warning")
    book = render.render_book(cfg, collection, workers=1)
    for r in book.rendered:
        RAN["articles"] += 1
        assert not any("could not render" in p.message for p in r.problems), r.problems
        etree.fromstring(f'<div xmlns="http://www.w3.org/1999/xhtml">{r.xhtml}</div>')


def _gb(text: str) -> bytes:
    return text.encode("gb18030", "replace")


def test_zz_fuzz_ran_enough():
    # Runs after the fuzz test in file order; says how much was exercised.
    print(f"fuzz: {RAN['files']} files collected, {RAN['articles']} articles rendered")
    assert RAN["files"] == 0 or RAN["files"] >= SETTINGS.max_examples // 2
