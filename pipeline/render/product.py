"""One job to one product in memory: the largest type size whose layout keeps the page budget, its HTML and
its PDF/UA-1 bytes (:func:`render_product`). Writing them is :mod:`pipeline.render.output`'s."""

from __future__ import annotations

import hashlib
import logging
import time
import unicodedata
from collections.abc import MutableMapping
from dataclasses import dataclass, field

from pipeline.render.content import Renderer, prepare_content, render_html, visible_text
from pipeline.render.errors import PageBudgetError, RenderError
from pipeline.render.fonts import check_coverage, digits_family
from pipeline.render.jobs import Job
from pipeline.render.paper import Paper
from pipeline.render.pdf import Layout, layout_html, write_pdf

log = logging.getLogger(__name__)

GENERATED_CHARACTERS = "0123456789.\u2022()\u2013-: "
"""Characters the layout prints itself (page numbers, list bullets and numbers, leaders, link brackets)."""


@dataclass(slots=True)
class RenderedProduct:
    """A product rendered in memory: its HTML, its PDF and what the layout found."""

    job: Job
    """What was rendered."""
    html: str
    """The self-contained HTML."""
    pdf: bytes
    """The PDF/UA-1 file."""
    layout: Layout
    """WeasyPrint's pages (for checks)."""
    paper: Paper
    """Sheet size."""
    font_size_pt: float
    """Body size used."""
    line_height: float
    """Line height used."""
    title: str
    """Title in the product's language."""
    date_text: str
    """The guide's date in the locale's format."""
    fonts: list[str]
    """Font families used, in fallback order."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent: ``prepare`` (ours), ``layout`` and ``write`` (WeasyPrint)."""

    @property
    def pages(self) -> int:
        """Page count."""
        return self.layout.pages

    @property
    def files(self) -> dict[str, bytes]:
        """The bytes of its files by key, PDF first (as the ``pdf`` format of :mod:`.formats` lists them)."""
        return {"pdf": self.pdf, "html": self.html.encode("utf-8")}


def render_product(
    renderer: Renderer, job: Job, layout_pages: MutableMapping[str, int] | None = None
) -> RenderedProduct:
    """Render one job to HTML and PDF in memory, at the largest type size that keeps it within its page budget.

    ``layout_pages`` remembers the page count of each HTML laid out, by its SHA-256, and is updated: given the
    counts of an earlier rendering with the same fonts and WeasyPrint (the caller keys it by them), the type sizes
    whose HTML has not changed are not laid out again. Only the chosen one is, and a count that proves wrong
    starts the search afresh.
    """
    if not job.buildable:
        raise RenderError(f"{job.locale.code} {job.product.name}: not built: {job.missing}", job.catalog)
    started = time.perf_counter()
    product = job.product
    content = prepare_content(renderer, job)
    html = render_html(renderer, content, product.font_sizes_pt[0], product.line_heights[0], "sans-serif")
    words = content.translations
    generated = words.gettext("Page %(page)s of %(pages)s") + words.gettext("Draft") + GENERATED_CHARACTERS
    text = unicodedata.normalize("NFC", visible_text(html)) + generated
    fonts = renderer.fonts.fonts_for(job.locale.script, text)
    what = f"{job.locale.code} {product.file_stem(job.draft)}"
    check_coverage(text, fonts, content.origins, what)
    family = ", ".join(f'"{font.family}"' for font in fonts) + ", sans-serif"
    digits = digits_family(fonts)
    prepare = time.perf_counter() - started

    # Attempts run from loosest to tightest and page counts only grow with looser settings: try the tightest
    # first (fail fast), then bisect for the loosest that fits. Every size keeps the blocks that must stay whole
    # (the handout's questions) together first; only when even the smallest does not fit are they let break
    # between items ("relaxed"), which is logged, never silent.
    attempts = [
        (size, height, relaxed)
        for relaxed in (False, True)
        for size in product.font_sizes_pt
        for height in product.line_heights
    ]
    tried: dict[int, tuple[str, Layout | None, int]] = {}
    layout_seconds = 0.0

    def attempt(index: int) -> bool:
        nonlocal prepare, layout_seconds
        step = time.perf_counter()
        size, height, relaxed = attempts[index]
        html = render_html(renderer, content, size, height, family, digits, relaxed)
        key = hashlib.sha256(html.encode("utf-8")).hexdigest() if layout_pages is not None else ""
        prepare += time.perf_counter() - step
        if layout_pages is not None and key in layout_pages:
            tried[index] = (html, None, layout_pages[key])
        else:
            layout = layout_html(html, fonts, renderer.layouts.folder)
            layout_seconds += layout.seconds
            tried[index] = (html, layout, layout.pages)
            if layout_pages is not None:
                layout_pages[key] = layout.pages
        return product.max_pages is None or tried[index][2] <= product.max_pages

    if product.max_pages is None or attempt(0):
        chosen = 0
        if 0 not in tried:
            attempt(0)
    elif not attempt(len(attempts) - 1):
        raise PageBudgetError(
            f"{what}: {tried[len(attempts) - 1][2]} pages even at {product.min_font_pt:g} pt with line height"
            f" {product.line_heights[-1]:g}; it must fit {product.max_pages}: shorten the text",
            job.catalog or job.document,
        )
    else:
        low, high = 0, len(attempts) - 1  # attempts[low] does not fit, attempts[high] does
        while high - low > 1:
            middle = (low + high) // 2
            if attempt(middle):
                high = middle
            else:
                low = middle
        chosen = high
    html, laid_out, remembered = tried[chosen]
    if laid_out is None:
        laid_out = layout_html(html, fonts, renderer.layouts.folder)
        layout_seconds += laid_out.seconds
        if laid_out.pages != remembered and layout_pages is not None:
            log.warning("%s: remembered page counts were wrong; laying every type size out again", what)
            layout_pages.clear()
            return render_product(renderer, job, layout_pages)
    layout = laid_out
    size, height, relaxed = attempts[chosen]
    if relaxed:
        log.warning("%s: fits %s pages only if its question list may break across pages", what, product.max_pages)
    pdf, write_seconds = write_pdf(layout)
    return RenderedProduct(
        job=job,
        html=html,
        pdf=pdf,
        layout=layout,
        paper=renderer.paper,
        font_size_pt=size,
        line_height=height,
        title=content.context["title"],
        date_text=content.context["date_text"],
        fonts=[font.family for font in fonts],
        timings={"prepare": prepare, "layout": layout_seconds, "write": write_seconds},
    )
