"""A worker process's Ctrl-C -> its quiet end: the build prints "interrupted", no traceback.

A terminal's Ctrl-C reaches every process of the build. A pool worker waiting for its next
job (or rendering one) raised KeyboardInterrupt, and multiprocessing printed its traceback
under the build's one-line "interrupted". The parent does the stopping: a worker just ends.
"""

from __future__ import annotations

import os
import signal

INTERRUPTED = 130  # the exit status of a program ended by Ctrl-C


def quiet_in_worker() -> None:
    """A pool's initializer: on Ctrl-C this process ends at once, printing nothing."""
    signal.signal(signal.SIGINT, lambda _signum, _frame: os._exit(INTERRUPTED))
