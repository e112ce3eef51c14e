"""Real-world Markdown pages (``tests/fixtures/pages``: loose and nested lists, long tables, links of every
scheme, raw HTML, site-generator syntax; documents with and without declared products) as a clinic would drop
them in ``source/``: each builds its products, every product passes the audit, and the desk shows each document by
its own title and purpose."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from commands import SHIPPED, plainleaf

from pipeline.render.braille import to_brf, translate
from pipeline.render.braille_format import BLANK, formats
from pipeline.render.markup import parse_markdown, render_body
from pipeline.render.safety import check_source, check_tokens, sanitize_block, sanitize_inline

PAGES = Path(__file__).parent / "fixtures" / "pages"
DECLARED = {
    "declared": ["summary", "web"],
    "no-products": [],
    "after-your-visit": ["large-print", "web", "epub", "braille"],
    "no-print": ["web", "epub", "braille"],
}
"""Fixtures that declare their products in front matter; every other one declares nothing."""
DEFAULT = ["large-print", "web", "epub", "braille"]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pages")
    shutil.copytree(PAGES, root / "source")
    shutil.copytree(SHIPPED / "source" / "images", root / "source" / "images")  # after-your-visit's pictogram
    # A name as people give files: the desk's links must still work (URL-encoded).
    shutil.copy(PAGES / "plain-page.md", root / "source" / "Eating well.md")
    shutil.copytree(SHIPPED / "layouts", root / "layouts")
    (root / "pyproject.toml").write_text(
        '[tool.plainleaf]\nsource-language = "en"\nlocales = []\n\n'
        '[tool.plainleaf.documents.plain-page]\npurpose = "Food advice for the weeks of treatment."\n'
        'audience = "patients losing weight"\n',
        encoding="utf-8",
    )
    result = plainleaf(root, "build", "-j", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no-products.md: declares no product" in result.stderr
    return root


def products(project: Path) -> dict[str, list[str]]:
    manifest = json.loads((project / "output" / ".plainleaf-build.json").read_text(encoding="utf-8"))
    found: dict[str, list[str]] = {}
    for job_id, record in manifest["jobs"].items():
        _locale, document, product = job_id.split("/")
        assert record["status"] == "built", (job_id, record.get("reason"))
        found.setdefault(document, []).append(product)
    return found


@pytest.mark.slow  # reads the whole project the module builds and audits
def test_every_page_builds_the_products_it_declares(project: Path) -> None:
    built = products(project)
    for page in sorted(PAGES.glob("*.md")):
        expected = DECLARED.get(page.stem, DEFAULT)
        assert sorted(built.get(page.stem, [])) == sorted(expected), page.name
    assert sorted(built["Eating well"]) == sorted(DEFAULT)


@pytest.mark.slow  # reads the whole project the module builds and audits
def test_every_product_passes_the_audit(project: Path) -> None:
    output = project / "output"
    files = sorted(
        str(path.relative_to(project)) for path in output.rglob("*")
        # The web edition's copies of the EPUB and BRF files (output/site/) are the files audited in their locale
        # folders; the site's own pages are its index.html files.
        if (path.suffix in (".pdf", ".brf", ".epub") and "site" not in path.parts)
        or (path.name == "index.html" and "site" in path.parts)
    )  # fmt: skip
    result = plainleaf(project, "audit", "--json", *files)
    report = json.loads(result.stdout)
    failing = {item["file"]: item for item in report["products"] if item["status"] == "fail"}
    assert not failing, json.dumps(failing, indent=1)[:3000]
    pdfs = [item for item in report["products"] if item["format"] == "pdf"]
    assert len(pdfs) == 1 + sum(  # and "Eating well.md"
        "large-print" in DECLARED.get(p.stem, DEFAULT) or "summary" in DECLARED.get(p.stem, DEFAULT)
        for p in PAGES.glob("*.md")
    )
    by_stem = {Path(item["file"]).stem: item for item in pdfs}
    assert by_stem["declared-summary"]["product"] == "summary"  # limits from the product, whatever the name
    assert by_stem["tables-large-print"]["product"] == "large-print"


@pytest.mark.slow  # reads the whole project the module builds and audits
def test_the_desk_shows_each_document_by_its_own_title(project: Path) -> None:
    desk = html.unescape((project / "output" / "index.html").read_text(encoding="utf-8"))
    for page in sorted(PAGES.glob("*.md")):
        if DECLARED.get(page.stem, DEFAULT):
            title = re.search(r"^title: (.+)$", page.read_text(encoding="utf-8"), re.MULTILINE)
            heading = re.search(r"^# (.+)$", page.read_text(encoding="utf-8"), re.MULTILINE)
            expected = title.group(1) if title else heading.group(1)  # type: ignore[union-attr]
            assert expected in desk, page.name
    assert "Notes for the editors" not in desk  # it yields no product
    assert "A one-page checklist for the week before the first visit." in desk  # declared in front matter
    assert "Food advice for the weeks of treatment." in desk  # declared in pyproject.toml
    assert "For: patients losing weight" in desk
    assert 'href="en/Eating%20well-large-print.pdf"' in desk and 'href="en/Eating well' not in desk
    assert "Give it to every patient joining the trial" not in desk  # the shipped guide's purpose is its own


@pytest.mark.slow  # reads the whole project the module builds and audits
def test_loose_lists_print_their_marker_on_the_items_line(project: Path) -> None:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    pdf = project / "output" / "en" / "loose-lists-large-print.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "• Drink plenty of water." in text
    assert "1. Take your usual medicines" in text


@pytest.mark.slow  # reads the whole project the module builds and audits
def test_mailto_and_tel_links_print_their_address(project: Path) -> None:
    page = (project / "output" / "en" / "links-large-print.html").read_text(encoding="utf-8")
    assert 'href="mailto:clinic@example.org"' in page and 'href="tel:+1-555-010-0100"' in page
    assert 'data-address="+1-555-010-0100"' in page  # "nurse line" is printed with its number
    assert 'data-address="clinic@example.org"' not in page  # the text already is the address


def test_raw_html_is_sanitized_not_refused() -> None:
    kept = sanitize_block('<div class="x" style="color:red" id="y" onclick="a()"><p>Hi <em>there</em></p></div>')
    assert kept == "<div><p>Hi <em>there</em></p></div>"
    assert sanitize_block("<details><summary>S</summary><custom-widget>text</custom-widget></details>") == (
        "<details><summary>S</summary>text</details>"
    )
    assert sanitize_block('<a href="javascript:alert(1)">x</a>') == "<a>x</a>"
    assert sanitize_inline('<span lang="es" class="term">') == '<span lang="es">'
    assert sanitize_inline("<kbd>") == ""


def test_links_of_every_scheme(tmp_path: Path) -> None:
    from pipeline.render.errors import RenderError

    good = "[a](https://x.org) [b](mailto:a@b.org) [c](tel:+15550100) [d](#top) <https://x.org>"
    check_source(good, "page.md")
    check_tokens(parse_markdown(good), "page.md")
    body = render_body(parse_markdown(good), tmp_path / "page.md", None)
    assert 'class="external"' in body.html and 'class="contact"' in body.html
    for bad, scheme in (("[x](javascript:alert(1))", "javascript"), ("[x](file:///etc/passwd)", "file"),
                        ("[x](ftp://x.org/f)", "ftp")):  # fmt: skip
        with pytest.raises(RenderError, match=scheme):
            check_source(bad, "page.md")
            check_tokens(parse_markdown(bad), "page.md")


@pytest.mark.slow  # reads the whole project the module builds and audits
def test_site_generator_syntax_is_reported_by_extract(project: Path) -> None:
    result = plainleaf(project, "extract")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "site-generator.md" in line]
    assert [re.search(r"site-generator\.md:(\d+):", line).group(1) for line in lines] == ["9", "11", "13", "15"]  # type: ignore[union-attr]
    assert not [line for line in result.stderr.splitlines() if "warning" in line and "site-generator" not in line]


def test_the_audit_banner_names_the_failing_files() -> None:
    from pipeline.audit.model import Finding, ProductAudit
    from pipeline.audit.report import render_html
    from pipeline.errors import Severity

    failing = ProductAudit(file="output/en/tables-large-print.pdf", locale="en", product="large-print")
    failing.findings.append(Finding(failing.file, 2, "order", Severity.ERROR, "reading order differs from the source"))
    passing = ProductAudit(file="output/en/links-large-print.pdf", locale="en", product="large-print")
    page = render_html([failing, passing], "2026-12-07")
    banner = page.partition('role="status"')[2].partition("</div>")[0]
    assert "output/en/tables-large-print.pdf</a>: 1 error, first: reading order differs from the source" in banner
    assert "links-large-print" not in banner


# --- print page numbers of a clinic's own document, and none where it has no print product ------------------------


def _brf(path: Path) -> list[list[str]]:
    return [page.split("\r\n")[:-1] for page in path.read_bytes().decode("ascii").split("\f")]


NAMES = ("package.opf", "nav.xhtml", "content.xhtml")
"""The parts of an EPUB the tests read."""


def _book(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as book:
        return {name: book.read(f"EPUB/{name}").decode("utf-8") for name in NAMES}


def _brf_text(lines: list[str]) -> str:
    return " ".join(line.strip() for line in lines if line.strip())


def _in_braille(text: str) -> str:
    """``text`` as Unified English Braille in Braille ASCII, words apart as on a page."""
    return to_brf(translate("en-ueb-g2.ctb", text).replace(BLANK, " "))


def _record(project: Path, job: str) -> dict[str, object]:
    manifest = json.loads((project / "output" / ".plainleaf-build.json").read_text(encoding="utf-8"))
    record: dict[str, object] = manifest["jobs"][job]
    return record


@pytest.mark.slow  # reads the whole project the module builds and audits
def test_a_clinics_own_document_carries_the_print_pages_of_its_large_print(project: Path) -> None:
    """after-your-visit.md is no shipped document: its braille, EPUB and web page number their text by the pages of
    the large print it declares, as the shipped guide's do."""
    printed = _record(project, "en/after-your-visit/large-print")["pages"]
    assert isinstance(printed, int) and printed >= 3
    pages = _brf(project / "output" / "en" / "after-your-visit.brf")
    body = [page for page in pages if not page[-1].strip().startswith("T#")]
    # The print page at the right of line 1 of every text page, and a line of dots 3-6 where a print page begins.
    assert all(re.fullmatch(r" {3,}[A-Z]?#[A-J]+", page[0]) for page in body), [page[0] for page in body]
    turns = [line for page in body for line in page if line.startswith("---")]
    assert len(turns) >= printed - 2, turns
    # The contents give each heading's print page, then its braille page; the note explains the print pages.
    note = _brf_text(pages[1][:-1])
    assert _in_braille(formats().words(["en"])["transcriber_note"]) in note
    entry = next(line for page in pages[:3] for line in page if line.startswith(_in_braille("Medicines")))
    assert re.search(r'"+ #[A-J]+ #[A-J]+$', entry), entry

    book = _book(project / "output" / "en" / "after-your-visit.epub")
    numbers = re.findall(r'<li><a href="content.xhtml#page-(\d+)">', book["nav.xhtml"])
    assert 'epub:type="page-list"' in book["nav.xhtml"] and numbers == [str(n) for n in range(1, len(numbers) + 1)]
    assert 2 <= len(numbers) <= printed
    assert book["content.xhtml"].count('epub:type="pagebreak"') == len(numbers)
    assert "pageBreakMarkers" in book["package.opf"] and "pageNavigation" in book["package.opf"]
    assert "Plainleaf large-print: After your trial visit, 2.1" in book["package.opf"]
    web = (project / "output" / "site" / "en" / "after-your-visit" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"print page [2-9]", web)


