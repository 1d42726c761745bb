"""A post's cover picture, named in its front matter, opens the article as the blog shows it."""

from __future__ import annotations

import io
import zipfile

import pytest
from epubcheck_util import needs_epubcheck, problems
from lxml import etree
from PIL import Image as PILImage

from bookmaker import covers
from bookmaker.model import Cover

X = {"x": "http://www.w3.org/1999/xhtml"}


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (600, 300), colour).save(out, format="JPEG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("meta", "cover"),
    [
        ({"cover": "a.jpg"}, Cover("a.jpg", line=3)),  # Hexo themes
        (  # PaperMod
            {"cover": {"image": "a.jpg", "alt": "湖", "caption": "西湖"}},
            Cover("a.jpg", "湖", "西湖", line=3),
        ),
        ({"image": {"path": "/img/a.jpg", "alt": "湖"}}, Cover("/img/a.jpg", "湖", line=4)),
        ({"featuredimage": "a.jpg"}, Cover("a.jpg", line=5)),  # LoveIt's featuredImage
        ({"header": {"overlay_image": "/a.jpg", "teaser": "/t.jpg"}}, Cover("/a.jpg", line=6)),
        ({"cover": False, "thumbnail": "t.jpg"}, Cover("t.jpg", line=7)),
        # Butterfly: top_img over the post, cover on its list pages
        ({"cover": "c.jpg", "top_img": "/img/top.jpg"}, Cover("/img/top.jpg", line=8)),
        ({"top_img": "https://cdn.example/banner"}, Cover("https://cdn.example/banner", line=8)),
    ],
)
def test_the_cover_keys_of_popular_themes(meta, cover):
    lines = {"cover": 3, "image": 4, "featuredimage": 5, "header": 6, "thumbnail": 7, "top_img": 8}
    assert covers.find(meta, lines) == cover


@pytest.mark.parametrize(
    "meta",
    [
        {"cover": {"image": "a.jpg", "hiddenInSingle": True}},  # PaperMod: lists only
        {"top_img": False, "cover": "a.jpg"},  # Butterfly: no picture on this post
        {"top_img": "#66CCFF", "cover": "a.jpg"},  # Butterfly: a band of colour
        {"top_img": "linear-gradient(20deg, #0062be, #925696)", "cover": "a.jpg"},
        {"top_img": "rgba(0, 0, 0, 0.5)", "cover": "a.jpg"},
        {"top_img": "transparent", "cover": "a.jpg"},
        {"image": True},
        {"header": {"teaser": "t.jpg"}},  # Minimal Mistakes: lists only
        {"images": ["a.jpg"]},  # Hugo: link previews only
    ],
)
def test_no_cover_where_the_post_itself_shows_none(meta):
    assert covers.find(meta, {}) is None


SITE = {
    "hugo.toml": 'baseURL = "https://example.org/"\ntitle = "旅行笔记"\nlanguageCode = "zh-cn"\n',
    "content/posts/trip/index.md": """
        ---
        title: 去杭州
        date: 2024-05-01
        cover:
          image: cover.jpg
          caption: 西湖的傍晚
        ---
        第一天我们去了西湖。
        """,
    "content/posts/trip/cover.jpg": _jpeg((200, 100, 50)),
    "static/img/banner.jpg": _jpeg((50, 100, 200)),
    "content/posts/again.md": """
        ---
        title: 又去杭州
        date: 2024-05-02
        image: /img/banner.jpg
        ---
        ![横幅](/img/banner.jpg)

        正文里已经有这张图。
        """,
    "content/posts/thumb.md": """
        ---
        title: 有缩略图
        date: 2024-05-05
        thumbnail: /img/thumb.jpg
        ---
        正文。
        """,
    "static/img/thumb.jpg": _jpeg((90, 160, 90)),
    "content/posts/lost.md": """
        ---
        title: 丢了图
        date: 2024-05-03
        featured_image: /img/lost.jpg
        ---
        正文。
        """,
    "content/posts/remote.md": """
        ---
        title: 网上的图
        date: 2024-05-04
        cover: https://img.example.com/x.jpg
        ---
        正文。
        """,
}


