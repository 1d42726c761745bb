"""Jekyll Liquid in an article's Markdown -> plain Markdown (and markers for in-book links).

`{% raw %}`, `{% comment %}` and `{% highlight %}` are handled everywhere, as Jekyll does;
every other tag and `{{ output }}` only in prose, so code samples keep what they show.
Links are left as `bookmaker-post:NAME` / `bookmaker-link:PATH` for links.py.
Conditions and loops are evaluated (liquidblocks.py) with what bookmaker knows (the
site's `_config.yml`, the article's front matter, include parameters), so only the branch
the blog shows is printed.
Includes the site lacks but its theme ships (Minimal Mistakes, Chirpy) are shown as the
theme shows them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import embeds
from .errors import UnsafePathError
from .liquidblocks import Run, Token, drop, parse, render, tokens, value
from .liquidexpr import Scope, site_path, text, truthy, value_of
from .model import Article, Site
from .paths import Roots

STASH = re.compile("\ue000R(\\d+)\ue001")
RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.S)
COMMENT = re.compile(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}", re.S)
HIGHLIGHT = re.compile(
    r"^([ \t]*)\{%-?\s*highlight\s+([\w+#.-]+)([^%]*?)-?%\}[ \t]*\n?(.*?)"
    r"\{%-?\s*endhighlight\s*-?%\}[ \t]*$",
    re.S | re.M,
)
PARAM = re.compile(r"""([\w-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s%]+)""")
MAX_INCLUDE_DEPTH = 4
# Video includes the themes ship: include name -> provider (Minimal Mistakes' `video`
# names it in a parameter).
THEME_VIDEOS = {"embed/youtube.html": "youtube", "embed/bilibili.html": "bilibili"}
THEME_INCLUDES = frozenset({"figure", "video", *THEME_VIDEOS})


@dataclass(frozen=True)
class LiquidSite:
    """What Liquid needs from the site: where includes live, which files may be read, and
    the site's variables (`site.*`)."""

    includes_dir: Path | None
    roots: Roots
    article_dir: Path
    variables: Mapping[str, object] = field(default_factory=dict)


@dataclass
class Expansion:
    text: str
    stash: list[str] = field(default_factory=list)  # `{% raw %}` contents, restored last
    # (text to find in the source for the line number, message)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    # (text an include printed, its include tag): where to look for a picture's line
    origins: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Jekyll:
    """Jekyll's tags in one article: where includes come from, what they printed."""

    site: LiquidSite
    result: Expansion
    depth: int = 0
    files: dict[tuple[str, str], str | None] = field(default_factory=dict)  # includes read

    def tag(self, token: Token, run: Run) -> str | None:
        args = token.args
        if token.name == "post_url":
            return f"bookmaker-post:{args.split()[0] if args else ''}"
        if token.name == "link":
            return f"bookmaker-link:{args.split()[0] if args else ''}"
        if token.name in ("include", "include_relative"):
            return _include(token, run, self)
        return None


def site_variables(site: Site) -> dict[str, object]:
    """`site.*`: the site's config as read, with what site.py already made of it.

    `site.url` and `site.baseurl` print nothing: links and pictures stay site-relative,
    which links.py and the image store know as the site's own.
    """
    found: dict[str, object] = {"title": site.title, "description": site.description}
    found["author"] = site.author
    found.update(site.variables)
    found.update(url="", baseurl="")
    return found


def page_variables(article: Article) -> dict[str, object]:
    """`page.*` as far as the article keeps its front matter."""
    found: dict[str, object] = {
        "title": article.title,
        "date": article.date,
        "tags": list(article.tags),
        "categories": list(article.categories),
        "description": article.description,
        "lang": article.lang,
    }
    if article.permalink:
        found["url"] = article.permalink
    return found


def expand(
    source: str,
    site: LiquidSite,
    page: Mapping[str, object] | None = None,
    dialect: str = "Liquid",
) -> Expansion:
    """Liquid in `source` expanded; raw contents stashed (see `restore`). `dialect` names
    the tags in the warning about those left out (Hexo's look the same)."""
    result = Expansion(source)
    result.text = RAW.sub(lambda m: _stash(result, m.group(1)), result.text)
    result.text = COMMENT.sub("", result.text)
    result.text = HIGHLIGHT.sub(lambda m: _fence(m, result), result.text)
    if "{%" not in result.text and "{{" not in result.text:
        return result
    variables = {"site": dict(site.variables), "page": dict(page or {})}
    run = Run(Scope(variables), result.warnings, _Jekyll(site, result).tag)
    result.text = render(parse(tokens(result.text, prose_only=True), run), run)
    if run.dropped:
        names = ", ".join(sorted(run.dropped))
        first = next(iter(run.dropped.values()))
        result.warnings.append((first, f"{dialect} not supported, left out: {names}"))
    if run.scope.guessed:
        names = ", ".join(run.scope.guessed)
        first = next(iter(run.scope.guessed.values()))
        message = f"{dialect}: taken as not set, as bookmaker cannot know them: {names}"
        result.warnings.append((first, message))
    return result


def restore(text: str, stash: list[str]) -> str:
    """Put the stashed `{% raw %}` contents back, unchanged."""
    return STASH.sub(lambda m: stash[int(m.group(1))], text)


