"""Articles -> RenderedArticles on every core: Markdown and typography in worker processes.

Each worker builds its RenderContext once (the initializer), then renders the articles it
is sent and stores each in the article cache; results come back in the order asked, so
the book is the same as a serial run's. A few articles are rendered in-process: starting
workers costs more than they would save.
"""

from __future__ import annotations

import concurrent.futures
import logging
import multiprocessing
import os
from collections.abc import Callable
from pathlib import Path

from . import ctrlc, images
from .config import Config
from .model import Article, Collection, RenderedArticle

log = logging.getLogger(__name__)

# Starting the workers (a Python, the Markdown and typography modules, the context, each)
# costs as much as rendering ~70 articles in this process: ~0.5 s against ~7 ms an article,
# measured on 2 cores. 100 articles took 0.85 s on two workers and 0.73 s in-process.
START_COST = 70
CHUNK = 8  # articles per message: fewer round trips, still balanced at the end

_context = None  # the worker's RenderContext, made once by `_start`
_by_path: dict[str, Article] = {}
_entries = None  # the worker's ArticleCache


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def worth_it(misses: int, workers: int | None) -> bool:
    if workers is not None:
        return workers > 1 and misses > 1
    n = cores()
    # With n workers the articles take 1/n of the time: worth it when the time saved,
    # misses × (1 - 1/n) articles' worth, repays the start.
    return n > 1 and misses * (1 - 1 / n) >= START_COST


def render_many(
    config: Config,
    collection: Collection,
    articles: list[Article],
    entries: Path,
    workers: int | None = None,
    advance: Callable[[int], None] = lambda n: None,
) -> list[RenderedArticle] | None:
    """Each article rendered, in order, and stored in the article cache in `entries` by the
    worker that rendered it; None when no worker could be started (a host program without
    a `__main__` guard, no room for processes): render serially."""
    workers = max(1, min(workers or cores(), len(articles)))
    # spawn, not fork: threads may be about (the image pool's), and a fork would copy them
    # in an unknown state; one interpreter start-up per worker is cheap next to the work.
    ctx = multiprocessing.get_context("spawn")
    paths = [str(a.path) for a in articles]
    # The parent's image cache, named: with `--no-cache` each worker would otherwise make a
    # throwaway folder of its own and process again every image `warm` has just processed.
    image_cache = images.ImageStore.create(config, collection.site).cache
    setup = (config, collection, image_cache, images.known_hashes(), entries)
    out = []
    try:
        with concurrent.futures.ProcessPoolExecutor(
            workers, mp_context=ctx, initializer=_start, initargs=setup
        ) as pool:
            for result in pool.map(_render, paths, chunksize=CHUNK):
                advance(1)
                out.append(result)
    except (concurrent.futures.process.BrokenProcessPool, OSError) as exc:
        log.warning("rendering: worker processes unavailable (%s); one by one instead", exc)
        return None
    return out


def _start(
    config: Config, collection: Collection, image_cache: Path, hashes: dict, entries: Path
) -> None:
    global _context, _by_path, _entries
    from . import markdown

    ctrlc.quiet_in_worker()
    from .articlecache import ArticleCache

    images.learn_hashes(hashes)  # the parent hashed every picture already (`warm`)
    logging.getLogger("bookmaker").setLevel(logging.WARNING)
    store = images.ImageStore(config, collection.site, image_cache)
    _context = markdown.RenderContext.create(config, collection, store)
    _by_path = {str(a.path): a for a in collection.articles()}
    # Stored here, not by the parent once all are back: 0.7 s of a 1,000-article build
    # that would otherwise run alone after the workers, spread over them instead.
    _entries = ArticleCache(entries, config, collection.site)


def _render(path: str) -> RenderedArticle:
    from .render import render_recorded

    rendered, deps = render_recorded(_context, _by_path[path])
    _entries.store(rendered, deps)
    return rendered
