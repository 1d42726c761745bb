"""Image references in articles -> checked, processed, cached Images (the book's image store).

`ImageStore.resolve` finds the file a reference means (relative to the article, site-absolute
against the static folders and the site root, same-site absolute URLs, `{{ site.url }}`
leftovers, small `data:` URIs, remote URLs only when the user opted in), refuses anything
outside the roots, and returns the e-reader-ready Image. Processing (imageproc) is cached
on disk by source hash + settings, so a second build does no image work; `warm` processes
a whole collection's images on every core before the HTML stage asks for them one by one.
"""

from __future__ import annotations

import base64
import binascii
import concurrent.futures
import concurrent.futures.process  # BrokenProcessPool: the submodule loads lazily otherwise
import contextlib
import ctypes
import hashlib
import io
import itertools
import json
import logging
import multiprocessing
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote_to_bytes, urljoin, urlsplit

from PIL import Image as PILImage

from . import atomic, ctrlc, fetch, imageproc, svgsafe
from .cache import cache_dir
from .config import Config
from .errors import UnsafePathError
from .model import Article, Image, Problem, Site
from .paths import Roots, decode_reference

log = logging.getLogger(__name__)

IMAGE_WORK = imageproc.WORK  # "decode"/"encode" counts, workers' included
MAX_IMAGE_BYTES = 64 * 1024 * 1024  # no picture in a blog post is bigger
MAX_DATA_URI_BYTES = 2 * 1024 * 1024  # inline images beyond this are a smell, not a figure
MAX_SIDECAR_BYTES = 64 * 1024
PARALLEL_FROM = 4  # fewer misses than this are not worth starting worker processes
PRINT_SHRINK_ABOVE = 1.5  # print keeps up to 450 dpi across the text block (imageproc.Settings)
KEPT_PIXEL_BLOCKS = 16  # of Pillow's 16 MB: ~30 MB more per worker, 4% less image CPU
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters (malloc.h)
_HASHES: dict[tuple, str] = {}  # (path, stat identity) -> sha256: each file hashed once

SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# `{{ site.url }}{{ site.baseurl }}/img/x.png` and Hugo's `{{ .Site.BaseURL }}` leftovers.
SITE_VARIABLE = re.compile(
    r"\{\{-?\s*(site\.url|site\.baseurl|\.Site\.BaseURL|site\.BaseURL)\s*-?\}\}", re.IGNORECASE
)
# `{{ "/img/x.png" | relative_url }}` (Jekyll), `{{ "img/x.png" | absURL }}` (Hugo).
URL_FILTER = re.compile(
    r"\{\{-?\s*['\"]([^'\"]+)['\"]\s*\|\s*(relative_url|absolute_url|absURL|relURL)\s*-?\}\}"
)
# References `warm` finds in Markdown bodies; whatever it misses is processed on demand.
BODY_REFS = (
    re.compile(r"!\[[^\]\n]*\]\(\s*<?([^)\s>]+)"),
    re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']([^\"']+)", re.IGNORECASE),
    re.compile(r"\{\{[<%][^}]*?\bsrc\s*=\s*[\"']([^\"']+)"),
    re.compile(r"!\[\[([^\[\]|\n]+\.(?:png|jpe?g|gif|webp|avif|bmp|svg))\s*[|\]]", re.I),
)
# Where notes keep their pictures (Obsidian's and Typora's usual folders), looked in first.
ATTACHMENT_FOLDERS = ("attachments", "assets")


class _Refused(Exception):
    """A reference we will not (or cannot) turn into an image; becomes a warning."""


@dataclass(frozen=True)
class _Source:
    path: Path  # a checked regular file: inside the roots, or ours in the cache
    sha256: str  # of its bytes
    ident: tuple | None = None  # the file's stat identity when it was hashed (`_identity`)


def _nothing() -> None:
    pass


