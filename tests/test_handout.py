"""The handout as a patient holds it: read from the PDFs (pdftotext word boxes, pikepdf) and WeasyPrint's pages.

Every product is rendered once per module with a filled clinic file (tests/fixtures/render/clinics/full.toml) in
every language of the project and both pseudo-locales.
"""

from __future__ import annotations

import bisect
import io
import logging
import re
import shutil
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from commands import page_boxes, plainleaf
from weasyprint.formatting_structure import boxes

from pipeline.audit.clipping import Word, pdf_words
from pipeline.config import load_config
from pipeline.render import Layouts, RenderedProduct, Renderer, default_products, load_clinic, plan_jobs, render_product
from pipeline.render.content import visible_text

pytestmark = pytest.mark.slow  # builds or renders whole projects: left out of `make test-quick`

logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)

ROOT = Path(__file__).resolve().parent.parent
CLINIC = ROOT / "tests" / "fixtures" / "render" / "clinics" / "full.toml"
PRINT_PROJECT = Path(__file__).parent / "roots" / "print"
LOCALES = ["en", "es", "zh_Hans", "vi", "ar", "en_XA", "ar_XB"]
INCH = 72.0
EDGE = 0.3 * INCH
"""Office printers print reliably 0.3 in (7.6 mm) from the paper's edge."""
# --- rendering ----------------------------------------------------------------------------------------------


@dataclass
class Rendered:
    """A product rendered in the test, with what the renderer logged."""

    product: RenderedProduct
    warnings: list[str]


def _render(name: str, locale: str) -> Rendered:
    config = load_config(ROOT / "pyproject.toml")
    renderer = Renderer(config, Layouts(ROOT / "layouts"), clinic=load_clinic(CLINIC, ROOT))
    product = next(p for p in default_products() if p.name == name)
    job = plan_jobs(config, [product], [locale], draft=True)[0]
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(logging.WARNING)
    logging.getLogger("pipeline").addHandler(handler)
    try:
        rendered = render_product(renderer, job)
    finally:
        logging.getLogger("pipeline").removeHandler(handler)
    return Rendered(rendered, [record.getMessage() for record in records])


Render = Callable[[str, str], Rendered]
"""``render(product, locale)``: the product of the real project with the filled clinic file."""


@pytest.fixture(scope="module")
def render() -> Iterator[Render]:
    """Each product rendered once for the module, however many tests read it (the edge test and the painting-order
    test both read the English large print and the Arabic and pseudo-locale summaries)."""
    done: dict[tuple[str, str], Rendered] = {}

    def get(name: str, locale: str) -> Rendered:
        if (name, locale) not in done:
            done[name, locale] = _render(name, locale)
        return done[name, locale]

    yield get
    done.clear()  # the layouts are large: not kept for the rest of the session


@pytest.fixture(scope="module")
def handouts(render: Render) -> dict[str, Rendered]:
    return {locale: render("handout", locale) for locale in LOCALES}


def words(pdf: bytes, tmp_path: Path) -> tuple[list[Word], list[tuple[float, float]]]:
    """Every word of ``pdf`` with its box, read as the audit reads it (:func:`pipeline.audit.clipping.pdf_words`:
    points, origin at the page's bottom left), and each page's size."""
    path = tmp_path / "product.pdf"
    path.write_bytes(pdf)
    return pdf_words(path)


def _same_line(one: Word, other: Word) -> bool:
    """Whether two words sit on one line: their boxes' middles agree (fonts of one line have different ascents,
    so their tops do not)."""
    return abs((one.y0 + one.y1) / 2 - (other.y0 + other.y1) / 2) < 4


def lines(found: list[Word], page: int) -> list[list[Word]]:
    """Words of ``page`` grouped in lines (same top), each left to right, top to bottom."""
    rows: dict[float, list[Word]] = {}
    for word in found:
        if word.page == page:
            key = next((y for y in rows if abs(y - word.y1) < 2), word.y1)
            rows.setdefault(key, []).append(word)
    return [sorted(rows[y], key=lambda w: w.x0) for y in sorted(rows, reverse=True)]


