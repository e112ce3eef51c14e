"""Rendered products: large print, handout, summary in every script, checked in WeasyPrint's layout and the PDF."""

from __future__ import annotations

import io
import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from catalogs import complete_catalogs
from pdfua.model import Severity
from pdfua.validator import Validator
from weasyprint.formatting_structure import boxes

from pipeline.builder.core import build
from pipeline.builder.jobs import BuildOptions, BuildReport
from pipeline.config import load_config
from pipeline.document import load_document
from pipeline.render import (
    Layouts,
    PageBudgetError,
    RenderedProduct,
    Renderer,
    default_products,
    load_layout_translations,
    parse_clinic,
    plan_jobs,
    render_product,
)

pytestmark = pytest.mark.slow  # builds or renders whole projects: left out of `make test-quick`

logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "render"
PRINT_PROJECT = Path(__file__).parent / "roots" / "print"
"""The sample project of the print products: guide, summary and handout; es (reviewed) and ar."""
PT = 4 / 3  # CSS px per point
CLOSING_PUNCTUATION = "\uff0c\u3002\u3001\uff1b\uff1a\uff1f\uff01\uff09\u300d\u300f\u3011\u300b\u3009"
"""Chinese closing punctuation, which may never start a line (kinsoku)."""


# --- helpers ----------------------------------------------------------------------------------------------


def product(name: str) -> Any:
    return next(p for p in default_products() if p.name == name)


def render(
    config_path: Path, locale: str, name: str, clinic: dict[str, Any] | None = None, draft: bool = True
) -> RenderedProduct:
    config = load_config(config_path)
    renderer = Renderer(config, Layouts(ROOT / "layouts"))
    if clinic is not None:
        renderer.clinic = parse_clinic(clinic, ROOT, Path("clinic.toml"))
    job = plan_jobs(config, [product(name)], [locale], draft=draft)[0]
    return render_product(renderer, job)


def walk(box: Any, ancestors: tuple[str, ...] = ()) -> Iterator[tuple[Any, tuple[str, ...]]]:
    tag = getattr(box, "element_tag", None)
    here = (*ancestors, tag) if tag and not (ancestors and ancestors[-1] == tag) else ancestors
    yield box, here
    for child in getattr(box, "children", []):
        yield from walk(child, here)


def text_boxes(rendered: RenderedProduct, margins: bool = True) -> Iterator[tuple[int, Any, tuple[str, ...]]]:
    for number, page in enumerate(rendered.layout.document.pages, 1):
        for box, tags in walk(page._page_box):
            if isinstance(box, boxes.TextBox) and box.text.strip():
                in_margin = any(isinstance(b, boxes.MarginBox) for b in ())  # replaced below
                del in_margin
                yield number, box, tags


def margin_texts(rendered: RenderedProduct, page: int) -> dict[str, str]:
    result = {}
    for box in rendered.layout.document.pages[page - 1]._page_box.children:
        if isinstance(box, boxes.MarginBox):
            lines = [b for b, _ in walk(box) if isinstance(b, boxes.LineBox)]
            result[box.at_keyword] = " ".join(
                "".join(t.text for t, _ in walk(line) if isinstance(t, boxes.TextBox)) for line in lines
            )
    return result


def body_lines(rendered: RenderedProduct, page: int) -> list[tuple[Any, str, tuple[str, ...]]]:
    lines = []
    for box, tags in walk(rendered.layout.document.pages[page - 1]._page_box):
        if isinstance(box, boxes.MarginBox):
            continue
        if isinstance(box, boxes.LineBox) and "body" in tags:
            text = "".join(b.text for b, _ in walk(box) if isinstance(b, boxes.TextBox))
            if text.strip():
                lines.append((box, text, tags))
    return lines


def contrast(color: Any) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in color.to("srgb").coordinates)
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)


def pdf_fonts(data: bytes) -> set[str]:
    names = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                names.add(str(font.BaseFont).split("+", 1)[-1])
    return names