class ImageStore:
    """Every image of one build, each stored once, named by content and settings."""

    def __init__(self, config: Config, site: Site, cache: Path):
        self.config = config
        self.site = site
        self.roots = Roots.of(*site.content_dirs, site.root, *site.static_dirs)
        self.site_roots = tuple(dict.fromkeys((*site.static_dirs, site.root)))
        self.cache = cache
        self.settings = epub_settings(config)
        self.fetch_allow: fetch.AddressPolicy = fetch.public_only  # tests relax it
        self._images: dict[str, Image] = {}
        self._failures: dict[str, str] = {}
        self._svg_removed: dict[str, tuple[str, ...]] = {}
        self._by_name: dict[str, tuple[Path, ...]] | None = None

    @classmethod
    def create(cls, config: Config, site: Site) -> ImageStore:
        cache = cache_dir(config) / "images"
        cache.mkdir(parents=True, exist_ok=True)
        return cls(config, site, cache)

    def resolve(self, ref: str, article: Article, line: int | None = None) -> Image | Problem:
        """The Image `ref` (as written in `article`) means, or a warning naming the article."""
        return self.resolve_with_source(ref, article, line)[0]

    def resolve_with_source(
        self, ref: str, article: Article, line: int | None = None
    ) -> tuple[Image | Problem, Path | None]:
        """`resolve`, and the file read for it: the article cache checks it on later builds."""
        try:
            source = self._locate(ref, article)
        except _Refused as exc:
            return Problem(article.rel, str(exc), "warning", line), None
        try:
            return self._image(source, ref), source.path
        except _Refused as exc:
            return Problem(article.rel, str(exc), "warning", line), source.path

    def register_generated(self, data: bytes, suffix: str, media_type: str) -> Image:
        """An image the HTML stage made itself (math as SVG): stored as it is, trusted."""
        ext = suffix.lstrip(".").lower()
        key = hashlib.sha256(b"generated\n" + data).hexdigest()[:16]
        path = self.cache / f"gen-{key}.{ext}"
        if not (path.is_file() and path.read_bytes() == data):
            atomic.write_bytes(path, data)
        if ext == "svg":
            width, height = svgsafe.svg_size(data)
        else:
            width, height = _header_size(data)
        return Image(f"images/{key}.{ext}", path, media_type, width, height)

    def warm(self, articles: Iterable[Article], advance: Callable[[], object] = _nothing) -> int:
        """Process the images `articles` show, in parallel; returns how many were processed
        (calling `advance` after each).

        Only an optimisation: `resolve` processes whatever this misses (or when not called).
        Workers start on the first images found while the rest are still being found and
        hashed, and each result is recorded as it comes: the parent's share overlaps theirs.
        """
        misses: dict[str, _Source] = {}

        def jobs():
            for article in articles:
                cover = [article.cover.src] if article.cover else []
                for ref in cover + body_references(article.body):
                    try:
                        source = self._locate(ref, article)
                    except _Refused:
                        continue
                    key = self._key(source.sha256)
                    if key not in misses and not self._known(key, source):
                        misses[key] = source
                        yield self._job_args(key, source)

        for key, meta in _run_jobs(jobs()):
            self._remember(key, misses[key], meta)
            advance()
        if misses:
            log.info("images: processed %d new image(s)", len(misses))
        return len(misses)

    # --- finding the file -------------------------------------------------------------

    def _locate(self, ref: str, article: Article) -> _Source:
        ref = _untemplate(ref.strip())
        if not ref:
            raise _Refused("image without a source")
        scheme = _scheme(ref)
        if scheme == "data":
            return self._data_uri(ref)
        if scheme == "file":
            raise _Refused(f"file: URLs refused: {ref}")
        if scheme in ("http", "https") or ref.startswith("//"):
            local = self._same_site_path(ref)
            if local is None:
                return self._remote(ref)
            return self._local(local, ref, article)
        if scheme:
            raise _Refused(f"image with an unsupported URL scheme refused: {ref}")
        if article.media_base and not ref.startswith("/"):
            # Chirpy's `media_subpath` (formerly `img_path`): the post's pictures live there
            return self._locate(
                article.media_base.rstrip("/") + "/" + ref, replace(article, media_base="")
            )
        return self._local(ref, ref, article)

    def _local(self, target: str, ref: str, article: Article) -> _Source:
        path = decode_reference(target)
        if "\x00" in path or not path.strip("/"):
            raise _Refused(f"image not found: {ref}")
        if path.startswith("/"):
            candidates = self._site_candidates(path)
            if article.root_base:  # Typora: `/a.png` from the folder typora-root-url names
                candidates.insert(0, article.path.parent / article.root_base / path.lstrip("/"))
        else:
            candidates = [article.path.parent / path]
            if self.site.kind == "hexo":  # post_asset_folder: source/_posts/<post>/cat.png
                candidates.insert(0, article.path.with_suffix("") / path)
            # A relative path on a blog is relative to the page's URL, not its source file.
            if article.permalink:
                candidates += self._site_candidates(urljoin(article.permalink, path))
            if self.site.kind == "plain":  # notes: Obsidian finds `![[pic.png]]` by its name
                candidates += self._in_vault(path, article)
        return self._first_file(candidates, ref)

    def _in_vault(self, path: str, article: Article) -> list[Path]:
        """Where Obsidian finds a picture a note names: in attachment folders, by its path
        from the vault's root, then a file of that name anywhere in it, nearest the root.
        Not for `../x.png`: that names its place, and only there is it looked for."""
        if ".." in path.split("/"):
            return []
        root = self.site.root
        near = [d / sub / path for d in (article.path.parent, root) for sub in ATTACHMENT_FOLDERS]
        named = self._named().get(path.casefold(), ()) if "/" not in path else ()
        return [*near, root / path, *named]

    def _named(self) -> dict[str, tuple[Path, ...]]:
        """Every file under the site's folders by its name, nearest the root first: looked
        through once, when a note first names a picture that is not where it says."""
        if self._by_name is None:
            root = self.site.root
            tops = [root, *(d for d in self.site.content_dirs if not d.is_relative_to(root))]
            found: dict[str, set[Path]] = {}
            for top in tops:
                for folder, subdirs, files in os.walk(top):
                    subdirs[:] = [
                        d for d in subdirs if not d.startswith(".") and d != "node_modules"
                    ]
                    for name in files:
                        found.setdefault(name.casefold(), set()).add(Path(folder, name))
            self._by_name = {k: tuple(sorted(v, key=_nearest_root)) for k, v in found.items()}
        return self._by_name

    def _site_candidates(self, path: str) -> list[Path]:
        paths = [path]
        base = self.site.baseurl.rstrip("/")
        if base and (path == base or path.startswith(base + "/")):
            paths.insert(0, path[len(base) :])
        return [root / p.lstrip("/") for p in paths for root in self.site_roots if p.strip("/")]

    def _first_file(self, candidates: list[Path], ref: str) -> _Source:
        refusal = f"image not found: {ref}"
        for candidate in candidates:
            real = Path(os.path.realpath(candidate))
            if not self.roots.contains(real):
                refusal = f"image outside the content folders refused: {ref}"
            elif real.exists():
                try:
                    return _read_source(self.roots.check(candidate, MAX_IMAGE_BYTES), ref)
                except UnsafePathError:
                    refusal = _why_unusable(real, ref)
        raise _Refused(refusal)

    def _same_site_path(self, url: str) -> str | None:
        """`https://example.com/blog/img/x.png` -> `/blog/img/x.png` when that is this site."""
        if not self.site.url:
            return None
        parts = urlsplit("https:" + url if url.startswith("//") else url)
        site = urlsplit(self.site.url)
        try:
            same_port = parts.port == site.port
        except ValueError:
            return None
        if _host(parts.hostname) != _host(site.hostname) or not same_port:
            return None
        path, prefix = parts.path or "/", site.path.rstrip("/")
        # `url = "https://example.com/blog"`: the site's own path is a base URL too.
        if prefix and (path + "/").startswith(prefix + "/"):
            path = path[len(prefix) :] or "/"
        return path

    def _data_uri(self, ref: str) -> _Source:
        header, sep, payload = ref[5:].partition(",")
        if not sep or not header.lower().startswith("image/"):
            raise _Refused("inline data: URI that is not an image refused")
        if len(payload) * 3 // 4 > MAX_DATA_URI_BYTES:
            raise _Refused(f"inline image larger than {MAX_DATA_URI_BYTES // 1024 // 1024} MB")
        try:
            if header.lower().endswith(";base64"):
                data = base64.b64decode("".join(payload.split()), validate=True)
            else:
                data = unquote_to_bytes(payload)
        except (binascii.Error, ValueError):
            raise _Refused("inline data: image is not valid base64") from None
        sha = hashlib.sha256(data).hexdigest()
        path = self.cache / f"data-{sha[:32]}.bin"
        if not path.is_file():
            atomic.write_bytes(path, data)
        return _Source(path, sha)

    def _remote(self, url: str) -> _Source:
        if url.startswith("//"):
            url = "https:" + url
        if not self.config.images.fetch_remote:
            raise _Refused(f"remote image not downloaded (use --fetch-remote): {url}")
        try:
            fetched = fetch.fetch(url, self.cache.parent / "remote", allow=self.fetch_allow)
        except fetch.FetchError as exc:
            raise _Refused(f"remote image not downloaded: {url} ({exc})") from None
        return _read_source(fetched.path, url)

    # --- processing and the cache -----------------------------------------------------

    def _key(self, source_sha: str) -> str:
        return _key(source_sha, self.settings)

    def _image(self, source: _Source, ref: str) -> Image:
        key = self._key(source.sha256)
        if not self._known(key, source):
            self._process_many({key: source})
        if key in self._failures:
            raise _Refused(f"{self._failures[key]}: {ref}")
        image = self._images[key]
        if image.media_type == "image/svg+xml" and image.name not in self._svg_removed:
            self._svg_removed[image.name] = svgsafe.removed(_read_bytes(source.path, ref))
        return image

    def svg_removed(self, image: Image) -> tuple[str, ...]:
        """What was taken out of this SVG (scripts, external references…), for a warning."""
        return self._svg_removed.get(image.name, ())

    def _known(self, key: str, source: _Source) -> bool:
        """True when `key` is done: seen in this build, or a verified cache entry (remembered)."""
        if key in self._images or key in self._failures:
            return True
        meta = _read_sidecar(self.cache / f"{key}.json")
        if meta is None or not _matches(meta, source.sha256, self.settings):
            return False
        if meta.get("error"):
            self._failures[key] = str(meta["error"])
            return True
        image = _image_from(meta, key, source.path, self.cache)
        if image is None:
            return False
        if meta.get("original") != str(source.path):
            _write_sidecar(self.cache / f"{key}.json", {**meta, "original": str(source.path)})
        self._images[key] = image
        return True

    def _process_many(self, misses: dict[str, _Source]) -> None:
        jobs = [self._job_args(key, s) for key, s in misses.items()]
        for key, meta in _run_jobs(jobs):
            self._remember(key, misses[key], meta)

    def _job_args(self, key: str, source: _Source) -> tuple:
        return (key, str(source.path), source.sha256, self.settings, str(self.cache), source.ident)

    def _remember(self, key: str, source: _Source, meta: dict) -> None:
        """A job's result (its sidecar is written): the file it made is not read back."""
        if meta.get("error"):
            self._failures[key] = meta["error"]
            return
        image = _image_from(meta, key, source.path, self.cache, verify=False)
        if image is None:  # pragma: no cover - a job only writes sidecars we can read
            raise RuntimeError(f"image cache entry {key} unreadable right after writing")
        self._images[key] = image


