"""The alternative formats (issue 14): the web edition, EPUB 3 and braille, built by the real command line from the
shipped guide, each checked as the person who receives it would notice: axe-core's WCAG 2.2 AA rules at 320 and
1280 px, in dark mode and with text at 200 %, EPUBCheck, DAISY Ace, liblouis's own translations, an embosser's line
and page lengths, and the completeness gate.

The tests read the project ``make`` built (``conftest.shipped_all``) and never change it; each validator runs once
over every file it checks: axe in one browser over every EPUB document at every view (the main job's audit already
ran it over every web page, and its report is read), EPUBCheck in one JVM, Ace in one process and one browser
(``tests/ace/run-ace.js``). A test that builds works on its own copy.

axe needs Node, Chromium and ``npm ci --prefix pipeline/audit/axe`` (as ``tests/test_audit_axe.py``); EPUBCheck
needs Java and the Debian package ``epubcheck``; braille needs ``liblouis-bin`` and ``liblouis-data``. ``make``
installs all. The tests that need no built project (braille units, the runner's own checks, builds of one document
on a fresh copy) are in ``tests/test_formats_fresh.py``, which a worker runs while the shared project is built.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import os
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from commands import copy_built, plainleaf
from test_audit_axe import run_axe

from pipeline.audit.epubcheck import run_epubcheck
from pipeline.render.braille import (
    CELLS_PER_LINE,
    LINES_PER_PAGE,
    check_brf,
    to_brf,
)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = {"en": "en", "es": "es", "zh_Hans": "zh-Hans", "vi": "vi", "ar": "ar"}
"""Locale code to the tag the site folder uses."""
DOCUMENTS = ("guide", "handout", "summary")
EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")


FORMATS = ("--product", "web", "--product", "epub", "--product", "braille")


@pytest.fixture(scope="module")
def built(shipped_all: Path) -> Path:
    """The shipped project as ``plainleaf all`` left it (``conftest.shipped_all``): read, never changed. A test that
    builds works on its own copy."""
    return shipped_all


@pytest.fixture(scope="module")
def published(shipped_all: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped project for a clinic whose ``guide_url`` is where it publishes ``output/site/``, the
    web pages that print the clinic (the handout's and the summary's) built again for it in Spanish and Arabic (a
    left-to-right and a right-to-left language; each page lays its print edition out again for its page numbers)."""
    project = copy_built(shipped_all, tmp_path_factory.mktemp("formats") / "project")
    (project / "clinic.toml").write_text('name = "Clinic"\nguide_url = "https://clinic.test/guides/"\n')
    done = plainleaf(project, "build", "--product", "web", "--locale", "es", "--locale", "ar")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^built\s+4$", done.stdout, re.MULTILINE), done.stdout
    return project


# --- web edition ---------------------------------------------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(path: Path) -> list[tuple[str, dict[str, str | None]]]:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page.tags


def _site_pages(project: Path) -> list[Path]:
    site = project / "output" / "site"
    return [site / "index.html", *(site / tag / doc / "index.html" for tag in LANGUAGES.values() for doc in DOCUMENTS)]


def test_one_self_contained_page_per_document_and_language(built: Path) -> None:
    site = built / "output" / "site"
    for code, tag in LANGUAGES.items():
        for document in DOCUMENTS:
            page = site / tag / document / "index.html"
            tags = _tags(page)
            root = tags[0][1] if tags[0][0] == "html" else {}
            assert root.get("lang") == tag and root.get("dir") == ("rtl" if code == "ar" else "ltr"), page
            assert [t for t, _ in tags].count("h1") == 1
            levels = [int(t[1]) for t, _ in tags if re.fullmatch(r"h[1-6]", t)]
            assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), f"heading skipped in {page}"
            assert not [t for t, _ in tags if t in ("script", "iframe", "object")]
            alternates = {a["hreflang"] for t, a in tags if t == "link" and a.get("rel") == "alternate"}
            assert alternates == set(LANGUAGES.values())
            for t, a in tags:  # the site's own links are relative and land on a file that exists
                href = a.get("href") or a.get("src") or ""
                if href.startswith("data:"):  # embedded in the page (the summary's pictogram): nothing to fetch
                    continue
                if t in ("link", "img", "script") or (t == "a" and "external" not in (a.get("class") or "")):
                    assert not href.startswith(("http:", "https:", "//", "/")), f"{page}: {href}"
                    target = "" if href.startswith("data:") else href.split("#")[0]  # an inline pictogram
                    assert not target or (page.parent / target).resolve().is_file(), f"{page}: {href}"
            first_link = next(a for t, a in tags if t == "a")
            assert first_link.get("href") == "#main" and any(a.get("id") == "main" for t, a in tags if t == "main")
            assert any(t == "nav" and a.get("class") == "contents" for t, a in tags)
            text = page.read_text(encoding="utf-8")
            if code != "en":  # every translation is unreviewed in pyproject.toml: the page must say so
                assert 'class="review-notice"' in text
            assert "rem" in text and "prefers-color-scheme: dark" in text and "@media print" in text
    en = (site / "en" / "guide" / "index.html").read_text(encoding="utf-8")
    assert "Estimated reading time" in en and "font-size: 1.125rem" in en and "px;" not in en.split("</style>")[0]


