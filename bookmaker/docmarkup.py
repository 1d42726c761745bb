"""A VuePress, VitePress or Docusaurus page's own syntax -> the Markdown a book can show.

What the site runs is gone from a book: a page's `<script setup>` and `<style>` blocks,
MDX's `import`/`export` statements and `{/* comments */}`; a Vue expression prints what the
site printed when bookmaker knows it (`{{ $frontmatter.title }}`) and nothing otherwise, with a
warning. Components keep their words: `<Badge text="beta" />` is the word highlighted,
Docusaurus' `<Tabs>` and vuepress-theme-hope's `@tab` show each tab under its label in
bold, and any other component (`<Catalog />`, `<Highlight>…</Highlight>`) is left out
around its content, with one warning naming them. Code fences' `{1,3-5}` marked lines,
`[npm]` (a code group's tab) or `title="app.js"` as title and `:line-numbers` are read.
`<!-- @include: ./part.md -->` is that file's text (its lines `{3-10}`, its `#region`).
VitePress' `<<< @/a.js` and VuePress' `@[code](./a.js)` are that file as a code block.
vuepress-theme-hope's picture sizes (`![图](/a.png =300x)`, `![图|300x200](/a.png)`) are widths.
Fenced code is never touched: a sample of this syntax stays as written.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import mdsource
from .errors import UnsafePathError
from .model import Article

INCLUDE = re.compile(
    r"^[ \t]*<!--\s*@include:\s*([^\s{#]+?)(?:#([\w-]+))?(?:\{(\d*)[-,]?(\d*)\})?\s*-->[ \t]*$",
    re.M,
)
MAX_INCLUDES = 8
VITEPRESS_CODE = re.compile(
    r"^([ \t]*)<<<[ \t]+(?P<path>[^\s{#\[]+)(?:#(?P<region>[\w-]+))?(?:\{(?P<marks>[^}]*)\})?"
    r"(?:[ \t]+\[(?P<label>[^\]]+)\])?[ \t]*$",
    re.M,
)
VUEPRESS_CODE = re.compile(
    r"^([ \t]*)@\[code(?:\{(?P<first>\d*)-(?P<last>\d*)\})?(?:[ \t]+(?P<lang>[\w#+-]+)"
    r"(?:\{(?P<marks>[^}]*)\})?)?(?P<rest>[^\]]*)\]"
    r"\((?P<path>[^)\s#]+)(?:#(?P<region>[\w-]+))?\)[ \t]*$",
    re.M,
)
V_PRE = re.compile(r"^[ \t]*:{3,}[ \t]*v-pre[ \t]*$")
CLOSE = re.compile(r"^[ \t]*:{3,}[ \t]*$")
HELD = "\ue003"  # a `{{` no Vue expression starts, until the expressions are read
FENCE = re.compile(r"^([ \t>]*)(`{3,}|~{3,})[ \t]*([^`\n]*)$")
BLOCK = re.compile(r"^[ \t]*<(script|style)\b[^>]*>.*?</\1\s*>[ \t]*\n?", re.M | re.S | re.I)
STATEMENT = re.compile(
    r"^(?:import\s+[\w{*]|import\s*['\"]|export\s+(?:const|let|default|function)\b)"
)
MDX_COMMENT = re.compile(r"\{/\*.*?\*/\}", re.S)
EXPRESSION = re.compile(r"\{\{\s*(.*?)\s*\}\}")
LEADING_HEADING = re.compile(r"\s*#[ \t]+(.+?)[ \t]*#*[ \t]*(?:\n|$)")
FRONTMATTER = re.compile(r"\$(?:frontmatter|page\.frontmatter)\.(\w+)|\$(?:page\.)?title")
ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|\{["'`]([^"'`]*)["'`]\})""")
SIZED = re.compile(r"!\[(?P<alt>[^\]\n]*)\]\((?P<src>[^)\s]+)[ \t]+=(?P<width>\d*)x\d*[ \t]*\)")
SIZED_BAR = re.compile(r"!\[(?P<alt>[^\]|\n]*)\|(?P<width>\d+)(?:x\d+)?\]\((?P<src>[^)\s]+)\)")
BADGE = re.compile(r"<Badge\b([^<>]*?)(?:/>|>(.*?)</Badge\s*>)", re.S)
TAB_OPEN = re.compile(r"^[ \t]*<TabItem\b([^<>]*)>[ \t]*$")
TAB_CLOSE = re.compile(r"^[ \t]*</TabItem\s*>[ \t]*$")
TABS = re.compile(r"^[ \t]*</?Tabs\b[^<>]*>[ \t]*$")
HOPE_TAB = re.compile(r"^([ \t]*)@tab(?::active)?[ \t]+(.+?)[ \t]*$")
COMPONENT = re.compile(r"</?([A-Z][\w.]*)\b(?:[^<>\"']|\"[^\"]*\"|'[^']*')*?/?>")
# A fence's VuePress, VitePress and Docusaurus options
LINES = re.compile(r"\{([\d,\s-]+)\}")
LABEL = re.compile(r"\[([^\]]+)\]")
TITLE = re.compile(r"""\btitle=(?:"([^"]*)"|'([^']*)')""")
NUMBERED = re.compile(r":line-numbers(?:=(\d+))?\b|\bshowLineNumbers\b")


