"""Render jobs: which product in which language may be printed, and whether as a final or a marked draft."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.catalogs.pofile import read_catalog
from pipeline.catalogs.stats import catalog_stats
from pipeline.config import Config
from pipeline.render.locales import TextLocale, text_locale
from pipeline.render.products import Product


@dataclass(slots=True, frozen=True)
class PageMap:
    """The pages of one print product as its PDF job laid it out: every block element on a page with the page it
    begins on. The builder keeps it beside the build's manifest, so the web page, EPUB and braille of the same
    document and language number their text by it instead of laying the product out again."""

    product: str
    """The print product it is of (``large-print``)."""
    count: int
    """Its number of pages."""
    blocks: tuple[tuple[str, str, int], ...]
    """``(tag, text, page)`` of each block element laid out on a page, in document order
    (:data:`pipeline.render.print_pages.BLOCK_TAGS`)."""

    def to_json(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"product": self.product, "count": self.count, "blocks": [list(block) for block in self.blocks]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageMap:
        """Read what :meth:`to_json` wrote; KeyError, TypeError or ValueError when it is not that."""
        blocks = tuple((str(tag), str(text), int(page)) for tag, text, page in data["blocks"])
        return cls(str(data["product"]), int(data["count"]), blocks)


@dataclass(slots=True)
class Job:
    """One product in one language: whether and how it may be built."""

    product: Product
    """What to make."""
    locale: TextLocale
    """In which language."""
    document: Path
    """The source document."""
    catalog: Path | None
    """Its catalog in that language; None for the source language and pseudo-locales."""
    reviewed: bool
    """Signed off by a qualified medical translator (the source language always is)."""
    draft: bool = False
    """Printed as a draft: every page says so, and the file is ``...-draft``."""
    missing: str | None = None
    """What keeps the translation from being final, or None when it is complete."""
    allow_draft: bool = False
    """Whether an incomplete translation found while rendering may still be built as a draft."""
    held: str | None = None
    """The first translation check error of its catalogs (``plainleaf check``), or None: a job with one is held
    back from print as an incomplete one is (its reason is also :attr:`missing`), or built as a draft."""
    edition: str = ""
    """Short identifier of the exact source and translations printed (:mod:`pipeline.builder.editions`), printed
    beside the version and date; empty when not known."""
    print_product: Product | None = None
    """Of a web page, EPUB or braille job: the print product its document declares (the first of large print,
    handout and summary it has), whose pages it numbers; None when the document has none, and then it claims no
    print page numbers. Filled in by :func:`plan_jobs` from the declared products, never guessed from a name."""
    print_map: PageMap | None = None
    """The pages of :attr:`print_product` as its PDF job laid them out, kept by the builder and read by its worker
    when they are of exactly the print product's inputs; None: the print product is laid out again to learn them
    (:mod:`pipeline.render.print_pages`)."""

    @property
    def buildable(self) -> bool:
        """Complete, or incomplete but wanted as a draft."""
        return self.missing is None or self.draft

    def hold(self, reason: str, draft: bool) -> None:
        """Keep the job from print for a translation check error: skipped, or with ``draft`` built as a draft
        (the gate is the one incompleteness has, so a failing translation is never printed as final)."""
        self.held = self.missing = reason
        self.draft = draft

    @property
    def stem(self) -> str:
        """File name without extension."""
        return self.product.file_stem(self.draft)


def _stats_problem(path: Path, threshold: float) -> str | None:
    if not path.is_file():
        return f"no catalog {path.name} in {path.parent}"
    stats = catalog_stats(read_catalog(path), "", path.stem)
    if stats.total == 0:
        return f"catalog {path} is empty (run plainleaf update)"
    if stats.fuzzy or stats.percent < threshold:
        return (
            f"{stats.untranslated} untranslated and {stats.fuzzy} fuzzy of {stats.total} entries in {path}"
            f" ({stats.percent:.0f} % confirmed, {threshold:g} % needed, no fuzzy entries allowed)"
        )
    return None


def plan_jobs(
    config: Config,
    products: Sequence[Product],
    locales: Sequence[str] | None = None,
    *,
    draft: bool = False,
    threshold: float = 100.0,
) -> list[Job]:
    """Every (product, locale) pair, each saying whether its translation is complete enough to print.

    ``locales`` defaults to the source language and every configured locale; pseudo-locales (``en_XA``,
    ``ar_XB``) may be named and are always drafts. With ``draft`` an incomplete translation is built as a draft
    instead of skipped. Each web page, EPUB and braille job is given the print product of its document among
    ``products`` (:attr:`Job.print_product`): pass a document's print product with its alternative ones for them to
    carry its page numbers.
    """
    reviewed = {loc.code: loc.reviewed for loc in config.locales}
    codes = list(locales) if locales is not None else [config.source_language, *config.locale_codes]
    # The print product each document declares (``products`` lists them print first: declared_products): the
    # alternative formats of the same document number their text by its pages.
    printed: dict[str, Product] = {}
    for product in products:
        if product.format == "pdf":
            printed.setdefault(product.document, product)
    jobs = []
    for code in codes:
        locale = text_locale(code)
        for product in products:
            document = config.path(config.source_dir) / f"{product.document}.md"
            if locale.pseudo:
                job = Job(product, locale, document, None, False, True, "pseudo-locale (for testing layouts only)")
            elif locale.code == config.source_language:
                job = Job(product, locale, document, None, True)
            else:
                catalog = config.catalog_path(locale.code, product.document)
                missing = _stats_problem(catalog, threshold)
                job = Job(
                    product,
                    locale,
                    document,
                    catalog,
                    reviewed.get(locale.code, False),
                    draft=draft and bool(missing),
                    missing=missing,
                    allow_draft=draft,
                )
            if product.format != "pdf":
                job.print_product = printed.get(product.document)
            if not document.is_file():
                job.missing, job.draft = f"no source document {document.name}", False
            jobs.append(job)
    return jobs
