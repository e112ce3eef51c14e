"""Audit stage: prove the rendered products are accessible. It mirrors ``pipeline/render/``: one module per format,
chosen by the format registry (:mod:`pipeline.formats`).

:mod:`.pdf` runs the checks of :data:`checks.CHECKS` (PDF/UA-1, large print, contrast, reading order) on every PDF
and its HTML twin; :mod:`.epub`, :mod:`.braille` and :mod:`.web` audit the EPUBs, BRFs and web pages;
:mod:`.products` finds every product file and runs its format's audit (``audit_output``); ``report.render_html``
and ``report.report_json`` present the result. ``plainleaf audit`` is :mod:`pipeline.commands.audit`. Nothing here
renders or changes a product.
"""

from __future__ import annotations

from typing import Any

from pipeline.audit.model import AuditError, Check, Finding, ProductAudit
from pipeline.errors import Severity

__all__ = [
    "AuditError",
    "Check",
    "Finding",
    "ProductAudit",
    "Severity",
    "audit_output",
    "audit_product",
    "find_pdfs",
    "find_products",
]


def __getattr__(name: str) -> Any:
    # The auditing functions load pikepdf, pdfua and the renderer: only when asked for, so that the command
    # line can register ``plainleaf audit`` without the cost.
    if name in ("audit_output", "find_products"):
        from pipeline.audit import products

        return getattr(products, name)
    if name in ("audit_product", "find_pdfs"):
        from pipeline.audit import pdf

        return getattr(pdf, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
