"""An article's rendered tree -> its pictures placed: found, sized, captioned, set apart.

The HTML stage's picture work (markdown.py hands over the tree after Markdown and
sanitizing): each `<img>` resolved through the image store and named by its rendition,
a picture alone in its paragraph made a figure (its caption the italic line under it,
else its title or alt text), one too big for its line set apart, a missing one a
placeholder with a warning naming where the author wrote it; and the post's cover.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from lxml import etree

from .model import Image, Problem

if TYPE_CHECKING:
    from .markdown import _Work

INLINE_MAX_WIDTH, INLINE_MAX_HEIGHT = 320, 64  # px: larger pictures are set as blocks
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
IMAGE_WORD = {"zh-hant": "圖片", "zh-tw": "圖片", "zh-hk": "圖片", "zh-mo": "圖片", "zh": "图片"}
IMAGE_WORD.update({"ja": "画像"})


def place(root: etree._Element, work: _Work) -> None:
    """Every `<img>` in `root` resolved through the image store: sized, set as a figure or
    apart from its line, or a placeholder with a warning naming its line."""
    for img in list(root.iter("img")):
        caption = _caption_line(img)
        holder = _alone_in_paragraph(img)
        src = (img.get("src") or "").strip()
        alt = img.get("alt") or ""
        written, line = work.reference(src) if src else (src, None)
        found = _resolve(src, written, line, work)
        zoom = img.attrib.pop("data-zoom", None)  # sanitize's, from style="zoom: 50%"
        percent = img.attrib.pop("data-percent", None)  # sanitize's, from width="50%"
        if isinstance(found, Image):
            img.set("src", found.name)
            img.set("alt", alt)
            if zoom:
                base = int(img.get("width") or found.width)
                img.set("width", str(max(1, round(base * float(zoom) / 100))))
            if percent:  # of the text's width, in both books (pdfdoc keeps the style)
                img.attrib.pop("height", None)
                img.set("style", f"width: {percent}%; height: auto")
            work.images.append(found)
            if not alt.strip():
                work.unlabelled.append((found.name, written, line))
            _svg_warning(found, written, line, work)
            if caption is not None:
                holder = _take_caption_line(img, caption)
            if holder is not None:
                _figure(holder, img, caption)
            elif _too_big_for_a_line(img, found):
                _own_line(img)
        else:
            work.problems.append(found)
            _placeholder(img, holder, src, alt, work)


def _own_line(img: etree._Element) -> None:
    """A picture too big for its line of text set apart: in a paragraph, the paragraph is
    cut there (the words after it go on unindented, `p.continued`); elsewhere (a list item,
    a table cell) it is made a block."""
    p = img.getparent()
    if p is not None and p.tag == "figure":
        return  # a figure already sets its picture apart
    if p is None or p.tag != "p":
        img.set("class", "block")
        return
    rest = etree.Element("p", {"class": "continued"})
    rest.text, img.tail = img.tail, None
    for sibling in list(img.itersiblings()):
        rest.append(sibling)
    figure = etree.Element("figure")
    p.remove(img)
    figure.append(img)
    p.addnext(figure)
    if (rest.text or "").strip() or len(rest):
        figure.addnext(rest)
    if not (p.text or "").strip() and not len(p):
        p.getparent().remove(p)  # (its tail is whitespace between blocks)


def _too_big_for_a_line(img: etree._Element, image: Image) -> bool:
    """A picture pasted after some words (`截图：![](x.png)`, as Typora does) that would not
    fit beside them: in the line, it pushed them into a line of their own, justified to
    the full width (`截      图      ：`). A badge or an icon stays in the line."""
    try:
        width = int(img.get("width") or image.width)
        if img.get("height") and not img.get("width") and image.height:
            width = image.width * int(img.get("height")) / image.height  # (sized by height)
    except ValueError:
        width = image.width
    height = image.height * width / image.width if image.width else image.height
    return width > INLINE_MAX_WIDTH or height > INLINE_MAX_HEIGHT


def place_cover(root: etree._Element, work: _Work) -> None:
    """The front matter's cover picture first, unless the body shows it itself.

    Decorative as the theme shows it: an empty alt unless the author wrote one, and no
    placeholder when it cannot be had (a warning says so, unless it is remote and the
    user did not ask for downloads).
    """
    cover = work.article.cover
    if cover is None:
        return
    remote = cover.src.lower().startswith(("http://", "https://", "//"))
    if remote and not work.context.config.images.fetch_remote:
        # Themes fill covers from image hosts post after post; a warning for each would
        # bury the ones that matter. README: covers from the web come with --fetch-remote.
        return
    found = _resolve(cover.src, cover.src, cover.line, work)
    if not isinstance(found, Image):
        work.problems.append(replace(found, message=f"cover picture: {found.message}"))
        return
    if found in work.images:
        return
    figure = etree.Element("figure", {"class": "cover"})
    img = etree.SubElement(figure, "img", {"src": found.name, "alt": cover.alt})
    if not cover.alt:
        img.set("role", "presentation")  # decorative, as the theme shows it
    if cover.caption:
        etree.SubElement(figure, "figcaption").text = cover.caption
    figure.tail = root.text
    root.text = None
    root.insert(0, figure)
    work.images.insert(0, found)
    _svg_warning(found, cover.src, cover.line, work)


def _resolve(src: str, written: str, line: int | None, work: _Work) -> Image | Problem:
    """The image `src` names; `written` is how the author wrote it, on `line`."""
    if not src:
        return Problem(work.article.rel, "image without a source", "warning")
    scheme = SCHEME.match(src)
    if scheme and scheme.group(1).lower() not in ("http", "https", "data"):
        message = f"image {written[:80]}: `{scheme.group(1)}:` images are never read"
        return Problem(work.article.rel, message, "warning", line)
    found = work.context.images.resolve(src, work.article, line)
    if isinstance(found, Problem) and written != src:
        # `..\..\x.png` reached us as `....\x.png`: the author meant path separators
        return work.context.images.resolve(written, work.article, line)
    return found


def _svg_warning(image: Image, written: str, line: int | None, work: _Work) -> None:
    removed = getattr(work.context.images, "svg_removed", lambda image: ())(image)
    if removed:
        message = f"SVG image {written[:80]}: removed {', '.join(removed)}"
        work.problems.append(Problem(work.article.rel, message, "warning", line))


def _alone_in_paragraph(img: etree._Element) -> etree._Element | None:
    """The `<p>` that holds nothing but this image (maybe inside one link), else None."""
    node = img
    parent = img.getparent()
    if parent is not None and parent.tag == "a" and len(parent) == 1:
        if (parent.text or "").strip() or (img.tail or "").strip():
            return None
        node, parent = parent, parent.getparent()
    if parent is None or parent.tag != "p" or len(parent) != 1:
        return None
    if (parent.text or "").strip() or (node.tail or "").strip():
        return None
    return parent


def _caption_line(img: etree._Element) -> etree._Element | None:
    """The italic line right under a picture, in its paragraph: its caption.

    Chirpy's documented way (`![x](a.png)` then `_说明_` on the next line), and many
    blogs' habit; left in the paragraph it was a line of emphasis dots beside the picture.
    Taken out only once the picture is found: a missing one keeps its line of text.
    """
    p = img.getparent()
    if p is None or p.tag != "p" or len(p) not in (2, 3) or p[0] is not img:
        return None
    rest = list(p)[1:]
    if len(rest) == 2 and rest[0].tag != "br":
        return None
    em = rest[-1]
    between = (img.tail or "") + "".join(r.tail or "" for r in rest[:-1])
    if em.tag not in ("em", "i") or (p.text or "").strip() or (em.tail or "").strip():
        return None
    if ("\n" not in between and len(rest) == 1) or between.strip():
        return None
    return em


def _take_caption_line(img: etree._Element, caption: etree._Element) -> etree._Element:
    """The picture's paragraph, the caption line (and a line break before it) taken out."""
    p = img.getparent()
    for el in list(p)[1:]:
        p.remove(el)
    img.tail = None
    return p


