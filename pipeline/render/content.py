"""A job's content: the document translated, checked and laid out as HTML fragments, then as a whole page of
HTML at one type size (:func:`render_html`). Pure: nothing here writes a file."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polib
from babel import Locale
from babel.dates import format_date
from markupsafe import Markup

from pipeline.catalogs.pofile import read_catalog
from pipeline.catalogs.translate import translate_document
from pipeline.config import Config
from pipeline.document import Document, front_matter_of, load_document
from pipeline.render.clinic import Clinic, format_hours, formats_locale, guide_address
from pipeline.render.errors import IncompleteTranslation
from pipeline.render.fonts import FontCatalog, TextOrigin
from pipeline.render.jobs import Job
from pipeline.render.layouts import Layouts
from pipeline.render.locales import TextLocale
from pipeline.render.markup import data_uri, parse_markdown, render_body
from pipeline.render.messages import DOMAIN, LayoutTranslations, extract_layout_messages, load_layout_translations
from pipeline.render.paper import Paper, paper_for_country
from pipeline.render.products import CONTACT_TEXT
from pipeline.render.pseudo import pseudo_document_catalog, pseudo_layout_catalog, pseudo_mode
from pipeline.render.safety import check_source, check_tokens

if TYPE_CHECKING:
    import jinja2

    from pipeline.render.fit import ContactFit

MEASURE_HEIGHT_PT = 4000.0
"""Height of the page the contact box is measured on alone: taller than any box, so it never breaks."""


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
            return LayoutTranslations(pseudo_layout_catalog(self.layout_template(), pseudo_mode(locale.code)))
        if locale.code == self.config.source_language:
            return LayoutTranslations()
        return load_layout_translations(self.config.catalog_path(locale.code, DOMAIN))


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


def front_matter_date(value: Any) -> datetime.date | None:
    """The ``date`` of a document's front matter as a date (YAML gives a date, a datetime or a string), or None."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, datetime.date) else None


def _date(value: Any, locale: Locale) -> str:
    date = front_matter_date(value)
    if date is not None:
        return str(format_date(date, format="long", locale=locale))
    return str(value) if isinstance(value, str) else ""


def _translate(renderer: Renderer, job: Job, document: Document) -> tuple[str, list[TextOrigin]]:
    """Translated Markdown of the job's document, and where its text comes from."""
    origins = [TextOrigin(str(document.path), n, line) for n, line in enumerate(document.source.splitlines(), 1)]
    if job.locale.code == renderer.config.source_language and not job.locale.pseudo:
        # No catalog: every block keeps its source text; this still fills in the reading-time line.
        return translate_document(document, None, job.locale.code).markdown, origins
    if job.locale.pseudo:
        pseudo = pseudo_document_catalog(document, pseudo_mode(job.locale.code))
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
    images: int = 0
    """How many images the document's title, lead and body show (:attr:`pipeline.render.markup.Body.images`):
    the EPUB's access modes and accessibility summary say "text and images" only when there are some."""


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
    carries = renderer.clinic is not None and job.product.carries_clinic
    address = guide_address(renderer.clinic, job.locale.tag) if job.product.guide_link or carries else None
    any_contact = (
        contact_details(renderer.clinic, job.locale, renderer.config.source_language)
        if carries and renderer.clinic
        else None
    )
    context: dict[str, Any] = {
        "locale": job.locale,
        "product": job.product,
        "paper": renderer.paper,
        "draft": job.draft,
        # Pseudo-locales are drafts (every page marked, never a final file name) but not incomplete
        # translations: no banner, so they measure the space a real, complete translation has.
        "incomplete": job.draft and not job.locale.pseudo and not job.held,
        # A draft of a translation that fails ``plainleaf check`` is complete but wrong somewhere: say so.
        "failed_check": job.draft and job.held is not None,
        "reviewed": job.reviewed,
        "title": title,
        "title_html": body.title_html or Markup.escape(title),
        # The running head: the short title (translatable front matter), never the full title wrapped to two lines.
        "running_head": str(front.get("short-title") or title),
        # The paragraph after the title (the reading time) apart, so print layouts keep it with the title;
        # "body" still holds it for the editions that flow the text as it comes (web, EPUB, braille).
        "lead": body.lead_html,
        "body_after_lead": body.html,
        "description": front.get("description"),
        "version": str(front.get("version", "")),
        "edition_id": job.edition,
        # Dates and times as CLDR writes them where the clinic is (en_GB for English in Great Britain).
        "date_text": _date(front.get("date"), formats_locale(job.locale.data, renderer.clinic)),
        "body": body.lead_html + body.html,
        "toc": [h for h in body.headings if h.level == 2] if job.product.contents else [],
        "clinic": clinic,
        "contact": contact_details(clinic, job.locale, renderer.config.source_language) if clinic else None,
        "logo": data_uri(clinic.logo) if clinic and clinic.logo else None,
        "guide_url": address,
        # The clinic for every product of the documents that carry it (the summary's strip, the text section of
        # the web page, EPUB and braille), whether or not the product has a contact box.
        "any_clinic": renderer.clinic if carries else None,
        "any_contact": any_contact,
        "css": Markup(renderer.layouts.stylesheet(job.product.stylesheet)),
    }
    for text, line in translations.lines().items():
        origins.append(TextOrigin(str(translations.path or DOMAIN), line, text))
    if renderer.clinic is not None and renderer.clinic.path is not None and renderer.clinic.path.is_file():
        lines = renderer.clinic.path.read_text(encoding="utf-8").splitlines()
        origins += [TextOrigin(str(renderer.clinic.path), n, line) for n, line in enumerate(lines, 1)]
    origins += [TextOrigin(str(path), None, text) for path, text in renderer.layouts.template_texts()]
    content = Content(context, translations, origins, images=body.images)
    if carries and job.product.format != "pdf":
        # The web page, EPUB and braille have no contact box: the clinic's details close their body as text.
        section = (
            _environment(renderer, content)
            .get_template(CONTACT_TEXT)
            .render({**context, "clinic": renderer.clinic, "contact": any_contact})
        )
        context["body"] = Markup(context["body"]) + Markup(section)
    return content


