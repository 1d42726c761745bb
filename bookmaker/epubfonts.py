"""The EPUB's documents and stylesheets -> the font files it carries, and fonts.css.

Two kinds of fonts go in, each subset to the characters it has to draw:
- the built-in CJK faces: the body face of the book's language (regular, bold), the body
  face of every other language an article is written in (a Japanese article in a Chinese
  book), the Hei heading face and the Kai quotation face when the CSS names them;
- the user's own: an `@font-face` in a layout stylesheet whose `url()` names a file in the
  project, the layout or a fonts folder. The file is packaged and the url() rewritten;
  one outside those folders is refused and its rule left out, with a warning.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
from dataclasses import dataclass, replace
from pathlib import Path

from fontTools.ttLib import TTFont

from . import epubarticle, fonts, fontsubset
from .config import Config
from .errors import UnsafePathError
from .layouts import Layout
from .model import Problem
from .naming import ascii_slug
from .paths import Roots, decode_reference

log = logging.getLogger(__name__)

FONT_FACE = re.compile(r"@font-face\s*\{[^{}]*\}", re.IGNORECASE)
SRC = re.compile(r"(\bsrc\s*:)([^;{}]*)", re.IGNORECASE)
URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.IGNORECASE)
FORMAT = re.compile(r"\s*format\([^)]*\)", re.IGNORECASE)
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.DOTALL)
QUOTE = re.compile(r"<blockquote[^>]*>(.*?)</blockquote>", re.DOTALL)
DOC_LANG = re.compile(r'<html\b[^>]*\bxml:lang="([^"]*)"')
ASCII = frozenset(map(chr, range(0x20, 0x7F)))  # numbers and Latin words, wherever they go
# Arrows, boxes and math marks CJK faces lack, then what DejaVu lacks too (✅ ⭐ 👍: the
# emoji e-ink readers have no font for; Symbola draws them in black, as e-ink shows them).
SYMBOLS = ("DejaVu Sans", "Symbola")
KAI = "LXGW WenKai"  # base.css sets block quotes in it; a free face we can embed


@dataclass(frozen=True)
class Sheet:
    name: str  # its file name in the package's styles/
    text: str
    source: Path | None = None  # the layout file it came from: where its url()s resolve


@dataclass(frozen=True)
class FontFile:
    href: str  # "fonts/…", relative to the package folder
    data: bytes
    media_type: str


def package(
    sheets: list[Sheet],
    docs: list[str],
    language: str,
    layout: Layout,
    config: Config,
    problems: list[Problem],
) -> tuple[list[FontFile], list[Sheet]]:
    """The fonts to put in the book, and the stylesheets as they go in (fonts.css first)."""
    text = used_text(docs, sheets)
    embed = config.epub.embed_fonts
    own = _OwnFonts(text, layout, config, problems)
    sheets = [own.sheet(s) for s in sheets]
    files = own.files
    if not embed:
        return files, sheets
    rules: list[str] = []
    for family, weight, chars in _built_in_wanted(docs, sheets, text, language):
        _add_face(family, weight, chars, layout, files, rules)
    body = fonts.body_family(language)
    _add_symbols(body, text, files, rules)
    css = "\n".join(rules) or "/* no CJK font found to embed */\n"
    if any(f"{ascii_slug(body, 'font')}-" in f.href for f in files) and not _named(body, sheets):
        css += f'\nbody {{ font-family: "{body}", serif; }}\n'  # nobody names it: the body does
    return files, [Sheet("fonts.css", css), *sheets]


# ---------------------------------------------------------------- the characters drawn


def used_text(docs: list[str], sheets: list[Sheet]) -> str:
    """Every character a reader may see: documents, attributes, CSS strings, printable ASCII."""
    chars = set(ASCII)
    for xhtml in docs:
        chars.update(epubarticle.visible_text(xhtml))
    for s in sheets:
        for literal in re.findall(r"\"([^\"]*)\"|'([^']*)'", s.text):
            chars.update("".join(literal))
    return "".join(sorted(chars))


def _text_of(docs: list[str], pattern: re.Pattern) -> str:
    chars = set(ASCII)
    for xhtml in docs:
        for inner in pattern.findall(xhtml):
            chars.update(epubarticle.visible_text(inner))
    return "".join(sorted(chars))


def _by_language(docs: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for xhtml in docs:
        m = DOC_LANG.search(xhtml)
        found.setdefault(m.group(1) if m else "", []).append(xhtml)
    return found


# ---------------------------------------------------------------- built-in faces


def _built_in_wanted(docs, sheets, text: str, language: str) -> list[tuple[str, int, str]]:
    """(family, weight, characters) of each built-in face the book needs."""
    body = fonts.body_family(language)
    groups: dict[str, list[str]] = {body: docs}
    for lang, mine in _by_language(docs).items():
        family = fonts.body_family(lang) if lang else body
        if family != body and _named(family, sheets):  # a Japanese article in a Chinese book
            groups.setdefault(family, []).extend(mine)
    wanted = []
    for family in [body, *sorted(set(groups) - {body})]:
        mine = groups[family]
        chars = text if family == body else used_text(mine, [])  # text: the whole book's
        wanted += [(family, fonts.REGULAR, chars), (family, fonts.BOLD, chars)]
        # Headings are set in Hei (base.css): without it embedded, a reader with no CJK
        # sans shows them blank. Only heading characters are kept, so it costs little.
        sans = family.replace("Serif", "Sans")
        if _named(sans, sheets):
            wanted.append((sans, fonts.BOLD, _text_of(mine, HEADING)))
    quotes = _text_of(docs, QUOTE)
    # Kai is optional: embedded when installed and named, else quotes fall back to Song.
    if len(quotes) > len(ASCII) and _named(KAI, sheets) and fonts.find_face(KAI, 400, ()):
        wanted.append((KAI, fonts.REGULAR, quotes))
    return wanted


def _add_face(family, weight, chars, layout: Layout, files: list, rules: list) -> None:
    style = "bold" if weight == fonts.BOLD else "regular"
    face = fonts.find_face(family, weight, layout.font_dirs)
    if face is None:
        log.warning("font %s (%s) not found: not embedded", family, style)
        return
    data = fontsubset.subset(face.path, face.index, chars)
    suffix, media_type = fontsubset.font_suffix(data)
    href = f"fonts/{ascii_slug(family, 'font')}-{style}{suffix}"
    files.append(FontFile(href, data, media_type))
    rules.append(_font_face(family, weight, posixpath.relpath(href, "styles")))


def _font_face(family: str, weight: int, url: str, extra: str = "") -> str:
    return (
        f'@font-face {{ font-family: "{family}"; font-style: normal; '
        f"font-weight: {'bold' if weight >= 600 else 'normal'}; src: url({url});{extra} }}\n"
    )


def _add_symbols(body: str, text: str, files: list, rules: list) -> None:
    """Marks the CJK face lacks (☐ ☑ ↩ ⊤ ✅) from DejaVu Sans, then Symbola, as part of the
    body family.

    Declared under the body family's own name with a unicode-range, so every stack that
    names the body face finds them; otherwise a reader without them shows empty boxes.
    """
    regular = next(
        (f for f in files if f.href.startswith(f"fonts/{ascii_slug(body, 'font')}-regular")), None
    )
    if regular is None:
        return
    covered = _cmap(regular.data)
    missing = "".join(dict.fromkeys(c for c in text if ord(c) not in covered and ord(c) > 0x7F))
    for n, family in enumerate(SYMBOLS):
        face = fonts.find_face(family, fonts.REGULAR, ()) if missing else None
        if face is None:
            continue
        data = fontsubset.subset(face.path, face.index, missing)
        drawn = sorted(c for c in _cmap(data) if chr(c) in missing)
        if not drawn:
            continue
        suffix, media_type = fontsubset.font_suffix(data)
        href = f"fonts/symbols{f'-{n + 1}' if n else ''}{suffix}"
        files.append(FontFile(href, data, media_type))
        ranges = " unicode-range: " + ", ".join(f"U+{c:04X}" for c in drawn) + ";"
        for weight in (fonts.REGULAR, fonts.BOLD):
            rules.append(_font_face(body, weight, posixpath.relpath(href, "styles"), ranges))
        missing = "".join(c for c in missing if ord(c) not in drawn)


def _cmap(data: bytes) -> set[int]:
    # A subset that keeps none of the characters asked for (🫨, private-use marks) has no
    # cmap table at all; those characters are simply in no embedded font.
    return set(TTFont(io.BytesIO(data)).getBestCmap() or ())


def _named(family: str, sheets: list[Sheet]) -> bool:
    return any(family in s.text for s in sheets)


# ---------------------------------------------------------------- the user's own fonts


class _OwnFonts:
    """Packages the font files a layout's stylesheets name, each once, subset to `text`."""

    def __init__(self, text: str, layout: Layout, config: Config, problems: list[Problem]):
        self.text, self.base, self.problems = text, config.base, problems
        self.roots = Roots.of(config.base, *layout.dirs, *layout.font_dirs)
        self.embed = config.epub.embed_fonts
        self.files: list[FontFile] = []
        self.done: dict[Path, str] = {}

    def sheet(self, sheet: Sheet) -> Sheet:
        """`sheet` with each @font-face url() pointing at a packaged subset (or left out)."""
        if sheet.source is None or "@font-face" not in sheet.text.lower():
            return sheet
        return replace(sheet, text=FONT_FACE.sub(lambda m: self._rule(m, sheet), sheet.text))

    def _rule(self, m: re.Match, sheet: Sheet) -> str:
        line = sheet.text.count("\n", 0, m.start()) + 1
        self.at = (_shown(sheet.source, self.base), line)
        rule = SRC.sub(lambda s: s.group(1) + self._src(s.group(2), sheet), m.group(0))
        if not URL.search(rule) and "local(" not in rule.lower():
            # The reason is in the build's warnings; never a local path inside the book.
            return "/* @font-face left out: its font could not be packaged */"
        return rule

    def _warn(self, message: str) -> None:
        self.problems.append(Problem(self.at[0], message, "warning", self.at[1]))

    def _src(self, value: str, sheet: Sheet) -> str:
        """A `src:` list with local files packaged; remote, unsafe or missing ones dropped."""
        kept = []
        for entry in _split_list(value):
            m = URL.search(entry)
            ref = next((g for g in m.groups() if g is not None), "").strip() if m else ""
            if m is None or ref.lower().startswith("data:"):
                kept.append(entry)  # local("…"), or a font inside the CSS itself
                continue
            href = self._packaged(ref, sheet) if self.embed else None
            if href is not None:
                url = f"url({posixpath.relpath(href, 'styles')})"
                kept.append(FORMAT.sub("", URL.sub(url, entry)))
        return " " + ", ".join(kept) if kept else " none"

    def _packaged(self, ref: str, sheet: Sheet) -> str | None:
        """The package href of the subset of the font `ref` names, or None (warned)."""
        if SCHEME.match(ref) or ref.startswith("//"):
            self._warn(f"font {ref} is not in the project: not fetched, its @font-face left out")
            return None
        try:
            path = self.roots.check(sheet.source.parent / decode_reference(ref))
        except UnsafePathError as exc:
            self._warn(f"font url({ref}) not packaged: {exc}")
            return None
        if path not in self.done:
            self.done[path] = self._subset(path)
        return self.done[path] or None

    def _subset(self, path: Path) -> str:
        try:
            data = fontsubset.subset(path, 0, self.text)
        except Exception as exc:  # a font file from the user may hold anything
            self._warn(f"font {path.name} could not be read as a font ({exc}): left out")
            return ""
        suffix, media_type = fontsubset.font_suffix(data)
        href = stem = f"fonts/own-{ascii_slug(path.stem, 'font')}"
        while any(f.href == href + suffix for f in self.files):  # two folders, one file name
            href = f"{stem}-{len(self.files)}"
        self.files.append(FontFile(href + suffix, data, media_type))
        return href + suffix


def _split_list(value: str) -> list[str]:
    """`url(a) format("x"), local(b)` -> its entries (commas inside quotes or () kept)."""
    entries, depth, quote, start = [], 0, "", 0
    for i, c in enumerate(value):
        if quote:
            quote = "" if c == quote else quote
        elif c in "\"'":
            quote = c
        elif c == "(":
            depth += 1
        elif c == ")":
            depth = max(depth - 1, 0)
        elif c == "," and depth == 0:
            entries.append(value[start:i].strip())
            start = i + 1
    entries.append(value[start:].strip())
    return [e for e in entries if e]


def _shown(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return str(path)
