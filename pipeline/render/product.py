"""One job to one product in memory: the largest type size whose layout keeps the page budget, its HTML and
its PDF/UA-1 bytes (:func:`render_product`). Writing them is :mod:`pipeline.render.output`'s."""

from __future__ import annotations

import functools
import hashlib
import logging
import time
import unicodedata
from collections.abc import MutableMapping
from dataclasses import dataclass, field

from pipeline.render.content import Renderer, prepare_content, render_html, visible_text
from pipeline.render.errors import PageBudgetError, RenderError
from pipeline.render.faces import with_partial_faces
from pipeline.render.fit import (
    ContactFit,
    ContactMeasure,
    budget_message,
    field_line,
    measure_contact,
    overflow_message,
)
from pipeline.render.fonts import Font, check_coverage, digits_family
from pipeline.render.jobs import Job
from pipeline.render.paper import Paper
from pipeline.render.pdf import Layout, layout_html, write_pdf

log = logging.getLogger(__name__)

GENERATED_CHARACTERS = "0123456789.\u2022()\u2013-: "
"""Characters the layout prints itself (page numbers, list bullets and numbers, leaders, link brackets); the arrow
ending a line where an address continues has a face of its own (:mod:`.faces`)."""
NO_FIT = 10**6
"""Page count recorded for a setting never composed because a line of its contact box crosses the border."""


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
    renderer: Renderer, job: Job, layout_pages: MutableMapping[str, int] | None = None, *, write: bool = True
) -> RenderedProduct:
    """Render one job to HTML and PDF in memory, at the largest type size that keeps it within its page budget.

    ``layout_pages`` remembers the page count of each HTML laid out, by its SHA-256, and is updated: given the
    counts of an earlier rendering with the same fonts and WeasyPrint (the caller keys it by them), the type sizes
    whose HTML has not changed are not laid out again. Only the chosen one is, and a count that proves wrong
    starts the search afresh. Without ``write`` the product is laid out but no PDF is made (``pdf`` is empty):
    the alternative formats need only its pages.
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
    fonts = with_partial_faces(renderer.fonts, renderer.fonts.fonts_for(job.locale.script, text))
    what = f"{job.locale.code} {product.file_stem(job.draft)}"
    check_coverage(text, fonts, content.origins, what)
    family = ", ".join(f'"{font.family}"' for font in fonts) + ", sans-serif"
    digits = digits_family(fonts)
    prepare = time.perf_counter() - started

    # Attempts run from loosest to tightest and page counts only grow with looser settings: try the tightest
    # first (fail fast), then bisect for the loosest that fits. At each size the contact box is tried as it is,
    # then compact (labels beside their values). The handout's questions always stay whole on one side: there is
    # no setting that lets them break.
    attempts: list[tuple[float, float, ContactFit | None]]
    if product.contact_box:
        fits = (ContactFit(), ContactFit(compact=True))
        attempts = [(s, h, f) for s in product.font_sizes_pt for h in product.line_heights for f in fits]
    elif content.context.get("any_clinic") is not None:
        # The summary keeps the clinic's strip at any size before it is left out.
        fits = (ContactFit(), ContactFit(omit=True))
        attempts = [(s, h, f) for f in fits for s in product.font_sizes_pt for h in product.line_heights]
    else:
        attempts = [(s, h, None) for s in product.font_sizes_pt for h in product.line_heights]
    tried: dict[int, tuple[str, Layout | None, int]] = {}
    boxes: dict[tuple[float, float, ContactFit | None], ContactMeasure | None] = {}
    layout_seconds = 0.0

    @functools.cache
    def box_html(size: float, height: float, fit: ContactFit) -> tuple[str, str]:
        """The contact box's HTML alone at the text width, and the key its verdict is remembered by."""
        alone = render_html(renderer, content, size, height, family, digits, fit, measure_contact=True)
        return alone, "contact-box:" + hashlib.sha256(alone.encode("utf-8")).hexdigest()

    def contact_box(size: float, height: float, fit: ContactFit | None) -> ContactMeasure | None:
        """The contact box laid out alone at the text width (before the page is composed), measured once; a box
        that fits is remembered in ``layout_pages`` (as 0) by its HTML's digest."""
        nonlocal layout_seconds
        if fit is None or not product.contact_box:
            return None
        if (size, height, fit) not in boxes:
            alone, key = box_html(size, height, fit)
            laid = layout_html(alone, fonts, renderer.layouts.folder)
            layout_seconds += laid.seconds
            measured = boxes[size, height, fit] = measure_contact(laid.document)
            if layout_pages is not None and measured is not None and not measured.overflows:
                layout_pages[key] = 0
        return boxes[size, height, fit]

    def box_overflows(size: float, height: float, fit: ContactFit | None) -> bool:
        """Whether a line of the contact box would cross its border. A box ``layout_pages`` remembers as fitting
        is not laid out again: a forced or partial rebuild of a handout laid out a box for every attempt whose page
        count it remembered (1.8 s of a 14 s forced rebuild of the 15 shipped PDFs)."""
        if fit is None or not product.contact_box:
            return False
        if (
            (size, height, fit) not in boxes
            and layout_pages is not None
            and layout_pages.get(box_html(size, height, fit)[1]) == 0
        ):
            return False
        measured = contact_box(size, height, fit)
        return measured is not None and bool(measured.overflows)

    def attempt(index: int) -> bool:
        nonlocal prepare, layout_seconds
        if index in tried:
            return product.max_pages is None or tried[index][2] <= product.max_pages
        size, height, fit = attempts[index]
        if box_overflows(size, height, fit):
            tried[index] = ("", None, NO_FIT)  # a line would cross the box's border: never composed
            return False
        step = time.perf_counter()
        html = render_html(renderer, content, size, height, family, digits, fit)
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
    else:
        # The handout's box variants are innermost: bisect over the type sizes with the tightest box (the largest
        # type that fits at all), then take the loosest box that fits at that size. Larger type matters more to
        # a patient than labels above their values; a compact box with a larger size is not monotonic with a
        # looser box at a smaller one, so one bisection over every attempt could settle on neither. The tightest
        # setting is not tried first: when nothing fits the bisection ends on it anyway, and when something does
        # (nearly always) that layout was wasted: 10 layouts for a handout instead of 12.
        variants = len(fits) if product.contact_box else 1
        groups = len(attempts) // variants
        low, high = -1, groups  # size group low does not fit (-1: none tried), high does (groups: none known)
        while high - low > 1:
            middle = (low + high) // 2
            if attempt(middle * variants + variants - 1):
                high = middle
            else:
                low = middle
        if high == groups:
            raise _budget_error(
                renderer,
                job,
                what,
                fonts,
                attempts[-1],
                tried[len(attempts) - 1],
                contact_box(*attempts[-1]),
            )
        chosen = next(index for index in range(high * variants, (high + 1) * variants) if attempt(index))
    html, laid_out, remembered = tried[chosen]
    if laid_out is None:
        laid_out = layout_html(html, fonts, renderer.layouts.folder)
        layout_seconds += laid_out.seconds
        if laid_out.pages != remembered and layout_pages is not None:
            log.warning("%s: remembered page counts were wrong; laying every type size out again", what)
            layout_pages.clear()
            return render_product(renderer, job, layout_pages, write=write)
    layout = laid_out
    size, height, fit = attempts[chosen]
    if fit is not None and fit.omit:
        log.warning(
            "%s: the clinic's name, telephone number and guide link do not fit its %s page at %g pt;"
            " printed without them",
            what,
            product.max_pages,
            size,
        )
    pdf, write_seconds = write_pdf(layout) if write else (b"", 0.0)
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
        fonts=[font.family for font in fonts if not font.spec.unicode_range],
        timings={"prepare": prepare, "layout": layout_seconds, "write": write_seconds},
    )


