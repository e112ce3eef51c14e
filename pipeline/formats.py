"""The output formats in one table: each one's generator, files, page unit, audit and the words staff read.

In the spirit of translate-toolkit's ``storage/factory.py``: the stages that make, place, list, describe and audit
products (render, builder, audit, commands) look a format up here instead of naming it. It is shared at the top of
the package, like ``config.py``, and imports no stage (its RenderError lives in ``errors.py``): generators and
audits are named by module and imported when first used, so reading the table costs nothing (a build with nothing
to do never loads the renderer) and no stage imports a later one. Adding a format is one :class:`Format` in
:func:`default_formats` (ARCHITECTURE.md, "Add a format").
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pipeline.errors import RenderError

SITE = "site"
"""Folder of the web edition in the output folder: ``site/<lang>/<document>/index.html``, copyable as it is."""


class Described(Protocol):
    """A product as the registry looks it up (:class:`pipeline.render.products.Product`): not imported, even for
    types, so that the table sits above every stage."""

    @property
    def name(self) -> str:
        """The product's name."""

    @property
    def format(self) -> str:
        """The name of its format."""


class Made(Protocol):
    """What every generator returns (:class:`pipeline.render.alternative.AlternativeProduct`, or a print
    :class:`pipeline.render.product.RenderedProduct`): the files' bytes and what the build records."""

    @property
    def files(self) -> dict[str, bytes]:
        """Bytes by file key, main file first."""

    @property
    def pages(self) -> int:
        """Page count in the format's page unit; 0 when the format has none."""

    @property
    def title(self) -> str:
        """Title in the product's language."""

    @property
    def date_text(self) -> str:
        """The document's date in the locale's format."""

    @property
    def timings(self) -> dict[str, float]:
        """Seconds spent, by step."""


@dataclass(slots=True, frozen=True)
class FormatFile:
    """One file a product of a format writes."""

    key: str
    """Its name in records and reports (``pdf``, ``html``, ``brf``, ``txt``)."""
    suffix: str
    """File name suffix (``.brf``); a web page is always ``index.html`` in its own folder."""
    label: str
    """Link text on the print desk (``Unicode braille text``)."""


@dataclass(slots=True, frozen=True)
class Format:
    """One output format: how it is made, where its files go, how it is counted, audited and named."""

    name: str
    """The format's name: a :attr:`pipeline.render.products.Product.format`, and ``--product`` of its products."""
    generator: str
    """``module:function`` (in ``pipeline/render/``) that makes a job's files in memory: ``function(renderer,
    job)``, or with print's ``layout_pages`` as third argument; it returns a :class:`Made`."""
    files: tuple[FormatFile, ...]
    """Every file a product writes, main file first (the order the desk lists them)."""
    audit: str
    """Module of ``pipeline/audit/`` that finds and audits its files (``find``, ``audit_files``)."""
    audit_name: str
    """The format as audit reports name it (``format`` in the JSON report: ``pdf``, ``epub``, ``brf``, ``web``)."""
    audit_label: str
    """The format's column text in the audit report (``Braille (BRF)``)."""
    audit_suffixes: tuple[str, ...]
    """File suffixes ``plainleaf audit FILE`` audits as this format, lower case."""
    noun: str
    """What the build's summary calls a product without pages (``web page``, ``EPUB``)."""
    page_unit: str | None = None
    """What its pages are called (``page``, ``braille page``); None when the reader's device makes the pages."""
    print: bool = False
    """Laid out by Plainleaf on paper (type size, page budget, sheet size, duplex): the print products."""
    in_site: bool = False
    """Its files go in the web edition's folder (``site/<lang-tag>/<document>/index.html``), not the locale's, and
    each page links the same document's pages in the other languages the build makes."""
    gate: str | None = None
    """``module:function(config, locale) -> str | None``: why the format cannot be made in a language (braille
    without a table), asked by the planner; such a job is reported as not built, never guessed. None: always made."""
    inputs: str | None = None
    """``module:function(config, locale) -> list[tuple[str, Path]]``: files the format reads besides the document's,
    by role (braille tables, liblouis), hashed by the planner so a change rebuilds it. None: nothing else."""
    label: str = ""
    """Name of its products as clinic staff say it (``Web page``), for the index; print products have their own."""
    purpose: str = ""
    """What its products are for and whom to give them to, for the index; print products have their own."""

    def page_count(self, pages: int) -> str | None:
        """``28 pages``, ``1 braille page``; None for a format without pages."""
        if self.page_unit is None:
            return None
        return f"{pages} {self.page_unit}{'s' if pages != 1 else ''}"

    def render(self, renderer: Any, job: Any, layout_pages: MutableMapping[str, int] | None = None) -> Made:
        """Make ``job``'s files in memory (a :class:`pipeline.render.Job`, with a :class:`pipeline.render.Renderer`);
        a RenderError when the job may not be built."""

        if not job.buildable:
            raise RenderError(f"{job.locale.code} {job.product.name}: not built: {job.missing}", job.catalog)
        generate = resolve(self.generator)
        made: Made = generate(renderer, job, layout_pages) if self.print else generate(renderer, job)
        return made

    def auditor(self) -> Any:
        """The audit module of this format (imported now: it loads pikepdf or the XML readers)."""
        return importlib.import_module(self.audit)


