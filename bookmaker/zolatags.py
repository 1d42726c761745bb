"""Zola shortcodes in an article's Markdown -> Markdown, before the Markdown pass.

Zola writes `{{ youtube(id="…") }}` and, with a body, `{% note(kind="warning") %}…{% end %}`.
Its own (`youtube`, `vimeo`, `streamable`, `gist`) become links; a theme's box (`note`,
`admonition`, `alert`, `warning`…) a box, `quote` a quotation, `details` an open box; a
shortcode whose arguments name a picture (`resize_image(path=…)`, `image(src=…)`) shows
it. Any other is left out, its body kept, with one warning per article naming it. Code
samples are never touched, except that `{{/* x */}}` and `{%/* x */%}` print `{{ x }}`
and `{% x %}` everywhere, as on the blog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import callouts, embeds, links, mdsource, shortcodes

ESCAPED = re.compile(r"\{([{%])/\*(.*?)\*/([}%])\}", re.S)
LITERAL = "\ue002"  # after the `{{` of an escaped tag, so TAG cannot see it (U+E000-E002:
# markdown.py strips them from input, so never the author's)
_ARGS = r"""(?:"[^"]*"|'[^']*'|`[^`]*`|[^"'`()])*"""
TAG = re.compile(
    rf"\{{\{{\s*(?P<inline>[A-Za-z_]\w*)\s*\((?P<iargs>{_ARGS})\)\s*\}}\}}"
    rf"|\{{%\s*(?P<open>[A-Za-z_]\w*)\s*\((?P<oargs>{_ARGS})\)\s*%\}}"
    r"|\{%\s*end\s*%\}"
)
ARG = re.compile(r"""(\w+)\s*=\s*("[^"]*"|'[^']*'|`[^`]*`|\[[^\]]*\]|[^,\s]+)""")
HINT = re.compile(r"\{[{%]")
# A box's kind and title, as Zola themes name them (tabi's `admonition(type=, title=)`,
# DeepThought's `note(header=)`); Duckquill's `alert(tip=true)` names it by a flag.
KIND_KEYS = ("kind", "type", "style", "level", "color", "class")
TITLE_KEYS = ("title", "header", "summary")
BOX_NAMES = frozenset({"admonition", "alert", "callout", "notice", "hint", *callouts.KINDS})
ALT_KEYS = ("alt", "caption", "title", "desc", "description")
MAX_DEPTH = 8  # boxes in boxes: past this, a hostile post, not a reader's aid


@dataclass
class Expansion:
    text: str
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (source text, message)
    # (the Markdown a shortcode became, the shortcode): a picture's line is its shortcode's
    origins: list[tuple[str, str]] = field(default_factory=list)


def expand(source: str) -> Expansion:
    """`source` with Zola's shortcodes replaced by Markdown, and what was left out."""
    result = Expansion(ESCAPED.sub(_literal, source))
    if HINT.search(result.text):
        result.text = _expand(result.text, result, set(), 0)
    result.text = result.text.replace(LITERAL, "")
    return result


def _literal(m: re.Match) -> str:
    return "{" + m.group(1) + LITERAL + m.group(2) + m.group(3) + "}"


def _expand(source: str, result: Expansion, unknown: set[str], depth: int) -> str:
    """The shortcodes of `source` expanded; code is set aside, not cut, as a body holds it."""
    text, restore = mdsource.set_code_aside(source, "Z")
    tags = list(TAG.finditer(text))
    ends = _pairs(tags)
    out: list[str] = []
    pos, i = 0, 0
    while i < len(tags):
        m = tags[i]
        out.append(text[pos : m.start()])
        pos, i = m.end(), i + 1
        call = _call(m, restore)
        if m.group("inline"):
            out.append(_inline(call, result, unknown))
        elif m.group("open") and i - 1 in ends:
            close = ends[i - 1]
            inner = restore(text[m.end() : tags[close].start()])
            out.append(_body(call, inner, result, unknown, depth))
            pos, i = tags[close].end(), close + 1
        else:
            what = "is never closed" if m.group("open") else "closes no shortcode"
            _once(result, unknown, call, f"`{call.source}` {what}: left out")
    out.append(text[pos:])
    return restore("".join(out))


def _pairs(tags: list[re.Match]) -> dict[int, int]:
    """Each opening tag's index -> the index of the `{% end %}` that closes it."""
    ends: dict[int, int] = {}
    stack: list[int] = []
    for i, m in enumerate(tags):
        if m.group("open"):
            stack.append(i)
        elif not m.group("inline") and stack:
            ends[stack.pop()] = i
    return ends


def _call(m: re.Match, restore) -> shortcodes.Call:
    name = m.group("inline") or m.group("open") or "end"
    args = restore(m.group("iargs") or m.group("oargs") or "")
    kwargs = {key: _value(value) for key, value in ARG.findall(args)}
    return shortcodes.Call(name, (), kwargs, None, restore(m.group(0)).split("\n", 1)[0])


