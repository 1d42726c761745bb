"""Hugo shortcodes in an article's Markdown -> Markdown and small HTML blocks.

Only prose is touched; `{{</* x */>}}` (Hugo's way to show a shortcode) becomes the literal
`{{< x >}}` everywhere. In-book links are left as `bookmaker-ref:PATH` for links.py.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from . import embeds, mdsource

SHORTCODE = re.compile(r"\{\{([<%])\s*(/?)\s*([\w./-]+)(.*?)\s*/?\s*[>%]\}\}", re.S)
COMMENTED = re.compile(r"\{\{([<%])/\*(.*?)\*/([>%])\}\}", re.S)
ARG = re.compile(r"""(?:([\w-]+)\s*=\s*)?("(?:[^"\\]|\\.)*"|'[^']*'|`[^`]*`|[^\s"'`]+)""")
LITERAL = "\ue002"  # marks `{{<` that must stay literal, so SHORTCODE cannot see it


@dataclass
class Expansion:
    text: str
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (source text, message)


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[str, ...]
    kwargs: dict[str, str]
    inner: str | None  # the content of a paired shortcode
    source: str

    def get(self, key: str, position: int | None = None, default: str = "") -> str:
        if key in self.kwargs:
            return self.kwargs[key]
        if position is not None and position < len(self.args):
            return self.args[position]
        return default


def expand(source: str) -> Expansion:
    literal = COMMENTED.sub(
        lambda m: "{{" + LITERAL + m.group(1) + m.group(2) + m.group(3) + "}}", source
    )
    result = Expansion(literal)
    unknown: set[str] = set()

    def prose(text: str, offset: int) -> str:
        return _expand_text(text, result, unknown)

    result.text = mdsource.map_prose(result.text, prose).replace(LITERAL, "")
    return result


def _expand_text(text: str, result: Expansion, unknown: set[str]) -> str:
    out: list[str] = []
    pos = 0
    while (m := SHORTCODE.search(text, pos)) is not None:
        out.append(text[pos : m.start()])
        if m.group(2):  # a stray closing tag
            pos = m.end()
            continue
        call, end = _call(text, m)
        out.append(_render(call, result, unknown))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _call(text: str, m: re.Match) -> tuple[Call, int]:
    name = m.group(3)
    args, kwargs = _parse_args(m.group(4))
    closing = re.compile(r"\{\{[<%]\s*/\s*" + re.escape(name) + r"\s*[>%]\}\}")
    close = closing.search(text, m.end())
    self_closed = m.group(0).rstrip("}>% ").endswith("/")
    if close is None or self_closed:
        return Call(name, args, kwargs, None, m.group(0)), m.end()
    inner = text[m.end() : close.start()]
    return Call(name, args, kwargs, inner, text[m.start() : close.end()]), close.end()


def _parse_args(text: str) -> tuple[tuple[str, ...], dict[str, str]]:
    args: list[str] = []
    kwargs: dict[str, str] = {}
    for key, value in ARG.findall(text):
        if value[:1] in "\"'`" and value[-1:] == value[:1] and len(value) > 1:
            value = value[1:-1].replace('\\"', '"')
        if key:
            kwargs[key] = value
        else:
            args.append(value)
    return tuple(args), kwargs


def _render(call: Call, result: Expansion, unknown: set[str]) -> str:
    renderer = RENDERERS.get(call.name)
    if renderer is not None:
        return renderer(call)
    if call.name not in unknown:
        unknown.add(call.name)
        message = f"unknown Hugo shortcode `{call.name}`: kept its content"
        result.warnings.append((call.source.split("\n", 1)[0], message))
    return _expand_text(call.inner or "", result, unknown)


def _figure(call: Call) -> str:
    src = call.get("src", 0)
    alt = call.get("alt") or call.get("caption") or call.get("title")
    size = "".join(f' {k}="{_attr(call.get(k))}"' for k in ("width", "height") if call.get(k))
    img = f'<img src="{_attr(src)}" alt="{_attr(alt)}"{size}/>'
    if call.get("link"):
        img = f'<a href="{_attr(call.get("link"))}">{img}</a>'
    caption = " ".join(x for x in (call.get("title"), call.get("caption")) if x)
    figcaption = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f"\n\n<figure>{img}{figcaption}</figure>\n\n"


def _code(call: Call) -> str:
    lang = call.get("lang", 0) or call.get("language")
    options = call.get("options", 1) + call.get("linenos")
    code = (call.inner or "").strip("\n") + "\n"
    longest = max((len(r) for r in re.findall(r"`+", code)), default=0)
    ticks = "`" * max(3, longest + 1)
    attrs = ' linenums="1"' if "linenos" in options and "false" not in options else ""
    return f"\n\n{ticks}{lang}{attrs}\n{code}{ticks}\n\n"


def _ref(call: Call) -> str:
    return "bookmaker-ref:" + call.get("path", 0)


def _link(label: str, url: str) -> str:
    return f"[{label}](<{url}>)"


def _youtube(call: Call) -> str:
    return embeds.video_link("youtube", call.get("id", 0), call.get("title"))


def _vimeo(call: Call) -> str:
    return embeds.video_link("vimeo", call.get("id", 0), call.get("title"))


def _tweet(call: Call) -> str:
    user, tid = call.get("user"), call.get("id")
    if not tid:  # the old form: {{< tweet 12345 >}}
        user, tid = (call.args[0], call.args[1]) if len(call.args) > 1 else ("i", call.get("id", 0))
    return _link(f"Tweet {tid}", f"https://twitter.com/{user or 'i'}/status/{tid}")


def _gist(call: Call) -> str:
    user, gid = call.get("user", 0), call.get("id", 1)
    return _link(f"Gist {user}/{gid}", f"https://gist.github.com/{user}/{gid}")


def _instagram(call: Call) -> str:
    pid = call.get("id", 0)
    return _link(f"Instagram {pid}", f"https://www.instagram.com/p/{pid}/")


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


RENDERERS = {
    "figure": _figure,
    "image": _figure,
    "img": _figure,
    "code": _code,
    "highlight": _code,
    "ref": _ref,
    "relref": _ref,
    "youtube": _youtube,
    "vimeo": _vimeo,
    "tweet": _tweet,
    "x": _tweet,
    "gist": _gist,
    "instagram": _instagram,
}
