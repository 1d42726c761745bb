"""Links between articles -> in-book anchors; other site links absolute; ids prefixed."""

from __future__ import annotations

from pathlib import Path

import pytest
from render_util import NS, article, context, parse, site

from bookmaker import links, markdown

SITE = site(
    "jekyll",
    Path("/site"),
    content_dirs=(Path("/site/_posts"),),
    url="https://blog.example.com",
    baseurl="/blog",
)
TARGET = article(
    "x",
    slug="target",
    path=Path("/site/_posts/2024-10-02-target.md"),
    permalink="/2024/10/02/target/",
    aliases=("/old/target.html",),
)
HERE = Path("/site/_posts/2025-01-01-here.md")


def hrefs(body: str, the_site=SITE, others=(TARGET,), **kw):
    a = article(body, slug="here", path=HERE, permalink="/2025/01/01/here/", **kw)
    r = markdown.render(a, context((a, *others), the_site))
    return [x.get("href") for x in parse(r.xhtml).iter("{*}a")], r.problems


@pytest.mark.parametrize(
    "href",
    [
        "/2024/10/02/target/",
        "/2024/10/02/target",
        "/blog/2024/10/02/target/",
        "/2024/10/02/target/index.html",
        "/2024/10/02/target.html",
        "https://blog.example.com/blog/2024/10/02/target/",
        "https://www.blog.example.com/2024/10/02/target",
        "/old/target.html",
        "2024-10-02-target.md",
        "./2024-10-02-target.md",
        "../_posts/2024-10-02-target.md",
        "../../../../2024/10/02/target/",
        "/2024/10/02/%74arget/",
    ],
)
def test_spellings_of_an_in_book_link(href):
    found, problems = hrefs(f"[那篇]({href})")
    assert found == ["#target"] and not problems


def test_fragment_is_kept_and_prefixed():
    found, _ = hrefs("[那节](2024-10-02-target.md#why) [本节](#top)\n\n## Top {#top}")
    assert found == ["#target-why", "#here-top"]


def test_same_site_link_outside_the_book_becomes_absolute():
    found, problems = hrefs("[关于](/about/) [相对](../other/)")
    assert found == [
        "https://blog.example.com/blog/about/",
        "https://blog.example.com/blog/2025/01/01/other/",
    ]
    assert not problems


def test_markdown_link_to_an_article_not_in_the_book_warns_and_keeps_text():
    found, problems = hrefs("[草稿](2025-02-02-draft.md)")
    assert found == []  # the text stays, as a span
    assert problems[0].level == "warning" and "2025-02-02-draft.md" in problems[0].message


def test_site_relative_link_without_site_url_warns():
    plain = site("plain")
    found, problems = hrefs("[关于](/about/)", the_site=plain)
    assert found == [] and len(problems) == 1


def test_external_links_stay():
    found, problems = hrefs(
        "[外](https://other.example/x) [信](mailto:a@b.example) <https://c.example>"
    )
    assert found == ["https://other.example/x", "mailto:a@b.example", "https://c.example"]
    assert not problems


def test_dead_fragment_in_the_same_article_is_dropped():
    found, _ = hrefs("[无](#nowhere)")
    assert found == []


def test_normalise_url_path():
    assert links.normalise_url_path("/blog/a/b/index.html", "/blog") == "/a/b"
    assert links.normalise_url_path("https://x.example/A/", "") == "/a"
    assert links.normalise_url_path("/", "/blog") == "/"


def test_clean_id_is_ascii_and_stable():
    assert links.clean_id("fn:1") == "fn-1"
    assert links.clean_id("第一节") == links.clean_id("%E7%AC%AC%E4%B8%80%E8%8A%82")
    assert links.clean_id("第一节").isascii()


def test_prefix_ids_dedupes():
    root = parse('<p id="a">1</p><p id="a">2</p>')
    mapping = links.prefix_ids(root, "s")
    assert [e.get("id") for e in root] == ["s-a", "s-a-2"]
    assert mapping == {"a": "s-a"}
    assert NS  # namespaced tree works too
