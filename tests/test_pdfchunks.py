"""Cutting the body into parts, and numbering pages across them."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from bookmaker.pdfchunks import PageInfo, groups, plan
from bookmaker.pdfdoc import Block
from bookmaker.pdfmerge import paginate

REPO = Path(__file__).resolve().parent.parent  # this checkout, not an installed bookmaker


def opener(name):
    return Block("chapter", name, name, 0, "", 0)


def article(name, pages, joins=False):
    return Block("article", name, name, 0, "", pages, joins=joins)


def names(runs):
    return [[b.anchor for b in run] for run in runs]


def test_zero_means_one_document():
    blocks = [opener("c1"), article("a", 50, True), opener("c2"), article("b", 50, True)]
    assert names(plan(blocks, 0)) == [["c1", "a", "c2", "b"]]


def test_parts_start_at_chapter_openers():
    blocks = [
        opener("c1"),
        article("a", 8, True),
        article("b", 4),
        opener("c2"),
        article("c", 3, True),
        opener("c3"),
        article("d", 3, True),
    ]
    assert names(plan(blocks, 6)) == [["c1", "a", "b"], ["c2", "c"], ["c3", "d"]]


def test_the_last_pages_go_in_half_then_quarter_size_parts():
    """Small parts last: they fill in while the other core ends a big one, and an edit in
    the last chapter (a new post) renders fewer pages again."""
    blocks = []
    for n in range(10):
        blocks += [opener(f"c{n}"), article(f"a{n}", 5, True), article(f"b{n}", 5)]
    sizes = [sum(b.pages for b in run) for run in plan(blocks, 20)]
    assert sizes == [20, 20, 20, 10, 10, 10, 10]  # a chapter is not cut for a quarter
    assert [b.kind for run in plan(blocks, 20) for b in run[:1]] == ["chapter"] * 7
    posts = [b for n in range(20) for b in (opener(f"c{n}"), article(f"a{n}", 5, True))]
    assert [sum(b.pages for b in run) for run in plan(posts, 20)] == [20, 20, 20, 10, 10, 10, 5, 5]
    # a book of two runs or less: no quarters (nothing to gain; each part has its own fonts)
    assert [sum(b.pages for b in run) for run in plan(posts[:12], 20)] == [10, 10, 10]


def test_a_long_chapter_is_cut_between_articles_never_after_its_opener():
    blocks = [opener("c1"), article("a", 20, True), article("b", 20), article("c", 20)]
    runs = plan(blocks, 10)
    assert names(runs) == [["c1", "a"], ["b"], ["c"]]


def test_groups_keep_openers_with_what_follows():
    blocks = [
        opener("c1"),
        article("a", 1, True),
        article("b", 1),
        opener("c2"),
        article("c", 1, True),
    ]
    assert names(groups(blocks)) == [["c1", "a"], ["b"], ["c2", "c"]]


def pages(n, first_right=True, anchors=None, blank=()):
    anchors = anchors or {}
    return tuple(
        PageInfo(
            tuple((a, 1.0, 2.0) for a in anchors.get(i, ())),
            i in blank,
            (i % 2 == 0) == first_right,
        )
        for i in range(n)
    )


def test_an_opener_starts_on_a_right_hand_page():
    p = paginate([pages(3), pages(2, anchors={0: ["c2"]})], {"c2"}, shift_px=10)
    assert [s.part for s in p.slots] == [0, 0, 0, -1, 1, 1]
    assert p.slots[3].blank
    assert p.anchors["c2"] == (4, 1.0, 2.0)  # body page 5: a right-hand page


def test_a_part_starting_mid_chapter_on_a_left_page_is_shifted():
    # laid out as starting on a right-hand page, it lands on page 4, a left-hand page
    p = paginate([pages(3), pages(2, anchors={0: ["x"]})], set(), shift_px=10)
    assert [s.part for s in p.slots] == [0, 0, 0, 1, 1, -1]
    assert [s.shift for s in p.slots] == [0, 0, 0, -1, 1, 0]
    assert p.anchors["x"] == (3, 1.0 - 10, 2.0)


def test_blank_pages_laid_out_for_the_wrong_side_are_dropped():
    # part 2 guessed it starts on a right page and left page 1 blank before its opener;
    # it really starts on page 4 (left), so the opener lands on page 5 with no blank.
    part2 = pages(3, anchors={2: ["c2"]}, blank={1})
    p = paginate([pages(3), part2], {"c2"}, shift_px=10)
    slots = [(s.part, s.page) for s in p.slots]
    assert slots == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 2), (-1, 0)]
    assert p.anchors["c2"][0] == 4


def test_the_body_ends_on_a_left_hand_page():
    # printers bind leaves: an odd last page gets a blank back (the front matter is even)
    assert [s.blank for s in paginate([pages(3)], set(), shift_px=0).slots][-1]
    assert len(paginate([pages(4)], set(), shift_px=0).slots) == 4


def test_first_occurrence_of_an_anchor_wins():
    p = paginate([pages(2, anchors={0: ["a"], 1: ["a"]})], set(), shift_px=0)
    assert p.anchors["a"][0] == 0


# ---- time budgets (issue 9): proportionate per part, small for an article retried alone ----


def test_time_budget_grows_with_pages_and_is_capped():
    from bookmaker.pdfchunks import TIME_LIMIT_S, time_budget

    assert time_budget(1) < time_budget(160) < time_budget(2000) == TIME_LIMIT_S
    assert time_budget(160) <= 300  # a normal part renders in ~10 s
    assert time_budget(10, retry=True) <= 65  # one article alone, after its part failed


def test_a_failed_part_is_retried_article_by_article_under_small_limits(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from bookmaker import pdf
    from bookmaker.pdfchunks import Result, time_budget

    seen: list[list[tuple[str, int]]] = []

    def fake_run(ctx, jobs, single, *level):
        seen.append(jobs)
        failed = {"body-0": "took too long", "body-0-1": "took too long"}
        return [Result(key, "", error=failed.get(key, "")) for key, _ in jobs]

    monkeypatch.setattr(pdf.pdfdoc, "body_html", lambda *a: "")
    monkeypatch.setattr(pdf, "_run", fake_run)
    ctx = SimpleNamespace(
        layout=None, book=None, assets=None, css=lambda marks: "",
        job=lambda key, html, out, time_limit=0: (key, time_limit),
    )  # fmt: skip
    bad = Block("article", "bad", "bad", 0, "", 3, "content/bad.md")
    run = [opener("c1"), article("a", 5, True), bad]
    problems: list = []
    parts = pdf._render_body(ctx, [run], tmp_path, False, problems)
    assert seen[0] == [("body-0", time_budget(8))]
    assert seen[1] == [("body-0-0", time_budget(5, True)), ("body-0-1", time_budget(3, True))]
    assert max(limit for _, limit in seen[1]) <= 65
    assert [p.path for p in problems] == ["content/bad.md"]
    assert [[b.anchor for b in blocks] for _, _, blocks in parts] == [["c1", "a"]]


def test_render_all_reports_each_part_as_it_finishes_and_returns_them_in_order(tmp_path):
    # The progress display advances per part: at 1,000 posts it sat at `pdf parts 0/22`
    # for the whole minute of rendering.
    from bookmaker.pdfchunks import Job, render_all

    pages = {"one": 1, "three": 3}
    jobs = [
        Job(
            key,
            "<html><body>" + '<p style="break-after: page">x</p>' * n + "</body></html>",
            tmp_path.as_uri() + "/",
            (str(tmp_path),),
            str(tmp_path / f"{key}.pdf"),
        )
        for key, n in pages.items()
    ]
    finished = []
    results = render_all(jobs, 2, lambda i, r: finished.append((i, r.key, len(r.pages))))
    assert sorted(finished) == [(0, "one", 1), (1, "three", 3)]
    assert [(r.key, len(r.pages), r.error) for r in results] == [("one", 1, ""), ("three", 3, "")]


FIRST_RENDER = """
import sys
from bookmaker import pdfchunks
for name in ("weasyprint", *pdfchunks.RENDER_MODULES):  # what the fork server preloads
    __import__(name)
