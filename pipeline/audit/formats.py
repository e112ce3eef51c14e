"""Audit the alternative formats: EPUB 3 books, braille (BRF and its Unicode braille twin) and web edition pages.

Each format has its checks as data (:data:`EPUB_CHECKS`, :data:`BRF_CHECKS`, :data:`WEB_CHECKS`), each citing the
rule it stands for; a check yields ``(severity, message)`` and the audit adds the file and the check id, as for
PDFs. What the audit cannot check itself is said as "not checked" (a limitation), never as a pass: EPUBCheck when
it is not installed, and axe-core's WCAG 2.2 AA rules on web pages, which need a browser and the test-only node
packages: the audit runs them only where ``make test`` has installed those (``tests/axe/node_modules``), and
says "not checked" elsewhere.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import TypeVar
from xml.etree import ElementTree

from pipeline.audit.checks import MAX_EXAMPLES
from pipeline.audit.model import Check, Finding, ProductAudit
from pipeline.errors import Severity
from pipeline.errors import shown as shown_path
from pipeline.render.braille import CELLS_PER_LINE, check_brf, page_number, to_brf
from pipeline.render.errors import RenderError
from pipeline.render.locales import text_locale

log = logging.getLogger(__name__)

SITE = "site"
"""The web edition's folder inside the output folder (``output/site/<lang-tag>/<document>/index.html``)."""
EPUBCHECK_TIMEOUT_S = 300
"""Longest wait for one EPUBCheck run before it counts as not checked."""
AXE_NOT_RUN = "WCAG 2.2 AA (axe): not checked by the audit \u2014 run by `make test`"
"""The limitation row of a web page where axe-core cannot run (Chromium or the test-only node packages missing)."""

T = TypeVar("T")
"""The evidence a format's checks read (:class:`Book`, :class:`Braille`, :class:`Page`)."""

Result = tuple[Severity, str]
"""What a format check yields: severity and message (the whole file is the place; messages name pages, lines)."""

_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_XHTML = "{http://www.w3.org/1999/xhtml}"
_EPUB_NS = "{http://www.idpf.org/2007/ops}"


def _stem_document(stem: str) -> tuple[str, bool]:
    """The document a file is of and whether it is a draft (``summary-draft`` is the summary's draft)."""
    return (stem.removesuffix("-draft"), True) if stem.endswith("-draft") else (stem, False)


def locale_folder(path: Path, output_dir: Path) -> str:
    """The locale folder of a product file (``output/es/guide.epub``, ``output/es/summary.pdf``), empty when it is not
    in one (resolved first, so a file named relative to the working folder keeps its language)."""
    try:
        folder = path.resolve().parent.relative_to(output_dir.resolve()).as_posix()
    except ValueError:
        folder = path.parent.name
    return folder if "/" not in folder and folder not in (".", SITE) else ""


def _expected(code: str) -> tuple[str | None, str | None]:
    """The BCP 47 tag and direction of a locale code or tag (``zh_Hans`` or ``zh-Hans``); None, None when unknown."""
    if not code:
        return None, None
    try:
        locale = text_locale(code.replace("-", "_"))
    except RenderError:
        return None, None
    return locale.tag, locale.direction


# --- finding the files ---------------------------------------------------------------------------------------


def find_books(output_dir: Path) -> list[Path]:
    """Every EPUB in a locale folder of ``output_dir``, sorted."""
    return sorted(p for p in output_dir.glob("*/*.epub") if p.is_file() and not p.name.startswith("."))


def find_brfs(output_dir: Path) -> list[Path]:
    """Every BRF in a locale folder of ``output_dir``, sorted."""
    return sorted(p for p in output_dir.glob("*/*.brf") if p.is_file() and not p.name.startswith("."))


def find_pages(output_dir: Path) -> list[Path]:
    """Every page of the web edition (``site/index.html`` and ``site/<lang>/<document>/index.html``), sorted."""
    site = output_dir / SITE
    if not site.is_dir():
        return []
    return sorted(p for p in site.rglob("*.html") if p.is_file() and not p.name.startswith("."))


def find_formats(output_dir: Path) -> list[Path]:
    """Every alternative-format file the audit covers: books, BRFs, web pages."""
    if not output_dir.is_dir():
        return []
    return [*find_books(output_dir), *find_brfs(output_dir), *find_pages(output_dir)]