# --- the contact box ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_telephone_numbers_and_times_are_never_broken(
    handouts: dict[str, Rendered], locale: str, tmp_path: Path
) -> None:
    found, _sizes = words(handouts[locale].product.pdf, tmp_path)
    for last in ("0142", "0188"):
        ends = [w for w in found if w.text.endswith(last)]
        assert ends, f"{locale}: telephone number ending {last} not printed"
        for end in ends:
            same_line = {w.text for w in found if w.page == end.page and _same_line(w, end)}
            assert {"+1", "608", "555"} <= same_line, f"{locale}: +1 608 555 {last} broken across lines"
    # Opening and closing times of each day on one line: 8:00 with 5:00 (12-hour) or 17:00 (24-hour); every language
    # of the project writes times in Latin digits (CLDR: latn).
    opens = [w for w in found if re.search(r"(?<!\d)0?8:00", w.text)]
    assert opens, f"{locale}: opening time not printed"
    for word in opens:
        same_line = " ".join(w.text for w in found if w.page == word.page and _same_line(w, word))
        assert re.search(r"(?<!\d)(5|17):00", same_line), f"{locale}: hours broken: {same_line!r}"


def test_hours_are_in_the_language_of_the_handout(handouts: dict[str, Rendered], tmp_path: Path) -> None:
    arabic = " ".join(w.text for w in words(handouts["ar"].product.pdf, tmp_path)[0])
    friday = "الجمعة"
    assert friday in arabic or friday[::-1] in arabic  # pdftotext gives right-to-left words in visual order
    assert not re.search(r"Monday|Friday|Saturday|\bto\b|AM|PM", arabic)
    spanish = " ".join(w.text for w in words(handouts["es"].product.pdf, tmp_path)[0])
    assert "viernes" in spanish and "Friday" not in spanish
    english = " ".join(w.text for w in words(handouts["en"].product.pdf, tmp_path)[0])
    assert "Friday" in english and "PM" in english


def test_contact_digits_are_set_with_a_plain_zero(handouts: dict[str, Rendered]) -> None:
    """Atkinson Hyperlegible's zero is slashed (6Ø8); telephone numbers and dates are in Noto Sans."""
    for locale in ("en", "es"):
        # Every digit comes from the plain-zero face (Noto Sans for U+0030-0039 only), first in the stack.
        families = {
            box.text: box.style["font_family"][0]
            for _page, box in page_boxes(handouts[locale].product)
            if isinstance(box, boxes.TextBox) and re.search(r"608 555|2026", box.text)
        }
        assert families and set(families.values()) == {"Plainleaf Digits"}, (locale, families)
        body = [
            box.style["font_family"][0]
            for _page, box in page_boxes(handouts[locale].product)
            if isinstance(box, boxes.TextBox) and box.element_tag == "li"
        ]
        assert body and set(body) == {"Plainleaf Digits"}  # then Atkinson Hyperlegible for all but digits
        with pikepdf.open(io.BytesIO(handouts[locale].product.pdf)) as pdf:
            fonts = {str(f.BaseFont).split("+")[-1] for page in pdf.pages for f in page.Resources.Font.values()}
        assert {"Plainleaf-Digits", "Atkinson-Hyperlegible"} <= fonts, fonts


def test_write_in_lines_for_what_the_clinic_file_does_not_give(handouts: dict[str, Rendered]) -> None:
    html = handouts["en"].product.html
    assert "My next appointment" in html and "My nurse or navigator" in html
    assert "My trial coordinator" not in html  # full.toml names the coordinator
    assert "Sam Tester" in html
    spanish = handouts["es"].product.html
    assert "Mi próxima cita" in spanish and "My next appointment" not in spanish


def test_untranslated_clinic_text_is_printed_in_english_with_a_warning(handouts: dict[str, Rendered]) -> None:
    assert "Clínica de Prueba" in handouts["es"].product.html
    assert not any("clinic.name" in w for w in handouts["es"].warnings)
    assert "Test Clinic" in handouts["zh_Hans"].product.html
    assert any("clinic.name has no zh_Hans translation" in w for w in handouts["zh_Hans"].warnings)


