"""Audit every product file: each format's audit (:mod:`.pdf`, :mod:`.epub`, :mod:`.braille`, :mod:`.web`) chosen
by the format registry (:mod:`pipeline.formats`), from where a file sits or its suffix."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.audit.model import AuditError, ProductAudit
from pipeline.formats import Format, default_formats

if TYPE_CHECKING:
    from pipeline.render.products import Product


def audited_suffixes() -> str:
    """The suffixes ``plainleaf audit FILE`` takes, for messages: ``.pdf, .epub, .brf or .html``."""
    suffixes = [kind.audit_suffixes[0] for kind in default_formats().audited()]
    return ", ".join(suffixes[:-1]) + " or " + suffixes[-1]


def format_of(path: Path) -> Format:
    """The format whose audit reads ``path``, by its suffix; an AuditError when no format's does."""
    kind = default_formats().for_suffix(path.suffix)
    if kind is None:
        raise AuditError(f"not a product the audit knows: give a {audited_suffixes()} file", path)
    return kind


def find_products(output_dir: Path) -> list[Path]:
    """Every file the audit covers: the PDFs, then the EPUBs, BRFs and web pages (in :meth:`Formats.audited` order)."""
    if not output_dir.is_dir():
        return []
    return [path for kind in default_formats().audited() for path in kind.auditor().find(output_dir)]


def audit_format(path: Path, root: Path, output_dir: Path) -> ProductAudit:
    """The audit of one product file, by its format's audit."""
    audits: list[ProductAudit] = format_of(path).auditor().audit_files([path], root, output_dir)
    return audits[0]


def audit_output(
    output_dir: Path, root: Path, paths: Sequence[Path] | None = None, products: Sequence[Product] | None = None
) -> list[ProductAudit]:
    """Audit ``paths`` (PDFs, EPUBs, BRFs, web pages), or every product file under ``output_dir``, in that order;
    ``products`` are the project's, as its documents declare them, whose rules (smallest type, page budget) each
    print product is held to whatever its file's name (the shipped documents' when None)."""
    chosen = list(paths or find_products(output_dir))
    groups: dict[str, list[Path]] = {}
    for path in chosen:
        groups.setdefault(format_of(path).name, []).append(path)
    # Each format's files together: the web pages' axe-core, where it can run, starts one browser for all of them.
    audited: dict[Path, ProductAudit] = {}
    for name, group in groups.items():
        kind = default_formats()[name]
        found = (
            kind.auditor().audit_files(group, root, output_dir, products)
            if kind.print
            else kind.auditor().audit_files(group, root, output_dir)
        )
        audited.update(zip(group, found, strict=True))
    return [audited[path] for path in chosen]
