"""HTML documents -> PDF files, rendered in worker processes under a time and memory limit.

WeasyPrint keeps a whole document in memory and slows as it grows, so the body is cut into
chunks (`plan`) rendered in parallel (`render_all`). Each worker reports, for every page,
the anchors on it and whether WeasyPrint left it blank: that is all the main process
needs to number pages, stamp running heads, fill in the contents and link across chunks.
A chunk that exceeds its limits is reported, not fatal.
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import contextlib
import gc
import json
import logging
import multiprocessing
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from . import ctrlc
from .pdfdoc import Block

log = logging.getLogger(__name__)

TIME_LIMIT_S = 900  # the most any document may take; a normal 160-page chunk takes ~10 s
MEMORY_LIMIT_MB = 3072  # address space of one worker (fonts are mapped, so generous)
# Budgets proportionate to the estimated pages, ~20 times what WeasyPrint 70 needs on 2
# cores (about 30 pages a second), so one pathological article cannot hold a worker for
# long. A retry renders one article alone after its part failed: it gets much less.
CHUNK_BASE_S, CHUNK_PER_PAGE_S = 120, 1.0
RETRY_BASE_S, RETRY_PER_PAGE_S = 60, 0.5


@dataclass(frozen=True)
class Job:
    """One WeasyPrint document to render into `out`."""

    key: str  # "body-3", "front", "folios-0": for messages
    html: str
    base_url: str
    roots: tuple[str, ...]
    out: str
    options: dict = field(default_factory=dict)
    time_limit: int = TIME_LIMIT_S
    memory_mb: int = MEMORY_LIMIT_MB
    aliases: tuple[tuple[str, str], ...] = ()  # stable URL prefix -> real one (urlfetch)


@dataclass(frozen=True)
class PageInfo:
    anchors: tuple[tuple[str, float, float], ...]  # (id, x, y) in CSS px from the top left
    blank: bool  # left empty by WeasyPrint before a right-hand opener
    right: bool  # laid out as a right-hand (recto) page


@dataclass(frozen=True)
class Result:
    key: str
    out: str
    pages: tuple[PageInfo, ...] = ()
    refused: tuple[tuple[str, str], ...] = ()
    faces: dict = field(default_factory=dict)  # PDF font name -> pdffonts.Face
    error: str = ""  # why the document could not be rendered; "" when it was
    seconds: float = 0.0  # wall time the worker took (0 when taken from the cache)
    sha256: str = ""  # of the file at `out`, when known (the cache hashes every part)


# ---- planning ---------------------------------------------------------------------------


def time_budget(pages: float, retry: bool = False) -> int:
    """Seconds a document of about `pages` pages may take (never more than TIME_LIMIT_S)."""
    base, per_page = (RETRY_BASE_S, RETRY_PER_PAGE_S) if retry else (CHUNK_BASE_S, CHUNK_PER_PAGE_S)
    return max(1, int(min(TIME_LIMIT_S, base + per_page * pages)))


def plan(blocks: list[Block], chunk_pages: int) -> list[list[Block]]:
    """Consecutive runs of blocks of about `chunk_pages` pages; 0 means one run.

    A run preferably starts at a chapter opener (it then starts on a right-hand page, as
    the opener would anyway); a very long chapter is cut between two articles.

    The book's last pages (under two runs' worth) go in runs of half the size, the last
    half run's worth in quarters: the workers take the longest runs first, so small ones
    are left to fill in at the end, not one core idling while the other renders a big run
    alone (~1 s of 3,130 pages); and an edit in the last chapter (a new post) renders a
    quarter of a run again. A book of two runs or less is not cut in quarters: it would
    gain nothing, and each part brings font dictionaries of its own (the sample book in two
    parts: +33 KB, 1.2%; a picture both parts show is stored once, `pdfpictures`).
    """
    if chunk_pages <= 0 or not blocks:
        return [blocks] if blocks else []
    runs: list[list[Block]] = [[]]
    pages, left = 0.0, sum(b.pages for b in blocks)
    smallest = chunk_pages / 4 if left > 2 * chunk_pages else chunk_pages / 2
    size = _run_size(chunk_pages, left, smallest)
    for b in blocks:
        full = pages >= size and (b.kind != "article" or pages >= 1.5 * size)
        if runs[-1] and full and not b.joins:
            runs.append([])
            pages = 0.0
            size = _run_size(chunk_pages, left, smallest)
        runs[-1].append(b)
        pages += b.pages
        left -= b.pages
    return runs


def _run_size(chunk_pages: int, left: float, smallest: float) -> float:
    if left > 2 * chunk_pages:
        return chunk_pages
    return chunk_pages / 2 if left > chunk_pages / 2 else smallest


def groups(run: list[Block]) -> list[list[Block]]:
    """A run cut into the smallest pieces that can be rendered alone (to find a bad one)."""
    out: list[list[Block]] = []
    for b in run:
        if out and out[-1][-1].kind != "article":  # an opener stays with what follows it
            out[-1].append(b)
        else:
            out.append([b])
    return out


# ---- rendering --------------------------------------------------------------------------


def render_all(
    jobs: list[Job],
    workers: int | None = None,
    done: Callable[[int, Result], object] = lambda i, result: None,
) -> list[Result]:
    """Render every job, in parallel worker processes; results in the order of `jobs`.
    `done(index, result)` is called as each one finishes (the progress display, the cache)."""
    if not jobs:
        return []
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    _ensure_server()
    # Longest first (the pool starts jobs in the order given): the last job to finish is
    # then a short one, so no core idles long while another renders a big chunk alone.
    order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i].html))
    with cf.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_context(),
        max_tasks_per_child=1,
        initializer=ctrlc.quiet_in_worker,
    ) as pool:
        futures = {pool.submit(render_job, jobs[i]): i for i in order}
        results: dict[int, Result] = {}
        for future in cf.as_completed(futures):
            i = futures[future]
            results[i] = _result(jobs[i], future)
            done(i, results[i])
        return [results[i] for i in range(len(jobs))]


def _result(job: Job, future: cf.Future) -> Result:
    try:
        return future.result()
    except cf.process.BrokenProcessPool:
        return Result(job.key, job.out, error="the renderer was killed (out of memory?)")
    except Exception as exc:
        return Result(job.key, job.out, error=f"{type(exc).__name__}: {exc}")


def _context():
    # A fresh process per chunk keeps memory flat; the fork server has WeasyPrint loaded
    # already, so a new worker costs milliseconds, not the second an import takes. So are
    # the modules every render imports (`_render`, and pikepdf through pdffonts): 30-50 ms
    # a part otherwise, for 6 MB in the fork server; and what they load on first use
    # (`forkwarm`).
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["bookmaker.pdfchunks", "weasyprint", *RENDER_MODULES])
    return ctx


RENDER_MODULES = (
    "bookmaker.justify", "bookmaker.leaders", "bookmaker.pdfimages", "bookmaker.pdffonts",
    "bookmaker.urlfetch", "bookmaker.paths", "bookmaker.pdfmerge", "bookmaker.forkwarm",
)  # fmt: skip


WARMUP_ENV = "BOOKMAKER_PDF_WARMUP"  # a page for the fork server to render (`forkwarm`)
STARTING_ENV = "BOOKMAKER_FORK_SERVER"  # set for the fork server only: see `preloaded`


def start_server(warmup: Job | None = None) -> None:
    """Start the fork server now, so that it loads WeasyPrint (~1 s) while this process
    renders the articles, instead of when the first part is handed out; then it renders
    `warmup` once, so that every part forked from it starts with what that loaded.

    The server takes its environment from this process when it starts, so the page goes
    there, and only for that moment.
    """
    _ensure_server({WARMUP_ENV: encode_warmup(warmup)} if warmup is not None else {})


def _ensure_server(environment: dict[str, str] | None = None) -> None:
    """The fork server running, started with `environment` and a TMPDIR of our own.

    WeasyPrint puts the fonts of each document in a `weasyprint-*` folder that only its
    FontConfiguration's finalizer removes, and the parts exit without finalizers: three
    folders (~2 MB) were left in /tmp by every build. Whatever the server and its forks
    leave goes in `_temporary_folder`, removed when this process ends and swept when a
    killed build could not (`atomic.scratch_dir`).
    """
    from multiprocessing import forkserver

    _context()
    environment = {
        "TMPDIR": str(_temporary_folder()),
        STARTING_ENV: str(os.getpid()),
        **(environment or {}),
    }
    saved = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    try:
        with _interrupt_ignored():
            forkserver.ensure_running()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def _interrupt_ignored():
    """SIGINT ignored in this process for a moment, and in a program it starts meanwhile.

    The fork server ignores Ctrl-C only once its preload is done: one in the second or two
    it starts, loads WeasyPrint and renders the warm-up page printed a KeyboardInterrupt
    traceback under the build's "interrupted". An ignored signal stays ignored across
    exec, so the server starts deaf to it; the build stops the server when it exits.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def preloaded() -> None:
    """In the fork server, the end of its preload (`forkwarm` is the last module): Ctrl-C
    stops Python again, and the parts forked from the server inherit that."""
    build = os.environ.pop(STARTING_ENV, "")
    if not build:
        return
    if str(os.getppid()) != build:  # interrupted meanwhile: nothing left to fork parts for
        os._exit(0)
    signal.signal(signal.SIGINT, signal.default_int_handler)


