"""The build cache folder: where it is, and `bookmaker clean`."""

from __future__ import annotations

from bookmaker import cache
from bookmaker.config import Config


def test_cache_beside_config_and_clean_removes_it(make_project, run_cli):
    project = make_project({"bookmaker.toml": "[book]\ntitle = 't'\n"})
    config = Config(base=project)
    path = cache.cache_dir(config)
    (path / "images").mkdir()
    (path / "images" / "x.png").write_bytes(b"x")
    assert path == project / ".bookmaker-cache"
    status, _, _ = run_cli(project, "clean")
    assert status == 0
    assert not path.exists()


def test_clean_refuses_a_folder_bookmaker_did_not_make(make_project, run_cli):
    project = make_project({"notes/keep.txt": "precious"})
    status, _, err = run_cli(project, "clean", "--cache-dir", "notes")
    assert status == 2
    assert "does not look like a bookmaker cache" in err
    assert (project / "notes" / "keep.txt").read_text() == "precious"


def test_no_cache_uses_a_throwaway_folder(make_project):
    project = make_project({})
    config = Config(base=project).override("output", cache=False)
    path = cache.cache_dir(config)
    assert not path.is_relative_to(project)
