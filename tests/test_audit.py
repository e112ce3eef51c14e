"""``plainleaf audit``: every check passes on a well-made product and fails, naming file and page, on a broken one.

Products are made the way the renderer makes them (WeasyPrint, PDF/UA-1, our artifact finisher); broken ones
either from HTML that breaks one rule, or by editing one thing in a good PDF with pikepdf.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from pipeline.audit import Severity, audit_product
from pipeline.audit.checks import contrast_ratio, relative_luminance
from pipeline.audit.cmap import parse_cmap
from pipeline.audit.html_text import comparable, read_html
from pipeline.audit.model import AuditError, ProductAudit
from pipeline.audit.report import render_html, report_json
from pipeline.audit.validator import validator_version
from pipeline.commands import Context
from pipeline.commands import audit as audit_command
from pipeline.config import load_config
from pipeline.render.fonts import FontCatalog
from pipeline.render.pdf import layout_html, write_pdf

logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
logging.getLogger("fontTools").setLevel(logging.ERROR)

ROOT = Path(__file__).resolve().parent.parent
LAYOUTS = ROOT / "layouts"
RUNNING = (
    '@top-center { content: "Test guide"; font-size: 18pt; }'
    ' @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 18pt; }'
)
GOOD_BODY = (
    "<main><h1>Test guide</h1><p>Ask your care team about clinical trials.</p><h2>Questions</h2>"
    "<ul><li>What phase is the trial?</li><li>What are the risks?</li></ul>"
    '<h2 style="break-before: page">More</h2><p>A second page of plain text.</p></main>'
)


# --- making products --------------------------------------------------------------------------------------


def page_html(body: str, css: str = "", lang: str = "en", running: str = RUNNING) -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Test guide</title><style>'
        f"@page {{ size: letter; margin: 1in; {running} }}"
        ' html { font-family: "Atkinson Hyperlegible"; font-size: 18pt; line-height: 1.5; color: #111;'
        f" background: #fff; }} {css}</style></head><body>{body}</body></html>"
    )


def make_pdf(html: str, mode: str = "ua") -> bytes:
    """``ua``: as the renderer writes; ``raw-ua``: PDF/UA without our artifact finisher; ``plain``: untagged."""
    fonts = FontCatalog().fonts_for("Latn", "Test guide")
    layout = layout_html(html, fonts, LAYOUTS)
    if mode == "ua":
        return write_pdf(layout)[0]
    data = layout.document.write_pdf(pdf_variant="pdf/ua-1") if mode == "raw-ua" else layout.document.write_pdf()
    assert isinstance(data, bytes)
    return data


def place(tmp_path: Path, pdf: bytes, html: str, locale: str = "en", stem: str = "guide-large-print") -> Path:
    folder = tmp_path / "output" / locale
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.html").write_text(html, encoding="utf-8")
    path = folder / f"{stem}.pdf"
    path.write_bytes(pdf)
    return path


def audit(path: Path, tmp_path: Path) -> ProductAudit:
    return audit_product(path, tmp_path, tmp_path / "output")


def errors(result: ProductAudit) -> dict[str, list[int | None]]:
    found: dict[str, list[int | None]] = {}
    for finding in result.errors:
        found.setdefault(finding.check, []).append(finding.page)
    return found


@pytest.fixture(scope="module")
def good_pdf() -> bytes:
    return make_pdf(page_html(GOOD_BODY))


# --- units --------------------------------------------------------------------------------------------------


def test_contrast_follows_wcag() -> None:
    assert relative_luminance((1.0, 1.0, 1.0)) == pytest.approx(1.0)
    assert contrast_ratio((0.0, 0.0, 0.0), (1.0, 1.0, 1.0)) == pytest.approx(21.0)
    grey = 0x11 / 255
    assert contrast_ratio((grey, grey, grey), (1.0, 1.0, 1.0)) == pytest.approx(18.88, abs=0.01)
    mid = 0x77 / 255
    assert contrast_ratio((mid, mid, mid), (1.0, 1.0, 1.0)) == pytest.approx(4.48, abs=0.01)


def test_cmaps_split_codes_and_map_text_and_cids() -> None:
    cmap = parse_cmap(
        b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
        1 begincodespacerange <0000> <ffff> endcodespacerange
        2 beginbfchar <0003> <0020> <0005> <00660069> endbfchar
        2 beginbfrange <0010> <0012> <0041> <0020> <0021> [<0627> <FEFB>] endbfrange
        1 begincidchar <0007> 0 endcidchar
        1 begincidrange <0100> <0102> 5 endcidrange
        endcmap"""
    )
    assert list(cmap.split(b"\x00\x03\x00\x10\x01\x02")) == [3, 0x10, 0x102]
    assert cmap.unicode[3] == " " and cmap.unicode[5] == "fi"
    assert [cmap.unicode[c] for c in (0x10, 0x11, 0x12)] == ["A", "B", "C"]
    assert cmap.unicode[0x21] == "\ufefb" and comparable(cmap.unicode[0x21]) == "\u0644\u0627"
    assert cmap.cids[7] == 0 and cmap.cids[0x101] == 6