def stop_server() -> None:
    """After Ctrl-C: the fork server goes now, not after it has forked a part (whose start
    fails with a traceback) for a build that has gone."""
    from multiprocessing import forkserver

    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)  # (no API for it)
    if pid:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)


@cache
def _temporary_folder() -> Path:
    from .atomic import scratch_dir

    folder = scratch_dir("weasyprint")
    atexit.register(shutil.rmtree, folder, True)
    return folder


def encode_warmup(job: Job) -> str:
    return json.dumps({f: getattr(job, f) for f in ("key", "html", "base_url", "roots", "aliases")})


def warmup_from_environment() -> Job | None:
    """The page `start_server` handed the fork server (its output goes nowhere)."""
    text = os.environ.pop(WARMUP_ENV, "")
    if not text:
        return None
    page = json.loads(text)
    return Job(
        str(page["key"]),
        str(page["html"]),
        str(page["base_url"]),
        tuple(map(str, page["roots"])),
        os.devnull,
        aliases=tuple((str(a), str(b)) for a, b in page["aliases"]),
    )


def in_background(target: Callable[..., object], *args) -> multiprocessing.Process:
    """`target(*args)` started in a process of its own (from the fork server)."""
    _ensure_server()
    process = _context().Process(target=target, args=args, daemon=True)
    process.start()
    return process


