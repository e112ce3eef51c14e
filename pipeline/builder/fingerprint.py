"""Fingerprints: the files and settings each output depends on, folded into digests.

Everything here is cheap to import (no WeasyPrint, no Jinja2): a build with nothing to do only needs these and
the manifest.
"""

from __future__ import annotations

import platform
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pipeline
from pipeline import memory
from pipeline.builder.manifest import FileHasher

PACKAGE_ROOT = Path(pipeline.__file__).resolve().parent
"""The ``pipeline`` package folder."""

RENDER_DISTRIBUTIONS = (
    "weasyprint", "pydyf", "tinycss2", "cssselect2", "pyphen", "fonttools", "jinja2", "markupsafe", "babel",
    "markdown-it-py", "mdit-py-plugins", "polib", "segno", "pyyaml", "fontpkg-atkinson-hyperlegible",
)  # fmt: skip
"""Installed distributions whose version can change a rendered product."""
READABILITY_DISTRIBUTIONS = memory.DISTRIBUTIONS["readability"]
"""Installed distributions whose version can change a reading grade."""
CODE_ROOTS = {
    "render": ("pipeline.render",),
    "readability": ("pipeline.readability", "pipeline.catalogs.translate", "pipeline.catalogs.pofile"),
    "check": ("pipeline.catalogs.qa", "pipeline.catalogs.pofile", "pipeline.builder.gates"),
}
"""Per concern, the modules whose source (and that of every ``pipeline`` module they import) its outputs depend
on."""


digest = memory.key_of
"""SHA-256 of a value as canonical JSON (:func:`pipeline.memory.key_of`)."""


def environment(distributions: Iterable[str]) -> dict[str, Any]:
    """The pipeline's version, Python's and the installed versions of ``distributions``."""
    return {
        "pipeline": pipeline.__version__,
        "python": platform.python_version(),
        "packages": memory.distribution_versions(distributions),
    }


def _module_file(module: str) -> Path | None:
    relative = Path(*module.split("."))
    for candidate in (PACKAGE_ROOT.parent / relative / "__init__.py", PACKAGE_ROOT.parent / f"{relative}.py"):
        if candidate.is_file():
            return candidate
    return None


_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(pipeline(?:\.\w+)*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]+)|import[ \t]+([^\n#]+))",
    re.MULTILINE,
)


def _imports(path: Path) -> set[str]:
    """``pipeline`` modules a source file imports (absolute imports, the only kind the package uses), read with a
    regular expression: parsing every file would cost more than a build with nothing to do."""
    found = set()
    for match in _IMPORT.finditer(path.read_text(encoding="utf-8")):
        base, names, plain = match.groups()
        if base is not None:
            found.add(base)
            found.update(f"{base}.{name.split()[0]}" for name in names.strip("()").replace("\n", " ").split(",")
                         if name.strip())  # fmt: skip
        else:
            found.update(name.split()[0] for name in plain.split(",") if name.strip())
    return {name for name in found if name == "pipeline" or name.startswith("pipeline.")}


def code_files(roots: Iterable[str]) -> list[str]:
    """Source files of ``roots`` and of every ``pipeline`` module they import, found by reading the imports (not by
    importing), so the answer does not depend on what this process happened to import."""
    pending = list(roots)
    seen: set[str] = set()
    files: set[Path] = set()
    while pending:
        module = pending.pop()
        if module in seen:
            continue
        seen.add(module)
        path = _module_file(module)
        if path is None:
            continue
        files.add(path)
        if path.name == "__init__.py":
            pending += [f"{module}.{child.stem}" for child in path.parent.glob("*.py") if child.stem != "__init__"]
        pending += sorted(_imports(path))
    return sorted(str(path) for path in files)


def files_digest(hasher: FileHasher, paths: Iterable[str]) -> str:
    """Digest of the content of ``paths``."""
    return digest([(path, hasher.digest(Path(path))) for path in paths])


def inputs_digest(hasher: FileHasher, inputs: Iterable[tuple[str, str]], root: Path) -> list[tuple[str, str, str]]:
    """``(role, path, sha256)`` of each input; paths relative to ``root`` are resolved against it."""
    return [(role, path, hasher.digest(root / path)) for role, path in inputs]


def project_path(path: Path, root: Path) -> str:
    """``path`` relative to the project root when inside it (so a moved project stays up to date), else absolute."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())
