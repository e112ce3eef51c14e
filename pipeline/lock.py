"""One build at a time per project: a lock file in the output folder that a second run waits on, saying whose it is.

Two ``make`` (or ``plainleaf all``/``build``) in one project would render the same products twice, each rewriting
the other's files and manifest. The lock is an advisory ``flock`` on ``<output>/.plainleaf.lock``: the kernel
releases it when its process ends, however it ends, so a killed build never leaves the project locked.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".plainleaf.lock"
"""The lock file's name in the output folder (a dot file: the audit and the index never list it)."""


@contextmanager
def project_lock(output_dir: Path, waiting: Callable[[str], None]) -> Iterator[None]:
    """Hold the project's lock for the ``with`` block; when another run holds it, call ``waiting`` once with a
    message naming that run's process, then wait for it to finish."""
    output_dir.mkdir(parents=True, exist_ok=True)
    path = output_dir / LOCK_NAME
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            holder = os.pread(descriptor, 64, 0).decode("ascii", "replace").strip() or "another process"
            waiting(f"{path}: another build of this project is running (process {holder}); waiting for it to finish")
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, str(os.getpid()).encode("ascii"), 0)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
