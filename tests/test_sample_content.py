"""The bundled sample collection keeps its promises: enough articles, every language and
image kind it advertises, and nothing broken (no missing image, no dangling link).

Front matter is parsed here with PyYAML/tomllib directly, independently of the collector,
so a collector bug cannot hide a broken sample (and the other way round).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from PIL import Image, ImageOps

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
POSTS = CONTENT / "posts"
ASSETS = CONTENT / "assets"
NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
IMAGE_MD = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
IMAGE_SHORTCODE = re.compile(r"\{\{<\s*figure\s+src=\"([^\"]+)\"")
LINK_MD = re.compile(r"(?<!!)\[[^\]]+\]\(([^)\s]+)\)")
POST_URL = re.compile(r"\{%\s*post_url\s+(\S+)\s*%\}")


def split_front_matter(text: str) -> tuple[dict, str]:
    for fence, parse in (("---", yaml.safe_load), ("+++", tomllib.loads)):
        if text.startswith(fence + "\n"):
            head, _, body = text[len(fence) + 1 :].partition("\n" + fence + "\n")
            return parse(head), body
    return {}, text


def load_posts() -> dict[str, tuple[dict, str]]:
    return {p.name: split_front_matter(p.read_text(encoding="utf-8")) for p in POSTS.glob("*.md")}


POSTS_BY_NAME = load_posts()
PUBLISHED = {n: fm for n, (fm, _) in POSTS_BY_NAME.items() if not fm.get("draft")}


def prose(body: str) -> str:
    """The body without fenced code, where `![x](y)` is an example, not an image."""
    return FENCE.sub("", body)


def body_of(name: str) -> str:
    return POSTS_BY_NAME[name][1]


def image_refs() -> list[tuple[str, str, str]]:
    """(article, alt, src) for every image reference outside code."""
    refs = []
    for name, (_, body) in POSTS_BY_NAME.items():
        text = prose(body)
        refs += [(name, alt, src) for alt, src in IMAGE_MD.findall(text)]
        refs += [(name, "(figure)", src) for src in IMAGE_SHORTCODE.findall(text)]
    return refs


def resolve_image(src: str) -> Path:
    site_relative = src.replace("{{ site.baseurl }}", "")
    if site_relative.startswith("/"):
        return CONTENT / site_relative.lstrip("/")  # bookmaker.toml: site_root = "content"
    return (POSTS / src).resolve()


# --- the collection as a whole ----------------------------------------------------------


def test_enough_articles_over_enough_months_and_years():
    months = {(m[1], m[2]) for m in map(NAME.match, PUBLISHED) if m}
    assert len(PUBLISHED) >= 15
    assert len(months) >= 4
    assert len({year for year, _ in months}) >= 2


def test_every_post_file_name_is_dated_ascii_and_matches_its_date():
    for name, fm in PUBLISHED.items():
        match = NAME.match(name)
        assert match, name
        date = fm["date"]
        text = date.isoformat() if isinstance(date, dt.date) else str(date)
        year, month, day = (int(g) for g in match.groups())
        assert re.match(rf"{year}-0?{month}-0?{day}(?!\d)", text), (name, text)


def test_every_published_article_has_a_title_tags_and_a_real_body():
    for name, fm in PUBLISHED.items():
        body = body_of(name)
        assert fm.get("title") or re.match(r"\s*# \S", body), name
        assert fm.get("tags"), name
        assert len(prose(body)) >= 500, f"{name}: only {len(prose(body))} characters"


def test_dates_come_in_the_shapes_real_blogs_use():
    raw = [p.read_text(encoding="utf-8").split("\n", 5) for p in POSTS.glob("*.md")]
    date_lines = {line.strip() for head in raw for line in head if line.startswith("date")}
    shapes = {
        "date only": r"date: \d{4}-\d\d-\d\d$",
        "date and time": r"date: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$",
        "short fields, +0800": r"date: \d{4}-\d-\d \d:\d\d:\d\d \+0800$",
        "ISO 8601 with offset": r"date: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$",
        "quoted": r"date: \"\d{4}-\d\d-\d\d\"$",
        "TOML datetime": r"date = \d{4}-\d\d-\d\dT",
    }
    for shape, pattern in shapes.items():
        assert any(re.match(pattern, line) for line in date_lines), shape


def test_both_front_matter_kinds_and_a_heading_title():
    texts = [p.read_text(encoding="utf-8") for p in POSTS.glob("*.md")]
    assert sum(t.startswith("+++\n") for t in texts) >= 1
    assert sum(t.startswith("---\n") for t in texts) >= 10
    assert any(not fm.get("title") for fm in PUBLISHED.values())


def test_one_traditional_chinese_one_japanese_one_english_article():
    langs = [fm.get("lang") for fm in PUBLISHED.values()]
    assert langs.count("zh-Hant") == 1
    assert langs.count("ja") == 1
    assert langs.count("en") == 1
    hant = next(n for n, fm in PUBLISHED.items() if fm.get("lang") == "zh-Hant")
    assert "「" in body_of(hant) and "書" in body_of(hant)
    ja = next(n for n, fm in PUBLISHED.items() if fm.get("lang") == "ja")
    assert re.search(r"[\u3041-\u309f]{20}", re.sub(r"[^\u3041-\u309f]", "", body_of(ja)))


def test_exactly_one_draft_and_a_readme_that_is_not_an_article():
    drafts = [n for n, (fm, _) in POSTS_BY_NAME.items() if fm.get("draft") is True]
    assert len(drafts) == 1
    readme = (CONTENT / "README.md").read_text(encoding="utf-8")
    assert not readme.startswith(("---", "+++"))


@pytest.mark.parametrize(
    "feature, pattern",
    [
        ("footnote", r"\[\^\w+\]:"),
        ("table", r"^\|.*\|\n\|[ :|-]+\|$"),
        ("task list", r"^- \[[ x]\] "),
        ("definition list", r"^:   \S"),
        ("abbreviation", r"^\*\[\w+\]: "),
        ("strikethrough", r"~~[^~]+~~"),
        ("inline math", r"\$E=mc\^2\$"),
        ("display math with a line of =", r"\$\$\n[^$]*^=\n[^$]*\$\$"),
        ("display math with a line of -", r"\$\$\n[^$]*^-\n[^$]*\$\$"),
        ("ruby", r"<ruby>.<rp>\(</rp><rt>\w+</rt><rp>\)</rp></ruby>"),
        ("name with ·", r"[\u4e00-\u9fff]·[\u4e00-\u9fff]"),
        ("book title", r"《[^》]+》"),
        ("dash", r"——"),
        ("ellipsis", r"……"),
        ("ascii ellipsis", r"[\u4e00-\u9fff]\.\.\."),
        ("straight quotes in Chinese", r"[\u4e00-\u9fff]\"[\u4e00-\u9fff]"),
        ("Liquid highlight", r"\{% highlight \w+ %\}"),
        ("Liquid raw", r"\{% raw %\}\{\{ not_a_var \}\}|\{% raw %\}\n.*\{\{ not_a_var \}\}"),
        ("site.baseurl image", r"\]\(\{\{ site\.baseurl \}\}/assets/"),
        ("Hugo figure shortcode", r"\{\{< figure src="),
        ("post_url", r"\{% post_url [\w-]+ %\}"),
        ("center", r"<center>"),
        ("font", r"<font "),
        ("details", r"<details>"),
        ("unclosed p", r"^<p>[^<]*\Z"),
        ("fenced code with tags and quotes", r"```html\n[^`]*<div[^`]*\"[^`]*```"),
        ("nested list", r"^- .*\n {4}- "),
        ("ordered list", r"^1\. "),
        ("block quote", r"^> "),
        ("emphasis", r"(?<![*\w])\*[^*\s][^*]*\*(?!\*)"),
    ],
)
def test_the_collection_shows_each_markdown_feature(feature, pattern):
    found = [n for n, (_, body) in POSTS_BY_NAME.items() if re.search(pattern, body, re.M)]
    assert found, f"no article shows: {feature}"


# --- images -----------------------------------------------------------------------------


def test_every_referenced_image_exists():
    missing = [(n, src) for n, _, src in image_refs() if not resolve_image(src).is_file()]
    assert not missing


def test_every_image_in_assets_is_used():
    used = {resolve_image(src).name for _, _, src in image_refs()}
    assert used == {p.name for p in ASSETS.iterdir()}


def test_all_images_have_alt_text_but_exactly_one():
    without = [(n, src) for n, alt, src in image_refs() if not alt.strip()]
    assert len(without) == 1


def test_an_image_alone_in_its_paragraph_has_a_title_for_a_caption():
    alone = re.compile(r"(?:^|\n\n)!\[[^\]]+\]\([^)\s]+ \"[^\"]+\"\)(?:\n\n|\Z)")
    assert any(alone.search(prose(body)) for _, body in POSTS_BY_NAME.values())


def test_the_large_jpeg_is_a_sideways_camera_photo():
    with Image.open(ASSETS / "photo-harbour-dusk.jpg") as img:
        assert img.format == "JPEG"
        assert img.getexif().get(0x0112) == 6
        assert img.size == (2400, 3200)  # as stored
        upright = ImageOps.exif_transpose(img)
    assert upright.size == (3200, 2400)  # as displayed
    sky, sea = upright.getpixel((1600, 40)), upright.getpixel((1600, 2360))
    assert sum(sky) > sum(sea)  # the sky is on top only after the rotation


def test_the_png_has_real_transparency():
    with Image.open(ASSETS / "seal-transparent.png") as img:
        assert img.format == "PNG" and img.mode == "RGBA"
        low, high = img.getchannel("A").getextrema()
    assert low == 0 and high > 200


def test_the_gif_is_animated():
    with Image.open(ASSETS / "bouncing-ball.gif") as img:
        assert img.format == "GIF"
        assert img.n_frames >= 5


def test_the_webp_is_a_webp():
    with Image.open(ASSETS / "tea-from-above.webp") as img:
        assert img.format == "WEBP"


def test_one_image_lies_about_its_format():
    path = ASSETS / "terminal-screenshot.jpg"
    with Image.open(path) as img:
        assert img.format == "PNG"
    assert path.read_bytes().startswith(b"\x89PNG")


def test_one_svg_has_a_size_and_one_only_a_viewbox():
    heads = {p.name: p.read_text(encoding="utf-8") for p in ASSETS.glob("*.svg")}
    sized = [n for n, t in heads.items() if re.search(r"<svg[^>]*\swidth=", t)]
    unsized = [n for n, t in heads.items() if re.search(r"<svg(?![^>]*\swidth=)[^>]*viewBox", t)]
    assert sized and unsized


def test_the_images_are_small_enough_for_git():
    assert sum(p.stat().st_size for p in ASSETS.iterdir()) < 6_000_000


# --- links between articles -------------------------------------------------------------


def test_every_relative_md_link_points_to_a_published_article():
    links = [(n, u) for n, (_, b) in POSTS_BY_NAME.items() for u in LINK_MD.findall(prose(b))]
    relative = [(n, u) for n, u in links if u.endswith(".md") and "://" not in u]
    assert len(relative) >= 5
    for name, url in relative:
        assert url in PUBLISHED, f"{name}: link to {url}"


def test_every_permalink_link_points_to_an_article_with_that_permalink():
    permalinks = {fm["permalink"] for fm in PUBLISHED.values() if fm.get("permalink")}
    links = [u for _, b in POSTS_BY_NAME.values() for u in LINK_MD.findall(prose(b))]
    site_links = [u for u in links if u.startswith("/")]
    assert len(site_links) >= 3
    assert set(site_links) <= permalinks


def test_every_post_url_names_a_published_article():
    names = [m for _, b in POSTS_BY_NAME.values() for m in POST_URL.findall(b)]
    assert names
    assert all(f"{n}.md" in PUBLISHED for n in names)


def test_the_generator_is_deterministic(tmp_path):
    """Regenerating writes the same bytes twice (not compared with the committed files:
    another Pillow or FreeType may encode differently)."""
    from importlib.util import module_from_spec, spec_from_file_location

    spec = spec_from_file_location("make_sample_images", REPO / "scripts/make_sample_images.py")
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main([str(tmp_path / "a")])
    module.main([str(tmp_path / "b")])
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted(p.name for p in ASSETS.iterdir())
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
