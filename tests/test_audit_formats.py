"""``plainleaf audit`` on the alternative formats: a built EPUB, BRF and web page pass what the audit checks; a
broken one of each fails with a finding that names the file and what is wrong; what the audit cannot check
(EPUBCheck not installed, axe-core's rules on a web page) is "not checked" and turns the banner amber, never green.

The formats are built once by the real command line (``plainleaf build --locale en --document summary``, about
3 s); EPUBCheck (Debian ``epubcheck`` and Java, which ``make`` installs) takes about 5.5 s a book.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from commands import copy_shipped, plainleaf

from pipeline.audit import web
from pipeline.audit.model import AuditError, ProductAudit
from pipeline.audit.products import audit_format, audit_output
from pipeline.audit.report import render_html, render_table, report_json
from pipeline.audit.web import AXE_NOT_RUN
from pipeline.commands import Context
from pipeline.commands import audit as audit_command
from pipeline.errors import Severity

pytestmark = pytest.mark.slow  # builds or renders whole projects: left out of `make test-quick`

GENERATED = "2026-01-01 00:00+0000"


def _epubcheck_installed() -> None:
    # The gate is what EPUBCheck finds; without it these tests would prove nothing, so they fail, not skip.
    assert shutil.which("epubcheck") and shutil.which("java"), "EPUBCheck missing: apt-get install epubcheck"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped project with the English summary built in every format."""
    project = copy_shipped(tmp_path_factory.mktemp("formats") / "project")
    done = plainleaf(project, "build", "--locale", "en", "--document", "summary")
    assert done.returncode == 0, done.stdout + done.stderr
    return project


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built project's output, to break things in."""
    target = tmp_path / "project"
    shutil.copytree(built / "output", target / "output")
    return target