def epub_settings(config: Config) -> imageproc.Settings:
    im = config.images
    return imageproc.Settings(
        max_long_side=im.epub_max,
        grayscale=im.grayscale,
        keep_animation=True,
        max_pixels=im.max_pixels,
    )


def pdf_settings(config: Config, max_width_px: int) -> imageproc.Settings:
    return imageproc.Settings(
        max_long_side=None,
        max_width=max_width_px,
        shrink_above=PRINT_SHRINK_ABOVE,
        grayscale=config.pdf.grayscale or config.images.grayscale,
        keep_animation=False,
        max_pixels=config.images.max_pixels,
    )


def pdf_rendition(image: Image, config: Config, max_width_px: int) -> Path:
    """The file the PDF should embed for `image`: first frame, at most `max_width_px` wide.

    Starts from the original (not the EPUB rendition, which may be smaller than print
    needs); SVGs pass through as the store sanitized them. Cached like EPUB renditions.
    """
    return pdf_renditions((image,), config, max_width_px)[image.name]


def pdf_renditions(
    book_images: Iterable[Image], config: Config, max_width_px: int
) -> dict[str, Path]:
    """`pdf_rendition` for many images at once (image name -> file), misses made in parallel."""
    cache = cache_dir(config) / "images"
    settings = pdf_settings(config, max_width_px)
    found: dict[str, Path] = {}
    jobs: dict[str, tuple[Image, _Source]] = {}
    for image in book_images:
        if _epub_rendition_prints(image, config, settings):
            found[image.name] = image.source
            continue
        source = None if image.media_type == "image/svg+xml" else _pdf_source(image, cache)
        if source is None:
            found[image.name] = image.source
            continue
        key = "pdf-" + _key(source.sha256, settings)
        hit = _pdf_cached(cache, key, source, settings)
        if hit is not None:
            found[image.name] = hit
        else:
            jobs.setdefault(key, (image, source))
    todo = [
        (k, str(src.path), src.sha256, settings, str(cache), src.ident)
        for k, (_, src) in jobs.items()
    ]
    for key, meta in _run_jobs(todo):
        image, source = jobs[key]
        made = None
        if not meta.get("error"):  # the job has just written and described it
            made = _image_from(meta, key, source.path, cache, verify=False)
        if made is None:
            log.warning("%s: no print rendition (%s)", image.name, meta.get("error", "?"))
        found[image.name] = made.source if made is not None else image.source
    return found


