"""Audit the print products: find every PDF of the output folder, read it once (with its HTML twin), run every check
of :data:`pipeline.audit.checks.CHECKS` on it (PDF/UA-1, large print, contrast, reading order)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import pikepdf

from pipeline.audit.checks import CHECKS, Evidence, Expectations
from pipeline.audit.content import read_pages
from pipeline.audit.files import locale_folder
from pipeline.audit.html_text import read_html
from pipeline.audit.model import Finding, ProductAudit
from pipeline.audit.structure import read_structure
from pipeline.errors import Severity
from pipeline.errors import shown as shown_path
from pipeline.render.errors import RenderError
from pipeline.render.locales import text_locale
from pipeline.render.products import Product, default_products

log = logging.getLogger(__name__)

LARGE_PRINT = "large-print"
"""The product held to large-print rules beyond its size (no italics)."""


def find_pdfs(output_dir: Path) -> list[Path]:
    """Every product PDF under ``output_dir`` (not reports, not older editions kept in ``editions/``, which were
    audited when they were current, not temporary files), sorted."""
    if not output_dir.is_dir():
        return []
    return sorted(
        path
        for path in output_dir.rglob("*.pdf")
        if path.is_file()
        and not path.name.startswith(".")
        and not {"reports", "editions"} & set(path.relative_to(output_dir).parts)
    )


def expectations(pdf: Path, output_dir: Path, products: Sequence[Product]) -> tuple[Expectations, str, bool]:
    """What the PDF at ``pdf`` must be (from its name and locale folder), its locale code and whether it is a draft."""
    locale = locale_folder(pdf, output_dir)
    language = None
    if locale:
        try:
            language = text_locale(locale).tag
        except RenderError:
            language = None
    for product in products:
        for draft in (False, True):
            if pdf.stem == product.file_stem(draft):
                return (
                    Expectations(
                        product=product.name,
                        min_text_pt=product.min_font_pt,
                        max_pages=product.max_pages,
                        no_italics=product.name == LARGE_PRINT,
                        language=language,
                    ),
                    locale,
                    draft,
                )
    return Expectations(language=language), locale, False


def audit_product(
    pdf_path: Path, root: Path, output_dir: Path, products: Sequence[Product] | None = None
) -> ProductAudit:
    """Read one PDF (and its HTML twin, same name ``.html``) and run every check on it."""
    expect, locale, draft = expectations(pdf_path, output_dir, products or default_products())
    shown = shown_path(pdf_path, root)
    html_path = pdf_path.with_suffix(".html")
    audit = ProductAudit(
        file=shown,
        locale=locale,
        product=expect.product,
        draft=draft,
        html=shown_path(html_path, root) if html_path.is_file() else None,
        page_limit=expect.max_pages,
        required_text_pt=expect.min_text_pt,
        checks=[check for check, _function in CHECKS],
    )
    try:
        pdf = pikepdf.open(pdf_path)
    except (pikepdf.PdfError, pikepdf.PasswordError, OSError, ValueError) as exc:
        audit.findings.append(Finding(shown, None, "tagged", Severity.ERROR, f"cannot open the PDF: {exc}"))
        return audit
    with pdf:
        html = None
        if audit.html is not None:
            try:
                html = read_html(html_path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as exc:
                audit.findings.append(
                    Finding(shown, None, "characters", Severity.LIMITATION, f"cannot read {audit.html}: {exc}")
                )
        evidence = Evidence(
            path=pdf_path,
            pdf=pdf,
            pages=read_pages(pdf),
            tree=read_structure(pdf),
            html=html,
            html_name=audit.html,
            expect=expect,
        )
        audit.pages = len(evidence.pages)
        for check, function in CHECKS:
            try:
                for page, severity, message in function(evidence):
                    audit.findings.append(Finding(shown, page, check.id, severity, message))
            except Exception as exc:  # a check that breaks on a file must say so, not pass
                log.debug("check %s failed on %s", check.id, shown, exc_info=True)
                audit.findings.append(
                    Finding(shown, None, check.id, Severity.LIMITATION, f"check failed: {type(exc).__name__}: {exc}")
                )
        audit.smallest_text_pt = evidence.measured.get("smallest_text_pt")
        audit.lowest_contrast = evidence.measured.get("lowest_contrast")
    return audit


find = find_pdfs
"""Every file this format's audit covers (the registry's interface, :mod:`pipeline.formats`)."""


def audit_files(
    paths: list[Path], root: Path, output_dir: Path, products: Sequence[Product] | None = None
) -> list[ProductAudit]:
    """Audit PDFs one by one, each against the product it was made as: one of ``products`` (the project's, as its
    documents declare them; the shipped documents' when None), found by its file name."""
    chosen = list(products) if products is not None else default_products()
    return [audit_product(path, root, output_dir, chosen) for path in paths]
