"""parallel: the workers' per-process setup (what each worker renders with)."""

from __future__ import annotations

import logging

from PIL import Image as PILImage

from bookmaker import collect, images, parallel
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
        parallel._start(config, collect.collect(config), parents, {}, tmp_path / "entries")
    finally:
        logging.getLogger("bookmaker").setLevel(level)  # the worker set-up quietens logging
    assert parallel._context.images.cache == parents


def test_workers_take_the_parents_hashes_but_hash_a_changed_file_again(make_project, tmp_path):
    # The parent hashed every picture while warming the image cache; a worker starts from
    # those hashes instead of reading 400 MB again, but a file edited in between (new size,
    # new mtime) must be read afresh: the picture in the book is the one on disk.
    project = make_project({"content/2024-01-01-a.md": "---\ntitle: 甲\n---\n\n![图](p.png)\n"})
    picture = project / "content" / "p.png"
    PILImage.new("RGB", (8, 8), (1, 2, 3)).save(picture)
    config = Config(base=project)
    collection = collect.collect(config)
    article = collection.articles()[0]
    cache = tmp_path / "images"
    cache.mkdir()
    store = images.ImageStore(config, collection.site, cache)
    before = store.resolve("p.png", article)
    hashes = images.known_hashes()
    assert any(key[0] == str(picture.resolve()) for key in hashes)

    PILImage.new("RGB", (16, 8), (200, 2, 3)).save(picture)
    level = logging.getLogger("bookmaker").level
    try:
        parallel._start(config, collection, cache, hashes, tmp_path / "entries")
    finally:
        logging.getLogger("bookmaker").setLevel(level)
    after = parallel._context.images.resolve("p.png", article)
    assert (after.width, after.height) == (16, 8)
    assert after.name != before.name
