"""Liquid text -> rendered text: tags read into blocks, then conditions, loops, `assign`,
`capture` and `{{ output }}` evaluated against a Scope (liquidexpr.py).

A dialect's own tags (Jekyll's `include`, `post_url`) are its `Run.tags`; any other tag
is left out and named in `Run.dropped`. Loops and captures are bounded, so no input makes
an article grow without end.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import mdsource
from .liquidexpr import Scope, Unsupported, condition, text, value_of

TOKEN = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}|\{\{(?![<%])-?\s*(.*?)\s*-?\}\}", re.S)
FOR = re.compile(r"^([\w-]+)\s+in\s+(\([^)]*\)|\S+)(.*)$", re.S)
FOR_OPTION = re.compile(r"(limit|offset)\s*:\s*(\S+)|(reversed)")
ASSIGN = re.compile(r"^([\w-]+)\s*=\s*(.+)$", re.S)
# Block tag -> (its end tag, the tags that start another branch of it)
BLOCKS = {
    "if": ("endif", ("elsif", "else")),
    "unless": ("endunless", ("elsif", "else")),
    "case": ("endcase", ("when", "else")),
    "for": ("endfor", ("else",)),
    "capture": ("endcapture", ()),
}
MAX_BLOCK_DEPTH = 32
# What loops and includes may add to one article: `(1..1000000)` stays a few pages.
MAX_REPEATS = 10_000
MAX_GROWTH = 2_000_000  # characters


@dataclass(frozen=True)
class Token:
    raw: str  # as written: found in the article for the line of a warning
    name: str  # the tag's name; "" for `{{ output }}`
    args: str  # the tag's arguments, or the output's expression


@dataclass
class Block:
    """`{% if %}…{% elsif %}…{% else %}…{% endif %}` and the like: each branch's tag, content."""

    branches: list[tuple[Token, list]]


@dataclass
class Run:
    """One article's rendering under way."""

    scope: Scope
    warnings: list[tuple[str, str]]  # (text to find in the article for the line, message)
    # A dialect's own tags: the text a tag prints, or None when it is not one of them.
    tags: Callable[[Token, Run], str | None] = lambda token, run: None
    dropped: dict[str, str] = field(default_factory=dict)  # tags left out -> where first
    where: str | None = None  # the include tag whose file is being read: the line to name
    loops: int = 0
    repeats: int = 0
    grown: int = 0  # characters loops and includes printed
    interrupt: str | None = None  # `break` or `continue`, on its way to its loop

    def needle(self, token: Token) -> str:
        return self.where or token.raw

    def grow(self, text: str, token: Token) -> bool:
        """Count what a loop or include printed; False (warned once) past the limits."""
        self.grown += len(text)
        if self.grown <= MAX_GROWTH and self.repeats <= MAX_REPEATS:
            return True
        if self.grown < 2**62:
            message = "loops and includes print too much: the rest of them left out"
            self.warnings.append((self.needle(token), message))
            self.grown = 2**62
        return False


# --- reading: text -> tokens -> a tree of blocks --------------------------------------------


def tokens(text: str, prose_only: bool) -> list[str | Token]:
    """Text and tags in order; code (in an article, not in an include file) is text."""
    parts = mdsource.segments(text) if prose_only else [mdsource.Segment(False, text, 0)]
    out: list[str | Token] = []
    for part in parts:
        if part.code:
            out.append(part.text)
            continue
        pos = 0
        for m in TOKEN.finditer(part.text):
            out.append(part.text[pos : m.start()])
            name, args = (m.group(1), m.group(2).strip()) if m.group(1) else ("", m.group(3))
            out.append(Token(m.group(0), name, args))
            pos = m.end()
        out.append(part.text[pos:])
    return _trim(out)


def _trim(tokens: list[str | Token]) -> list[str | Token]:
    """`{%-` and `-%}` take the whitespace (newlines too) on their side, as in Liquid."""
    for i, token in enumerate(tokens):
        if not isinstance(token, Token):
            continue
        if token.raw[2] == "-" and i and isinstance(tokens[i - 1], str):
            tokens[i - 1] = tokens[i - 1].rstrip()  # type: ignore[union-attr]
        if token.raw[-3] == "-" and i + 1 < len(tokens) and isinstance(tokens[i + 1], str):
            tokens[i + 1] = tokens[i + 1].lstrip()  # type: ignore[union-attr]
    return tokens