def test_html_text_skips_what_is_not_printed() -> None:
    text = read_html(
        "<html><head><title>Head</title><style>p{}</style></head><body><h1>Title</h1>"
        "<ul><li>Item <strong>one</strong><ul><li>nested</li></ul></li></ul><p hidden>secret</p>"
        '<svg role="img"><title>QR alt</title></svg><p>Last&nbsp;one</p></body></html>'
    )
    assert [(b.tag, b.text.strip()) for b in text.blocks] == [
        ("h1", "Title"),
        ("li", "Item one"),
        ("li", "nested"),
        ("p", "Last\xa0one"),
    ]
    assert "secret" not in text.text and "QR alt" not in text.text and "Head" not in text.text


# --- a good product passes every check -------------------------------------------------------------------


def test_a_well_made_product_passes_every_check(good_pdf: bytes, tmp_path: Path) -> None:
    result = audit(place(tmp_path, good_pdf, page_html(GOOD_BODY)), tmp_path)
    assert result.passed, [str(f) for f in result.errors]
    assert result.pages == 2
    assert result.smallest_text_pt == pytest.approx(18.0, abs=0.05)
    assert result.lowest_contrast == pytest.approx(18.88, abs=0.05)
    statuses = {check.id: result.status_of(check.id) for check in result.checks}
    assert statuses["reading-order"] == statuses["artifacts"] == statuses["contrast"] == "pass"


def test_the_validator_runs_every_rule_on_a_rendered_pdf(good_pdf: bytes, tmp_path: Path) -> None:
    # pdfua 0.1.3's UA-14-001 raises on every WeasyPrint heading with pikepdf 10; it is run repaired, so all rules
    # report and the product is checked, not "not checked".
    from pdfua.rules import ALL_RULES

    from pipeline.audit.validator import run_validator

    path = place(tmp_path, good_pdf, page_html(GOOD_BODY))
    completed, findings = run_validator(path)
    assert completed == len(ALL_RULES) == 12
    assert not [f for f in findings if f.severity is Severity.LIMITATION]
    assert [f.rule for f in findings if "ran repaired" in f.message] == ["UA-14-001"]
    result = audit(path, tmp_path)
    assert result.status_of("pdfua") == "pass" and result.status == "pass" and result.not_checked == []
    assert f"pdfua {validator_version()}: 12 rules completed" in [f.message for f in result.findings]


def test_the_repaired_heading_rule_still_finds_an_empty_heading(good_pdf: bytes, tmp_path: Path) -> None:
    def empty_heading(pdf: pikepdf.Pdf) -> None:
        next(e for e in _struct_elements(pdf) if e.S == "/H1").K = pikepdf.Array()

    result = audit(place(tmp_path, _edit_catalog(empty_heading)(good_pdf), page_html(GOOD_BODY)), tmp_path)
    found = [f for f in result.findings if f.check == "pdfua" and "UA-14-001: Empty heading" in f.message]
    assert [(f.page, f.severity) for f in found] == [(1, Severity.WARNING)]


def _crash_first_rule(monkeypatch: pytest.MonkeyPatch) -> str:
    from pdfua.rules import ALL_RULES

    rule = ALL_RULES[0]
    monkeypatch.setattr(type(rule), "check", lambda self, doc: (_ for _ in ()).throw(RuntimeError("boom")))
    return rule.id


