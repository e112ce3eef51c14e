"""The web edition: one static, self-contained page per document and language (``output/site/<lang>/<document>/``)
made from the same HTML body as the print products, a language chooser, and the list of what the QR codes point at.

Pages link each other with relative addresses only, so the ``site/`` folder can be copied to any web server or
opened from disk; no script, no font file, no request leaves the page.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from markupsafe import Markup

from pipeline.atomic import write_bytes, write_text
from pipeline.formats import SITE
from pipeline.render.alternative import AlternativeProduct
from pipeline.render.braille_format import formats
from pipeline.render.clinic import Clinic, guide_address, guide_target
from pipeline.render.content import Renderer, prepare_content, render_html
from pipeline.render.jobs import Job
from pipeline.render.layouts import Layouts
from pipeline.render.locales import text_locale
from pipeline.render.messages import LayoutTranslations
from pipeline.render.output import site_page
from pipeline.render.print_pages import anchor_pages, print_pages

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


LONG_WORD = re.compile(r"[^\W\d_]{12,}")
"""A word long enough that it may not fit a line at 320 px with 200 % text (about 14 letters of body text): offered
soft hyphens."""
_TEXT = re.compile(r">([^<]+)<")


@functools.cache
def _hyphenator(language: str) -> Any:
    import pyphen

    return pyphen.Pyphen(lang=language) if language in pyphen.LANGUAGES else None


def hyphenate(html: str, language: str) -> str:
    """``html`` with soft hyphens (U+00AD) in its long words where the language's hyphenation patterns (pyphen)
    allow, so a word too long for a narrow screen breaks at a syllable, with a hyphen, not anywhere without one.
    CSS ``hyphens: auto`` would do the same where the browser has the language's dictionary; many have none
    offline (Chromium on Linux downloads them). Text only: tags and attributes are left as they are."""
    dictionary = _hyphenator(language)
    if dictionary is None:
        return html

    def words(match: re.Match[str]) -> str:
        return (
            ">" + LONG_WORD.sub(lambda word: dictionary.inserted(word.group(), hyphen="\u00ad"), match.group(1)) + "<"
        )

    return _TEXT.sub(words, f">{html}<")[1:-1]  # the text before the first tag and after the last too


def render_web(renderer: Renderer, job: Job) -> AlternativeProduct:
    """The job's web page: the document's HTML body with skip link, contents, language links and notices."""
    started = time.perf_counter()
    content = prepare_content(renderer, job)
    context = content.context
    language = job.locale.data.language
    body = str(context["body"])
    pages = print_pages(renderer, job, body)
    anchors = anchor_pages(body, pages) if pages is not None else {}
    words = formats().words([job.locale.code, f"{language}_{job.locale.script}", language])
    # Each contents entry with the page of the print edition it is on, so a reader can follow "see page 10".
    contents = [
        {
            "anchor": heading.anchor,
            "html": Markup(hyphenate(str(heading.html), language)),
            "print_page": words["print_page"].replace("{page}", str(anchors[heading.anchor]))
            if heading.anchor in anchors
            else "",
        }
        for heading in context["toc"]
    ]
    context.update(
        css=Markup((renderer.layouts.folder / STYLESHEET).read_text(encoding="utf-8")),
        languages=language_links(job),
        chooser=_from_page("index.html"),
        body=Markup(hyphenate(body, language)),
        title_html=Markup(hyphenate(str(context["title_html"]), language)),
        toc=contents,
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
    files: dict[str, tuple[str, str]] = field(default_factory=dict)
    """The same document's EPUB and BRF (``epub``, ``brf``): where the build wrote each (relative to the output
    folder) and where the site holds its copy (relative to the site folder, beside the page)."""


DOWNLOADS = {"epub": "epub", "braille": "brf"}
"""The files of other formats the chooser links beside each page: by product, the output kept."""


def site_pages(jobs: Iterable[tuple[_Planned, _Record | None]]) -> list[SitePage]:
    """The web pages built, from the planned jobs and what the build recorded of each, with the final EPUB and BRF
    of the same document and language."""
    pages = []
    downloads: dict[tuple[str, str], dict[str, tuple[str, str]]] = {}
    for job, record in jobs:
        if record is None or record.status != "built" or record.draft or job.product not in DOWNLOADS:
            continue
        kind = DOWNLOADS[job.product]
        if kind in record.outputs:
            built = str(record.outputs[kind].path)
            copy = f"{text_locale(job.locale).tag}/{job.document}/{Path(built).name}"
            downloads.setdefault((job.locale, job.document), {})[kind] = (built, copy)
    for job, record in jobs:
        # A previous edition kept while the translation catches up is still the page the QR code points at.
        if job.product != "web" or record is None or record.status not in ("built", "previous"):
            continue
        if "html" not in record.outputs:
            continue
        path = str(record.outputs["html"].path)
        if path.startswith(f"{SITE}/"):
            files = {} if record.draft else downloads.get((job.locale, job.document), {})
            pages.append(SitePage(job.locale, job.document, path[len(SITE) + 1 :], record.title, record.draft, files))
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
    entries = []
    for code, items in languages.items():
        locale = text_locale(code)
        language = locale.data.language
        words = formats().words([code, f"{language}_{locale.script}", language])
        # One title per language (the guide's, or the first document's), each document named by what it is.
        title = next((page.title for page in items if page.document == "guide"), items[0].title)
        entries.append((locale, title, words, items))
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
    # Copies of an EPUB or BRF whose translation is no longer final (held back, incomplete) go with its page: the
    # site offers nothing a patient may not be given, and a page's folder is left empty as the build leaves it.
    kept = {copy for page in pages for _built, copy in page.files.values()}
    for stale in sorted(folder.glob("*/*/*")) if folder.is_dir() else []:
        if stale.suffix in (".epub", ".brf") and stale.relative_to(folder).as_posix() not in kept:
            stale.unlink()
            if not any(stale.parent.iterdir()):
                stale.parent.rmdir()
    if not pages or not (layouts.folder / SITE_TEMPLATE).is_file():
        for stale in (folder / "index.html", folder / QR_TARGETS):  # it would list pages no longer there
            stale.unlink(missing_ok=True)
        return []
    written = []
    # The EPUB and BRF beside each page, so the site folder, copied to a web server, links only what it holds.
    for page in pages:
        for built, copy in page.files.values():
            data = (output_dir / built).read_bytes() if (output_dir / built).is_file() else None
            target = folder / copy
            if data is not None and (not target.is_file() or target.read_bytes() != data):
                write_bytes(target, data)
                written.append(target)
    if write_text(folder / "index.html", render_site_index(pages, layouts)):
        written.append(folder / "index.html")
    if write_text(folder / QR_TARGETS, qr_targets(pages, clinic)):
        written.append(folder / QR_TARGETS)
    return written
