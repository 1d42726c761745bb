"""Page size -> the CSS that keeps an article's opening picture on its title's page.

A picture may take 92% of the text block's height (pdfdoc.page_css), so one that opens an
article (a photo post, a cover, a figure before the first paragraph) did not fit under the
article's title: the title and date stood alone at the foot of a chapter's opening page,
or alone on a page of their own, and the picture followed overleaf. A book keeps a title
with what it heads. The picture is made small enough to share the page: the height left
under the title, its date and a two-line caption, and under the chapter's opener too when
the article is the first of its chapter. The heights are print.css's, in em of the text.
"""

from __future__ import annotations

from .pagesizes import PX_PER_MM, PageSize

MM_PER_PT = 25.4 / 72
# print.css: .article-title 1.45em × 1.35, .article-date 0.8em × 1.75 and its 0.5em top
# margin, .article-head's 2em bottom margin, a figure's 1em margin and two caption lines
# (0.8em × 1.75 each, 0.4em above); a little over, so a second title line mostly fits too
UNDER_TITLE_EM = 1.96 + 1.4 + 0.4 + 2 + 1 + 0.32 + 2.8 + 1.2
# .article-subtitle (an article.subtitled's): 1.05em × 1.4 and its 0.4em top margin
SUBTITLE_EM = 1.47 + 0.4
# .opener.chapter: 2em × 1.3 title, its rule 0.8em of 2em below it, 3em bottom margin;
# its padding-top is 18% of the text block's width
OPENER_EM = 2.6 + 1.6 + 3 + 0.2
OPENER_PADDING = 0.18
PICTURE = (
    ":is(.article-head + figure, .article-head + p) > img",
    ":is(.article-head + figure, .article-head + p) > a > img",
)


def css(size: PageSize) -> str:
    """max-height rules for an article's first picture, alone or first in its chapter."""
    em = size.font_size * MM_PER_PT
    under_title = size.text_height - UNDER_TITLE_EM * em
    under_opener = under_title - OPENER_EM * em - OPENER_PADDING * size.text_width
    sub = SUBTITLE_EM * em
    return (
        f"{_rule('.article', under_title)}\n{_rule('.opener.chapter + .article', under_opener)}\n"
        f"{_rule('.article.subtitled', under_title - sub)}\n"
        f"{_rule('.opener.chapter + .article.subtitled', under_opener - sub)}\n"
    )


def _rule(article: str, height_mm: float) -> str:
    selectors = ", ".join(f"{article} > {p}" for p in PICTURE)
    return f"{selectors} {{ max-height: {height_mm * PX_PER_MM:.0f}px; }}"
