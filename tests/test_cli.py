"""`bookmaker list`: what a user sees, the JSON shape, exit statuses, flags over the file."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from bookmaker import front, progress

REPO = Path(__file__).resolve().parent.parent

BLOG = {
    "content/2025-01-05-snow.md": "---\ntitle: 初雪\ndate: 2025-01-05\ntags: [冬天]\n---\n正文\n",
    "content/2025-02-11-train.md": "---\ntitle: 火车\n---\n正文\n",
    "content/2024-12-31-review.md": "# 年终总结\n\n正文\n",
    "content/README.md": "# not an article\n",
}


def test_list_json_shape(make_project, run_cli):
    project = make_project(BLOG)
    status, out, err = run_cli(project, "list", "--json", "--chapters", "month")
    assert status == 0, err
    data = json.loads(out)
    assert set(data) == {"title", "site", "chapters", "problems"}
    assert data["title"] == "project"
    assert data["site"]["kind"] == "plain"
    assert [c["title"] for c in data["chapters"]] == ["2024年12月", "2025年1月", "2025年2月"]
    snow = data["chapters"][1]["articles"][0]
    assert snow == {
        "title": "初雪",
        "date": "2025-01-05T00:00:00+08:00",
        "path": "content/2025-01-05-snow.md",
        "tags": ["冬天"],
    }
    assert data["problems"] == []


def test_list_json_nested_chapters(make_project, run_cli):
    project = make_project(BLOG)
    _, out, _ = run_cli(project, "list", "--json", "--chapters", "year/month")
    data = json.loads(out)
    assert [c["title"] for c in data["chapters"]] == ["2024年", "2025年"]
    assert [c["title"] for c in data["chapters"][1]["chapters"]] == ["2025年1月", "2025年2月"]


def test_list_text_shows_site_chapters_articles_and_paths(make_project, run_cli):
    status, out, _ = run_cli(make_project(BLOG), "list")
    assert status == 0
    assert "content folder" in out
    assert "2025年  [2]" in out  # three posts in three months: chapters by year
    assert "2025-01-05  初雪" in out and "content/2025-01-05-snow.md" in out
    assert "README" not in out


def test_verbose_lists_skipped_files(make_project, run_cli):
    _, out, _ = run_cli(make_project(BLOG), "list", "-v")
    assert "content/README.md: not an article" in out


def test_problems_start_below_the_list_in_a_terminal(make_project):
    """Listed on stdout, the problems follow on stderr: where both show (a terminal, 2>&1),
    the first problem ran on under the list's last line."""
    project = make_project(BLOG | {"content/2025-03-01-bad.md": "---\ntitle: [oops\n---\n"})
    done = subprocess.run(
        [sys.executable, "-m", "bookmaker.cli", "list", "-v"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False,
    )  # fmt: skip
    listed, _, problems = done.stdout.partition("content/2025-03-01-bad.md:2: error")
    assert problems and listed.endswith("(README and the like)\n\n")


def test_broken_article_is_reported_and_the_exit_status_says_so(make_project, run_cli):
    project = make_project(BLOG | {"content/2025-03-01-bad.md": "---\ntitle: [oops\n---\n"})
    status, out, err = run_cli(project, "list")
    assert status == 1
    assert "火车" in out  # the others are still listed
    assert "content/2025-03-01-bad.md:2: error: front matter is not valid YAML" in err
    assert "1 error(s), 0 warning(s)" in err
    status, out, _ = run_cli(project, "list", "--json")
    assert status == 1
    [problem] = json.loads(out)["problems"]
    assert problem["path"] == "content/2025-03-01-bad.md"
    assert problem["line"] == 2 and problem["level"] == "error"


def test_strict_fails_on_warnings(make_project, run_cli):
    project = make_project(
        BLOG | {"content/2025-03-01-gbk.md": "# 编码\n我们今天讨论了新的项目计划。\n".encode("gbk")}
    )
    status, _, err = run_cli(project, "list")
    assert status == 0 and "read as GB18030" in err
    status, _, _ = run_cli(project, "list", "--strict")
    assert status == 1


def test_flags_override_the_file(make_project, run_cli):
    project = make_project(
        BLOG
        | {
            "bookmaker.toml": '[chapters]\ngroup = "year"\norder = "newest"\n'
            '[content]\ntags = ["冬天"]\n'
        }
    )
    _, out, _ = run_cli(project, "list", "--json")
    data = json.loads(out)
    assert [c["title"] for c in data["chapters"]] == ["2025年"]  # the file's settings
    _, out, _ = run_cli(
        project, "list", "--json", "--chapters", "month", "--order", "oldest", "--tag", "X"
    )
    assert json.loads(out)["chapters"] == []
    _, out, _ = run_cli(project, "list", "--json", "--chapters", "month", "--order", "oldest")
    assert [c["title"] for c in json.loads(out)["chapters"]] == ["2025年1月"]


def test_config_file_option_and_paths_relative_to_it(make_project, run_cli):
    project = make_project(
        {
            "site/posts/2025-01-01-a.md": "# A\n",
            "conf/book.toml": '[content]\ndirs = ["../site/posts"]\n',
        }
    )
    status, out, err = run_cli(project, "list", "--json", "-c", "conf/book.toml")
    assert status == 0, err
    assert json.loads(out)["chapters"][0]["articles"][0]["path"] == "../site/posts/2025-01-01-a.md"


def test_unknown_config_key_is_a_usage_error(make_project, run_cli):
    project = make_project(BLOG | {"bookmaker.toml": "[book]\ntitel = 'x'\n"})
    status, out, err = run_cli(project, "list")
    assert status == 2 and out == ""
    assert "bookmaker.toml: [book] unknown key `titel`" in err and "title" in err
    assert "Traceback" not in err


def test_bad_since_flag_is_a_usage_error(make_project, run_cli):
    status, _, err = run_cli(make_project(BLOG), "list", "--since", "yesterday")
    assert status == 2 and "[content] since" in err


def test_progress_draws_only_on_a_terminal(capsys, caplog):
    caplog.set_level(logging.INFO, logger="bookmaker")  # as `bookmaker` without -q

    class Tty:
        def __init__(self):
            self.text = ""

        def isatty(self):
            return True

        def write(self, s):
            self.text += s

        def flush(self):
            pass

    tty = Tty()
    with progress.Progress("collecting", 2, stream=tty) as p:
        p.advance()
        p.advance()
    assert "collecting 2/2" in tty.text and tty.text.endswith("\r")
    with progress.Progress("collecting", 2) as p:  # pytest's stderr is not a terminal
        p.advance()
    assert capsys.readouterr().err == ""


class _Tty(io.StringIO):
    def isatty(self):
        return True


def _screen(written: str) -> list[str]:
    """The lines a terminal shows after `written` (`\\r` returns to the line's start)."""
    lines, col = [""], 0
    for ch in written:
        if ch == "\n":
            lines.append("")
            col = 0
        elif ch == "\r":
            col = 0
        else:
            lines[-1] = lines[-1][:col] + ch + lines[-1][col + 1 :]
            col += 1
    return [line.rstrip(" ") for line in lines]


def test_a_log_message_gets_its_own_line_and_the_display_comes_back(caplog):
    # `images 0/100images: processed 95 new image(s)`: the message ran on from the display.
    caplog.set_level(logging.INFO, logger="bookmaker")
    tty = _Tty()
    handler = progress.ProgressHandler(tty)
    log = logging.getLogger("bookmaker.test")
    log.addHandler(handler)
    try:
        with progress.Progress("images", stream=tty) as p:
            p.advance()
            log.info("images: processed 1 new image(s)")
            shown = _screen(tty.getvalue())
            p.advance()
    finally:
        log.removeHandler(handler)
    assert shown == ["images: processed 1 new image(s)", "images 1"]
    assert _screen(tty.getvalue())[-1] == ""  # gone when the stage ends


def test_a_stage_within_a_stage_leaves_no_stray_characters_and_gives_the_line_back(caplog):
    caplog.set_level(logging.INFO, logger="bookmaker")
    tty = _Tty()
    with progress.Progress("writing pdf", 1, stream=tty) as outer:
        outer.advance(0)
        with progress.Progress("pdf parts", 3, stream=tty) as inner:
            inner.advance()
            assert _screen(tty.getvalue()) == ["pdf parts 1/3"]  # not `pdf parts 1/3/1`
        assert _screen(tty.getvalue()) == ["writing pdf 0/1"]


def sample_articles() -> list[Path]:
    """Every published sample article: drafts are left out of the book by design."""
    found = []
    for path in sorted((REPO / "content").rglob("*.md")):
        meta = (
            front.split(path.read_text(encoding="utf-8")).meta if path.name != "README.md" else {}
        )
        if meta and meta.get("draft") is not True and meta.get("published") is not False:
            found.append(path)
    return found


@pytest.mark.skipif(not sample_articles(), reason="the sample collection is not there yet")
def test_sample_collection_lists_every_article_once_in_date_order_by_month():
    done = subprocess.run(
        [sys.executable, "-m", "bookmaker.cli", "list", "--json"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    articles = [a for c in data["chapters"] for a in c["articles"]]
    paths = [a["path"] for a in articles]
    assert sorted(paths) == sorted(p.relative_to(REPO).as_posix() for p in sample_articles())
    when = [datetime.fromisoformat(a["date"]) for a in articles]
    assert when == sorted(when)
    for chapter in data["chapters"]:
        months = {
            (datetime.fromisoformat(a["date"]).year, datetime.fromisoformat(a["date"]).month)
            for a in chapter["articles"]
        }
        assert len(months) == 1
        [(year, month)] = months
        assert chapter["title"] == f"{year}年{month}月"
    assert all(a["title"] and not a["title"].endswith(".md") for a in articles)
    assert data["problems"] == []
