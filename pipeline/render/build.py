"""Render the print products: plan which (product, locale) pairs may be built, render each (pure), write them.

``plan_jobs`` decides per locale and product whether the translation is complete enough to print (and if not,
whether to skip it or to print a clearly marked draft); ``render_product`` turns one job into HTML and PDF bytes
without touching the output folder; ``write_product`` and ``write_index`` save results atomically.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import time
import unicodedata
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import polib
from babel.dates import format_date
from markupsafe import Markup

from pipeline.atomic import write_bytes, write_text
from pipeline.config import Config
from pipeline.document import Document, front_matter_of, load_document
from pipeline.errors import PipelineError
from pipeline.pofile import read_catalog
from pipeline.render.clinic import Clinic, guide_address
from pipeline.render.errors import PageBudgetError, RenderError
from pipeline.render.fonts import FontCatalog, TextOrigin, check_coverage
from pipeline.render.layouts import Layouts
from pipeline.render.locales import TextLocale, text_locale
from pipeline.render.markup import data_uri, parse_markdown, render_body
from pipeline.render.messages import DOMAIN, LayoutTranslations, extract_layout_messages, load_layout_translations
from pipeline.render.paper import Paper, paper_for_country
from pipeline.render.pdf import Layout, layout_html, write_pdf
from pipeline.render.products import Product
from pipeline.render.pseudo import PSEUDO_MODES, pseudo_document_catalog, pseudo_layout_catalog
from pipeline.render.safety import check_source, check_tokens
from pipeline.stats import catalog_stats
from pipeline.translate import translate_document

if TYPE_CHECKING:
    import jinja2

log = logging.getLogger(__name__)

GENERATED_CHARACTERS = "0123456789.\u2022()\u2013-: "
"""Characters the layout prints itself (page numbers, list bullets and numbers, leaders, link brackets)."""


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

    @property
    def buildable(self) -> bool:
        """Complete, or incomplete but wanted as a draft."""
        return self.missing is None or self.draft

    @property
    def stem(self) -> str:
        """File name without extension."""
        return self.product.file_stem(self.draft)


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
    untranslated_layout_words: list[str] = field(default_factory=list)
    """Layout words printed in English for want of a confirmed translation."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent: ``prepare`` (ours), ``layout`` and ``write`` (WeasyPrint)."""

    @property
    def pages(self) -> int:
        """Page count."""
        return self.layout.pages


