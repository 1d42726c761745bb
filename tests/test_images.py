"""The image store: references resolved the way blogs write them, nothing read outside the
roots, one warning per bad image, identical images once, and a cache that makes the second
build do no image work and never trusts a damaged entry."""

from __future__ import annotations

import base64
import dataclasses
import io
import logging
import os
import re
import struct
import threading
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image as PILImage

from bookmaker import images
from bookmaker.config import Config
from bookmaker.model import Article, Image, Problem, Site

NAME = re.compile(r"^images/[0-9a-f]{16}\.(jpg|png|gif|svg)$")


def encoded(size=(200, 100), fmt="PNG", colour=(30, 120, 200), **kw) -> bytes:
    im = PILImage.new("RGB", size, colour)
    im.putpixel((1, 1), (255, 255, 0))
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


PNG = encoded()
BIG_JPEG = encoded((4000, 3000), "JPEG")


@dataclasses.dataclass
class Setup:
    project: Path
    store: images.ImageStore
    article: Article
    config: Config

    def resolve(self, ref: str, line: int | None = 7):
        return self.store.resolve(ref, self.article, line)

    def fresh(self) -> images.ImageStore:
        return images.ImageStore.create(self.config, self.store.site)


@pytest.fixture
def setup(make_project):
    """setup(files, kind=..., article=..., static=..., url=..., baseurl=...) -> Setup."""

    def make(
        files: dict,
        kind="plain",
        article="content/post.md",
        static=(),
        url="",
        baseurl="",
        content="content",
        permalink=None,
        **image_settings,
    ) -> Setup:
        project = make_project({article: "# t\n", **files}).resolve()
        config = Config(base=project)
        if image_settings:
            config = config.override("images", **image_settings)
        site = Site(
            kind,
            project,
            (project / content,),
            tuple(project / s for s in static) or (project,),
            "test",
            url=url,
            baseurl=baseurl,
        )
        art = Article(
            project / article,
            article,
            "t",
            datetime(2025, 1, 1, tzinfo=UTC),
            "",
            1,
            "post",
            permalink=permalink,
        )
        return Setup(project, images.ImageStore.create(config, site), art, config)

    return make


def assert_warning(result, message: str, line: int | None = 7):
    assert isinstance(result, Problem), result
    assert (result.path, result.level, result.line) == ("content/post.md", "warning", line)
    assert result.message == message


# --- resolution ------------------------------------------------------------------------


def test_relative_to_the_article(setup):
    s = setup({"content/assets/a.png": PNG})
    img = s.resolve("assets/a.png")
    assert isinstance(img, Image) and NAME.match(img.name)
    assert (img.media_type, img.width, img.height) == ("image/png", 200, 100)


def test_file_that_needs_nothing_is_used_as_it_is(setup):
    s = setup({"content/a.png": PNG})
    img = s.resolve("a.png")
    assert img.source == s.project / "content/a.png"


def test_jekyll_site_absolute_against_the_site_root(setup):
    s = setup(
        {"_posts/p.md": "x", "assets/img/a.png": PNG},
        kind="jekyll",
        article="_posts/2025-01-01-p.md",
        content="_posts",
    )
    img = s.resolve("/assets/img/a.png")
    assert isinstance(img, Image) and img.source == s.project / "assets/img/a.png"


def test_hugo_site_absolute_against_static(setup):
    s = setup(
        {"static/img/a.png": PNG}, kind="hugo", static=("static",), article="content/posts/p.md"
    )
    assert s.resolve("/img/a.png").source == s.project / "static/img/a.png"


def test_baseurl_and_site_url_forms_reach_the_local_file(setup):
    s = setup(
        {"static/img/a.png": PNG}, static=("static",), url="https://example.com", baseurl="/blog"
    )
    names = {
        s.resolve(ref).name
        for ref in (
            "/blog/img/a.png",
            "{{ site.url }}{{ site.baseurl }}/img/a.png",
            "{{site.baseurl}}/img/a.png",
            '{{ "/img/a.png" | relative_url }}',
            "https://example.com/blog/img/a.png",
            "http://www.example.com/blog/img/a.png",
            "//example.com/img/a.png",
        )
    }
    assert len(names) == 1 and NAME.match(names.pop())


