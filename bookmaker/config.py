"""bookmaker.toml -> a frozen Config; unknown keys and wrong types name file, table and key.

Precedence: built-in defaults < bookmaker.toml < command-line flags (`Config.override`).
Paths in the file are relative to the file's folder; `Config.base` is that folder (or the
current folder when there is no file).
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path

from .cjk import CONVERT_TARGET
from .errors import ConfigError

CONFIG_NAME = "bookmaker.toml"
# Control characters, and what XML cannot hold: TOML escapes (`"bad\u0007title"`) write them,
# and one in the book's title stopped the EPUB's navigation from being written.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")
# Whole numbers that mean nothing, or harm, outside these bounds (inclusive; None: no upper
# bound): `epub_max = -5` made every picture 1×1 px, `port = 99999` a traceback.
RANGES: dict[tuple[str, str], tuple[int, int | None]] = {
    ("images", "epub_max"): (1, None),
    ("images", "max_pixels"): (1, None),
    ("epub", "split_kb"): (1, None),
    ("pdf", "chunk_pages"): (0, None),  # 0: one document
    ("serve", "port"): (0, 65535),  # 0: any free port
    ("send", "smtp_port"): (1, 65535),
}


def choice(default, *choices):
    """A field whose value must be one of `choices` (listed in the error message)."""
    return field(default=default, metadata={"choices": choices})


@dataclass(frozen=True)
class BookConfig:
    title: str = ""  # empty: taken from the site's config, else the folder name
    subtitle: str = ""
    author: str = ""
    author_file_as: str = ""
    language: str = "zh-CN"
    identifier: str = ""  # empty: a urn:uuid derived from title and author
    publisher: str = ""
    description: str = ""
    rights: str = ""
    cover: str = ""  # path to an image, relative to the config file
    timezone: str = "+08:00"  # for dates written without an offset


@dataclass(frozen=True)
class ContentConfig:
    dirs: tuple[str, ...] = ()  # empty: detected (Jekyll _posts, Hugo content, ./content)
    site_root: str = ""  # empty: detected; where `/img/x.png` resolves
    include: tuple[str, ...] = ()  # globs relative to a content dir; empty: every .md/.markdown
    exclude: tuple[str, ...] = ()
    drafts: bool = False
    future: bool = False
    tags: tuple[str, ...] = ()  # keep only articles with one of these tags
    categories: tuple[str, ...] = ()
    since: str = ""  # YYYY-MM-DD, inclusive
    until: str = ""  # YYYY-MM-DD, inclusive
    undated: str = choice("error", "error", "end")
    encoding: str = ""  # force an input encoding (e.g. gb18030) instead of detecting
    footers: bool = False  # keep the footer several articles end with ("unsubscribe", …)


@dataclass(frozen=True)
class ChaptersConfig:
    # auto: months, or years for a blog that posts less than three times a month
    group: str = choice("auto", "auto", "month", "year", "year/month", "tag", "category", "none")
    order: str = choice("oldest", "oldest", "newest")


@dataclass(frozen=True)
class OutputConfig:
    dir: str = "build"
    name: str = ""  # file stem; empty: the title's ASCII, else the folder's, else book-<hash>
    cache_dir: str = ".bookmaker-cache"  # relative to the config file
    cache: bool = True  # false: neither read nor write the cache (a temporary one is used)


@dataclass(frozen=True)
class TypographyConfig:
    convert: str = ""  # OpenCC config: "s2t", "s2twp", "t2s", "s2hk", "tw2sp", …
    quotes: str = choice("auto", "auto", "curly", "corner")  # auto: by profile
    spacing: bool = True  # ¼ em between Han and Latin
    compression: bool = True  # adjacent full-width punctuation set to 1.5 em
    strict: bool = False  # strict line-start rules (—— and …… never start a line)
    indent: bool = True  # 2 em first-line indent, no space between paragraphs
    trim: bool = True  # GB/T 15834 §5.1.10: punctuation half-width at line ends and starts
    justify: bool = True


@dataclass(frozen=True)
class ImagesConfig:
    epub_max: int = 1600  # long side, pixels
    grayscale: bool = False  # for e-ink
    fetch_remote: bool = False  # download remote images (never without this)
    max_pixels: int = 40_000_000
    covers: bool = True  # a post's cover picture from front matter, at the top of the article


@dataclass(frozen=True)
class EpubConfig:
    embed_fonts: bool = True
    writing_mode: str = choice("horizontal", "horizontal", "vertical")
    kepub: bool = False
    split_kb: int = 250


@dataclass(frozen=True)
class PdfConfig:
    page_size: str = choice("A5", "A4", "A5", "B5", "16K", "32K", "6x9in", "letter")
    bleed: str = ""  # e.g. "3mm": adds bleed and crop marks
    variant: str = choice("", "", "pdf/a-3b", "pdf/ua-1")
    link_footnotes: bool = True  # print external links' URLs as footnotes
    grayscale: bool = False
    chunk_pages: int = 150  # about how many pages one worker renders at a time (memory)


@dataclass(frozen=True)
class ServeConfig:
    host: str = "127.0.0.1"
    port: int = 8000


@dataclass(frozen=True)
class SendConfig:
    smtp_host: str = ""
    smtp_port: int = 587
    username: str = ""
    password_env: str = "BOOKMAKER_SMTP_PASSWORD"  # the password itself never sits in the file
    sender: str = ""
    starttls: bool = True
    to: str = ""


SECTIONS: dict[str, type] = {
    "book": BookConfig,
    "content": ContentConfig,
    "chapters": ChaptersConfig,
    "output": OutputConfig,
    "typography": TypographyConfig,
    "images": ImagesConfig,
    "epub": EpubConfig,
    "pdf": PdfConfig,
    "serve": ServeConfig,
    "send": SendConfig,
}


@dataclass(frozen=True)
class Config:
    base: Path  # folder of the config file (or the current folder)
    file: Path | None = None  # the bookmaker.toml read, if any
    book: BookConfig = BookConfig()
    content: ContentConfig = ContentConfig()
    chapters: ChaptersConfig = ChaptersConfig()
    output: OutputConfig = OutputConfig()
    typography: TypographyConfig = TypographyConfig()
    images: ImagesConfig = ImagesConfig()
    epub: EpubConfig = EpubConfig()
    pdf: PdfConfig = PdfConfig()
    serve: ServeConfig = ServeConfig()
    send: SendConfig = SendConfig()
    explicit: frozenset[str] = frozenset()  # "section.key" set by the file or a flag

    def path(self, value: str) -> Path:
        """A path from the config, resolved against the config file's folder."""
        return (self.base / value).resolve()

    def override(self, section: str, **values) -> Config:
        """A copy with `values` set in `section`, checked like the file's values."""
        source = "command line"
        current = getattr(self, section)
        checked = {k: _check(source, section, k, v, _field(current, k)) for k, v in values.items()}
        explicit = self.explicit | {f"{section}.{k}" for k in checked}
        return dataclasses.replace(
            self, explicit=explicit, **{section: dataclasses.replace(current, **checked)}
        )

    def fingerprint(self) -> str:
        """Stable text of every setting, for cache keys."""
        parts = [repr(dataclasses.asdict(getattr(self, s))) for s in SECTIONS]
        return "\n".join(parts)


