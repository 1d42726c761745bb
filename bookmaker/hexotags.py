"""Hexo tag plugins in an article's Markdown -> plain Markdown, before Liquid's pass.

Hexo writes `{% asset_img cat.png 一只猫 %}`, `{% codeblock lang:js %}…{% endcodeblock %}`,
`{% blockquote 鲁迅 %}…{% endblockquote %}`, `{% post_link hello-world %}` and the NexT
theme's `{% note %}`: each becomes what it shows (a picture from the post's asset folder,
a fenced code block, a quotation with its source, an in-book link, a box). `{% raw %}` is left to
liquid.py, which also reports any tag neither knows; code samples are never touched.
"""

from __future__ import annotations

import html
import re
import shlex

from . import callouts, cjk, embeds, links, mdsource

RAW = re.compile(r"(\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\})", re.S)
BLOCK = re.compile(
    r"^([ \t]*)\{%-?\s*(codeblock|code|blockquote|pullquote|centerquote|note|tabs|timeline"
    r"|hideToggle|hideBlock|fold|mermaid|mathjax|katex|gallery)\b([^%]*?)-?%\}[ \t]*\n?"
    r"(.*?)\{%-?\s*end\2\s*-?%\}[ \t]*$",
    re.S | re.M,
)
TAG = re.compile(
    r"\{%-?\s*(asset_img|img|asset_path|asset_link|post_link|post_path|link|iframe|youtube"
    r"|vimeo|label|btn|button|inlineImg|checkbox|cb|hideInline|span|p|video|pdf)\b(.*?)-?%\}",
    re.S,
)
# Butterfly's and NexT's tabs and Butterfly's timeline: `<!-- tab 名字 @icon -->…<!-- endtab -->`
TAB = re.compile(r"<!--\s*tab\b[ \t]*(.*?)-->(.*?)<!--\s*endtab\s*-->", re.S)
EVENT = re.compile(r"<!--\s*timeline\b[ \t]*(.*?)-->(.*?)<!--\s*endtimeline\s*-->", re.S)
# Blocks whose body is Markdown holding more tags; the others' is code, a quotation's text.
CONTAINERS = frozenset({"note", "tabs", "timeline", "hideToggle", "hideBlock", "fold", "gallery"})
# Words of Butterfly's and Fluid's `label` and `checkbox` that are its colour or look.
COLOURS = frozenset(
    "default primary success info warning danger blue pink red purple orange green".split()
)
CHECKBOX_WORDS = COLOURS | {"checked", "plus", "minus", "times", "interactive"}
BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
FENCED = re.compile("\ue010(\\d+)\ue011")
SIZE = re.compile(r"^\d+(?:px|%)?$")
CJK = re.compile(f"[{cjk.CJK}]")
# Hexo's `link` tag takes the first word that looks like an address for the URL (its rUrl).
URL_WORD = re.compile(r"[A-Za-z]{3,9}:(?://)?[A-Za-z0-9.-]|www\.|[-;:&=+$,\w]+@[A-Za-z0-9.-]")
# Where a tag stands for an address, not for a link: `[文](…)`, `[文]: …`, `href="…"`.
IN_ADDRESS = re.compile(r"""(?:\]\(<?|^[ \t]*\[[^\]\n]+\]:[ \t]*|=["']?)$""", re.M)
# The markers links.py resolves as Hexo does (by slug, path or title), named in warnings
# as the author wrote them.
POST_LINK, POST_PATH = "bookmaker-postlink:", "bookmaker-postpath:"
# `{% note … %}`'s leading words that style the box, not title it: NexT's and Butterfly's
# classes, Butterfly's colours (-> the kind a box of that colour says), its styles and
# `no-icon`; an icon (`'fas fa-bullhorn'`) is matched by NOTE_ICON.
NOTE_KINDS = {
    **{k: k for k in ("default", "primary", "info", "success", "warning", "danger")},
    **{"blue": "info", "green": "success", "orange": "warning", "red": "danger"},
    **dict.fromkeys(("pink", "purple"), "note"),
}
NOTE_STYLES = frozenset({"simple", "modern", "flat", "disabled", "no-icon"})
NOTE_ICON = re.compile(r"^(?:fa[srlbdt]?|fa-[\w-]+)$")