def test_site_url_with_a_path(setup):
    s = setup({"img/a.png": PNG}, url="https://example.com/blog/")
    assert isinstance(s.resolve("https://example.com/blog/img/a.png"), Image)
    assert isinstance(s.resolve("https://other.example/blog/img/a.png"), Problem)


def test_relative_reference_written_against_the_page_url(setup):
    s = setup({"2025/01/hello/cat.png": PNG}, permalink="/2025/01/hello/")
    assert isinstance(s.resolve("cat.png"), Image)


def test_missing_image_is_a_warning_with_path_and_line(setup):
    s = setup({})
    assert_warning(s.resolve("../assets/x.png", 12), "image not found: ../assets/x.png", 12)


@pytest.mark.parametrize(
    "ref",
    [
        "../../../../etc/passwd",
        "%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "..\\..\\..\\..\\etc\\passwd",
        "%252e%252e/%252e%252e/%252e%252e/etc/passwd",
        "/../../../../etc/passwd",
    ],
)
def test_escape_attempts_refused(setup, ref):
    s = setup({})
    result = s.resolve(ref)
    assert isinstance(result, Problem)
    assert result.message in (
        f"image outside the content folders refused: {ref}",
        f"image not found: {ref}",
    )
    assert "root:" not in repr(result)


def test_symlink_escaping_the_roots_refused(setup):
    s = setup({})
    (s.project / "content/assets").mkdir()
    (s.project / "content/assets/host.png").symlink_to("/etc/hostname")
    assert_warning(
        s.resolve("assets/host.png"), "image outside the content folders refused: assets/host.png"
    )


def test_symlink_to_dev_zero_refused(setup):
    s = setup({})
    (s.project / "content/zero.png").symlink_to("/dev/zero")
    assert isinstance(s.resolve("zero.png"), Problem)


def test_fifo_never_opened(setup):
    s = setup({})
    os.mkfifo(s.project / "content/pipe.png")
    box: list = []
    worker = threading.Thread(target=lambda: box.append(s.resolve("pipe.png")), daemon=True)
    worker.start()
    worker.join(20)
    assert not worker.is_alive(), "resolving a FIFO blocked"
    assert_warning(box[0], "image is not a regular file: pipe.png")


def test_file_urls_refused(setup):
    s = setup({})
    assert_warning(s.resolve("file:///etc/passwd"), "file: URLs refused: file:///etc/passwd")


def test_remote_images_not_downloaded_without_opt_in(setup):
    s = setup({})
    url = "https://cdn.example.com/x.png"
    assert_warning(s.resolve(url), f"remote image not downloaded (use --fetch-remote): {url}")


def test_small_data_uri_decoded_large_refused(setup):
    s = setup({})
    img = s.resolve("data:image/png;base64," + base64.b64encode(PNG).decode())
    assert isinstance(img, Image) and (img.width, img.height) == (200, 100)
    huge = "data:image/png;base64," + "A" * (4 * 1024 * 1024)
    assert_warning(s.resolve(huge), "inline image larger than 2 MB")
    assert isinstance(s.resolve("data:text/html,<script>x</script>"), Problem)


# --- processing through the store ------------------------------------------------------


