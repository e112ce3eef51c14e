"""``output/index.html`` as the print desk clinic staff use: each product by its name, what it is for and whom to
give it to, page 1 as a thumbnail, its files, pages and paper, how to print it, its reading level as a verdict, and
one state.

One small project (``tests/roots/print``, English and a Vietnamese catalog that copies the English) is built once
for the module: handout, summary and the three alternative formats, with an English reading target the summary
meets and an advisory one the handout misses.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from catalogs import complete_catalogs
from commands import index_rows as rows

from pipeline.builder.core import build
from pipeline.builder.index import verdict_text
from pipeline.builder.jobs import BuildOptions, BuildReport
from pipeline.builder.manifest import load_manifest
from pipeline.commands.build import closing_table
from pipeline.config import load_config
from pipeline.readability.products import ReadingVerdict
from pipeline.render import default_products

pytestmark = pytest.mark.slow  # builds or renders whole projects: left out of `make test-quick`

ROOT = Path(__file__).resolve().parent.parent
PRINT_PROJECT = Path(__file__).parent / "roots" / "print"
PRODUCTS = ["large-print", "handout", "summary", "web", "epub", "braille"]
PURPOSES = {product.label: product.purpose for product in default_products()}
TARGETS = """
[tool.plainleaf.readability.targets]
summary = { flesch-kincaid-grade = 14 }
handout = { flesch-kincaid-grade = 2, advisory = true }
guide = { flesch-kincaid-grade = 14 }
"""
CLINIC = 'name = "Riverside Cancer Center"\nguide_url = "https://clinic.example/guides/{lang}/guide/"\n'


def _project(root: Path) -> Path:
    shutil.copytree(PRINT_PROJECT, root)
    shutil.copytree(ROOT / "layouts", root / "layouts")
    config = root / "pyproject.toml"
    text = config.read_text(encoding="utf-8").replace('{ code = "ar", reviewed = false }', '{ code = "vi" }')
    config.write_text(text + TARGETS, encoding="utf-8")
    complete_catalogs(root, "vi")
    return root


def _build(root: Path, **options: object) -> BuildReport:
    settings: dict[str, object] = {"products": PRODUCTS, "locales": ["en", "vi"], "workers": 1, **options}
    return build(load_config(root / "pyproject.toml"), BuildOptions(**settings))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    root = _project(tmp_path_factory.mktemp("desk") / "project")
    return root, _build(root)


def text(row: str) -> str:
    """The row as a person reads it (tags dropped, spaces collapsed)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())


def links(row: str) -> dict[str, str]:
    """``{"PDF": "en/handout.pdf", ...}``: the row's links by their text."""
    return {html.unescape(label): href for href, label in re.findall(r'<a href="(.+?)">(.+?)</a>', row)}


def test_every_product_has_a_row_with_its_name_and_purpose(built: tuple[Path, BuildReport]) -> None:
    root, _ = built
    found = rows(root)
    expected = {"guide-large-print": "Large-print guide", "handout": "Two-sided handout", "summary": "One-page summary"}
    for document in ("guide", "handout", "summary"):
        expected |= {f"{document}-web": "Web page", f"{document}-epub": "EPUB e-book",
                     f"{document}-braille": "Braille (BRF)"}  # fmt: skip
    for locale in ("en", "vi"):
        for stem, name in expected.items():
            row = found[f"{locale} {stem}"]
            header = text(row.partition("</th>")[0])
            assert header.startswith(name), (stem, header)
            assert PURPOSES[name] and PURPOSES[name] in text(row), stem
    assert len(found) == 3 * len(expected), "one row per product and language (es too: not built), nothing else"
    # Which document an alternative format is of, by the document's own title.
    assert 'Braille (BRF) <span class="of">Clinical Trials: A Short Guide</span>' in found["en guide-braille"]


def test_thumbnail_is_a_png_of_page_1_with_alt_text(built: tuple[Path, BuildReport], tmp_path: Path) -> None:
    root, report = built
    output = root / "output"
    assert report.thumbnails_made == 6, "en and vi: guide, handout and summary"
    row = rows(root)["en guide-large-print"]
    image = re.search(r'<img class="page1" src="(.+?)" alt="(.+?)"', row)
    assert image is not None
    src, alt = image.groups()
    assert not src.startswith(("/", "http")), "a relative link into output/"
    assert html.unescape(alt) == "Page 1 of the Large-print guide, English"
    thumbnail = (output / src).read_bytes()
    assert thumbnail[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = output / links(row)["PDF"]
    for page in (1, 2):  # the same rendering of the guide's pages 1 and 2: the thumbnail is page 1's
        subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-singlefile", "-png", "-scale-to-x", "240",
                        "-scale-to-y", "-1", str(pdf), str(tmp_path / f"p{page}")], check=True)  # fmt: skip
    assert thumbnail == (tmp_path / "p1.png").read_bytes() != (tmp_path / "p2.png").read_bytes()
    assert src in load_manifest(output).thumbnails, "recorded, so that a no-op build does not redo it"
    assert "<img" not in rows(root)["en guide-web"], "no thumbnail where there is no page"


