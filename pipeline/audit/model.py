"""What an audit finds: findings located by file and page, per product and for the whole output folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.errors import PipelineError, Severity

SCHEMA_VERSION = 1
"""Version of the JSON written by ``plainleaf audit --json``; bumped when a key changes meaning."""


class AuditError(PipelineError):
    """The audit cannot run at all (no output folder, nothing rendered)."""


@dataclass(slots=True, frozen=True)
class Finding:
    """One thing found in one product, located as precisely as the PDF allows."""

    file: str
    """The file it is in, relative to the project (``output/es/handout.pdf``)."""
    page: int | None
    """1-based page, or None for the document as a whole."""
    check: str
    """Id of the check that found it (``text-size``, ``contrast`` ...)."""
    severity: Severity
    """Error, warning, limitation or information."""
    message: str
    """What is wrong and, where it helps, what to change."""

    def __str__(self) -> str:
        where = f"{self.file}:page {self.page}" if self.page is not None else self.file
        return f"{where}: {self.severity.value}: [{self.check}] {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "file": self.file,
            "page": self.page,
            "check": self.check,
            "severity": self.severity.value,
            "message": self.message,
        }


@dataclass(slots=True, frozen=True)
class Check:
    """A named check of the audit, for the report's list of what was looked at."""

    id: str
    """Short id used in findings."""
    title: str
    """What it verifies, in one line."""
    standard: str
    """The rule it stands for (PDF/UA-1 clause, WCAG success criterion, large-print guidance)."""


@dataclass(slots=True)
class ProductAudit:
    """The audit of one PDF product (and its HTML twin)."""

    file: str
    """The PDF, relative to the project."""
    locale: str
    """Locale folder it sits in (``es``, ``zh_Hans``), empty when not in one."""
    product: str | None
    """Product name (``large-print``, ``handout``, ``summary``), None for a PDF no product makes."""
    draft: bool = False
    """Whether the file is a marked draft."""
    html: str | None = None
    """The HTML twin compared with the PDF text, relative to the project."""
    pages: int = 0
    """Page count."""
    page_limit: int | None = None
    """The product's page budget."""
    smallest_text_pt: float | None = None
    """Smallest visible text measured on the pages."""
    required_text_pt: float | None = None
    """The product's minimum text size."""
    lowest_contrast: float | None = None
    """Lowest text contrast ratio measured against its background."""
    checks: list[Check] = field(default_factory=list)
    """Every check run on this product, in report order."""
    findings: list[Finding] = field(default_factory=list)
    """Everything found."""

    @property
    def errors(self) -> list[Finding]:
        """Findings that fail the audit."""
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def passed(self) -> bool:
        """No errors."""
        return not self.errors

    def status_of(self, check: str) -> str:
        """``fail``, ``warning``, ``not checked`` or ``pass`` for one check of this product."""
        severities = {f.severity for f in self.findings if f.check == check}
        for severity, status in (
            (Severity.ERROR, "fail"),
            (Severity.LIMITATION, "not checked"),
            (Severity.WARNING, "warning"),
        ):
            if severity in severities:
                return status
        return "pass"

    def to_dict(self) -> dict[str, Any]:
        """JSON form (see :func:`pipeline.audit.report.report_json`)."""
        return {
            "file": self.file,
            "html": self.html,
            "locale": self.locale,
            "product": self.product,
            "draft": self.draft,
            "status": "pass" if self.passed else "fail",
            "pages": self.pages,
            "page_limit": self.page_limit,
            "smallest_text_pt": None if self.smallest_text_pt is None else round(self.smallest_text_pt, 2),
            "required_text_pt": self.required_text_pt,
            "lowest_contrast": None if self.lowest_contrast is None else round(self.lowest_contrast, 2),
            "checks": [
                {"id": c.id, "title": c.title, "standard": c.standard, "status": self.status_of(c.id)}
                for c in self.checks
            ],
            "findings": [f.to_dict() for f in self.findings],
        }
