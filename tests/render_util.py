"""Helpers for the HTML-stage tests: hand-made articles, a fake image store, parsing output."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from bookmaker import markdown
from bookmaker.config import Config
from bookmaker.model import Article, Chapter, Collection, Image, Problem, Site

XHTML = "http://www.w3.org/1999/xhtml"
NS = {"h": XHTML, "m": "http://www.w3.org/1998/Math/MathML"}


class FakeStore:
    """Local refs named in `present` exist; remote ones are refused like without opt-in."""

    def __init__(self, present: tuple[str, ...] = ()):
        self.present = set(present)
        self.generated: list[bytes] = []

    def resolve(self, ref: str, article: Article, line: int | None = None):
        if ref in self.present:
            return _image(ref.encode(), Path("/fake") / ref)
        if ref.startswith(("http://", "https://")):
            return Problem(article.rel, f"remote image not fetched: {ref}", "warning", line)
        return Problem(article.rel, f"image not found: {ref}", "warning", line)

    def register_generated(self, data: bytes, suffix: str, media_type: str) -> Image:
        self.generated.append(data)
        return _image(data, Path("/fake/gen"), suffix.lstrip("."), media_type)


def _image(data: bytes, path: Path, ext: str = "png", media_type: str = "image/png") -> Image:
    key = hashlib.sha256(data).hexdigest()[:16]
    return Image(f"images/{key}.{ext}", path, media_type, 10, 10)


def article(
    body: str,
    slug: str = "post",
    path: Path | None = None,
    rel: str = "content/post.md",
    body_line: int = 5,
    permalink: str | None = None,
    **kw,
) -> Article:
    return Article(
        path=path or Path("/site/content/post.md"),
        rel=rel,
        title=kw.pop("title", "标题"),
        date=datetime(2024, 10, 2, tzinfo=UTC),
        body=body,
        body_line=body_line,
        slug=slug,
        permalink=permalink,
        **kw,
    )


def site(kind: str = "plain", root: Path = Path("/site"), **kw) -> Site:
    return Site(
        kind=kind,
        root=root,
        content_dirs=kw.pop("content_dirs", (root / "content",)),
        static_dirs=kw.pop("static_dirs", ()),
        found_by="test",
        **kw,
    )


def context(
    articles: tuple[Article, ...] = (),
    the_site: Site | None = None,
    store: FakeStore | None = None,
    language: str = "zh-CN",
) -> markdown.RenderContext:
    the_site = the_site or site()
    collection = Collection(the_site, (Chapter("all", "all", articles),))
    config = Config(base=the_site.root)
    if language != "zh-CN":
        config = config.override("book", language=language)
    return markdown.RenderContext.create(config, collection, store or FakeStore())


def render(body: str, ctx: markdown.RenderContext | None = None, **kw):
    a = article(body, **kw)
    ctx = ctx or context((a,))
    return markdown.render(a, ctx)


def parse(xhtml: str) -> etree._Element:
    """The fragment parsed exactly as the contract says it must parse."""
    return etree.fromstring(f"<div xmlns='{XHTML}'>" + xhtml + "</div>")


def text(xhtml: str) -> str:
    return "".join(parse(xhtml).itertext())


def boxes(xhtml: str) -> list[tuple[str, str, str]]:
    """Each callout box as (its class, its title, the words after the title)."""
    out = []
    for div in parse(xhtml).iterfind(".//h:div[@class]", NS):
        if "callout" in div.get("class").split():
            title = "".join(div.find("h:p[@class='callout-title']", NS).itertext())
            body = "".join(div.itertext()).strip().removeprefix(title)
            out.append((div.get("class"), title, "".join(body.split())))
    return out