def load(path: Path | None, cwd: Path) -> Config:
    """Read `path` (or `cwd/bookmaker.toml` when it exists) into a Config."""
    if path is None:
        candidate = cwd / CONFIG_NAME
        if not candidate.is_file():
            return Config(base=cwd.resolve())
        path = candidate
    if not path.is_file():
        raise ConfigError(f"{path}: no such config file")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    return from_dict(data, path)


def from_dict(data: dict, path: Path) -> Config:
    """Every problem in the file is reported at once, one per line, each naming its key."""
    name = str(path)
    errors = [
        f"{name}: unknown table [{t}]; valid tables: {', '.join(SECTIONS)}"
        for t in sorted(set(data) - set(SECTIONS))
    ]
    sections = {}
    for section, cls in SECTIONS.items():
        table = data.get(section, {})
        if not isinstance(table, dict):
            errors.append(f"{name}: `{section}` must be a table [{section}]")
            continue
        values, problems = _section(name, section, cls, table)
        errors.extend(problems)
        sections[section] = cls(**values)
    if errors:
        raise ConfigError("\n".join(errors))
    explicit = frozenset(
        f"{s}.{k}" for s in SECTIONS if isinstance(data.get(s), dict) for k in data[s]
    )
    return Config(base=path.parent.resolve(), file=path.resolve(), explicit=explicit, **sections)


def _section(name: str, section: str, cls: type, table: dict) -> tuple[dict, list[str]]:
    fields = {f.name: f for f in dataclasses.fields(cls)}
    values, errors = {}, []
    for key, value in table.items():
        if key not in fields:
            errors.append(
                f"{name}: [{section}] unknown key `{key}`; valid keys: {', '.join(fields)}"
            )
            continue
        try:
            values[key] = _check(name, section, key, value, fields[key])
            _valid(f"{name}: [{section}] {key}", section, key, values[key])
        except ConfigError as exc:
            errors.append(str(exc))
    return values, errors


def _valid(where: str, section: str, key: str, value) -> None:
    """A ConfigError when a value of the right type cannot be used.

    For the file's values: flags are checked by argparse, and a site's own language
    (`site.with_site_defaults`, through `override`) must not stop the build.
    """
    low, high = RANGES.get((section, key), (None, None))
    if low is not None and not low <= value <= (value if high is None else high):
        allowed = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ConfigError(f"{where} must be {allowed} (got {value})")
    if (section, key) == ("book", "language"):
        from .check import language_problem  # (it loads lxml: only when a file names one)

        problem = language_problem(value)
        if problem and problem[0] == "error":
            raise ConfigError(
                f"{where} must be a BCP 47 language tag such as zh-CN, zh-TW, ja or en "
                f"(got {value!r})"
            )
    conversion = value.removesuffix(".json") if key == "convert" else ""
    if section == "typography" and conversion and conversion not in CONVERT_TARGET:
        shown = ", ".join(repr(c) for c in ("", *CONVERT_TARGET))
        raise ConfigError(f"{where} must be one of {shown} (got {value!r})")


def _field(instance, key: str) -> dataclasses.Field:
    for f in dataclasses.fields(instance):
        if f.name == key:
            return f
    raise KeyError(key)


def _check(name: str, section: str, key: str, value, f: dataclasses.Field):
    kind = typing.get_type_hints(_owner(section))[f.name]
    where = f"{name}: [{section}] {key}"
    choices = f.metadata.get("choices")
    if choices and value not in choices:
        shown = ", ".join(repr(c) for c in choices)
        raise ConfigError(f"{where} must be one of {shown} (got {value!r})")
    if kind is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where} must be true or false (got {value!r})")
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where} must be a whole number (got {value!r})")
        return value
    if kind is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where} must be a string (got {value!r})")
        return UNSAFE.sub("", value)
    if typing.get_origin(kind) is tuple:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where} must be a list of strings (got {value!r})")
        return tuple(UNSAFE.sub("", v) for v in value)
    if isinstance(kind, types.UnionType):  # pragma: no cover - no such field yet
        return value
    raise TypeError(f"unsupported config field type {kind!r}")  # a bug, not a user error


def _owner(section: str) -> type:
    return SECTIONS[section]
