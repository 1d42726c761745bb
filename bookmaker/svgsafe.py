"""SVG bytes from an article -> a sanitized, well-formed SVG with an explicit size.

An SVG is a document, not a picture: it can carry scripts, event handlers, HTML inside
`<foreignObject>`, entity bombs and references to other files or URLs. We parse it with a
parser that neither loads DTDs nor resolves entities, refuse any DOCTYPE outright (billion
laughs, XXE), and keep only what draws: no script, no `on*` attribute, no reference that
leaves the document except small inline raster images.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from lxml import etree

from .xhtml import remove_keeping_tail

log = logging.getLogger(__name__)

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
MAX_SVG_BYTES = 8 * 1024 * 1024
MAX_ELEMENTS = 200_000
DEFAULT_SIZE = (300, 150)  # what browsers give an SVG that states no size

# Elements that run code, embed other documents or only make sense in a browser.
DROP_ELEMENTS = {"script", "foreignObject", "iframe", "handler", "listener", "embed", "object"}
ANIMATIONS = {"set", "animate", "animateMotion", "animateTransform", "animateColor"}
REMOVED_AS = {"style": "external or active CSS", **{a: "animated links" for a in ANIMATIONS}}
SAFE_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|jpg|gif|webp);", re.IGNORECASE)
# url(...) pointing anywhere but a fragment of this document.
OUTSIDE_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)
BAD_CSS = re.compile(r"@import|expression\s*\(|javascript:|behavior\s*:", re.IGNORECASE)
UNITS_PX = {
    "": 1.0,
    "px": 1.0,
    "pt": 4 / 3,
    "pc": 16.0,
    "mm": 96 / 25.4,
    "cm": 96 / 2.54,
    "in": 96.0,
    "em": 16.0,
    "ex": 8.0,
}
LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([a-z%]*)\s*$")


class SvgError(Exception):
    """The SVG is refused; the message says why, for the user."""


@dataclass(frozen=True)
class SafeSvg:
    data: bytes  # sanitized SVG, UTF-8, with width and height attributes
    width: int
    height: int
    removed: tuple[str, ...] = ()  # what was active or external, for the author: "script"


def sanitize(data: bytes) -> SafeSvg:
    """Parse `data` hardened, strip everything active or external, set width and height."""
    root = _parse(data)
    _rename_unqualified(root)
    if etree.QName(root).namespace != SVG_NS or etree.QName(root).localname != "svg":
        raise SvgError("not an SVG image")
    removed: set[str] = set()
    _clean(root, removed)
    width, height = _size(root)
    root.set("width", str(width))
    root.set("height", str(height))
    out = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return SafeSvg(out, width, height, tuple(sorted(removed)))


def removed(data: bytes) -> tuple[str, ...]:
    """What `sanitize` takes out of `data` that the author may have meant (not metadata)."""
    try:
        return sanitize(data).removed
    except SvgError:
        return ()


def svg_size(data: bytes) -> tuple[int, int]:
    """The size an SVG we made ourselves declares (or the default), without cleaning it."""
    try:
        return _size(_parse(data))
    except SvgError:
        return DEFAULT_SIZE


def _parse(data: bytes) -> etree._Element:
    if len(data) > MAX_SVG_BYTES:
        raise SvgError(f"SVG larger than {MAX_SVG_BYTES // (1024 * 1024)} MB")
    if re.search(rb"<!\s*(DOCTYPE|ENTITY)", data, re.IGNORECASE):
        raise SvgError("SVG with a DOCTYPE or ENTITY refused")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        tree = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise SvgError(f"not a well-formed SVG ({exc})") from None
    docinfo = tree.getroottree().docinfo
    # The byte check misses UTF-16 input; the parsed document cannot hide a DOCTYPE.
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise SvgError("SVG with a DOCTYPE or ENTITY refused")
    if sum(1 for _ in tree.iter()) > MAX_ELEMENTS:
        raise SvgError(f"SVG with more than {MAX_ELEMENTS} elements refused")
    return tree


def _rename_unqualified(root: etree._Element) -> None:
    """`<svg>` without xmlns is drawn by browsers inside HTML; standalone it needs the namespace."""
    if root.tag != "svg":
        return
    for el in root.iter():
        if isinstance(el.tag, str) and not el.tag.startswith("{"):
            el.tag = f"{{{SVG_NS}}}{el.tag}"


def _clean(root: etree._Element, removed: set[str]) -> None:
    for el in list(root.iter()):
        if not isinstance(el.tag, str):  # entity references and the like
            remove_keeping_tail(el)
            continue
        if _drop(el):
            q = etree.QName(el)
            if q.namespace == SVG_NS:  # editor metadata goes unmentioned
                removed.add(REMOVED_AS.get(q.localname, q.localname))
            remove_keeping_tail(el)
            continue
        _clean_attributes(el, removed)


def _drop(el: etree._Element) -> bool:
    q = etree.QName(el)
    if q.namespace != SVG_NS:
        return True  # editor metadata (Inkscape, Sketch), XHTML islands: nothing that draws
    if q.localname in DROP_ELEMENTS:
        return True
    if q.localname in ANIMATIONS:
        target = (el.get("attributeName") or "").lower()
        return target.endswith("href") or target.startswith("on")
    if q.localname == "style":
        text = el.text or ""
        return bool(BAD_CSS.search(text) or OUTSIDE_URL.search(text))
    return False


def _clean_attributes(el: etree._Element, removed: set[str]) -> None:
    for name, value in list(el.attrib.items()):
        local = etree.QName(name).localname.lower()
        if local.startswith("on"):
            removed.add("event handlers")
        elif _bad_value(local, value):
            removed.add("external references")
        else:
            continue
        del el.attrib[name]


def _bad_value(local: str, value: str) -> bool:
    if local in ("href", "src"):
        v = value.strip()
        return not (v.startswith("#") or SAFE_DATA_IMAGE.match(v))
    if local == "style":
        return bool(BAD_CSS.search(value) or OUTSIDE_URL.search(value))
    return bool(OUTSIDE_URL.search(value)) or "javascript:" in value.lower()


def _size(root: etree._Element) -> tuple[int, int]:
    """Pixels from width/height, else the viewBox (aspect kept), else the browsers' default."""
    w, h = _length(root.get("width")), _length(root.get("height"))
    box = _viewbox(root.get("viewBox"))
    if w and h:
        return _clamp(w, h)
    if box:
        bw, bh = box
        if w:
            return _clamp(w, w * bh / bw)
        if h:
            return _clamp(h * bw / bh, h)
        return _clamp(bw, bh)
    return DEFAULT_SIZE


def _length(value: str | None) -> float | None:
    if not value:
        return None
    m = LENGTH.match(value)
    if not m or m.group(2) not in UNITS_PX:  # percentages need a viewport we do not have
        return None
    px = float(m.group(1)) * UNITS_PX[m.group(2)]
    return px if px > 0 else None


def _viewbox(value: str | None) -> tuple[float, float] | None:
    if not value:
        return None
    parts = re.split(r"[\s,]+", value.strip())
    try:
        _, _, w, h = (float(p) for p in parts)
    except ValueError:
        return None
    return (w, h) if w > 0 and h > 0 else None


def _clamp(w: float, h: float) -> tuple[int, int]:
    """Whole pixels, at least 1 and at most 10000 on the long side (aspect kept)."""
    scale = min(1.0, 10_000 / max(w, h))
    return max(1, round(w * scale)), max(1, round(h * scale))
