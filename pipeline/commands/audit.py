"""``plainleaf audit``: audit every rendered PDF, EPUB, BRF and web page, write ``output/reports/audit.html``, exit 1
on any error.

What could not be checked (a validator rule that crashed) does not change the exit status, which is about errors
found, but it is never shown as a plain pass: the file is listed as "pass, N rules not checked" and warned of.
"""

from __future__ import annotations

import argparse
import json
import logging
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


@dataclass(slots=True)
class AuditOptions:
    """What to audit and how to show it."""

    files: list[Path] = field(default_factory=list)
    """These PDFs, EPUBs, BRFs or web pages; empty for every product in the output folder."""
    json: bool = False
    """Machine-readable findings."""


def options(args: argparse.Namespace) -> AuditOptions:
    """Typed options from the parsed arguments."""
    return AuditOptions([Path(name) for name in args.files], args.json)


def run(context: Context, options: AuditOptions) -> int:
    """Audit, write the report, print the findings and what was not checked; 0 when no product has an error,
    else 1."""
    # Imported here so that building the command line's parser does not load WeasyPrint and pikepdf.
    from pipeline.atomic import write_text
    from pipeline.audit.products import audit_output, find_products, format_of
    from pipeline.audit.report import render_html, render_table, report_json
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

    audits = audit_output(output_dir, config.root, files or None, declared_products(config, config.documents())[0])
    record_verdicts(config.root, output_dir, audits)
    generated = catalog_date()
    target = output_dir / REPORT
    write_text(target, render_html(audits, generated))
    if options.json:
        print(json.dumps(report_json(audits, generated), indent=2, ensure_ascii=False))
    else:
        print(render_table(audits))
        for audit in audits:
            for finding in audit.findings:
                if finding.severity in (Severity.ERROR, Severity.WARNING, Severity.LIMITATION):
                    print(finding)
        print(f"report: {context.shown(target)}")
    for audit in audits:
        if audit.not_checked:
            log.warning("%s: not checked: %s", audit.file, ", ".join(audit.not_checked))
    failed = [audit for audit in audits if not audit.passed]
    for audit in failed:
        log.error("%s fails its audit: %d errors", audit.file, len(audit.errors))
    return EXIT_FAILURE if failed else EXIT_OK


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