def _stash(result: Expansion, text: str) -> str:
    result.stash.append(text)
    return f"\ue000R{len(result.stash) - 1}\ue001"


def _fence(m: re.Match, result: Expansion) -> str:
    indent, lang, options, code = m.group(1), m.group(2), m.group(3), m.group(4)
    code = restore(code, result.stash)
    longest = max((len(r) for r in re.findall(r"`+", code)), default=0)
    ticks = "`" * max(3, longest + 1)
    attrs = ' linenums="1"' if "linenos" in options else ""
    body = code if code.endswith("\n") else code + "\n"
    return f"{indent}{ticks}{lang}{attrs}\n{body}{indent}{ticks}"


# --- includes -------------------------------------------------------------------------------


def _include(token: Token, run: Run, jekyll: _Jekyll) -> str:
    parts = token.args.split(None, 1)
    if not parts:
        return drop(run, token.name, run.needle(token))
    name, where = parts[0], run.needle(token)
    params = {k: _param(v, token, run) for k, v in PARAM.findall(parts[1] if parts[1:] else "")}
    if token.name == "include" and name in THEME_INCLUDES and not _in_site(name, jekyll.site):
        shown = _theme_include(name, params)
        if shown is not None:
            return shown
    if jekyll.depth >= MAX_INCLUDE_DEPTH:
        message = f"{{% {token.name} {name} %}}: includes nested deeper than {MAX_INCLUDE_DEPTH}"
        run.warnings.append((where, message))
        return ""
    found = _include_text(token.name, name, jekyll, where)
    if found is None:
        return ""
    saved, outer = run.scope.variables.get("include"), run.where
    run.scope.variables["include"] = params
    run.where, jekyll.depth = where, jekyll.depth + 1
    shown = render(parse(tokens(found, prose_only=False), run), run)
    run.scope.variables["include"] = saved
    run.where, jekyll.depth = outer, jekyll.depth - 1
    if not run.grow(shown, token):
        return ""
    if "<figcaption" in shown and "<figure" not in shown:
        # A picture and its caption with no <figure> around them (the usual image.html):
        # the browser shows a captioned picture, and so does the book.
        shown = f"<figure>{shown.strip()}</figure>\n"
    if outer is None:
        jekyll.result.origins.append((shown, where))
    return shown


def _include_text(tag: str, name: str, jekyll: _Jekyll, where: str) -> str | None:
    """The include file's text, ready to render; None (with a warning) when it cannot be."""
    if (tag, name) not in jekyll.files:  # an include in a loop is read once
        jekyll.files[tag, name] = _read_include(tag, name, jekyll, where)
    return jekyll.files[tag, name]


def _read_include(tag: str, name: str, jekyll: _Jekyll, where: str) -> str | None:
    site, warnings = jekyll.site, jekyll.result.warnings
    base = site.article_dir if tag == "include_relative" else site.includes_dir
    if base is None:
        warnings.append((where, f"{{% {tag} {name} %}}: no _includes folder"))
        return None
    try:
        path = site.roots.check(base / name, max_bytes=1_000_000)
        text = path.read_text(encoding="utf-8", errors="replace")
    except UnsafePathError as exc:
        warnings.append((where, f"{{% {tag} %}} left out: {exc}"))
        return None
    text = RAW.sub(lambda m: _stash(jekyll.result, m.group(1)), text)
    return COMMENT.sub("", text)


def _in_site(name: str, site: LiquidSite) -> bool:
    """Whether the site has an include of this name (its own copy wins over the theme's)."""
    if site.includes_dir is None:
        return False
    try:
        site.roots.check(site.includes_dir / name)
    except UnsafePathError:
        return False
    return True


def _param(written: str, token: Token, run: Run) -> object:
    if written[:1] in ("'", '"'):
        return written[1:-1]
    return value(written, token, run)  # `url=page.image`: a variable, as Jekyll reads it


def _theme_include(name: str, params: dict[str, object]) -> str | None:
    """The well-known includes of Minimal Mistakes and Chirpy, which live in the theme's
    gem rather than the site, as the theme shows them; None when the parameters name
    nothing bookmaker can show."""
    if name == "figure":
        return _figure(params)
    provider = THEME_VIDEOS.get(name) or text(params.get("provider"))
    vid = text(params.get("id")).strip()
    if provider == "bilibili" and vid.isdigit():
        vid = "av" + vid  # an old numeric id
    if provider in embeds.VIDEO_PAGES and vid:
        return embeds.video_link(provider, vid)
    return None


def _figure(params: dict[str, object]) -> str:
    """Minimal Mistakes' `figure`: the picture with its caption (Markdown, as the theme reads
    it) under it."""
    src = html.escape(site_path(params.get("image_path")), quote=True)
    alt = html.escape(text(params.get("alt")), quote=True)
    caption = ""
    if truthy(params.get("caption")):
        shown = value_of("caption | markdownify", Scope({"caption": params["caption"]}), "")
        caption = "<figcaption>" + re.sub(r"</?p>", "", text(shown)).strip() + "</figcaption>"
    return f'<figure><img src="{src}" alt="{alt}" />{caption}</figure>\n'