def test_the_chooser_lists_every_page_and_the_qr_targets_say_where_each_guide_goes(published: Path) -> None:
    site = published / "output" / "site"
    links = {a["href"] for t, a in _tags(site / "index.html") if t == "a" and a.get("href") != "#main"}
    # Each page, and beside it the same document's EPUB and BRF, copied into the site folder.
    assert links == {
        f"{tag}/{doc}/{name}"
        for tag in LANGUAGES.values()
        for doc in DOCUMENTS
        for name in ("index.html", f"{doc}.epub", f"{doc}.brf")
    }
    assert all((site / str(link)).is_file() for link in links)
    brf = published / "output" / "es" / "guide.brf"
    assert (site / "es" / "guide" / "guide.brf").read_bytes() == brf.read_bytes()
    chooser = (site / "index.html").read_text(encoding="utf-8")
    # One title per language (the guide's), each document named by what it is, in the language.
    assert chooser.count("Guía de estudios clínicos") == 1 and "Resumen de una página" in chooser
    rows = list(csv.DictReader(io.StringIO((site / "qr-targets.csv").read_text(encoding="utf-8"))))
    assert {row["language"]: row["qr_url"] for row in rows} == {
        tag: f"https://clinic.test/guides/{tag}/guide/" for tag in LANGUAGES.values()
    }
    assert all((published / "output" / row["site_path"]).is_file() for row in rows)
    # The handout's QR code encodes exactly the address the list gives for its language.
    assert plainleaf(published, "build", "--product", "handout", "--locale", "es").returncode == 0
    handout = (published / "output" / "es" / "handout.html").read_text(encoding="utf-8")
    assert "https://clinic.test/guides/es/guide/" in handout


def _epub_documents(built: Path, tmp: Path) -> list[Path]:
    pages = []
    for code in LANGUAGES:
        folder = tmp / code
        with zipfile.ZipFile(built / "output" / code / "guide.epub") as book:
            book.extractall(folder)
        pages += [folder / "EPUB" / "content.xhtml", folder / "EPUB" / "nav.xhtml"]
    return pages


VIEWS = [(320, "light", 100), (1280, "light", 100), (320, "dark", 100), (320, "light", 200)]
"""Viewport width, colour scheme and text size (percent) axe checks at: the narrowest phone (WCAG 1.4.10), a
desktop, dark mode, and the phone with text at 200 % (WCAG 1.4.4), as the audit does."""


def _axe_rows(report: dict[str, Any]) -> dict[str, tuple[str, list[str]]]:
    """Each web page's axe status and findings in an audit's report (``plainleaf audit --json``)."""
    return {
        item["file"]: (
            next(check["status"] for check in item["checks"] if check["id"] == "axe"),
            [finding["message"] for finding in item["findings"] if finding["check"] == "axe"],
        )
        for item in report["products"] if item["format"] == "web"
    }  # fmt: skip


def _axe_passed(rows: dict[str, tuple[str, list[str]]]) -> dict[str, list[str]]:
    """The pages whose axe row is not a pass at every view, with what the audit found."""
    views = ", ".join(
        f"{width} px{' dark' if scheme == 'dark' else ''}{f' text {text} %' if text != 100 else ''}"
        for width, scheme, text in VIEWS
    )
    return {
        page: findings for page, (status, findings) in rows.items()
        if status != "pass" or not any(f.endswith(f"WCAG 2.2 AA rules at {views}") for f in findings)
    }  # fmt: skip


def test_every_web_page_passed_axe_at_every_view_in_the_main_jobs_audit(built: Path) -> None:
    # The main job's audit (what make runs) ran axe-core over every page at every view in one browser: its report
    # is what a clinic reads, and running axe over the same pages again here would check nothing new.
    report = json.loads((built / "output" / "reports" / "audit.json").read_text(encoding="utf-8"))
    rows = _axe_rows(report)
    assert sorted(rows) == sorted(page.relative_to(built).as_posix() for page in _site_pages(built))
    assert not _axe_passed(rows), json.dumps(_axe_passed(rows), indent=1, ensure_ascii=False)


