"""Hugo shortcodes in an article's Markdown -> Markdown and small HTML blocks.

Only prose is touched; `{{</* x */>}}` (Hugo's way to show a shortcode) becomes the literal
`{{< x >}}` everywhere. In-book links are left as `bookmaker-ref:PATH` for links.py.
Themes' boxes (`admonition`, `notice`, `alert`, …) are read first, across the code they
may hold, and written as callouts.py's boxes.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import markdown as pymarkdown

from . import callouts, cjk, embeds, mdsource

SHORTCODE = re.compile(r"\{\{([<%])\s*(/?)\s*([\w./-]+)(.*?)\s*/?\s*[>%]\}\}", re.S)
COMMENTED = re.compile(r"\{\{([<%])/\*(.*?)\*/([>%])\}\}", re.S)
ARG = re.compile(r"""(?:([\w-]+)\s*=\s*)?("(?:[^"\\]|\\.)*"|'[^']*'|`[^`]*`|[^\s"'`]+)""")
LITERAL = "\ue002"  # marks `{{<` that must stay literal, so SHORTCODE cannot see it
CJK = re.compile(f"[{cjk.CJK}]")
PARAGRAPH = re.compile(r"<p>(.*)</p>", re.S)
REFS = ("ref", "relref")
# Where a ref gives a link its address: `](`, a reference definition, an attribute.
URL_SLOT = re.compile(r"""(?:\]\(\s*<?|\]:[ \t]*<?|=\s*["']?)$""")
TAG = re.compile(r"<[^>]*>")
# Blowfish's `alert` shows an icon: the box it means.
ALERT_ICONS = {
    "triangle-exclamation": "warning",
    "circle-info": "info",
    "lightbulb": "tip",
    "fire": "danger",
    "skull-crossbones": "danger",
    "check": "success",
    "bug": "bug",
    "circle-question": "question",
}


_inline_md: pymarkdown.Markdown | None = None  # for captions; one per process


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
    result.text = _expand(literal, result, set()).replace(LITERAL, "")
    return result


def _expand(source: str, result: Expansion, unknown: set[str], depth: int = 0) -> str:
    source = _boxes(source, result, unknown, depth)
    return mdsource.map_prose(source, lambda text, _: _expand_text(text, result, unknown))


def _boxes(source: str, result: Expansion, unknown: set[str], depth: int) -> str:
    """The boxes in `source` expanded; a box may hold code, so code is set aside, not cut."""
    if not BOX_HINT.search(source):
        return source  # most posts: no box, and no need to cut them into code and prose
    text, restore = mdsource.set_code_aside(source, "S")
    if depth >= MAX_BOX_DEPTH:
        return restore(_flattened(text, result))
    out: list[str] = []
    pos = 0
    while (m := SHORTCODE.search(text, pos)) is not None:
        if m.group(2) or m.group(3) not in BOXES:
            out.append(text[pos : m.end()])
            pos = m.end()
            continue
        out.append(text[pos : m.start()])
        call, pos = _call(text, m)
        args, kwargs = _parse_args(restore(m.group(4)))
        inner = None if call.inner is None else restore(call.inner)
        call = Call(call.name, args, kwargs, inner, restore(call.source))
        if inner is None:
            message = f"Hugo shortcode `{call.name}` is never closed: its box is empty"
            result.warnings.append((call.source.split("\n", 1)[0], message))
        body = "" if call.name in VERBATIM else _expand(inner or "", result, unknown, depth + 1)
        out.append(BOXES[call.name](call, body))
    out.append(text[pos:])
    return restore("".join(out))


def _flattened(text: str, result: Expansion) -> str:
    """`text` without its box tags: their content stays, one box deeper no more."""
    first = BOX_TAG.search(text)
    if first is not None:
        message = f"boxes nested deeper than {MAX_BOX_DEPTH} levels: the deeper ones left out"
        result.warnings.append((first.group(0).split("\n", 1)[0], message + ", their text kept"))
    return BOX_TAG.sub("", text)


