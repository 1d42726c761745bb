"""An article's text -> its front matter (YAML `---` or TOML `+++`), its body and the body's line.

YAML is loaded with the safe loader only, and its node graph is measured before any Python
object is built, so an alias bomb costs a few milliseconds instead of all the memory. Text
fields (`title: no`, `title: 1.10`) keep the characters the author wrote rather than what
YAML's implicit typing made of them. Errors name the line in the file, not in the block.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field

import yaml

from .errors import ContentError

MAX_FRONT_CHARS = 256 * 1024  # far beyond any real front matter
MAX_NODES = 20_000  # YAML nodes after expanding aliases
MAX_DEPTH = 50
# Fields that are text whatever they look like; YAML would make `no` False and `2025` an int.
TEXT_KEYS = frozenset(
    {
        "title",
        "subtitle",
        "description",
        "summary",
        "excerpt",
        "slug",
        "permalink",
        "url",
        "lang",
        "language",
        "author",
        "date",
        "publishdate",
        "pubdate",
        "category",
        "layout",
        "abbrlink",  # hexo-abbrlink's hex `00112233` would be read as an octal number
    }
)
LIST_KEYS = frozenset({"tags", "categories", "aliases", "keywords", "redirect_from"})
LANGUAGE_KEYS = frozenset({"lang", "language"})  # an article's own language (BCP 47)
# What textio removes from the raw text, and what XML cannot hold at all: YAML and TOML
# escapes (`"a\x1bb"`, `"\u0007"`) make them again after decoding, and one in a title or a
# tag stopped the EPUB's navigation from being written.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff\ud800-\udfff]")

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


@dataclass(frozen=True)
class Front:
    meta: dict  # the front matter; text fields as written
    body: str  # everything after the closing fence
    body_line: int  # 1-based line of the file where `body` starts
    kind: str = ""  # "yaml" | "toml" | "" (none)
    lines: dict = field(default_factory=dict)  # top-level key -> its line in the file
    warnings: tuple[tuple[int, str], ...] = ()  # (line in the file, message)


def split(text: str, rel: str = "") -> Front:
    """Separate front matter from the body; ContentError (with the file line) if it is broken."""
    first, _, rest = text.partition("\n")
    fence = first.rstrip()
    if fence not in ("---", "+++"):
        return Front({}, text, 1)
    closers = ("---", "...") if fence == "---" else ("+++",)
    block, body, body_line = _block(rest, closers, rel, fence)
    if fence == "---":
        meta, lines = _yaml(block, rel)
        kind = "yaml"
    else:
        meta, lines, kind = _toml(block, rel), _toml_lines(block), "toml"
    meta, warnings = _safe_meta(meta, lines)
    meta, bad_language = _without_bad_language(meta, lines)
    return Front(meta, body, body_line, kind, lines, warnings + bad_language)


def load_yaml(text: str, rel: str) -> dict:
    """A whole YAML file (a site's `_config.yml`) with the same safety limits; {} when empty."""
    meta, lines = _yaml(text, rel, first_line=1, what="it")
    return _safe_meta(meta, lines)[0]


def _safe_meta(meta: dict, lines: dict) -> tuple[dict, tuple[tuple[int, str], ...]]:
    """`meta` with control characters removed from every text in it, and one warning."""
    removed: list[str] = []
    first_key = None
    cleaned = {}
    for key, value in meta.items():
        before = len(removed)
        cleaned[_safe(key, removed)] = _safe(value, removed)
        if first_key is None and len(removed) > before:
            first_key = key
    if not removed:
        return meta, ()
    message = (
        f"removed {len(removed)} control character(s) from the front matter "
        f"(first: {removed[0]!r} in `{first_key}`)"
    )
    return cleaned, ((lines.get(first_key, 1), message),)


def _without_bad_language(meta: dict, lines: dict) -> tuple[dict, tuple[tuple[int, str], ...]]:
    """`meta` without a `lang`/`language` that is no language tag, and a warning for each.

    It would become the article's xml:lang (an invalid EPUB) and pick its fonts and
    typography; without it the article is in the book's language.
    """
    tags = {
        key: str(value).strip()
        for key, value in meta.items()
        if str(key).lower() in LANGUAGE_KEYS and isinstance(value, str | int | float)
    }
    if not any(tags.values()):
        return meta, ()
    from .check import language_problem  # (it loads lxml: only for articles that say)

    meta, bad = dict(meta), {}
    for key, tag in tags.items():
        problem = language_problem(tag) if tag else None
        if problem and problem[0] == "error" and not language_problem(tag.replace("_", "-")):
            meta[key] = tag.replace("_", "-")  # zh_TW, as locales are written: zh-TW
        elif problem and problem[0] == "error":
            del meta[key]
            bad[key] = (
                lines.get(key, 1),
                f"`{key}` {tag!r} is not a language tag such as zh-CN, zh-TW, ja or en: "
                "the article is in the book's language",
            )
    return meta, tuple(bad.values())


def _safe(value, removed: list[str]):
    """`value` with UNSAFE characters taken out of every string in it, recording them."""
    if isinstance(value, str):
        found = UNSAFE.findall(value)
        removed.extend(found)
        return UNSAFE.sub("", value) if found else value
    if isinstance(value, list):
        return [_safe(v, removed) for v in value]
    if isinstance(value, dict):
        return {_safe(k, removed): _safe(v, removed) for k, v in value.items()}
    return value


def _block(rest: str, closers: tuple[str, ...], rel: str, fence: str) -> tuple[str, str, int]:
    """The front matter block (between the fences), the body, and the body's first line."""
    offset = 0
    number = 2  # line 1 is the opening fence
    while offset <= len(rest):
        end = rest.find("\n", offset)
        end = len(rest) if end < 0 else end
        if rest[offset:end].rstrip() in closers:
            return rest[:offset], rest[end + 1 :], number + 1
        if offset > MAX_FRONT_CHARS:
            raise ContentError(rel, f"front matter longer than {MAX_FRONT_CHARS // 1024} KB", 1)
        offset = end + 1
        number += 1
    raise ContentError(rel, f"front matter opened with `{fence}` is never closed", 1)


def _yaml(
    block: str, rel: str, first_line: int = 2, what: str = "front matter"
) -> tuple[dict, dict]:
    loader = _Loader(block)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        if "*" in block:  # without aliases the size is bounded by MAX_FRONT_CHARS already
            _check_size(node, rel)
        _as_written(node)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        line, message = _yaml_error(exc, block, first_line)
        raise ContentError(rel, f"{what} is not valid YAML: {message}", line) from None
    except RecursionError:
        raise ContentError(rel, f"{what} is nested too deeply", first_line) from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        # Constructors raise plain errors too (`2025-13-01` is a YAML timestamp out of range).
        raise ContentError(rel, f"{what} is not valid YAML: {exc}", first_line) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ContentError(rel, "front matter must be `key: value` pairs", first_line)
    lines = {
        k.value: k.start_mark.line + first_line
        for k, _ in node.value
        if isinstance(k, yaml.ScalarNode)
    }
    return data, lines


def _yaml_error(exc: yaml.MarkedYAMLError, block: str, first_line: int) -> tuple[int, str]:
    """The file line to blame: where YAML noticed, unless that is only the end of the block."""
    problem, context = exc.problem_mark, exc.context_mark
    message = exc.problem or str(exc)
    if context is not None and exc.context:
        message += f" ({exc.context} on line {context.line + first_line})"
    at_end = problem is None or problem.line >= block.count("\n")
    mark = context if at_end and context is not None else problem or context
    return (mark.line + first_line if mark else first_line), message


def _as_written(root: yaml.Node) -> None:
    """Tag text fields as strings before they are built, so `title: no` stays "no"."""
    if not isinstance(root, yaml.MappingNode):
        return
    for key, value in root.value:
        name = key.value.lower() if isinstance(key, yaml.ScalarNode) else ""
        if name in TEXT_KEYS:
            _retag(value)
        elif name in LIST_KEYS:
            items = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for item in items:
                _retag(item)


def _retag(node: yaml.Node) -> None:
    # An empty plain scalar (`title:`) is YAML null; keep it null so it reads as "missing".
    if isinstance(node, yaml.ScalarNode) and (node.value != "" or node.style):
        node.tag = "tag:yaml.org,2002:str"


def _check_size(root: yaml.Node, rel: str) -> None:
    """Refuse documents whose aliases would expand beyond MAX_NODES, before building them."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node, depth: int = 0) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise ContentError(rel, "front matter refers to itself (recursive YAML alias)", 1)
        if depth > MAX_DEPTH:
            raise ContentError(rel, f"front matter nested deeper than {MAX_DEPTH} levels", 1)
        active.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        active.discard(key)
        if total > MAX_NODES:
            raise ContentError(
                rel, f"front matter expands to more than {MAX_NODES} values (YAML aliases)", 1
            )
        sizes[key] = total
        return total

    size(root)


def _toml(block: str, rel: str) -> dict:
    try:
        return tomllib.loads(block)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_LINE.search(message)
        line = int(found[1]) + 1 if found else 1
        message = _TOML_LINE.sub("", message).strip()
        raise ContentError(rel, f"front matter is not valid TOML: {message}", line) from None


def _toml_lines(block: str) -> dict:
    lines = {}
    for number, line in enumerate(block.split("\n"), start=2):
        key, sep, _ = line.partition("=")
        if sep and not line.startswith((" ", "\t", "[")):
            lines.setdefault(key.strip().strip("\"'"), number)
    return lines