@dataclass(frozen=True)
class Files:
    """Where `@/` points (the site's source folder) and how a file is read: its text, or
    UnsafePathError when it is missing or outside the site."""

    source_dir: Path
    read: Callable[[Path], str]


@dataclass
class Expansion:
    text: str
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (source text, message)


def expand(source: str, article: Article, kind: str, files: Files | None = None) -> Expansion:
    """`source` as Markdown; `kind` is the site's (`docusaurus` reads MDX); `files` reads
    what an `@include` names."""
    result = Expansion(source)
    if files is not None and "@include" in source:
        result.text = _included(result.text, article.path.parent, files, result, 0)
    if files is not None and ("<<<" in source or "@[code" in source):
        result.text = _code_imports(result.text, article.path.parent, files, result)
    result.text = _lines(result.text)
    result.text = _outside_code(result.text, BLOCK, lambda m: "")
    if kind == "docusaurus":
        result.text = _without_statements(result.text)
        result.text = _outside_code(result.text, MDX_COMMENT, lambda m: "")
    unknown: dict[str, tuple[str, str]] = {}  # what -> (its source, the warning)
    vue = kind != "docusaurus"  # (MDX's `style={{…}}` is JSX, not a Vue expression)
    result.text = mdsource.map_prose(result.text, lambda t, _: _prose(t, article, unknown, vue))
    result.text = result.text.replace(HELD, "{{")
    result.warnings.extend(unknown.values())
    result.text = _untitled(result.text, article.title)
    return result


def _untitled(text: str, title: str) -> str:
    """Without a first `# {{ $frontmatter.title }}` (VitePress' way to head a page with
    its title): the book prints the title over the article already."""
    m = LEADING_HEADING.match(text)
    if m and " ".join(m.group(1).split()) in (title, html.escape(title, quote=False)):
        return text[m.end() :]
    return text


def _included(source: str, folder: Path, files: Files, result: Expansion, depth: int) -> str:
    """`<!-- @include: ./part.md -->` (VuePress, VitePress) replaced by that file's lines,
    or those of its `{3-10}` or its `#region`; an include may include (8 deep)."""

    def include(m: re.Match) -> str:
        name, region, first, last = m.groups()
        if depth >= MAX_INCLUDES:
            result.warnings.append((m.group(0), f"{m.group(0)} left out: includes nested too deep"))
            return ""
        part = _part(m.group(0), name, region, first, last, folder, files, result)
        if part is None:
            return ""
        text, path = part
        return _included(text.rstrip("\n"), path.parent, files, result, depth + 1)

    return _outside_code(source, INCLUDE, include)


