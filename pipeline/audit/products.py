"""Audit every product file: each format's audit (:mod:`.pdf`, :mod:`.epub`, :mod:`.braille`, :mod:`.web`) chosen
by the format registry (:mod:`pipeline.formats`), from where a file sits or its suffix."""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import sha256
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.audit.cache import AuditCache, audit_with_cache, product_key, validator_versions
from pipeline.audit.model import AuditError, ProductAudit
from pipeline.errors import shown as shown_path
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


COMPANIONS = {"pdf": (".html",), "brf": (".txt",)}
"""Files a format's audit reads besides the product, by suffix beside it: a PDF's HTML twin (its text is compared),
a BRF's Unicode braille twin."""


def audit_output(
    output_dir: Path,
    root: Path,
    paths: Sequence[Path] | None = None,
    products: Sequence[Product] | None = None,
    *,
    cache: AuditCache | None = None,
) -> list[ProductAudit]:
    """Audit ``paths`` (PDFs, EPUBs, BRFs, web pages), or every product file under ``output_dir``, in that order;
    ``products`` are the project's, as its documents declare them, whose rules (smallest type, page budget) each
    print product is held to whatever its file's name (the shipped documents' when None).

    With ``cache``, a product whose file, companions, audit code, rules and validators are those of a kept result is
    not audited again (:mod:`pipeline.audit.cache`); what is audited is kept, and the cache saved."""
    chosen = list(paths or find_products(output_dir))
    groups: dict[str, list[Path]] = {}
    for path in chosen:
        groups.setdefault(format_of(path).name, []).append(path)
    # Each format's files together: the web pages' axe-core, where it can run, starts one browser for all of them,
    # and EPUBCheck one JVM for all the books.
    audited: dict[Path, ProductAudit] = {}
    for name, group in groups.items():
        kind = default_formats()[name]
        validators = validator_versions(kind.audit_name, _axe_folder() if kind.audit_name == "web" else None)
        if kind.print:
            # The rules a print product is held to come from the documents' declarations, not only from the code.
            # Named relative to the project, so that a copy of it (a clinic's other machine, a test) keeps its results.
            rules = repr(list(products or [])).replace(str(root.resolve()), "<project>").replace(str(root), "<project>")
            validators["products"] = sha256(rules.encode()).hexdigest()

        def key_of(path: Path, audit_name: str = kind.audit_name, validators: dict[str, str] = validators) -> str:
            companions = [path.with_suffix(suffix) for suffix in COMPANIONS.get(audit_name, ())]
            return product_key(path, shown_path(path, root), companions, validators)

        def audit_all(todo: list[Path], kind: Format = kind) -> list[ProductAudit]:
            # The format's audit is imported only when something is to be audited: the PDF audit loads pikepdf,
            # the braille audit the renderer and WeasyPrint (1.1 s), which a fully reused audit never needs.
            auditor = kind.auditor()
            found: list[ProductAudit] = (
                auditor.audit_files(todo, root, output_dir, products)
                if kind.print
                else auditor.audit_files(todo, root, output_dir)
            )
            return found

        audited.update(zip(group, audit_with_cache(group, cache, key_of, audit_all), strict=True))
    if cache is not None:
        cache.save()
    return [audited[path] for path in chosen]


def _axe_folder() -> Path:
    from pipeline.audit.web import AXE_FOLDER

    return AXE_FOLDER
