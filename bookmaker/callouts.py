"""Blog boxes in the rendered tree -> one box: `<div class="callout callout-KIND">` with a title.

Blogs write notes, tips and warnings in many dialects: GitHub's alerts (`> [!NOTE]`),
Obsidian's callouts (`> [!tip]- 标题`), Chirpy's prompts (a quote with `{: .prompt-tip }`),
Minimal Mistakes' notices (`{: .notice--info}`), and the theme shortcodes and Hexo tags
shortcodes.py and hexotags.py write in the Obsidian form (`markdown`). Each becomes the
same box, titled with its own title or its kind's word in the article's language. A
Mermaid diagram's source gets a line saying what it is, in that language too. A box
is a `<div>`, not an `<aside>`: reading systems may hide an aside or show it only as a
pop-up.
"""

from __future__ import annotations

import html
import re

from lxml import etree

from . import cjk

MARKER = re.compile(r"^\s*\[!([^\]\s]+)\]([+-]?)[ \t]*")
DETAILS = "\ue000details\ue001"  # shortcodes.py's `details`; markdown.py strips U+E000-E002
DIAGRAM = "\ue000diagram\ue001"  # the note `diagram_fence` puts over a Mermaid source
# Every name a dialect gives a kind -> the kind (Obsidian's aliases, GitHub's five, themes').
KINDS = {
    **dict.fromkeys(("note", "notice", "default", "primary", "secondary"), "note"),
    **dict.fromkeys(("abstract", "summary", "tldr"), "abstract"),
    **dict.fromkeys(("info", "information"), "info"),
    "todo": "todo",
    **dict.fromkeys(("tip", "hint"), "tip"),
    "important": "important",
    **dict.fromkeys(("success", "check", "done"), "success"),
    **dict.fromkeys(("question", "help", "faq"), "question"),
    **dict.fromkeys(("warning", "warn", "attention"), "warning"),
    "caution": "caution",
    **dict.fromkeys(("failure", "fail", "missing"), "failure"),
    **dict.fromkeys(("danger", "error"), "danger"),
    "bug": "bug",
    "example": "example",
    **dict.fromkeys(("quote", "cite"), "quote"),
}
# The classes Chirpy's prompts and Minimal Mistakes' notices put on a quote or paragraph.
CLASSES = {
    "prompt-tip": "tip",
    "prompt-info": "info",
    "prompt-warning": "warning",
    "prompt-danger": "danger",
    "notice": "note",
    "notice--primary": "note",
    "notice--info": "info",
    "notice--success": "success",
    "notice--warning": "warning",
    "notice--danger": "danger",
}
# A box's title when it has none: LoveIt's words (zh: 注意/提示/警告), GitHub's five, and
# Microsoft Learn's for Japanese (注意/ヒント/重要/注意事項/警告).
WORDS = {
    "zh-Hans": {
        "note": "注意", "abstract": "摘要", "info": "信息", "todo": "待办", "tip": "提示",
        "important": "重要", "success": "成功", "question": "问题", "warning": "警告",
        "caution": "小心", "failure": "失败", "danger": "危险", "bug": "Bug",
        "example": "示例", "quote": "引用", "details": "详情",
        "diagram": "Mermaid 图表（源码）：",
    },
    "zh-Hant": {
        "note": "注意", "abstract": "摘要", "info": "資訊", "todo": "待辦", "tip": "提示",
        "important": "重要", "success": "成功", "question": "問題", "warning": "警告",
        "caution": "小心", "failure": "失敗", "danger": "危險", "bug": "Bug",
        "example": "範例", "quote": "引用", "details": "詳情",
        "diagram": "Mermaid 圖表（原始碼）：",
    },
    "ja": {
        "note": "注意", "abstract": "要約", "info": "情報", "todo": "TODO", "tip": "ヒント",
        "important": "重要", "success": "成功", "question": "質問", "warning": "警告",
        "caution": "注意事項", "failure": "失敗", "danger": "危険", "bug": "バグ",
        "example": "例", "quote": "引用", "details": "詳細",
        "diagram": "Mermaid の図（ソース）：",
    },
    "en": {
        "note": "Note", "abstract": "Abstract", "info": "Info", "todo": "Todo", "tip": "Tip",
        "important": "Important", "success": "Success", "question": "Question",
        "warning": "Warning", "caution": "Caution", "failure": "Failure", "danger": "Danger",
        "bug": "Bug", "example": "Example", "quote": "Quote", "details": "Details",
        "diagram": "Mermaid diagram (source):",
    },
}  # fmt: skip


def markdown(kind: str, title: str, body: str) -> str:
    """A box as Markdown, in the Obsidian form every dialect is read through."""
    head = f"> [!{kind}] {' '.join(title.split())}".rstrip()
    lines = [f"> {line}".rstrip() for line in body.strip("\n").split("\n")]
    return "\n".join([head, *lines]) if body.strip() else head