def _bodies(book) -> dict[str, etree._Element]:
    with zipfile.ZipFile(book) as z:
        return {
            n.rsplit("/", 1)[-1]: etree.fromstring(z.read(n)).find(
                ".//x:div[@class='article-body']", X
            )
            for n in z.namelist()
            if n.startswith("EPUB/text/") and n.endswith(".xhtml")
        }


def _cover(body: etree._Element) -> etree._Element | None:
    return body.find("x:figure[@class='cover']", X)


@needs_epubcheck
def test_a_hugo_site_s_covers_open_their_articles(make_project, run_cli):
    project = make_project(SITE)
    status, _, err = run_cli(project, "epub", "-o", "book.epub")
    # The missing picture is named with its front-matter line; the remote one is left
    # out without a word, as downloads were not asked for; the cover needs no alt text.
    assert "content/posts/lost.md:4: warning: cover picture: image not found" in err
    assert err.count("warning:") == 1 and status == 0  # a warning: the book is made
    bodies = _bodies(project / "book.epub")
    figure = bodies["trip.xhtml"][0]
    assert (
        figure.get("class") == "cover"
        and figure.findtext("x:figcaption", "", X).replace("\u2060", "") == "西湖的傍晚"
    )
    assert figure.find("x:img", X).get("alt") == "西湖的傍晚"
    assert figure.find("x:img", X).get("src").startswith("../images/")
    again = next(f for f in bodies.values() if "已经有" in "".join(f.itertext()))
    assert len(again.findall(".//x:img", X)) == 1  # the body shows it: not twice
    covered = {
        b.getparent().findtext(".//x:h1", "", X) for b in bodies.values() if _cover(b) is not None
    }
    assert covered == {"去杭州", "有缩略图"}
    thumb = next(
        b for b in bodies.values() if b.getparent().findtext(".//x:h1", "", X) == "有缩略图"
    )
    assert _cover(thumb).find("x:img", X).get("role") == "presentation"  # decorative
    assert problems(project / "book.epub") == []
    _, out, err = run_cli(project, "check", "book.epub")
    assert "alt text" not in out + err  # a decorative cover misses no words


def test_covers_can_be_turned_off(make_project, run_cli):
    project = make_project({**SITE, "bookmaker.toml": "[images]\ncovers = false\n"})
    status, _, err = run_cli(project, "epub", "-o", "book.epub")
    assert status == 0 and "warning" not in err
    assert all(
        b.find(".//x:figure[@class='cover']", X) is None
        for b in _bodies(project / "book.epub").values()
    )


def test_chirpy_media_subpath_holds_the_posts_pictures_cover_included(make_project, run_cli):
    """Chirpy's documented way: `media_subpath` (formerly `img_path`) in front matter, then
    bare names for the cover and the body's pictures. Both were 'image not found'."""
    project = make_project({
        "_config.yml": "title: Chirpy\n",
        "_posts/2024-01-01-arch.md": (
            "---\ntitle: 架构\ndate: 2024-01-01\nmedia_subpath: /assets/img/posts/x/\n"
            "image:\n  path: cover.jpg\n  alt: 封面\n---\n正文。\n\n![架构](arch.jpg)\n"
        ),
        "_posts/2024-01-02-old.md": (
            "---\ntitle: 旧\ndate: 2024-01-02\nimg_path: /assets/old\n---\n![旧图](arch.jpg)\n"
        ),
        "assets/img/posts/x/arch.jpg": _jpeg((10, 100, 200)),
        "assets/img/posts/x/cover.jpg": _jpeg((200, 100, 10)),
        "assets/old/arch.jpg": _jpeg((100, 200, 10)),
    })  # fmt: skip
    status, _, err = run_cli(project, "epub", "-o", "book.epub")
    assert status == 0 and "warning" not in err, err
    pictures = [len(b.findall(".//x:img", X)) for b in _bodies(project / "book.epub").values()]
    assert sorted(pictures) == [1, 2]
