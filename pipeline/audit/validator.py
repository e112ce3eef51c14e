"""The independent PDF/UA validator (PyPI ``pdfua``), run rule by rule so one broken rule cannot hide the rest.

A rule that raises on a file is reported as a limitation of the tool ("not checked"), never as a pass. One known
crash is repaired rather than reported: pdfua 0.1.3's empty-heading rule UA-14-001 asks every ``/K`` of a heading
``getattr(kid, "is_integer", False)``. pikepdf 10 has no ``Object.is_integer``, so the lookup falls through to
pikepdf's dictionary-key access, which raises ``ValueError`` (not ``AttributeError``, so ``getattr``'s default never
applies) on an array, and WeasyPrint writes every ``/K`` as an array: the rule crashed on all 15 shipped files. Where
the rule raises, the same rule runs again with the content-item test written for pikepdf 10
(:class:`EmptyHeadingRepaired`); its findings are pdfua's own, with pdfua's id, severity and message, and an
information line says the repair was used. The other 11 rules of pdfua 0.1.3 run unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pdfua.document import PdfDocument, StructElement
from pdfua.errors import PdfuaError
from pdfua.model import Confidence, Finding
from pdfua.model import Severity as PdfuaSeverity
from pdfua.rules import default_registry
from pdfua.rules.base import Rule
from pdfua.rules.structure import EmptyHeadingRule

from pipeline.audit.model import rule_not_run_message
from pipeline.errors import Severity

if TYPE_CHECKING:
    import pikepdf


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


def _content_item(node: object) -> bool:
    """Whether a ``/K`` entry marks page content: an MCID (a plain ``int`` in pikepdf 10, never ``bool``) or a
    marked-content reference dictionary (ISO 32000-1 14.7.4.2, Table 324)."""
    import pikepdf

    if isinstance(node, int) and not isinstance(node, bool):
        return True
    return isinstance(node, pikepdf.Dictionary) and node.get("/Type") == pikepdf.Name("/MCR")


def _marks_content(node: pikepdf.Object, depth: int = 0) -> bool:
    """Whether the ``/K`` chain of a structure element reaches at least one content item. Unlike pdfua 0.1.3 it
    also counts an ``/MCR`` inside an array (pdfua only sees one that is the whole ``/K``). Depth-bounded because a
    damaged tree may loop; the audit's own structure check reports loops."""
    import pikepdf

    if depth > 256 or not isinstance(node, pikepdf.Dictionary):
        return False
    kid = node.get("/K")
    if kid is None:
        return False
    kids = list(kid) if isinstance(kid, pikepdf.Array) else [kid]
    return any(_content_item(item) or _marks_content(item, depth + 1) for item in kids)


class EmptyHeadingRepaired(EmptyHeadingRule):
    """pdfua's UA-14-001 (PDF/UA-1 7.4: headings are not empty), unchanged but for the content-item test."""

    @staticmethod
    def _has_text(element: StructElement) -> bool:
        """True if the heading or anything under it marks page content."""
        return _marks_content(element.obj)


REPAIRED: dict[str, Rule] = {EmptyHeadingRule.id: EmptyHeadingRepaired()}
"""Rules run again, repaired, when pdfua's own raises: rule id -> the repaired rule."""


def validator_version() -> str:
    """The installed pdfua version, for the report."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pdfua")
    except PackageNotFoundError:
        return "unknown"


def _severity(finding: Finding) -> Severity:
    """Certain errors fail the audit; heuristic ones and warnings are warnings; information stays information."""
    if finding.severity is PdfuaSeverity.ERROR and finding.confidence is Confidence.CERTAIN:
        return Severity.ERROR
    if finding.severity is PdfuaSeverity.INFO:
        return Severity.INFO
    return Severity.WARNING


def _run_rule(rule: Rule, doc: PdfDocument) -> Iterator[ValidatorFinding]:
    """One rule's findings; raises what the rule raises."""
    for result in tuple(rule.check(doc)):
        where = [part for part in (result.location.struct_role, result.location.object_path) if part]
        detail = f" ({', '.join(where)})" if where else ""
        yield ValidatorFinding(
            rule.id, _severity(result), result.location.page, f"pdfua {rule.id}: {result.message}{detail}"
        )


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
                findings.extend(_run_rule(rule, doc))
                completed += 1
                continue
            except Exception as exc:  # a third-party rule may raise anything; say so, go on
                crash = f"{type(exc).__name__}: {exc}"
            repaired = REPAIRED.get(rule.id)
            if repaired is not None:
                try:
                    findings.extend(_run_rule(repaired, doc))
                except Exception as exc:
                    crash += f"; repaired rule: {type(exc).__name__}: {exc}"
                else:
                    completed += 1
                    findings.append(
                        ValidatorFinding(
                            rule.id, Severity.INFO, None, f"pdfua rule {rule.id} raised {crash}; ran repaired"
                        )
                    )
                    continue
            findings.append(
                ValidatorFinding(rule.id, Severity.LIMITATION, None, rule_not_run_message(rule.id, rule.title, crash))
            )
    return completed, findings