@pytest.fixture(autouse=True)
def no_axe(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """axe-core where ``make test`` installed it runs for ``test_axe_*`` only: the other tests are about what the
    audit checks itself, or about axe's absence, and need not start a browser three times a page."""
    if not request.node.name.startswith("test_axe_"):
        monkeypatch.setattr(web, "AXE_FOLDER", tmp_path / "no-axe")


@pytest.fixture
def no_epubcheck(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PATH without EPUBCheck or Java: its absence is under test, or the test is about our own checks and need not
    pay 5.5 s a book for it."""
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def _audit(project: Path, path: Path) -> ProductAudit:
    return audit_format(path, project, project / "output")


def _errors(audit: ProductAudit, check: str) -> list[str]:
    return [str(f) for f in audit.findings if f.check == check and f.severity is Severity.ERROR]


def _rewrite_book(path: Path, change: Callable[[str, bytes], bytes | None]) -> None:
    """Rewrite the EPUB at ``path``: ``change(name, data)`` gives new data, or None to leave the entry out."""
    with zipfile.ZipFile(path) as book:
        entries = [(info, book.read(info)) for info in book.infolist()]
    with zipfile.ZipFile(path, "w") as book:
        for info, data in entries:
            new = change(info.filename, data)
            if new is not None:
                book.writestr(info, new)


# --- everything built passes -------------------------------------------------------------------------------------


def test_the_built_book_brf_and_pages_pass_and_only_axe_is_not_checked(built: Path) -> None:
    _epubcheck_installed()
    audits = {a.file: a for a in audit_output(built / "output", built)}
    assert {a.format for a in audits.values()} == {"pdf", "epub", "brf", "web"}
    book, brf = audits["output/en/summary.epub"], audits["output/en/summary.brf"]
    assert book.status == "pass" and brf.status == "pass", [str(f) for f in book.findings + brf.findings]
    assert any(f.check == "epubcheck" and f.message.startswith("EPUBCheck 4") for f in book.findings)  # it ran
    assert brf.pages == 5  # title page, transcriber's note and contents (t1 to t3), then the text's two pages
    for name in ("output/site/en/summary/index.html", "output/site/index.html"):
        page = audits[name]
        assert page.status == "incomplete" and page.not_checked == ["axe"], [str(f) for f in page.findings]
        assert page.status_of("axe") == "not checked" and page.findings[-1].message.startswith(AXE_NOT_RUN)
        assert "missing axe-core (pipeline/audit/axe/node_modules, installed by make)" in page.findings[-1].message
        assert {page.status_of(c.id) for c in page.checks if c.id != "axe"} == {"pass"}
    data = report_json(list(audits.values()), GENERATED)
    assert data["schema"] == 3 and data["summary"]["products"] == 5 and data["summary"]["verdict"] == "incomplete"
    assert {p["file"]: p["format"] for p in data["products"]}["output/en/summary.brf"] == "brf"


@pytest.mark.usefixtures("no_epubcheck")
def test_every_format_check_cites_its_rule_in_the_report(built: Path) -> None:
    audits = audit_output(built / "output", built)
    html = render_html(audits, GENERATED)
    page = next(a for a in audits if a.format == "web")
    standards = {c.id: c.standard for a in audits for c in a.checks}
    assert standards["epub-metadata"].startswith("EPUB Accessibility 1.1") and "EPUBCheck" in standards["epubcheck"]
    assert standards["brf-line"].startswith("BANA") and standards["web-alt"] == "WCAG 2.2 1.1.1"
    for audit in audits:
        for check in audit.checks:
            assert check.standard and check.title in html.replace("&#39;", "'").replace("&lt;", "<").replace(
                "&gt;", ">"
            )
    # The axe row of a web page reads "Not checked", never "Pass"; the banner is amber.
    section = html.split(f'id="{"p-" + "".join(c if c.isalnum() else "-" for c in page.file)}"')[1]
    axe_row = section.split("axe-core&#39;s WCAG 2.2 AA rules in a browser")[1].split("</tr>")[0]
    assert "Not checked" in axe_row and "Pass" not in axe_row
    assert 'class="verdict amber"' in html and "✓ Pass: no errors" not in html
    table = render_table(audits)
    assert re.search(r"output/site/index.html\s+web\s+-\s.*pass, 1 rule not checked", table), table


# --- EPUB ----------------------------------------------------------------------------------------------------


def test_a_book_without_navigation_fails_naming_file_and_what_is_missing(project: Path) -> None:
    _epubcheck_installed()
    path = project / "output" / "en" / "summary.epub"

    def drop_nav(name: str, data: bytes) -> bytes | None:
        if name == "EPUB/nav.xhtml":
            return None
        return data.replace(b' properties="nav"', b"") if name == "EPUB/package.opf" else data

    _rewrite_book(path, drop_nav)
    audit = _audit(project, path)
    assert audit.status == "fail"
    [nav] = _errors(audit, "epub-nav")
    assert nav.startswith("output/en/summary.epub: error: [epub-nav]") and "no navigation document" in nav
    assert any("EPUBCheck RSC-" in e or "EPUBCheck OPF-" in e for e in _errors(audit, "epubcheck"))


@pytest.mark.usefixtures("no_epubcheck")
def test_a_book_in_the_wrong_language_fails(project: Path) -> None:
    path = project / "output" / "en" / "summary.epub"
    _rewrite_book(path, lambda name, data: data.replace(b"<dc:language>en<", b"<dc:language>es<"))
    [wrong] = _errors(_audit(project, path), "epub-language")
    assert "dc:language is 'es', but the book is filed as 'en'" in wrong and "summary.epub" in wrong


@pytest.mark.usefixtures("no_epubcheck")
def test_a_right_to_left_book_must_page_right_to_left(project: Path) -> None:
    arabic = project / "output" / "ar"
    arabic.mkdir()
    shutil.copy(project / "output" / "en" / "summary.epub", arabic / "summary.epub")
    errors = _errors(_audit(project, arabic / "summary.epub"), "epub-language")
    assert any("filed as 'ar'" in e for e in errors)
    assert any('page-progression-direction="rtl"' in e for e in errors)


@pytest.mark.usefixtures("no_epubcheck")
def test_a_book_without_its_accessibility_summary_fails(project: Path) -> None:
    path = project / "output" / "en" / "summary.epub"
    _rewrite_book(
        path, lambda name, data: re.sub(rb'<meta property="schema:accessibilitySummary">[^<]*</meta>', b"", data)
    )
    [missing] = _errors(_audit(project, path), "epub-metadata")
    assert "schema:accessibilitySummary" in missing and "accessMode" not in missing


@pytest.mark.usefixtures("no_epubcheck")
def test_a_conformance_claim_without_its_evaluator_fails(project: Path) -> None:
    path = project / "output" / "en" / "summary.epub"
    audit = _audit(project, path)
    assert not _errors(audit, "epub-conformance")  # the build claims nothing about itself
    claim = b'<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>'
    _rewrite_book(path, lambda name, data: data.replace(b"</metadata>", claim + b"\n</metadata>"))
    [error] = _errors(_audit(project, path), "epub-conformance")
    assert "no evaluator named" in error and "self-certified" in error


@pytest.mark.usefixtures("no_epubcheck")
def test_without_epubcheck_the_book_is_not_checked_and_the_banner_is_amber(project: Path) -> None:
    audit = _audit(project, project / "output" / "en" / "summary.epub")
    assert audit.status == "incomplete" and audit.not_checked == ["epubcheck"] and audit.passed
    assert audit.status_of("epubcheck") == "not checked" and audit.status_of("epub-nav") == "pass"
    html = render_html([audit], GENERATED)
    assert 'class="verdict amber"' in html and "Not checked in" in html and "✓ Pass: no errors" not in html
    assert report_json([audit], GENERATED)["summary"]["verdict"] == "incomplete"


@pytest.mark.usefixtures("no_epubcheck")
def test_a_file_that_is_not_a_book_fails(project: Path) -> None:
    path = project / "output" / "en" / "summary.epub"
    path.write_bytes(b"not a zip")
    assert "cannot open the book" in _errors(_audit(project, path), "epub-package")[0]


# --- braille -------------------------------------------------------------------------------------------------


def _brf(project: Path) -> Path:
    return project / "output" / "en" / "summary.brf"


def _lines(path: Path) -> list[str]:
    return path.read_bytes().decode("ascii").split("\r\n")


def test_a_41_cell_line_fails_naming_page_and_line(project: Path) -> None:
    path = _brf(project)
    lines = _lines(path)
    lines[2] = lines[2].ljust(41, "A")
    path.write_bytes("\r\n".join(lines).encode("ascii"))
    audit = _audit(project, path)
    assert _errors(audit, "brf-line") == [
        "output/en/summary.brf: error: [brf-line] page 1 line 3: 41 cells, more than 40"
    ]
    assert audit.status == "fail"


def test_a_missing_form_feed_a_missing_page_number_and_a_stray_character_fail(project: Path) -> None:
    path = _brf(project)
    data = path.read_bytes()
    path.write_bytes(data.replace(b"\f", b""))  # two pages run together: one page too long, no page 2
    assert any("more than 25" in e for e in _errors(_audit(project, path), "brf-page"))
    first, rest = data.split(b"\r\n", 1)
    pages = data.split(b"\f")
    lines = pages[0].split(b"\r\n")
    lines[24] = b""  # page 1 (the title page, t1) without its number at the bottom right
    path.write_bytes(b"\f".join([b"\r\n".join(lines), *pages[1:]]))
    assert any("page 1: line 25" in e and "'T#A'" in e for e in _errors(_audit(project, path), "brf-pages"))
    path.write_bytes(first + b"\r\nhello\r\n" + rest)  # lower case is not Braille ASCII
    audit = _audit(project, path)
    assert any("not Braille ASCII" in e for e in _errors(audit, "brf-ascii"))
    assert _errors(audit, "brf-twin")  # the twin no longer holds the same text


def test_the_unicode_twin_must_hold_the_same_braille(project: Path) -> None:
    twin = _brf(project).with_suffix(".txt")
    text = twin.read_text(encoding="utf-8")
    twin.write_text(text.replace("\u2801", "\u2803", 1), encoding="utf-8")
    [differs] = _errors(_audit(project, _brf(project)), "brf-twin")
    assert "summary.txt reads" in differs and "page 1" in differs
    twin.unlink()
    assert "no Unicode braille twin summary.txt" in _errors(_audit(project, _brf(project)), "brf-twin")[0]


# --- web pages -----------------------------------------------------------------------------------------------


def _page(project: Path) -> Path:
    return project / "output" / "site" / "en" / "summary" / "index.html"


def _edit_page(project: Path, old: str, new: str) -> ProductAudit:
    path = _page(project)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return _audit(project, path)


def test_a_page_with_two_h1_fails(project: Path) -> None:
    audit = _edit_page(project, "</main>", "<h1>Another title</h1></main>")
    [two] = _errors(audit, "web-h1")
    assert two.startswith("output/site/en/summary/index.html: error: [web-h1] 2 h1 headings")
    assert audit.status == "fail"


def test_a_page_with_an_image_without_alt_fails(project: Path) -> None:
    [alt] = _errors(_edit_page(project, "</main>", '<img src="chart.png"></main>'), "web-alt")
    assert "<img src='chart.png'> has no alt text" in alt and "index.html" in alt


def test_a_skipped_heading_level_wrong_language_script_and_external_resource_fail(project: Path) -> None:
    assert _errors(_edit_page(project, "</main>", "<h4>Deep</h4></main>"), "web-headings")
    assert _errors(_edit_page(project, 'lang="en"', 'lang="fr"'), "web-language")
    assert _errors(_edit_page(project, "</main>", "<script>alert(1)</script></main>"), "web-no-script")
    remote = '<link rel="stylesheet" href="https://cdn.test/x.css"></head>'
    assert "https://cdn.test/x.css" in _errors(_edit_page(project, "</head>", remote), "web-resources")[0]
    assert _errors(_edit_page(project, 'href="#main"', 'href="#nowhere"'), "web-skip-link")


# --- the command ---------------------------------------------------------------------------------------------


def test_the_command_audits_named_epub_brf_and_html_files(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = built / "output"
    files = [output / "en" / "summary.brf", output / "site" / "en" / "summary" / "index.html"]
    config = Context(built / "pyproject.toml")
    status = audit_command.run(config, audit_command.AuditOptions(files, json=True))
    data = json.loads(capsys.readouterr().out)
    assert status == 0 and [p["format"] for p in data["products"]] == ["brf", "web"]
    assert data["summary"]["verdict"] == "incomplete" and data["summary"]["not_checked"] == 1
    with pytest.raises(AuditError, match=r"give a \.pdf, \.epub, \.brf or \.html file"):
        audit_command.run(config, audit_command.AuditOptions([output / "en" / "summary.txt"]))


# --- axe-core, where make test installed it ------------------------------------------------------------------


def test_axe_runs_where_make_test_installed_it_and_fails_a_bad_page(project: Path) -> None:
    missing = web.axe_missing()
    assert not missing, f"cannot run axe-core: missing {missing}"  # make test installs it; a gap must not pass
    good = _page(project)
    chooser = project / "output" / "site" / "index.html"
    text = good.read_text(encoding="utf-8")
    bad = project / "output" / "site" / "en" / "faint" / "index.html"
    bad.parent.mkdir()
    bad.write_text(text.replace("</main>", '<p style="color:#bbb">faint text</p></main>', 1), encoding="utf-8")
    audits = {a.file: a for a in audit_output(project / "output", project, [good, chooser, bad])}
    page = audits["output/site/en/summary/index.html"]
    assert page.status == "pass" and page.status_of("axe") == "pass", [str(f) for f in page.findings]
    assert any(f.check == "axe" and f.message.startswith("axe-core 4") for f in page.findings)  # it ran
    faint = audits["output/site/en/faint/index.html"]
    errors = _errors(faint, "axe")
    assert faint.status == "fail" and any("axe color-contrast" in e and "at 320 px" in e for e in errors), errors
    assert errors[0].startswith("output/site/en/faint/index.html: error: [axe]")


def test_a_run_that_did_not_report_every_page_at_every_view_is_not_a_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The audit runs axe once for every page and view: a run that came back with a view or a page missing (a
    # browser that stopped early) must be "not checked", never a pass for what it did not see.
    pages = [tmp_path / "a.html", tmp_path / "b.html"]
    every = [
        {"file": str(page), "width": width, "scheme": "dark" if dark else "light", "text": text, "overflow": 0,
         "violations": [], "incomplete": [], "requests": []}
        for width, dark, text in web.AXE_VIEWS for page in pages
    ]  # fmt: skip
    reported: list[dict[str, object]] = []

    def fake_run(*args: object, **kwargs: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess([], 0, json.dumps({"axe": "4.0", "pages": reported}), "")

    monkeypatch.setattr(web, "axe_missing", lambda: "")
    monkeypatch.setattr(web.subprocess, "run", fake_run)
    reported[:] = every
    found, _reason = web.run_axe(pages)
    assert found is not None and all(not [r for r in results if r[0] is Severity.ERROR] for results in found.values())
    for partial in (every[:-1], every[len(pages) :]):  # one page missing at the last view; the first view missing
        reported[:] = partial
        assert web.run_axe(pages) == (None, "axe-core did not complete: it did not report every page at every view")


def test_a_file_named_relative_to_the_working_folder_is_held_to_its_language(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    page = Path("output/site/en/summary/index.html")
    page.write_text(page.read_text(encoding="utf-8").replace('lang="en"', 'lang="fr"', 1), encoding="utf-8")
    audit = audit_format(page, project, project / "output")
    assert audit.locale == "en" and audit.product == "summary (web)"
    assert "the page is filed under 'en'" in _errors(audit, "web-language")[0]
    book = audit_format(Path("output/en/summary.epub"), project, project / "output")
    assert book.locale == "en"
