"""The audit's memory: each product's audit kept beside the build manifest, so ``plainleaf audit`` audits again only
what changed.

A kept result is used again only when its key is the same, and the key holds everything the result depends on: the
product file's SHA-256 and those of the files read with it (a PDF's HTML twin, a BRF's Unicode braille twin), where
the report names it (the project-relative path is in every finding), the digest of the audit's own code (which
holds its rule set) and the versions of the validators of its format (pdfua and pikepdf for a PDF, EPUBCheck for a
book, axe-core, puppeteer-core, Node and Chromium for a web page). Measured on the shipped project: a second audit
with nothing changed took 78 s (EPUBCheck on 15 books, every PDF check again), and reading the kept results takes
well under a second.

A result that says a validator did not complete (EPUBCheck timed out, the browser did not start) is not kept: the
next audit tries again rather than repeat "not checked". The file ``output/.plainleaf-audit-results.json`` (beside
the print desk's verdicts, ``.plainleaf-audit.json``) is written atomically, merged under the build manifest's lock
with what another audit of the same folder kept meanwhile.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from pipeline.atomic import write_text
from pipeline.audit.model import Check, Finding, ProductAudit
from pipeline.errors import Severity

log = logging.getLogger(__name__)

CACHE_NAME = ".plainleaf-audit-results.json"
"""File name of the kept results in the output folder, beside the build manifest."""
SCHEMA = 1
"""Format version of the file; one of another version is ignored (everything is audited again)."""
RETRIED_CHECKS = frozenset(("epubcheck", "axe"))
"""Checks whose "not checked" means an outside validator did not complete: such a result is never kept."""


def code_digest() -> str:
    """SHA-256 over the whole ``pipeline`` package (:func:`pipeline.memory.package_digest`).

    The whole package, not only ``audit/``: the audit imports the renderer's products (page budgets, text sizes),
    braille tables, locales and languages, and a narrower list would go stale the day one more import is added.
    """
    from pipeline.memory import package_digest

    return package_digest()


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def _node_package_version(folder: Path, name: str) -> str:
    try:
        data = json.loads((folder / "node_modules" / name / "package.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return "absent"
    return str(data.get("version", "unknown"))


def _file_identity(path: str | None) -> str:
    """Size and modification time of an installed program (an upgrade changes both); ``absent`` when missing.
    Asking the program for its version would cost a start of it (Chromium: a browser) on every audit."""
    if not path:
        return "absent"
    try:
        real = Path(path).resolve()
        status = real.stat()
    except OSError:
        return "absent"
    return f"{real}:{status.st_size}:{status.st_mtime_ns}"


def validator_versions(format: str, axe_folder: Path | None = None) -> dict[str, str]:
    """The outside validators a format's audit runs, each with its version (or what identifies it)."""
    if format == "pdf":
        return {"pdfua": _package_version("pdfua"), "pikepdf": _package_version("pikepdf")}
    if format == "epub":
        from pipeline.audit.epubcheck import epubcheck_version

        return {"epubcheck": epubcheck_version(), "java": _file_identity(shutil.which("java"))}
    if format == "web" and axe_folder is not None:
        chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        return {
            "axe-core": _node_package_version(axe_folder, "axe-core"),
            "puppeteer-core": _node_package_version(axe_folder, "puppeteer-core"),
            "node": _file_identity(shutil.which("node")),
            # Debian's /usr/bin/chromium is a shell script; the browser itself is /usr/lib/chromium/chromium.
            "chromium": _file_identity(chromium) + "|" + _file_identity("/usr/lib/chromium/chromium"),
            "runner": _file_identity(str(axe_folder / "run-axe.mjs")),
        }
    return {}


def _sha256(path: Path) -> str:
    from pipeline.memory import file_digest

    return file_digest(path) or "absent"


