"""``plainleaf audit``: audit every rendered PDF, EPUB, BRF and web page, write ``output/reports/audit.html`` (and the
same as data, ``audit.json``), exit 1 on any error.

What could not be checked (a validator rule that crashed) does not change the exit status, which is about errors
found, but it is never shown as a plain pass: the file is listed as "pass, N rules not checked" and warned of, one
line per kind of thing not checked (not one per file).

The audit is incremental: a product whose file, audit code and validators have not changed since its last audit
keeps that result (:mod:`pipeline.audit.cache`), and the closing line says how many were reused; ``--force`` audits
everything again. The report and exit status are the same either way. The terminal gets the errors and a summary;
``-v`` adds the table of every product and every warning, and the report has it all.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.audit.model import AuditError, ProductAudit
from pipeline.audit.products import audited_suffixes
from pipeline.commands import EXIT_FAILURE, EXIT_OK, Context
from pipeline.errors import Severity

log = logging.getLogger("pipeline")

HELP = "audit every product: PDF/UA-1, fonts, size, contrast, reading order; EPUB, braille and web pages"

REPORT = Path("reports") / "audit.html"
"""Where the report goes, inside the output folder."""
REPORT_JSON = Path("reports") / "audit.json"
"""The same report as data (what ``--json`` prints), beside it: for a CI system or a dashboard reading the main
job's audit without running another."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``plainleaf audit``."""
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help=f"audit these {audited_suffixes()} files (default: every product in the output folder)",
    )
    parser.add_argument(
        "--json", action="store_true", help="machine-readable findings (schema in pipeline/audit/report.py)"
    )
    parser.add_argument(
        "--force", action="store_true", help="audit every product again, even those unchanged since their last audit"
    )


@dataclass(slots=True)
class AuditOptions:
    """What to audit and how to show it."""

    files: list[Path] = field(default_factory=list)
    """These PDFs, EPUBs, BRFs or web pages; empty for every product in the output folder."""
    json: bool = False
    """Machine-readable findings."""
    force: bool = False
    """Audit every product again instead of reusing the results of those unchanged since their last audit."""


def options(args: argparse.Namespace) -> AuditOptions:
    """Typed options from the parsed arguments."""
    return AuditOptions([Path(name) for name in args.files], args.json, args.force)


def run(context: Context, options: AuditOptions) -> int:
    """Audit what changed (everything with ``--force``), write the report, print the errors and a summary; 0 when
    no product has an error, else 1."""
    # Imported here so that building the command line's parser does not load WeasyPrint and pikepdf.
    from pipeline.atomic import write_text
    from pipeline.audit.cache import AuditCache
    from pipeline.audit.products import audit_output, find_products, format_of
    from pipeline.audit.report import render_html, render_table, report_json, summary_line
    from pipeline.catalogs.pofile import catalog_date

    config = context.config()
    output_dir = config.path(config.output_dir)
    files = options.files
    for path in files:
        format_of(path)  # an AuditError when no format's audit reads it
        if not path.is_file():
            raise AuditError("no such file", path)
    if not files and not find_products(output_dir):
        raise AuditError("nothing to audit; run 'plainleaf build' first", context.shown(output_dir))
    from pipeline.render.products import declared_products

    # --force starts from no kept result, and keeps the fresh ones for the next audit.
    cache = AuditCache(output_dir) if options.force else AuditCache.load(output_dir)
    products = declared_products(config, config.documents())[0]
    audits = audit_output(output_dir, config.root, files or None, products, cache=cache)
    record_verdicts(config.root, output_dir, audits)
    generated = catalog_date()
    target = output_dir / REPORT
    write_text(target, render_html(audits, generated))
    data = json.dumps(report_json(audits, generated), indent=2, ensure_ascii=False)
    write_text(output_dir / REPORT_JSON, data + "\n")
    reused = f"{cache.reused} reused from the last audit, {len(audits) - cache.reused} audited"
    if options.json:
        print(data)
        print(f"audit: {len(audits)} products ({reused})", file=sys.stderr)
    else:
        if context.verbose:
            print(render_table(audits))
        shown = (Severity.ERROR, Severity.WARNING, Severity.LIMITATION) if context.verbose else (Severity.ERROR,)
        for audit in audits:
            for finding in audit.findings:
                if finding.severity in shown:
                    print(finding)
        counts = summary_line(audits).split(": ", 1)[1]
        print(f"audit: {len(audits)} product{'s' if len(audits) != 1 else ''} ({reused}): {counts}")
        if not context.verbose:
            warned = [audit for audit in audits if any(f.severity is Severity.WARNING for f in audit.findings)]
            if warned:
                count = sum(f.severity is Severity.WARNING for audit in warned for f in audit.findings)
                print(f"audit: {count} warnings on {len(warned)} products: in the report (or plainleaf audit -v)")
        print(f"report: {context.shown(target)}")
    for line in not_checked_lines(audits):
        log.warning("%s", line)
    failed = [audit for audit in audits if not audit.passed]
    for audit in failed:
        log.error("%s fails its audit: %d errors", audit.file, len(audit.errors))
    return EXIT_FAILURE if failed else EXIT_OK


def not_checked_lines(audits: list[ProductAudit]) -> list[str]:
    """One line per kind of thing not checked (``axe``, ``pdfua UA-14-001``): how many products of which formats,
    and why, in the words of its first finding: ``not checked: axe on 16 web products (missing node)``."""
    kinds: dict[str, list[ProductAudit]] = {}
    for audit in audits:
        for name in audit.not_checked:
            kinds.setdefault(name, []).append(audit)
    lines = []
    for name, products in kinds.items():
        check = name.split()[0] if name.startswith("pdfua ") else name
        why = next(
            (f.message for f in products[0].findings if f.severity is Severity.LIMITATION and f.check == check), ""
        )
        formats = ", ".join(sorted({audit.format for audit in products}))
        count = len(products)
        where = products[0].file if count == 1 else f"{count} {formats} products"
        lines.append(f"not checked: {name} on {where}: {why}" if why else f"not checked: {name} on {where}")
    return lines


def record_verdicts(root: Path, output_dir: Path, audits: Sequence[ProductAudit]) -> None:
    """Keep what the audit found of each file of the output folder for the print desk, which never calls a product
    that fails its audit ready (:func:`pipeline.builder.manifest.save_audits`): its hash and first error."""
    from pipeline.builder.manifest import save_audits, sha256_file

    verdicts = {}
    for audit in audits:
        path = (root / audit.file).resolve()
        if not path.is_relative_to(output_dir.resolve()):
            continue
        first = next((finding for finding in audit.findings if finding.severity is Severity.ERROR), None)
        where = f"page {first.page}: " if first is not None and first.page else ""
        verdicts[path.relative_to(output_dir.resolve()).as_posix()] = {
            "sha256": sha256_file(path),
            "error": f"{where}[{first.check}] {first.message}" if first is not None else None,
        }
    save_audits(output_dir, verdicts)
