"""Command line: `main(argv) -> int`. A BookmakerError prints one `error: …` line, no traceback."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from . import __version__
from .atomic import OutputError, refuse_special
from .config import Config, load
from .errors import BookmakerError, ContentError
from .progress import ProgressHandler

log = logging.getLogger("bookmaker")

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _output_arg(value: str) -> Path:
    """`-o out/` names a folder even before it exists: the book goes in it, under its name."""
    path = Path(value)
    try:
        refuse_special(path)  # before the build, not after it
    except OutputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if value.endswith(("/", os.sep)):
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            msg = f"cannot create folder {value}: {exc.strerror}"
            raise argparse.ArgumentTypeError(msg) from None
    return path


def _port(value: str) -> int:
    """`--port N`: 0 (any free port) to 65535; 99999 was an OverflowError from the socket."""
    try:
        port = int(value)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number from 0 to 65535")
    return port


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "-c",
        "--config",
        type=Path,
        help="bookmaker.toml to use (default: ./bookmaker.toml if present)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="only print errors")
    p.add_argument(
        "-v", "--verbose", action="store_true", help="also list skipped files and details"
    )
    p.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too")


def _selection(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("which articles, in which order")
    g.add_argument(
        "--tag",
        action="append",
        dest="tags",
        metavar="TAG",
        help="only articles with this tag (repeatable)",
    )
    g.add_argument(
        "--category",
        action="append",
        dest="categories",
        metavar="CAT",
        help="only articles in this category (repeatable)",
    )
    g.add_argument("--since", metavar="YYYY-MM-DD", help="only articles on or after this date")
    g.add_argument("--until", metavar="YYYY-MM-DD", help="only articles on or before this date")
    g.add_argument(
        "--drafts",
        action="store_true",
        default=None,
        help="include drafts and password-protected posts",
    )
    g.add_argument("--future", action="store_true", default=None, help="include future-dated posts")
    g.add_argument(
        "--undated",
        choices=["error", "end"],
        help="articles without a date: error (default) or place them last",
    )
    g.add_argument("--encoding", help="read every article in this encoding instead of detecting it")
    g.add_argument(
        "--chapters",
        choices=["auto", "month", "year", "year/month", "tag", "category", "none"],
        help="how articles are grouped into chapters",
    )
    g.add_argument("--order", choices=["oldest", "newest"], help="date order of articles")


def _output(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "-o",
        "--output",
        type=_output_arg,
        help="output file, or folder (`build`, an existing folder, or a name ending in /)",
    )
    p.add_argument(
        "--fetch-remote",
        action="store_true",
        default=None,
        help="download remote images (off by default: no network)",
    )
    p.add_argument(
        "--grayscale",
        action="store_true",
        default=None,
        help="grayscale images (e-ink, cheap print)",
    )
    p.add_argument(
        "--cache-dir",
        type=Path,
        help="build cache folder (default: .bookmaker-cache beside the config)",
    )
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the build cache")


def _epub_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("EPUB")
    g.add_argument(
        "--no-embed-fonts",
        dest="embed_fonts",
        action="store_false",
        default=None,
        help="do not embed the CJK fonts",
    )
    g.add_argument(
        "--kepub", action="store_true", default=None, help="also write a Kobo .kepub.epub"
    )
    g.add_argument(
        "--vertical", action="store_true", default=None, help="vertical writing (竖排) in the EPUB"
    )


def _pdf_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("PDF")
    g.add_argument(
        "--page-size",
        choices=["A4", "A5", "B5", "16K", "32K", "6x9in", "letter"],
        help="page size (default A5)",
    )
    g.add_argument(
        "--bleed", metavar="LENGTH", help="bleed with crop marks for print shops, e.g. 3mm"
    )
    g.add_argument(
        "--pdf-variant", choices=["pdf/a-3b", "pdf/ua-1"], help="archival or accessible PDF"
    )
    g.add_argument(
        "--no-link-footnotes",
        dest="link_footnotes",
        action="store_false",
        default=None,
        help="do not print external URLs as footnotes",
    )
    g.add_argument(
        "--single-document",
        dest="chunk_pages",
        action="store_const",
        const=0,
        default=None,
        help="render the body as one WeasyPrint document (slow; for comparison)",
    )


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="bookmaker",
        description="Turn dated Markdown articles into EPUB 3 and print PDF books.",
    )
    top.add_argument("--version", action="version", version=f"bookmaker {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "list",
        help="show the book as it would be built, and the problems of files and front matter",
    )
    _common(p)
    _selection(p)
    p.add_argument("--json", action="store_true", help="print JSON")

    for name, what in (
        ("epub", "write the EPUB 3 book"),
        ("pdf", "write the print PDF"),
        ("build", "write EPUB and PDF"),
    ):
        p = sub.add_parser(name, help=what)
        _common(p)
        _selection(p)
        _output(p)
        if name in ("epub", "build"):
            _epub_options(p)
        if name in ("pdf", "build"):
            _pdf_options(p)

    p = sub.add_parser(
        "serve", help="serve the books to e-readers (OPDS catalog and a download page)"
    )
    _common(p)
    _selection(p)
    p.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_port, help="port (default 8000; 0: any free one)")
    p.add_argument("--password", help="require HTTP Basic authentication with this password")
    p.add_argument("--token", help="serve everything under a secret path /TOKEN/")
    p.add_argument(
        "--no-build",
        action="store_true",
        help="serve what is in the output folder without building",
    )

    p = sub.add_parser(
        "catalog", help="write the OPDS feed and download page as static files beside the books"
    )
    _common(p)
    p.add_argument(
        "--base-url", default="", help="URL prefix under which the books will be published"
    )

    p = sub.add_parser("send", help="e-mail the EPUB to a Send-to-Kindle address")
    _common(p)
    p.add_argument("--to", help="recipient, e.g. name@kindle.com")
    p.add_argument("book", nargs="?", type=Path, help="the EPUB to send (default: the built book)")

    p = sub.add_parser("check", help="check an EPUB or PDF for what e-readers trip over")
    _common(p)
    p.add_argument("book", type=Path)

    p = sub.add_parser("clean", help="remove the build cache")
    _common(p)
    p.add_argument("--cache-dir", type=Path)
    return top


def configure(args: argparse.Namespace) -> Config:
    """The config file, then the command-line flags on top of it."""
    config = load(args.config, Path.cwd())
    content = {
        k: getattr(args, k, None)
        for k in ("tags", "categories", "since", "until", "drafts", "future", "undated", "encoding")
    }
    content = {k: v for k, v in content.items() if v is not None}
    if content:
        config = config.override("content", **content)
    chapters = {"group": getattr(args, "chapters", None), "order": getattr(args, "order", None)}
    chapters = {k: v for k, v in chapters.items() if v is not None}
    if chapters:
        config = config.override("chapters", **chapters)
    images = {
        "fetch_remote": getattr(args, "fetch_remote", None),
        "grayscale": getattr(args, "grayscale", None),
    }
    images = {k: v for k, v in images.items() if v is not None}
    if images:
        config = config.override("images", **images)
    epub = {
        "embed_fonts": getattr(args, "embed_fonts", None),
        "kepub": getattr(args, "kepub", None),
    }
    if getattr(args, "vertical", None):
        epub["writing_mode"] = "vertical"
    epub = {k: v for k, v in epub.items() if v is not None}
    if epub:
        config = config.override("epub", **epub)
    pdf = {
        "page_size": getattr(args, "page_size", None),
        "bleed": getattr(args, "bleed", None),
        "variant": getattr(args, "pdf_variant", None),
        "link_footnotes": getattr(args, "link_footnotes", None),
        "chunk_pages": getattr(args, "chunk_pages", None),
    }
    pdf = {k: v for k, v in pdf.items() if v is not None}
    if pdf:
        config = config.override("pdf", **pdf)
    out = {
        "cache_dir": str(args.cache_dir) if getattr(args, "cache_dir", None) else None,
        "cache": False if getattr(args, "no_cache", False) else None,
    }
    out = {k: v for k, v in out.items() if v is not None}
    if out:
        config = config.override("output", **out)
    return config


def _logging(args: argparse.Namespace) -> None:
    level = logging.ERROR if args.quiet else logging.DEBUG if args.verbose else logging.INFO
    # Libraries (WeasyPrint's "Step 2 - Fetching…", pikepdf's logger bridge) speak at INFO:
    # only their warnings concern a user, so only bookmaker's own loggers get `level`.
    logging.basicConfig(
        level=max(level, logging.WARNING), format="%(message)s", handlers=[ProgressHandler()]
    )
    logging.getLogger("bookmaker").setLevel(level)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    _logging(args)
    try:
        config = configure(args)
        from . import commands  # imported late: `--help` stays fast

        return getattr(commands, f"cmd_{args.command}")(config, args)
    except ContentError as exc:  # the input, not the command, is wrong
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except BookmakerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        if "bookmaker.pdfchunks" in sys.modules:  # a PDF build: its renderer too
            sys.modules["bookmaker.pdfchunks"].stop_server()
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `bookmaker list | head`: the reader left. Python would complain again while
        # flushing stdout at exit, so point it at /dev/null; 141 is what a shell reports.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
