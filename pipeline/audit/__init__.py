"""Audit stage: prove the rendered products are accessible (PDF/UA-1, large print, contrast, reading order; EPUB,
braille and web pages in :mod:`formats`).

``audit_output`` finds every PDF under the output folder and runs the checks of :data:`checks.CHECKS` on it
and its HTML twin, and the checks of each alternative format on every EPUB, BRF and web page;
``report.render_html`` and ``report.report_json`` present the result;
``command`` is the ``plainleaf audit`` command. Nothing here renders or changes a product.
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
    if name in ("audit_output", "audit_product", "find_pdfs", "find_products"):
        from pipeline.audit import products

        return getattr(products, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
