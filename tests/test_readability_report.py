"""The readability command and report: gates per product and language, JSON, and the HTML a reviewer reads."""

from __future__ import annotations

import html
import json
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from commands import copy_basic, plainleaf

from pipeline.config import load_config, parse_config
from pipeline.errors import ConfigError
from pipeline.readability import analyze
from pipeline.readability.products import measure_document, measure_products, targets_for
from pipeline.readability.report import (
    ProductReadability,
    flag_text,
    hardest_sentences,
    headline_score,
    ranked_sections,
    render_html,
    render_table,
    report_json,
    targets_from_config,
    text_units,
)

run = plainleaf
ROOT = Path(__file__).resolve().parent.parent
LONG_SENTENCE = (
    "Patients who participate in clinical trials may gain access to investigational treatments that are not "
    "otherwise available through routine standard care pathways in most hospitals."
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_basic(tmp_path)


def with_targets(project: Path, table: str) -> None:
    config = project / "pyproject.toml"
    config.write_text(config.read_text() + f"\n[tool.plainleaf.readability.targets]\n{table}\n")


def test_text_units_are_what_the_patient_reads() -> None:
    units = text_units("# Title\n\nSee [the *guide*](https://e.org).\n\n- One item\n\n| a |\n|---|\n| cell |\n")
    assert [(u.kind, u.text, u.section, u.line) for u in units] == [
        ("heading 1", "Title", "Title", 1),
        ("paragraph", "See the guide.", "Title", 3),
        ("list item", "One item", "Title", 5),
        ("table header", "a", "Title", 7),
        ("table cell", "cell", "Title", 9),
    ]


def test_ease_targets_are_minimums_and_grades_maximums() -> None:
    targets = {t.formula: t for t in targets_from_config({"smog": 8, "szigriszt-pazos": 65}, "test")}
    assert (targets["smog"].maximum, targets["smog"].minimum) == (8, None)
    assert (targets["szigriszt-pazos"].maximum, targets["szigriszt-pazos"].minimum) == (None, 65)


def test_a_missed_target_fails_the_command_and_names_the_product(project: Path) -> None:
    assert run(project, "all").returncode == 0
    with_targets(project, "leaflet = { flesch-kincaid-grade = 2 }")
    result = run(project, "readability")
    assert result.returncode == 1
    assert "leaflet (en) misses its readability target: Flesch-Kincaid grade level" in result.stderr
    assert re.search(
        r"leaflet +en +.*fail: Flesch-Kincaid grade level [\d.]+, target at most 2: [\d.]+ over", result.stdout
    )
    assert "0 of 3 meet their target, 0 advisory misses, 1 blocking miss, 2 not checked, 0 without target" in (
        result.stdout
    )
    page = (project / "output" / "reports" / "readability.html").read_text(encoding="utf-8")
    assert '<p class="verdict fail" role="status">✗ Fail: 1 missed blocking target.' in page


def test_an_advisory_miss_exits_0_but_is_amber_with_its_gap(project: Path) -> None:
    assert run(project, "all").returncode == 0
    with_targets(project, "leaflet = { flesch-kincaid-grade = 2, advisory = true }")
    result = run(project, "readability", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    english = next(p for p in report["products"] if p["locale"] == "en")
    grade = english["analysis"]["targets"][0]["value"]
    gap = f"Flesch-Kincaid grade level {grade:.1f}, target at most 2: {grade - 2:.1f} over"
    assert english["status"] == "advisory miss" and english["result"] == f"advisory miss: {gap}"
    assert english["analysis"]["targets"][0]["advisory"] is True
    assert report["passed"] is True and report["verdict"] == "warning"
    assert report["counts"] == {
        "products": 3, "met": 0, "advisory_misses": 1, "blocking_misses": 0, "not_checked": 2, "without_target": 0,
    }  # fmt: skip
    assert f"leaflet (en) misses its advisory readability target: {gap}" in result.stderr
    page = (project / "output" / "reports" / "readability.html").read_text(encoding="utf-8")
    assert '<p class="verdict amber" role="status">⚠ Not all met: 0 of 3 meet their target, 1 advisory miss,' in page
    assert f"<li>{gap} (advisory)</li>" in page and "✓ Pass" not in page


def test_json_report_and_incomplete_translations_are_skipped(project: Path) -> None:
    assert run(project, "all").returncode == 0
    with_targets(project, "leaflet = { flesch-kincaid-grade = 30, smog = 30 }")
    result = run(project, "readability", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["schema"] == 2 and report["passed"] is True
    by_locale = {p["locale"]: p for p in report["products"]}
    assert by_locale["en"]["status"] == "pass" and by_locale["en"]["reason"] is None
    assert {t["formula"] for t in by_locale["en"]["analysis"]["targets"]} == {"flesch-kincaid-grade", "smog"}
    assert by_locale["es"]["status"] == "not checked"
    assert by_locale["es"]["reason"].startswith("translation incomplete")
    assert by_locale["es"]["result"] == f"not checked: {by_locale['es']['skipped']}"
    # Rows not checked are never green, even when every target judged is met.
    assert report["verdict"] == "warning" and report["counts"]["not_checked"] == 2
    assert (project / "output" / "reports" / "readability.html").exists()


def test_unknown_formula_in_targets_is_a_config_error(project: Path) -> None:
    with_targets(project, "leaflet = { flesch-kincade = 6 }")
    result = run(project, "readability")
    assert result.returncode == 1
    assert "unknown formula 'flesch-kincade'" in result.stderr and "Traceback" not in result.stderr


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.marks: list[str] = []
        self.in_mark = False
        self.langs: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_mark = self.in_mark or tag == "mark"
        self.langs |= {value or "" for name, value in attrs if name == "lang"}

    def handle_endtag(self, tag: str) -> None:
        self.in_mark = self.in_mark and tag != "mark"

    def handle_data(self, data: str) -> None:
        if self.in_mark:
            self.marks.append(data)


def test_html_marks_each_flagged_sentence_with_its_reason() -> None:
    long_sentence = (
        "Patients who participate in clinical trials may gain access to investigational treatments that are not "
        "otherwise available through routine standard care pathways in most hospitals."
    )
    units = text_units(f"# Trials\n\n{long_sentence} Ask your doctor.\n")
    english = ProductReadability("summary", "en", analyze(units, "en", targets_from_config({"smog": 8}, "t")))
    chinese = ProductReadability("summary", "zh_Hans", analyze(text_units("# 试验\n\n请问医生。\n"), "zh_Hans"))
    page = render_html([english, chinese], "2026-11-29")
    collector = _Collector()
    collector.feed(page)
    assert collector.marks == [long_sentence]
    assert "aim for 20 or fewer" in page
    assert "Ask your doctor." in page
    assert {"en", "zh-Hans"} <= collector.langs
    assert "Not checked: no validated formula for this language" in page
    assert english.status in ("pass", "fail") and chinese.status == "not checked"


# --- the banner: counts and colour ----------------------------------------------------------------------------


def _english(limits: dict[str, float], advisory: bool = False) -> ProductReadability:
    units = text_units(f"# Trials\n\n{LONG_SENTENCE} Ask your doctor.\n")
    return ProductReadability("guide", "en", analyze(units, "en", targets_from_config(limits, "t", advisory)))


def _banner(page: str) -> str:
    start = page.index('<p class="verdict')
    return page[start : page.index("</p>", start)]


def test_the_banner_counts_every_kind_of_row_and_is_green_only_when_every_row_meets_a_target() -> None:
    met = _english({"flesch-kincaid-grade": 40})
    met_advisory = _english({"smog": 40}, advisory=True)
    advisory = _english({"flesch-kincaid-grade": 8, "smog": 40}, advisory=True)
    blocking = _english({"flesch-kincaid-grade": 8})
    chinese_units = text_units("# 试验\n\n请问医生。\n")
    chinese = ProductReadability(
        "guide", "zh_Hans", analyze(chinese_units, "zh_Hans", targets_from_config({"smog": 8}, "t"))
    )
    arabic_units = text_units("# تجارب\n\nاسأل طبيبك.\n")  # noqa: RUF001
    arabic = ProductReadability("guide", "ar", analyze(arabic_units, "ar", targets_from_config({"smog": 8}, "t")))
    untargeted = _english({})
    skipped = ProductReadability("guide", "es", None, "translation incomplete: 1 of 2 entries, 0 fuzzy")
    assert [r.status for r in (met, met_advisory, advisory, blocking, chinese, arabic, untargeted, skipped)] == [
        "pass", "pass", "advisory miss", "fail", "not checked", "not checked", "no target", "not checked",
    ]  # fmt: skip
    assert met_advisory.result == "pass (advisory target)"
    instead = "instead, a native speaker reviews it with PEMAT-P or SAM, and teach-back checks understanding"
    assert chinese.result == f"not checked: no validated formula for this language; {instead}"
    # OSMAN is for comparison only: Arabic has no formula to judge, never "no target on OSMAN".
    assert arabic.result == chinese.result
    grade = advisory.analysis.score("flesch-kincaid-grade").value  # type: ignore[union-attr]
    gap = f"Flesch-Kincaid grade level {grade:.1f}, target at most 8: {grade - 8:.1f} over"
    assert advisory.result == f"advisory miss: {gap}" and blocking.result == f"fail: {gap}"

    cases = [
        ([met, met_advisory], "pass", "✓ Pass: 2 of 2 meet their target, 0 advisory misses, 0 blocking misses, "
         "0 not checked, 0 without target"),
        ([met, advisory], "warning", "⚠ Not all met: 1 of 2 meet their target, 1 advisory miss, 0 blocking misses, "
         "0 not checked, 0 without target"),
        ([met, chinese], "warning", "⚠ Not all met: 1 of 2 meet their target, 0 advisory misses, 0 blocking misses, "
         "1 not checked, 0 without target"),
        ([met, untargeted], "warning", "⚠ Not all met: 1 of 2 meet their target, 0 advisory misses, "
         "0 blocking misses, 0 not checked, 1 without target"),
        ([met, advisory, blocking, chinese, arabic, untargeted, skipped], "fail", "✗ Fail: 1 missed blocking target. "
         "1 of 7 meet their target, 1 advisory miss, 1 blocking miss, 3 not checked, 1 without target"),
    ]  # fmt: skip
    colours = {"pass": "pass", "warning": "amber", "fail": "fail"}
    for reports, verdict, banner in cases:
        page = render_html(reports, "2026-11-29")
        assert _banner(page) == f'<p class="verdict {colours[verdict]}" role="status">{banner}.', banner
        data = report_json(reports)
        assert data["verdict"] == verdict and data["passed"] is (verdict != "fail")
        counts = banner.split(". ")[-1] if verdict == "fail" else banner.split(": ", 1)[1]
        assert data["summary"] == counts and render_table(reports).splitlines()[-1] == counts
    assert report_json([])["verdict"] == "warning"  # nothing measured is nothing checked
    page = render_html([advisory, chinese], "2026-11-29")
    assert f"<li>{gap} (advisory)</li>" in page and "⚠ Advisory miss: " in page
    assert "⚠ Not checked: no validated formula for this language" in page


# --- configuration of targets ---------------------------------------------------------------------------------


def _config(targets: dict[str, object]) -> object:
    return parse_config({"readability": {"targets": targets}}, ROOT, ROOT / "pyproject.toml")


def test_advisory_targets_are_configured_per_document_and_follow_its_variants() -> None:
    config = parse_config(
        {"readability": {"targets": {"guide": {"smog": 8, "advisory": True}, "summary": {"smog": 8}}}},
        ROOT, ROOT / "pyproject.toml",
    )  # fmt: skip
    assert config.readability_limits("guide") == {"smog": 8.0}
    assert config.readability_is_advisory("guide") and config.readability_is_advisory("guide-clinic-b")
    assert not config.readability_is_advisory("summary") and not config.readability_is_advisory("handout")
    assert [t.advisory for t in targets_for(config, "guide-clinic-b")] == [True]
    assert [t.advisory for t in targets_for(config, "summary")] == [False]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"guide": {"smog": 8, "advisory": "yes"}}, "tool.plainleaf.readability.targets.guide.advisory: expected bool"),
        ({"guide": {"advisory": True}}, "tool.plainleaf.readability.targets.guide: no formula target"),
        ({"guide": {"smog": True}}, "tool.plainleaf.readability.targets.guide.smog: expected int or float"),
    ],
)
def test_a_malformed_target_table_is_refused_with_its_key_path(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        _config(table)


def test_every_shipped_product_has_a_target_and_the_guide_misses_its_advisory_one() -> None:
    config = load_config(ROOT / "pyproject.toml")
    assert all(config.readability_limits(path.stem) for path in config.documents())
    assert config.readability_is_advisory("guide") and not config.readability_is_advisory("summary")
    reports = measure_products(config, config.locale_codes)
    data = report_json(reports)
    assert data["counts"]["without_target"] == 0 and data["counts"]["blocking_misses"] == 0
    assert data["verdict"] == "warning" and data["passed"] is True
    guide = {r.locale: r for r in reports if r.document == "guide"}
    assert guide["en"].status == "advisory miss" and "target at most 8: " in guide["en"].result
    assert {guide[code].result for code in ("zh_Hans", "vi", "ar")} == {
        "not checked: no validated formula for this language; instead, a native speaker reviews it with PEMAT-P or "
        "SAM, and teach-back checks understanding"
    }


# --- what to fix first: sentences and sections ranked (tests/fixtures/readability/ordering.toml) ---------------

ORDERING = tomllib.loads((ROOT / "tests" / "fixtures" / "readability" / "ordering.toml").read_text("utf-8"))["case"]


@pytest.mark.parametrize("case", ORDERING, ids=[case["id"] for case in ORDERING])
def test_flagged_sentences_come_hardest_first_by_their_own_grade(case: dict[str, Any]) -> None:
    analysis = analyze(text_units(case["markdown"]), case["language"], targets_from_config(case["targets"], "t"))
    hardest = hardest_sentences(analysis)
    assert [item.sentence.text for item in hardest] == [
        next(s.text for s in analysis.sentences if s.text.startswith(start)) for start in case["hardest"]
    ]
    reading_order = [s.text for s in analysis.sentences if s.flags]
    assert [item.sentence.text for item in hardest] != reading_order, "the fixture must tell the two orders apart"
    values = [item.value for item in hardest]
    assert all(value is not None for value in values)
    ease = hardest[0].scale == "ease"
    assert values == sorted(values, reverse=not ease)  # type: ignore[type-var]
    assert [rank.section.title for rank in ranked_sections(analysis)] == case["sections"]
    product = ProductReadability("guide", case["language"], analysis).to_dict()
    assert product["hardest_sentences"] == [item.sentence.index for item in hardest]
    assert product["hardest_sections"] == case["sections"]
    page = render_html([ProductReadability("guide", case["language"], analysis)], "2026-11-29")
    table = html.unescape(page[page.index("Flagged sentences, hardest first") :])
    positions = [table.index(item.sentence.text) for item in hardest]
    assert positions == sorted(positions)
    assert f'data-label="{"Score" if ease else "Grade"}">{hardest[0].shown}</td>' in table


def test_each_reason_is_named_with_the_words_concerned() -> None:
    markdown = (
        "# Trials\n\nInvestigational immunotherapy regimens are evaluated in randomized trials by specialized "
        "oncology teams at participating academic medical centers across the country this year.\n"
    )
    analysis = analyze(text_units(markdown), "en")
    page = render_html([ProductReadability("guide", "en", analysis)], "2026-11-29")
    reasons = [flag_text(flag.id, flag.reason) for flag in hardest_sentences(analysis)[0].sentence.flags]
    assert reasons[0] == "Long sentence: 22 words; aim for 20 or fewer"
    assert reasons[1] == "Passive voice: 'are evaluated'; say who does what"
    assert reasons[2].startswith("Long words: Investigational, immunotherapy, regimens, evaluated")
    assert "Jargon: 'Investigational'; say 'being tested; experimental'" in reasons
    shown = html.unescape(page)
    for reason in reasons:
        assert f"<li>{reason}</li>" in shown


def test_languages_without_a_validated_formula_rank_by_length_and_say_what_replaces_a_formula() -> None:
    chinese = analyze(text_units("# 试验\n\n" + "请问医生" * 12 + "。请问医生。\n"), "zh_Hans")
    hardest = hardest_sentences(chinese)
    assert [item.value for item in hardest] == [None] and hardest[0].sentence.counts.words == 48
    arabic = analyze(text_units("# تجارب\n\nاسأل طبيبك عن التجارب السريرية المتاحة الآن.\n"), "ar")  # noqa: RUF001
    page = render_html(
        [ProductReadability("summary", "zh_Hans", chinese), ProductReadability("summary", "ar", arabic)], "2026-11-29"
    )
    assert page.count("<strong>Instead of a formula.</strong>") == 2
    assert "No readability formula is validated for Arabic" in page and "teach-back" in page
    assert "Suitability Assessment of Materials (Doak, Doak and Root" in page
    assert "ordered by length, longest first" in page


def test_osman_is_for_comparison_only_never_a_headline_or_a_target() -> None:
    units = text_units("# تجارب\n\nاسأل طبيبك عن التجارب السريرية المتاحة الآن.\n")  # noqa: RUF001
    arabic = ProductReadability("summary", "ar", analyze(units, "ar", targets_from_config({"smog": 8}, "t")))
    assert arabic.analysis is not None and arabic.analysis.score("osman") is not None
    assert headline_score(arabic.analysis) is None and arabic.judged == []
    assert arabic.status == "not checked"
    page = render_html([arabic], "2026-11-29")
    overview = page[page.index('id="overview"') : page.index('id="comparison"')]
    assert "No grade: " in overview and "OSMAN" in overview
    assert re.search(r"OSMAN [\d.]+ is for comparison only: no published interpretation bands", overview)
    assert "OSMAN: " not in overview  # never "OSMAN: 91.2" as the main score
    assert "For comparison only: no published interpretation bands" in page and "never a target" in page
    assert "OSMAN" not in render_table([arabic]) and "no validated formula" in render_table([arabic])


def test_a_target_on_a_comparison_only_formula_is_a_config_error(project: Path) -> None:
    with_targets(project, "leaflet = { osman = 60 }")
    result = run(project, "readability")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "readability.targets.leaflet.osman: for comparison only (no published interpretation bands" in result.stderr


def test_caveats_and_exclusions_are_in_the_overview() -> None:
    sentences = " ".join(["Ask your doctor about the trial today."] * 5)
    units = text_units(f"# Trials\n\nEstimated reading time: 1 minute\n\n## Why\n\n{sentences}\n", {3})
    english = ProductReadability("summary", "en", analyze(units, "en", targets_from_config({"smog": 8}, "t")))
    page = render_html([english], "2026-11-29")
    overview = page[page.index('id="overview"') : page.index('id="comparison"')]
    assert "SMOG grade: 5 sentences; SMOG grade is designed for samples of 30 or more" in overview
    assert "5 sentences counted; left out: 2 headings, 1 metadata line" in overview
    assert "headings are titles, not sentences; metadata lines (the reading-time line" in page


def test_the_page_reflows_at_320_px() -> None:
    english = _english({"smog": 8})
    page = render_html([english], "2026-11-29")
    assert "@media (max-width: 40rem)" in page and "table.reflow tr" in page
    assert "<svg" not in page, "a fixed-width chart would be cut off on a phone"
    for table in re.findall(r"<table[^>]*>", page):
        assert 'class="reflow" role="table"' in table
    cells = re.findall(r"<td [^>]*>", page)
    assert cells and all('data-label="' in cell and 'role="cell"' in cell for cell in cells)


def test_the_shipped_reading_time_line_and_front_matter_are_not_counted() -> None:
    config = load_config(ROOT / "pyproject.toml")
    analysis = measure_document(config, ROOT / "source" / "guide.md", None, "en", [])
    metadata = [(item.kind, item.text) for item in analysis.excluded if item.reason == "metadata"]
    assert len(metadata) == 1 and metadata[0][0] == "reading time"
    assert metadata[0][1].startswith("Estimated reading time: ")
    texts = [sentence.text for sentence in analysis.sentences]
    assert not any(text.startswith(("Estimated reading time", "title:", "lang:")) for text in texts)
    headings = [item.text for item in analysis.excluded if item.reason == "heading"]
    assert headings and not set(headings) & set(texts)
    assert analysis.counts.sentences == len(texts)