def diagram_fence(source: str, language: str, class_name: str, options, md, **kwargs) -> str:
    """pymdownx.superfences' format for a ```mermaid fence: a book cannot draw the diagram,
    so its source is shown as code, under a note (`mark` words it)."""
    code = html.escape(source.rstrip("\n") + "\n", quote=False)
    return f'<p>{DIAGRAM}</p>\n<div class="highlight"><pre><code>{code}</code></pre></div>'


SHORT_BOX = 240  # characters: a few lines of a page


def mark(root: etree._Element, lang: str) -> None:
    """Every box of every dialect in `root` made a callout (or an open `<details>`)."""
    words = WORDS.get(cjk.profile_for(lang).name, WORDS["en"])
    for el in list(root.iter("blockquote", "div", "p")):
        if el.getparent() is None:
            continue
        if el.tag == "blockquote" and _alert(el, words):
            continue
        kind = _classed(el)
        if kind:
            _box(el if el.tag != "p" else _wrap(el), kind, None, words)
    for p in list(root.iter("p")):
        if p.text == DIAGRAM and not len(p):
            p.text, p.attrib["class"] = words["diagram"], "diagram-note"
    for div in root.iter("div"):
        # print keeps a short box on one page; a long one may break (it left half a page
        # blank, then broke anyway)
        boxed = "callout" in (div.get("class") or "").split()
        if boxed and len("".join(div.itertext())) <= SHORT_BOX:
            div.set("data-short", "true")


def _alert(quote: etree._Element, words: dict[str, str]) -> bool:
    """`> [!kind]± title` then the body: GitHub's alerts, Obsidian's callouts."""
    first = quote[0] if len(quote) else None
    if first is None or first.tag != "p" or (quote.text or "").strip():
        return False
    m = MARKER.match(first.text or "")
    if m is None:
        return False
    first.text = first.text[m.end() :]
    title = _first_line(first)
    if not len(first) and not (first.text or "").strip():
        quote.remove(first)
    if m.group(1) == DETAILS:
        _details(quote, title, words)
    else:
        _box(quote, KINDS.get(m.group(1).lower(), "note"), title, words)
    return True


def _first_line(p: etree._Element) -> etree._Element:
    """The first line of `p` taken out of it, into a new `<p>`."""
    title = etree.Element("p")
    text, nl, rest = (p.text or "").partition("\n")
    title.text, p.text = text, rest if nl else None
    if nl:
        return title
    for child in list(p):
        if child.tag == "br":
            p.text = (child.tail or "").lstrip("\n")
            p.remove(child)
            return title
        text, nl, rest = (child.tail or "").partition("\n")
        child.tail = text
        title.append(child)
        if nl:
            p.text = rest
            return title
    return title


def _classed(el: etree._Element) -> str | None:
    """The kind of a Chirpy prompt or a Minimal Mistakes notice, its class taken off.

    kramdown puts `{: .prompt-tip }` under a quote on the quote; Python-Markdown, on its
    last paragraph: a quote whose last paragraph has it is the box.
    """
    holder = el
    if el.tag == "blockquote" and len(el) and isinstance(el[-1].tag, str) and not _kind_of(el):
        holder = el[-1]
    kind = _kind_of(holder)
    if kind:
        classes = [c for c in holder.get("class", "").split() if c not in CLASSES]
        if classes:
            holder.set("class", " ".join(classes))
        else:
            del holder.attrib["class"]
    return kind


def _kind_of(el: etree._Element) -> str | None:
    return next((CLASSES[c] for c in el.get("class", "").split() if c in CLASSES), None)


def _wrap(p: etree._Element) -> etree._Element:
    div = etree.Element("div")
    div.tail, p.tail = p.tail, None
    p.getparent().replace(p, div)
    div.append(p)
    return div


def _box(
    el: etree._Element, kind: str, title: etree._Element | None, words: dict[str, str]
) -> None:
    title = _titled(title, words[kind])
    title.set("class", "callout-title")
    el.tag = "div"
    el.set("class", f"callout callout-{kind}")
    _lead(el, title)


def _details(quote: etree._Element, title: etree._Element, words: dict[str, str]) -> None:
    """Hugo's `details`, open: a book cannot be clicked."""
    summary = _titled(title, words["details"])
    summary.tag = "summary"
    quote.tag = "details"
    quote.set("open", "open")
    _lead(quote, summary)


def _lead(el: etree._Element, title: etree._Element) -> None:
    """`title` first in `el`, before any text `el` opens with (a raw `<div>`'s)."""
    title.tail = el.text if (el.text or "").strip() else "\n"
    el.text = "\n"
    el.insert(0, title)


def _titled(title: etree._Element | None, word: str) -> etree._Element:
    if title is None:
        title = etree.Element("p")
    if len(title):
        title.text = (title.text or "").lstrip()
        title[-1].tail = (title[-1].tail or "").rstrip()
    else:
        title.text = (title.text or "").strip() or word
    return title
