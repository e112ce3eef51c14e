"""What an audit finds: findings located by file and page, per product and for the whole output folder."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pipeline.errors import PipelineError, Severity

log = logging.getLogger(__name__)

T = TypeVar("T")
"""The evidence a format's checks read (an EPUB's ``Book``, a BRF's ``Braille``, a web ``Page``)."""

Result = tuple[Severity, str]
"""What a format check yields: severity and message (the whole file is the place; messages name pages, lines)."""

SCHEMA_VERSION = 3
"""Version of the JSON written by ``plainleaf audit --json``; bumped when a key changes meaning (2: a product's
``status`` is ``incomplete``, not ``pass``, when something on it was not checked; 3: ``products`` holds every
format, each with its ``format``, and the summary counts them all, not PDFs only)."""

_RULE_NOT_RUN = re.compile(r"^pdfua rule (?P<rule>[A-Z]+-\d+-\d+) \(.*?\) could not run: ")
"""How :func:`rule_not_run_message` begins, so the report can name the rule that did not run."""


def rule_not_run_message(rule: str, title: str, reason: str) -> str:
    """The message of a validator rule that could not run on a file (a "not checked" finding)."""
    return f"pdfua rule {rule} ({title}) could not run: {reason}"


def rule_not_run(message: str) -> str | None:
    """The pdfua rule id in a :func:`rule_not_run_message`, else None."""
    found = _RULE_NOT_RUN.match(message)
    return found.group("rule") if found else None


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
    """The audit of one product file: a PDF (and its HTML twin), an EPUB, a BRF or a web page."""

    file: str
    """The PDF, EPUB, BRF or web page, relative to the project."""
    locale: str
    """Locale folder it sits in (``es``, ``zh_Hans``), empty when not in one."""
    product: str | None
    """Product name (``large-print``, ``handout``, ``summary``), None for a PDF no product makes."""
    draft: bool = False
    """Whether the file is a marked draft."""
    format: str = "pdf"
    """``pdf``, ``epub``, ``brf`` (braille) or ``web`` (a page of the web edition)."""
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
        """No errors (the exit status); whether everything was checked is :attr:`not_checked`."""
        return not self.errors

    @property
    def not_checked(self) -> list[str]:
        """What did not run on this product, once each, in finding order: ``pdfua UA-14-001`` for a validator rule
        that crashed, ``pdfua`` when the validator could not open the file, else the id of our own check."""
        names: list[str] = []
        for finding in self.findings:
            if finding.severity is not Severity.LIMITATION:
                continue
            rule = rule_not_run(finding.message) if finding.check == "pdfua" else None
            name = f"pdfua {rule}" if rule else finding.check
            if name not in names:
                names.append(name)
        return names

    @property
    def status(self) -> str:
        """``fail`` (an error), ``incomplete`` (no error, but something was not checked) or ``pass`` (every check
        ran and none found an error)."""
        if self.errors:
            return "fail"
        return "incomplete" if self.not_checked else "pass"

    @property
    def result(self) -> str:
        """The status in words, as the report and the terminal show it: ``pass``, ``pass, 1 rule not checked``,
        ``fail: 2 errors, 1 rule not checked``."""
        errors = len(self.errors)
        words = f"fail: {errors} error{'s' if errors != 1 else ''}" if errors else "pass"
        missing = len(self.not_checked)
        return f"{words}, {missing} rule{'s' if missing != 1 else ''} not checked" if missing else words

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
            "format": self.format,
            "html": self.html,
            "locale": self.locale,
            "product": self.product,
            "draft": self.draft,
            "status": self.status,
            "not_checked": self.not_checked,
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


def run_checks(audit: ProductAudit, checks: list[tuple[Check, Callable[[T], Iterable[Result]]]], evidence: T) -> None:
    """Run every check on ``evidence``; a check that breaks says so as "not checked", never as a pass."""
    for check, function in checks:
        try:
            for severity, message in function(evidence):
                audit.findings.append(Finding(audit.file, None, check.id, severity, message))
        except Exception as exc:  # a check that breaks on a file must say so, not pass
            log.debug("check %s failed on %s", check.id, audit.file, exc_info=True)
            audit.findings.append(
                Finding(audit.file, None, check.id, Severity.LIMITATION, f"check failed: {type(exc).__name__}: {exc}")
            )