def render_job(job: Job, limits: bool = True) -> Result:
    """Render one document (in a worker: under the time and memory limits, and without
    Python's cycle collector).

    A worker renders one part and exits. The collector, going over WeasyPrint's millions of
    young objects again and again, took 16% of a part's time (190 pages: 5.96 -> 4.98 s);
    the few cycles a part leaves (4 MB of its 306) go with the process. One document
    rendered in this process (`chunk_pages = 0`) keeps it: this process lives on.
    """
    if limits:
        _limit_memory(job.memory_mb)
        gc.disable()
    old = signal.signal(signal.SIGALRM, _timeout) if limits else None
    if limits:
        signal.alarm(job.time_limit)
    start = time.perf_counter()
    try:
        result = _render(job)
        return replace(result, seconds=round(time.perf_counter() - start, 3))
    except MemoryError:
        return Result(job.key, job.out, error=f"more than {job.memory_mb} MB of memory")
    except RenderTimeout:
        return Result(job.key, job.out, error=f"took longer than {job.time_limit} s")
    finally:
        if limits:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)


class RenderTimeout(Exception):
    pass


def _timeout(signum, frame):
    raise RenderTimeout


def _limit_memory(mb: int) -> None:
    import resource

    limit = mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _render(job: Job) -> Result:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from . import forkwarm, leaders, pdfimages
    from .paths import Roots
    from .pdffonts import faces_of, lazy_font_files
    from .urlfetch import make_url_fetcher

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    # fontTools (WeasyPrint subsets some faces with it, the colour emoji among them) stamps
    # each font it writes with the time, unless told a fixed one: the same book would give
    # different bytes a second later. 2000-01-01: any fixed time will do; a user's own wins.
    os.environ.setdefault("SOURCE_DATE_EPOCH", "946684800")

    _install_justify()
    forkwarm.install()
    leaders.install()
    lazy_font_files()
    pdfimages.install()
    fetcher = make_url_fetcher(Roots.of(*map(_path, job.roots)), aliases=job.aliases)
    html = HTML(string=job.html, base_url=job.base_url, url_fetcher=fetcher)
    fonts = FontConfiguration()
    try:
        with _weasyprint_silent():
            document = html.render(font_config=fonts, **job.options)
            pages = tuple(_page_info(p) for p in document.pages)
            document.write_pdf(job.out, **job.options)
        return Result(job.key, job.out, pages, tuple(fetcher.refused), faces_of(document))
    finally:
        # Its finalizer would remove the folder of @font-face files; a part exits without
        # running it (and a time-out may stop the part first).
        if fonts._folder:  # pinned WeasyPrint 70
            shutil.rmtree(fonts._folder, ignore_errors=True)


@contextlib.contextmanager
def _weasyprint_silent():
    """WeasyPrint's log kept to itself, as in a part's process, which has no handler for it.

    What it says there ("Ignored `hanging-punctuation: none`", CSS of our own layout
    that WeasyPrint 70 does not know) is noise; what matters to a user comes back in the
    Result (refused resources). One document rendered in the build's own process
    (`chunk_pages = 0`) printed it all.
    """
    logger = logging.getLogger("weasyprint")
    propagate, logger.propagate = logger.propagate, False
    try:
        yield
    finally:
        logger.propagate = propagate


def _page_info(page) -> PageInfo:
    page_type = page._page_box.page_type  # pinned WeasyPrint 70: the page's side and blankness
    anchors = tuple((name, float(p[0]), float(p[1])) for name, p in page.anchors.items())
    return PageInfo(anchors, bool(page_type.blank), page_type.side == "right")


def _path(text: str):
    from pathlib import Path

    return Path(text)


def _install_justify() -> None:
    """CJK justification (the typography engineer's WeasyPrint patch), when present."""
    try:
        from . import justify
    except ImportError:
        return
    install = getattr(justify, "install", None)
    if install is not None:
        install()