def structure(data: bytes) -> tuple[list[str], dict[str, Any]]:
    """Roles of the structure tree in document order, and catalog facts."""
    roles: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root

        def visit(node: Any) -> None:
            if isinstance(node, pikepdf.Dictionary) and "/S" in node:
                roles.append(str(node.S) + (f"[{node.Alt}]" if "/Alt" in node else ""))
                kids = node.get("/K")
                for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
                    visit(kid)

        tree = root.StructTreeRoot.K
        for kid in tree if isinstance(tree, pikepdf.Array) else [tree]:
            visit(kid)
        with pdf.open_metadata() as xmp:
            metadata = dict(xmp.items())
        facts = {
            "lang": str(root.get("/Lang", "")),
            "marked": bool(root.MarkInfo.Marked),
            "display_title": bool(root.ViewerPreferences.DisplayDocTitle),
            "outlines": _count_outlines(root.get("/Outlines")),
            "xmp": metadata,
            "size": [float(v) for v in pdf.pages[0].MediaBox],
            "pages": len(pdf.pages),
        }
    return roles, facts


def _count_outlines(outlines: Any) -> int:
    count = 0
    item = outlines.get("/First") if outlines is not None else None
    while item is not None:
        count += 1 + _count_outlines(item)
        item = item.get("/Next")
    return count