def resolve(name: str) -> Any:
    """The function a table entry names as ``module:function``, imported now."""
    module, _, function = name.partition(":")
    return getattr(importlib.import_module(module), function)


class Formats(Mapping[str, Format]):
    """The formats by name, in the order the desk lists a document's products; looked up by product or suffix."""

    def __init__(self, formats: Sequence[Format]) -> None:
        self._formats = {entry.name: entry for entry in formats}

    def __getitem__(self, name: str) -> Format:
        return self._formats[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._formats)

    def __len__(self) -> int:
        return len(self._formats)

    def of(self, product: Described) -> Format:
        """The format of ``product``; a RenderError naming it when no format has that name."""

        try:
            return self._formats[product.format]
        except KeyError:
            raise RenderError(f"{product.name}: unknown product format {product.format!r}") from None

    def audited(self) -> list[Format]:
        """The formats in the order the audit lists files: the locale folders' first, then the web edition's."""
        return sorted(self._formats.values(), key=lambda entry: entry.in_site)

    def for_suffix(self, suffix: str) -> Format | None:
        """The format ``plainleaf audit`` reads a file with this suffix as; None when none does."""
        for entry in self.audited():
            if suffix.lower() in entry.audit_suffixes:
                return entry
        return None

    def by_audit_name(self) -> dict[str, Format]:
        """The formats by the name audit reports give them (``brf`` for braille)."""
        return {entry.audit_name: entry for entry in self._formats.values()}


@functools.cache
def default_formats() -> Formats:
    """The formats Plainleaf makes: print (PDF/UA with its HTML), the web edition, EPUB 3 and braille (BRF)."""
    return Formats(
        [
            Format(
                name="pdf",
                generator="pipeline.render.product:render_product",
                files=(FormatFile("pdf", ".pdf", "PDF"), FormatFile("html", ".html", "HTML")),
                audit="pipeline.audit.pdf",
                audit_name="pdf",
                audit_label="PDF",
                audit_suffixes=(".pdf",),
                noun="PDF",
                page_unit="page",
                print=True,
            ),
            Format(
                name="web",
                generator="pipeline.render.web:render_web",
                files=(FormatFile("html", ".html", "Web page"),),
                audit="pipeline.audit.web",
                audit_name="web",
                audit_label="Web page",
                audit_suffixes=(".html", ".htm"),
                noun="web page",
                in_site=True,
                label="Web page",
                purpose="For phones and screen readers. Give the link to a patient who reads on screen or listens with "
                "a screen reader; site/qr-targets.csv says where the handout's QR code leads and which file to "
                "publish there.",
            ),
            Format(
                name="epub",
                generator="pipeline.render.epub:render_epub",
                files=(FormatFile("epub", ".epub", "EPUB"),),
                audit="pipeline.audit.epub",
                audit_name="epub",
                audit_label="EPUB",
                audit_suffixes=(".epub",),
                noun="EPUB",
                label="EPUB e-book",
                purpose="For reading apps and refreshable braille displays. Send it to a patient who asks for an "
                "e-book or reads on a braille display.",
            ),
            Format(
                name="braille",
                generator="pipeline.render.braille:render_braille",
                files=(FormatFile("brf", ".brf", "BRF"), FormatFile("txt", ".txt", "Unicode braille text")),
                audit="pipeline.audit.braille",
                audit_name="brf",
                audit_label="Braille (BRF)",
                audit_suffixes=(".brf",),
                noun="braille",
                page_unit="braille page",
                gate="pipeline.render.braille:unavailable",
                inputs="pipeline.render.braille:format_inputs",
                label="Braille (BRF)",
                purpose="For the clinic's braille embosser; the Unicode braille text is the same pages to check on "
                "screen. Give the embossed copy to a patient who reads braille.",
            ),
        ]
    )