def _epub_rendition_prints(image: Image, config: Config, settings: imageproc.Settings) -> bool:
    """True when the e-book's file is what print would make of the original anyway.

    It is upright, sRGB, JPEG or PNG, already verified; print only needs it wide enough for
    300 dpi (or not shrunk for the e-book at all) and not wider than print would keep. Using
    it spares every such picture a second decode and encode (at 1,000 posts: ~40 s).
    """
    if image.media_type not in ("image/jpeg", "image/png") or settings.max_width is None:
        return False
    if config.pdf.grayscale and not config.images.grayscale:
        return False  # print wants gray, the e-book keeps colour
    if image.width > settings.max_width * settings.shrink_above:
        return False
    # A long side below the e-book's limit means the e-book did not shrink it (one equal to
    # the limit may have been shrunk: then print goes back to the original for more pixels).
    unshrunk = max(image.width, image.height) < (config.images.epub_max or 1 << 30)
    return image.width >= settings.max_width or unshrunk


def _pdf_cached(cache: Path, key: str, source: _Source, settings) -> Path | None:
    meta = _read_sidecar(cache / f"{key}.json")
    if meta is None or not _matches(meta, source.sha256, settings) or meta.get("error"):
        return None
    hit = _image_from(meta, key, source.path, cache)
    return hit.source if hit is not None else None