def parse(tokens: list[str | Token], run: Run) -> list:
    root: list = []
    stack: list[Block] = []
    too_deep: list[str] = []  # the end tags of blocks nested too deep, whose tags are dropped
    for token in tokens:
        here = stack[-1].branches[-1][1] if stack else root
        opening = stack[-1].branches[0][0].name if stack else ""
        if isinstance(token, Token) and _too_deep(token, stack, too_deep, run):
            continue
        if isinstance(token, Token) and token.name in BLOCKS:
            block = Block([(token, [])])
            here.append(block)
            stack.append(block)
        elif isinstance(token, Token) and opening and token.name in BLOCKS[opening][1]:
            stack[-1].branches.append((token, []))
        elif isinstance(token, Token) and opening and token.name == BLOCKS[opening][0]:
            stack.pop()
        else:
            here.append(token)  # a stray `{% endif %}` is left out as an unknown tag
    while stack:  # never closed: its tags are left out, everything in it is kept
        block = stack.pop()
        parent = stack[-1].branches[-1][1] if stack else root
        parent.pop()
        for _, children in block.branches:
            parent.extend(children)
        name = block.branches[0][0].name
        message = f"{{% {name} %}} without {{% {BLOCKS[name][0]} %}}: all of it kept"
        run.warnings.append((block.branches[0][0].raw, message))
    return root


def _too_deep(token: Token, stack: list[Block], too_deep: list[str], run: Run) -> bool:
    """Blocks nested past MAX_BLOCK_DEPTH lose their tags (their content stays), so that
    hostile nesting cannot exhaust the stack."""
    if token.name in BLOCKS and len(stack) >= MAX_BLOCK_DEPTH:
        if not too_deep:
            message = f"Liquid blocks nested deeper than {MAX_BLOCK_DEPTH}: their tags left out"
            run.warnings.append((run.needle(token), message))
        too_deep.append(BLOCKS[token.name][0])
        return True
    if too_deep and token.name == too_deep[-1]:
        too_deep.pop()
        return True
    return bool(too_deep) and token.name in ("elsif", "else", "when")


# --- rendering ------------------------------------------------------------------------------


def render(nodes: list, run: Run) -> str:
    out: list[str] = []
    for node in nodes:
        if run.interrupt:
            break
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, Block):
            out.append(BLOCK_RENDERERS[node.branches[0][0].name](node, run))
        elif node.name:
            out.append(_tag(node, run))
        else:
            out.append(_output(node, run))
    return "".join(out)


def _if(block: Block, run: Run) -> str:
    for token, children in block.branches:
        if token.name == "else" or _condition(token, run) != (token.name == "unless"):
            return render(children, run)
    return ""


def _condition(token: Token, run: Run) -> bool:
    try:
        return condition(token.args, run.scope, run.needle(token))
    except Unsupported:
        run.scope.guessed.setdefault(f"{{% {token.name} {token.args} %}}", run.needle(token))
        return False


def _case(block: Block, run: Run) -> str:
    opening, *branches = block.branches
    subject = value(opening[0].args, opening[0], run)
    out, matched = [], False
    for token, children in branches:
        if token.name == "else":
            if not matched:
                out.append(render(children, run))
            continue
        values = re.split(r"\s*,\s*|\s+or\s+", token.args.strip())
        if any(value(v, token, run) == subject for v in values):
            matched = True  # Liquid shows every `when` that matches
            out.append(render(children, run))
    return "".join(out)


def value(expr: str, token: Token, run: Run) -> object:
    try:
        return value_of(expr, run.scope, run.needle(token))
    except Unsupported:
        run.scope.guessed.setdefault(expr, run.needle(token))
        return None