def test_a_clinics_web_pages_pass_axe_with_its_contact_details(published: Path) -> None:
    pages = [f"output/site/{tag}/{doc}/index.html" for tag in ("es", "ar") for doc in ("handout", "summary")]
    assert all("Clinic" in (published / page).read_text(encoding="utf-8") for page in pages)
    done = plainleaf(published, "audit", "--json", *pages)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
    rows = _axe_rows(json.loads(done.stdout))
    assert sorted(rows) == sorted(pages)
    assert not _axe_passed(rows), json.dumps(_axe_passed(rows), indent=1, ensure_ascii=False)


def test_every_epub_document_passes_axe_wcag_22_aa_at_every_view(built: Path, tmp_path: Path) -> None:
    pages = _epub_documents(built, tmp_path)
    result = run_axe([*(option for w, s, t in VIEWS for option in ("--view", f"{w},{s},{t}")), *pages])
    assert [(page["width"], page["scheme"], page["text"]) for page in result["pages"]] == [
        view for view in VIEWS for _page in pages
    ]
    assert [page["file"] for page in result["pages"]] == [str(page) for _view in VIEWS for page in pages]
    problems = {
        f"{page['file']} at {page['width']} {page['scheme']} {page['text']}": [
            f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in page["violations"]
        ]
        for page in result["pages"] if page["violations"]
    }  # fmt: skip
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)
    assert not [page["file"] for page in result["pages"] if page["requests"]], "pages that fetch something"
    assert not {p["file"]: p["overflow"] for p in result["pages"] if p["overflow"] > 0}, "scrolls sideways"


# --- braille -------------------------------------------------------------------------------------------------


def _brf_pages(path: Path) -> list[list[str]]:
    pages = path.read_bytes().decode("ascii").split("\f")
    return [page.split("\r\n")[:-1] for page in pages]


def test_every_brf_keeps_the_embossers_lines_and_pages(built: Path) -> None:
    files = sorted((built / "output").glob("*/*.brf"))
    assert len(files) == len(LANGUAGES) * len(DOCUMENTS)
    for path in files:
        assert not list(check_brf(path.read_bytes())), path
        pages = _brf_pages(path)
        front = len([page for page in pages if page[-1].strip().startswith("T#")])
        assert front >= 2, f"{path}: no title page and transcriber's note"
        for number, page in enumerate(pages, 1):
            assert len(page) <= LINES_PER_PAGE and max(map(len, page)) <= CELLS_PER_LINE, f"{path} page {number}"
            # The braille page number at the right margin of line 25 (North American practice): t1, t2 ... for
            # the front matter, then 1, 2 ...: the numeric indicator and letters a-j.
            shown = number if number <= front else number - front
            expected = ("T" if number <= front else "") + "#" + "".join("JABCDEFGHI"[int(d)] for d in str(shown))
            assert page[-1].endswith(expected) and len(page[-1]) == CELLS_PER_LINE, f"{path} page {number}"
        text = path.with_suffix(".txt").read_text(encoding="utf-8")
        unicode_pages = [p.split("\n")[:-1] for p in text.split("\f")]
        assert [[to_brf(line) for line in p] for p in unicode_pages] == pages  # the same text, cell for cell
    guide = _brf_pages(built / "output" / "en" / "guide.brf")
    assert len(guide) > 10 and guide[0][0].strip() and guide[0][0].startswith("   ")  # centred title on line 1


# --- EPUB ----------------------------------------------------------------------------------------------------