def _pdf_source(image: Image, cache: Path) -> _Source | None:
    """The original behind `image` (from its sidecar), else the EPUB rendition itself."""
    key = image.name.removeprefix("images/").rsplit(".", 1)[0]
    meta = _read_sidecar(cache / f"{key}.json") or {}
    original = meta.get("original")
    if original and meta.get("source_sha256"):
        try:
            source = _read_source(Path(original), original)
        except _Refused:
            source = None
        if source is not None and source.sha256 == meta["source_sha256"]:
            return source
    try:
        return _read_source(image.source, str(image.source))
    except _Refused:
        return None


def _nearest_root(path: Path) -> tuple[int, str]:
    return len(path.parts), str(path)


def body_references(body: str) -> list[str]:
    """Image references in a Markdown body, in order (a cheap scan: misses are fine)."""
    found: list[str] = []
    for pattern in BODY_REFS:
        found.extend(m.group(1) for m in pattern.finditer(body))
    return list(dict.fromkeys(found))


def warm(config: Config, site: Site, articles: Iterable[Article]) -> ImageStore:
    """A store with the images of `articles` already processed (in parallel)."""
    store = ImageStore.create(config, site)
    store.warm(articles)
    return store


# --- helpers ----------------------------------------------------------------------------


def _key(source_sha: str, settings: imageproc.Settings) -> str:
    return hashlib.sha256(f"{source_sha}\n{settings.key()}".encode()).hexdigest()[:16]


def _untemplate(ref: str) -> str:
    ref = URL_FILTER.sub(lambda m: "/" + m.group(1).lstrip("/"), ref)
    return SITE_VARIABLE.sub("", ref)


def _why_unusable(real: Path, ref: str) -> str:
    try:
        if stat.S_ISREG(real.stat().st_mode):
            return f"image file larger than {MAX_IMAGE_BYTES // 1024 // 1024} MB: {ref}"
    except OSError:
        pass
    return f"image is not a regular file: {ref}"


def _scheme(ref: str) -> str:
    m = SCHEME.match(ref)
    return m.group(1).lower() if m else ""


