"""``plainleaf audit``: audit every rendered PDF, write ``output/reports/audit.html``, exit 1 on any error.

The command line registers it with :func:`add_arguments` and calls :func:`run`; like the rest of the command
line, this module is the one place of the audit that writes to the terminal.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from pipeline.audit.model import AuditError, Severity
from pipeline.config import Config

log = logging.getLogger(__name__)

REPORT = Path("reports") / "audit.html"
"""Where the report goes, inside the output folder."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``plainleaf audit``."""
    parser.add_argument(
        "files", nargs="*", metavar="FILE.pdf", help="audit these PDFs (default: every PDF in the output folder)"
    )
    parser.add_argument(
        "--json", action="store_true", help="machine-readable findings (schema in pipeline/audit/report.py)"
    )


def _relative(path: Path, config: Config) -> str:
    try:
        return path.resolve().relative_to(config.root.resolve()).as_posix()
    except ValueError:
        return str(path)


def run(config: Config, args: argparse.Namespace) -> int:
    """Audit, write the report, print the findings; 0 when no product has an error, else 1."""
    # Imported here so that building the command line's parser does not load WeasyPrint and pikepdf.
    from pipeline.atomic import write_text
    from pipeline.audit.products import audit_output, find_pdfs
    from pipeline.audit.report import render_html, render_table, report_json
    from pipeline.pofile import catalog_date

    output_dir = config.path(config.output_dir)
    files = [Path(name) for name in getattr(args, "files", None) or []]
    for path in files:
        if path.suffix.lower() != ".pdf" or not path.is_file():
            raise AuditError("no such PDF file", path)
    if not files and not find_pdfs(output_dir):
        raise AuditError("no PDF to audit; run 'plainleaf render' first", _relative(output_dir, config))
    audits = audit_output(output_dir, config.root, files or None)
    generated = catalog_date()
    target = output_dir / REPORT
    write_text(target, render_html(audits, generated))
    if getattr(args, "json", False):
        print(json.dumps(report_json(audits, generated), indent=2, ensure_ascii=False))
    else:
        print(render_table(audits))
        for audit in audits:
            for finding in audit.findings:
                if finding.severity in (Severity.ERROR, Severity.WARNING):
                    print(finding)
        print(f"report: {_relative(target, config)}")
    failed = [audit for audit in audits if not audit.passed]
    for audit in failed:
        log.error("%s fails its audit: %d errors", audit.file, len(audit.errors))
    return 1 if failed else 0