def marked_content(data: bytes) -> tuple[set[tuple[int, int]], set[tuple[int, int]], int]:
    """(page, MCID) pairs in the content streams, those the structure tree reaches, and artifact count."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        used, artifacts = set(), 0
        for number, page in enumerate(pdf.pages):
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "BDC" and str(operands[0]) == "/Artifact":
                    artifacts += 1
                elif str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                    used.add((number, int(operands[1].MCID)))
        reached: set[tuple[int, int]] = set()
        pages = {page.objgen: n for n, page in enumerate(pdf.pages)}

        def visit(node: Any, page: int | None) -> None:
            if isinstance(node, int) and page is not None:
                reached.add((page, node))
            elif isinstance(node, pikepdf.Dictionary):
                if "/Pg" in node:
                    page = pages.get(node.Pg.objgen, page)
                kids = node.get("/K")
                for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
                    visit(int(kid) if isinstance(kid, int) or (hasattr(kid, "is_integer") and False) else kid, page)

        visit(pdf.Root.StructTreeRoot, None)
    return used, reached, artifacts


# --- the real guide in five languages ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def guides() -> dict[str, RenderedProduct]:
    return {code: render(ROOT / "pyproject.toml", code, "large-print") for code in ("en", "ar", "zh_Hans", "vi")}


def test_large_print_type_sizes_weights_and_no_italics(guides: dict[str, RenderedProduct]) -> None:
    guide = guides["en"]
    headings = 0
    for _page, box, tags in text_boxes(guide):
        style = box.style
        assert style["font_size"] >= 18 * PT - 0.01, (box.text, style["font_size"])
        assert style["font_style"] == "normal", box.text
        if {"h1", "h2", "h3", "h4"} & set(tags):
            headings += 1
            assert style["font_size"] >= 22 * PT - 0.01 and style["font_weight"] >= 700, box.text
        if "em" in tags:
            assert style["font_weight"] >= 700
    assert headings > 20
    assert not any("italic" in name.lower() for name in pdf_fonts(guide.pdf))
    # Noto Sans only for what must not be misread: every digit (Atkinson's zero is slashed; "Plainleaf Digits" is
    # Noto Sans for U+0030-0039 only) and the list markers (Noto Sans in every language, so they hang by a known
    # width).
    assert pdf_fonts(guide.pdf) == {
        "Atkinson-Hyperlegible", "Atkinson-Hyperlegible-Bold", "Noto-Sans", "Plainleaf-Digits", "Plainleaf-Digits-Bold"
    }  # fmt: skip


def test_large_print_spacing_alignment_measure_margins_contrast(guides: dict[str, RenderedProduct]) -> None:
    guide = guides["en"]
    for number in range(1, guide.pages + 1):
        page = guide.layout.document.pages[number - 1]._page_box
        assert min(page.margin_top, page.margin_bottom, page.margin_left, page.margin_right) >= 96 - 0.01
        for line, text, tags in body_lines(guide, number):
            if "nav" not in tags:
                assert len(text.strip()) <= 64, text
            style = line.style
            assert style["text_align_all"] in ("start", "left") and style["hyphens"] == "none"
            if {"p", "li"} & set(tags) and not {"h1", "h2", "h3", "nav"} & set(tags):
                height = style["line_height"]
                ratio = height if isinstance(height, float | int) else height.value / style["font_size"]
                assert ratio >= 1.5, text
                assert style["orphans"] >= 2 and style["widows"] >= 2
    for _page, box, _tags in text_boxes(guide):
        assert contrast(box.style["color"]) >= 7, box.text


def test_page_numbers_and_running_head_are_body_size(guides: dict[str, RenderedProduct]) -> None:
    guide = guides["en"]
    texts = margin_texts(guide, 3)
    assert texts["@bottom-center"] == f"Page 3 of {guide.pages}"
    # The running head is the short title (front matter ``short-title``), not the full title wrapped on two lines,
    # and the title page, which starts with the title itself, has none.
    assert texts["@top-center"] == "Pancreatic Cancer Immunotherapy Guide" != guide.title
    assert not margin_texts(guide, 1).get("@top-center")
    for box in guide.layout.document.pages[2]._page_box.children:
        if isinstance(box, boxes.MarginBox):
            for text_box, _ in walk(box):
                if isinstance(text_box, boxes.TextBox):
                    assert text_box.style["font_size"] >= 18 * PT - 0.01


def test_contents_page_numbers_point_at_the_headings(guides: dict[str, RenderedProduct]) -> None:
    guide = guides["en"]
    where: dict[str, int] = {}
    for number, page in enumerate(guide.layout.document.pages, 1):
        for box, _ in walk(page._page_box):
            if box.element_tag == "h2" and box.element is not None and box.element.get("id"):
                where.setdefault(box.element.get("id"), number)
    # No forced page break after the contents: it may run onto page 2, and the text follows it there.
    contents = [
        text for number in (1, 2) for _line, text, tags in body_lines(guide, number) if "nav" in tags and "li" in tags
    ]
    numbers = [int(m.group(1)) for text in contents if (m := re.search(r"(\d+)\s*$", text))]
    expected = [n for anchor, n in where.items() if anchor != "contents-title"]
    assert numbers == expected and len(numbers) >= 10


def test_headings_are_never_last_on_a_page(guides: dict[str, RenderedProduct]) -> None:
    for code, guide in guides.items():
        for number in range(1, guide.pages):
            lines = body_lines(guide, number)
            assert lines, f"{code}: page {number} is empty"
            assert not {"h1", "h2", "h3"} & set(lines[-1][2]), f"{code}: page {number} ends with {lines[-1][1]!r}"


def test_pdf_ua_structure_metadata_and_artifacts(guides: dict[str, RenderedProduct], tmp_path: Path) -> None:
    guide = guides["en"]
    roles, facts = structure(guide.pdf)
    assert facts["lang"] == "en" and facts["marked"] and facts["display_title"]
    assert facts["xmp"]["{http://www.aiim.org/pdfua/ns/id/}part"] == "1"
    assert facts["xmp"]["{http://purl.org/dc/elements/1.1/}title"] == guide.title
    for role in ("/H1", "/H2", "/H3", "/L", "/LI", "/Lbl", "/LBody", "/Link", "/P"):
        assert role in roles, role
    document = load_document(ROOT / "source" / "guide.md")
    headings = sum(1 for t in document.tokens if t.type == "heading_open")
    assert facts["outlines"] >= headings
    used, reached, artifacts = marked_content(guide.pdf)
    assert used and used <= reached, sorted(used - reached)[:5]
    assert artifacts >= 2 * guide.pages - 1  # running head (not on the title page) and page number on every page
    path = tmp_path / "guide.pdf"
    path.write_bytes(guide.pdf)
    report = Validator().validate(str(path))
    errors = [f for outcome in report.outcomes for f in outcome.findings if f.severity >= Severity.ERROR]
    assert not errors, [f.message for f in errors]
    assert sum(1 for outcome in report.outcomes if outcome.skipped_reason is None) >= 10


def test_arabic_is_right_to_left(guides: dict[str, RenderedProduct]) -> None:
    guide = guides["ar"]
    assert '<html lang="ar" dir="rtl">' in guide.html
    _roles, facts = structure(guide.pdf)
    assert facts["lang"] == "ar"
    assert pdf_fonts(guide.pdf) <= {"Noto-Sans-Arabic", "Noto-Sans-Arabic-Bold", "Noto-Sans", "Noto-Sans-Bold"}
    checked = 0
    for number in range(1, guide.pages + 1):
        page = guide.layout.document.pages[number - 1]._page_box
        for box, tags in walk(page):
            if isinstance(box, boxes.BlockBox) and box.element_tag == "li" and "nav" not in tags:
                texts = [b for b, _ in walk(box) if isinstance(b, boxes.TextBox) and b.text.strip()]
                markers = [b for b in texts if b.text.strip() == "•"]
                words = [b for b in texts if b.text.strip() != "•"]
                if markers and words:
                    # the bullet stands at the right, before the text in reading order (it does not hang: WeasyPrint
                    # 70 applies a negative text-indent of a right-to-left line at its left end)
                    marker_end = markers[0].position_x + markers[0].width
                    assert marker_end >= max(w.position_x + w.width for w in words) - 1
                    first_line = [w for w in words if abs(w.position_y - markers[0].position_y) < 1]
                    assert all(markers[0].position_x >= w.position_x + w.width - 1 for w in first_line)
                    checked += 1
                    assert box.style["direction"] == "rtl"
    assert checked >= 5
    paragraphs = [line for line, _text, tags in body_lines(guide, 3) if "p" in tags]
    ends = [max(b.position_x + b.width for b, _ in walk(line) if isinstance(b, boxes.TextBox)) for line in paragraphs]
    starts = [min(b.position_x for b, _ in walk(line) if isinstance(b, boxes.TextBox)) for line in paragraphs]
    assert max(ends) - min(ends) < 2, "right-to-left lines must share their right edge"
    assert max(starts) - min(starts) > 20, "and be ragged on the left"
    footer = margin_texts(guide, 2)["@bottom-center"]
    assert "2" in footer and str(guide.pages) in footer


def test_chinese_breaks_lines_correctly_and_is_never_justified(guides: dict[str, RenderedProduct]) -> None:
    guide = guides["zh_Hans"]
    assert '<html lang="zh-Hans" dir="ltr">' in guide.html
    # Noto Sans only for the list bullets (the CJK font's bullet glyph is also its middle dot).
    assert pdf_fonts(guide.pdf) == {"Noto-Sans-CJK-SC", "Noto-Sans-CJK-SC-Bold", "Noto-Sans"}
    lines = 0
    for number in range(1, guide.pages + 1):
        for line, text, _tags in body_lines(guide, number):
            lines += 1
            assert text.lstrip()[0] not in CLOSING_PUNCTUATION, text
            assert line.style["text_align_all"] != "justify"
    assert lines > 200


def test_vietnamese_prints_in_noto_sans_with_every_diacritic(guides: dict[str, RenderedProduct]) -> None:
    guide = guides["vi"]
    assert guide.fonts == ["Noto Sans"]
    assert pdf_fonts(guide.pdf) == {"Noto-Sans", "Noto-Sans-Bold"}
    text = "".join(box.text for _p, box, _t in text_boxes(guide))
    assert {"ư", "ạ", "ệ", "ố"} <= set(text)


def test_unreviewed_translation_carries_the_notice(guides: dict[str, RenderedProduct]) -> None:
    notice = "This translation has not yet been reviewed by a qualified medical translator."
    arabic = load_layout_translations(ROOT / "locales" / "ar" / "LC_MESSAGES" / "layouts.po").gettext(notice)
    # In Arabic once the layouts catalog translates it; in English, marked lang="en", until then.
    assert arabic in guides["ar"].html
    assert arabic != notice or 'lang="en"' in guides["ar"].html
    assert notice not in guides["en"].html


# --- handout, summary, clinics, drafts on a small project -------------------------------------------------


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(PRINT_PROJECT, root)
    return root


FULL_CLINIC = {
    "name": "Test Clinic", "phone": "+1 555 0199", "country": "US",
    "guide_url": "https://clinic.test/guides/{lang}/", "logo": "tests/fixtures/render/clinics/logo.png",
    "trial_coordinator": {"name": "Sam Tester", "email": "trials@clinic.test"},
}  # fmt: skip


@pytest.mark.parametrize(("country", "size"), [("US", [0, 0, 612, 792]), ("DE", [0, 0, 595.276, 841.89])])
def test_handout_fits_one_sheet_on_letter_and_a4(project: Path, country: str, size: list[float]) -> None:
    handout = render(project / "pyproject.toml", "en", "handout", {**FULL_CLINIC, "country": country})
    _roles, facts = structure(handout.pdf)
    assert facts["pages"] <= 2 and [round(v, 1) for v in facts["size"]] == [round(v, 1) for v in size]
    for _page, box, _tags in text_boxes(handout):
        assert box.style["font_size"] >= 14 * PT - 0.01, box.text


def test_handout_contact_box_qr_code_and_guide_link(project: Path) -> None:
    handout = render(project / "pyproject.toml", "en", "handout", FULL_CLINIC)
    expected = (
        '<bdi dir="ltr">Test Clinic</bdi>',
        '<bdi dir="ltr" class="nobreak digits">+1 555 0199</bdi>',
        "Sam Tester",
        "trials@clinic.test",
        "https://clinic.test/guides/en/",
        'Version <span class="digits">2.1</span>, <bdi lang="en" dir="ltr" class="digits">March 5, 2026</bdi>',
        'alt="Test Clinic"',
    )
    # Web and e-mail addresses carry their break points (soft hyphens, word joiners after hyphens and slashes).
    shown = handout.html.replace("\u00ad", "").replace("\u2060", "")
    for text in expected:
        assert text in shown
    assert "<svg" in handout.html and "<title>QR code with the address of the full guide</title>" in handout.html
    roles, _facts = structure(handout.pdf)
    assert "/Figure[QR code with the address of the full guide]" in roles
    assert "/Figure[Test Clinic]" in roles
    # The clinic's own details are printed, not left to write in; what the file does not give (the next
    # appointment, a nurse or navigator) has a line; the coordinator it names has none.
    assert '<span class="label">Clinic</span>' not in handout.html and "My trial coordinator" not in handout.html
    assert "My next appointment" in handout.html and "My nurse or navigator" in handout.html


def test_without_clinic_the_contact_box_has_ruled_lines_and_no_qr(project: Path) -> None:
    handout = render(project / "pyproject.toml", "en", "handout")
    assert "Test Clinic" not in handout.html and "<svg" not in handout.html and "https://" not in handout.html
    ruled = [box for _p, box, tags in text_boxes(handout) if "aside" in tags]
    assert ruled, "contact box missing"
    lines = [box for page in handout.layout.document.pages for box, _ in walk(page._page_box)
             if isinstance(box, boxes.BlockBox) and box.element is not None
             and "write-in" in (box.element.get("class") or "").split()]  # fmt: skip
    assert len(lines) >= 4 and all(box.style["border_bottom_width"] >= 1 for box in lines)


def test_summary_is_one_page_at_16_pt(project: Path) -> None:
    summary = render(project / "pyproject.toml", "en", "summary")
    assert summary.pages == 1 and summary.font_size_pt >= 16
    for _page, box, _tags in text_boxes(summary):
        assert box.style["font_size"] >= 16 * PT - 0.01
    assert "Estimated reading time: 1 minute" in summary.html


def test_overlong_summary_is_refused_not_shrunk(project: Path) -> None:
    path = project / "source" / "summary.md"
    path.write_text(
        path.read_text(encoding="utf-8") + "\n" + "\n\n".join(["A long paragraph of filler text. " * 12] * 12)
    )
    with pytest.raises(PageBudgetError, match=r"en summary: \d pages even at 16 pt"):
        render(project / "pyproject.toml", "en", "summary")


@pytest.mark.parametrize("locale", ["en_XA", "ar_XB"])
def test_pseudo_locales_keep_every_product_in_its_budget(project: Path, locale: str) -> None:
    for name in ("large-print", "handout", "summary"):
        rendered = render(project / "pyproject.toml", locale, name, FULL_CLINIC)
        assert rendered.job.draft and rendered.job.stem.endswith("-draft")
        limit = {"handout": 2, "summary": 1}.get(name)
        assert limit is None or rendered.pages <= limit, (name, rendered.pages)
        direction = "rtl" if locale == "ar_XB" else "ltr"
        assert f'lang="{locale.replace("_", "-")}" dir="{direction}"' in rendered.html
    if locale == "en_XA":
        assert "[Çöñţéñţš" in render(project / "pyproject.toml", locale, "large-print").html


# The pseudo-locales' handout and summary of the real project: tests/test_handout.py, which renders them anyway.


def _build(project: Path, **settings: Any) -> BuildReport:
    """The builder on ``project`` with the shipped layouts, in this process."""
    if not (project / "layouts").exists():
        shutil.copytree(ROOT / "layouts", project / "layouts")
    settings.setdefault("grades", False)
    return build(load_config(project / "pyproject.toml"), BuildOptions(**settings))


def test_drafts_are_marked_on_every_page_and_never_take_the_final_name(project: Path) -> None:
    output = project / "output"
    stale = output / "es" / "guide-large-print.pdf"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"an old final version")
    report = _build(project, locales=["es"], products=["large-print"], draft=True)
    assert [(o.status, o.draft) for o in report.outcomes] == [("built", True)]
    assert (output / "es" / "guide-large-print-draft.pdf").is_file()
    assert not stale.exists(), "a stale final version must not stay beside a draft"
    draft = render(project / "pyproject.toml", "es", "large-print")
    assert draft.job.draft
    for page in range(1, draft.pages + 1):
        assert "Draft" in margin_texts(draft, page).values()
    assert 'class="draft-banner"' in draft.html


def test_incomplete_translation_is_skipped_with_a_message(project: Path) -> None:
    report = _build(project, locales=["es"], products=["summary"])
    outcome = report.outcomes[0]
    assert outcome.status == "skipped" and "no catalog summary.po" in (outcome.reason or "")
    assert not (project / "output" / "es").exists() or not any((project / "output" / "es").iterdir())
    assert not report.failures


def test_index_lists_products_by_language(project: Path) -> None:
    complete_catalogs(project, "es")
    report = _build(project, products=["summary"], locales=["en", "es", "ar"], grades=True)
    index = (project / "output" / "index.html").read_text(encoding="utf-8")
    for text in ("English", "español", "العربية", "5 de marzo de 2026", "March 5, 2026", "es/summary.pdf",
                 "Flesch-Kincaid grade level",
                 "no catalog summary.po"):  # fmt: skip
        assert text in index
    spanish = next(o for o in report.outcomes if o.id.startswith("es/"))
    assert spanish.status == "built" and not spanish.draft
    assert "reviewed by a qualified" not in (project / "output" / "es" / "summary.html").read_text(encoding="utf-8")
    assert (project / "output" / "es" / "summary.pdf").read_bytes()[:5] == b"%PDF-"