# --- breaks and margins -------------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_questions_stay_on_one_side_with_a_line_for_each_answer(handouts: dict[str, Rendered], locale: str) -> None:
    rendered = handouts[locale]
    assert rendered.product.pages <= 2
    relaxed = [w for w in rendered.warnings if "question list may break" in w]
    assert not relaxed, f"{locale}: the questions had to break across the sides: {relaxed}"
    pages: set[int] = set()
    lines_under = 0
    questions = None
    heading_page = 0
    for number, box in page_boxes(rendered.product):
        element = getattr(box, "element", None)
        if element is None:
            continue
        if box.element_tag == "h2":
            heading_page = number  # boxes come in document order: the last heading before the list is its own
        if element.tag == "ul" and "questions" in (element.get("class") or ""):
            pages.update((number, heading_page))
            questions = element
        if box.element_tag == "li" and box.style["border_bottom_width"] >= 1 and box.style["padding_bottom"].value > 8:
            lines_under += 1
    assert questions is not None and len(pages) == 1, f"{locale}: questions on pages {sorted(pages)}"
    assert lines_under == len(questions) == 8


@pytest.mark.parametrize("name", ["handout", "summary", "large-print"])
def test_no_glyph_within_three_tenths_of_an_inch_of_the_edge(render: Render, name: str, tmp_path: Path) -> None:
    locales = LOCALES if name != "large-print" else ["en", "ar", "zh_Hans", "en_XA"]
    for locale in locales:
        rendered = render(name, locale)
        found, sizes = words(rendered.product.pdf, tmp_path)
        for word in found:
            if all(unicodedata.category(char).startswith("M") for char in word.text):
                continue  # a mark pdftotext boxes alone (an Arabic fatha) gets a line's ascent above its letter
            width, height = sizes[word.page - 1]
            gap = min(word.x0, word.y0, width - word.x1, height - word.y1)
            assert gap >= EDGE, f"{locale} {name} page {word.page}: {word.text!r} {gap / INCH:.3f} in from the edge"


def test_running_head_is_the_short_title_and_not_on_the_title_page(
    handouts: dict[str, Rendered], tmp_path: Path
) -> None:
    for locale, short in (
        ("en", "Immune Treatments and Trials"), ("es", "Tratamientos inmunitarios y estudios clínicos")
    ):  # fmt: skip
        found, _sizes = words(handouts[locale].product.pdf, tmp_path)
        assert " ".join(w.text for w in lines(found, 2)[0]) == short, locale
        assert all(" ".join(w.text for w in line) != short for line in lines(found, 1)), locale


def test_large_print_contents_and_reading_time(render: Render, tmp_path: Path) -> None:
    for locale in ("es", "vi"):
        guide = render("large-print", locale).product
        found, _sizes = words(guide.pdf, tmp_path)
        page_one = " ".join(w.text for w in found if w.page == 1)
        assert re.search(r"\d+ (minutos|phút)", page_one), f"{locale}: reading time not with the title"
        # Contents lines as high as the body's; page numbers in one column, each on its title's last line.
        entries = {box.style["line_height"] for n, box in page_boxes(guide) if n == 1 and box.element_tag == "li"}
        body = {box.style["line_height"] for n, box in page_boxes(guide) if n > 2 and box.element_tag == "p"}
        assert len(entries) == 1 and entries == body, (entries, body)
        numbers = [w for w in found if w.page == 1 and w.text.isdigit() and w.x0 > 400]
        assert len(numbers) >= 5 and max(w.x1 for w in numbers) - min(w.x1 for w in numbers) < 1
        # A wrapped title keeps clear of that column: no word of the contents runs under the page numbers.
        heading = next(w for w in found if w.page == 1 and w.text in ("Contenido", "Mục"))
        titles = [w for w in found if w.page == 1 and w.y1 < heading.y0 and not w.text.isdigit()]  # below it
        assert titles and max(w.x1 for w in titles) < min(w.x0 for w in numbers) - 2
        # No forced break after the contents: the second page is not left nearly empty.
        second = [line for line in lines(found, 2) if len(line) > 2]
        assert len(second) > 12, f"{locale}: page 2 holds {len(second)} lines"


