"""PDF render jobs -> Results, each taken from the cache when its exact input was rendered before.

A part of the PDF (a body chunk, the front matter, a run of folio stamps) is a pure function
of its HTML, the files that HTML loads (stylesheets, images: by size and mtime), the layout
and font folders, WeasyPrint's options and bookmaker's code. After editing one article in
the last chapter, every earlier chunk's input is unchanged, so only the last one is
rendered again. Entries are the PDF plus a JSON sidecar (page facts, refusals, font faces)
whose checksum and recorded PDF hash are verified before use.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import asdict, replace
from importlib.metadata import version
from pathlib import Path

from . import atomic
from .articlecache import code_version, digest, file_stat, read_entry, tree_stats, write_entry
from .paths import real_url
from .pdfchunks import Job, PageInfo, Result
from .progress import Progress

log = logging.getLogger(__name__)

FILE_URI = re.compile(r"file://([^\"'()\s<>]+)")


class PdfCache:
    def __init__(self, folder: Path, extra_dirs: tuple[Path, ...]):
        """`extra_dirs`: folders whose files may shape any part (layout, fonts)."""
        self.folder = folder
        dirs = tuple(repr(tree_stats(d)) for d in extra_dirs)
        # The version from its metadata: importing WeasyPrint here would load it (0.3 s,
        # 45 MB) into the process that only hands out the work.
        self.base = digest(code_version(), version("weasyprint"), *dirs)

    def key(self, job: Job) -> str:
        from urllib.parse import unquote

        uris = {real_url(m.group(0), job.aliases) for m in FILE_URI.finditer(job.html)}
        files = sorted(unquote(u[len("file://") :]) for u in uris)
        stats = repr([file_stat(Path(f)) for f in files])
        options = repr(sorted(job.options.items()))
        return digest(self.base, job.html, job.base_url, repr(job.roots), options, stats)

    def run(
        self, jobs: list[Job], render: Callable[..., list[Result]], level: int = logging.INFO
    ) -> list[Result]:
        """Results for `jobs`, in order; only the ones not cached go to
        `render(jobs, workers, done)` (`pdfchunks.render_all`). `level`: of the line that
        says how many were cached."""
        keys = [self.key(j) for j in jobs]
        results: list[Result | None] = [self._load(j, k) for j, k in zip(jobs, keys, strict=True)]
        todo = [i for i, r in enumerate(results) if r is None]
        log.log(level, "pdf: %d of %d part(s) cached", len(jobs) - len(todo), len(jobs))
        with Progress("pdf parts", len(jobs)) as p:
            p.advance(len(jobs) - len(todo))

            def finished(n: int, result: Result) -> None:
                # Stored as each part finishes: the copy overlaps the parts still rendering
                # (after the last one it was a second of a 1,000-article build, serial).
                i = todo[n]
                results[i] = result
                if not result.error:
                    results[i] = replace(result, sha256=self._store(jobs[i], keys[i], result))
                p.advance()

            render([jobs[i] for i in todo], None, finished)
        return results  # type: ignore[return-value]

    def _load(self, job: Job, key: str) -> Result | None:
        meta = read_entry(self.folder / f"{key}.json")
        pdf = self.folder / f"{key}.pdf"
        if meta is None or meta.get("key") != key:
            return None
        try:
            data = pdf.read_bytes()
            if hashlib.sha256(data).hexdigest() != meta["pdf_sha256"]:
                log.debug("pdf cache entry %s damaged: rendering it again", pdf.name)
                return None
            result = _result_from(meta, job)
        except (OSError, KeyError, TypeError, ValueError):
            return None
        # Read where it is: a part is only ever read (its pages copied into the book), and
        # a copy into the build's folder was 440 MB written and fsynced per warm build.
        return replace(result, out=str(pdf), sha256=meta["pdf_sha256"])

    def _store(self, job: Job, key: str, result: Result) -> str:
        """Keep the part; returns its SHA-256 (hex)."""
        with open(result.out, "rb") as f:
            sha256 = hashlib.file_digest(f, "sha256").hexdigest()
        atomic.copy_cache(self.folder / f"{key}.pdf", Path(result.out))  # hash checked on load
        meta = {
            "key": key,
            "pdf_sha256": sha256,
            "pages": [[list(map(list, p.anchors)), p.blank, p.right] for p in result.pages],
            "refused": [list(r) for r in result.refused],
            "faces": {name: asdict(face) for name, face in result.faces.items()},
        }
        write_entry(self.folder / f"{key}.json", meta)
        return sha256


def _result_from(meta: dict, job: Job) -> Result:
    from .pdffonts import Face

    pages = tuple(
        PageInfo(tuple((str(a), float(x), float(y)) for a, x, y in anchors), bool(b), bool(r))
        for anchors, b, r in meta["pages"]
    )
    refused = tuple((str(u), str(why)) for u, why in meta["refused"])
    faces = {str(n): Face(**f) for n, f in meta["faces"].items()}
    return replace(Result(job.key, job.out), pages=pages, refused=refused, faces=faces)
