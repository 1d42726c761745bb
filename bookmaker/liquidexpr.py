"""A Liquid expression -> its value: literals, variables, comparisons and the common filters.

A variable bookmaker cannot know (a front-matter key it does not keep, `site.posts`) is
nil, as Liquid takes an undefined one; `Scope.guessed` records it, so that the article's
warning says what was guessed. What this module cannot evaluate at all (an unknown
filter, a syntax it does not read) raises `Unsupported`, for liquid.py to leave the piece
out with a warning.
"""

from __future__ import annotations

import html
import operator
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import quote

TOKEN = re.compile(
    r"""\s*(?:
      (?P<string>"[^"]*"|'[^']*')
    | (?P<range>\(\s*[^()\s]+?\s*\.\.\s*[^()\s]+?\s*\))
    | (?P<number>-?\d+(?:\.\d+)?)(?![\w.])
    | (?P<op>==|!=|<>|<=|>=|<|>)
    | (?P<path>[A-Za-z_][\w-]*\??(?:\.[\w-]+\??|\[[^\]]*\])*)
    | (?P<punct>[|:,])
    )""",
    re.X,
)
PATH_PART = re.compile(r"\.?([\w-]+\??)|\[([^\]]*)\]")
KEYWORDS = {"true": True, "false": False, "nil": None, "null": None}
# Variables bookmaker holds only part of: a key it lacks may well be set on the blog.
PARTIAL = frozenset({"site", "page"})
MONTHS = (
    "January February March April May June July August September October November December".split()
)
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
STRFTIME_NAMES = re.compile(r"%([-^]?)([bBaAh])")
HTML_TAG = re.compile(r"<[^>]*>")
MAX_TEXT = 1_000_000  # characters in one value
ORDER = {"<": operator.lt, ">": operator.gt, "<=": operator.le, ">=": operator.ge}
_md = None  # one Python-Markdown instance for `markdownify`, built on first use


class Unsupported(Exception):
    """An expression or filter bookmaker does not evaluate; `args[0]` names it."""


class _Special:
    """Liquid's `empty` and `blank`, which compare equal to more than one value."""

    def __init__(self, name: str):
        self.name = name

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str) and self.name == "blank":
            return not other.strip()
        if other is None or other is False:
            return self.name == "blank"
        return isinstance(other, str | list | tuple | dict) and len(other) == 0

    __hash__ = object.__hash__


EMPTY, BLANK = _Special("empty"), _Special("blank")


@dataclass
class Scope:
    """The variables an article's Liquid sees, and what had to be guessed."""

    variables: dict[str, object]
    guessed: dict[str, str] = field(default_factory=dict)  # name -> where first used

    def lookup(self, path: str, where: str) -> object:
        parts = [self._key(name, bracket, where) for name, bracket in PATH_PART.findall(path)]
        value: object = self.variables
        for i, key in enumerate(parts):
            found, value = _item(value, key)
            if not found:
                if i == 0 or (i == 1 and parts[0] in PARTIAL):
                    self.guessed.setdefault(path, where)
                return None
        return value

    def _key(self, name: str, bracket: str, where: str) -> object:
        if name:
            return name
        return value_of(bracket.strip(), self, where)


def value_of(expr: str, scope: Scope, where: str) -> object:
    """The value of `expr` with its filters applied (`{{ expr }}`, `assign`, arguments)."""
    tokens = _tokens(expr)
    pieces = _split(tokens, ("punct", "|"))
    value = _operand(pieces[0], scope, where)
    for piece in pieces[1:]:
        value = _filter(value, piece, scope, where)
    return value


def condition(expr: str, scope: Scope, where: str) -> bool:
    """`a == 1 and b contains "x" or c`, grouped from the right as Liquid does."""
    tokens = _tokens(expr)
    parts: list[list[tuple[str, str]]] = [[]]
    joins: list[str] = []
    for token in tokens:
        if token[0] == "path" and token[1] in ("and", "or"):
            joins.append(token[1])
            parts.append([])
        else:
            parts[-1].append(token)
    results = [_comparison(part, scope, where) for part in parts]
    verdict = results[-1]
    for result, join in zip(reversed(results[:-1]), reversed(joins), strict=True):
        verdict = (result and verdict) if join == "and" else (result or verdict)
    return verdict


def truthy(value: object) -> bool:
    return value is not None and value is not False