def _code_imports(source: str, folder: Path, files: Files, result: Expansion) -> str:
    """VitePress' `<<< @/snippets/a.js#region{2} [a.js]` and VuePress' `@[code{3-10} js{3}
    title="a.js"](./a.js)` -> a fenced block of that file (its region or lines), its
    language from its name unless given, its marked lines and its title kept."""

    def fenced(m: re.Match) -> str:
        parts = m.groupdict()
        found = (parts.get(k) for k in ("region", "first", "last"))
        part = _part(m.group(0), parts["path"], *found, folder, files, result)
        if part is None:
            return ""
        text, path = part
        marks = parts.get("marks") or ""
        words = [
            w for w in re.split(r"[\s,]+", marks) if w and not mdsource.LINE_RANGE.fullmatch(w)
        ]
        language = parts.get("lang") or (words[0].split(":")[0] if words else "") or path.suffix[1:]
        info = [language]  # in VitePress' own words, which `_lines` reads next
        title = parts.get("label") or _attributes(parts.get("rest") or "").get("title")
        if title:
            info.append(f"[{title}]")
        if mdsource.LINE_RANGE.search(marks):
            info.append(f"{{{','.join(mdsource.LINE_RANGE.findall(marks))}}}")
        ticks = "`" * max([3, *(len(r) + 1 for r in re.findall(r"`+", text))])
        return f"{m.group(1)}{ticks}{' '.join(info)}\n{text.rstrip()}\n{m.group(1)}{ticks}"

    source = _outside_code(source, VITEPRESS_CODE, fenced)
    return _outside_code(source, VUEPRESS_CODE, fenced)


def _part(written, name, region, first, last, folder: Path, files: Files, result: Expansion):
    """(the text, its path) of the file an include or code import names (`@/` is the
    source folder): its `#region` or its lines `first`-`last`; None, with a warning, when
    it may not be read."""
    path = files.source_dir / name[2:] if name.startswith("@/") else folder / name
    try:
        text = files.read(path)
    except UnsafePathError as exc:
        result.warnings.append((written, f"{written.strip()} left out: {exc}"))
        return None
    text = _region(text, region) if region else text
    if first or last:
        lines = text.split("\n")
        text = "\n".join(lines[int(first or 1) - 1 : int(last) if last else None])
    return text, path


def _region(text: str, name: str) -> str:
    """The lines between `#region name` and `#endregion name` (in any comment syntax)."""
    m = re.search(
        rf"^[^\n]*#region {re.escape(name)}\b[^\n]*\n(.*?)^[^\n]*#endregion\b", text, re.M | re.S
    )
    return m.group(1) if m else text


def _outside_code(source: str, pattern: re.Pattern, repl) -> str:
    """`pattern` replaced where it starts outside a fenced or indented block of code."""
    blocks, at = [], 0
    for s in mdsource.segments(source):
        if s.code and "\n" in s.text:
            blocks.append((at, at + len(s.text)))
        at += len(s.text)

    def outside(m: re.Match) -> str:
        inside = any(a <= m.start() < b for a, b in blocks)
        return m.group(0) if inside else repl(m)

    return pattern.sub(outside, source)


def _without_statements(source: str) -> str:
    """An MDX page without its `import` and `export` statements, also those over several
    lines (`export const Highlight = ({children}) => (` … `);`), outside code."""
    out: list[str] = []
    fence, depth, inside = "", 0, False
    for line in source.split("\n"):
        m = FENCE.match(line)
        if not inside and fence:
            fence = "" if m and m.group(2).startswith(fence) and not m.group(3).strip() else fence
        elif not inside and m:
            fence = m.group(2)
        elif not inside and STATEMENT.match(line):
            inside, depth = True, 0
        if not inside:
            out.append(line)
            continue
        depth += sum(line.count(c) for c in "([{") - sum(line.count(c) for c in ")]}")
        ended = line.rstrip().endswith(";") or not line.rstrip().endswith(
            ("(", "{", "[", ",", "=>")
        )
        if depth <= 0 and ended:
            inside = False
    return "\n".join(out)


def _lines(source: str) -> str:
    """Fences' options and Tabs, line by line: the lines of a tab lose the indent JSX
    gave them (MDX takes it away; Markdown would read them as code)."""
    out: list[str] = []
    fence, indent = "", None
    in_tab = in_pre = False
    for line in source.split("\n"):
        if not fence and (V_PRE.match(line) or (in_pre and CLOSE.match(line))):
            in_pre = not in_pre
        elif in_pre:
            line = line.replace("{{", HELD)  # VitePress' `::: v-pre`: no Vue inside
        if in_tab and indent is None and line.strip():
            indent = len(line) - len(line.lstrip(" "))
        if in_tab and indent and not TAB_CLOSE.match(line):
            line = line[min(indent, len(line) - len(line.lstrip(" "))) :]
        m = FENCE.match(line)
        if fence:
            if m and m.group(2).startswith(fence) and not m.group(3).strip():
                fence = ""
        elif m:
            fence = m.group(2)
            line = m.group(1) + m.group(2) + _info(m.group(3))
        elif TABS.match(line):
            line = ""
        elif TAB_OPEN.match(line):
            attrs = _attributes(TAB_OPEN.match(line).group(1))
            label = attrs.get("label") or attrs.get("value") or ""
            line, in_tab, indent = (f"\n**{_text(label)}**\n" if label else ""), True, None
        elif TAB_CLOSE.match(line):
            line, in_tab = "", False
        elif HOPE_TAB.match(line):
            tab = HOPE_TAB.match(line)
            line = f"{tab.group(1)}**{_text(tab.group(2))}**\n"
        out.append(line)
    return "\n".join(out)