before = set(sys.modules)
from pathlib import Path
job = pdfchunks.Job("t", "<p>中文 Latin</p>", Path.cwd().as_uri() + "/", (), sys.argv[1])
assert not pdfchunks.render_job(job, limits=False).error
new = set(sys.modules) - before
print(" ".join(sorted(m for m in new if m.startswith(("bookmaker", "pikepdf")))))
"""

FIRST_LOADS = """
import sys
import pyphen
from weasyprint.text.ffi import ffi
from bookmaker import pdfchunks
if sys.argv[2] == "preloaded":
    for name in ("weasyprint", *pdfchunks.RENDER_MODULES):  # what the fork server preloads
        __import__(name)
patterns, types = set(pyphen.hdcache), set(ffi._parsed_types)  # cffi's parses, by type name
from pathlib import Path
html = '<p lang="zh-CN" style="hyphens: auto">中文<span lang="en">hyphenation</span></p>'
job = pdfchunks.Job("t", html, Path.cwd().as_uri() + "/", (), sys.argv[1])
assert not pdfchunks.render_job(job, limits=False).error
print(len(set(pyphen.hdcache) - patterns), len(set(ffi._parsed_types) - types))
"""


def test_a_part_imports_nothing_the_fork_server_has_not_loaded(tmp_path):
    """Every part renders in a fresh process forked from the fork server: a module the
    renderer imports that the server did not preload is imported again by every part."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", FIRST_RENDER, str(tmp_path / "t.pdf")],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )  # fmt: skip
    assert out.stdout.split() == []


