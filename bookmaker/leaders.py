"""WeasyPrint 70's `leader()` drawn as one run of text per line, not one box per repeat.

WeasyPrint fills a leader by copying its text box once per repetition: a contents line
holds ~35 copies of ". ", and each copy builds its own Pango layout again when it is
drawn. The contents of a 1,000-article book made 40,000 of them, half the time of the
front matter (3.9 s of CPU, 2.0 s without leaders), and the front is rendered alone, after
the body, with the other core idle.

The copies sit edge to edge on one baseline, from the right end of the line leftwards,
so one text box holding the repeated text, placed where the leftmost copy was, draws the
same dots at the same places (the same glyphs with the same advances: Pango positions
are not rounded). Everything else WeasyPrint does with leaders is left as it is.
"""

from __future__ import annotations

import itertools

SUPPORTED = "70.0"
_installed = False


def install() -> bool:
    """Patch WeasyPrint's leader filling (idempotent); False for any other version."""
    global _installed
    if _installed:
        return True
    import weasyprint
    from weasyprint.layout import inline, leader
    from weasyprint.text import line_break

    if weasyprint.__version__ != SUPPORTED:
        return False  # WeasyPrint's own leaders: slower, same look
    original = inline.handle_leader

    def handle_leader(context, line, containing_block):
        original(context, line, containing_block)
        _, box = leader.leader_index(line)
        if box is not None:
            box.children = merged(box.children, context, line_break)

    inline.handle_leader = handle_leader
    _installed = True
    return True


def merged(copies: tuple, context, line_break) -> tuple:
    """The copies of one leader's text box as one box, when they are edge to edge."""
    if len(copies) < 2:
        return copies
    ordered = sorted(copies, key=lambda c: c.position_x)
    first, width = ordered[0], ordered[0].width
    for left, right in itertools.pairwise(ordered):
        if right.text != first.text or abs(right.position_x - left.position_x - width) > 1e-3:
            return copies  # not the plain row WeasyPrint makes: leave it alone
    text = first.text * len(ordered)
    box = first.copy_with_text(text)
    box.width = ordered[-1].position_x + width - first.position_x
    box.pango_layout = line_break.create_layout(text, first.style, context, None, 0)
    box.pango_layout.deactivate()  # as WeasyPrint leaves every laid-out text: drawing revives it
    return (box,)
