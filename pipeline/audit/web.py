"""Audit the web edition's pages: language, title, headings, skip link, alt text, self-containment, no script,
and axe-core's WCAG 2.2 AA rules in a browser.

The checks are data (:data:`WEB_CHECKS`), each citing the rule it stands for, as for every format. axe-core needs
Node, Chromium and the node packages of :data:`AXE_FOLDER` (``npm ci`` there, as ``make`` does): the audit
runs it only where those are installed and says "not checked" elsewhere, never a pass.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from pipeline.audit.checks import MAX_EXAMPLES
from pipeline.audit.files import expected_language, stem_document
from pipeline.audit.model import Check, Finding, ProductAudit, Result, run_checks
from pipeline.errors import Severity
from pipeline.errors import shown as shown_path
from pipeline.formats import SITE

AXE_NOT_RUN = "WCAG 2.2 AA (axe): not checked: axe-core cannot run here \u2014 `make` installs it"
"""The limitation row of a web page where axe-core cannot run (Chromium or the node packages missing)."""


def find(output_dir: Path) -> list[Path]:
    """Every page of the web edition (``site/index.html`` and ``site/<lang>/<document>/index.html``), sorted."""
    site = output_dir / SITE
    if not site.is_dir():
        return []
    return sorted(p for p in site.rglob("*.html") if p.is_file() and not p.name.startswith("."))


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
    language, direction = expected_language(parts[0]) if len(parts) > 2 else (None, None)
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


AXE_FOLDER = Path(__file__).resolve().parent / "axe"
"""Plainleaf's axe-core runner (``run-axe.mjs``, shipped with the package) and, after ``make`` (``npm ci
--prefix pipeline/audit/axe``), the node packages it loads: axe-core and puppeteer-core, pinned by its
``package-lock.json``. The audit downloads nothing: it uses them when they are there."""
AXE_TIMEOUT_S = 600
"""Longest wait for the browser's run over every page at every view."""
AXE_VIEWS = ((320, False, 100), (1280, False, 100), (320, True, 100), (320, False, 200))
"""Viewport width, dark mode and text size (percent) of each run, as ``tests/test_formats.py``: the narrowest phone
(WCAG 1.4.10), a desktop, the dark colours a reader's system may ask for, and the phone with text at 200 % (WCAG
1.4.4)."""


def axe_missing() -> str:
    """What the audit lacks to run axe-core (empty when nothing): node, Chromium, the node packages."""
    missing = []
    if shutil.which("node") is None:
        missing.append("node")
    if not Path(os.environ.get("CHROMIUM", "/usr/bin/chromium")).is_file():
        missing.append("Chromium")
    modules = AXE_FOLDER / "node_modules"
    if not (AXE_FOLDER / "run-axe.mjs").is_file() or not (modules / "axe-core" / "axe.min.js").is_file():
        missing.append("axe-core (pipeline/audit/axe/node_modules, installed by make)")
    elif not (modules / "puppeteer-core").is_dir():
        missing.append("puppeteer-core (pipeline/audit/axe/node_modules, installed by make)")
    return ", ".join(missing)


def run_axe(paths: list[Path]) -> tuple[dict[Path, list[Result]] | None, str]:
    """axe-core's WCAG 2.2 AA rules on every page in headless Chromium, at each of :data:`AXE_VIEWS`: each
    violation an error, sideways scrolling at 320 px an error (WCAG 1.4.10), a request leaving the page an error,
    what axe could not decide a warning (review it by hand). None and the reason when it cannot run."""
    missing = axe_missing()
    if missing:
        return None, f"missing {missing}"
    found: dict[Path, list[Result]] = {path.resolve(): [] for path in paths}
    # One browser for every page and view, each page loaded once and checked at the four views in turn
    # (run-axe.mjs): the 16 shipped pages cost 11 CPU-seconds, against 38 with a browser a view and a fresh load of
    # every page at every view.
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    command = ["node", str(AXE_FOLDER / "run-axe.mjs"), "--chromium", chromium]
    for width, dark, text_size in AXE_VIEWS:
        command += ["--view", f"{width},{'dark' if dark else 'light'},{text_size}"]
    try:
        done = subprocess.run(
            [*command, *map(str, found)],
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
    checked = {(page["width"], page["scheme"] == "dark", page["text"]) for page in result["pages"]}
    if checked != set(AXE_VIEWS) or len(result["pages"]) != len(found) * len(AXE_VIEWS):
        return None, "axe-core did not complete: it did not report every page at every view"
    for page in result["pages"]:
        width = page["width"]
        view = _view(width, page["scheme"] == "dark", page["text"])
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


def _view(width: int, dark: bool, text_size: int) -> str:
    return f"{width} px{' dark' if dark else ''}{f' text {text_size} %' if text_size != 100 else ''}"


def _views() -> list[str]:
    return [_view(*view) for view in AXE_VIEWS]


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
        Check(
            "axe",
            "axe-core's WCAG 2.2 AA rules in a browser (320, 1280 px, dark, 200 % text)",
            "WCAG 2.2 AA (axe-core)",
        ),
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
    document, draft = stem_document(parts[1]) if len(parts) > 2 else ("language chooser", False)
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
    run_checks(audit, WEB_CHECKS, page)
    return audit


def audit_pages(paths: list[Path], root: Path, output_dir: Path) -> list[ProductAudit]:
    """Audit web pages together: one browser run of axe-core for all of them at every view."""
    axe = run_axe(paths) if paths else (None, "")
    return [audit_page(path, root, output_dir, axe) for path in paths]


def audit_files(paths: list[Path], root: Path, output_dir: Path) -> list[ProductAudit]:
    """Audit web pages together: axe-core, where it can run, starts one browser for all of them and every view."""
    return audit_pages(paths, root, output_dir)