def text(value: object) -> str:
    """A value as `{{ }}` prints it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S %z").rstrip()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | range):
        return "".join(text(v) for v in value)
    if isinstance(value, dict):
        if "name" in value:  # `site.author` as a theme's author card: the name is what shows
            return text(value["name"])
        raise Unsupported("a map")
    if isinstance(value, _Special):
        return ""
    return str(value)


def site_path(value: object) -> str:
    """`relative_url`/`absolute_url`: a site-relative path (links.py and the image store take
    these as the site's own; the blog's baseurl and host are not part of a book)."""
    if value is None:
        return ""  # as Jekyll: nothing to point at
    path = text(value)
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//|^#", path):
        return path
    return "/" + path.lstrip("/")


def _tokens(expr: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    expr = expr.strip()
    pos = 0
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        if m is None:
            raise Unsupported(expr)
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    if not out:
        raise Unsupported(expr)
    return out


def _split(tokens: list[tuple[str, str]], sep: tuple[str, str]) -> list[list[tuple[str, str]]]:
    pieces: list[list[tuple[str, str]]] = [[]]
    for token in tokens:
        if token == sep:
            pieces.append([])
        else:
            pieces[-1].append(token)
    return pieces


def _operand(tokens: list[tuple[str, str]], scope: Scope, where: str) -> object:
    if len(tokens) != 1:
        raise Unsupported(" ".join(t for _, t in tokens))
    kind, word = tokens[0]
    if kind == "string":
        return word[1:-1]
    if kind == "number":
        return float(word) if "." in word else int(word)
    if kind == "range":
        low, high = (value_of(v, scope, where) for v in word[1:-1].split(".."))
        if not isinstance(low, int) or not isinstance(high, int):
            raise Unsupported(word)
        return range(low, high + 1)
    if kind != "path":
        raise Unsupported(word)
    if word in KEYWORDS:
        return KEYWORDS[word]
    if word in ("empty", "blank"):
        return EMPTY if word == "empty" else BLANK
    return scope.lookup(word, where)


def _comparison(tokens: list[tuple[str, str]], scope: Scope, where: str) -> bool:
    ops = [i for i, t in enumerate(tokens) if t[0] == "op" or t == ("path", "contains")]
    if not ops:
        return truthy(_operand(tokens, scope, where))
    at = ops[0]
    left = _operand(tokens[:at], scope, where)
    right = _operand(tokens[at + 1 :], scope, where)
    return _compare(left, tokens[at][1], right)


def _compare(left: object, op: str, right: object) -> bool:
    if op == "==":
        return _equal(left, right)
    if op in ("!=", "<>"):
        return not _equal(left, right)
    if op == "contains":
        if isinstance(left, str):
            return right is not None and text(right) in left
        return isinstance(left, list | tuple | dict | range) and right in left
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (left, right))
    if not numbers and not (isinstance(left, str) and isinstance(right, str)):
        return False  # Liquid refuses to order these; nothing is shown
    return ORDER[op](left, right)


def _equal(left: object, right: object) -> bool:
    if isinstance(right, _Special):
        return right == left
    if isinstance(left, _Special):
        return left == right
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right  # in Liquid, 1 is not true
    return left == right


def _filter(value: object, tokens: list[tuple[str, str]], scope: Scope, where: str) -> object:
    if not tokens or tokens[0][0] != "path":
        raise Unsupported("|")
    name = tokens[0][1]
    if name not in FILTERS:
        raise Unsupported(f"filter {name}")
    args = []
    if len(tokens) > 1:
        if tokens[1] != ("punct", ":"):
            raise Unsupported(f"filter {name}")
        for arg in _split(tokens[2:], ("punct", ",")):
            if len(arg) >= 2 and arg[1] == ("punct", ":"):
                continue  # a named argument (`truncate: 20, omission: "…"`): not used
            args.append(_operand(arg, scope, where))
    try:
        result = FILTERS[name](value, *args)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        raise Unsupported(f"filter {name}") from None
    if isinstance(result, str) and len(result) > MAX_TEXT:  # `append` doubling in a loop
        raise Unsupported(f"filter {name}")
    return result


def _item(value: object, key: object) -> tuple[bool, object]:
    if isinstance(value, dict):
        if key in value:
            return True, value[key]
        return (True, len(value)) if key == "size" else (False, None)
    if isinstance(value, list | tuple | range | str):
        if isinstance(key, int) and -len(value) <= key < len(value):
            return True, value[key]
        if key == "size":
            return True, len(value)
        if key in ("first", "last") and len(value) and not isinstance(value, str):
            return True, value[0 if key == "first" else -1]
        return True, None  # an item a list does not have is nil, as in Liquid
    return value is not None, None


def _date(value: object, fmt: object = "") -> str:
    when = _as_date(value)
    fmt = text(fmt)
    if not fmt:
        return text(when)

    def name(m: re.Match) -> str:
        flag, code = m.groups()
        day = code in "aA"
        full = DAYS[when.weekday()] if day else MONTHS[when.month - 1]
        shown = full[:3] if code in "abh" else full
        return shown.upper() if flag == "^" else shown

    # The names in English whatever the machine's locale, as Jekyll prints them.
    return when.strftime(STRFTIME_NAMES.sub(lambda m: name(m).replace("%", "%%"), fmt))


def _as_date(value: object) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip() not in ("now", "today", ""):
        return datetime.fromisoformat(value.strip().replace(" +", "+").replace(" -", "-"))
    # "now" is the day the blog was built: a book built again must read the same.
    raise Unsupported("date of now")


def _markdownify(value: object) -> str:
    global _md
    if _md is None:
        import markdown

        _md = markdown.Markdown(output_format="xhtml")
    return _md.reset().convert(text(value))


def _truncate(value: object, length: object = 50, ellipsis: object = "...") -> str:
    s, n, tail = text(value), int(length), text(ellipsis)  # type: ignore[call-overload]
    return s if len(s) <= n else s[: max(0, n - len(tail))] + tail


def _number(value: object) -> int | float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    s = text(value).strip()
    return float(s) if "." in s else int(s or 0)


def _sequence(value: object) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple | range) else [value]


FILTERS = {
    # Jekyll's: addresses stay site-relative (see `site_path`), dates print in English.
    "relative_url": lambda v: site_path(v),
    "absolute_url": lambda v: site_path(v),
    "markdownify": _markdownify,
    "date_to_string": lambda v, *_: _date(v, "%d %b %Y"),
    "date_to_long_string": lambda v, *_: _date(v, "%d %B %Y"),
    "date_to_xmlschema": lambda v: _as_date(v).isoformat(),
    "smartify": lambda v: v,  # the typography pass sets the quotes
    "xml_escape": lambda v: html.escape(text(v)),
    # Liquid's own.
    "date": _date,
    "default": lambda v, d="", *_: d if v is None or v is False or v == EMPTY else v,
    "prepend": lambda v, a="": text(a) + text(v),
    "append": lambda v, a="": text(v) + text(a),
    "escape": lambda v: html.escape(text(v)),
    "escape_once": lambda v: html.escape(html.unescape(text(v))),
    "url_encode": lambda v: quote(text(v), safe=""),
    "strip_html": lambda v: HTML_TAG.sub("", text(v)),
    "strip_newlines": lambda v: text(v).replace("\r", "").replace("\n", ""),
    "newline_to_br": lambda v: text(v).replace("\n", "<br />\n"),
    "upcase": lambda v: text(v).upper(),
    "downcase": lambda v: text(v).lower(),
    "capitalize": lambda v: text(v)[:1].upper() + text(v)[1:],
    "strip": lambda v: text(v).strip(),
    "lstrip": lambda v: text(v).lstrip(),
    "rstrip": lambda v: text(v).rstrip(),
    "replace": lambda v, a, b="": text(v).replace(text(a), text(b)),
    "replace_first": lambda v, a, b="": text(v).replace(text(a), text(b), 1),
    "remove": lambda v, a: text(v).replace(text(a), ""),
    "remove_first": lambda v, a: text(v).replace(text(a), "", 1),
    "truncate": _truncate,
    "truncatewords": lambda v, n=15, tail="...": (
        " ".join(text(v).split()[: int(n)]) + (tail if len(text(v).split()) > int(n) else "")
    ),
    "split": lambda v, sep: text(v).split(text(sep)) if text(sep) else list(text(v)),
    "join": lambda v, sep=" ": text(sep).join(text(x) for x in _sequence(v)),
    "first": lambda v: _item(v, "first")[1],
    "last": lambda v: _item(v, "last")[1],
    "size": lambda v: len(v) if isinstance(v, str | list | tuple | dict | range) else 0,
    "reverse": lambda v: _sequence(v)[::-1],
    "sort": lambda v, *_: sorted(_sequence(v), key=text),
    "uniq": lambda v: list(dict.fromkeys(_sequence(v))),
    "compact": lambda v: [x for x in _sequence(v) if x is not None],
    "plus": lambda v, n: _number(v) + _number(n),
    "minus": lambda v, n: _number(v) - _number(n),
    "times": lambda v, n: _number(v) * _number(n),
    "divided_by": lambda v, n: (
        _number(v) // _number(n) if isinstance(_number(n), int) else _number(v) / _number(n)
    ),
    "modulo": lambda v, n: _number(v) % _number(n),
    "abs": lambda v: abs(_number(v)),
}