def test_any_rule_that_raises_is_reported_and_the_others_still_run(
    good_pdf: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rule = _crash_first_rule(monkeypatch)
    result = audit(place(tmp_path, good_pdf, page_html(GOOD_BODY)), tmp_path)
    messages = [f.message for f in result.findings if f.check == "pdfua"]
    assert any(rule in m and "RuntimeError: boom" in m for m in messages)
    assert any(re.search(r"\b11 rules completed", m) for m in messages)
    assert result.passed and result.status == "incomplete" and result.status_of("pdfua") == "not checked"
    assert result.not_checked == [f"pdfua {rule}"]
    assert result.result == "pass, 1 rule not checked"


def test_a_rule_that_did_not_run_makes_the_banner_amber_and_names_the_file(
    good_pdf: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    config_file = project / "pyproject.toml"
    place(project, good_pdf, page_html(GOOD_BODY))
    assert audit_command.run(Context(config_file), audit_command.AuditOptions(json=False)) == 0
    report = (project / "output" / "reports" / "audit.html").read_text(encoding="utf-8")
    assert '<div class="verdict pass" role="status">' in report and "every check ran" in report

    rule = _crash_first_rule(monkeypatch)
    capsys.readouterr()
    # Not checked is not an error: exit 0, but never a plain pass, in the terminal, the page and the JSON.
    assert audit_command.run(Context(config_file), audit_command.AuditOptions(json=False)) == 0
    out = capsys.readouterr().out
    assert "output/en/guide-large-print.pdf" in out and "pass, 1 rule not checked" in out
    assert "1 product: 0 pass, 1 pass with something not checked, 0 fail" in out
    report = (project / "output" / "reports" / "audit.html").read_text(encoding="utf-8")
    banner = report[report.index('<div class="verdict') : report.index("</div>")]
    assert 'class="verdict amber"' in banner and "✓" not in banner
    assert f"output/en/guide-large-print.pdf</a>: pdfua {rule}" in banner
    assert "⚠ Pass, 1 rule not checked" in report
    assert audit_command.run(Context(config_file), audit_command.AuditOptions(json=True)) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == 3 and data["summary"]["verdict"] == "incomplete"
    assert (data["summary"]["incomplete"], data["summary"]["failed"]) == (1, 0)
    assert data["products"][0]["status"] == "incomplete" and data["products"][0]["not_checked"] == [f"pdfua {rule}"]

    # An error on another product turns it red; the unchecked file is still named.
    place(project, make_pdf(page_html(GOOD_BODY.replace("<p>A second", '<p style="color:#999">A second'))),
          page_html(GOOD_BODY), stem="handout")  # fmt: skip
    assert audit_command.run(Context(config_file), audit_command.AuditOptions(json=False)) == 1
    report = (project / "output" / "reports" / "audit.html").read_text(encoding="utf-8")
    banner = report[report.index('<div class="verdict') : report.index("</div>")]
    assert 'class="verdict fail"' in banner and "1 of 2 products has errors" in banner
    assert "output/en/handout.pdf</a>: pdfua" in banner and "output/en/guide-large-print.pdf</a>" in banner


# --- broken products: each breaks one rule and must fail that check, on the right page -------------------


def _edit_catalog(change: Callable[[pikepdf.Pdf], None]) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            change(pdf)
            out = io.BytesIO()
            pdf.save(out)
            return out.getvalue()

    return edit


def _del_lang(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/Lang"]


def _no_display_title(pdf: pikepdf.Pdf) -> None:
    pdf.Root.ViewerPreferences.DisplayDocTitle = False


def _no_pdfua_id(pdf: pikepdf.Pdf) -> None:
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        del xmp["pdfuaid:part"]


def _struct_elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found, stack = [], [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.append(node)
            kids = node.get("/K")
            stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else [])
    return found


def _list_item_as_paragraph(pdf: pikepdf.Pdf) -> None:
    next(e for e in _struct_elements(pdf) if e.S == "/LI").S = pikepdf.Name("/P")


def _h2_as_h4(pdf: pikepdf.Pdf) -> None:
    for element in _struct_elements(pdf):
        if element.S == "/H2":
            element.S = pikepdf.Name("/H4")


def _font_not_embedded(pdf: pikepdf.Pdf) -> None:
    for font in pdf.pages[0].Resources.Font.values():
        del font.DescendantFonts[0].FontDescriptor["/FontFile2"]


def _no_to_unicode(pdf: pikepdf.Pdf) -> None:
    for font in pdf.pages[0].Resources.Font.values():
        del font["/ToUnicode"]


@dataclass(frozen=True)
class Broken:
    id: str
    check: str
    page: int | None
    body: str = GOOD_BODY
    css: str = ""
    locale: str = "en"
    stem: str = "guide-large-print"
    mode: str = "ua"
    edit: Callable[[bytes], bytes] | None = None
    html_extra: str = ""


BROKEN = [
    Broken("small-text", "text-size", 2, body=GOOD_BODY.replace("<p>A second", '<p style="font-size:11pt">A second')),
    Broken("italic", "italics", 1, body=GOOD_BODY.replace("Ask your", '<i style="font-style:italic">Ask</i> your')),
    Broken("low-contrast", "contrast", 2, body=GOOD_BODY.replace("<p>A second", '<p style="color:#777">A second')),
    Broken(
        "dark-box",
        "contrast",
        1,
        body=GOOD_BODY.replace("<p>Ask", '<p style="background:#333;color:#555">Ask'),
    ),
    Broken("heading-skip", "headings", 1, body=GOOD_BODY.replace("<h2>Questions</h2>", "<h3>Questions</h3>")),
    Broken("missing-glyph", "glyphs", 1, body=GOOD_BODY.replace("clinical", "clin\ue000ical")),
    Broken("untagged", "tagged", None, mode="plain"),
    Broken("furniture-tagged", "artifacts", 1, mode="raw-ua"),
    Broken(
        "reading-order",
        "reading-order",
        1,
        css=".row { display: flex; } .row .first { order: 2; }",
        body=GOOD_BODY.replace(
            "<h2>Questions</h2>",
            '<div class="row"><p class="first">Read this first.</p><p>Then this.</p></div><h2>Questions</h2>',
        ),
    ),
    Broken("image-without-alt", "figures", 1, body=GOOD_BODY.replace("</h1>", '</h1><img src="data:image/png;'
           'base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==">')),
    Broken("too-many-pages", "pages", None, stem="summary"),
    Broken("wrong-language", "language", None, locale="es"),
    Broken("no-lang", "language", None, edit=_edit_catalog(_del_lang)),
    Broken("no-display-title", "title", None, edit=_edit_catalog(_no_display_title)),
    Broken("no-pdfua-id", "identification", None, edit=_edit_catalog(_no_pdfua_id)),
    Broken("list-item-as-paragraph", "lists", 1, edit=_edit_catalog(_list_item_as_paragraph)),
    Broken("heading-level-skipped-in-tags", "headings", 1, edit=_edit_catalog(_h2_as_h4)),
    Broken("font-not-embedded", "fonts", 1, edit=_edit_catalog(_font_not_embedded)),
    Broken("no-tounicode", "fonts", 1, edit=_edit_catalog(_no_to_unicode)),
    Broken("character-not-in-pdf", "characters", 2, html_extra="<p>Ω</p>"),
    # An address with nowhere to break runs off the paper (issue 22's guide address at the right edge) ...
    Broken("past-the-edge", "clipping", 1, body=GOOD_BODY.replace(
        "<p>Ask", '<p style="white-space:nowrap">www.royal-northern-eastern-counties-hospitals.nhs.uk/patient-'
        'information/clinical-trials/en/immunotherapy-guide.pdf</p><p>Ask')),
    # ... or through the border of the box it is set in (the zh e-mail address across the contact box).
    Broken("across-a-border", "clipping", 1, body=GOOD_BODY.replace(
        "<p>Ask", '<div style="border:2pt solid #111;width:3in"><p style="white-space:nowrap">philippa.montgomery-'
        "fairweather@rnec-hospitals.nhs.uk</p></div><p>Ask")),
]  # fmt: skip


def test_every_check_has_a_broken_product() -> None:
    from pipeline.audit.checks import CHECKS

    assert {check.id for check, _ in CHECKS} - {"pdfua"} <= {case.check for case in BROKEN}


@pytest.mark.parametrize("case", BROKEN, ids=[case.id for case in BROKEN])
def test_a_broken_product_fails_the_check_it_breaks(case: Broken, tmp_path: Path) -> None:
    html = page_html(case.body, case.css)
    pdf = make_pdf(html, case.mode)
    if case.edit is not None:
        pdf = case.edit(pdf)
    shown_html = html.replace("</main>", case.html_extra + "</main>") if case.html_extra else html
    path = place(tmp_path, pdf, shown_html, case.locale, case.stem)
    result = audit(path, tmp_path)
    found = errors(result)
    assert not result.passed
    assert case.check in found, [str(f) for f in result.findings]
    assert case.page in found[case.check], [str(f) for f in result.errors if f.check == case.check]
    for finding in result.errors:
        assert finding.file == f"output/{case.locale}/{case.stem}.pdf"


def test_an_unreadable_pdf_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = place(tmp_path, b"%PDF-1.7\nnot really a pdf", "<p>x</p>")
    result = audit(path, tmp_path)
    assert not result.passed and result.errors[0].check == "tagged"


def test_a_structure_tree_that_loops_is_reported_not_followed(good_pdf: bytes, tmp_path: Path) -> None:
    def loop(pdf: pikepdf.Pdf) -> None:
        element = next(e for e in _struct_elements(pdf) if e.S == "/P")
        element.K = pikepdf.Array([pdf.Root.StructTreeRoot.K[0]])

    path = place(tmp_path, _edit_catalog(loop)(good_pdf), page_html(GOOD_BODY))
    result = audit(path, tmp_path)
    assert any("appears twice" in f.message for f in result.errors)


# --- the command and its report ---------------------------------------------------------------------------


def _project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.plainleaf]\nlocales = ["es"]\n', encoding="utf-8")
    return tmp_path


def test_command_writes_a_self_contained_report_and_fails_on_errors(
    good_pdf: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    config_file = project / "pyproject.toml"
    place(project, good_pdf, page_html(GOOD_BODY))
    assert audit_command.run(Context(config_file), audit_command.AuditOptions(json=False)) == 0
    report = (project / "output" / "reports" / "audit.html").read_text(encoding="utf-8")
    assert "output/en/guide-large-print.pdf" in report and "✓ Pass" in report
    assert not re.search(r"""(src|href)=["']?(https?:|//|file:)|<script|<link|@import|url\(""", report)

    place(project, make_pdf(page_html(GOOD_BODY.replace("<p>A second", '<p style="color:#999">A second'))),
          page_html(GOOD_BODY), stem="handout")  # fmt: skip
    capsys.readouterr()
    assert audit_command.run(Context(config_file), audit_command.AuditOptions(json=True)) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == 3 and data["summary"]["failed"] == 1 and data["summary"]["verdict"] == "fail"
    failing = next(p for p in data["products"] if p["status"] == "fail")
    assert failing["file"] == "output/en/handout.pdf"
    assert {"file": "output/en/handout.pdf", "page": 2, "check": "contrast", "severity": "error"}.items() <= next(
        f for f in failing["findings"] if f["check"] == "contrast"
    ).items()
    assert "✗ Fail" in (project / "output" / "reports" / "audit.html").read_text(encoding="utf-8")


def test_command_without_products_says_what_to_do(tmp_path: Path) -> None:
    config_file = _project(tmp_path) / "pyproject.toml"
    with pytest.raises(AuditError, match="run 'plainleaf build' first"):
        audit_command.run(Context(config_file), audit_command.AuditOptions(json=False))
    with pytest.raises(AuditError, match="no such file"):
        audit_command.run(Context(config_file), audit_command.AuditOptions([tmp_path / "missing.pdf"]))


def test_report_json_and_html_agree(good_pdf: bytes, tmp_path: Path) -> None:
    result = audit(place(tmp_path, good_pdf, page_html(GOOD_BODY)), tmp_path)
    data: dict[str, Any] = report_json([result], "2026-01-01 00:00+0000")
    html = render_html([result], "2026-01-01 00:00+0000")
    assert data["products"][0]["checks"][0]["id"] == "tagged"
    for check in data["products"][0]["checks"]:
        assert check["title"] in unescape(html)


# --- a render bug the audit finds ---------------------------------------------------------------------------


def test_a_chinese_middle_dot_survives_next_to_list_bullets(tmp_path: Path) -> None:
    from pipeline.catalogs.extract import generate_template
    from pipeline.catalogs.merge import init_catalog
    from pipeline.catalogs.pofile import write_catalog
    from pipeline.document import load_document
    from pipeline.render import Layouts, Renderer, default_products, plan_jobs, render_product

    project = tmp_path / "project"
    (project / "source").mkdir(parents=True)
    (project / "pyproject.toml").write_text('[tool.plainleaf]\nlocales = ["zh_Hans"]\n', encoding="utf-8")
    guide = project / "source" / "guide.md"
    # Bullets on the first page, the name on a later one, as in the shipped Chinese guide (WeasyPrint keeps the
    # text of a glyph's first use).
    items = "".join(f"- 第{n}项\n" for n in range(1, 41))
    guide.write_text(f"# 指南\n\n{items}\n约翰斯·霍普金斯的研究人员。\n", encoding="utf-8")
    catalog = init_catalog(generate_template([load_document(guide)], "plainleaf"), "zh_Hans")
    for entry in catalog:
        entry.msgstr = entry.msgid
    write_catalog(catalog, project / "locales" / "zh_Hans" / "LC_MESSAGES" / "guide.po")
    config = load_config(project / "pyproject.toml")
    large_print = [p for p in default_products() if p.name == "large-print"]
    job = plan_jobs(config, large_print, ["zh_Hans"])[0]
    rendered = render_product(Renderer(config, Layouts(LAYOUTS)), job)
    path = place(project, rendered.pdf, rendered.html, "zh_Hans")
    result = audit_product(path, project, project / "output")
    assert result.passed, [str(f) for f in result.errors]
