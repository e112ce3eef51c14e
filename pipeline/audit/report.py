"""The audit presented: a self-contained, accessible HTML page, JSON, and a compact terminal table.

JSON schema (``schema`` 1; every key always present, ``null`` where stated)::

    {
      "schema": 1,
      "generated": "2026-11-29 10:00+0000",        # SOURCE_DATE_EPOCH honoured
      "validator": {"name": "pdfua", "version": "0.1.3"},
      "summary": {"products": 15, "failed": 1, "errors": 1, "warnings": 0, "not_checked": 15},
      "products": [{
        "file": "output/es/handout.pdf",           # relative to the project
        "html": "output/es/handout.html",          # HTML twin compared with it, or null
        "locale": "es", "product": "handout",      # product null: a PDF no product makes
        "draft": false, "status": "pass" | "fail",
        "pages": 2, "page_limit": 2,               # page_limit null: no budget
        "smallest_text_pt": 14.0, "required_text_pt": 14.0,
        "lowest_contrast": 18.88,                  # WCAG ratio, null when no text was measured
        "checks": [{"id": "contrast", "title": "...", "standard": "WCAG 2.2 1.4.6",
                    "status": "pass" | "fail" | "warning" | "not checked"}],
        "findings": [{"file": "output/es/handout.pdf", "page": 2 | null, "check": "contrast",
                      "severity": "error" | "warning" | "not checked" | "info", "message": "..."}]
      }]
    }
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from pipeline.audit.model import SCHEMA_VERSION, ProductAudit
from pipeline.audit.validator import validator_version
from pipeline.errors import Severity


def _count(audits: Sequence[ProductAudit], severity: Severity) -> int:
    return sum(1 for audit in audits for finding in audit.findings if finding.severity is severity)


def report_json(audits: Sequence[ProductAudit], generated: str) -> dict[str, Any]:
    """The audit as JSON-ready data (schema above)."""
    return {
        "schema": SCHEMA_VERSION,
        "generated": generated,
        "validator": {"name": "pdfua", "version": validator_version()},
        "summary": {
            "products": len(audits),
            "failed": sum(not audit.passed for audit in audits),
            "errors": _count(audits, Severity.ERROR),
            "warnings": _count(audits, Severity.WARNING),
            "not_checked": _count(audits, Severity.LIMITATION),
        },
        "products": [audit.to_dict() for audit in audits],
    }


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("pipeline.audit", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["anchor"] = lambda path: "p-" + "".join(c if c.isalnum() else "-" for c in str(path))
    return environment


def render_html(audits: Sequence[ProductAudit], generated: str) -> str:
    """``output/reports/audit.html``: one self-contained page (no scripts, no external resources)."""
    template = _environment().get_template("audit.html.j2")
    failed = [audit for audit in audits if not audit.passed]
    return template.render(
        audits=audits,
        failed=failed,
        generated=generated,
        validator=validator_version(),
        summary=report_json(audits, generated)["summary"],
        Severity=Severity,
    )


def render_table(audits: Sequence[ProductAudit]) -> str:
    """A compact terminal table: one line per product."""
    rows = [f"{'file':<42} {'pages':>7} {'min pt':>7} {'contrast':>8} {'errors':>6}  result"]
    for audit in audits:
        pages = f"{audit.pages}/{audit.page_limit}" if audit.page_limit else str(audit.pages)
        size = f"{audit.smallest_text_pt:.1f}" if audit.smallest_text_pt is not None else "-"
        contrast = f"{audit.lowest_contrast:.1f}:1" if audit.lowest_contrast is not None else "-"
        verdict = "pass" if audit.passed else "FAIL"
        rows.append(f"{audit.file:<42} {pages:>7} {size:>7} {contrast:>8} {len(audit.errors):>6}  {verdict}")
    return "\n".join(rows)
