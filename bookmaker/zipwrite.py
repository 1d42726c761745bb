"""Named byte strings (or files) -> a reproducible EPUB zip: fixed times, sorted, mimetype first.

zipfile stamps entries with the current time and the writer's platform; we fix both so
the same book is the same bytes on any machine. Already compressed media are stored:
deflating a JPEG gains nothing and costs most of the packaging time. An entry given as a
file (a picture) is copied in chunks: a 1,000-post book's 430 MB of pictures were all held
in memory at once, the most of the build's peak.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from .errors import BookmakerError

# Formats that are compressed already; deflating them again is wasted time.
STORED_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".woff", ".woff2", ".mp3", ".mp4")
EPOCH_1980 = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
CHUNK = 1 << 20


def zip_time(when: datetime | None) -> tuple[int, int, int, int, int, int]:
    """`when` as a zip timestamp (two-second resolution), never before 1980."""
    if when is None or when.year < 1980:
        return EPOCH_1980
    return (when.year, when.month, when.day, when.hour, when.minute, when.second // 2 * 2)


def write_epub_zip(
    path: Path, entries: Mapping[str, bytes | Path], when: datetime | None = None
) -> dict[str, int]:
    """Write `entries` (name -> bytes, or the file that holds them) to `path`; `mimetype`
    first and stored, as OCF requires. Returns each entry's size in the zip (compressed)."""
    stamp = zip_time(when)
    names = sorted(n for n in entries if n != "mimetype")
    with zipfile.ZipFile(path, "w") as zf:
        _add(zf, "mimetype", entries.get("mimetype", b"application/epub+zip"), stamp, store=True)
        for name in names:
            _add(zf, name, entries[name], stamp, store=name.lower().endswith(STORED_SUFFIXES))
        return {info.filename: info.compress_size for info in zf.infolist()}


def _add(zf: zipfile.ZipFile, name: str, data: bytes | Path, stamp, store: bool) -> None:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.create_system = 3  # unix, whatever the build machine is
    info.external_attr = 0o100644 << 16
    info.compress_type = zipfile.ZIP_STORED if store else zipfile.ZIP_DEFLATED
    if not isinstance(data, Path):
        zf.writestr(
            info, data, compress_type=info.compress_type, compresslevel=6 if not store else None
        )
        return
    # What writestr does, from a file: the same bytes (zlib's default level is 6).
    try:
        with open(data, "rb") as src:
            info.file_size = os.fstat(src.fileno()).st_size  # the file opened, not its name
            with zf.open(info, "w") as dst:
                shutil.copyfileobj(src, dst, CHUNK)
    except FileNotFoundError as exc:  # the build's own file, gone meanwhile (`bookmaker clean`?)
        raise BookmakerError(f"{data} disappeared while the EPUB was written: build again") from exc
