"""The review sheet: a locale's entries that need review, one row each in document order, as HTML and a PDF to
work on paper (source, translation, ``check`` findings, what changed since sign-off, an empty initials column).

The page is 279.4 by 210 mm landscape, the sheet both A4 and US Letter hold (Letter's height, A4's width), so it
prints on either without scaling. Every text is escaped; the PDF is laid out through the renderer's fetcher, which
reads nothing but the template's folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from pipeline.catalogs.review import (
    BOTH_CHANGED,
    SOURCE_CHANGED,
    TRANSLATION_CHANGED,
    CatalogReview,
    EntryReview,
    diff_words,
    review_counts,
    sign_off_day,
)
from pipeline.config import Config
from pipeline.errors import CatalogError, shown

TEMPLATE = "review-sheet.html.j2"
"""Template of the sheet, in this package's ``templates/``."""


def sheet_paths(config: Config, locale: str) -> tuple[Path, Path]:
    """``output/reports/review-<locale>.html`` and ``.pdf``."""
    reports = config.path(config.output_dir) / "reports"
    return reports / f"review-{locale}.html", reports / f"review-{locale}.pdf"


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("pipeline.render", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _row(entry: EntryReview) -> dict[str, Any]:
    changed: list[tuple[str, list[tuple[str, str]] | None]] = []
    if entry.why in (SOURCE_CHANGED, BOTH_CHANGED):
        runs = diff_words(entry.previous_source, entry.msgid) if entry.previous_source else None
        changed.append(("Source", runs))
    if entry.why in (TRANSLATION_CHANGED, BOTH_CHANGED):
        runs = diff_words(entry.previous_translation, entry.translation) if entry.previous_translation else None
        changed.append(("Translation", runs))
    return {"entry": entry, "changed": changed}


def render_sheet(locale: str, catalogs: Sequence[CatalogReview], day: str) -> str:
    """The sheet's HTML: every entry that needs review, by catalog, in document order."""
    from pipeline.render.locales import text_locale

    language = text_locale(locale)
    total = review_counts(entry for catalog in catalogs for entry in catalog.entries)
    sections = [
        {"catalog": catalog, "rows": [_row(entry) for entry in catalog.needing]}
        for catalog in catalogs
        if catalog.needing
    ]
    return (
        _environment()
        .get_template(TEMPLATE)
        .render(locale=language, english_name=language.data.english_name, sections=sections, total=total, day=day)
    )


def sheet_pdf(html: str) -> bytes:
    """The sheet laid out and written as a PDF (WeasyPrint through the renderer's safe fetcher)."""
    from pipeline.render.pdf import layout_html, write_pdf

    templates = Path(__file__).parent / "templates"
    return write_pdf(layout_html(html, [], templates))[0]


def write_sheet(config: Config, locale: str, catalogs: Sequence[CatalogReview]) -> list[Path]:
    """Write the sheet's HTML and PDF atomically; returns both paths."""
    from pipeline.atomic import write_bytes

    html = render_sheet(locale, catalogs, sign_off_day())
    pdf = sheet_pdf(html)
    paths = sheet_paths(config, locale)
    for path, data in zip(paths, (html.encode("utf-8"), pdf), strict=True):
        try:
            write_bytes(path, data, durable=False)
        except OSError as exc:
            raise CatalogError(
                f"cannot write the review sheet: {exc.strerror or exc}", shown(path, config.root)
            ) from exc
    return list(paths)