def _value(text: str) -> str:
    return text[1:-1] if text[:1] in "\"'`" and text[-1:] == text[:1] else text


def _inline(call: shortcodes.Call, result: Expansion, unknown: set[str]) -> str:
    renderer = INLINE.get(call.name)
    if renderer is not None:
        return renderer(call)
    text = call.kwargs.get("body") or call.kwargs.get("text")
    if call.name in BOX_NAMES and text:  # DeepThought's note(body=…), tabi's admonition(text=…)
        return _box(call, text)
    picture = _picture(call)
    if picture:
        result.origins.append((picture, call.source))
        return picture
    _unknown(call, result, unknown, "left out")
    return ""


def _body(
    call: shortcodes.Call, inner: str, result: Expansion, unknown: set[str], depth: int
) -> str:
    if call.name == "mermaid":  # a diagram's source, not Markdown
        return shortcodes.BOXES["mermaid"](shortcodes.Call("mermaid", (), {}, inner, ""), "")
    if depth >= MAX_DEPTH:
        message = f"shortcodes nested deeper than {MAX_DEPTH} levels: the deeper ones left out"
        result.warnings.append((call.source, message + ", their text kept"))
        return TAG.sub("", inner)
    body = _expand(inner, result, unknown, depth + 1)
    if call.name in ("quote", "blockquote"):
        return _quote(call, body)
    if call.name == "details":
        return shortcodes.BOXES["details"](call, body)
    if call.name in BOX_NAMES:
        return _box(call, body)
    _unknown(call, result, unknown, "left out, its text kept")
    return body


def _unknown(call: shortcodes.Call, result: Expansion, unknown: set[str], what: str) -> None:
    _once(result, unknown, call, f"unknown Zola shortcode `{call.name}`: {what}")


def _once(result: Expansion, seen: set[str], call: shortcodes.Call, message: str) -> None:
    """One warning per article for each shortcode (or stray tag) it names."""
    key = message.split(":", 1)[0]
    if key not in seen:
        seen.add(key)
        result.warnings.append((call.source, message))


def _box(call: shortcodes.Call, body: str) -> str:
    kwargs = call.kwargs
    kind = next((kwargs[k] for k in KIND_KEYS if kwargs.get(k)), "")
    flag = next((k for k, v in kwargs.items() if v == "true" and k in callouts.KINDS), "")
    kind = kind or flag or (call.name if call.name in callouts.KINDS else "note")
    title = next((kwargs[k] for k in TITLE_KEYS if kwargs.get(k)), "")
    return f"\n\n{callouts.markdown(kind, title, body)}\n\n"


def _quote(call: shortcodes.Call, body: str) -> str:
    """A quotation, and who said it (and where) under it, as Hugo's Stack writes it."""
    get = call.kwargs.get
    said = {"author": get("author", ""), "source": get("source") or get("cite", "")}
    said["url"] = get("url") or get("link", "")
    return shortcodes.BOXES["quote"](shortcodes.Call("quote", (), said, body, ""), body)


def _picture(call: shortcodes.Call) -> str:
    """The picture a user's shortcode shows, when an argument names one.

    Zola's `resize_image(path=…)` takes its path from content/ or static/, which the
    book finds at the site's root; a bare file name is beside the article.
    """
    found = next(((k, v) for k, v in call.kwargs.items() if links.is_picture(v)), None)
    if found is None:
        return ""
    key, src = found
    if key == "path" and "/" in src and not src.startswith(("/", ".", "http:", "https:")):
        src = "/" + src
    alt = next((call.kwargs[k] for k in ALT_KEYS if call.kwargs.get(k)), "")
    alt = alt.replace("[", "\\[").replace("]", "\\]")
    return f"![{alt}](<{src}>)"


def _link(label: str, url: str) -> str:
    return f"[{label}](<{url}>)"


def _gist(call: shortcodes.Call) -> str:
    url = call.kwargs.get("url", "")
    name = url.split("gist.github.com/", 1)[-1].strip("/")
    return _link(f"Gist {name}", url) if url else ""


def _streamable(call: shortcodes.Call) -> str:
    vid = call.kwargs.get("id", "")
    return _link(f"Streamable: {vid}", f"https://streamable.com/{vid}") if vid else ""


def _video(site: str):
    def link(call: shortcodes.Call) -> str:
        vid = call.kwargs.get("id", "")
        return embeds.video_link(site, vid) if vid else ""

    return link


# Zola's built-in shortcodes.
INLINE = {
    "youtube": _video("youtube"),
    "vimeo": _video("vimeo"),
    "streamable": _streamable,
    "gist": _gist,
}
