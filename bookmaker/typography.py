"""RenderedArticle XHTML -> the same XHTML with CJK typography applied (text nodes only).

The HTML stage hands us a well-formed fragment and its language. We pick a profile
(zh-Hans, zh-Hant, ja; anything else is left exactly as it came), optionally convert
Simplified ↔ Traditional, then work paragraph by paragraph on the text nodes outside
`pre code kbd samp script style math svg`: punctuation, spacing and joiners as text, then
a little markup (`span lang="en"`, `span.dash`, `span.pc`, emphasis dots) for the CSS.
Applying it twice gives the same result as applying it once.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass

from lxml import etree

from . import convert, punctuation, spacing
from .cjk import (
    BLOCKS as BLOCK_TAGS,
)
from .cjk import (
    CJK,
    CLOSING,
    EN,
    HAN,
    JA,
    LATIN_ALNUM,
    NAME_SEPARATORS,
    OPENING,
    PARAGRAPHS,
    PROTECTED,
    STOPS,
    WJ,
    ZWSP,
    Profile,
    profile_for,
)
from .config import TypographyConfig

log = logging.getLogger(__name__)

XHTML_NS = "http://www.w3.org/1999/xhtml"
_NS = f"{{{XHTML_NS}}}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SKIPPED = PROTECTED | {"rt", "rp"}  # their text is not prose (ruby annotations are Latin)
BREAKS = frozenset({"br", "hr"})
CONVERTED_ATTRS = ("alt", "title")
# Our own markup, unwrapped before a run so that applying twice equals applying once.
OWN_CLASSES = frozenset({"pc", "dash", "latin", "ed", "tcy"})
# A bare URL ends where Chinese text or full-width punctuation starts: 访问https://x.org了解
_URL = re.compile(
    f'(?:https?|ftp)://[^\\s<>"{CJK}]+|www\\.[^\\s<>"{CJK}]+'
    r"|[A-Za-z0-9_.+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+",
    re.I,
)


def apply(xhtml: str, lang: str, settings: TypographyConfig) -> tuple[str, str]:
    """The fragment with CJK typography for `lang`, and the language of the result."""
    profile = profile_for(lang)
    if profile is EN:
        return _english(xhtml), lang
    root = parse(xhtml)
    unwrap_own_markup(root)
    out_lang = lang
    if settings.convert and profile is not JA:
        out_lang = convert.check(settings.convert)
        convert_text(root, settings.convert)
        profile = profile_for(out_lang)
    style = _quotes(profile, settings)
    for run in runs(root):
        typeset_run(run, profile, style, settings)
    add_markup(root, profile, settings)
    return serialize(root), out_lang


def _english(xhtml: str) -> str:
    """Curly quotes, apostrophes, dashes and ellipses in an English article, as kramdown and
    Hugo's typographer print them: no CJK rules, no markup."""
    root = parse(xhtml)
    english = [(punctuation.ENGLISH, re.compile("[-.]"))]
    for run in runs(root):
        text = run.joined()
        if '"' in text or "'" in text:
            run.replace_chars(punctuation.straight_quotes(text, "curly"))
        if "--" in text or "..." in text:
            rewrite_slots(run, english)
    return serialize(root)


def for_vertical(xhtml: str, lang: str) -> str:
    """Curly quotes → corner brackets, two-digit numbers set upright (EPUB vertical-rl)."""
    root = parse(xhtml)
    for run in runs(root):
        text = run.joined()
        run.replace_chars(punctuation.nest_quotes(text, "corner"))
    for slot in [s for r in runs(root) for s in r.slots]:
        _split_slot(slot, _tcy_pieces(slot.get()))
    return serialize(root)


# -- parsing ---------------------------------------------------------------------------


def parse(xhtml: str) -> etree._Element:
    return etree.fromstring(f'<div xmlns="{XHTML_NS}">{xhtml}</div>')


def serialize(root: etree._Element) -> str:
    etree.cleanup_namespaces(root)
    if not len(root) and not root.text:
        return ""  # an empty article: `<div/>` has no closing tag to cut at
    text = etree.tostring(root, encoding="unicode")
    start = text.index(">") + 1
    return text[start : text.rindex("</div>")]


def local(el) -> str:
    """The tag without its namespace (XHTML, SVG and MathML alike)."""
    tag = el.tag
    return _local(tag) if isinstance(tag, str) else str(tag)