@pytest.mark.slow  # reads the whole project the module builds and audits
def test_a_document_without_a_print_product_claims_no_print_pages(project: Path) -> None:
    """no-print.md declares web, EPUB and braille only: no print page numbers, page list or page break markers,
    and nothing in its transcriber's note, contents or accessibility summary speaks of a print edition."""
    words = formats().words(["en"])
    pages = _brf(project / "output" / "en" / "no-print.brf")
    body = [page for page in pages if not page[-1].strip().startswith("T#")]
    assert len(body) >= 2 and all(page[0] == "" for page in body)  # line 1 carries no print page
    assert not [line for page in body for line in page if line.startswith("---")]
    note = _brf_text(pages[1][:-1])
    assert _in_braille(words["transcriber_note_no_print"]) in note
    assert _in_braille("print") not in note
    contents = _brf_text(pages[2][:-1])
    assert _in_braille(words["contents_columns_no_print"]) in contents
    entry = next(line for page in pages[:3] for line in page if line.startswith(_in_braille("Medicines")))
    assert re.search(r'"+ #[A-J]+$', entry) and not re.search(r"#[A-J]+ #[A-J]+$", entry), entry  # braille page only

    book = _book(project / "output" / "en" / "no-print.epub")
    assert "page-list" not in book["nav.xhtml"] and "pagebreak" not in book["content.xhtml"]
    assert "pageBreakMarkers" not in book["package.opf"] and "pageNavigation" not in book["package.opf"]
    assert "source-of" not in book["package.opf"]
    assert f">{html.escape(words['accessibility_summary_no_print'], quote=False)}<" in book["package.opf"]
    web = (project / "output" / "site" / "en" / "no-print" / "index.html").read_text(encoding="utf-8")
    assert "print page" not in web


