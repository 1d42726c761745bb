"""Outputs written atomically: a temporary file beside the target, flushed, then renamed.

An interrupted or failed build leaves the previous file untouched and no stray files.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import stat
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import BookmakerError


class OutputError(BookmakerError):
    """A book or file could not be written where the user asked."""


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target`."""
    target = Path(target)
    refuse_special(target)
    _remove_stale(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        # An unwritable or full output folder is the user's to fix: name their path, not `tmp`.
        why = exc.strerror or str(exc)
        if isinstance(exc, FileExistsError | NotADirectoryError):
            why = "a file is in the way of its folder"
        raise OutputError(f"cannot write {target}: {why}") from exc
    finally:
        # On a read-only file system even removing a file that is not there fails (EROFS);
        # that must not hide the error above behind a traceback.
        with contextlib.suppress(OSError):
            tmp.unlink()


def refuse_special(target: Path) -> None:
    """OutputError when `target` exists and is a device, a FIFO or a socket.

    Renaming the book over it would replace `/dev/full` (we may run as root) with a file;
    a folder is not refused here: `-o FOLDER` puts the book in it.
    """
    try:
        mode = Path(target).stat().st_mode
    except OSError:  # not there (or a dangling link, which is replaced): nothing in the way
        return
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise OutputError(f"{target} is not a regular file: the book is not written over it")


def _remove_stale(target: Path) -> None:
    """Temporary files of builds that were killed (SIGKILL cannot clean up after itself)."""
    for stale in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        pid = stale.name[len(target.name) + 2 : -4]
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(OSError):  # gone, or a read-only folder: writing says so
                stale.unlink()


STALE_AFTER_S = 3600


def scratch_dir(kind: str) -> Path:
    """A new temporary folder, `bookmaker-<kind>-<pid>-…`; the caller removes it.

    Folders left by builds that were killed go first: a SIGKILL or the OOM killer cannot
    clean up, and a 1,000-article PDF leaves about a gigabyte of parts. Removed are this
    user's folders whose process is gone and which nothing has touched for an hour (a
    process in another PID namespace sharing /tmp may look gone while it still builds).
    """
    prefix = f"bookmaker-{kind}-"
    for folder in Path(tempfile.gettempdir()).glob(glob.escape(prefix) + "*"):
        if _abandoned(folder, folder.name[len(prefix) :].split("-", 1)[0]):
            shutil.rmtree(folder, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-"))


def _abandoned(folder: Path, pid: str) -> bool:
    if not pid.isdigit():
        return False
    try:
        st = folder.lstat()  # a symlink is not a folder we made
    except OSError:
        return False
    return (
        stat.S_ISDIR(st.st_mode)
        and st.st_uid == os.getuid()
        and time.time() - st.st_mtime > STALE_AFTER_S
        and not _alive(int(pid))
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_bytes(target: Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_text(target: Path, text: str) -> None:
    write_bytes(target, text.encode("utf-8"))


def copy_cache(target: Path, source: Path) -> None:
    """The file `source` made the cache entry `target`, as `write_cache` would write it.

    A hard link when both are on one file system: a rendered PDF part is ~25 MB, and the
    parts of a 1,000-article book were 440 MB read and written again by the process that
    waits for the workers. Elsewhere (a /tmp in memory), a copy.
    """
    with _cache_entry(target) as tmp:
        try:
            os.link(source, tmp)
        except OSError:
            shutil.copyfile(source, tmp)


def write_cache(target: Path, data: bytes) -> None:
    """A cache entry: renamed into place like an output, but neither fsynced nor swept.

    Every cache entry is verified on load (a checksum or a sidecar hash), so a torn one is
    rebuilt anyway; an fsync for each of a thousand entries cost 4 s of a cold build, and
    sweeping for stale temporaries lists a folder of thousands of files on every write.
    """
    with _cache_entry(target) as tmp:
        tmp.write_bytes(data)


@contextlib.contextmanager
def _cache_entry(target: Path) -> Iterator[Path]:
    """A temporary name beside `target` to fill; renamed to `target` if all went well."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        yield tmp
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(OSError):  # as in atomic_path: never hides the real error
            tmp.unlink()
