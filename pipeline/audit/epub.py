"""Audit EPUB 3 books: the package, language and direction, accessibility metadata, navigation, and EPUBCheck.

The checks are data (:data:`EPUB_CHECKS`), each citing the rule it stands for; a check yields ``(severity,
message)`` and the audit adds the file and the check id, as for PDFs. EPUBCheck not installed is said as "not
checked" (a limitation), never as a pass.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from pipeline.audit.files import expected_language, locale_folder, stem_document
from pipeline.audit.model import Check, ProductAudit, Result, run_checks
from pipeline.errors import Severity
from pipeline.errors import shown as shown_path

EPUBCHECK_TIMEOUT_S = 300
"""Longest wait for one EPUBCheck run before it counts as not checked."""

_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_XHTML = "{http://www.w3.org/1999/xhtml}"
_EPUB_NS = "{http://www.idpf.org/2007/ops}"


def find(output_dir: Path) -> list[Path]:
    """Every EPUB in a locale folder of ``output_dir``, sorted."""
    return sorted(p for p in output_dir.glob("*/*.epub") if p.is_file() and not p.name.startswith("."))


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
    language, direction = expected_language(locale)
    document, draft = stem_document(path.stem)
    shown = shown_path(path, root)
    audit = ProductAudit(
        file=shown,
        locale=locale,
        product=f"{document} (EPUB)",
        draft=draft,
        format="epub",
        checks=[check for check, _ in EPUB_CHECKS],
    )
    run_checks(audit, EPUB_CHECKS, read_book(path, shown, language, direction))
    return audit


def audit_files(paths: list[Path], root: Path, output_dir: Path) -> list[ProductAudit]:
    """Audit books one by one: EPUBCheck is most of the cost (about 3.2 s a book, 48 s for 15 books here) and two
    JVMs at a time measured no faster (47.3 s) on these two shared cores."""
    return [audit_book(path, root, output_dir) for path in paths]