def _host(host: str | None) -> str:
    host = (host or "").lower().rstrip(".")
    return host.removeprefix("www.")


def known_hashes() -> dict[tuple, str]:
    """This process's file hashes, for workers to start from (`learn_hashes`)."""
    return dict(_HASHES)


def learn_hashes(hashes: dict[tuple, str]) -> None:
    """Take another process's hashes: keyed by stat identity, so a changed file is hashed anew."""
    _HASHES.update(hashes)


def _read_source(path: Path, ref: str) -> _Source:
    """A regular file's hash, read once per process (a file that changes gets a new stat)."""
    with _regular_file(path, ref) as (f, st):
        ident = _identity(path, st)
        sha = _HASHES.get(ident)
        if sha is None:
            digest = hashlib.sha256()
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
            sha = _HASHES[ident] = digest.hexdigest()
    return _Source(path, sha, ident)


def _identity(path: Path | str, st: os.stat_result) -> tuple:
    """Which file, and which version of it: any write changes the ctime (and mtime)."""
    return (str(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _read_bytes(path: Path, ref: str) -> bytes:
    return _read_bytes_stat(path, ref)[0]


def _read_bytes_stat(path: Path, ref: str) -> tuple[bytes, os.stat_result]:
    with _regular_file(path, ref) as (f, st):
        data = f.read(MAX_IMAGE_BYTES + 1)
    if len(data) > MAX_IMAGE_BYTES:  # it grew after fstat
        raise _Refused(f"image file larger than {MAX_IMAGE_BYTES // 1024 // 1024} MB: {ref}")
    return data, st


@contextlib.contextmanager
def _regular_file(path: Path, ref: str):
    """A regular file opened so that a FIFO or a device can never block or flood us."""
    # O_NOFOLLOW: `path` is already resolved, so a symlink here was swapped in after the check.
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOFOLLOW
    try:
        fd = os.open(path, flags)
    except OSError:
        raise _Refused(f"image not found: {ref}") from None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _Refused(f"image is not a regular file: {ref}")
        if st.st_size > MAX_IMAGE_BYTES:
            raise _Refused(f"image file larger than {MAX_IMAGE_BYTES // 1024 // 1024} MB: {ref}")
        yield f, st


def _header_size(data: bytes) -> tuple[int, int]:
    try:
        with PILImage.open(io.BytesIO(data)) as im:
            return im.size
    except Exception:  # a generated image we cannot read still needs some size
        return (1, 1)


def _matches(meta: dict, source_sha: str, settings: imageproc.Settings) -> bool:
    return meta.get("source_sha256") == source_sha and meta.get("settings") == settings.key()


def _read_sidecar(path: Path) -> dict | None:
    try:
        if path.stat().st_size > MAX_SIDECAR_BYTES:
            return None
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) and meta.get("version") == imageproc.VERSION else None


def _write_sidecar(path: Path, meta: dict) -> None:
    atomic.write_cache(path, json.dumps(meta, sort_keys=True, ensure_ascii=True).encode())


def _image_from(
    meta: dict, key: str, original: Path, cache: Path, verify: bool = True
) -> Image | None:
    """An Image for a sidecar, after checking the file it names has the recorded size and
    hash (`verify`: not when a job of this build has just written both)."""
    try:
        fmt, width, height = meta["format"], int(meta["width"]), int(meta["height"])
        ext, media_type = imageproc.EXTENSIONS[fmt], imageproc.MEDIA_TYPES[fmt]
    except (KeyError, TypeError, ValueError):
        return None
    path = original if meta.get("passthrough") else cache / f"{key}.{ext}"
    if verify and not meta.get("passthrough"):
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if len(data) != meta.get("size") or hashlib.sha256(data).hexdigest() != meta.get("sha256"):
            log.info("image cache entry %s damaged: rebuilding it", path.name)
            return None
    name_key = key.removeprefix("pdf-")
    return Image(f"images/{name_key}.{ext}", path, media_type, width, height)


# --- the work, in this process or in workers -------------------------------------------


def _run_jobs(jobs: Iterable[tuple]) -> Iterator[tuple[str, dict]]:
    """Process `jobs` (key, path, sha256, settings, cache) -> (key, sidecar), in order.

    Workers start as soon as there are enough jobs to be worth them, and are sent each
    job as `jobs` yields it.
    """
    jobs, cores = iter(jobs), os.cpu_count() or 1
    first = list(itertools.islice(jobs, max(PARALLEL_FROM, cores)))
    pending = itertools.chain(first, jobs)
    if len(first) < PARALLEL_FROM or cores < 2:
        yield from (_job(*job) for job in pending)
        return
    sent: list[tuple] = []
    done = 0
    try:
        for key, meta, work in _in_workers(pending, sent, min(cores, len(first))):
            IMAGE_WORK.update(work)
            done += 1
            yield key, meta
    except (concurrent.futures.process.BrokenProcessPool, RuntimeError, OSError) as exc:
        # A host program without a `__main__` guard, or no room for processes: slower, same result.
        log.warning("images: worker processes unavailable (%s); processing one by one", exc)
        yield from (_job(*job) for job in itertools.chain(sent[done:], pending))


def _in_workers(jobs: Iterator[tuple], sent: list[tuple], workers: int) -> Iterator[tuple]:
    """Results in the order of `jobs`; each job is noted in `sent` before it is submitted."""
    # spawn, not fork (unsafe with threads about) and not the fork server, whose preloads
    # belong to the PDF backend: two start-ups per build cost little next to the images.
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker
    ) as pool:
        futures = []
        for job in jobs:
            sent.append(job)
            futures.append(pool.submit(_job_counted, job))
        for future in futures:
            yield future.result()


