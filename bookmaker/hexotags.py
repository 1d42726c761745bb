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
    r"^([ \t]*)\{%-?\s*(codeblock|code|blockquote|pullquote|note)\b([^%]*?)-?%\}[ \t]*\n?"
    r"(.*?)\{%-?\s*end\2\s*-?%\}[ \t]*$",
    re.S | re.M,
)
TAG = re.compile(
    r"\{%-?\s*(asset_img|img|asset_path|asset_link|post_link|post_path|link|iframe|youtube"
    r"|vimeo)\b(.*?)-?%\}",
    re.S,
)
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
NOTE_WORDS = ("default", "primary", "info", "success", "warning", "danger", "no-icon")


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


def _note(args: list[str], body: str) -> str:
    """NexT's `{% note [class] [no-icon] [summary] %}`: a box, the summary its title."""
    styles = []
    while args and args[0] in NOTE_WORDS and len(styles) < 2:
        styles.append(args.pop(0))
    kind = next((s for s in styles if s != "no-icon"), "note")
    return callouts.markdown(kind, " ".join(args), body)


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
    if name == "iframe":
        return f'<iframe src="{html.escape(args[0])}"></iframe>' if args else ""
    if name in embeds.VIDEO_PAGES and args:
        return embeds.video_link(name, args[0])
    return ""


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
