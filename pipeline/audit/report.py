"""The audit presented: a self-contained, accessible HTML page, JSON, and a compact terminal table.

The banner is green only when every product passed every check that ran and nothing went unchecked; amber when
no product has an error but something was not checked (it names the files); red on any error.

Every format is audited: PDFs, EPUB books, braille (BRF) and the web edition's pages; a web page is not green
where axe-core's WCAG 2.2 AA rules could not run (its node packages come with ``make test``): that row is "not
checked".

JSON schema (``schema`` 3; every key always present, ``null`` where stated)::

    {
      "schema": 3,                                 # 2: "status" "incomplete", "not_checked" lists, "verdict";
                                                   # 3: "products" holds every format, each with "format", and
                                                   #    "summary" counts them all (2 counted PDFs only)
      "generated": "2026-11-29 10:00+0000",        # SOURCE_DATE_EPOCH honoured
      "validator": {"name": "pdfua", "version": "0.1.3"},
      "summary": {"products": 15, "failed": 1,     # product files of every format; those with an error
                  "incomplete": 2,                 # products without error on which something was not checked
                  "errors": 1, "warnings": 0,
                  "not_checked": 2,                # "not checked" findings, all products
                  "verdict": "pass" | "incomplete" | "fail"},   # the banner: green, amber, red
      "products": [{
        "file": "output/es/handout.pdf",           # relative to the project
        "format": "pdf" | "epub" | "brf" | "web",  # web: a page of output/site/
        "html": "output/es/handout.html",          # HTML twin compared with a PDF, or null
        "locale": "es", "product": "handout",      # product null: a PDF no product makes; "guide (EPUB)",
                                                   # "guide (braille)", "guide (web)", "language chooser (web)";
                                                   # locale of a web page: its folder's language tag ("zh-Hans")
        "draft": false,
        "status": "pass" | "incomplete" | "fail",  # incomplete: no error, but not_checked is not empty
        "not_checked": ["pdfua UA-14-001"],        # what did not run: a pdfua rule, "pdfua", or our check's id
                                                   # ("epubcheck" when it is not installed, "axe" on web pages)
        "pages": 2, "page_limit": 2,               # page_limit null: no budget; pages 0 for epub and web
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
from pipeline.formats import default_formats


def format_names() -> dict[str, str]:
    """Each format as the report names it (``brf``: ``Braille (BRF)``), from the format registry."""
    return {name: kind.audit_label for name, kind in default_formats().by_audit_name().items()}


def page_units() -> dict[str, str]:
    """The page unit of each format with pages (``pdf``: ``page``, ``brf``: ``braille page``); an EPUB and a web
    page reflow, so they have none."""
    return {name: kind.page_unit for name, kind in default_formats().by_audit_name().items() if kind.page_unit}


def _count(audits: Sequence[ProductAudit], severity: Severity) -> int:
    return sum(1 for audit in audits for finding in audit.findings if finding.severity is severity)


def verdict(audits: Sequence[ProductAudit]) -> str:
    """``fail`` when a product has an error, ``incomplete`` when none has but something was not checked, else
    ``pass``: the colour of the banner (red, amber, green)."""
    statuses = {audit.status for audit in audits}
    return "fail" if "fail" in statuses else ("incomplete" if "incomplete" in statuses else "pass")


def report_json(audits: Sequence[ProductAudit], generated: str) -> dict[str, Any]:
    """The audit as JSON-ready data (schema above)."""
    return {
        "schema": SCHEMA_VERSION,
        "generated": generated,
        "validator": {"name": "pdfua", "version": validator_version()},
        "summary": {
            "products": len(audits),
            "failed": sum(audit.status == "fail" for audit in audits),
            "incomplete": sum(audit.status == "incomplete" for audit in audits),
            "errors": _count(audits, Severity.ERROR),
            "warnings": _count(audits, Severity.WARNING),
            "not_checked": _count(audits, Severity.LIMITATION),
            "verdict": verdict(audits),
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
    return template.render(
        audits=audits,
        failed=[audit for audit in audits if audit.status == "fail"],
        unchecked=[audit for audit in audits if audit.not_checked],
        verdict=verdict(audits),
        generated=generated,
        validator=validator_version(),
        summary=report_json(audits, generated)["summary"],
        summary_line=summary_line(audits),
        Severity=Severity,
        FORMATS=format_names(),
        PAGED=page_units(),
    )


def render_table(audits: Sequence[ProductAudit]) -> str:
    """A compact terminal table: one line per product."""
    rows = [f"{'file':<42} {'format':<6} {'pages':>7} {'min pt':>7} {'contrast':>8} {'errors':>6}  result"]
    paged = page_units()
    for audit in audits:
        pages = f"{audit.pages}/{audit.page_limit}" if audit.page_limit else str(audit.pages)
        pages = pages if audit.format in paged else "-"
        size = f"{audit.smallest_text_pt:.1f}" if audit.smallest_text_pt is not None else "-"
        contrast = f"{audit.lowest_contrast:.1f}:1" if audit.lowest_contrast is not None else "-"
        result = "FAIL" + audit.result.removeprefix("fail") if audit.status == "fail" else audit.result
        rows.append(
            f"{audit.file:<42} {audit.format:<6} {pages:>7} {size:>7} {contrast:>8} {len(audit.errors):>6}  {result}"
        )
    rows.append(summary_line(audits))
    return "\n".join(rows)


def summary_line(audits: Sequence[ProductAudit]) -> str:
    """The banner in words: ``15 products: 13 pass, 2 pass with something not checked, 0 fail``."""
    counts = {status: sum(audit.status == status for audit in audits) for status in ("pass", "incomplete", "fail")}
    return (
        f"{len(audits)} product{'s' if len(audits) != 1 else ''}: {counts['pass']} pass, "
        f"{counts['incomplete']} pass with something not checked, {counts['fail']} fail"
    )
