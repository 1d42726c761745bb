"""A merged PDF -> every resource dictionary its pages draw with, each once.

A page names its fonts and pictures in its /Resources; a form it draws (a folio stamp, an
SVG) or a tiling pattern it fills with has resources of its own. Sharing font subsets
(`pdffonts`) and pictures (`pdfpictures`) across parts walks this one tree.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from pikepdf import Dictionary, Name, Pdf, Stream


def resource_dicts(pdf: Pdf) -> Iterator[Dictionary]:
    """The pages' resource dictionaries in page order, then those of what they draw."""
    seen: set = set()
    pending = deque(page.obj.get("/Resources") for page in pdf.pages)
    while pending:
        resources = pending.popleft()
        if not isinstance(resources, Dictionary) or _seen(resources, seen):
            continue
        yield resources
        for kind in ("/XObject", "/Pattern"):
            named = resources.get(kind)
            if not isinstance(named, Dictionary):
                continue
            for obj in named.values():
                if isinstance(obj, (Stream, Dictionary)) and obj.get("/Subtype") != Name.Image:
                    pending.append(obj.get("/Resources"))


def _seen(obj, seen: set) -> bool:
    """True the second time an indirect object comes by; direct ones are always new."""
    if not obj.is_indirect:
        return False
    if obj.objgen in seen:
        return True
    seen.add(obj.objgen)
    return False