def first_loads(tmp_path, preloaded: bool) -> list[int]:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", FIRST_LOADS, str(tmp_path / "t.pdf"), "preloaded" * preloaded],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )  # fmt: skip
    return [int(n) for n in out.stdout.split()]


def test_a_part_parses_no_hyphenation_patterns_or_c_types_the_fork_server_has(tmp_path):
    """A fresh part parsed pyphen's English patterns and two dozen C type names (a dozen
    new in every part: arrays sized in the name) on first use: 0.2 s a part."""
    patterns, types = first_loads(tmp_path, preloaded=False)
    assert patterns == 1 and types > 5  # what a part did before the preload
    assert first_loads(tmp_path, preloaded=True) == [0, 0]


def test_arrays_sized_by_their_values_are_the_same_arrays():
    from weasyprint.text.ffi import ffi

    from bookmaker import forkwarm

    forkwarm.install()
    gids = [3, 1, 4, 1, 5]
    array = ffi.new(f"hb_codepoint_t[{len(gids)}]", gids)  # as WeasyPrint makes them
    assert list(array) == gids and len(array) == 5 and ffi.sizeof(array) == 5 * 4
    padded = ffi.new("hb_codepoint_t[8]", gids)  # fewer values than the size: as asked
    assert list(padded) == [*gids, 0, 0, 0] and ffi.sizeof(padded) == 8 * 4
    assert ffi.new("unsigned int *", 100)[0] == 100


BUILD_WITHOUT_WEASYPRINT = """
import sys
from bookmaker import cli
status = cli.main(["pdf", "-q", "-o", "book.pdf"])
print(status, "weasyprint" in sys.modules)
"""


def test_the_process_handing_out_parts_does_not_load_weasyprint(make_project):
    """Only the workers render: WeasyPrint in the parent was 0.3 s of a build's start and
    45 MB of its memory while the parts render."""
    import subprocess
    import sys

    project = make_project(
        {"bookmaker.toml": '[book]\ntitle = "书"\n', "content/a.md": "---\ntitle: 一\n"
         "date: 2024-01-02\n---\n\n正文 Latin text.\n"}
    )  # fmt: skip
    out = subprocess.run(
        [sys.executable, "-c", BUILD_WITHOUT_WEASYPRINT],
        capture_output=True, text=True, check=True, cwd=project,
    )  # fmt: skip
    assert out.stdout.split() == ["0", "False"]
    assert (project / "book.pdf").stat().st_size > 1000