@functools.cache
def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def unwrap_own_markup(root: etree._Element) -> None:
    for el in list(_prose_elements(root)):
        classes = set(el.get("class", "").split())
        if local(el) == "em" and "dots" in classes:
            _drop_class(el, "dots")
        elif local(el) == "span" and classes & OWN_CLASSES:
            _unwrap(el)
    for run in runs(root):
        for slot in run.slots:
            if WJ in slot.get():
                slot.set(slot.get().replace(WJ, ""))


def _prose_elements(el):
    for child in el:
        if isinstance(child.tag, str) and local(child) not in SKIPPED:
            yield child
            yield from _prose_elements(child)


def _drop_class(el, name: str) -> None:
    rest = [c for c in el.get("class", "").split() if c != name]
    if rest:
        el.set("class", " ".join(rest))
    else:
        del el.attrib["class"]


def _unwrap(el) -> None:
    parent, prev = el.getparent(), el.getprevious()
    index = parent.index(el)
    children = list(el)
    _append_text(parent, prev, el.text or "")
    for i, child in enumerate(children):
        parent.insert(index + 1 + i, child)
    _append_text(parent, children[-1] if children else prev, el.tail or "")
    parent.remove(el)


def _append_text(parent, prev, text: str) -> None:
    if not text:
        return
    if prev is None:
        parent.text = (parent.text or "") + text
    else:
        prev.tail = (prev.tail or "") + text


# -- runs of text ----------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One text node: `el.text` or `el.tail`."""

    el: etree._Element
    attr: str

    def get(self) -> str:
        return getattr(self.el, self.attr) or ""

    def set(self, value: str) -> None:
        setattr(self.el, self.attr, value or None)

    def owns_start(self) -> bool:
        """A gap inserted where an element ends goes outside it (into the tail)."""
        return self.attr == "tail"


@dataclass
class Run:
    """The text of one block (paragraph, list item, heading…) in document order.

    Items are Slots (text we may change) or strings: the text of a code span or other
    untouchable element (context only), "" for something transparent, "\\n" for a break.
    """

    block: etree._Element
    items: list

    @property
    def slots(self) -> list[Slot]:
        return [i for i in self.items if isinstance(i, Slot)]

    def texts(self) -> list[str]:
        return [i.get() if isinstance(i, Slot) else i for i in self.items]

    def joined(self) -> str:
        return "".join(self.texts())

    def replace_chars(self, mapping: dict[int, str]) -> None:
        """Replace single characters at positions of `joined()`."""
        if not mapping:
            return
        start = 0
        for item, text in zip(self.items, self.texts(), strict=True):
            end = start + len(text)
            if isinstance(item, Slot) and any(start <= i < end for i in mapping):
                chars = list(text)
                for i in range(start, end):
                    if i in mapping:
                        chars[i - start] = mapping[i]
                item.set("".join(chars))
            start = end


class _Note(str):
    """A footnote's number in a run: no text to the rules, and no gap between it and the
    word it hangs on (Markdown's `示例[^1]` was set as `示例 ¹`)."""


NOTE = _Note("")


def runs(root: etree._Element) -> list[Run]:
    out: list[Run] = []
    _walk(root, None, out)
    return out


def _walk(el, run: Run | None, out: list[Run]) -> None:
    block = run is None or local(el) in BLOCK_TAGS
    if block:
        run = Run(el, [])
        out.append(run)
    run.items.append(Slot(el, "text"))
    for child in el:
        if not isinstance(child.tag, str):  # a comment: only its tail is text
            pass
        elif _note_ref(child):  # its number hangs on the word before it
            run.items.append(NOTE)
        elif local(child) in SKIPPED or _foreign(child):
            run.items.append("".join(child.itertext()) if local(child) != "rt" else "")
        elif local(child) in BREAKS:
            run.items.append("\n")
        else:
            _walk(child, run, out)
            if local(child) in BLOCK_TAGS:
                run.items.append("\n")
        run.items.append(Slot(child, "tail"))


def _note_ref(el) -> bool:
    """A footnote's number, as Markdown writes it: `<sup><a class="footnote-ref">1</a></sup>`."""
    return local(el) == "sup" and any(
        isinstance(a.tag, str) and "footnote-ref" in (a.get("class") or "").split() for a in el
    )


