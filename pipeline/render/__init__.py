"""Render stage: one job (a product in one language) to its files, in the product's format, in memory.

:mod:`.jobs` decides which products may be made and whether as drafts; :mod:`.content` translates, checks and
lays a job's document out as HTML; for print, :mod:`.product` finds the type size that keeps the page budget and
makes the PDF/UA-1 bytes; :mod:`.web`, :mod:`.epub` and :mod:`.braille` make the alternative formats (an
:class:`.alternative.AlternativeProduct` each) from the same content, each called by the format registry
(:mod:`pipeline.formats`); :mod:`.output` places and writes files. Running many jobs, incrementally and in
parallel, is the builder's (:mod:`pipeline.builder`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.render.clinic import Clinic, Contact, load_clinic, parse_clinic
    from pipeline.render.content import Content, Renderer, prepare_content, render_html
    from pipeline.render.errors import IncompleteTranslation, PageBudgetError, RenderError
    from pipeline.render.fonts import FontCatalog
    from pipeline.render.jobs import Job, plan_jobs
    from pipeline.render.layouts import Layouts
    from pipeline.render.locales import TextLocale, text_locale
    from pipeline.render.messages import extract_layout_messages, load_layout_translations
    from pipeline.render.output import product_paths, remove_other_versions, write_product
    from pipeline.render.paper import A4, LETTER, Paper, paper_for_country
    from pipeline.render.product import RenderedProduct, render_product
    from pipeline.render.products import Product, default_products

_HOME = {
    **dict.fromkeys(
        (
            "Job",
            "plan_jobs",
        ),
        "jobs",
    ),
    **dict.fromkeys(
        (
            "Content",
            "Renderer",
            "prepare_content",
            "render_html",
        ),
        "content",
    ),
    **dict.fromkeys(
        (
            "RenderedProduct",
            "render_product",
        ),
        "product",
    ),
    **dict.fromkeys(
        (
            "product_paths",
            "remove_other_versions",
            "write_product",
        ),
        "output",
    ),
    **dict.fromkeys(
        (
            "Clinic",
            "Contact",
            "load_clinic",
            "parse_clinic",
        ),
        "clinic",
    ),
    **dict.fromkeys(
        (
            "IncompleteTranslation",
            "PageBudgetError",
            "RenderError",
        ),
        "errors",
    ),
    **dict.fromkeys(("FontCatalog",), "fonts"),
    **dict.fromkeys(("Layouts",), "layouts"),
    **dict.fromkeys(
        (
            "TextLocale",
            "text_locale",
        ),
        "locales",
    ),
    **dict.fromkeys(
        (
            "extract_layout_messages",
            "load_layout_translations",
        ),
        "messages",
    ),
    **dict.fromkeys(
        (
            "A4",
            "LETTER",
            "Paper",
            "paper_for_country",
        ),
        "paper",
    ),
    **dict.fromkeys(
        (
            "Product",
            "default_products",
        ),
        "products",
    ),
}
"""Where each public name lives. Imported on first use, so a command that only needs the layouts' words
(``plainleaf extract``) does not pay for WeasyPrint, which the rendering modules import."""


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "A4",
    "LETTER",
    "Clinic",
    "Contact",
    "Content",
    "FontCatalog",
    "IncompleteTranslation",
    "Job",
    "Layouts",
    "PageBudgetError",
    "Paper",
    "Product",
    "RenderError",
    "RenderedProduct",
    "Renderer",
    "TextLocale",
    "default_products",
    "extract_layout_messages",
    "load_clinic",
    "load_layout_translations",
    "paper_for_country",
    "parse_clinic",
    "plan_jobs",
    "prepare_content",
    "product_paths",
    "remove_other_versions",
    "render_html",
    "render_product",
    "text_locale",
    "write_product",
]