def _info(info: str) -> str:
    """`ts {2,4-5}`, `sh [npm]`, `js title="app.js" showLineNumbers`, `rust:no-line-numbers`
    -> the language and the options mdsource reads (`title`, `hl_lines`, `linenums`)."""
    if not any(c in info for c in "{[:=") and "showLineNumbers" not in info:
        return info
    language = re.match(r"[\w#+.-]*", info).group()
    language = language.split(":")[0]
    words = []
    title = TITLE.search(info)
    label = LABEL.search(info)
    if title or label:
        words.append(f'title="{(title.group(1) or title.group(2)) if title else label.group(1)}"')
    numbered = NUMBERED.search(info)
    if numbered:
        words.append(f'linenums="{numbered.group(1) or 1}"')
    marked = LINES.search(info)
    if marked:
        words.append(f'hl_lines="{" ".join(mdsource.LINE_RANGE.findall(marked.group(1)))}"')
    rest = TITLE.sub("", LABEL.sub("", LINES.sub("", info[len(language) :])))
    if not words and "=" in rest:
        return info  # a Hugo-style `{linenos=table}` or `title=x`: mdsource reads it
    return " ".join([language, *words]).strip()


def _prose(text: str, article: Article, unknown: dict[str, tuple[str, str]], vue: bool) -> str:
    if vue:
        text = EXPRESSION.sub(lambda m: _expression(m, article, unknown), text)
    text = SIZED.sub(_sized, SIZED_BAR.sub(_sized, text))
    text = BADGE.sub(_badge, text)
    return COMPONENT.sub(lambda m: _component(m, unknown), text)


def _expression(m: re.Match, article: Article, unknown: dict[str, tuple[str, str]]) -> str:
    """`{{ $frontmatter.title }}`: what the site printed, when bookmaker knows it."""
    known = {"title": article.title, "description": article.description or ""}
    key = FRONTMATTER.fullmatch(m.group(1))
    if key and (key.group(1) or "title") in known:
        return html.escape(known[key.group(1) or "title"], quote=False)
    message = f"Vue expression {m.group(0)} left out: bookmaker cannot work it out"
    unknown.setdefault(m.group(0), (m.group(0), message))
    return ""


def _sized(m: re.Match) -> str:
    """vuepress-theme-hope's picture sizes, `![图](/a.png =300x)` and `![图|300x200](/a.png)`:
    the width kept (a picture keeps its height's proportion)."""
    alt, src, width = m.group("alt"), m.group("src"), m.group("width")
    return f"![{alt}]({src})" + (f"{{width={width}}}" if width else "")


def _badge(m: re.Match) -> str:
    """vuepress-theme-hope's and VitePress' `<Badge text="beta" type="tip" />`: its words,
    highlighted, as the page colours them."""
    attrs = _attributes(m.group(1))
    words = _text(attrs.get("text") or re.sub(r"<[^>]*>", "", m.group(2) or ""))
    return f"<mark>{html.escape(words, quote=False)}</mark>" if words else ""


def _component(m: re.Match, unknown: dict[str, tuple[str, str]]) -> str:
    message = f"component <{m.group(1)}> left out (its content kept): a book cannot run it"
    unknown.setdefault(m.group(1), (m.group(0), message))
    return ""


def _attributes(text: str) -> dict[str, str]:
    return {
        m.group(1): next(g for g in m.groups()[1:] if g is not None)
        for m in ATTRIBUTE.finditer(text)
    }


def _text(value: str) -> str:
    return " ".join(value.split())
