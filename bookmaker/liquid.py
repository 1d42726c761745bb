"""Jekyll Liquid in an article's Markdown -> plain Markdown (and markers for in-book links).

`{% raw %}`, `{% comment %}` and `{% highlight %}` are handled everywhere, as Jekyll does;
every other tag and `{{ output }}` only in prose, so code samples keep what they show.
Links are left as `bookmaker-post:NAME` / `bookmaker-link:PATH` for links.py to resolve.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import mdsource
from .errors import UnsafePathError
from .paths import Roots

STASH = re.compile("\ue000R(\\d+)\ue001")
RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.S)
COMMENT = re.compile(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}", re.S)
CAPTURE = re.compile(r"\{%-?\s*capture\b.*?%\}.*?\{%-?\s*endcapture\s*-?%\}", re.S)
HIGHLIGHT = re.compile(
    r"^([ \t]*)\{%-?\s*highlight\s+([\w+#.-]+)([^%]*?)-?%\}[ \t]*\n?(.*?)"
    r"\{%-?\s*endhighlight\s*-?%\}[ \t]*$",
    re.S | re.M,
)
TAG = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}", re.S)
OUTPUT = re.compile(r"\{\{(?![<%])-?\s*(.*?)\s*-?\}\}", re.S)
SITE_PREFIX = re.compile(r"^site\.(?:url|baseurl)$")
URL_FILTER = re.compile(r"""^(["'])(.*?)\1\s*\|\s*(?:relative_url|absolute_url)\s*$""")
PARAM = re.compile(r"""([\w-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s%]+)""")
INCLUDE_PARAM = re.compile(r"\{\{-?\s*include\.([\w-]+)\s*-?\}\}")
MAX_INCLUDE_DEPTH = 4


@dataclass(frozen=True)
class LiquidSite:
    """What Liquid needs from the site: where includes live, and which files may be read."""

    includes_dir: Path | None
    roots: Roots
    article_dir: Path


@dataclass
class Expansion:
    text: str
    stash: list[str] = field(default_factory=list)  # `{% raw %}` contents, restored last
    # (text to find in the source for the line number, message)
    warnings: list[tuple[str, str]] = field(default_factory=list)


def expand(
    source: str, site: LiquidSite, page_title: str = "", dialect: str = "Liquid"
) -> Expansion:
    """Liquid in `source` expanded; raw contents stashed (see `restore`). `dialect` names
    the tags in the warning about those left out (Hexo's look the same)."""
    result = Expansion(source)
    result.text = RAW.sub(lambda m: _stash(result, m.group(1)), result.text)
    result.text = COMMENT.sub("", result.text)
    result.text = HIGHLIGHT.sub(lambda m: _fence(m, result), result.text)
    dropped: dict[str, str] = {}

    def prose(text: str, offset: int) -> str:
        text = CAPTURE.sub(lambda m: _drop(dropped, "capture", m.group(0)), text)
        text = TAG.sub(lambda m: _tag(m, site, dropped, result, 0), text)
        return OUTPUT.sub(lambda m: _output(m, page_title, dropped), text)

    result.text = mdsource.map_prose(result.text, prose)
    if dropped:
        names = ", ".join(sorted(dropped))
        first = next(iter(dropped.values()))
        result.warnings.append((first, f"{dialect} not supported, left out: {names}"))
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


def _drop(dropped: dict[str, str], name: str, needle: str) -> str:
    dropped.setdefault(name, needle)
    return ""


def _tag(m: re.Match, site: LiquidSite, dropped, result, depth: int) -> str:
    name, args = m.group(1), m.group(2).strip()
    where = m.group(0)
    if name == "post_url":
        return f"bookmaker-post:{args.split()[0] if args else ''}"
    if name == "link":
        return f"bookmaker-link:{args.split()[0] if args else ''}"
    if name in ("include", "include_relative"):
        return _include(name, args, site, where, dropped, result, depth)
    return _drop(dropped, name, where)


def _output(m: re.Match, page_title: str, dropped: dict[str, str]) -> str:
    expr = m.group(1).strip()
    if SITE_PREFIX.match(expr):
        return ""  # links become site-relative, which links.py and the image store know
    filtered = URL_FILTER.match(expr)
    if filtered:
        return filtered.group(2)
    if expr == "page.title":
        return page_title
    return _drop(dropped, "{{ " + expr.split("|")[0].strip() + " }}", m.group(0))


def _include(name, args, site: LiquidSite, where, dropped, result, depth) -> str:
    parts = args.split(None, 1)
    if not parts:
        return _drop(dropped, name, where)
    base = site.article_dir if name == "include_relative" else site.includes_dir
    if base is None or depth >= MAX_INCLUDE_DEPTH:
        result.warnings.append((where, f"{{% {name} {parts[0]} %}}: no _includes folder"))
        return ""
    try:
        path = site.roots.check(base / parts[0], max_bytes=1_000_000)
        text = path.read_text(encoding="utf-8", errors="replace")
    except UnsafePathError as exc:
        result.warnings.append((where, f"{{% {name} %}} left out: {exc}"))
        return ""
    params = {k: v.strip("\"'") for k, v in PARAM.findall(parts[1] if len(parts) > 1 else "")}
    text = INCLUDE_PARAM.sub(lambda p: params.get(p.group(1), ""), text)
    text = COMMENT.sub("", RAW.sub(lambda r: r.group(1), text))
    return TAG.sub(lambda t: _tag(t, site, dropped, result, depth + 1), text)