def test_duplex_instruction_on_the_handout_only(built: tuple[Path, BuildReport]) -> None:
    root, _ = built
    duplex = "Print on both sides, flip on the long edge"
    with_it = {key for key, row in rows(root).items() if duplex in text(row)}
    assert with_it == {"en handout", "vi handout"}


def test_reading_level_is_a_verdict_against_the_target(built: tuple[Path, BuildReport]) -> None:
    root, _ = built
    found = rows(root)
    assert "Meets the plain-language target" in text(found["en summary"])
    handout = text(found["en handout"])
    gap = re.search(r"Above the target: grade (\d+\.\d), target 2 \(advisory\)", handout)
    assert gap is not None and float(gap.group(1)) > 2, handout
    assert f"Formula Flesch-Kincaid grade level {gap.group(1)}; target at most 2, advisory" in handout
    assert "<details><summary>Formula</summary>" in found["en handout"], "the formula's name reachable by keyboard"
    for key in ("vi summary", "vi handout", "vi guide-epub"):
        assert "Not checked: no validated formula for this language" in text(found[key]), key
        assert "Meets" not in text(found[key]) and "Formula" not in text(found[key])


def test_verdict_wording() -> None:
    ease = ReadingVerdict(False, "Szigriszt-Pazos", 44.84, 55.0, "ease", advisory=True)
    assert verdict_text(ease) == "Below the target: score 44.8, target 55 (advisory)"
    grade = ReadingVerdict(False, "SMOG", 13.54, 8.0, "grade")
    assert verdict_text(grade) == "Above the target: grade 13.5, target 8"
    assert verdict_text(ReadingVerdict(True, "SMOG", 5.0, 8.0)) == "Meets the plain-language target"
    assert verdict_text(None).startswith("Not checked:")


def test_alternative_formats_are_listed_with_their_files(built: tuple[Path, BuildReport]) -> None:
    root, _ = built
    output = root / "output"
    found = rows(root)
    assert links(found["en guide-web"]) == {"Web page": "site/en/guide/index.html"}
    assert links(found["en guide-epub"]) == {"EPUB": "en/guide.epub"}
    assert links(found["vi handout-braille"]) == {"BRF": "vi/handout.brf", "Unicode braille text": "vi/handout.txt"}
    assert links(found["en summary"]) == {"PDF": "en/summary.pdf", "HTML": "en/summary.html"}
    assert "Files PDF · HTML" in text(found["vi summary"]) and "Files BRF · Unicode braille" in text(
        found["vi guide-braille"]
    )
    for row in found.values():
        for href in links(row).values():
            assert (output / href).is_file(), href
    braille = text(found["en guide-braille"])
    assert re.search(r"\b\d+ braille pages? Paper: —", braille), braille
    assert "Paper: —" in text(found["en guide-epub"]) and "US-Letter" in text(found["en summary"])
    # Software braille is not a certified transcription: its row says so, and not Ready; no other row does.
    assert "a certified braille transcriber must proofread it before it is given out" in braille
    assert "Ready" not in braille.rpartition("Reading level")[2]
    assert "must proofread" not in text(found["en guide-epub"]) + text(found["en guide-large-print"])
    # Each format's readiness in its own words: a web page is published, an e-book sent, never "printed".
    assert text(found["en guide-web"]).endswith("Ready to publish")
    assert text(found["en guide-epub"]).endswith("Ready to send")
    assert text(found["en guide-large-print"]).endswith("Ready to print (reviewed)")


def test_no_product_says_0_pages(built: tuple[Path, BuildReport]) -> None:
    root, report = built
    page = text((root / "output" / "index.html").read_text(encoding="utf-8"))
    table = closing_table(report)
    assert "0 pages" not in page and "0 pages" not in table
    assert re.search(r"en guide-web +web page", table) and re.search(r"en guide-epub +EPUB", table)
    assert re.search(r"en guide-braille +\d+ braille pages?,", table) and re.search(r"en summary +1 page\b", table)


def test_dates_do_not_wrap_and_the_page_is_self_contained(built: tuple[Path, BuildReport]) -> None:
    root, _ = built
    row = rows(root)["vi summary"]
    assert re.search(r'<span class="nowrap" lang="vi" dir="ltr">[^<]*2026</span>', row), row
    page = (root / "output" / "index.html").read_text(encoding="utf-8")
    for reference in re.findall(r'(?:src|href)="(.*?)"', page):
        assert not re.match(r"[a-z]+:|//", reference), f"external request: {reference}"


