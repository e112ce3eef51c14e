"""EPUBCheck, the reference validator of EPUB 3, run once for every book of an audit.

EPUBCheck 4.2.6 (Debian ``epubcheck``) checks one file a run and spends most of a run loading and compiling its
schemas: measured here, 3 to 4 s a book in a JVM of its own (48 s for the 15 shipped books), against 7.8 s for 18
books in one JVM, where the schemas are compiled once. :func:`run_epubcheck` therefore starts one JVM for all the
books (``EpubCheckBatch.java`` beside this file, run by Java's source launcher, which needs the JDK's compiler) and
falls back to one JVM a book where that cannot run. A book EPUBCheck did not finish gets the reason instead of a
report, which the audit shows as "not checked".
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import tempfile
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

BATCH = Path(__file__).resolve().parent / "EpubCheckBatch.java"
"""The Java program that checks several books in one JVM."""
TIMEOUT_S = 300
"""Longest wait for one book (the batch is allowed this much per book)."""
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
"""C1 only and the serial collector: measured on a two-page summary, 3.9 s a book instead of 5.5 to 8.9 s with the
default JIT (EPUBCheck's time goes on compiling its schemas once, which C2 never pays back), and 210 MB of memory
instead of 400 MB."""

Report = dict[str, Any] | str
"""EPUBCheck's JSON report of one book, or why there is none."""


def _jar() -> tuple[str, Path | None] | None:
    """``epubcheck`` on PATH and, when it is the jar itself (Debian installs it so, run by ``jarwrapper``), the jar;
    None when EPUBCheck is missing."""
    found = shutil.which("epubcheck")
    if found is None:
        return None
    with open(found, "rb") as stream:
        is_jar = stream.read(2) == b"PK"
    return found, Path(found).resolve() if is_jar else None


def epubcheck_command() -> list[str] | None:
    """How to start EPUBCheck on one book; None when it or Java is missing."""
    found = _jar()
    if found is None:
        return None
    program, jar = found
    if jar is None:
        return [program]
    java = shutil.which("java")
    return [java, *JVM_OPTIONS, "-jar", str(jar)] if java else None


@cache
def epubcheck_version() -> str:
    """EPUBCheck's version from its jar's manifest (no JVM started), for the audit's cache key; ``absent`` when it
    is not installed, ``unknown`` when the manifest does not say."""
    found = _jar()
    if found is None or shutil.which("java") is None:
        return "absent"
    if found[1] is None:
        return f"unknown ({found[0]})"
    try:
        with zipfile.ZipFile(found[1]) as jar:
            manifest = jar.read("META-INF/MANIFEST.MF").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return "unknown"
    for line in manifest.splitlines():
        if line.startswith("Implementation-Version:"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def _read(report: Path) -> Report:
    try:
        data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        return f"EPUBCheck did not complete: {type(exc).__name__}: {exc}"
    return data


def _one(command: list[str], book: Path, folder: Path) -> Report:
    report = folder / "single.json"
    report.unlink(missing_ok=True)
    try:
        subprocess.run(
            [*command, str(book), "-q", "-j", str(report)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"EPUBCheck did not complete: {type(exc).__name__}: {exc}"
    return _read(report)


def run_epubcheck(books: list[Path]) -> dict[Path, Report] | None:
    """EPUBCheck's report of every book (by resolved path), one JVM for all where the JDK can launch
    :data:`BATCH`; None when EPUBCheck or Java is not installed."""
    command = epubcheck_command()
    if command is None:
        return None
    found: dict[Path, Report] = {}
    paths = [book.resolve() for book in books]
    if not paths:
        return found
    found_jar = _jar()
    java = shutil.which("java")
    with tempfile.TemporaryDirectory(prefix="plainleaf-epubcheck-") as name:
        folder = Path(name)
        if found_jar is not None and found_jar[1] is not None and java is not None and len(paths) > 1:
            try:
                done = subprocess.run(
                    [java, *JVM_OPTIONS, "-cp", str(found_jar[1]), str(BATCH), str(folder), *map(str, paths)],
                    capture_output=True,
                    text=True,
                    timeout=TIMEOUT_S * len(paths),
                    check=False,
                )
                if done.returncode != 0:
                    log.debug("EPUBCheck batch exited %d: %s", done.returncode, done.stderr.strip()[:500])
            except (OSError, subprocess.TimeoutExpired) as exc:
                log.debug("EPUBCheck batch did not run: %s", exc)
            for number, path in enumerate(paths):
                report = folder / f"{number}.json"
                if report.is_file():
                    found[path] = _read(report)
        # What the batch did not check (no JDK compiler for the source launcher, a book that broke the checker):
        # one JVM a book, as EPUBCheck's own command line runs.
        for path in paths:
            if path not in found:
                found[path] = _one(command, path, folder)
    return found