def _expand_text(text: str, result: Expansion, unknown: set[str]) -> str:
    out: list[str] = []
    pos = 0
    while (m := SHORTCODE.search(text, pos)) is not None:
        out.append(text[pos : m.start()])
        if m.group(2):  # a stray closing tag
            pos = m.end()
            continue
        call, end = _call(text, m)
        rendered = _render(call, result, unknown)
        if call.name in REFS and not URL_SLOT.search(text[max(0, m.start() - 20) : m.start()]):
            # Where Hugo prints the page's address, the book links to it by its title
            # (markdown.py fills in an empty link's text).
            rendered = f"[](<{rendered}>)"
        out.append(rendered)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _call(text: str, m: re.Match) -> tuple[Call, int]:
    name = m.group(3)
    args, kwargs = _parse_args(m.group(4))
    self_closed = m.group(0).rstrip("}>% ").endswith("/")
    close = None if self_closed else _closing(text, name, m.end())
    if close is None:
        return Call(name, args, kwargs, None, m.group(0)), m.end()
    inner = text[m.end() : close.start()]
    return Call(name, args, kwargs, inner, text[m.start() : close.end()]), close.end()


def _closing(text: str, name: str, start: int) -> re.Match | None:
    """The tag that closes `name`, past any pair of the same name inside it (Hugo nests)."""
    tags = re.compile(r"\{\{[<%]\s*(/?)\s*" + re.escape(name) + r"(?=[\s/>%])(.*?)[>%]\}\}", re.S)
    depth = 0
    for tag in tags.finditer(text, start):
        if not tag.group(1):
            depth += not tag.group(2).rstrip().endswith("/")
        elif depth == 0:
            return tag
        else:
            depth -= 1
    return None


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
    src, title = call.get("src", 0), call.get("title")
    caption = _markdownify(call.get("caption"))  # as Hugo's figure: links, emphasis
    alt = call.get("alt") or _plain(caption) or title
    size = "".join(f' {k}="{_attr(call.get(k))}"' for k in ("width", "height") if call.get(k))
    img = f'<img src="{_attr(src)}" alt="{_attr(alt)}"{size}/>'
    if call.get("link"):
        img = f'<a href="{_attr(call.get("link"))}">{img}</a>'
    caption = " ".join(x for x in (html.escape(title), caption) if x)
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"\n\n<figure>{img}{figcaption}</figure>\n\n"


def _markdownify(text: str) -> str:
    """Hugo's `markdownify`: inline Markdown as HTML, no paragraph around one paragraph
    (sanitize.py cleans it with the rest of the article)."""
    global _inline_md
    if not text.strip():
        return ""
    if _inline_md is None:
        _inline_md = pymarkdown.Markdown(output_format="xhtml")
    out = _inline_md.reset().convert(text)
    one = PARAGRAPH.fullmatch(out)
    return one.group(1) if one else out


def _plain(markup: str) -> str:
    """Hugo's `plainify`: the text of `markup`, for an alt text."""
    return html.unescape(TAG.sub("", markup)).strip()


CODE_OPTIONS = ("linenos", "hl_lines", "linenostart")


def _code(call: Call) -> str:
    """`highlight go "linenos=table,hl_lines=2 3,linenostart=10"`: a fence with the options
    the fence reader knows (marked lines, numbering), as Hugo shows them."""
    lang = call.get("lang", 0) or call.get("language")
    options = call.get("options", 1)
    pairs = dict(kv.split("=", 1) for kv in options.split(",") if "=" in kv)
    if call.get("linenos"):
        pairs.setdefault("linenos", call.get("linenos"))
    kept = {k.strip(): v.strip() for k, v in pairs.items() if k.strip() in CODE_OPTIONS}
    if kept.get("linenos", "false") == "false":
        kept.pop("linenos", None)
    attrs = ", ".join(f'{k}="{v}"' for k, v in kept.items())
    return _fenced(f"{lang} {{{attrs}}}" if attrs else lang, call.inner or "")