def test_a_build_leaves_nothing_in_the_temporary_folder(make_project, tmp_path):
    """WeasyPrint keeps a document's fonts in a `weasyprint-*` folder its finalizer removes;
    the parts exit without finalizers, and every build left three of them (~2 MB)."""
    import subprocess
    import sys

    project = make_project(
        {"bookmaker.toml": '[book]\ntitle = "书"\n', "content/a.md": "---\ntitle: 一\n"
         "date: 2024-01-02\n---\n\n正文 Latin text.\n"}
    )  # fmt: skip
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    subprocess.run(
        [sys.executable, "-c", BUILD_WITHOUT_WEASYPRINT],
        capture_output=True, text=True, check=True, cwd=project,
        env={**os.environ, "TMPDIR": str(temporary), "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert (project / "book.pdf").stat().st_size > 1000
    assert sorted(p.name for p in temporary.iterdir()) == []


def test_one_document_prints_no_more_of_weasyprints_log_than_parts_do(
    make_project, run_cli, caplog
):
    """`chunk_pages = 0` rendered in the build's own process, where WeasyPrint's complaints
    about the layout's CSS ("Ignored `hanging-punctuation: none`") reached the terminal."""
    project = make_project({"content/a.md": "---\ntitle: 一\ndate: 2024-01-02\n---\n\n正文。\n"})
    for flags in (("--single-document",), ()):
        caplog.clear()
        status, _, err = run_cli(project, "pdf", "--no-cache", "-o", "book.pdf", *flags)
        assert status == 0, err
        said = [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")]
        assert said == [], said[:3]


STYLESHEET_WORK = """
import json, os, sys
from pathlib import Path
import tinycss2
from weasyprint import css
from bookmaker import pdfchunks

counts = {"sheets": 0, "rules": 0}
parse_sheet, check = tinycss2.parse_stylesheet_bytes, css.preprocess_declarations
def counting_parse(*args, **kwargs):
    counts["sheets"] += 1
    return parse_sheet(*args, **kwargs)
def counting_check(base_url, declarations, prelude=None):
    counts["rules"] += prelude is not None  # a stylesheet's rule (not a style attribute)
    return check(base_url, declarations, prelude)
tinycss2.parse_stylesheet_bytes, css.preprocess_declarations = counting_parse, counting_check

here = Path.cwd()
head = '<head><meta charset="utf-8"><link rel="stylesheet" href="book.css"></head>'
def job(key, body, out):
    html = f'<html lang="zh-CN">{head}<body>{body}</body></html>'
    return pdfchunks.Job(key, html, here.as_uri() + "/", (str(here),), str(out))
if sys.argv[1] == "warm-up":  # what start_server leaves the fork server
    os.environ[pdfchunks.WARMUP_ENV] = pdfchunks.encode_warmup(job("w", "<p>预热</p>", "x"))
for name in ("weasyprint", *pdfchunks.RENDER_MODULES):  # the fork server's preload
    __import__(name)
before = dict(counts)
part = job("part", "<h1>标题</h1><p>正文 Latin。</p>", here / "part.pdf")
assert not pdfchunks.render_job(part, limits=False).error
print(counts["sheets"] - before["sheets"], counts["rules"] - before["rules"])
"""


def stylesheet_work(tmp_path, mode: str) -> list[int]:
    import subprocess
    import sys

    css = "h1 { color: #333; font-size: 2em } p { text-indent: 2em } .x, .y { margin: 0 }"
    (tmp_path / "book.css").write_text(css, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-c", STYLESHEET_WORK, mode],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )  # fmt: skip
    return [int(n) for n in out.stdout.split()]


def test_parts_forked_after_the_warm_up_page_parse_no_stylesheet(tmp_path):
    """The fork server renders a page with the book's stylesheets before the parts fork from
    it: each part parsed and checked every stylesheet again, ~40 ms a part."""
    sheets, rules = stylesheet_work(tmp_path, "cold")
    assert sheets >= 1 and rules >= 3  # what every part did
    assert stylesheet_work(tmp_path, "warm-up") == [0, 0]


def test_the_warm_up_page_goes_to_the_fork_server_only_while_it_starts(monkeypatch):
    from multiprocessing import forkserver

    from bookmaker import pdfchunks

    seen = []
    monkeypatch.setattr(
        forkserver, "ensure_running", lambda: seen.append(os.environ.get(pdfchunks.WARMUP_ENV))
    )
    aliases = (("file:///bookmaker-project/", "file:///home/me/blog/"),)
    job = pdfchunks.Job("w", "<p>预热</p>", "file:///t/", ("/t",), "out.pdf", aliases=aliases)
    pdfchunks.start_server(job)
    assert seen[0] and pdfchunks.WARMUP_ENV not in os.environ
    monkeypatch.setenv(pdfchunks.WARMUP_ENV, seen[0])
    again = pdfchunks.warmup_from_environment()
    assert again == dataclasses.replace(job, out=os.devnull)
    assert pdfchunks.WARMUP_ENV not in os.environ  # read once: no grandchild renders it again


COLLECTOR_IN_A_PART = """
import gc, sys
from pathlib import Path
from bookmaker import pdfchunks
seen, render = [], pdfchunks._render
def probe(job):
    seen.append(gc.isenabled())
    return render(job)
pdfchunks._render = probe
job = pdfchunks.Job("t", "<p>中文</p>", Path.cwd().as_uri() + "/", (), "t.pdf")
assert not pdfchunks.render_job(job, limits=sys.argv[1] == "worker").error
print(seen[0])
"""


def test_a_worker_renders_its_part_without_the_cycle_collector(tmp_path):
    """16% of a part's time went to Python's cycle collector; a worker exits after its part,
    so it does without. A document rendered in the build's own process keeps it."""
    import subprocess
    import sys

    def collector_on(where: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", COLLECTOR_IN_A_PART, where],
            capture_output=True, text=True, check=True, cwd=tmp_path,
        ).stdout.strip()  # fmt: skip

    assert collector_on("worker") == "False"
    assert collector_on("this process") == "True"
