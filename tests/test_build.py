"""The pipeline end to end: where books go, and that progress never leaks into logs or pipes."""

from __future__ import annotations

from bookmaker.build import build
from bookmaker.config import Config

POST = "---\ntitle: 第一篇\ndate: 2024-01-01 10:00:00\n---\n\n正文。\n"


def test_epub_goes_to_the_output_folder_under_its_usual_name(make_project):
    project = make_project({"content/2024-01-01-a.md": POST, "out/.keep": ""})
    config = Config(base=project).override("book", title="测试")
    result = build(config, ("epub",), output=project / "out")
    assert [p.parent for p in result.outputs] == [project / "out"]
    assert result.outputs[0].suffix == ".epub" and result.outputs[0].stat().st_size > 0
    assert result.problems == ()


def test_no_progress_redraws_on_a_pipe(make_project, run_cli):
    project = make_project({"content/2024-01-01-a.md": POST})
    status, _, err = run_cli(project, "epub", "-o", str(project / "b.epub"))
    assert status == 0
    assert "\r" not in err
    assert (project / "b.epub").is_file()