def test_ar_xb_mirrors_every_line(handouts: dict[str, Rendered], tmp_path: Path) -> None:
    rendered = handouts["ar_XB"].product
    source = re.sub(r"\s+", " ", re.sub("[\u202e\u202c\u200f]", "", visible_text(rendered.html)))
    found, _sizes = words(rendered.pdf, tmp_path)
    checked = mirrored = 0
    for line in lines(found, 1):
        text = " ".join(w.text for w in line).replace("•", "").strip()
        if len(re.findall(r"[A-Za-z]{2,}", text)) < 4:
            continue
        checked += 1
        mirrored += text[::-1] in source
    assert checked > 12 and mirrored == checked, f"{mirrored} of {checked} lines mirrored"


def test_pseudo_locale_handout_of_the_real_project_fits_one_sheet(handouts: dict[str, Rendered]) -> None:
    for locale in ("en_XA", "ar_XB"):
        assert handouts[locale].product.pages <= 2


def test_pseudo_locale_summary_of_the_real_project_fits_one_page(render: Render) -> None:
    # With the filled clinic file the summary also carries the clinic's strip: the harder case of the two.
    for locale in ("en_XA", "ar_XB"):
        assert render("summary", locale).product.pages == 1


# --- the PDF ------------------------------------------------------------------------------------------------


def test_links_carry_the_print_flag(handouts: dict[str, Rendered]) -> None:
    for locale, rendered in handouts.items():
        with pikepdf.open(io.BytesIO(rendered.product.pdf)) as pdf:
            flags = [int(a.get("/F", 0)) for page in pdf.pages for a in page.get("/Annots", [])]
        assert flags and all(flag & 4 for flag in flags), f"{locale}: {flags}"


def _structure_order(pdf: pikepdf.Pdf) -> list[tuple[int, int]]:
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    order: list[tuple[int, int]] = []

    def walk(node: Any, page: int | None) -> None:
        if isinstance(node, int):
            assert page is not None
            order.append((page, node))
        elif isinstance(node, pikepdf.Dictionary):
            if node.get("/Type") == "/MCR":
                order.append((pages[node.Pg.objgen], int(node.MCID)))
                return
            if node.get("/Type") == "/OBJR":
                return
            if node.get("/Pg") is not None:
                page = pages[node.Pg.objgen]
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
                walk(kid, page)

    for kid in pdf.Root.StructTreeRoot.K:
        walk(kid, None)
    return order


def _out_of_order(sequence: list[int]) -> int:
    """How many items leave the longest increasing run (0 when painted in order)."""
    tails: list[int] = []
    for value in sequence:
        index = bisect.bisect_left(tails, value)
        tails[index : index + 1] = [value]
    return len(sequence) - len(tails)


def test_pages_paint_in_the_order_of_the_structure_tree(handouts: dict[str, Rendered], render: Render) -> None:
    others = {f"{locale} {name}": render(name, locale) for name, locale in (("large-print", "en"), ("summary", "ar"))}
    for locale, rendered in {**handouts, **others}.items():
        with pikepdf.open(io.BytesIO(rendered.product.pdf)) as pdf:
            order = _structure_order(pdf)
            for index, page in enumerate(pdf.pages):
                rank = {mcid: n for n, (p, mcid) in enumerate(order) if p == index}
                painted = [
                    rank[int(operands[1].MCID)]
                    for operands, operator in pikepdf.parse_content_stream(page)
                    if str(operator) == "BDC"
                    and isinstance(operands[1], pikepdf.Dictionary)
                    and "/MCID" in operands[1]
                    and int(operands[1].MCID) in rank
                ]
                assert len(painted) > 10
                assert _out_of_order(painted) == 0, f"{locale} page {index + 1}: painted out of structure order"


# --- the command line ---------------------------------------------------------------------------------------


def test_render_command_takes_the_source_language(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(PRINT_PROJECT, root)
    shutil.copytree(ROOT / "layouts", root / "layouts")
    done = plainleaf(root, "render", "--locale", "en", "--product", "summary")
    assert done.returncode == 0, done.stderr
    assert (root / "output" / "en" / "summary.pdf").is_file()
    assert not (root / "output" / "es").exists()
    refused = plainleaf(root, "render", "--locale", "xx", "--product", "summary")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr and "'xx' is not configured" in refused.stderr