def png_bomb() -> bytes:
    """A 30000×30000 PNG header (900 MP) in a few dozen bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def test_bomb_is_one_warning_naming_the_image(setup):
    s = setup({"content/big.png": png_bomb()})
    assert_warning(s.resolve("big.png"), "image too large (900 MP > 40 MP limit): big.png")


def test_truncated_and_mislabeled_images(setup):
    jpeg = encoded((300, 200), "JPEG")
    s = setup(
        {
            "content/cut.jpg": jpeg[: len(jpeg) // 2],
            "content/text.png": b"hello",
            "content/real-png.jpg": PNG,
        }
    )
    assert_warning(s.resolve("cut.jpg"), "not an image (or truncated): cut.jpg")
    assert_warning(s.resolve("text.png"), "not an image (or truncated): text.png")
    img = s.resolve("real-png.jpg")
    assert img.media_type == "image/png" and img.name.endswith(".png")


def test_unsafe_svg_refused_safe_svg_sanitized(setup):
    bomb = b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg"/>'
    good = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 50 20"><script/></svg>'
    s = setup({"content/bad.svg": bomb, "content/good.svg": good})
    assert_warning(s.resolve("bad.svg"), "SVG with a DOCTYPE or ENTITY refused: bad.svg")
    img = s.resolve("good.svg")
    assert (img.media_type, img.width, img.height) == ("image/svg+xml", 50, 20)
    assert b"script" not in img.source.read_bytes()


def test_identical_images_stored_once(setup):
    s = setup(
        {
            "content/a.png": PNG,
            "content/copy/b.png": PNG,
            "content/c.png": encoded(colour=(1, 2, 3)),
        }
    )
    a, b, c = s.resolve("a.png"), s.resolve("copy/b.png"), s.resolve("c.png")
    assert a == b and a.name != c.name


def test_settings_change_the_name(setup):
    s = setup({"content/a.jpg": BIG_JPEG})
    s2 = setup({"content/a.jpg": BIG_JPEG}, grayscale=True)
    assert s.resolve("a.jpg").name != s2.resolve("a.jpg").name


def test_large_image_downscaled_into_the_cache(setup):
    s = setup({"content/a.jpg": BIG_JPEG})
    img = s.resolve("a.jpg")
    assert (img.width, img.height) == (1600, 1200)
    assert img.source.is_relative_to(s.project / ".bookmaker-cache")
    assert PILImage.open(img.source).size == (1600, 1200)


def test_register_generated_svg(setup):
    s = setup({})
    data = b'<svg xmlns="http://www.w3.org/2000/svg" width="24" height="12"/>'
    img = s.store.register_generated(data, ".svg", "image/svg+xml")
    assert NAME.match(img.name) and (img.width, img.height) == (24, 12)
    assert img.source.read_bytes() == data
    assert s.store.register_generated(data, ".svg", "image/svg+xml") == img


# --- the cache -------------------------------------------------------------------------


def gallery(n=5) -> dict[str, bytes]:
    files = {
        f"content/img/p{i}.jpg": encoded((2000, 1000), "JPEG", colour=(i * 40, 90, 9))
        for i in range(n)
    }
    files["content/img/s.webp"] = encoded((300, 200), "WEBP")
    return files


def resolve_all(store, article, refs) -> list[Image]:
    return [store.resolve(r, article) for r in refs]


def test_a_picture_edited_after_it_was_hashed_is_not_processed_under_the_old_hash(setup):
    # A job trusts the hash taken when the file was found only while the file is the same
    # one, unwritten since; an edit in between must not put new pixels under the old key.
    s = setup(gallery(1))
    source = s.store._locate("img/p0.jpg", s.article)
    key = s.store._key(source.sha256)
    path = s.project / "content/img/p0.jpg"
    original = path.read_bytes()
    path.write_bytes(encoded((2000, 1000), "JPEG", colour=(200, 9, 9)))
    _, meta = images._job(*s.store._job_args(key, source))
    assert "changed while the book was being made" in meta["error"]
    # Nothing cached under the old key, not even the failure: that moment's, not the bytes'.
    assert not list(s.store.cache.glob(f"{key}.*"))
    path.write_bytes(original)
    again = s.fresh().resolve("img/p0.jpg", s.article)
    assert again.name.startswith(f"images/{key}.") and (again.width, again.height) == (1600, 800)


def test_second_build_does_no_image_work(setup):
    s = setup(gallery())
    refs = [f"img/p{i}.jpg" for i in range(5)] + ["img/s.webp"]
    first = resolve_all(s.store, s.article, refs)
    images.IMAGE_WORK.clear()
    second = resolve_all(s.fresh(), s.article, refs)
    assert second == first
    assert sum(images.IMAGE_WORK.values()) == 0


def test_damaged_cache_entry_is_rebuilt_never_used(setup):
    s = setup({"content/a.jpg": BIG_JPEG})
    img = s.resolve("a.jpg")
    good = img.source.read_bytes()
    img.source.write_bytes(good[: len(good) // 2])  # a torn write, a full disk
    images.IMAGE_WORK.clear()
    again = s.fresh().resolve("a.jpg", s.article)
    assert again == img and images.IMAGE_WORK["encode"] == 1
    assert again.source.read_bytes() == good


def test_damaged_sidecar_is_rebuilt(setup):
    s = setup({"content/a.jpg": BIG_JPEG})
    img = s.resolve("a.jpg")
    sidecar = img.source.with_suffix(".json")
    sidecar.write_text("{not json")
    assert s.fresh().resolve("a.jpg", s.article) == img
    assert sidecar.read_text().startswith("{")


def test_failures_are_cached_too(setup):
    s = setup({"content/cut.jpg": BIG_JPEG[:5000]})
    s.resolve("cut.jpg")
    images.IMAGE_WORK.clear()
    assert isinstance(s.fresh().resolve("cut.jpg", s.article), Problem)
    assert sum(images.IMAGE_WORK.values()) == 0


def test_two_builds_in_fresh_caches_give_identical_bytes(setup, tmp_path):
    s = setup(gallery(2))
    first = [
        i.source.read_bytes() for i in resolve_all(s.store, s.article, ["img/p0.jpg", "img/s.webp"])
    ]
    other = dataclasses.replace(
        s.config,
        output=dataclasses.replace(s.config.output, cache_dir=str(tmp_path / "other-cache")),
    )
    store = images.ImageStore.create(other, s.store.site)
    second = [
        i.source.read_bytes() for i in resolve_all(store, s.article, ["img/p0.jpg", "img/s.webp"])
    ]
    assert first == second


def test_warm_processes_a_collection_in_parallel_then_resolve_is_free(setup):
    s = setup(gallery())
    body = "".join(f"![p{i}](img/p{i}.jpg)\n" for i in range(5)) + '<img src="img/s.webp">\n'
    article = dataclasses.replace(s.article, body=body)
    images.IMAGE_WORK.clear()
    shown = []  # the progress display's count, one step per picture as it is done
    assert s.store.warm([article], lambda: shown.append(len(shown) + 1)) == 6
    assert shown == [1, 2, 3, 4, 5, 6]
    assert images.IMAGE_WORK["encode"] == 6  # counted in the workers, reported back
    images.IMAGE_WORK.clear()
    warmed = resolve_all(s.store, article, [f"img/p{i}.jpg" for i in range(5)])
    assert sum(images.IMAGE_WORK.values()) == 0
    assert all((i.width, i.height) == (1600, 800) for i in warmed)


def test_workers_failing_midway_leave_the_rest_to_this_process(setup, monkeypatch, caplog):
    s = setup(gallery())
    body = "".join(f"![p{i}](img/p{i}.jpg)\n" for i in range(5)) + '<img src="img/s.webp">\n'
    article = dataclasses.replace(s.article, body=body)
    real = images._in_workers

    def one_then_broken(jobs, sent, workers):
        for job in jobs:  # the first result arrives, then the pool breaks
            sent.append(job)
            yield images._job_counted(job)
            raise images.concurrent.futures.process.BrokenProcessPool("killed")

    monkeypatch.setattr(images, "_in_workers", one_then_broken)
    caplog.set_level(logging.WARNING, logger="bookmaker")  # a CLI test may have raised it
    assert s.store.warm([article]) == 6
    assert "processing one by one" in caplog.text
    monkeypatch.setattr(images, "_in_workers", real)
    images.IMAGE_WORK.clear()
    warmed = resolve_all(s.store, article, [f"img/p{i}.jpg" for i in range(5)])
    assert sum(images.IMAGE_WORK.values()) == 0  # every one was done and recorded
    assert all((i.width, i.height) == (1600, 800) for i in warmed)


def test_body_references_found_in_markdown_html_and_shortcodes():
    body = (
        '![a](x.png "t")\n<img alt=1 src="/y.jpg">\n{{< figure src="z.gif" >}}\n'
        "`![not](code.png)` is code but a cheap scan may pick it: harmless\n"
    )
    assert {"x.png", "/y.jpg", "z.gif"} <= set(images.body_references(body))


# --- print renditions ------------------------------------------------------------------


def test_pdf_rendition_from_the_original_at_print_width(setup):
    s = setup({"content/a.jpg": BIG_JPEG})
    img = s.resolve("a.jpg")
    path = images.pdf_rendition(img, s.config, 2000)
    assert PILImage.open(path).size == (2000, 1500)  # from the original, not the 1600 px one


def test_pdf_rendition_of_an_animated_gif_is_its_first_frame(setup):
    frames = [PILImage.new("RGB", (60, 40), (i * 100, 0, 0)) for i in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=50)
    s = setup({"content/anim.gif": buf.getvalue()})
    img = s.resolve("anim.gif")
    assert img.source == s.project / "content/anim.gif"  # the e-book keeps the animation
    path = images.pdf_rendition(img, s.config, 1000)
    pdf = PILImage.open(path)
    assert pdf.format == "PNG" and not getattr(pdf, "is_animated", False)


def test_pdf_rendition_small_image_passes_and_is_cached(setup):
    s = setup({"content/a.png": PNG})
    img = s.resolve("a.png")
    assert images.pdf_rendition(img, s.config, 1000) == s.project / "content/a.png"
    big = setup({"content/a.jpg": BIG_JPEG})
    first = images.pdf_rendition(big.resolve("a.jpg"), big.config, 1200)
    images.IMAGE_WORK.clear()
    assert images.pdf_rendition(big.resolve("a.jpg"), big.config, 1200) == first
    assert sum(images.IMAGE_WORK.values()) == 0


def test_pdf_rendition_grayscale_for_print(setup):
    s = setup({"content/a.jpg": BIG_JPEG})
    config = s.config.override("pdf", grayscale=True)
    assert PILImage.open(images.pdf_rendition(s.resolve("a.jpg"), config, 800)).mode == "L"


def test_pdf_renditions_of_many_images_at_once(setup):
    s = setup(gallery())
    book = resolve_all(s.store, s.article, [f"img/p{i}.jpg" for i in range(5)] + ["img/s.webp"])
    paths = images.pdf_renditions(book, s.config, 1000)
    assert set(paths) == {i.name for i in book}
    assert all(PILImage.open(p).size[0] <= 1000 for p in paths.values())
    assert paths[book[0].name] == images.pdf_rendition(book[0], s.config, 1000)


def test_print_takes_the_ebook_file_when_it_has_the_pixels_print_needs(setup):
    """Print shops' rule: shrink to 300 dpi only above 450 dpi. The e-book's 1600 px files
    (a JPEG passed through, a JPEG shrunk from 2000 px, a WebP made JPEG) print at 370 dpi
    on A5: print uses them as they are and decodes nothing again."""
    files = gallery(2) | {"content/img/w.webp": encoded((1600, 1200), "WEBP")}
    files["content/img/k.jpg"] = encoded((1600, 1200), "JPEG")
    s = setup(files)
    book = resolve_all(s.store, s.article, ["img/p0.jpg", "img/k.jpg", "img/w.webp"])
    images.IMAGE_WORK.clear()
    paths = images.pdf_renditions(book, s.config, 1299)
    assert [paths[i.name] for i in book] == [i.source for i in book]
    assert sum(images.IMAGE_WORK.values()) == 0
    assert book[1].source == s.project / "content/img/k.jpg"


def test_print_shrinks_an_original_only_above_450_dpi(setup):
    s = setup(
        {"content/a.jpg": encoded((1700, 1000), "JPEG"), "content/b.jpg": BIG_JPEG},
        epub_max=4000,
    )
    a, b = s.resolve("a.jpg"), s.resolve("b.jpg")
    assert images.pdf_rendition(a, s.config, 1200) == s.project / "content/a.jpg"  # 425 dpi
    assert PILImage.open(images.pdf_rendition(b, s.config, 1200)).size == (1200, 900)


def test_chinese_file_names_and_encoded_references(setup):
    s = setup({"content/图片/猫 咪.png": PNG})
    a = s.resolve("图片/猫 咪.png")
    b = s.resolve("%E5%9B%BE%E7%89%87/%E7%8C%AB%20%E5%92%AA.png?v=2#x")
    assert isinstance(a, Image) and a == b and a.name.isascii()


@pytest.mark.slow
def test_sample_collection_twice_no_image_work_second_time_identical_xhtml(tmp_path):
    """Issue 3's promise, end to end through the collector and the HTML stage."""
    import shutil

    from bookmaker import collect, config, render

    repo = Path(__file__).resolve().parent.parent
    shutil.copytree(repo / "content", tmp_path / "content")
    shutil.copy(repo / "bookmaker.toml", tmp_path / "bookmaker.toml")
    cfg = config.load(None, tmp_path)

    def build():
        # In this process (work counted here), and without the article cache, so that
        # every image reference is really resolved again: the image cache must answer.
        shutil.rmtree(tmp_path / ".bookmaker-cache" / "articles", ignore_errors=True)
        return render.render_book(cfg, collect.collect(cfg), workers=1)

    images.IMAGE_WORK.clear()
    first = build()
    assert images.IMAGE_WORK["encode"] > 0 and len(first.images) >= 6
    images.IMAGE_WORK.clear()
    second = build()
    assert sum(images.IMAGE_WORK.values()) == 0
    assert [r.xhtml for r in second.rendered] == [r.xhtml for r in first.rendered]
    assert second.images == first.images
    assert all(NAME.match(i.name) for i in first.images)