def expand(source: str) -> str:
    """`source` with Hexo's tags replaced by Markdown; `{% raw %}` blocks untouched."""
    if "{%" not in source:  # most posts: no tag, and no need to cut them into code and prose
        return source
    pieces = RAW.split(source)
    for i in range(0, len(pieces), 2):  # the odd pieces are raw blocks
        text = _outside_fences(pieces[i], lambda t: BLOCK.sub(_block, t))
        pieces[i] = mdsource.map_prose(text, lambda t, _offset: TAG.sub(_tag, t))
    return "".join(pieces)


def _outside_fences(text: str, fn) -> str:
    """`fn` over `text` with its fenced code blocks set aside (a post about Hexo shows its
    tags in them). Not prose alone: a codeblock's indented lines read as code to Markdown."""
    fenced: list[str] = []

    def keep(segment: mdsource.Segment) -> str:
        if segment.code and mdsource.FENCE_OPEN.match(segment.text.split("\n", 1)[0]):
            fenced.append(segment.text)
            return f"\ue010{len(fenced) - 1}\ue011"
        return segment.text

    done = fn("".join(keep(s) for s in mdsource.segments(text)))
    return FENCED.sub(lambda m: fenced[int(m.group(1))], done)


def _args(text: str) -> list[str]:
    try:
        return shlex.split(text.strip())
    except ValueError:  # an unmatched quote: words as they are
        return text.split()


def _block(m: re.Match) -> str:
    indent, name, args, body = m.group(1), m.group(2), _args(m.group(3)), m.group(4)
    body = body.rstrip("\n")
    if name in CONTAINERS:
        body = BLOCK.sub(_block, body)  # (a note in a tab; its fences are already set aside)
    shown = _theme_block(name, m.group(3).strip(), body)
    if shown is not None:
        return "\n".join(f"{indent}{line}".rstrip() for line in shown.split("\n"))
    if name in ("codeblock", "code"):
        lang = next((a[5:] for a in args if a.startswith("lang:")), "")
        # `{% codeblock app.js lang:js https://… 源码 %}`: its title is the first word that
        # is neither an option (`lang:`, `mark:1,3`, `line_number:false`) nor the link.
        words = [a for a in args if ":" not in a]
        title = f' title="{html.escape(words[0])}"' if words else ""
        info = (lang or "text") + title if title else lang
        longest = max((len(r) for r in re.findall(r"`+", body)), default=0)
        ticks = "`" * max(3, longest + 1)
        return f"{indent}{ticks}{info}\n{body}\n{indent}{ticks}"
    if name == "note":
        return "\n".join(f"{indent}{line}" for line in _note(args, body).split("\n"))
    quoted = "\n".join(f"{indent}> {line}".rstrip() for line in body.split("\n"))
    source = _quote_source(args) if name == "blockquote" else ""
    if source:
        dash = "——" if CJK.search(source) else "—"
        quoted += f"\n{indent}>\n{indent}> {dash} {source}"
    # The comment ends the quotation: Markdown would run two quotes in a row into one.
    return f"{quoted}\n\n{indent}<!-- -->"


def _theme_block(name: str, raw: str, body: str) -> str | None:
    """The themes' blocks as the page shows them, clicks undone: every tab, every event of
    a timeline, a folded block open under its summary; None for Hexo's own blocks."""
    if name == "tabs":  # (its own argument names the set of tabs, for the page's script)
        return _tidy(TAB.sub(lambda t: _headed(_before_icon(t.group(1)), t.group(2)), body))
    if name == "timeline":
        events = EVENT.sub(lambda t: _headed(t.group(1).strip(), t.group(2)), body)
        return _tidy(_headed(raw.split(",")[0].strip(), events))
    if name in ("hideToggle", "hideBlock", "fold"):
        # `{% hideToggle 标题,bg,color %}`; Fluid's `{% fold info @标题 %}`
        title = raw.partition("@")[2] if name == "fold" else raw.split(",")[0]
        return callouts.markdown(callouts.DETAILS, title.strip(), body)
    if name == "mermaid":
        return _fence("mermaid", body)
    if name in ("mathjax", "katex"):
        return f"$$\n{body.strip()}\n$$"
    if name == "gallery":
        return body
    return None


def _headed(title: str, body: str) -> str:
    """`body` under its title in bold, a line of its own, as a tab's or an event's name."""
    head = f"**{title}**\n\n" if title else ""
    return f"\n\n{head}{body.strip()}\n\n"


def _tidy(markdown: str) -> str:
    """One blank line between the parts, none around them."""
    return BLANK_LINES.sub("\n\n", markdown).strip("\n")