def test_no_op_build_is_fast_and_does_not_render_thumbnails_again(built: tuple[Path, BuildReport]) -> None:
    root, _ = built
    output = root / "output"
    thumbnail = output / "en" / "thumbnails" / "summary.png"
    before = thumbnail.stat().st_mtime_ns
    started = time.perf_counter()
    again = _build(root)
    assert time.perf_counter() - started < 1.0
    assert not again.rendered_here and again.thumbnails_made == 0
    assert thumbnail.stat().st_mtime_ns == before
    thumbnail.unlink()  # the negative case: a thumbnail gone is made again, and only that one
    (output / "index.html").unlink()
    repaired = _build(root)
    assert repaired.thumbnails_made == 1 and thumbnail.read_bytes()[:4] == b"\x89PNG"
    assert repaired.index_written and "Files PDF · HTML" in text(rows(root)["en summary"]), (
        "main file first, also as the manifest on disk keeps them"
    )


def test_handout_row_tells_when_there_is_no_link_to_the_full_guide(tmp_path: Path) -> None:
    root = _project(tmp_path / "project")
    note = "No link to the full guide: set guide_url in clinic.toml"
    _build(root, products=["handout", "summary"], locales=["en"], grades=False)
    found = rows(root)
    assert note in text(found["en handout"]) and note not in text(found["en summary"])
    (root / "clinic.toml").write_text(CLINIC, encoding="utf-8")
    _build(root, products=["handout", "summary"], locales=["en"], grades=False)
    assert note not in text(rows(root)["en handout"])


def test_thumbnail_of_a_pdf_that_is_gone_is_removed(tmp_path: Path) -> None:
    root = _project(tmp_path / "project")
    _build(root, products=["summary"], locales=["en", "vi"], grades=False)
    thumbnail = root / "output" / "vi" / "thumbnails" / "summary.png"
    assert thumbnail.is_file()
    (root / "locales" / "vi" / "LC_MESSAGES" / "summary.po").unlink()  # vi summary: not built any more
    _build(root, products=["summary"], locales=["en", "vi"], grades=False)
    assert "Not built" in text(rows(root)["vi summary"]) and "<img" not in rows(root)["vi summary"]
    assert not thumbnail.exists() and (root / "output" / "en" / "thumbnails" / "summary.png").is_file()


def test_desk_is_found_in_seconds(built: tuple[Path, BuildReport]) -> None:
    root, _ = built
    page = html.unescape((root / "output" / "index.html").read_text(encoding="utf-8"))
    # Each language headed in English and in its own name, and a jump list of them at the top.
    jump = page.partition('<nav class="languages"')[2].partition("</nav>")[0]
    assert '<a href="#language-vi">Vietnamese — Tiếng Việt</a>' in jump and '<a href="#language-en">English</a>' in jump
    assert '<h2 class="language" id="heading-es">Spanish — español</h2>' in page
    # An overview of each document by language, before any product.
    overview = page.partition('<table class="overview"')[2].partition("</table>")[0]
    assert page.index('<table class="overview"') < page.index("data-product=")
    assert re.search(r"<th scope=\"row\">Clinical Trials: A Short Guide</th><td>Ready: 4</td>", overview), overview
    assert "Ready: 0; Not built: 4" in overview  # Spanish: not built
    # The print products first, each with a Print button opening its PDF; the other formats after.
    english = page.partition('id="language-en"')[2].partition("</section>")[0]
    assert english.index("Print products") < english.index('data-product="summary"') < english.index("Other formats")
    assert '<a class="print" href="en/summary.pdf">Print' in english
    assert english.count('class="print"') == 3
    # What was not built is folded away; the filters are there for a browser with script, hidden without it.
    spanish = page.partition('id="language-es"')[2].partition("</section>")[0]
    assert '<details class="not-built"><summary>Not built (12)</summary>' in spanish
    assert "<table>" not in spanish.partition("<details")[0]  # nothing but the folded list
    assert (
        '<div class="filters" id="filters" hidden>' in page
        and "<script>" in page
        and "src=" not in page.partition("<script>")[2]
    )


def test_a_product_failing_its_audit_is_never_ready(built: tuple[Path, BuildReport]) -> None:
    from pipeline.builder.manifest import save_audits, sha256_file

    root, _ = built
    output = root / "output"
    save_audits(output, {"en/summary.pdf": {
        "sha256": sha256_file(output / "en" / "summary.pdf"), "error": "page 1: [lists] Lbl outside a list item (LI)",
    }})  # fmt: skip
    _build(root)
    row = rows(root)["en summary"]
    assert text(row).endswith("Fails its accessibility audit : page 1: [lists] Lbl outside a list item (LI)")
    assert "Ready" not in text(row).rpartition("Reading level")[2] and 'class="print"' not in row
    assert "Failing the audit: 1" in (output / "index.html").read_text(encoding="utf-8")
    (output / "en" / "summary.pdf").write_bytes((output / "en" / "summary.pdf").read_bytes())  # same file, same verdict
    save_audits(output, {"en/summary.pdf": {"sha256": "another file", "error": "page 1: old"}})
    _build(root)
    assert (
        "Fails its accessibility audit" not in rows(root)["en summary"]
    )  # a verdict of other bytes is not this file's
