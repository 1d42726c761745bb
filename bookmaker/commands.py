"""One function per command: `cmd_NAME(config, args) -> exit status`."""

from __future__ import annotations

import argparse
import logging
import sys

from .config import Config
from .errors import BookmakerError
from .model import Problem

log = logging.getLogger("bookmaker")


def report(problems: tuple[Problem, ...], strict: bool, quiet: bool = False) -> int:
    """Print every problem once, then the summary; the exit status says whether any was bad.

    `-q` shows only what fails the run: errors, and warnings too under `--strict`.
    """
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    shown = [p for p in problems if not quiet or strict or p.level == "error"]
    for line in _folded(shown):
        print(line, file=sys.stderr)
    if shown:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if errors or (strict and warnings) else 0


# Warnings one setting answers for every picture at once: a newsletter archive whose pictures
# are all on the web would print thousands; a few show where, one line counts the rest.
FOLDED = ("remote image not downloaded (use --fetch-remote)",)
FOLD_AFTER = 3


def _folded(problems: list[Problem]) -> list[str]:
    lines: list[str] = []
    more = dict.fromkeys(FOLDED, 0)
    for p in problems:
        kind = next((k for k in FOLDED if p.message.startswith(k)), None)
        if kind is not None:
            more[kind] += 1
            if more[kind] > FOLD_AFTER:
                continue
        lines.append(str(p))
    for kind, n in more.items():
        if n > FOLD_AFTER:
            lines.append(f"… {n - FOLD_AFTER} more like these: {kind}")
    return lines


def _build(config: Config, args: argparse.Namespace, formats: tuple[str, ...]) -> int:
    from .build import build
    from .site import with_site_defaults

    config = with_site_defaults(config)
    if "pdf" in formats:
        from .pdf import UNSUPPORTED_VARIANTS

        why = UNSUPPORTED_VARIANTS.get(config.pdf.variant)
        if why:  # refuse before anything is written, not after the EPUB
            raise BookmakerError(f"[pdf] variant {config.pdf.variant!r} is not supported: {why}")
    result = build(config, formats, output=getattr(args, "output", None))
    for path in result.outputs:
        log.info("wrote %s", path)
    return report(result.problems, args.strict, args.quiet)


def cmd_list(config: Config, args: argparse.Namespace) -> int:
    from .listing import run
    from .site import with_site_defaults

    return run(with_site_defaults(config), args)


def cmd_epub(config: Config, args: argparse.Namespace) -> int:
    return _build(config, args, ("epub",))


def cmd_pdf(config: Config, args: argparse.Namespace) -> int:
    return _build(config, args, ("pdf",))


def cmd_build(config: Config, args: argparse.Namespace) -> int:
    return _build(config, args, ("epub", "pdf"))


def _not_yet(name: str) -> int:
    raise BookmakerError(f"`bookmaker {name}` is not available in this version yet")


def cmd_serve(config: Config, args: argparse.Namespace) -> int:
    from .serve import run
    from .site import with_site_defaults

    return run(with_site_defaults(config), args)


def cmd_catalog(config: Config, args: argparse.Namespace) -> int:
    from .catalog import publish

    folder = config.path(config.output.dir)
    written = publish(folder, config.base, args.base_url, config.book.title)
    for path in written:
        log.info("wrote %s", path)
    return 0


def cmd_send(config: Config, args: argparse.Namespace) -> int:
    from .send import run

    return run(config, args)


def cmd_check(config: Config, args: argparse.Namespace) -> int:
    from .check import check

    result = check(args.book)
    for line in result.lines():
        print(line)
    print(result.summary())
    return result.status(args.strict)


def cmd_clean(config: Config, args: argparse.Namespace) -> int:
    from . import cache

    if args.cache_dir:
        config = config.override("output", cache_dir=str(args.cache_dir))
    removed = cache.clean(config)
    log.info("removed %s", removed) if removed else log.info("no cache to remove")
    return 0