def _start_worker() -> None:
    ctrlc.quiet_in_worker()
    # Pillow hands every image's memory back to the system and faults it in afresh for the
    # next one (a second of system time per 1,000 images); a worker keeps a few blocks.
    PILImage.core.set_blocks_max(KEPT_PIXEL_BLOCKS)
    _keep_freed_memory()


def _keep_freed_memory() -> bool:
    """glibc: serve blocks up to 32 MB from the heap, and keep 64 MB of what is freed.

    The file's bytes, libjpeg's and libwebp's buffers and the encoded result are each
    several megabytes: glibc maps every such block afresh and unmaps it when freed, so
    each picture faults the same memory in again. Measured on the 1,000-post corpus, the
    image workers' system time fell from 3.1 s to 1.8-1.9 s, and the largest worker grew
    from 96 to 100-107 MB; keeping up to 1 GB saved a little more time for 90 MB more a
    worker. Not glibc (musl, macOS): False, nothing changed.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(
            libc.mallopt(M_MMAP_THRESHOLD, 32 << 20) and libc.mallopt(M_TRIM_THRESHOLD, 64 << 20)
        )
    except (OSError, AttributeError):
        return False


def _job_counted(job: tuple) -> tuple[str, dict, Counter]:
    before = Counter(imageproc.WORK)
    key, meta = _job(*job)
    return key, meta, imageproc.WORK - before


def _job(
    key: str,
    path: str,
    sha: str,
    settings: imageproc.Settings,
    cache: str,
    ident: tuple | None = None,
):
    """Process one source file into the cache; returns the sidecar it wrote beside the result.

    `ident`: the file's stat identity when `sha` was taken; the same identity now means the
    same bytes (the rule `_read_source` keeps), so they are not hashed a second time.
    """
    meta = {
        "version": imageproc.VERSION,
        "source_sha256": sha,
        "settings": settings.key(),
        "original": path,  # where print finds the original again (`_pdf_source`)
    }
    try:
        data, st = _read_bytes_stat(Path(path), path)
        if _identity(path, st) != ident and hashlib.sha256(data).hexdigest() != sha:
            raise _Refused("image changed while the book was being made")
    except _Refused as exc:  # about this moment, not these bytes: not cached
        return key, {**meta, "error": str(exc)}
    try:
        result = imageproc.process(data, settings)
    except imageproc.ImageError as exc:  # the same bytes would fail again: cached
        meta["error"] = str(exc)
    else:
        meta.update(format=result.format, width=result.width, height=result.height)
        meta["passthrough"] = result.data is None
        if result.data is not None:
            atomic.write_cache(Path(cache) / f"{key}.{result.ext}", result.data)
            meta.update(size=len(result.data), sha256=hashlib.sha256(result.data).hexdigest())
    _write_sidecar(Path(cache) / f"{key}.json", meta)
    return key, meta