@dataclass(slots=True)
class Renderer:
    """What every product rendering needs: the project, its layouts and fonts, the clinic."""

    config: Config
    """The project."""
    layouts: Layouts
    """Templates and CSS."""
    fonts: FontCatalog = field(default_factory=FontCatalog)
    """Installed fonts."""
    clinic: Clinic | None = None
    """The clinic whose details are printed; None for a blank contact box."""
    _layout_template: polib.POFile | None = None

    @property
    def paper(self) -> Paper:
        """Sheet size from the clinic's country (US Letter by default)."""
        return paper_for_country(self.clinic.country if self.clinic else None)

    def layout_template(self) -> polib.POFile:
        """The layouts' words (extracted once), for pseudo-locales."""
        if self._layout_template is None:
            self._layout_template = extract_layout_messages(self.layouts.folder)
        return self._layout_template

    def layout_translations(self, locale: TextLocale) -> LayoutTranslations:
        """Confirmed translations of the layouts' words in ``locale``."""
        if locale.pseudo:
            return LayoutTranslations(pseudo_layout_catalog(self.layout_template(), PSEUDO_MODES[locale.code]))
        if locale.code == self.config.source_language:
            return LayoutTranslations()
        return load_layout_translations(self.config.catalog_path(locale.code, DOMAIN))


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
    instead of skipped.
    """
    reviewed = {loc.code: loc.reviewed for loc in config.locales}
    codes = list(locales) if locales is not None else [config.source_language, *config.locale_codes]
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
                    product, locale, document, catalog, reviewed.get(locale.code, False),
                    draft=draft and bool(missing), missing=missing, allow_draft=draft,
                )  # fmt: skip
            if not document.is_file():
                job.missing, job.draft = f"no source document {document.name}", False
            jobs.append(job)
    return jobs


class _TextCollector(HTMLParser):
    """All the text a reader sees or hears in an HTML page: text nodes and alternative texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        for name, value in attrs:
            if name in ("alt", "title", "aria-label") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text of ``html`` outside ``<style>``, with alternative texts."""
    collector = _TextCollector()
    collector.feed(html)
    return "\n".join(collector.parts)


def qr_svg(address: str, title: Any) -> Markup:
    """A QR code for ``address`` as inline SVG, with ``title`` as its alternative text (no file is written)."""
    import segno  # only products that link to the guide online need it (0.02 s to import)

    code = segno.make(address, error="m")
    title = title.striptags() if isinstance(title, Markup) else str(title)
    svg = code.svg_inline(
        scale=1, border=4, dark="#000", light="#fff", title=title, omitsize=True, svgclass=None, lineclass=None
    )
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


def _date(value: Any, locale: TextLocale) -> str:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return str(value)
    if isinstance(value, datetime.date):
        return str(format_date(value, format="long", locale=locale.data))
    return ""


def _translate(renderer: Renderer, job: Job, document: Document) -> tuple[str, list[TextOrigin]]:
    """Translated Markdown of the job's document, and where its text comes from."""
    origins = [TextOrigin(str(document.path), n, line) for n, line in enumerate(document.source.splitlines(), 1)]
    if job.locale.code == renderer.config.source_language and not job.locale.pseudo:
        # No catalog: every block keeps its source text; this still fills in the reading-time line.
        return translate_document(document, None, job.locale.code).markdown, origins
    if job.locale.pseudo:
        pseudo = pseudo_document_catalog(document, PSEUDO_MODES[job.locale.code])
        return translate_document(document, pseudo, renderer.config.source_language).markdown, origins
    assert job.catalog is not None
    catalog = read_catalog(job.catalog) if job.catalog.is_file() else None
    result = translate_document(document, catalog, job.locale.code, str(job.catalog))
    if (result.untranslated or result.rejected) and not job.draft:
        reasons = result.rejected[:1] or [f"{len(result.untranslated)} blocks have no confirmed translation"]
        raise IncompleteTranslation(f"{job.locale.code} {job.product.name}: not complete: {reasons[0]}", job.catalog)
    for entry in catalog or []:
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text:
                origins.insert(0, TextOrigin(str(job.catalog), entry.linenum, str(text)))
    return result.markdown, origins


@dataclass(slots=True)
class Content:
    """A job's text, translated, checked and turned into HTML fragments, ready to be placed at any type size."""

    context: dict[str, Any]
    """Template variables except the type size and fonts."""
    translations: LayoutTranslations
    """The layouts' words in the job's language."""
    origins: list[TextOrigin]
    """Where each piece of text comes from."""
    environment: jinja2.Environment | None = None
    """The Jinja2 environment of the job's language, made once so every type size tried reuses its templates."""


class IncompleteTranslation(RenderError):
    """A translation the catalog statistics called complete prints some blocks in the source language."""


@lru_cache(maxsize=16)
def _checked_document(path: Path, fields: tuple[str, ...], stamp: tuple[int, int]) -> Document:
    """A source document parsed and checked once per process while the file is unchanged (``stamp``)."""
    document = load_document(path, fields)
    check_source(document.source, document.path)
    check_tokens(document.tokens, document.path)
    return document