def _for(block: Block, run: Run) -> str:
    (opening, body), *rest = block.branches
    items = _items(opening, run)
    if items is None:
        return ""
    if not items:
        return render(rest[0][1], run) if rest else ""
    name = FOR.match(opening.args).group(1)  # type: ignore[union-attr]
    saved = {k: run.scope.variables.get(k) for k in (name, "forloop")}
    out: list[str] = []
    run.loops += 1
    for index, item in enumerate(items):
        run.repeats += 1
        run.scope.variables[name] = item
        run.scope.variables["forloop"] = _forloop(index, len(items))
        out.append(render(body, run))
        if not run.grow(out[-1], opening):
            out.pop()
            break
        if run.interrupt == "break":
            run.interrupt = None
            break
        run.interrupt = None
    run.loops -= 1
    run.scope.variables.update(saved)
    return "".join(out)


def _items(opening: Token, run: Run) -> list | None:
    """What `{% for x in … %}` goes through; None (with a warning) if bookmaker cannot know."""
    m = FOR.match(opening.args)
    where = run.needle(opening)
    if m is None:
        return drop(run, "for", where) or None
    guessed = len(run.scope.guessed)
    options = {k or "reversed": v for k, v, _ in FOR_OPTION.findall(m.group(3))}
    try:
        found = value_of(m.group(2), run.scope, where)
        limits = {k: value_of(v, run.scope, where) for k, v in options.items() if v}
    except Unsupported:
        run.scope.guessed.setdefault(m.group(2), where)
    if len(run.scope.guessed) > guessed:
        for name in list(run.scope.guessed)[guessed:]:
            del run.scope.guessed[name]  # this warning says it better
        message = f"{{% for %}} over {m.group(2)} left out: not known to bookmaker"
        run.warnings.append((where, message))
        return None
    offset = limits.get("offset", 0)
    limit = limits.get("limit")
    start = offset if isinstance(offset, int) else 0
    end = start + limit if isinstance(limit, int) else None
    items = _sequence(found)[start:end]
    return items[::-1] if "reversed" in options else items


def _sequence(found: object) -> list:
    if found is None:
        return []
    if isinstance(found, dict):
        return [[k, v] for k, v in found.items()]
    if isinstance(found, list | tuple | range):
        return list(found[: MAX_REPEATS + 1])  # type: ignore[index]
    return [found]


def _forloop(index: int, length: int) -> dict[str, object]:
    return {
        "index": index + 1,
        "index0": index,
        "rindex": length - index,
        "rindex0": length - index - 1,
        "first": index == 0,
        "last": index == length - 1,
        "length": length,
    }


def _capture(block: Block, run: Run) -> str:
    opening, children = block.branches[0]
    captured = render(children, run)
    if run.grow(captured, opening):  # a capture doubling itself in a loop stops here
        run.scope.variables[opening.args.split()[0] if opening.args else "_"] = captured
    return ""


BLOCK_RENDERERS = {"if": _if, "unless": _if, "case": _case, "for": _for, "capture": _capture}


def _tag(token: Token, run: Run) -> str:
    name, args = token.name, token.args
    shown = run.tags(token, run)
    if shown is not None:
        return shown
    if name == "assign" and ASSIGN.match(args):
        _assign(token, run)
        return ""
    if name in ("break", "continue") and run.loops:
        run.interrupt = name
        return ""
    return drop(run, name, run.needle(token))


def _assign(token: Token, run: Run) -> None:
    m = ASSIGN.match(token.args)
    name, expr = m.group(1), m.group(2)  # type: ignore[union-attr]
    guessed = len(run.scope.guessed)
    try:
        value = value_of(expr, run.scope, run.needle(token))
    except Unsupported:
        run.dropped.setdefault("assign", run.needle(token))
        value = None
    if len(run.scope.guessed) > guessed:
        run.scope.variables.pop(name, None)  # unknown too: its uses are reported as guessed
    else:
        run.scope.variables[name] = value


def _output(token: Token, run: Run) -> str:
    guessed = len(run.scope.guessed)
    try:
        value = value_of(token.args, run.scope, run.needle(token))
        shown = text(value)
    except Unsupported:
        shown = None
    if shown is None or len(run.scope.guessed) > guessed:
        for name in list(run.scope.guessed)[guessed:]:
            del run.scope.guessed[name]
        return drop(run, "{{ " + token.args.split("|")[0].strip() + " }}", run.needle(token))
    return shown


def drop(run: Run, name: str, needle: str) -> str:
    run.dropped.setdefault(name, needle)
    return ""