def _budget_error(
    renderer: Renderer,
    job: Job,
    what: str,
    fonts: list[Font],
    tightest: tuple[float, float, ContactFit | None],
    tried: tuple[str, Layout | None, int],
    contact: ContactMeasure | None,
) -> PageBudgetError:
    """The error of a product that keeps its page budget at no setting: the clinic field too wide for the contact
    box, or how much too tall the box is and its tallest details (the clinic file's), or the text (the catalog's)."""
    size, height, _fit = tightest
    clinic = renderer.clinic
    clinic_path = clinic.path if clinic else None
    if contact is not None and contact.overflows:
        overflow = max(contact.overflows, key=lambda o: o.excess)
        return PageBudgetError(
            f"{what}: {overflow_message(overflow, size)}", clinic_path, field_line(clinic, overflow.key)
        )
    html, layout, _pages = tried
    if layout is None:
        layout = layout_html(html, fonts, renderer.layouts.folder)
    assert job.product.max_pages is not None
    message = budget_message(layout.document, contact, job.product.max_pages, size)
    if contact is None or message.startswith(("the text alone", f"{layout.pages} pages")):
        return PageBudgetError(f"{what}: {message} (line height {height:g})", job.catalog or job.document)
    tallest = max(contact.details.items(), key=lambda item: item[1], default=("", 0.0))[0]
    return PageBudgetError(f"{what}: {message}", clinic_path, field_line(clinic, tallest))