def _environment(renderer: Renderer, content: Content) -> jinja2.Environment:
    """The Jinja2 environment of the content's language, made once."""
    if content.environment is None:
        locale: TextLocale = content.context["locale"]
        source = renderer.config.source_language
        fallback = source if locale.code != source and not locale.pseudo else None
        content.environment = renderer.layouts.environment(content.translations, {"qr": qr_svg}, fallback)
    return content.environment


def contact_details(clinic: Clinic, locale: TextLocale, source_language: str) -> dict[str, Any]:
    """The clinic's free-text fields in the job's language (the source text, with a warning, where the clinic file
    has no translation) and its opening hours formatted for the language by CLDR."""
    # Pseudo-locales are made from the source language and measure its text.
    language = source_language if locale.pseudo else locale.code
    hours: str | list[tuple[str, str]] | None
    if isinstance(clinic.hours, tuple):
        hours = format_hours(clinic.hours, formats_locale(locale.data, clinic))
    else:
        hours = clinic.text("hours", language, source_language)
    return {
        "name": clinic.text("name", language, source_language),
        "address": clinic.text("address", language, source_language),
        "hours": hours,
    }


def render_html(
    renderer: Renderer,
    content: Content,
    font_size_pt: float,
    line_height: float,
    font_family: str,
    digits_family: str | None = None,
    contact_fit: ContactFit | None = None,
    measure_contact: bool = False,
) -> str:
    """The product's self-contained HTML at one type size and line height; ``digits_family`` sets telephone
    numbers, times and dates in a face with a plain zero; ``contact_fit`` is how the contact box is set
    (:mod:`pipeline.render.fit`); ``measure_contact`` gives the contact box alone on a page as wide as the
    product's and too tall to break, to measure it before the page is composed."""
    environment = _environment(renderer, content)
    context = {
        **content.context,
        "font_size_pt": f"{font_size_pt:g}",
        "line_height": f"{line_height:g}",
        "font_family": Markup(font_family),
        "digits_family": Markup(digits_family or font_family),
        "contact_fit": contact_fit,
        "measure_contact": measure_contact,
    }
    if measure_contact:
        paper: Paper = content.context["paper"]
        context["paper"] = replace(paper, css=f"{paper.width_pt:g}pt {MEASURE_HEIGHT_PT:g}pt")
    return environment.get_template(content.context["product"].template).render(context)
