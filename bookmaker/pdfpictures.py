"""Merged PDF parts -> one copy of each picture, however many parts show it.

WeasyPrint embeds a picture once per document, so each part embeds every picture its
pages show: a logo, a diagram or a photograph shown in articles in several parts arrived
once per part (the sample book in 20-page parts stored a 208 KB photograph twice).
Identical bytes under an identical dictionary draw the identical image, so every use is
pointed at the first copy, and qpdf, which writes only the objects still in use, leaves
the others out.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from pikepdf import Array, Dictionary, Name, Pdf, Stream

from .pdfresources import resource_dicts

_SIZE_KEYS = ("/Width", "/Height", "/Length", "/Filter", "/BitsPerComponent")


def share_pictures(pdf: Pdf) -> int:
    """Point every use of a picture at its first copy; returns the bytes no longer stored."""
    uses = list(_picture_uses(pdf))
    pictures = {image.objgen: image for _, _, image in uses}
    # Hashing 440 MB of pictures costs a quarter second: only pictures whose size and
    # encoding another one shares can be the same picture.
    alike: dict[tuple, list] = defaultdict(list)
    for image in pictures.values():
        alike[_cheap_key(image)].append(image)
    original_of: dict[tuple, Stream] = {}  # a copy's objgen -> the first copy
    for group in (g for g in alike.values() if len(g) > 1):
        first: dict[bytes, Stream] = {}
        for image in group:
            original = first.setdefault(_content_key(image), image)
            if original.objgen != image.objgen:
                original_of[image.objgen] = original
    for xobjects, name, image in uses:
        if image.objgen in original_of:
            xobjects[name] = original_of[image.objgen]
    return sum(_dropped_size(pictures[c], o) for c, o in original_of.items())


def _picture_uses(pdf: Pdf):
    """(XObject dictionary, name, image) for every image that a page or a form it draws names."""
    for resources in resource_dicts(pdf):
        named = resources.get("/XObject")
        if not isinstance(named, Dictionary):
            continue
        for name, obj in list(named.items()):
            if isinstance(obj, Stream) and obj.get("/Subtype") == Name.Image:
                yield named, name, obj


def _cheap_key(image: Stream) -> tuple:
    return tuple(repr(image.stream_dict.get(k)) for k in _SIZE_KEYS)


def _content_key(obj, depth: int = 0) -> bytes:
    """A hash of what `obj` is (bytes and dictionary, nested objects by their own content),
    not where it sits: the same picture from two parts gives the same key."""
    digest = hashlib.sha256()
    if depth > 8:  # no image nests this deep; a cycle in a hostile file ends here
        digest.update(b"deep" + repr(getattr(obj, "objgen", None)).encode())
    elif isinstance(obj, Stream):  # its soft mask, colour space, ... are in its dictionary
        digest.update(b"stream" + hashlib.sha256(obj.read_raw_bytes()).digest())
        for key in sorted(set(obj.stream_dict.keys()) - {"/Length"}):
            digest.update(b"key" + key.encode() + _content_key(obj.stream_dict[key], depth + 1))
    elif isinstance(obj, Dictionary):
        for key in sorted(obj.keys()):
            digest.update(b"key" + key.encode() + _content_key(obj[key], depth + 1))
    elif isinstance(obj, Array):
        for item in obj:
            digest.update(b"item" + _content_key(item, depth + 1))
    else:
        digest.update(b"value" + repr(obj).encode())
    return digest.digest()


def _dropped_size(copy: Stream, original: Stream) -> int:
    """The bytes of a copy left out, with its soft mask unless the original uses that too."""
    size = len(copy.read_raw_bytes())
    mask, kept = copy.get("/SMask"), original.get("/SMask")
    if isinstance(mask, Stream) and not (isinstance(kept, Stream) and kept.objgen == mask.objgen):
        size += len(mask.read_raw_bytes())
    return size
