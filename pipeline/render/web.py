"""The web edition: one static, self-contained page per document and language (``output/site/<lang>/<document>/``)
made from the same HTML body as the print products, a language chooser, and the list of what the QR codes point at.

Pages link each other with relative addresses only, so the ``site/`` folder can be copied to any web server or
opened from disk; no script, no font file, no request leaves the page.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from markupsafe import Markup

from pipeline.atomic import write_text
from pipeline.formats import SITE
from pipeline.render.alternative import AlternativeProduct
from pipeline.render.clinic import Clinic, guide_address, guide_target
from pipeline.render.content import Renderer, prepare_content, render_html
from pipeline.render.jobs import Job
from pipeline.render.layouts import Layouts
from pipeline.render.locales import text_locale
from pipeline.render.messages import LayoutTranslations
from pipeline.render.output import site_page

STYLESHEET = "web.css"
"""The web edition's stylesheet in ``layouts/`` (print CSS and dark mode included)."""
SITE_TEMPLATE = "site-index.html.j2"
"""Template of the language chooser ``output/site/index.html``."""
QR_TARGETS = "qr-targets.csv"
"""The list, in the site folder, of each language's guide page and the address its QR code encodes."""


@dataclass(slots=True, frozen=True)
class LanguageLink:
    """A link from a page to the same document in another language."""

    tag: str
    """BCP 47 tag, for ``hreflang`` and ``lang``."""
    direction: str
    """``ltr`` or ``rtl``."""
    name: str
    """The language's name in itself."""
    href: str
    """Relative address from the page."""
    current: bool
    """Whether it is the page itself."""


def _from_page(page: str) -> str:
    """Relative address of ``page`` (relative to the site folder) from any page of the site (two folders deep)."""
    return f"../../{page}"


def language_links(job: Job) -> list[LanguageLink]:
    """The page's language and every other language whose page of this document the build makes."""
    alternates = list(job.product.alternates) or [(job.locale.code, site_page(job))]
    if job.locale.code not in [code for code, _page in alternates]:
        alternates.append((job.locale.code, site_page(job)))
    links = []
    for code, page in alternates:
        locale = job.locale if code == job.locale.code else text_locale(code)
        current = code == job.locale.code
        href = _from_page(site_page(job) if current else page)
        links.append(LanguageLink(locale.tag, locale.direction, locale.display_name, href, current))
    return links


def render_web(renderer: Renderer, job: Job) -> AlternativeProduct:
    """The job's web page: the document's HTML body with skip link, contents, language links and notices."""
    started = time.perf_counter()
    content = prepare_content(renderer, job)
    content.context.update(
        css=Markup((renderer.layouts.folder / STYLESHEET).read_text(encoding="utf-8")),
        languages=language_links(job),
        chooser=_from_page("index.html"),
    )
    prepared = time.perf_counter()
    html = render_html(renderer, content, job.product.font_sizes_pt[0], job.product.line_heights[0], "")
    done = time.perf_counter()
    return AlternativeProduct(
        job,
        {"html": html.encode("utf-8")},
        str(content.context["title"]),
        str(content.context["date_text"]),
        timings={"prepare": prepared - started, "write": done - prepared},
    )


class _Record(Protocol):
    """What the build recorded of a job (:class:`pipeline.builder.manifest.JobRecord`)."""

    @property
    def status(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def draft(self) -> bool: ...
    @property
    def outputs(self) -> Mapping[str, Any]: ...


class _Planned(Protocol):
    """A planned job (:class:`pipeline.builder.manifest.PlannedJob`)."""

    @property
    def locale(self) -> str: ...
    @property
    def document(self) -> str: ...
    @property
    def product(self) -> str: ...


@dataclass(slots=True, frozen=True)
class SitePage:
    """A page the site holds, for the chooser and the QR target list."""

    locale: str
    """Locale code."""
    document: str
    """Document name."""
    path: str
    """Relative to the site folder."""
    title: str
    """Title in its language."""
    draft: bool
    """Whether it is a marked draft."""


def site_pages(jobs: Iterable[tuple[_Planned, _Record | None]]) -> list[SitePage]:
    """The web pages built, from the planned jobs and what the build recorded of each."""
    pages = []
    for job, record in jobs:
        # A previous edition kept while the translation catches up is still the page the QR code points at.
        if job.product != "web" or record is None or record.status not in ("built", "previous"):
            continue
        if "html" not in record.outputs:
            continue
        path = str(record.outputs["html"].path)
        if path.startswith(f"{SITE}/"):
            pages.append(SitePage(job.locale, job.document, path[len(SITE) + 1 :], record.title, record.draft))
    return pages


def qr_targets(pages: Iterable[SitePage], clinic: Clinic | None) -> str:
    """CSV of each guide page: language, document, the address its QR code encodes (empty when the clinic file
    sets no ``guide_url``: then no QR code is printed), where the page is in the site folder, and the file to
    publish at that address (``upload``, relative to ``output/``): the web page, or the large-print PDF when
    ``guide_url`` points at a PDF; empty without a ``guide_url``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["language", "document", "qr_url", "site_path", "upload"])
    for page in pages:
        if page.document == "guide":
            tag = text_locale(page.locale).tag
            address = guide_address(clinic, tag) or ""
            site_path = f"{SITE}/{page.path}"
            upload = "" if not address else site_path
            if address and guide_target(address) == "pdf":
                upload = f"{page.locale}/guide-large-print.pdf"
            writer.writerow([tag, page.document, address, site_path, upload])
    return out.getvalue()


def render_site_index(pages: Iterable[SitePage], layouts: Layouts) -> str:
    """The language chooser: every language's pages, each language named in itself."""
    languages: dict[str, list[SitePage]] = {}
    for page in pages:
        languages.setdefault(page.locale, []).append(page)
    environment = layouts.environment(LayoutTranslations())
    entries = [(text_locale(code), items) for code, items in languages.items()]
    return environment.get_template(SITE_TEMPLATE).render(
        languages=entries, css=Markup((layouts.folder / STYLESHEET).read_text(encoding="utf-8"))
    )


def write_site(
    output_dir: Path, layouts: Layouts, jobs: Iterable[tuple[_Planned, _Record | None]], clinic: Clinic | None
) -> list[Path]:
    """Write ``site/index.html`` and ``site/qr-targets.csv`` from the build's records (final pages only); returns
    the files that changed. Nothing is written when the build makes no final web page."""
    # Drafts stay out of the chooser and the QR list: a draft page is for the translator's review only.
    pages = [page for page in site_pages(jobs) if not page.draft]
    folder = output_dir / SITE
    if not pages or not (layouts.folder / SITE_TEMPLATE).is_file():
        for stale in (folder / "index.html", folder / QR_TARGETS):  # it would list pages no longer there
            stale.unlink(missing_ok=True)
        return []
    written = []
    if write_text(folder / "index.html", render_site_index(pages, layouts)):
        written.append(folder / "index.html")
    if write_text(folder / QR_TARGETS, qr_targets(pages, clinic)):
        written.append(folder / QR_TARGETS)
    return written