def prepare_content(renderer: Renderer, job: Job) -> Content:
    """Load, translate and check the job's document and lay its Markdown out as HTML fragments."""
    try:
        status = job.document.stat()
        stamp = (status.st_mtime_ns, status.st_size)
    except OSError:
        stamp = (0, 0)
    document = _checked_document(job.document, renderer.config.front_matter_fields, stamp)
    markdown, origins = _translate(renderer, job, document)
    tokens = parse_markdown(markdown)
    check_tokens(tokens, job.catalog or document.path)
    front = front_matter_of(tokens, document.path)
    body = render_body(tokens, document.path, renderer.config.path(renderer.config.source_dir))
    translations = renderer.layout_translations(job.locale)
    title = body.title_html.striptags() if body.title_html else str(front.get("title", ""))
    clinic = renderer.clinic if job.product.contact_box else None
    address = guide_address(renderer.clinic, job.locale.tag) if job.product.guide_link else None
    context: dict[str, Any] = {
        "locale": job.locale,
        "product": job.product,
        "paper": renderer.paper,
        "draft": job.draft,
        # Pseudo-locales are drafts (every page marked, never a final file name) but not incomplete
        # translations: no banner, so they measure the space a real, complete translation has.
        "incomplete": job.draft and not job.locale.pseudo,
        "reviewed": job.reviewed,
        "title": title,
        "title_html": body.title_html or Markup.escape(title),
        "description": front.get("description"),
        "version": str(front.get("version", "")),
        "date_text": _date(front.get("date"), job.locale),
        "body": body.html,
        "toc": [h for h in body.headings if h.level == 2] if job.product.contents else [],
        "clinic": clinic,
        "logo": data_uri(clinic.logo) if clinic and clinic.logo else None,
        "guide_url": address,
        "css": Markup(renderer.layouts.stylesheet(job.product.stylesheet)),
    }
    for text, line in translations.lines().items():
        origins.append(TextOrigin(str(translations.path or DOMAIN), line, text))
    if renderer.clinic is not None and renderer.clinic.path is not None and renderer.clinic.path.is_file():
        lines = renderer.clinic.path.read_text(encoding="utf-8").splitlines()
        origins += [TextOrigin(str(renderer.clinic.path), n, line) for n, line in enumerate(lines, 1)]
    origins += [TextOrigin(str(path), None, text) for path, text in renderer.layouts.template_texts()]
    return Content(context, translations, origins)


def render_html(renderer: Renderer, content: Content, font_size_pt: float, line_height: float, font_family: str) -> str:
    """The product's self-contained HTML at one type size and line height."""
    locale: TextLocale = content.context["locale"]
    source = renderer.config.source_language
    fallback = source if locale.code != source and not locale.pseudo else None
    if content.environment is None:
        content.environment = renderer.layouts.environment(content.translations, {"qr": qr_svg}, fallback)
    environment = content.environment
    context = {
        **content.context,
        "font_size_pt": f"{font_size_pt:g}",
        "line_height": f"{line_height:g}",
        "font_family": Markup(font_family),
    }
    return environment.get_template(content.context["product"].template).render(context)


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
    prepare = time.perf_counter() - started

    # Attempts run from loosest to tightest and page counts only grow with looser settings: try the tightest
    # first (fail fast), then bisect for the loosest that fits.
    attempts = [(size, height) for size in product.font_sizes_pt for height in product.line_heights]
    tried: dict[int, tuple[str, Layout | None, int]] = {}
    layout_seconds = 0.0

    def attempt(index: int) -> bool:
        nonlocal prepare, layout_seconds
        step = time.perf_counter()
        html = render_html(renderer, content, *attempts[index], family)
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
    size, height = attempts[chosen]
    pdf, write_seconds = write_pdf(layout)
    return RenderedProduct(
        job=job, html=html, pdf=pdf, layout=layout, paper=renderer.paper, font_size_pt=size, line_height=height,
        title=content.context["title"], date_text=content.context["date_text"], fonts=[font.family for font in fonts],
        untranslated_layout_words=sorted(words.missing) if job.locale.code != renderer.config.source_language else [],
        timings={"prepare": prepare, "layout": layout_seconds, "write": write_seconds},
    )  # fmt: skip


def product_paths(output_dir: Path, job: Job, draft: bool | None = None) -> tuple[Path, Path]:
    """Where the PDF and HTML of ``job`` go: ``output/<locale>/<document>-<product>[-draft].pdf``."""
    stem = job.product.file_stem(job.draft if draft is None else draft)
    folder = output_dir / job.locale.code
    return folder / f"{stem}.pdf", folder / f"{stem}.html"


def remove_other_versions(output_dir: Path, job: Job, built: bool) -> list[Path]:
    """Delete files a patient could mistake for this job's current version (a stale final when a draft or
    nothing is built now, a stale draft when the final is); returns what was removed."""
    stale = []
    for draft in (False, True):
        if built and draft == job.draft:
            continue
        for path in product_paths(output_dir, job, draft):
            if path.exists():
                path.unlink()
                stale.append(path)
    return stale


def write_product(rendered: RenderedProduct, output_dir: Path) -> list[Path]:
    """Write the PDF and HTML atomically; returns the files written (unchanged ones are not rewritten)."""
    pdf_path, html_path = product_paths(output_dir, rendered.job)
    remove_other_versions(output_dir, rendered.job, built=True)
    written = []
    if write_bytes(pdf_path, rendered.pdf):
        written.append(pdf_path)
    if write_text(html_path, rendered.html):
        written.append(html_path)
    return written