# --- EPUB ------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Book:
    """What the audit reads from one EPUB."""

    path: Path
    """The book."""
    shown: str
    """The book as the report names it."""
    language: str | None
    """Expected BCP 47 tag from its locale folder, None when not in one."""
    direction: str | None
    """Expected direction (``ltr``, ``rtl``), None when unknown."""
    package: ElementTree.Element | None = None
    """The package document, None when it cannot be read (reported by ``epub-package``)."""
    package_name: str = ""
    """Its path inside the book."""
    files: dict[str, bytes] = field(default_factory=dict)
    """Every entry of the zip, by name."""
    problem: str | None = None
    """Why the book could not be read, if so."""


def read_book(path: Path, shown: str, language: str | None, direction: str | None) -> Book:
    """Open the zip, find the package document through ``META-INF/container.xml`` and parse it."""
    book = Book(path, shown, language, direction)
    try:
        with zipfile.ZipFile(path) as archive:
            book.files = {info.filename: archive.read(info) for info in archive.infolist()}
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        book.problem = f"cannot open the book as a zip: {exc}"
        return book
    try:
        container = ElementTree.fromstring(book.files["META-INF/container.xml"])
        rootfile = container.find(f"{_CONTAINER}rootfiles/{_CONTAINER}rootfile")
        book.package_name = rootfile.get("full-path", "") if rootfile is not None else ""
        book.package = ElementTree.fromstring(book.files[book.package_name])
    except KeyError as exc:
        book.problem = f"missing {exc.args[0]!s}"
    except ElementTree.ParseError as exc:
        book.problem = f"the container or package document is not well-formed XML: {exc}"
    return book


def _metadata(book: Book) -> list[ElementTree.Element]:
    assert book.package is not None
    metadata = book.package.find(f"{_OPF}metadata")
    return list(metadata) if metadata is not None else []


def _properties(book: Book) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for element in _metadata(book):
        if element.tag == f"{_OPF}meta" and element.get("property"):
            values.setdefault(str(element.get("property")), []).append((element.text or "").strip())
    return values


