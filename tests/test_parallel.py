"""parallel: the workers' per-process setup (what each worker renders with)."""

from __future__ import annotations

import logging

from PIL import Image as PILImage

from bookmaker import collect, parallel
from bookmaker.config import Config


def test_workers_use_the_parents_image_cache_even_with_no_cache(make_project, tmp_path):
    # With `--no-cache` the cache is a throwaway folder per process: a worker making its own
    # would process again every image the parent's `warm` had just processed.
    project = make_project({"content/2024-01-01-a.md": "---\ntitle: 甲\n---\n\n![图](p.png)\n"})
    PILImage.new("RGB", (8, 8), (1, 2, 3)).save(project / "content" / "p.png")
    config = Config(base=project).override("output", cache=False)
    parents = tmp_path / "parents-images"
    parents.mkdir()
    level = logging.getLogger("bookmaker").level
    try:
        parallel._start(config, collect.collect(config), parents)
    finally:
        logging.getLogger("bookmaker").setLevel(level)  # the worker set-up quietens logging
    assert parallel._context.images.cache == parents