def test_every_epub_has_navigation_language_direction_fonts_and_accessibility_metadata(built: Path) -> None:
    for code, tag in LANGUAGES.items():
        for document in DOCUMENTS:
            path = built / "output" / code / f"{document}.epub"
            with zipfile.ZipFile(path) as book:
                first = book.infolist()[0]
                assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
                assert book.read("mimetype") == b"application/epub+zip"
                opf = book.read("EPUB/package.opf").decode("utf-8")
                names = book.namelist()
                nav = book.read("EPUB/nav.xhtml").decode("utf-8")
            assert f"<dc:language>{tag}</dc:language>" in opf and 'properties="nav"' in opf
            assert ('page-progression-direction="rtl"' in opf) == (code == "ar")
            assert 'epub:type="toc"' in nav and nav.count("<li>") >= (3 if document == "guide" else 1)
            for needed in ("schema:accessMode", "schema:accessibilityFeature", "schema:accessibilityHazard",
                           "schema:accessibilitySummary"):  # fmt: skip
                assert needed in opf, (path, needed)
            # No conformance claim the build makes about itself: only a named evaluator may claim WCAG 2.2 AA.
            assert "dcterms:conformsTo" not in opf and "a11y:certifiedBy" not in opf
            summary = re.search(r'"schema:accessibilitySummary">([^<]+)<', opf)
            assert summary and (code == "en" or "Text only" not in summary.group(1)), (path, "summary not localized")
            assert (
                'epub:type="landmarks"' in nav
                and 'epub:type="page-list"' in nav
                and 'href="content.xhtml#page-1"' in nav
            )
            assert "pageBreakMarkers" in opf and 'property="source-of">pagination<' in opf
            with zipfile.ZipFile(path) as book:
                content = book.read("EPUB/content.xhtml").decode("utf-8")
            assert 'epub:type="bodymatter"' in content and 'epub:type="pagebreak" role="doc-pagebreak"' in content
            if document == "guide":
                assert "<ol><li>" in nav  # H3 entries nested under their H2
            fonts = [name for name in names if name.startswith("EPUB/fonts/")]
            assert bool(fonts) == (code in ("ar", "zh_Hans")), path


def test_embedded_font_subsets_cover_every_character_of_the_book(built: Path) -> None:
    from fontTools.ttLib import TTFont

    for code in ("ar", "zh_Hans"):
        with zipfile.ZipFile(built / "output" / code / "guide.epub") as book:
            text = re.sub(r"<[^>]+>", "", book.read("EPUB/content.xhtml").decode("utf-8").split("<body>")[1])
            font = next(name for name in book.namelist() if "/fonts/regular" in name)
            cmap = TTFont(io.BytesIO(book.read(font))).getBestCmap()
        script_chars = {c for c in text if ord(c) > 0x5FF}
        assert script_chars and not {c for c in script_chars if ord(c) not in cmap}


def test_the_same_input_gives_the_same_epub_bytes(built: Path, tmp_path: Path) -> None:
    project = copy_built(built, tmp_path / "project")
    # Latin text, and the two scripts whose fonts the books embed (subset afresh in each build): every document.
    books = [project / "output" / code / f"{doc}.epub" for code in ("es", "ar", "zh_Hans") for doc in DOCUMENTS]
    before = {book: hashlib.sha256(book.read_bytes()).hexdigest() for book in books}
    locales = [option for code in ("es", "ar", "zh_Hans") for option in ("--locale", code)]
    done = plainleaf(project, "build", "--product", "epub", *locales, "--force")
    assert done.returncode == 0, done.stderr
    assert re.search(r"^built\s+9$", done.stdout, re.MULTILINE), done.stdout  # each book made again
    after = {book: hashlib.sha256(book.read_bytes()).hexdigest() for book in books}
    assert before == after
    stamps = {info.date_time for book in books for info in zipfile.ZipFile(book).infolist()}
    assert stamps == {(2023, 11, 14, 22, 13, 20)}  # SOURCE_DATE_EPOCH 1700000000


def _epubcheck(paths: list[Path]) -> list[dict[str, object]]:
    """EPUBCheck's JSON report of each book, all in one JVM as the audit runs it (pipeline/audit/epubcheck.py)."""
    reports = run_epubcheck(paths)
    assert reports is not None, "EPUBCheck or Java missing"
    found = [reports[path.resolve()] for path in paths]
    assert all(isinstance(report, dict) for report in found), found
    return [report for report in found if isinstance(report, dict)]


def _epubcheck_ready() -> None:
    if shutil.which("java") is None or not EPUBCHECK_JAR.is_file():
        pytest.skip(
            "EPUBCheck not installed (Debian package epubcheck, which make installs): EPUB validity not checked"
        )


