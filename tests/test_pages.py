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
from pathlib import Path

import pytest
from commands import SHIPPED, plainleaf

from pipeline.render.markup import parse_markdown, render_body
from pipeline.render.safety import check_source, check_tokens, sanitize_block, sanitize_inline

PAGES = Path(__file__).parent / "fixtures" / "pages"
DECLARED = {"declared": ["summary", "web"], "no-products": []}
"""Fixtures that declare their products in front matter; every other one declares nothing."""
DEFAULT = ["large-print", "web", "epub", "braille"]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pages")
    shutil.copytree(PAGES, root / "source")
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


def test_every_page_builds_the_products_it_declares(project: Path) -> None:
    built = products(project)
    for page in sorted(PAGES.glob("*.md")):
        expected = DECLARED.get(page.stem, DEFAULT)
        assert sorted(built.get(page.stem, [])) == sorted(expected), page.name
    assert sorted(built["Eating well"]) == sorted(DEFAULT)


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


def test_loose_lists_print_their_marker_on_the_items_line(project: Path) -> None:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    pdf = project / "output" / "en" / "loose-lists-large-print.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "• Drink plenty of water." in text
    assert "1. Take your usual medicines" in text


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
