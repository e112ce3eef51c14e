"""The independent PDF/UA validator (PyPI ``pdfua``), run rule by rule so one broken rule cannot hide the rest.

A rule that raises on a file is reported as a limitation of the tool ("not checked"), never as a pass: in
pdfua 0.1.3 the empty-heading rule UA-14-001 raises on every WeasyPrint file (it calls ``.get`` on an array),
and the audit's own ``headings`` check covers that ground.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pdfua.document import PdfDocument
from pdfua.errors import PdfuaError
from pdfua.model import Confidence
from pdfua.model import Severity as PdfuaSeverity
from pdfua.rules import default_registry

from pipeline.errors import Severity


@dataclass(slots=True, frozen=True)
class ValidatorFinding:
    """One outcome of one pdfua rule."""

    rule: str
    """pdfua rule id (``UA-01-005``)."""
    severity: Severity
    """Our severity: certain errors are errors, heuristic ones warnings, crashes limitations."""
    page: int | None
    """1-based page, when the rule names one."""
    message: str
    """What it said."""


def validator_version() -> str:
    """The installed pdfua version, for the report."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pdfua")
    except PackageNotFoundError:
        return "unknown"


def run_validator(path: Path) -> tuple[int, list[ValidatorFinding]]:
    """Run every pdfua rule on ``path``; returns how many rules completed and what they found."""
    findings: list[ValidatorFinding] = []
    completed = 0
    try:
        document = PdfDocument.open(str(path))
    except (PdfuaError, OSError, ValueError, RuntimeError) as exc:
        return 0, [ValidatorFinding("pdfua", Severity.LIMITATION, None, f"pdfua cannot open the file: {exc}")]
    with document as doc:
        for rule in default_registry():
            try:
                results = tuple(rule.check(doc))
            except Exception as exc:  # a third-party rule may raise anything; say so, go on
                findings.append(
                    ValidatorFinding(
                        rule.id,
                        Severity.LIMITATION,
                        None,
                        f"pdfua rule {rule.id} ({rule.title}) could not run: {type(exc).__name__}: {exc}",
                    )
                )
                continue
            completed += 1
            for result in results:
                if result.severity is PdfuaSeverity.ERROR and result.confidence is Confidence.CERTAIN:
                    severity = Severity.ERROR
                elif result.severity is PdfuaSeverity.INFO:
                    severity = Severity.INFO
                else:
                    severity = Severity.WARNING
                where = [part for part in (result.location.struct_role, result.location.object_path) if part]
                detail = f" ({', '.join(where)})" if where else ""
                findings.append(
                    ValidatorFinding(
                        rule.id, severity, result.location.page, f"pdfua {rule.id}: {result.message}{detail}"
                    )
                )
    return completed, findings