def _epubcheck_command() -> list[str] | None:
    """How to start EPUBCheck: ``epubcheck`` on PATH (Debian installs the jar itself there, which needs
    ``java -jar``); None when it or Java is missing."""
    found = shutil.which("epubcheck")
    if found is None:
        return None
    with open(found, "rb") as stream:
        is_jar = stream.read(2) == b"PK"
    if not is_jar:
        return [found]
    java = shutil.which("java")
    # C1 only and the serial collector: measured here on a two-page summary, 3.9 s a book instead of 5.5 to 8.9 s
    # with the default JIT (EPUBCheck's time goes on compiling its schemas once, which C2 never pays back), and
    # 210 MB of memory instead of 400 MB.
    return [java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", found] if java else None


def check_epubcheck(book: Book) -> Iterator[Result]:
    """Every message of EPUBCheck (``-j``, JSON, offline): fatal and error fail, warnings warn; not installed is
    not checked."""
    command = _epubcheck_command()
    if command is None:
        yield Severity.LIMITATION, "EPUBCheck is not installed (Debian package epubcheck, and Java): not validated"
        return
    # One JVM per book (EPUBCheck 4.2.6 checks one file a run): measured 3.2 s a book on average over the 15
    # shipped books (48 s in all), most of it loading and compiling its schemas, not starting Java (0.2 s).
    with tempfile.TemporaryDirectory(prefix="plainleaf-epubcheck-") as folder:
        report = Path(folder) / "report.json"
        try:
            subprocess.run(
                [*command, str(book.path), "-j", str(report)],
                capture_output=True,
                text=True,
                timeout=EPUBCHECK_TIMEOUT_S,
                check=False,
            )
            data = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
            yield Severity.LIMITATION, f"EPUBCheck did not complete: {type(exc).__name__}: {exc}"
            return
    severities = {"FATAL": Severity.ERROR, "ERROR": Severity.ERROR, "WARNING": Severity.WARNING}
    for message in data.get("messages", []):
        severity = severities.get(str(message.get("severity", "")).upper())
        if severity is None:
            continue
        places = [
            f"{place.get('path', '')}"
            + (f":{place['line']}" if isinstance(place.get("line"), int) and place["line"] >= 0 else "")
            for place in message.get("locations", [])
        ]
        where = f" at {', '.join(places[:3])}" if places else ""
        yield severity, f"EPUBCheck {message.get('ID', '?')}{where}: {message.get('message', '')}"
    version = data.get("checker", {}).get("checkerVersion", "?")
    yield Severity.INFO, f"EPUBCheck {version} ran"


def check_epub_package(book: Book) -> Iterator[Result]:
    """The book opens: a zip with ``META-INF/container.xml`` naming a well-formed package document."""
    if book.problem:
        yield Severity.ERROR, book.problem


def check_epub_language(book: Book) -> Iterator[Result]:
    """``dc:language`` is the locale the book is filed under; right-to-left languages page right to left."""
    if book.package is None:
        return
    languages = [(e.text or "").strip() for e in _metadata(book) if e.tag == f"{_DC}language"]
    if not languages or not languages[0]:
        yield Severity.ERROR, f"{book.package_name}: no dc:language: reading systems guess the voice and the rules"
    elif book.language and languages[0].lower() != book.language.lower():
        yield (
            Severity.ERROR,
            f"{book.package_name}: dc:language is {languages[0]!r}, but the book is filed as {book.language!r}",
        )
    spine = book.package.find(f"{_OPF}spine")
    progression = spine.get("page-progression-direction") if spine is not None else None
    if book.direction == "rtl" and progression != "rtl":
        yield (
            Severity.ERROR,
            f'{book.package_name}: a right-to-left book without page-progression-direction="rtl" on its spine',
        )
    elif book.direction == "ltr" and progression == "rtl":
        yield Severity.ERROR, f"{book.package_name}: a left-to-right book pages right to left"


EPUB_METADATA = (
    "schema:accessMode",
    "schema:accessibilityFeature",
    "schema:accessibilityHazard",
    "schema:accessibilitySummary",
    "dcterms:conformsTo",
)
"""The accessibility metadata every book carries (EPUB Accessibility 1.1: discoverability, conformance)."""


def check_epub_metadata(book: Book) -> Iterator[Result]:
    """Every property of :data:`EPUB_METADATA` present with a value."""
    if book.package is None:
        return
    properties = _properties(book)
    missing = [name for name in EPUB_METADATA if not any(properties.get(name, []))]
    if missing:
        yield Severity.ERROR, f"{book.package_name}: no accessibility metadata {', '.join(missing)}"


def check_epub_nav(book: Book) -> Iterator[Result]:
    """A manifest item with ``properties="nav"``, present in the book, holding a ``toc`` nav with links."""
    if book.package is None:
        return
    manifest = book.package.find(f"{_OPF}manifest")
    items = list(manifest) if manifest is not None else []
    nav = next((i for i in items if "nav" in (i.get("properties") or "").split()), None)
    if nav is None:
        yield Severity.ERROR, f'{book.package_name}: no navigation document (no manifest item with properties="nav")'
        return
    name = (PurePosixPath(book.package_name).parent / (nav.get("href") or "")).as_posix()
    if name not in book.files:
        yield Severity.ERROR, f"the navigation document {name} named by {book.package_name} is not in the book"
        return
    try:
        document = ElementTree.fromstring(book.files[name])
    except ElementTree.ParseError as exc:
        yield Severity.ERROR, f"{name}: not well-formed XML: {exc}"
        return
    tocs = [n for n in document.iter(f"{_XHTML}nav") if n.get(f"{_EPUB_NS}type") == "toc"]
    if not tocs:
        yield Severity.ERROR, f'{name}: no nav with epub:type="toc": no table of contents'
    elif not any(True for _ in tocs[0].iter(f"{_XHTML}a")):
        yield Severity.ERROR, f"{name}: the table of contents has no links"


EPUB_CHECKS: list[tuple[Check, Callable[[Book], Iterable[Result]]]] = [
    (Check("epub-package", "The book opens: container and package document", "EPUB 3.3 (OCF)"), check_epub_package),
    (Check("epubcheck", "EPUBCheck: every message of the validator", "EPUBCheck; EPUB 3.3"), check_epubcheck),
    (
        Check(
            "epub-language",
            "dc:language is the book's locale; page-progression-direction rtl for rtl languages",
            "EPUB 3.3 package metadata; WCAG 2.2 3.1.1",
        ),
        check_epub_language,
    ),
    (
        Check(
            "epub-metadata",
            "Accessibility metadata: accessMode, accessibilityFeature, accessibilityHazard, accessibilitySummary,"
            " conformsTo",
            "EPUB Accessibility 1.1 (discoverability, conformance reporting)",
        ),
        check_epub_metadata,
    ),
    (
        Check("epub-nav", "Navigation document with a table of contents", "EPUB 3.3 navigation document; WCAG 2.4.5"),
        check_epub_nav,
    ),
]
"""The checks of every EPUB, in report order."""


def audit_book(path: Path, root: Path, output_dir: Path) -> ProductAudit:
    """Read one EPUB and run every check of :data:`EPUB_CHECKS` on it."""
    locale = locale_folder(path, output_dir)
    language, direction = _expected(locale)
    document, draft = _stem_document(path.stem)
    shown = shown_path(path, root)
    audit = ProductAudit(
        file=shown,
        locale=locale,
        product=f"{document} (EPUB)",
        draft=draft,
        format="epub",
        checks=[check for check, _ in EPUB_CHECKS],
    )
    _run(audit, EPUB_CHECKS, read_book(path, shown, language, direction))
    return audit


# --- braille ---------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Braille:
    """What the audit reads from one BRF and its Unicode braille twin."""

    path: Path
    """The BRF."""
    data: bytes
    """Its bytes."""
    twin: Path
    """The ``.txt`` beside it."""
    problems: list[str] = field(default_factory=list)
    """What the renderer's own geometry check (:func:`pipeline.render.braille.check_brf`) finds."""

    def pages(self) -> list[list[str]]:
        """Pages of lines, as the embosser reads them (CR LF line ends, a form feed between pages)."""
        pages = self.data.decode("ascii", errors="replace").split("\f")
        return [page.split("\r\n")[:-1] if page.endswith("\r\n") else page.split("\r\n") for page in pages]


def _geometry(kind: str) -> Callable[[Braille], Iterator[Result]]:
    """A check yielding the geometry problems of one kind (``cells``, ``lines``, ``not Braille ASCII``) found by
    the renderer's check, which the audit reuses rather than measuring a second way."""

    def check(braille: Braille) -> Iterator[Result]:
        found = [p for p in braille.problems if kind in p]
        for problem in found[:MAX_EXAMPLES]:
            yield Severity.ERROR, problem
        if len(found) > MAX_EXAMPLES:
            yield Severity.ERROR, f"{len(found) - MAX_EXAMPLES} more of the same"

    check.__doc__ = f"Problems of :func:`check_brf` that mention {kind!r}."
    return check


def check_brf_pages(braille: Braille) -> Iterator[Result]:
    """Lines end CR LF, pages are separated by form feeds, and line 1 of each page ends with its braille page
    number at the right margin (cell 40)."""
    if not braille.data.strip():
        yield Severity.ERROR, "the BRF is empty"
        return
    text = braille.data.decode("ascii", errors="replace")
    if re.search(r"(?<!\r)\n|\r(?!\n)", text):
        yield Severity.ERROR, "lines must end CR LF: a bare LF or CR is in the file"
    if text.endswith("\f") or "\f\f" in text:
        yield Severity.ERROR, "an empty page: two form feeds together or one at the end"
    wrong = []
    for number, page in enumerate(braille.pages(), 1):
        expected = to_brf(page_number(number))
        first = page[0] if page else ""
        if (
            len(first) != CELLS_PER_LINE
            or not first.endswith(expected)
            or first[-len(expected) - 1 : -len(expected)] not in " "
        ):
            wrong.append(
                f"page {number}: line 1 is {first!r}, not the page number {expected!r} ending at cell {CELLS_PER_LINE}"
            )
    for problem in wrong[:MAX_EXAMPLES]:
        yield Severity.ERROR, problem
    if len(wrong) > MAX_EXAMPLES:
        yield Severity.ERROR, f"{len(wrong) - MAX_EXAMPLES} more pages without their number at the top right"


def check_brf_twin(braille: Braille) -> Iterator[Result]:
    """The ``.txt`` twin holds the same pages and lines in Unicode braille, cell for cell."""
    if not braille.twin.is_file():
        yield Severity.ERROR, f"no Unicode braille twin {braille.twin.name} beside the BRF"
        return
    try:
        text = braille.twin.read_text(encoding="utf-8")
        twin = [[to_brf(line) for line in page.split("\n")[:-1]] for page in text.split("\f")]
    except (OSError, UnicodeDecodeError, RenderError) as exc:
        yield Severity.ERROR, f"{braille.twin.name}: not Unicode braille: {exc}"
        return
    pages = braille.pages()
    if len(twin) != len(pages):
        yield Severity.ERROR, f"{braille.twin.name} has {len(twin)} pages, the BRF {len(pages)}"
        return
    for number, (ours, theirs) in enumerate(zip(twin, pages, strict=True), 1):
        for row in range(max(len(ours), len(theirs))):
            mine = ours[row] if row < len(ours) else None
            other = theirs[row] if row < len(theirs) else None
            if mine != other:
                yield (
                    Severity.ERROR,
                    f"page {number} line {row + 1}: {braille.twin.name} reads {mine!r} in Braille ASCII, the BRF"
                    f" {other!r}",
                )
                return


BRF_CHECKS: list[tuple[Check, Callable[[Braille], Iterable[Result]]]] = [
    (
        Check("brf-line", "At most 40 cells a line", "BANA Braille Formats (2016): 40 x 25 cells; BRF"),
        _geometry("cells, more than"),
    ),
    (
        Check("brf-page", "At most 25 lines a page", "BANA Braille Formats (2016): 40 x 25 cells; BRF"),
        _geometry("lines, more than"),
    ),
    (
        Check("brf-ascii", "Only North American Braille ASCII characters", "BRF (North American Braille ASCII)"),
        _geometry("not Braille ASCII"),
    ),
    (
        Check(
            "brf-pages",
            "CR LF lines, form feeds between pages, page number at the top right",
            "BANA Braille Formats (2016): braille page numbers; BRF",
        ),
        check_brf_pages,
    ),
    (
        Check("brf-twin", "The .txt twin holds the same text in Unicode braille", "Plainleaf braille twin (.txt)"),
        check_brf_twin,
    ),
]
"""The checks of every BRF, in report order."""


def audit_brf(path: Path, root: Path, output_dir: Path) -> ProductAudit:
    """Read one BRF and run every check of :data:`BRF_CHECKS` on it."""
    document, draft = _stem_document(path.stem)
    shown = shown_path(path, root)
    audit = ProductAudit(
        file=shown,
        locale=locale_folder(path, output_dir),
        product=f"{document} (braille)",
        draft=draft,
        format="brf",
        checks=[check for check, _ in BRF_CHECKS],
    )
    try:
        data = path.read_bytes()
    except OSError as exc:
        audit.findings.append(Finding(shown, None, "brf-pages", Severity.ERROR, f"cannot read the BRF: {exc}"))
        return audit
    braille = Braille(path, data, path.with_suffix(".txt"), list(check_brf(data)))
    audit.pages = len(braille.pages())
    _run(audit, BRF_CHECKS, braille)
    return audit


# --- web edition -----------------------------------------------------------------------------------------------

_RESOURCE_ATTRIBUTES = {
    "img": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "source": ("src", "srcset"),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "input": ("src",),
}
"""Attributes whose URL the browser fetches as the page loads (``link`` is handled by its ``rel``)."""
_FETCHED_LINKS = frozenset(("stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest", "preconnect"))
_EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
_SAFE_SCHEMES = ("data:",)
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import\s+['\"]([^'\"]+)", re.IGNORECASE)


class _PageParser(HTMLParser):
    """The tags (with attributes and line) and inline style of a page, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None], int]] = []
        self.texts: dict[int, list[str]] = {}
        self.styles: list[str] = []
        self._style = False
        self._title: list[str] | None = None
        self.title = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs), self.getpos()[0]))
        self._style = tag == "style"
        if tag == "title":
            self._title = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._style = False
        if tag == "title" and self._title is not None:
            self.title = " ".join("".join(self._title).split())
            self._title = None

    def handle_data(self, data: str) -> None:
        if self._style:
            self.styles.append(data)
        if self._title is not None:
            self._title.append(data)


@dataclass(slots=True)
class Page:
    """What the audit reads from one web page."""

    path: Path
    """The page."""
    language: str | None
    """Expected BCP 47 tag from its site folder, None for the chooser or an unknown folder."""
    direction: str | None
    """Expected direction, None when unknown."""
    tags: list[tuple[str, dict[str, str | None], int]]
    """Every start tag: name, attributes, line."""
    styles: list[str]
    """Inline style sheets."""
    title: str
    """The ``<title>`` text."""
    axe: list[Result] | None = None
    """What axe-core found on the page (:func:`run_axe`), None when it did not run."""
    axe_missing: str = ""
    """Why axe-core did not run, when it did not."""


def read_page(path: Path, output_dir: Path) -> Page:
    """Parse the page; its expected language comes from ``site/<lang-tag>/...``."""
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    try:
        parts = path.resolve().relative_to((output_dir / SITE).resolve()).parts
    except ValueError:
        parts = ()
    language, direction = _expected(parts[0]) if len(parts) > 2 else (None, None)
    return Page(path, language, direction, parser.tags, parser.styles, parser.title)


def _headings(page: Page) -> list[tuple[int, int]]:
    return [(int(tag[1]), line) for tag, _attrs, line in page.tags if re.fullmatch(r"h[1-6]", tag)]


def check_web_language(page: Page) -> Iterator[Result]:
    """``<html>`` has ``lang`` and ``dir``, equal to the page's language folder."""
    root = next((attrs for tag, attrs, _line in page.tags if tag == "html"), None)
    if root is None:
        yield Severity.ERROR, "no <html> element"
        return
    lang, direction = (root.get("lang") or "").strip(), (root.get("dir") or "").strip()
    if not lang:
        yield Severity.ERROR, "<html> has no lang: screen readers guess the voice"
    elif page.language and lang.lower() != page.language.lower():
        yield Severity.ERROR, f"<html lang={lang!r}>, but the page is filed under {page.language!r}"
    if direction not in ("ltr", "rtl"):
        yield Severity.ERROR, '<html> has no dir="ltr" or dir="rtl"'
    elif page.direction and direction != page.direction:
        yield Severity.ERROR, f"<html dir={direction!r}>, but {page.language} is written {page.direction}"


def check_web_title(page: Page) -> Iterator[Result]:
    """A non-empty ``<title>``."""
    if not page.title:
        yield Severity.ERROR, "no page title (<title> missing or empty)"


def check_web_h1(page: Page) -> Iterator[Result]:
    """Exactly one ``h1``."""
    lines = [line for level, line in _headings(page) if level == 1]
    if len(lines) != 1:
        where = f" (lines {', '.join(map(str, lines))})" if lines else ""
        yield Severity.ERROR, f"{len(lines)} h1 headings{where}; a page has exactly one"


def check_web_headings(page: Page) -> Iterator[Result]:
    """Heading levels in order: the first is h1 and none is skipped."""
    previous = 0
    for level, line in _headings(page):
        if previous == 0 and level != 1:
            yield Severity.ERROR, f"line {line}: the first heading is h{level}, not h1"
        elif previous and level > previous + 1:
            yield Severity.ERROR, f"line {line}: h{level} follows h{previous}: level h{previous + 1} is skipped"
        previous = level


def check_web_skip_link(page: Page) -> Iterator[Result]:
    """The first link is a skip link to an element of the page (``#main``)."""
    links = [(attrs, line) for tag, attrs, line in page.tags if tag == "a" and attrs.get("href")]
    ids = {attrs.get("id") for _tag, attrs, _line in page.tags if attrs.get("id")}
    if not links or not (links[0][0].get("href") or "").startswith("#"):
        yield Severity.ERROR, 'the first link is not a skip link (href="#main") to the main content'
        return
    target = (links[0][0].get("href") or "")[1:]
    if target not in ids:
        yield Severity.ERROR, f"line {links[0][1]}: the skip link points at #{target}, which is not on the page"


def check_web_alt(page: Page) -> Iterator[Result]:
    """Every ``img`` has an ``alt`` attribute (empty for decoration)."""
    for tag, attrs, line in page.tags:
        if tag == "img" and attrs.get("alt") is None:
            yield Severity.ERROR, f"line {line}: <img src={attrs.get('src')!r}> has no alt text"
        elif tag == "input" and (attrs.get("type") or "") == "image" and not attrs.get("alt"):
            yield Severity.ERROR, f"line {line}: an image button has no alt text"


def check_web_resources(page: Page) -> Iterator[Result]:
    """No resource URL outside the site: no stylesheet, image, font, script or frame fetched from elsewhere."""
    found: list[str] = []
    for tag, attrs, line in page.tags:
        names = _RESOURCE_ATTRIBUTES.get(tag, ())
        if tag == "link" and _FETCHED_LINKS & set((attrs.get("rel") or "").lower().split()):
            names = ("href",)
        for name in names:
            value = attrs.get(name) or ""
            if _EXTERNAL.match(value) and not value.strip().lower().startswith(_SAFE_SCHEMES):
                found.append(f"line {line}: <{tag} {name}={value!r}>")
    for style in page.styles:
        for url in [*_CSS_URL.findall(style), *_CSS_IMPORT.findall(style)]:
            if _EXTERNAL.match(url) and not url.strip().lower().startswith(_SAFE_SCHEMES):
                found.append(f"style sheet: {url!r}")
    for item in found[:MAX_EXAMPLES]:
        yield Severity.ERROR, f"external resource {item}: the page must be self-contained"
    if len(found) > MAX_EXAMPLES:
        yield Severity.ERROR, f"{len(found) - MAX_EXAMPLES} more external resources"


def check_web_no_script(page: Page) -> Iterator[Result]:
    """No script: no ``<script>``, no event handler attribute, no ``javascript:`` link."""
    for tag, attrs, line in page.tags:
        handlers = sorted(name for name in attrs if name.startswith("on"))
        if tag == "script":
            yield Severity.ERROR, f"line {line}: a <script>: the page must work without script"
        elif handlers:
            yield Severity.ERROR, f"line {line}: <{tag}> has event handler {', '.join(handlers)}"
        elif (attrs.get("href") or "").strip().lower().startswith("javascript:"):
            yield Severity.ERROR, f"line {line}: a javascript: link"


def check_web_axe(page: Page) -> Iterator[Result]:
    """axe-core's WCAG 2.2 AA rules, as :func:`run_axe` found them; "not checked" when it could not run."""
    if page.axe is None:
        yield Severity.LIMITATION, AXE_NOT_RUN + (f" ({page.axe_missing})" if page.axe_missing else "")
        return
    yield from page.axe


AXE_FOLDER = Path(__file__).resolve().parent.parent.parent / "tests" / "axe"
"""Plainleaf's axe-core runner (``run-axe.mjs``) and, after ``make test`` (``npm ci --prefix tests/axe``), the
node packages it loads: axe-core and puppeteer-core. The audit downloads nothing: it uses them when they are there."""
AXE_TIMEOUT_S = 600
"""Longest wait for one run of the browser over every page."""
AXE_VIEWS = ((320, False), (1280, False), (320, True))
"""Viewport width and dark mode of each run, as ``tests/test_formats.py``: the narrowest phone (WCAG 1.4.10), a
desktop, and the dark colours a reader's system may ask for."""


def axe_missing() -> str:
    """What the audit lacks to run axe-core (empty when nothing): node, Chromium, the node packages."""
    missing = []
    if shutil.which("node") is None:
        missing.append("node")
    if not Path(os.environ.get("CHROMIUM", "/usr/bin/chromium")).is_file():
        missing.append("Chromium")
    modules = AXE_FOLDER / "node_modules"
    if not (AXE_FOLDER / "run-axe.mjs").is_file() or not (modules / "axe-core" / "axe.min.js").is_file():
        missing.append("axe-core (tests/axe/node_modules, installed by make test)")
    elif not (modules / "puppeteer-core").is_dir():
        missing.append("puppeteer-core (tests/axe/node_modules, installed by make test)")
    return ", ".join(missing)


def run_axe(paths: list[Path]) -> tuple[dict[Path, list[Result]] | None, str]:
    """axe-core's WCAG 2.2 AA rules on every page in headless Chromium, at each of :data:`AXE_VIEWS`: each
    violation an error, sideways scrolling at 320 px an error (WCAG 1.4.10), a request leaving the page an error,
    what axe could not decide a warning (review it by hand). None and the reason when it cannot run."""
    missing = axe_missing()
    if missing:
        return None, f"missing {missing}"
    found: dict[Path, list[Result]] = {path.resolve(): [] for path in paths}
    # One browser start per view for all pages: measured 7.6 s for the three views of two pages here and 24.5 s
    # for the 16 pages of the shipped web edition (about 0.4 s a page a view once Chromium is up).
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for width, dark in AXE_VIEWS:
        view = f"{width} px{' dark' if dark else ''}"
        command = ["node", str(AXE_FOLDER / "run-axe.mjs"), "--chromium", chromium, "--width", str(width)]
        try:
            done = subprocess.run(
                [*command, *(["--dark"] if dark else []), *map(str, found)],
                capture_output=True,
                text=True,
                timeout=AXE_TIMEOUT_S,
                check=False,
            )
            result = json.loads(done.stdout) if done.returncode == 0 else None
        except (OSError, subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
            return None, f"axe-core did not complete: {type(exc).__name__}"
        if result is None:
            return None, f"axe-core did not complete: {done.stderr.strip()[:200]}"
        for page in result["pages"]:
            results = found.setdefault(Path(page["file"]).resolve(), [])
            for violation in page["violations"]:
                targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
                results.append(
                    (
                        Severity.ERROR,
                        f"axe {violation['id']} ({violation['impact']}) at {view}: {violation['help']}"
                        f" at {', '.join(targets)}",
                    )
                )
            if page["overflow"] > 0 and width == 320:
                results.append((Severity.ERROR, f"scrolls sideways at {view}: {page['overflow']} px too wide"))
            for url in page["requests"][:MAX_EXAMPLES]:
                results.append((Severity.ERROR, f"fetches {url} at {view}: the page must be self-contained"))
            undecided = sum(item["nodes"] for item in page["incomplete"])
            if undecided:
                rules = ", ".join(sorted({item["id"] for item in page["incomplete"]}))
                results.append(
                    (Severity.WARNING, f"axe could not decide {undecided} elements at {view} ({rules}): review them")
                )
        version = result.get("axe", "?")
    for results in found.values():
        results.append((Severity.INFO, f"axe-core {version}: WCAG 2.2 AA rules at {', '.join(_views())}"))
    return found, ""


def _views() -> list[str]:
    return [f"{width} px{' dark' if dark else ''}" for width, dark in AXE_VIEWS]


WEB_CHECKS: list[tuple[Check, Callable[[Page], Iterable[Result]]]] = [
    (
        Check("web-language", "lang and dir on <html>, equal to the page's language", "WCAG 2.2 3.1.1"),
        check_web_language,
    ),
    (Check("web-title", "A page title", "WCAG 2.2 2.4.2"), check_web_title),
    (Check("web-h1", "Exactly one h1", "WCAG 2.2 1.3.1, 2.4.6"), check_web_h1),
    (Check("web-headings", "Heading levels in order, none skipped", "WCAG 2.2 1.3.1"), check_web_headings),
    (Check("web-skip-link", "A skip link to the main content first", "WCAG 2.2 2.4.1"), check_web_skip_link),
    (Check("web-alt", "Every image has alt text", "WCAG 2.2 1.1.1"), check_web_alt),
    (
        Check("web-resources", "No resource fetched from outside the site", "Plainleaf web edition: self-contained"),
        check_web_resources,
    ),
    (
        Check("web-no-script", "Works without script", "WCAG 2.2 conformance requirement 4; Plainleaf: no script"),
        check_web_no_script,
    ),
    (
        Check("axe", "axe-core's WCAG 2.2 AA rules in a browser (320, 1280 px, dark)", "WCAG 2.2 AA (axe-core)"),
        check_web_axe,
    ),
]
"""The checks of every web page, in report order."""


def audit_page(
    path: Path, root: Path, output_dir: Path, axe: tuple[dict[Path, list[Result]] | None, str] | None = None
) -> ProductAudit:
    """Read one web page and run every check of :data:`WEB_CHECKS` on it; ``axe`` is :func:`run_axe`'s result
    over the pages audited together (run for this page alone when not given)."""
    shown = shown_path(path, root)
    try:
        parts = path.resolve().relative_to((output_dir / SITE).resolve()).parts
    except ValueError:
        parts = ()
    document, draft = _stem_document(parts[1]) if len(parts) > 2 else ("language chooser", False)
    audit = ProductAudit(
        file=shown,
        locale=parts[0] if len(parts) > 2 else "",
        product=f"{document} (web)",
        draft=draft,
        format="web",
        checks=[check for check, _ in WEB_CHECKS],
    )
    try:
        page = read_page(path, output_dir)
    except (OSError, UnicodeDecodeError) as exc:
        audit.findings.append(Finding(shown, None, "web-language", Severity.ERROR, f"cannot read the page: {exc}"))
        return audit
    found, missing = axe if axe is not None else run_axe([path])
    page.axe = found.get(path.resolve(), []) if found is not None else None
    page.axe_missing = missing
    _run(audit, WEB_CHECKS, page)
    return audit


def audit_pages(paths: list[Path], root: Path, output_dir: Path) -> list[ProductAudit]:
    """Audit web pages together: one browser run of axe-core (per view) for all of them."""
    axe = run_axe(paths) if paths else (None, "")
    return [audit_page(path, root, output_dir, axe) for path in paths]


# --- running ---------------------------------------------------------------------------------------------------


def _run(audit: ProductAudit, checks: list[tuple[Check, Callable[[T], Iterable[Result]]]], evidence: T) -> None:
    """Run every check on ``evidence``; a check that breaks says so as "not checked", never as a pass."""
    for check, function in checks:
        try:
            for severity, message in function(evidence):
                audit.findings.append(Finding(audit.file, None, check.id, severity, message))
        except Exception as exc:  # a check that breaks on a file must say so, not pass
            log.debug("check %s failed on %s", check.id, audit.file, exc_info=True)
            audit.findings.append(
                Finding(audit.file, None, check.id, Severity.LIMITATION, f"check failed: {type(exc).__name__}: {exc}")
            )


FORMAT_SUFFIXES = {".epub": audit_book, ".brf": audit_brf, ".html": audit_page, ".htm": audit_page}
"""The audit of each alternative format, by file suffix."""


def audit_format(path: Path, root: Path, output_dir: Path) -> ProductAudit:
    """The audit of one EPUB, BRF or web page."""
    return FORMAT_SUFFIXES[path.suffix.lower()](path, root, output_dir)