_OPENED: list[str] | None = None


def _audit(event: str, args: tuple) -> None:
    if _OPENED is not None and event == "open" and isinstance(args[0], str | bytes | Path):
        _OPENED.append(os.fsdecode(args[0]))


def test_audit_no_file_outside_the_project_is_opened_for_hostile_references(setup):
    """An audit hook sees every open(): escapes are refused before anything is opened."""
    import sys

    global _OPENED
    s = setup({"content/ok.png": PNG})
    (s.project / "content/host.png").symlink_to("/etc/hostname")
    (s.project / "content/zero.png").symlink_to("/dev/zero")
    os.mkfifo(s.project / "content/pipe.png")
    sys.addaudithook(_audit)  # cannot be removed: it only records while _OPENED is a list
    _OPENED = []
    try:
        for ref in (
            "../../../../etc/passwd",
            "%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/hostname",
            "..\\..\\..\\..\\etc\\passwd",
            "host.png",
            "zero.png",
            "pipe.png",
            "/../../../etc/passwd",
            "file:///etc/passwd",
            "ok.png",
        ):
            s.resolve(ref)
        opened = list(_OPENED)
    finally:
        _OPENED = None
    outside = [
        p
        for p in opened
        if not Path(p).resolve().is_relative_to(s.project)
        and not p.startswith((sys.prefix, sys.base_prefix))
    ]
    assert outside == []
    assert not any(p.endswith(("pipe.png", "zero.png", "host.png")) for p in opened)
    assert any(p.endswith("ok.png") for p in opened)  # the hook does see our reads


REUSE_PROBE = """
import resource, sys
from bookmaker import images
if sys.argv[1] == "worker":
    images._start_worker()
def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
picture = bytearray(b"\\1" * (8 << 20))  # a picture's bytes, one decoded row block, ...
del picture
before = faults()
picture = bytearray(b"\\1" * (8 << 20))
print(faults() - before)
"""


def test_an_image_worker_reuses_the_memory_a_picture_freed():
    # Each picture's megabytes were mapped afresh and faulted in again: a second of system
    # time per 1,000 pictures. A worker keeps what it frees (on glibc, where it can).
    import platform
    import subprocess
    import sys

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("not glibc: its allocator's own ways")

    def faults(mode: str) -> int:
        run = subprocess.run(
            [sys.executable, "-c", REUSE_PROBE, mode], capture_output=True, check=True
        )
        return int(run.stdout)

    assert faults("plain") > 1000  # 8 MB is 2,048 pages: mapped anew, touched anew
    assert faults("worker") < 100