def _figure(p: etree._Element, img: etree._Element, line: etree._Element | None = None) -> None:
    """The paragraph holding only `img` made a figure; its caption the italic `line` under
    it (with its links and markup), else the picture's title or alt text."""
    p.tag = "figure"
    p.attrib.pop("class", None)
    if line is not None:
        figcaption = etree.SubElement(p, "figcaption")
        figcaption.text = line.text
        figcaption.extend(list(line))
        return
    caption = (img.get("title") or img.get("alt") or "").strip()
    if caption:
        etree.SubElement(p, "figcaption").text = caption


def _placeholder(img, holder, src: str, alt: str, work: _Work) -> None:
    word = _image_word(work.article.lang or work.context.language)
    span = etree.Element("span", {"class": "missing-image"})
    colon = ": " if word.isascii() else "："
    span.text = f"[{word}{colon}{alt}]" if alt else f"[{word}]"
    remote = src.lower().startswith(("http://", "https://"))
    inside_link = any(a.tag == "a" for a in img.iterancestors())
    if remote and not inside_link:
        link = etree.SubElement(span, "a", {"href": src})
        link.text = src
        link.tail = ""
        span.text += " "
    span.tail = img.tail
    img.getparent().replace(img, span)
    if holder is not None and remote:
        holder.tag = "figure"
        holder.set("class", "remote-image")
        span.tag = "figcaption"


def _image_word(lang: str) -> str:
    lang = lang.lower()
    for key in (lang, lang.split("-")[0]):
        if key in IMAGE_WORD:
            return IMAGE_WORD[key]
    return "Image"