@dataclass(slots=True)
class IndexRow:
    """One line of ``output/index.html``."""

    job: Job
    """The product and language."""
    rendered: RenderedProduct | None
    """The result, or None when not built."""
    problem: str | None = None
    """Why it was not built."""


class PrintedProduct(Protocol):
    """What the index shows of a built product: a :class:`RenderedProduct`, or a build's record of one."""

    @property
    def pages(self) -> int:
        """Page count."""

    @property
    def paper(self) -> Paper:
        """Sheet size."""

    @property
    def date_text(self) -> str:
        """The guide's date in the locale's format."""


class IndexEntry(Protocol):
    """One line of the index: an :class:`IndexRow`, or a build's record of a job rendered earlier."""

    @property
    def job(self) -> Job:
        """The product and language."""

    @property
    def rendered(self) -> PrintedProduct | None:
        """The product, or None when not built."""

    @property
    def problem(self) -> str | None:
        """Why it was not built."""


def render_index(
    rows: Sequence[IndexEntry], layouts: Layouts, output_dir: Path, grades: Mapping[tuple[str, str], Any] | None = None
) -> str:
    """``output/index.html``: every product by language with pages, date and reading grade (when given)."""
    environment = layouts.environment(LayoutTranslations())
    languages: dict[str, list[dict[str, Any]]] = {}
    names: dict[str, TextLocale] = {}
    for row in rows:
        locale = row.job.locale
        names[locale.code] = locale
        entry: dict[str, Any] = {"row": row, "job": row.job, "rendered": row.rendered, "grade": None}
        if grades is not None:
            entry["grade"] = grades.get((locale.code, row.job.product.document))
        if row.rendered is not None:
            pdf, html = product_paths(output_dir, row.job)
            entry["pdf"] = pdf.relative_to(output_dir).as_posix()
            entry["html"] = html.relative_to(output_dir).as_posix()
        languages.setdefault(locale.code, []).append(entry)
    template = environment.get_template("index.html.j2")
    return template.render(languages=[(names[code], entries) for code, entries in languages.items()])


def write_index(
    rows: Sequence[IndexEntry], layouts: Layouts, output_dir: Path, grades: Mapping[tuple[str, str], Any] | None = None
) -> bool:
    """Write ``output/index.html`` atomically; False when unchanged."""
    return write_text(output_dir / "index.html", render_index(rows, layouts, output_dir, grades))


@dataclass(slots=True)
class BuildResult:
    """What a build made, skipped and failed on."""

    rows: list[IndexRow] = field(default_factory=list)
    """Every job with its outcome."""
    written: list[Path] = field(default_factory=list)
    """Files written."""
    removed: list[Path] = field(default_factory=list)
    """Stale files removed."""

    @property
    def failures(self) -> list[IndexRow]:
        """Jobs that should have been built but failed."""
        return [row for row in self.rows if row.rendered is None and row.job.buildable]


def build(
    renderer: Renderer,
    jobs: Sequence[Job],
    output_dir: Path,
    grades: Mapping[tuple[str, str], Any] | None = None,
) -> BuildResult:
    """Render every buildable job, write it and the index; a failing product does not stop the others."""
    result = BuildResult()
    for job in jobs:
        if not job.buildable:
            log.info("%s %s: skipped: %s", job.locale.code, job.product.name, job.missing)
            result.removed += remove_other_versions(output_dir, job, built=False)
            result.rows.append(IndexRow(job, None, job.missing))
            continue
        try:
            try:
                rendered = render_product(renderer, job)
            except IncompleteTranslation as exc:
                job.missing = exc.message
                if not job.allow_draft:
                    log.info("%s %s: skipped: %s", job.locale.code, job.product.name, job.missing)
                    result.removed += remove_other_versions(output_dir, job, built=False)
                    result.rows.append(IndexRow(job, None, job.missing))
                    continue
                job.draft = True
                rendered = render_product(renderer, job)
        except PipelineError as exc:
            log.error("%s", exc)
            result.removed += remove_other_versions(output_dir, job, built=False)
            result.rows.append(IndexRow(job, None, str(exc)))
            continue
        result.written += write_product(rendered, output_dir)
        result.rows.append(IndexRow(job, rendered))
    if write_index(result.rows, renderer.layouts, output_dir, grades):
        result.written.append(output_dir / "index.html")
    return result