def _before_icon(caption: str) -> str:
    """`标签一 @fab fa-apple`: the tab's caption, without the icon it names."""
    return caption.split("@", 1)[0].strip()


def _fence(info: str, code: str) -> str:
    longest = max((len(r) for r in re.findall(r"`+", code)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{code.strip(chr(10))}\n{ticks}"


def _note(args: list[str], body: str) -> str:
    """NexT's `{% note [class] [no-icon] [summary] %}` and Butterfly's `{% note [class|colour]
    [icon] [style] %}`: a box of that kind, NexT's summary its title."""
    kind = ""
    while args:
        styling = 1 if args[0] in NOTE_KINDS or args[0] in NOTE_STYLES else _icon(args)
        if not styling:
            break
        kind = kind or NOTE_KINDS.get(args[0], "")
        del args[:styling]
    return callouts.markdown(kind or "note", " ".join(args), body)


def _icon(args: list[str]) -> int:
    """How many of `args` name a Font Awesome icon: `'fas fa-bullhorn'` (one word, quoted),
    `fas fa-bullhorn` (two), or none."""
    pieces = args[0].split()
    if any(p.startswith("fa-") for p in pieces) and all(NOTE_ICON.match(p) for p in pieces):
        return 1
    if NOTE_ICON.match(args[0]) and args[1:] and args[1].startswith("fa-"):
        return 2
    return 0


def _quote_source(args: list[str]) -> str:
    """`{% blockquote 鲁迅, 故乡 %}` -> `鲁迅，故乡`; `{% blockquote Seth Godin https://… Island
    Marketing %}` -> `Seth Godin, [Island Marketing](https://…)` (author, source, link, title)."""
    at = next((i for i, a in enumerate(args) if a.startswith(("http://", "https://"))), None)
    words = args if at is None else args[:at]
    author, _, title = " ".join(words).partition(",")
    author, title = author.strip(), title.strip()
    if at is not None:
        title = f"[{' '.join(args[at + 1 :]) or title or args[at]}](<{args[at]}>)"
    sep = "，" if CJK.search(author + title) else ", "
    return sep.join(p for p in (author, title) if p)


def _tag(m: re.Match) -> str:
    name, args = m.group(1), _args(m.group(2))
    if name in ("asset_img", "img"):
        return _image(args)
    if name == "asset_path":
        return args[0] if args else ""
    if name == "asset_link":
        return f"[{' '.join(args[1:]) or args[0]}]({args[0]})" if args else ""
    if name == "post_link":
        if not args:
            return ""
        if args[-1] in ("true", "false") and len(args) > 1:
            args.pop()  # (whether Hexo escapes the text: Markdown escapes it anyway)
        # With no text of its own the link shows the post's title (markdown.py fills it in).
        return f"[{_label(' '.join(args[1:]))}]({POST_LINK}{args[0]})"
    if name == "post_path":
        if not args:
            return ""
        # The post's address: inside a link, that link's; alone, Hexo prints the URL, which
        # the book shows as a link to the post, by its title.
        target = f"{POST_PATH}{args[0]}"
        return (
            target
            if IN_ADDRESS.search(m.string, max(0, m.start() - 300), m.start())
            else f"[]({target})"
        )
    if name == "link":
        return _link(args)
    if name in THEME_TAGS:
        return THEME_TAGS[name](m.group(2).strip(), args)
    if name == "iframe":
        return f'<iframe src="{html.escape(args[0])}"></iframe>' if args else ""
    if name == "youtube" and args[1:2] == ["playlist"]:
        return f"[YouTube: {args[0]}](<https://www.youtube.com/playlist?list={args[0]}>)"
    if name in embeds.VIDEO_PAGES and args:
        return embeds.video_link(name, args[0])
    return ""


def _theme_label(raw: str, args: list[str]) -> str:
    """Butterfly's `{% label 文字 red %}`, NexT's `{% label primary@文字 %}`, Fluid's
    `{% label primary @文字 %}`: the words, marked as the page colours them."""
    if "@" in raw:
        text = raw.partition("@")[2].strip()
    else:
        text = " ".join(args[:-1] if len(args) > 1 and args[-1] in COLOURS else args)
    return f"<mark>{html.escape(text, quote=False)}</mark>" if text else ""


def _theme_button(raw: str, args: list[str]) -> str:
    """Butterfly's `{% btn url,text,icon,style %}`, NexT's `{% button url, text, icon %}`,
    Fluid's `{% btn url text %}`: a link showing its text (the address, when it has none)."""
    parts = [p.strip().strip("'\"") for p in raw.split(",")] if "," in raw else args
    if not parts or not parts[0]:
        return ""
    text = parts[1] if len(parts) > 1 and parts[1] else parts[0]
    return f"[{_label(text)}](<{parts[0]}>)"


def _theme_checkbox(raw: str, args: list[str]) -> str:
    """Butterfly's `{% checkbox red checked, 文字 %}` (or without the comma): the box,
    ticked or not, and its words."""
    if "," in raw:
        options, _, text = raw.partition(",")
        return _ticked("checked" in options.split(), text)
    at = len(_checkbox_options(raw))
    return _ticked("checked" in args[:at], " ".join(args[at:]))


def _fluid_checkbox(raw: str, args: list[str]) -> str:
    """Fluid's `{% cb 文字, true %}`: the words first, then whether it is ticked."""
    text, _, checked = raw.partition(",")
    return _ticked(checked.split(",")[0].strip() == "true", text)


def _ticked(ticked: bool, text: str) -> str:
    return ("☑ " if ticked else "☐ ") + text.strip().strip("'\"")


def _checkbox_options(words: str) -> list[str]:
    """The leading words of `words` that style a checkbox."""
    found = []
    for word in words.split():
        if word not in CHECKBOX_WORDS:
            break
        found.append(word)
    return found


def _inline_picture(args: list[str]) -> str:
    """Butterfly's `{% inlineImg src 20px %}`: a picture in the line, as high as the text."""
    if not args:
        return ""
    height = args[1].removesuffix("px") if args[1:] and args[1].removesuffix("px").isdigit() else ""
    size = f' height="{height}"' if height else ""
    return f'<img src="{html.escape(args[0])}" alt=""{size} />'


def _after_comma(raw: str, args: list[str]) -> str:
    """Butterfly's `{% span class, 文字 %}` and `{% p class, 文字 %}`: the words."""
    return raw.partition(",")[2].strip() if "," in raw else raw


def _theme_link(raw: str, args: list[str]) -> str:
    """`{% video url %}`, `{% pdf url %}`: a book cannot play or embed them, so a link."""
    return f"[{_label(args[0])}](<{args[0]}>)" if args else ""


THEME_TAGS = {
    "label": _theme_label,
    "btn": _theme_button,
    "button": _theme_button,
    "inlineImg": lambda raw, args: _inline_picture(args),
    "checkbox": _theme_checkbox,
    "cb": _fluid_checkbox,
    # Butterfly's `{% hideInline 答案,点击显示 %}`: the answer, as a book cannot be clicked
    "hideInline": lambda raw, args: raw.split(",")[0].strip(),
    "span": _after_comma,
    "p": _after_comma,
    "video": _theme_link,
    "pdf": _theme_link,
}


def _link(args: list[str]) -> str:
    """Hexo's `{% link text url [external] [title] %}`: a link showing the text (just the
    text when no word is an address, as Hexo prints it with an empty `href`)."""
    at = next((i for i, a in enumerate(args) if URL_WORD.search(a)), None)
    if at is None:
        return " ".join(args)
    text, rest = " ".join(args[:at]) or args[at], args[at + 1 :]
    if rest and rest[0] in ("true", "false"):
        rest = rest[1:]  # (open in a new window: nothing to a book)
    title = " ".join(rest).replace('"', "&quot;")
    return f"[{_label(text)}](<{args[at]}>" + (f' "{title}")' if title else ")")


def _label(text: str) -> str:
    """`text` safe as a Markdown link's label: its brackets would end it early."""
    return text.replace("[", "\\[").replace("]", "\\]")


def _image(args: list[str]) -> str:
    """`{% asset_img [class] slug [width] [height] [title [alt]] %}` -> `![alt](slug "title")`.

    The picture is the first word that names an image file (or a URL, for `img`); sizes
    are left to the layout. Hexo's own form for a different alt is `"title" "alt"`.
    """
    at = next((i for i, a in enumerate(args) if links.is_picture(a) or "/" in a), 0)
    if at >= len(args):
        return ""
    src, rest = args[at], [a for a in args[at + 1 :] if not SIZE.match(a)]
    title = rest[0] if len(rest) == 2 else " ".join(rest)
    alt = rest[1] if len(rest) == 2 else title
    src = src.replace(" ", "%20")  # (a space would end the address)
    escaped = title.replace('"', "&quot;")
    return f'![{alt}]({src} "{escaped}")' if title else f"![]({src})"