def product_key(path: Path, shown: str, companions: Iterable[Path], validators: dict[str, str]) -> str:
    """The key of one product's audit: its bytes and its companions', its name in the report, the audit's code and
    its format's validators."""
    parts = {
        "file": _sha256(path),
        "shown": shown,
        "companions": {companion.name: _sha256(companion) for companion in companions},
        "code": code_digest(),
        "validators": validators,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def audit_to_json(audit: ProductAudit) -> dict[str, Any]:
    """Every field of a product's audit, as kept (not the derived report form of :meth:`ProductAudit.to_dict`)."""
    return {
        "file": audit.file,
        "locale": audit.locale,
        "product": audit.product,
        "draft": audit.draft,
        "format": audit.format,
        "html": audit.html,
        "pages": audit.pages,
        "page_limit": audit.page_limit,
        "smallest_text_pt": audit.smallest_text_pt,
        "required_text_pt": audit.required_text_pt,
        "lowest_contrast": audit.lowest_contrast,
        "checks": [[check.id, check.title, check.standard] for check in audit.checks],
        "findings": [[f.file, f.page, f.check, f.severity.value, f.message] for f in audit.findings],
    }


def audit_from_json(data: dict[str, Any]) -> ProductAudit:
    """The product's audit as :func:`audit_to_json` kept it."""
    return ProductAudit(
        file=data["file"],
        locale=data["locale"],
        product=data["product"],
        draft=data["draft"],
        format=data["format"],
        html=data["html"],
        pages=data["pages"],
        page_limit=data["page_limit"],
        smallest_text_pt=data["smallest_text_pt"],
        required_text_pt=data["required_text_pt"],
        lowest_contrast=data["lowest_contrast"],
        checks=[Check(*check) for check in data["checks"]],
        findings=[
            Finding(file, page, check, Severity(severity), message)
            for file, page, check, severity, message in data["findings"]
        ],
    )


def keepable(audit: ProductAudit) -> bool:
    """Whether the result may be used again: not when an outside validator did not complete on it."""
    return not any(f.severity is Severity.LIMITATION and f.check in RETRIED_CHECKS for f in audit.findings)


@dataclass(slots=True)
class AuditCache:
    """The kept results of one output folder, and what this audit adds to them."""

    output_dir: Path
    """The output folder the file lives in."""
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Kept results by product path (relative to the output folder): ``{"key": ..., "audit": ...}``."""
    added: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Results of this audit, to be saved."""
    reused: int = 0
    """How many results this audit took from the file."""

    @classmethod
    def load(cls, output_dir: Path) -> AuditCache:
        """The kept results of ``output_dir``; none when the file is missing, unreadable or of another schema."""
        try:
            data = json.loads((output_dir / CACHE_NAME).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return cls(output_dir)
        if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("products"), dict):
            return cls(output_dir)
        return cls(output_dir, dict(data["products"]))

    def name(self, path: Path) -> str:
        """The path a product is kept under: relative to the output folder, or absolute outside it."""
        resolved = path.resolve()
        try:
            return resolved.relative_to(self.output_dir.resolve()).as_posix()
        except ValueError:
            return resolved.as_posix()

    def get(self, path: Path, key: str) -> ProductAudit | None:
        """The kept audit of ``path`` when its key is ``key``, else None."""
        entry = self.entries.get(self.name(path))
        if entry is None or entry.get("key") != key:
            return None
        try:
            audit = audit_from_json(entry["audit"])
        except (KeyError, TypeError, ValueError):
            return None
        self.reused += 1
        return audit

    def put(self, path: Path, key: str, audit: ProductAudit) -> None:
        """Keep ``audit`` of ``path`` under ``key`` (unless a validator did not complete on it)."""
        name = self.name(path)
        if keepable(audit):
            self.added[name] = {"key": key, "audit": audit_to_json(audit)}
        else:
            self.entries.pop(name, None)
            self.added.pop(name, None)

    def save(self) -> None:
        """Write the results of this audit into the file, merged with what it holds now; products whose file is
        gone are dropped."""
        if not self.added or not self.output_dir.is_dir():
            return
        from pipeline.builder.manifest import manifest_lock

        with manifest_lock(self.output_dir):
            current = AuditCache.load(self.output_dir).entries
            current.update(self.added)
            kept = {
                name: entry
                for name, entry in sorted(current.items())
                if (Path(name) if Path(name).is_absolute() else self.output_dir / name).is_file()
            }
            write_text(
                self.output_dir / CACHE_NAME,
                json.dumps({"schema": SCHEMA, "products": kept}, ensure_ascii=False, sort_keys=True) + "\n",
            )


def audit_with_cache(
    paths: list[Path],
    cache_: AuditCache | None,
    key_of: Callable[[Path], str],
    audit_all: Callable[[list[Path]], list[ProductAudit]],
) -> list[ProductAudit]:
    """The audits of ``paths`` in their order: kept ones where their key matches, the rest audited together by
    ``audit_all`` (so that a validator starts once for all of them) and kept."""
    if cache_ is None:
        return audit_all(paths)
    keys = {path: key_of(path) for path in paths}
    found: dict[Path, ProductAudit] = {}
    for path in paths:
        kept = cache_.get(path, keys[path])
        if kept is not None:
            found[path] = kept
    todo = [path for path in paths if path not in found]
    for path, audit in zip(todo, audit_all(todo) if todo else [], strict=True):
        cache_.put(path, keys[path], audit)
        found[path] = audit
    return [found[path] for path in paths]
