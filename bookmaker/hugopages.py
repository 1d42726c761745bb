"""A Hugo site's content files -> which of them its blog publishes as posts, and why not.

Hugo lists the pages of the site's main sections as its posts (`mainSections`, else the
top-level section with the most pages); an about, search or archives page beside them is a
page, not a post. It publishes nothing for a headless bundle or `build.render: never`, nor
a page after its `expiryDate` (unless `buildExpired`), and it builds one site per language:
`post.en.md` beside `post.md` is the same post in English. The book is the default
language's site.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .model import Site

# Theme layouts that make a page of a site rather than a post (PaperMod, Stack, Blowfish…).
PAGE_LAYOUTS = frozenset({"about", "archive", "archives", "search", "page", "links"})
NEVER_RENDERED = ("never", "link", False, "false")  # `build.render` (`_build` before 0.66)
# A file name's language suffix when the site names no languages: `en`, `zh-cn`, `pt-br`.
_LANGUAGE = re.compile(r"[a-z]{2}(?:-[a-z0-9]{2,8})?")
EXPIRY_KEYS = ("expirydate", "unpublishdate")


@dataclass(frozen=True)
class Page:
    """What Hugo's rules need to know of one content file."""

    rel: str
    section: str  # its top-level section; "" at the top of content/
    kind: str  # front matter `type`, else the section: what mainSections lists
    layout: str
    key: str  # its path without a language suffix: translations share it
    language: str  # that suffix, "" for none
    counts: bool  # a dated post, no draft: it counts when Hugo picks the main section


def page(rel: str, meta: dict, section: str, key: str, language: str, post: bool) -> Page:
    """`section`: the folder under content/ (`posts/2024`); `post`: dated and no draft."""
    top = section.split("/")[0]
    kind = str(meta.get("type") or top).strip().lower()
    layout = str(meta.get("layout") or "").strip().lower()
    counts = post and kind == top and layout not in PAGE_LAYOUTS
    return Page(rel, top, kind, layout, key, language, counts)


def split_language(site: Site, stem: str) -> tuple[str, str]:
    """`post.en` -> ("post", "en") when `en` is a language of the site; else (stem, "")."""
    base, dot, suffix = stem.rpartition(".")
    suffix = suffix.lower()
    if not dot or not base:
        return stem, ""
    known = suffix in site.languages or suffix == site.default_language
    if known or (not site.languages and _LANGUAGE.fullmatch(suffix)):
        return base, suffix
    return stem, ""


def unpublished(meta: dict) -> str:
    """Why Hugo makes no page of this file at all ("" when it does)."""
    if meta.get("headless") in (True, "true"):
        return "headless bundle: Hugo publishes no page for it"
    for key in ("build", "_build"):
        options = meta.get(key)
        render = options.get("render", options.get("Render")) if isinstance(options, dict) else None
        if render in NEVER_RENDERED:
            return f"not published: {key}.render is {str(render).lower()}"
    return ""


def left_out(site: Site, pages: list[Page], by_section: bool = True) -> dict[str, str]:
    """rel -> why, for every page that is not one of the blog's posts in its own language.

    `by_section` False (the folders were chosen in bookmaker.toml): sections do not count.
    """
    mains, chosen = _main_sections(site, pages) if by_section else ((), False)
    why = {p.rel: _not_a_post(p, mains, chosen) for p in pages}
    why = {rel: reason for rel, reason in why.items() if reason}
    posts = [p for p in pages if p.rel not in why]
    return why | _translations(site, posts)


def _main_sections(site: Site, pages: list[Page]) -> tuple[tuple[str, ...], bool]:
    """(the sections whose pages are posts, whether the site's config chose them).

    Hugo's default is the top-level section with the most pages; here the top of
    content/ competes too, so that a site keeping its posts there keeps them.
    """
    if site.main_sections:
        return site.main_sections, True
    counts = Counter(p.section for p in pages if p.counts)
    if not counts:
        return (), False  # nothing dated to tell posts from pages by: sections say nothing
    best = min(counts, key=lambda s: (-counts[s], s == "", s))
    return (best,), False


def _not_a_post(page: Page, mains: tuple[str, ...], chosen: bool) -> str:
    if page.layout in PAGE_LAYOUTS:
        return f"not a post: a page with layout {page.layout!r}"
    if page.kind == "page" and "page" not in mains:
        return "not a post: a page (type 'page')"
    if not mains or page.kind in mains:
        return ""
    names = ", ".join(m or "the top of content/" for m in mains)
    if page.kind != page.section:
        return f"not a post: type {page.kind!r} is not a main section ({names})"
    where = "its mainSections" if chosen else "its main section, the one with the most posts"
    return f"not a post: outside the site's posts ({where}: {names})"


def _translations(site: Site, pages: list[Page]) -> dict[str, str]:
    """The same post in other languages than the book's: one version of each is kept."""
    groups: dict[str, list[Page]] = {}
    for p in pages:
        groups.setdefault(p.key, []).append(p)
    language = site.default_language or "that of the files without a language suffix"
    book = f"the book keeps the site's language, {language}"
    why = {}
    for group in groups.values():
        kept = _in_language(site, group)
        for p in group:
            if kept is None:
                why[p.rel] = f"in {p.language} only; {book}"
            elif p is not kept:
                why[p.rel] = f"translation ({p.language or 'no suffix'}) of {kept.rel}; {book}"
    return why


def _in_language(site: Site, group: list[Page]) -> Page | None:
    """The version in the site's default language, else the one without a suffix.

    Several versions and none of those: the first. A file alone stays, unless the site
    names its languages and this file is in another one: then None.
    """
    default = site.default_language
    primary = default.split("-")[0]
    for found in (
        [p for p in group if default and p.language == default],
        [p for p in group if primary and p.language.split("-")[0] == primary],
        [p for p in group if not p.language],
    ):
        if found:
            return found[0]
    return None if len(group) == 1 and default and site.languages else group[0]