def _foreign(el) -> bool:
    """An element the author marked as another, non-CJK language (`<q lang="en">`)."""
    tag = el.get("lang") or el.get(_XML_LANG)
    return tag is not None and profile_for(tag) is EN


def rewrite_slots(run: Run, rules, prepare=lambda text: text) -> None:
    """Apply `rules` to each text slot of `run`, seeing up to 3 characters on either side
    (read from neighbouring slots and fixed text, which themselves stay untouched)."""
    texts = run.texts()
    before = ""
    for k, item in enumerate(run.items):
        if not isinstance(item, Slot):
            before = (before + item)[-3:]
            continue
        after = _following(texts, k + 1)
        own_end = k + 1 < len(run.items) and _enters(run.items[k + 1])
        new = rewrite(prepare(item.get()), before, after, rules,
                      item.owns_start() or k == 0, own_end)  # fmt: skip
        item.set(new)
        before = (before + new)[-3:]


def typeset_run(run: Run, profile: Profile, style: str, settings: TypographyConfig) -> None:
    text = run.joined()
    run.replace_chars(punctuation.straight_quotes(text, style))
    run.replace_chars(punctuation.nest_quotes(run.joined(), style))
    rewrite_slots(run, rules_for(profile, settings), spacing.halfwidth_alnum)
    if local(run.block) in PARAGRAPHS:
        bind_last_two(run)


def _following(texts: list[str], start: int) -> str:
    out = ""
    for text in texts[start:]:
        out += text
        if len(out) >= 3:
            break
    return out[:3]


def _enters(item) -> bool:
    """Whether the next item starts inside an element (or is one we must not touch)."""
    if item is NOTE:
        return False  # a gap before a note's number goes after it: "Go¹ 语言"
    return not isinstance(item, Slot) or item.attr == "text"


_RULES: dict[tuple, list] = {}
_LATIN = re.compile(f"[{LATIN_ALNUM}]")
# Which characters a rule group needs to see before it can match: most text nodes need
# only a few of the groups, and skipping the rest keeps 1,000 articles within seconds.
_TRIGGERS = (
    (spacing.SOFT_BREAKS, "\n"),
    (punctuation.ELLIPSIS, ".。…"),
    (punctuation.DASH, "-—"),
    (punctuation.FULLWIDTH, ",.;:?!()\n"),
    (punctuation.NAME_SEPARATOR, NAME_SEPARATORS),
    (spacing.PUNCT_LATIN, " \t\u00a0\u2005"),
    (spacing.HAN_LATIN, None),  # None: any Latin letter or digit
    (punctuation.JOINERS, "—…·～"),
    (punctuation.STRICT_JOINERS, "—…"),
)


def rules_for(profile: Profile, settings: TypographyConfig) -> list:
    """[(rules, trigger characters)] for a profile and its switches, in order."""
    key = (profile.name, settings.spacing, settings.strict)
    if key not in _RULES:
        skip = []
        if profile.name == "ja":
            skip.append(punctuation.FULLWIDTH)
        if not profile.name_separator:
            skip.append(punctuation.NAME_SEPARATOR)
        if not (profile.spacing and settings.spacing):
            skip.append(spacing.HAN_LATIN)
        if not settings.strict:
            skip.append(punctuation.STRICT_JOINERS)
        _RULES[key] = [
            (rules, _LATIN if t is None else re.compile(f"[{re.escape(t)}]"))
            for rules, t in _TRIGGERS
            if not any(rules is s for s in skip)
        ]
    return _RULES[key]


def rewrite(text: str, before: str, after: str, groups, own_start: bool, own_end: bool) -> str:
    """`text` after the rule `groups`, reading `before`/`after` as context but never
    changing them.

    A zero-width match on an edge (an insertion) belongs to one side only, so a gap at the
    border of two text nodes is inserted once.
    """
    s = before + text + after
    lo = len(before)
    urls = _maybe_url(s)
    for rules, trigger in groups:
        if not trigger.search(s):
            continue
        for pattern, repl in rules:
            s = _sub(pattern, repl, s, lo, len(s) - len(after), own_start, own_end, urls)
    return s[lo : len(s) - len(after)]


