"""An article's rendered tree -> the same, without the dark-mode twin of a screenshot.

Chirpy's `![x](light.png){: .light }` then `![x](dark.png){: .dark }` shows the first in
the light theme and the second in the dark one: the page has one picture. The book showed
both, one after the other. A book's page is light, so it keeps the `.light` picture; a
`.dark` one stays where the article has no `.light` picture to stand for it.
"""

from __future__ import annotations

from lxml import etree

from .xhtml import remove_keeping_tail


def drop_dark_twins(root: etree._Element) -> None:
    """Each `img.dark` removed when the article also has an `img.light`."""
    images = [img for img in root.iter("img") if isinstance(img.tag, str)]
    if not any("light" in _classes(img) for img in images):
        return
    for img in images:
        if "dark" not in _classes(img):
            continue
        node = img
        parent = img.getparent()
        if parent is not None and parent.tag == "a" and len(parent) == 1 and _blank(parent):
            node = parent  # a picture that links to itself: the link goes with it
        holder = node.getparent()
        remove_keeping_tail(node)
        if holder is not None and holder.tag == "p" and not len(holder) and _blank(holder):
            remove_keeping_tail(holder)


def _blank(el: etree._Element) -> bool:
    return not (el.text or "").strip()


def _classes(img: etree._Element) -> list[str]:
    return (img.get("class") or "").split()