def test_every_epub_is_valid_under_epubcheck(built: Path) -> None:
    _epubcheck_ready()
    books = sorted((built / "output").glob("*/*.epub"))
    assert len(books) == len(LANGUAGES) * len(DOCUMENTS)
    problems = {}
    reports = _epubcheck(books)  # one JVM for the 15 books (about 8 s), not one a book (3 to 5 s each)
    for book, report in zip(books, reports, strict=True):
        messages = report["messages"]
        assert isinstance(messages, list)
        found = [f"{m['ID']}: {m['message']}" for m in messages if m["severity"] in ("FATAL", "ERROR", "WARNING")]
        if found:
            problems[book.relative_to(built).as_posix()] = found
    assert not problems, json.dumps(problems, indent=1)


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
"""Debian's Chromium, which Ace's puppeteer runs (it downloads no browser of its own)."""
ACE = ROOT / "tests" / "ace" / "node_modules" / "@daisy" / "ace-core"
"""DAISY Ace's library, installed by ``make test`` (``npm ci --prefix tests/ace``), no browser downloaded."""
RUN_ACE = ROOT / "tests" / "ace" / "run-ace.js"
"""Ace over every book in one process and one browser (Ace's own command line starts both for each book)."""


def _ace(books: list[Path], folder: Path) -> list[dict[str, Any]]:
    """Ace's report on each of ``books``, run with Debian's Chromium."""
    done = subprocess.run(
        ["node", str(RUN_ACE), str(folder), *map(str, books)], capture_output=True, text=True, timeout=600,
        check=False, env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return [json.loads((folder / str(n) / "report.json").read_text(encoding="utf-8")) for n in range(len(books))]


def _ace_problems(report: dict[str, Any]) -> list[str]:
    return [
        f"{item['earl:test']['dct:title']} ({item['earl:test']['earl:impact']})"
        for assertion in report["assertions"] for item in assertion.get("assertions", [])
    ]  # fmt: skip


def _without_language_and_summary(book: Path, broken: Path) -> Path:
    """A copy of ``book`` whose content document lost its language and whose package its accessibility summary."""
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(broken, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "EPUB/content.xhtml":
                data = re.sub(rb'<html([^>]*?) (?:xml:)?lang="[^"]*"', rb"<html\1", data)
                data = re.sub(rb'<html([^>]*?) (?:xml:)?lang="[^"]*"', rb"<html\1", data)
            elif info.filename == "EPUB/package.opf":
                data = re.sub(rb'<meta property="schema:accessibilitySummary">[^<]*</meta>', b"", data)
            out.writestr(info, data)
    return broken


def test_every_epub_passes_daisy_ace(built: Path, tmp_path: Path) -> None:
    assert ACE.is_dir(), "DAISY Ace missing: make test installs it (npm ci --prefix tests/ace)"
    books = sorted((built / "output").glob("*/*.epub"))
    assert len(books) == len(LANGUAGES) * len(DOCUMENTS)
    # A book Ace must fail, checked in the same run: a run that passes everything proves nothing.
    broken = _without_language_and_summary(built / "output" / "en" / "summary.epub", tmp_path / "broken.epub")
    *reports, refused = _ace([*books, broken], tmp_path / "ace")
    problems = {
        book.relative_to(built).as_posix(): _ace_problems(report)
        for book, report in zip(books, reports, strict=True)
        if report["earl:result"]["earl:outcome"] != "pass" or _ace_problems(report)
    }
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)
    # Ace finds the accessibility metadata every book carries, and no conformance claim to vouch for.
    metadata = reports[0]["a11y-metadata"]
    assert {"schema:accessMode", "schema:accessibilitySummary", "schema:accessibilityFeature"} <= set(
        metadata["present"]
    )
    assert "dcterms:conformsTo" not in metadata["present"]
    assert refused["earl:result"]["earl:outcome"] == "fail"
    assert any("lang" in problem for problem in _ace_problems(refused)), _ace_problems(refused)
    assert "schema:accessibilitySummary" not in refused["a11y-metadata"]["present"]


def test_epubcheck_finds_a_broken_book(tmp_path: Path, built: Path) -> None:
    _epubcheck_ready()
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(built / "output" / "en" / "summary.epub") as book, zipfile.ZipFile(broken, "w") as out:
        for info in book.infolist():
            data = book.read(info)
            if info.filename == "EPUB/package.opf":
                data = re.sub(rb"<dc:language>[^<]*</dc:language>", b"", data)
            out.writestr(info, data)
    messages = _epubcheck([broken])[0]["messages"]
    assert isinstance(messages, list) and any(m["severity"] in ("ERROR", "FATAL") for m in messages)


# --- gates ---------------------------------------------------------------------------------------------------


def test_a_second_build_of_the_formats_does_nothing(built: Path, tmp_path: Path) -> None:
    done = plainleaf(copy_built(built, tmp_path / "project"), "build", *FORMATS)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^built\s+0$", done.stdout, re.MULTILINE), done.stdout
    assert re.search(r"^up to date\s+45$", done.stdout, re.MULTILINE), done.stdout