# --- images: from the Markdown, not from the text's characters -------------------------------------------------


@pytest.mark.slow  # reads the whole project the module builds and audits
def test_an_epub_with_the_pictogram_is_read_visually_too(project: Path) -> None:
    opf = _book(project / "output" / "en" / "after-your-visit.epub")["package.opf"]
    modes = re.findall(r'"schema:accessMode">(\w+)<', opf)
    assert modes == ["textual", "visual"] and "alternativeText" in opf
    summary = formats().words(["en"])["accessibility_summary_images"]
    assert f">{html.escape(summary, quote=False)}<" in opf


@pytest.mark.slow  # reads the whole project the module builds and audits
def test_a_code_span_spelling_img_is_no_image(project: Path) -> None:
    book = _book(project / "output" / "en" / "no-print.epub")
    assert "&lt;img src=" in book["content.xhtml"]  # the code span is there, as text
    assert re.findall(r'"schema:accessMode">(\w+)<', book["package.opf"]) == ["textual"]
    assert "alternativeText" not in book["package.opf"] and "Text only" in book["package.opf"]


def test_the_body_counts_the_images_it_shows(tmp_path: Path) -> None:
    images = tmp_path / "images"
    images.mkdir()
    shutil.copy(SHIPPED / "source" / "images" / "ask-your-care-team.png", images / "pictogram.png")
    page = "# Title\n\n## ![A pictogram](images/pictogram.png) Heading\n\nText with `<img src=x>` in code.\n"
    assert render_body(parse_markdown(page), tmp_path / "page.md", tmp_path).images == 1  # headings render twice
    plain = "# Title\n\nText with `<img src=x>` and &lt;img src=y&gt; in it.\n"
    assert render_body(parse_markdown(plain), tmp_path / "page.md", tmp_path).images == 0
    title = "# ![A pictogram](images/pictogram.png) Title\n\nLead ![A pictogram](images/pictogram.png).\n\nText.\n"
    assert render_body(parse_markdown(title), tmp_path / "page.md", tmp_path).images == 2  # title and lead


