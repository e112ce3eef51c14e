"""Render stage: translated documents to accessible print products (large-print guide, handout, summary).

Each product is HTML from a Jinja2 template in ``layouts/`` and a PDF/UA-1 file made from it by WeasyPrint.
``plan_jobs`` decides what may be built, ``render_product`` renders in memory, ``write_product`` and
``write_index`` write files, ``build`` runs them all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.render.build import (
        BuildResult,
        IndexRow,
        Job,
        RenderedProduct,
        Renderer,
        build,
        plan_jobs,
        prepare_content,
        render_html,
        render_index,
        render_product,
        write_index,
        write_product,
    )
    from pipeline.render.clinic import Clinic, Contact, load_clinic, parse_clinic
    from pipeline.render.errors import PageBudgetError, RenderError
    from pipeline.render.fonts import FontCatalog
    from pipeline.render.layouts import Layouts
    from pipeline.render.locales import PSEUDO_LOCALES, TextLocale, text_locale
    from pipeline.render.messages import extract_layout_messages, load_layout_translations
    from pipeline.render.paper import A4, LETTER, Paper, paper_for_country
    from pipeline.render.products import Product, default_products

_HOME = {
    **dict.fromkeys(
        (
            "BuildResult",
            "IndexRow",
            "Job",
            "RenderedProduct",
            "Renderer",
            "build",
            "plan_jobs",
            "prepare_content",
            "render_html",
            "render_index",
            "render_product",
            "write_index",
            "write_product",
        ),
        "build",
    ),
    **dict.fromkeys(("Clinic", "Contact", "load_clinic", "parse_clinic"), "clinic"),
    **dict.fromkeys(("PageBudgetError", "RenderError"), "errors"),
    **dict.fromkeys(("FontCatalog",), "fonts"),
    **dict.fromkeys(("Layouts",), "layouts"),
    **dict.fromkeys(("PSEUDO_LOCALES", "TextLocale", "text_locale"), "locales"),
    **dict.fromkeys(("extract_layout_messages", "load_layout_translations"), "messages"),
    **dict.fromkeys(("A4", "LETTER", "Paper", "paper_for_country"), "paper"),
    **dict.fromkeys(("Product", "default_products"), "products"),
}
"""Where each public name lives. Imported on first use, so a command that only needs the layouts' words
(``plainleaf extract``) does not pay for WeasyPrint, which the rendering modules import."""


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    home = _HOME[name]
    module = importlib.import_module(f"{__name__}.{home}")
    # Bind every name the module exports: importing it has just set the package attribute of the same name
    # as a submodule (``build``), which must stay the function.
    globals().update({other: getattr(module, other) for other, where in _HOME.items() if where == home})
    return globals()[name]


__all__ = [
    "A4", "LETTER", "PSEUDO_LOCALES", "BuildResult", "Clinic", "Contact", "FontCatalog", "IndexRow", "Job",
    "Layouts", "PageBudgetError", "Paper", "Product", "RenderError", "RenderedProduct", "Renderer", "TextLocale",
    "build", "default_products", "extract_layout_messages", "load_clinic", "load_layout_translations",
    "paper_for_country", "parse_clinic", "plan_jobs", "prepare_content", "render_html", "render_index",
    "render_product", "text_locale", "write_index", "write_product",
]  # fmt: skip