def _sub(pattern, repl, s: str, lo: int, hi: int, own_start: bool, own_end: bool, urls: bool):
    guarded = [m.span() for m in _URL.finditer(s, lo, hi)] if urls else []

    def change(m: re.Match) -> str:
        a, b = m.span()
        if a < lo or b > hi or any(a < ub and b > ua for ua, ub in guarded):
            return m.group(0)
        if a == b and ((a == lo and not own_start) or (a == hi and not own_end)):
            return ""
        return repl(m) if callable(repl) else repl

    return pattern.sub(change, s)


def _maybe_url(s: str) -> bool:
    return "://" in s or "@" in s or "www." in s


_HAN_CHAR = re.compile(f"[{HAN}]")
_LATIN_CHAR = re.compile(r"[A-Za-z0-9]")


def bind_last_two(run: Run) -> None:
    """Orphan control: a word joiner before the paragraph's last Han keeps it company."""
    for item in reversed(run.items):
        text = item.get() if isinstance(item, Slot) else item
        hans = list(_HAN_CHAR.finditer(text))
        if not hans:
            if _LATIN_CHAR.search(text):
                return
            continue
        last = hans[-1].start()
        if _LATIN_CHAR.search(text, last) or not isinstance(item, Slot):
            return
        item.set(text[:last] + WJ + text[last:])
        return


# -- markup for the CSS ----------------------------------------------------------------

_COMPRESSIBLE = OPENING + CLOSING + STOPS
_L = "A-Za-z\u00c0-\u024f"
_LW = _L + "0-9'’\\-"
_MARKUP = re.compile(  # URLs first: they stay plain text, never hyphenated
    f"(?P<url>{_URL.pattern})"
    f"|(?P<latin>[{_L}][{_LW}]*(?:[ \\n,.:;!?&+/]+[{_LW}]+)*)"
    "|(?P<dash>——)"
    f"|(?P<pc>[{CLOSING}{STOPS}](?=[{_COMPRESSIBLE}])|(?<=[{OPENING}])[{OPENING}])"
    f"|(?P<han>[{HAN}])",
    re.I,
)
_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")
# An address or e-mail written as text (a Jekyll post's URLs are no links) this long is
# six em or more, unbreakable: span.url lets it break anywhere (base.css), as a.url does,
# so that the Chinese line before it is not spread across the width (本 杂 志 开 源).
_LONG_URL = 12
_TCY = re.compile(r"(?<![0-9A-Za-z.,])[0-9]{2}(?![0-9A-Za-z]|[.,][0-9])")


def add_markup(root: etree._Element, profile: Profile, settings: TypographyConfig) -> None:
    compress = profile.compression and settings.compression
    for em in root.iter(f"{_NS}em"):
        if _HAN_CHAR.search("".join(em.itertext())):
            em.set("class", " ".join([*em.get("class", "").split(), "dots"]))
    for run in runs(root):
        for slot in run.slots:
            text = slot.get()
            if text and not text.isspace():
                _split_slot(slot, _pieces(text, compress, _in_dots(slot), _in_url(slot)))


def _in_dots(slot: Slot) -> bool:
    node = slot.el if slot.attr == "text" else slot.el.getparent()
    while node is not None:
        if local(node) == "em" and "dots" in node.get("class", "").split():
            return True
        node = node.getparent()
    return False


def _in_url(slot: Slot) -> bool:
    """Inside a.url or span.url already: marked again, the book was not the same twice."""
    node = slot.el if slot.attr == "text" else slot.el.getparent()
    while node is not None:
        if "url" in node.get("class", "").split():
            return True
        node = node.getparent()
    return False


def _pieces(text: str, compress: bool, dots: bool, url: bool) -> list:
    pieces: list = []
    last = 0
    for m in _MARKUP.finditer(text):
        kind = m.lastgroup
        if kind == "url" and (url or len(m.group()) < _LONG_URL):
            continue
        if kind == "latin" and not _TWO_LETTERS.search(m.group()):
            continue
        if (kind == "pc" and not compress) or (kind == "han" and not dots):
            continue
        pieces += [text[last : m.start()], _span(m.group(), kind)]
        last = m.end()
    pieces.append(text[last:])
    return pieces


_CLASS = {"url": "url", "latin": "latin", "dash": "dash", "pc": "pc", "han": "ed", "tcy": "tcy"}