# --- the PDF job's page map, read by the alternative formats --------------------------------------------------------


def test_the_alternative_formats_number_their_text_by_the_page_map_the_pdf_job_kept(tmp_path: Path) -> None:
    """The large print's PDF job keeps its page map; the braille reads it when it is of exactly the print product's
    inputs (no second layout) and lays the product out itself when it is not."""
    root = tmp_path / "project"
    (root / "source").mkdir(parents=True)
    shutil.copy(PAGES / "after-your-visit.md", root / "source")
    shutil.copytree(SHIPPED / "source" / "images", root / "source" / "images")
    shutil.copytree(SHIPPED / "layouts", root / "layouts")
    (root / "pyproject.toml").write_text('[tool.plainleaf]\nsource-language = "en"\nlocales = []\n', encoding="utf-8")
    result = plainleaf(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    kept_path = root / "output" / ".plainleaf-pages" / "en" / "after-your-visit-large-print.json"
    kept = json.loads(kept_path.read_text(encoding="utf-8"))
    assert kept["digest"] == _record(root, "en/after-your-visit/large-print")["digest"]
    assert kept["map"]["count"] == _record(root, "en/after-your-visit/large-print")["pages"]
    brf = root / "output" / "en" / "after-your-visit.brf"
    built = brf.read_bytes()
    assert b"\r\n---" in built  # print page change indicators, from the kept map

    # A map kept for the same inputs is what the braille numbers its text by: here one that puts every block on
    # print page 1, so no print page turns.
    kept["map"]["blocks"] = [[tag, text, 1] for tag, text, _page in kept["map"]["blocks"]]
    kept_path.write_text(json.dumps(kept), encoding="utf-8")
    result = plainleaf(root, "build", "--force", "--product", "braille")
    assert result.returncode == 0, result.stdout + result.stderr
    assert b"\r\n---" not in brf.read_bytes()
    # Kept for other inputs (an older text, another font), it is never used: the print product is laid out again.
    kept["digest"] = "0" * 64
    kept_path.write_text(json.dumps(kept), encoding="utf-8")
    result = plainleaf(root, "build", "--force", "--product", "braille")
    assert result.returncode == 0, result.stdout + result.stderr
    assert brf.read_bytes() == built

    # The document deleted (another one in its place): its page map goes with its products, not left behind.
    (root / "source" / "after-your-visit.md").unlink()
    shutil.copy(PAGES / "no-print.md", root / "source")
    result = plainleaf(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not kept_path.exists() and not brf.exists()
    assert not list((root / "output" / ".plainleaf-pages").rglob("*.json"))  # no-print.md has no print product
