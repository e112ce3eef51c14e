"""Interpreter-level speed-ups, in one place: each skips work CPython or a library would do and we never need.

Measured on the shipped project (2 cores, ``make bench``):

- :func:`quick_library_lookup`: while WeasyPrint is imported, ``ctypes.util.find_library`` answers from the
  dynamic linker's cache alone. It skips linking a test program with gcc and asking ld for each of the 17 library
  names WeasyPrint tries and Debian does not ship (about 11 ms each: WeasyPrint's import went from 0.52 to 0.40 s).
- :func:`settle` and :func:`frozen_for_fork`: ``gc.freeze()`` moves what start-up made out of the collector's
  reach. It skips walking every imported module again in each full collection (a tenth of extraction's time on a
  large corpus) and, before worker processes are forked, keeps a collection in a worker from touching (and so
  copying) every inherited memory page (``-j 2`` went from 3.36 to 3.12 s).
- :func:`exit_now`: ``os._exit`` once the output is flushed. It skips freeing every object of the run one by one
  at interpreter shutdown (0.11 s after a build), as mypy does. Only for the command's entry points.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import gc
import logging
import os
import sys
from collections.abc import Callable, Iterator
from typing import NoReturn


def _from_linker_cache(standard: Callable[[str], str | None]) -> Callable[[str], str | None]:
    in_cache: Callable[[str], str | None] = getattr(ctypes.util, "_findSoname_ldconfig")  # noqa: B009

    def find_library(name: str) -> str | None:
        found = in_cache(name)
        if found is None and (os.environ.get("LD_LIBRARY_PATH") or os.environ.get("LIBRARY_PATH")):
            return standard(name)
        return found

    return find_library


@contextlib.contextmanager
def quick_library_lookup() -> Iterator[None]:
    """Within the block, ``ctypes.util.find_library`` reads the linker's cache only (which holds every library the
    dynamic loader itself would find); with ``LD_LIBRARY_PATH`` or ``LIBRARY_PATH`` set, a name the cache lacks
    still goes the usual way. Off Linux, or without the private helper, nothing changes."""
    standard = ctypes.util.find_library
    if not sys.platform.startswith("linux") or not hasattr(ctypes.util, "_findSoname_ldconfig"):
        yield
        return
    ctypes.util.find_library = _from_linker_cache(standard)  # type: ignore[assignment]
    try:
        yield
    finally:
        ctypes.util.find_library = standard


def settle() -> None:
    """Put what start-up made (modules, configuration) out of the garbage collector's reach: a command that then
    makes many objects no longer walks all of it again in each full collection. ``extract`` calls it once its
    modules are imported."""
    gc.freeze()


@contextlib.contextmanager
def frozen_for_fork(fork: bool) -> Iterator[None]:
    """Freeze the collector's objects while forked workers run (what its documentation advises before a fork
    without exec), then give a program that called the build its collector back. They stay frozen in this process
    too while the workers run: a collection walking them again would take a core from the workers. Nothing
    happens without ``fork``, or when the caller froze its own objects already."""
    froze = fork and gc.get_freeze_count() == 0
    if froze:
        gc.freeze()
    try:
        yield
    finally:
        if froze:
            gc.unfreeze()


def exit_now(status: int) -> NoReturn:
    """End the process with ``status`` once the output is flushed, without tearing the interpreter down. Only for
    the command's entry points, never for a caller of :func:`pipeline.cli.main` (a test, another program)."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status)