def _span(text: str, kind: str) -> etree._Element:
    el = etree.Element(f"{_NS}span", {"class": _CLASS[kind]})
    if kind == "latin":
        el.set("lang", "en")
    el.text = text
    return el


def _tcy_pieces(text: str) -> list:
    pieces: list = []
    last = 0
    for m in _TCY.finditer(text):
        pieces += [text[last : m.start()], _span(m.group(), "tcy")]
        last = m.end()
    pieces.append(text[last:])
    return pieces


def _split_slot(slot: Slot, pieces: list) -> None:
    if len(pieces) == 1:
        slot.set(pieces[0])
        return
    slot.set(pieces[0])
    if slot.attr == "text":
        parent, at = slot.el, 0
    else:
        parent = slot.el.getparent()
        at = parent.index(slot.el) + 1
    for i in range(1, len(pieces), 2):
        el = pieces[i]
        el.tail = pieces[i + 1] or None
        parent.insert(at, el)
        at += 1


# -- print only: where Pango may break -------------------------------------------------

# Pango 1.50 follows UAX 14 before Unicode 15.1: “ ” ‘ ’ are QU, never broken before or
# after, so `一个“有点可爱”的` is one unbreakable run and the line before it ends early
# and loose. Chinese allows a break before an opening and after a closing quote: a zero
# width space says so (nothing drawn, nothing copied from the PDF; never in the EPUB).
_QUOTE_BREAKS: list = [
    (re.compile(f"(?<=[{HAN}{CLOSING}{STOPS}])(?=[“‘])|(?<=[”’])(?=[{HAN}{OPENING}])"), ZWSP),
]
_QUOTE_TRIGGER = re.compile("[“”‘’]")


def quote_breaks(root: etree._Element) -> None:
    """Break opportunities beside Chinese curly quotes, for the PDF (`root`: the print
    fragment's container); applying it twice adds nothing."""
    if not any(_QUOTE_TRIGGER.search(t) for t in root.itertext()):
        return  # most blocks of most articles have no curly quote: skip the slot walk
    groups = [(_QUOTE_BREAKS, _QUOTE_TRIGGER)]
    for run in runs(root):
        if _QUOTE_TRIGGER.search(run.joined()):
            rewrite_slots(run, groups)


def convert_text(root: etree._Element, name: str) -> None:
    for run in runs(root):
        for slot in run.slots:
            text = slot.get()
            if text and not text.isspace():
                slot.set(convert.convert(text, name))
    # Alt text and titles are read aloud and shown as captions: same script as the text.
    for el in root.iter(f"{_NS}img", f"{_NS}abbr", f"{_NS}a"):
        for attr in CONVERTED_ATTRS:
            if el.get(attr):
                el.set(attr, convert.convert(el.get(attr), name))


def convert_title(title: str, settings: TypographyConfig) -> str:
    """An article's or the book's title in the script `[typography] convert` asks for."""
    return convert.convert(title, settings.convert) if settings.convert and title else title


def title_text(title: str, lang: str, settings: TypographyConfig) -> str:
    """A title as the text it heads is set: converted, its straight quotes paired.

    Plain text, not markup: titles also go to the EPUB's navigation, the PDF's outline
    and the OPF, where `他说："Hello"` printed straight quotes under a body that curled them.
    """
    japanese = profile_for(lang) is JA
    title = title if japanese else convert_title(title, settings)
    if '"' not in title and "'" not in title:
        return title
    converted = settings.convert and not japanese
    profile = profile_for(convert.check(settings.convert) if converted else lang)
    style = "curly" if profile is EN else _quotes(profile, settings)
    text = _replaced(title, punctuation.straight_quotes(title, style))
    if profile is EN:
        return text
    text = _replaced(text, punctuation.nest_quotes(text, style))
    for pattern, repl in spacing.PUNCT_LATIN:
        text = pattern.sub(repl, text)
    return text


def _quotes(profile, settings: TypographyConfig) -> str:
    """`[typography] quotes` chooses between Chinese conventions; Japanese quotes in 「」
    whatever the book's Chinese does (nor is it run through OpenCC: 東京 is not 东京)."""
    return profile.quotes if settings.quotes == "auto" or profile is JA else settings.quotes


def _replaced(text: str, marks: dict[int, str]) -> str:
    chars = list(text)
    for i, mark in marks.items():
        chars[i] = mark
    return "".join(chars)