def _fenced(info: str, code: str) -> str:
    code = code.strip("\n") + "\n"
    longest = max((len(r) for r in re.findall(r"`+", code)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"\n\n{ticks}{info}\n{code}{ticks}\n\n"


def _ref(call: Call) -> str:
    return "bookmaker-ref:" + call.get("path", 0)


def _link(label: str, url: str) -> str:
    return f"[{label}](<{url}>)"


def _youtube(call: Call) -> str:
    return embeds.video_link("youtube", call.get("id", 0), call.get("title"))


def _vimeo(call: Call) -> str:
    return embeds.video_link("vimeo", call.get("id", 0), call.get("title"))


def _bilibili(call: Call) -> str:
    """LoveIt: `{{< bilibili BV1Sx411T7QQ >}}`; a part as `p=3` or a second argument."""
    vid, part = call.get("id", 0), call.get("p", 1)
    if not vid:
        return ""
    vid = "av" + vid if vid.isdigit() else vid
    if part.isdigit() and int(part) > 1:
        return embeds.video_link("bilibili", f"{vid}?p={part}", f"{vid} P{part}")
    return embeds.video_link("bilibili", vid)


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


# --- boxes: each gets the call and its content as Markdown, and gives a box ---------------


def _box(kind: str, title: str, body: str) -> str:
    return f"\n\n{callouts.markdown(kind or 'note', title, body)}\n\n"


def _admonition(call: Call, body: str) -> str:
    """LoveIt, DoIt, FixIt: `{{< admonition tip "小提示" >}}`, or `type=`, `title=`."""
    return _box(call.get("type", 0), call.get("title", 1), body)


def _notice(call: Call, body: str) -> str:
    """hugo-theme-learn, relearn: `{{% notice info "标题" %}}`, or `style=`, `title=`."""
    return _box(call.get("style", 0) or call.get("type"), call.get("title", 1), body)


def _alert(call: Call, body: str) -> str:
    """Blowfish: `{{< alert "circle-info" >}}` (an icon; a warning's by default);
    Docsy: `{{% alert title="注意" color="warning" %}}`."""
    icon = call.get("icon", 0) or "triangle-exclamation"
    kind = call.get("color") or call.get("type") or ALERT_ICONS.get(icon, "note")
    return _box(kind, call.get("title"), body)


def _details(call: Call, body: str) -> str:
    """Hugo's own `details`: open, with its summary, as a book cannot be clicked."""
    return _box(callouts.DETAILS, call.get("summary"), body)


def _quote(call: Call, body: str) -> str:
    """Stack's `quote`: the quotation, and who said it (and where) under it."""
    author, source, url = call.get("author", 0), call.get("source", 1), call.get("url", 2)
    if url:
        source = f"[{source or url}](<{url}>)"
    lines = [f"> {line}".rstrip() for line in body.strip("\n").split("\n")]
    if author or source:
        chinese = CJK.search(author + source)
        dash, sep = ("——", "，") if chinese else ("—", ", ")
        lines += [">", f"> {dash} {sep.join(p for p in (author, source) if p)}"]
    return "\n\n" + "\n".join(lines) + "\n\n"


def _mermaid(call: Call, body: str) -> str:
    """A diagram's source, shown as code (markdown.py's Mermaid fence notes what it is)."""
    return _fenced("mermaid", call.inner or "")


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
    "bilibili": _bilibili,
    "tweet": _tweet,
    "x": _tweet,
    "gist": _gist,
    "instagram": _instagram,
}
BOXES = {
    "admonition": _admonition,
    "notice": _notice,
    "hint": _admonition,  # hugo-book: `{{% hint warning %}}`
    "callout": _admonition,  # Hextra: `{{< callout type="info" >}}`
    "alert": _alert,
    "details": _details,
    "quote": _quote,
    "mermaid": _mermaid,
}
VERBATIM = {"mermaid"}  # boxes whose content is not Markdown
BOX_HINT = re.compile(r"\{\{[<%]\s*(?:" + "|".join(BOXES) + r")\b")
BOX_TAG = re.compile(r"\{\{[<%]\s*/?\s*(?:" + "|".join(BOXES) + r")(?=[\s/>%]).*?[>%]\}\}", re.S)
MAX_BOX_DEPTH = 8  # boxes in boxes: past this, a hostile post, not a reader's aid
